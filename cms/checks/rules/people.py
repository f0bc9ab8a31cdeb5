"""Rule 4: a named author, a named medical reviewer, and disclosures."""

from __future__ import annotations

from collections.abc import Iterator

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText

PLACEHOLDER_NAMES = frozenset(
    {"admin", "administrator", "anonymous", "author", "editor", "staff", "unknown", "user", "team"}
)


def _normal(name: str) -> str:
    return " ".join(name.casefold().replace(".", " ").split())


@rule(
    "people",
    title="Named author, named medical reviewer, disclosures",
    why="HONcode 1 (authority) and 7–8 (funding, conflicts); NHS standard: clinical "
    "approval and transparency about conflicts of interest.",
    codes=[
        Code("people.author_unnamed", "error", "The author is a placeholder, not a name."),
        Code("people.reviewer_missing", "error", "No medical reviewer."),
        Code("people.reviewer_is_author", "warning", "The reviewer is the sole author."),
        Code("people.disclosures_missing", "error", "No funding and conflicts disclosures."),
    ],
)
def people(text: ArticleText) -> Iterator[Finding]:
    document = text.document
    author = document["author"]["name"]
    if _normal(author) in PLACEHOLDER_NAMES:
        yield Finding(
            "people.author_unnamed",
            Severity.ERROR,
            "/author/name",
            f"“{author}” is not a name: say who wrote the article (a person or an organisation).",
        )
    reviewer = document.get("reviewer")
    if reviewer is None:
        yield Finding(
            "people.reviewer_missing",
            Severity.ERROR,
            "/reviewer",
            "No medical reviewer: a named clinician must review the article before it is "
            "published.",
        )
    elif _normal(reviewer["name"]) == _normal(author):
        yield Finding(
            "people.reviewer_is_author",
            Severity.WARNING,
            "/reviewer/name",
            "The medical reviewer is also the only author: an independent reviewer is better.",
        )
    if document.get("disclosures") is None:
        yield Finding(
            "people.disclosures_missing",
            Severity.ERROR,
            "/disclosures",
            "Disclose funding and conflicts of interest (“None” and “None declared” are answers).",
        )
