"""Legacy web article → draft article document, with a report of what needs an editor.

Pure: no database, no Flask, no network. The draft is never publishable as it
comes out: it has no references (they are never invented), no reviewer and no
evidence certainty, and the findings say so alongside what the content checks
find in the imported text (foreign-language debris, vague citations, claims).
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from cms.checks import Finding, Severity, run_checks
from cms.checks.findings import quote
from cms.checks.text import split_sentences
from cms.ingest.layout import Layout, lay_out
from cms.ingest.source import Paragraph, Removed, Source, read_source
from cms.validation import pointer

# The notes the ingester adds to the checks' findings (listed in docs/checks.md).
NOTES = [
    ("ingest.junk_removed", "warning", "Page junk (or a repeated title) removed, with its line."),
    ("ingest.unplaced", "warning", "A paragraph no section type fits; added to the overview."),
    ("ingest.risks_missing", "error", "The source describes no risks: an empty risks section."),
]

IMPORTED_AUTHOR = "Unknown author (imported)"
UNTITLED_SLUG = "untitled-article"
MAX_SLUG = 120
MAX_SUMMARY = 1000
PLACEHOLDER = "(to be written)"
# Never returned: it only lets the schema accept the draft so the content rules run.
_PROBE_REFERENCE = {"id": "ingest-probe", "type": "webpage", "title": "Schema probe"}

CONDITIONS: list[tuple[str, re.Pattern[str]]] = [
    (slug, re.compile(pattern, re.IGNORECASE))
    for slug, pattern in (
        ("lupus", r"\blupus\b|\bSLE\b"),
        ("rheumatoid-arthritis", r"\brheumatoid arthritis\b"),
        ("multiple-sclerosis", r"\bmultiple sclerosis\b"),
        ("systemic-sclerosis", r"\bsystemic sclerosis\b|\bscleroderma\b"),
        ("crohns-disease", r"\bcrohn['’]?s\b"),
        ("type-1-diabetes", r"\btype[ -]?(?:1|I|one) diabetes\b"),
    )
]
_AUTOIMMUNE = re.compile(r"autoimmun", re.IGNORECASE)
# Letters NFKD does not decompose into ASCII.
_TRANSLITERATION = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "ae", "ø": "o", "Ø": "o", "œ": "oe", "Œ": "oe", "ł": "l",
     "Ł": "l", "đ": "d", "Đ": "d", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d"}
)  # fmt: skip


@dataclass(frozen=True)
class IngestResult:
    """A draft document, every finding about it, and how the source was mapped."""

    document: dict[str, Any]
    findings: list[Finding]
    mapping: list[dict[str, Any]] = field(default_factory=list)
    source: str = "<text>"

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "document": self.document,
            "findings": [finding.as_dict() for finding in self.findings],
            "mapping": self.mapping,
        }


def ingest(
    text: str,
    *,
    locale: str = "en",
    source: str = "<text>",
    today: dt.date,
    translation_of: dict[str, str] | None = None,
) -> IngestResult:
    """Turn a plain-text or Markdown legacy article into a draft and its report.

    Editors migrating old web content need the text in the typed section format
    and, in one list, everything they must fix before it can be published.
    ``translation_of`` (slug and locale of an original) marks the text as its
    translation; saving the draft links the two.
    """
    parsed = read_source(text)
    layout = lay_out(parsed.blocks)
    document = _document(parsed, layout, locale)
    if translation_of is not None:  # beside the locale, where an editor looks for it
        document = {
            key: value
            for field, item in document.items()
            for key, value in (
                [(field, item), ("translation_of", dict(translation_of))]
                if field == "locale"
                else [(field, item)]
            )
        }
    notes = [
        *_removal_notes(parsed.removed),
        *_unplaced_notes(layout, document),
        *_risks_notes(document),
    ]
    findings = list(dict.fromkeys([*notes, *check_draft(document, today=today)]))
    return IngestResult(document, findings, layout.mapping, source)


def check_draft(document: dict[str, Any], *, today: dt.date) -> list[Finding]:
    """Schema findings for the draft as it is, plus the content rules' findings.

    The content rules only run on a structurally valid document, and a draft never is
    one (no references; perhaps an empty risks body). They run on a copy made valid
    with placeholders, and findings about the placeholders themselves are dropped.
    """
    findings = run_checks(document, today=today)
    probe, filled = _probe(document)
    findings += [
        finding
        for finding in run_checks(probe, today=today)
        if finding.pointer not in filled and not finding.pointer.startswith("/references")
    ]
    return findings


def slugify(title: str) -> str:
    """A URL slug from a title: ASCII, lower case, hyphens, at most 120 characters."""
    if not any(unicodedata.name(c, "").startswith("LATIN") for c in title if c.isalpha()):
        return UNTITLED_SLUG
    ascii_title = (
        unicodedata.normalize("NFKD", title.translate(_TRANSLITERATION))
        .encode("ascii", "ignore")
        .decode()
    )
    slug = re.sub(r"[^a-z0-9]+", "-", re.sub(r"['’]", "", ascii_title.lower())).strip("-")
    if len(slug) > MAX_SLUG:
        cut = slug[: MAX_SLUG + 1]
        slug = (cut.rsplit("-", 1)[0] if "-" in cut else slug[:MAX_SLUG]).strip("-")
    return slug or UNTITLED_SLUG


def find_conditions(text: str) -> list[str]:
    """Condition slugs the text names; "autoimmune-disease" only when it names none."""
    found = [slug for slug, pattern in CONDITIONS if pattern.search(text)]
    if not found and _AUTOIMMUNE.search(text):
        found = ["autoimmune-disease"]
    return found


# The summary is at most MAX_SUMMARY characters of the first two sentences, so only the
# paragraph's beginning is read: the cost does not grow with the paragraph (a legacy page
# may be one paragraph of a megabyte), and the sentence splitter is never handed more
# than it accepts. The cut falls at a space, well past where two sentences that fit end.
SUMMARY_READ = 4 * MAX_SUMMARY


def summarise(paragraph: str, language: str = "en") -> str:
    """The first one or two sentences of the introduction, within the summary's limit."""
    if len(paragraph) > SUMMARY_READ:
        head = paragraph[:SUMMARY_READ]
        paragraph = head.rsplit(" ", 1)[0] if " " in head else head
    sentences = split_sentences(paragraph, language) if paragraph.strip() else []
    if not sentences:
        return ""
    summary = sentences[0]
    if len(sentences) > 1 and len(summary) + 1 + len(sentences[1]) <= MAX_SUMMARY:
        summary = f"{summary} {sentences[1]}"
    if len(summary) > MAX_SUMMARY:
        summary = summary[: MAX_SUMMARY - 1].rsplit(" ", 1)[0] + "…"
    return summary


