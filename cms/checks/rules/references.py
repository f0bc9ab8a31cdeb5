"""Rule 3: references are complete, well-formed, distinct and not from the future."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from cms.checks import identifiers
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText
from cms.validation import pointer

JOURNAL_TYPES = frozenset({"article-journal", "review"})
REQUIRED_FOR_JOURNALS = {
    "title": "a title",
    "authors": "an author",
    "container_title": "the journal (container_title)",
    "year": "a year",
}
# Crossref's main pattern matches ~99% of DOIs; older Wiley (SICI) DOIs are valid but odd
# (https://www.crossref.org/blog/dois-and-matching-regular-expressions/).
CROSSREF_DOI = re.compile(r"^10\.\d{4,9}/[-._;()/:A-Z0-9]+$", re.IGNORECASE)
IDENTIFIERS = ("doi", "pmid", "pmcid", "nct")


def _identity(reference: dict[str, Any], field: str) -> str | None:
    """The identifier as a reader would look it up: case and known prefixes normalised."""
    value = reference.get(field)
    if not isinstance(value, str):
        return None
    normalise = identifiers.NORMALISERS[field][0]
    return normalise(value).lower()


@rule(
    "references",
    title="References are complete, well-formed and distinct",
    why="A reader must be able to find the source: CSL completeness, Crossref DOI display "
    "guidelines, NLM PMID/PMCID and ClinicalTrials.gov NCT formats.",
    codes=[
        Code(
            "schema.doi / pmid / pmcid / nct / url",
            "error",
            "Malformed identifier (schema); when it only needs normalising (a doi.org link, "
            "“PMID: …”, “pmc…”, “NCT 0…”) the message gives the form to write.",
            waivable=False,
        ),
        Code("references.doi_unusual", "warning", "DOI outside Crossref's common pattern."),
        Code(
            "references.incomplete",
            "error",
            "Journal reference lacks title, author, journal or year.",
        ),
        Code("references.duplicate", "warning", "Two references with the same identifier."),
        Code("references.future_year", "error", "Publication year after this year."),
    ],
    flags=[
        "doi: https://doi.org/10.1056/NEJMoa1703327 (write 10.1056/NEJMoa1703327)",
        "two references with DOIs differing only in case",
    ],
    passes=["doi: 10.1016/S0140-6736(18)31250-0"],
)
def references(text: ArticleText) -> Iterator[Finding]:
    seen: dict[tuple[str, str], str] = {}
    for index, reference in enumerate(text.document["references"]):
        here = pointer("references", index)
        doi = reference.get("doi")
        if doi and not CROSSREF_DOI.match(doi):
            yield Finding(
                "references.doi_unusual",
                Severity.WARNING,
                f"{here}/doi",
                f"DOI {doi} has characters most DOIs do not (legacy Wiley DOIs do): check it "
                "resolves at https://doi.org/.",
            )
        if reference["type"] in JOURNAL_TYPES:
            for field, what in REQUIRED_FOR_JOURNALS.items():
                if not reference.get(field):
                    yield Finding(
                        "references.incomplete",
                        Severity.ERROR,
                        here,
                        f"Journal reference '{reference['id']}' needs {what}.",
                    )
        year = reference.get("year")
        if year is not None and year > text.today.year:
            yield Finding(
                "references.future_year",
                Severity.ERROR,
                f"{here}/year",
                f"Reference '{reference['id']}' is dated {year}, after this year.",
            )
        for field in IDENTIFIERS:
            value = _identity(reference, field)
            if value is None:
                continue
            other = seen.setdefault((field, value), reference["id"])
            if other != reference["id"]:
                yield Finding(
                    "references.duplicate",
                    Severity.WARNING,
                    here,
                    f"Reference '{reference['id']}' has the same {field.upper()} as "
                    f"'{other}': merge them.",
                )
