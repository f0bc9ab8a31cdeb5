"""Rule 6: the evidence section states its certainty, and weak designs cannot claim more."""

from __future__ import annotations

from collections.abc import Iterator

from cms.articles.citations import cited_ids
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText
from cms.validation import pointer

WEAK_DESIGNS = frozenset({"animal", "in-vitro", "case-report", "case-series"})
LOW_CERTAINTY = frozenset({"low", "very-low"})


@rule(
    "evidence-labelling",
    title="Evidence certainty stated, and honest for weak designs",
    why="GRADE; FTC Health Products Compliance Guidance: animal and in-vitro studies alone "
    "do not substantiate health benefits.",
    codes=[
        Code(
            "evidence.certainty_missing", "error", "No evidence_certainty on the evidence section."
        ),
        Code(
            "evidence.certainty_overstated",
            "error",
            "Only weak designs cited, certainty above low.",
        ),
        Code("evidence.design_missing", "warning", "A cited reference has no study_design."),
    ],
    flags=["evidence_certainty: moderate, citing only a case series"],
    passes=["evidence_certainty: low, citing only animal studies"],
)
def evidence_labelling(text: ArticleText) -> Iterator[Finding]:
    found = text.section("evidence")
    if found is None:
        return
    index, section = found
    here = pointer("sections", index)
    certainty = section.get("evidence_certainty")
    if certainty is None:
        yield Finding(
            "evidence.certainty_missing",
            Severity.ERROR,
            f"{here}/evidence_certainty",
            "State the certainty of the evidence: high, moderate, low or very-low (GRADE).",
        )
    cited = [text.references[i] for i in dict.fromkeys(cited_ids(section["body"]))
             if i in text.references]  # fmt: skip
    for reference in cited:
        if "study_design" not in reference:
            yield Finding(
                "evidence.design_missing",
                Severity.WARNING,
                pointer("references", list(text.references).index(reference["id"])),
                f"Reference '{reference['id']}' is cited as evidence but has no study_design.",
            )
    designs = {reference.get("study_design") for reference in cited}
    if cited and designs <= WEAK_DESIGNS and certainty not in LOW_CERTAINTY | {None}:
        yield Finding(
            "evidence.certainty_overstated",
            Severity.ERROR,
            f"{here}/evidence_certainty",
            f"Every study cited here is {', '.join(sorted(designs))}: certainty can be at most "
            f"low, not {certainty}.",
        )
