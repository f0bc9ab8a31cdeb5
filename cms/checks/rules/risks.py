"""Rule 1: a substantive, sourced risks section."""

from __future__ import annotations

from collections.abc import Iterator

from cms.articles.citations import cited_ids
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText
from cms.validation import pointer

MIN_WORDS = 40


@rule(
    "risks-section",
    title="Risks section present, substantive and sourced",
    why="NHS Standard for creating health content; PIF TICK: balanced information on "
    "harms; FTC: serious risks disclosed clearly.",
    codes=[
        Code("risks.missing", "error", "No risks section."),
        Code("risks.too_short", "error", f"Fewer than {MIN_WORDS} words."),
        Code("risks.unsourced", "error", "Cites no reference."),
    ],
)
def risks_section(text: ArticleText) -> Iterator[Finding]:
    found = text.section("risks")
    if found is None:
        yield Finding(
            "risks.missing", Severity.ERROR, "/sections", "The article has no risks section."
        )
        return
    index, section = found
    body = pointer("sections", index, "body")
    words = len(section["body"].split())
    if words < MIN_WORDS:
        yield Finding(
            "risks.too_short",
            Severity.ERROR,
            body,
            f"The risks section has {words} words; describe the harms in at least {MIN_WORDS}.",
        )
    if not cited_ids(section["body"]):
        yield Finding(
            "risks.unsourced",
            Severity.ERROR,
            body,
            "The risks section cites no reference: source the harms it describes.",
        )
