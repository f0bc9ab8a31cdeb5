"""Measuring the checks against the labelled corpus (tests/checks/corpus/).

Each passage is placed in an otherwise clean article (a section, the title, the risks
section or a person field, as its label says), the checks run, and the findings at
the passage's JSON pointer are compared with its label. Precision and recall are per
family; the false-error rate is the share of clean passages that get any error.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from cms.checks.engine import run_checks
from cms.checks.findings import Finding, Severity

CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "checks" / "corpus"
PARTS = ("tuning", "heldout")
TODAY = dt.date(2026, 11, 1)

# Which finding codes belong to which family of the corpus.
FAMILY_CODES: dict[str, tuple[str, ...]] = {
    "absolute": ("claims.absolute",),
    "comparative": ("claims.comparative_unsupported",),
    "vague": ("claims.vague_citation",),
    "relative": ("claims.relative_only",),
    "unsafe_advice": ("advice.unsafe",),
    "regulatory": ("regulatory.unsupported_claim",),
    "advertising": (
        "ads.call_to_action",
        "ads.contact_number",
        "ads.price",
        "ads.discount",
        "ads.urgency",
        "ads.patient_count",
    ),
    "testimonial": ("testimonial.patient_story",),
    "hollow_risks": ("risks.hollow",),
    "placeholder": ("people.placeholder", "people.author_unnamed"),
    "junk": ("junk.page_furniture",),
    "language": ("language.foreign_sentence", "language.foreign_phrase", "language.foreign_word"),
}
FAMILIES = tuple(FAMILY_CODES)
SEVERITIES = ("error", "warning")
PLACEMENTS = ("overview", "mechanism", "evidence", "benefits", "outlook", "title", "risks",
              "risks_body")  # fmt: skip
FIELDS = (
    "author.name", "author.credentials", "reviewer.name", "reviewer.credentials",
    "disclosures.funding", "disclosures.conflicts_of_interest",
)  # fmt: skip
DEFAULT_SECTION = {
    "absolute": "benefits",
    "comparative": "benefits",
    "vague": "evidence",
    "relative": "evidence",
    "unsafe_advice": "outlook",
    "regulatory": "overview",
    "advertising": "outlook",
    "testimonial": "benefits",
    "hollow_risks": "risks_body",
    "junk": "overview",
    "language": "overview",
    "clean": "overview",
}
_FAMILY_OF = {code: family for family, codes in FAMILY_CODES.items() for code in codes}

_OVERVIEW = (
    "Autoimmune diseases happen when the immune system attacks the body's own tissue [@sr1]."
)
_RISKS = (
    "Autologous transplantation carries a risk of death from the treatment itself, reported "
    "at around 6 in 100 people in pooled data [@sr1]. Serious infections during the weeks "
    "without a working immune system are common, and some people develop a second "
    "autoimmune disease or lose their fertility afterwards [@rct1]."
)
_BACKGROUND = "The review summarises the background to this question [@sr1]."
_HEADINGS = {
    "overview": "Background",
    "mechanism": "How it works",
    "evidence": "What the studies found",
    "benefits": "Possible benefits",
    "risks": "Risks",
    "outlook": "What this means for you",
}


def _reference(ref_id: str, design: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": ref_id,
        "type": "article-journal",
        "title": f"A {design} study cited as {ref_id}",
        "authors": [{"family": "Example", "given": "A"}],
        "container_title": "Journal of Examples",
        "year": 2020,
        "doi": f"10.5555/{ref_id}",
        "study_design": design,
    } | extra


REFERENCES = [
    _reference("rct1", "rct"),
    _reference("sr1", "systematic-review", type="review"),
    _reference("cs1", "case-series"),
    _reference("mice1", "animal"),
    _reference("cohort1", "cohort"),
    {"id": "fda1", "type": "webpage", "title": "Consumer information on regenerative medicine",
     "authors": [{"literal": "U.S. Food and Drug Administration"}], "year": 2021,
     "url": "https://www.fda.gov/consumers/regenerative-medicine", "study_design": "other"},
    {"id": "ema1", "type": "webpage", "title": "Product information", "year": 2018,
     "authors": [{"literal": "European Medicines Agency"}],
     "url": "https://www.ema.europa.eu/en/medicines/product", "study_design": "other"},
    {"id": "web1", "type": "webpage", "title": "A clinic's web page", "year": 2022,
     "url": "https://clinic.example.com/page", "study_design": "other"},
]  # fmt: skip


def base_document() -> dict[str, Any]:
    """A clean article with every reference a passage may cite."""
    return {
        "slug": "corpus-passage",
        "locale": "en",
        "title": "Stem cell treatment for autoimmune disease",
        "summary": "What the studies report about stem cell treatment, and what it risks.",
        "conditions": ["autoimmune-disease"],
        "author": {"name": "Health CMS Editorial Team"},
        "reviewer": {"name": "Ada Reviewer", "credentials": "MD"},
        "last_reviewed": "2026-10-01",
        "next_review": "2027-10-01",
        "disclosures": {"funding": "None", "conflicts_of_interest": "None declared"},
        "sections": [
            {"type": "overview", "heading": _HEADINGS["overview"], "body": _OVERVIEW},
            {"type": "risks", "heading": _HEADINGS["risks"], "body": _RISKS},
        ],
        "references": copy.deepcopy(REFERENCES),
    }


@dataclass(frozen=True)
class Passage:
    id: str
    family: str  # one of FAMILIES, or "clean"
    text: str
    severity: str | None = None
    section: str | None = None
    field: str | None = None
    also: tuple[str, ...] = ()
    part: str = "tuning"

    @property
    def placement(self) -> str:
        return self.section or DEFAULT_SECTION.get(self.family, "overview")


def load(part: str, directory: Path = CORPUS_DIR) -> list[Passage]:
    rows = yaml.safe_load((directory / f"{part}.yaml").read_text("utf-8"))
    return [
        Passage(
            id=row["id"],
            family=row["family"],
            text=row["text"],
            severity=row.get("severity"),
            section=row.get("section"),
            field=row.get("field"),
            also=tuple(row.get("also", ())),
            part=part,
        )
        for row in rows
    ]


def problems(passages: Iterable[Passage]) -> list[str]:
    """What is wrong with the labels (empty when the corpus is well formed)."""
    found = []
    seen: set[str] = set()
    for p in passages:
        if p.id in seen:
            found.append(f"{p.id}: duplicate id")
        seen.add(p.id)
        if p.family not in (*FAMILIES, "clean"):
            found.append(f"{p.id}: unknown family {p.family!r}")
        if (p.family == "clean") != (p.severity is None):
            found.append(f"{p.id}: a clean passage has no severity; any other has one")
        if p.severity is not None and p.severity not in SEVERITIES:
            found.append(f"{p.id}: unknown severity {p.severity!r}")
        if p.field is not None and p.field not in FIELDS:
            found.append(f"{p.id}: unknown field {p.field!r}")
        if p.field is None and p.placement not in PLACEMENTS:
            found.append(f"{p.id}: unknown section {p.placement!r}")
        if any(family not in FAMILIES for family in p.also):
            found.append(f"{p.id}: unknown family in also")
        if not p.text.strip():
            found.append(f"{p.id}: empty text")
    return found


def place(passage: Passage) -> tuple[dict[str, Any], str]:
    """The article holding the passage, and the JSON pointer of where it is."""
    document = base_document()
    if passage.field is not None:
        parent, key = passage.field.split(".")
        document[parent][key] = passage.text
        return document, f"/{parent}/{key}"
    where = passage.placement
    sections = document["sections"]
    if where == "title":
        document["title"] = passage.text
        return document, "/title"
    if where == "risks_body":
        sections[1]["body"] = passage.text
        return document, "/sections/1/body"
    if where == "risks":
        sections[1]["body"] = f"{_RISKS}\n\n{passage.text}"
        return document, "/sections/1/body"
    if where == "overview":
        sections[0]["body"] = f"{_OVERVIEW}\n\n{passage.text}"
        return document, "/sections/0/body"
    section: dict[str, Any] = {
        "type": where,
        "heading": _HEADINGS[where],
        "body": f"{passage.text}\n\n{_BACKGROUND}",
    }
    if where == "evidence":
        section["evidence_certainty"] = "low"
    index = 2 if where == "outlook" else 1
    sections.insert(index, section)
    return document, f"/sections/{index}/body"


@dataclass(frozen=True)
class Outcome:
    passage: Passage
    findings: tuple[Finding, ...]  # at the passage's pointer

    @property
    def families(self) -> set[str]:
        return {_FAMILY_OF[f.code] for f in self.findings if f.code in _FAMILY_OF}

    def severity_of(self, family: str) -> str | None:
        severities = {f.severity.value for f in self.findings if _FAMILY_OF.get(f.code) == family}
        return "error" if "error" in severities else ("warning" if severities else None)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == Severity.ERROR]


def evaluate(passage: Passage, *, today: dt.date = TODAY) -> Outcome:
    document, pointer = place(passage)
    findings = run_checks(document, today=today, publishing=False)
    return Outcome(passage, tuple(f for f in findings if f.pointer == pointer))


@dataclass
class Score:
    true_positives: int = 0
    false_positives: int = 0
    false_negatives: int = 0
    severity_right: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0


@dataclass
class Report:
    part: str
    scores: dict[str, Score]
    clean: int
    false_errors: list[str]

    @property
    def false_error_rate(self) -> float:
        return len(self.false_errors) / self.clean if self.clean else 0.0


def score(outcomes: Sequence[Outcome], part: str) -> Report:
    scores = {family: Score() for family in FAMILIES}
    clean, false_errors = 0, []
    for outcome in outcomes:
        passage = outcome.passage
        found = outcome.families
        for family in FAMILIES:
            labelled = passage.family == family
            if labelled and family in found:
                scores[family].true_positives += 1
                if outcome.severity_of(family) == passage.severity:
                    scores[family].severity_right += 1
            elif labelled:
                scores[family].false_negatives += 1
                scores[family].misses.append(passage.id)
            elif family in found and family not in passage.also:
                scores[family].false_positives += 1
                scores[family].false_alarms.append(passage.id)
        if passage.family == "clean":
            clean += 1
            if outcome.errors:
                false_errors.append(passage.id)
    return Report(part, scores, clean, false_errors)


def run(part: str, directory: Path = CORPUS_DIR) -> tuple[Report, list[Outcome]]:
    outcomes = [evaluate(p) for p in load(part, directory)]
    return score(outcomes, part), outcomes
