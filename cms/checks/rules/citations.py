"""Rule 2: evidence and benefits are sourced; every reference is used."""

from __future__ import annotations

from collections.abc import Iterator

from cms.articles.citations import cited_ids
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText
from cms.validation import pointer

SOURCED_SECTIONS = ("evidence", "benefits")


@rule(
    "citations",
    title="Claims of evidence and benefit cite sources; references are used",
    why="HONcode 4–5 (attribution, justifiability); NHS standard: use high-quality evidence.",
    codes=[
        Code(
            "citations.section_unsourced", "error", "An evidence or benefits section cites nothing."
        ),
        Code(
            "citations.unresolved",
            "error",
            "A marker names no reference (also a schema error).",
            waivable=False,
        ),
        Code("references.unused", "warning", "A reference no section cites."),
    ],
    flags=["an evidence section without [@id]"],
    passes=["an overview without citations"],
)
def citations(text: ArticleText) -> Iterator[Finding]:
    used: set[str] = set()
    for index, section in text.sections():
        ids = cited_ids(section["body"])
        used.update(ids)
        if section["type"] in SOURCED_SECTIONS and not ids:
            yield Finding(
                "citations.section_unsourced",
                Severity.ERROR,
                pointer("sections", index, "body"),
                f"The {section['type']} section cites no reference: every claim of "
                f"{section['type']} needs a source, cited with [@id].",
            )
        for ref_id in dict.fromkeys(ids):
            if ref_id not in text.references:
                yield Finding(
                    "citations.unresolved",
                    Severity.ERROR,
                    pointer("sections", index, "body"),
                    f"Citation [@{ref_id}] names no reference.",
                )
    for index, reference in enumerate(text.document["references"]):
        if reference["id"] not in used:
            yield Finding(
                "references.unused",
                Severity.WARNING,
                pointer("references", index),
                f"Reference '{reference['id']}' is never cited: cite it or remove it.",
            )