def _document(parsed: Source, layout: Layout, locale: str) -> dict[str, Any]:
    paragraphs = [block for block in parsed.blocks if isinstance(block, Paragraph)]
    everything = " ".join([parsed.title, *(p.plain() for p in paragraphs)])
    intro = paragraphs[0].plain() if paragraphs else ""
    return {
        "slug": slugify(parsed.title),
        "locale": locale,
        "title": parsed.title,
        "summary": summarise(intro, locale.split("-", maxsplit=1)[0]),
        "conditions": find_conditions(everything),
        "author": {"name": IMPORTED_AUTHOR},
        "sections": [section.as_dict() for section in layout.sections],
        "references": [],
    }


def _removal_notes(removed: list[Removed]) -> list[Finding]:
    return [
        Finding(
            "ingest.junk_removed",
            Severity.WARNING,
            "",
            f"Removed page junk on line {line.line}: {quote(line.text)}."
            if line.why == "junk"
            else f"Removed a repeat of the title on line {line.line}: {quote(line.text)}.",
        )
        for line in removed
    ]


def _section_index(document: dict[str, Any], kind: str) -> int:
    return next(i for i, s in enumerate(document["sections"]) if s["type"] == kind)


def _unplaced_notes(layout: Layout, document: dict[str, Any]) -> list[Finding]:
    if not layout.unplaced:
        return []
    body = pointer("sections", _section_index(document, "overview"), "body")
    return [
        Finding(
            "ingest.unplaced",
            Severity.WARNING,
            body,
            f"Could not tell which section the paragraph on line {paragraph.line} belongs "
            f"to; it was added to the overview: {quote(paragraph.plain(), 80)}. Move it.",
        )
        for paragraph in layout.unplaced
    ]


def _risks_notes(document: dict[str, Any]) -> list[Finding]:
    index = _section_index(document, "risks")
    if document["sections"][index]["body"]:
        return []
    return [
        Finding(
            "ingest.risks_missing",
            Severity.ERROR,
            pointer("sections", index, "body"),
            "The source describes no risks: an editor must write a risks section, with "
            "sources, before this article can be published. Nothing was made up for it.",
        )
    ]


def _probe(document: dict[str, Any]) -> tuple[dict[str, Any], set[str]]:
    """A copy the schema accepts, and the pointers of the fields filled in to get there."""
    probe = copy.deepcopy(document)
    filled: set[str] = set()
    for key in ("title", "summary"):
        if not probe[key].strip():
            probe[key] = PLACEHOLDER
            filled.add(f"/{key}")
    for index, section in enumerate(probe["sections"]):
        if not section["body"].strip():
            section["body"] = PLACEHOLDER
            filled.add(pointer("sections", index, "body"))
    probe["references"] = [_PROBE_REFERENCE]
    return probe, filled
