"""Rules 7–9: vague citations, absolute claims and unsupported comparisons."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import EVIDENCE_SECTIONS, ArticleText, Sentence

VAGUE_CITATIONS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\b(a|one|another|the|this|that)\s+(recent\s+|new\s+|large\s+|small\s+)?stud(y|ies)\s+"
        r"(published\s+)?in\b",
        r"\bpublished\s+in\s+(the|a)\s+\w+",
        r"\b(research|studies|evidence|data|trials|science)\s+(has\s+|have\s+)?"
        r"(show|shows|showed|shown|suggest|suggests|suggested|indicate|indicates|prove|proves|"
        r"proved|proven|found|demonstrate|demonstrates|demonstrated)\b",
        r"\b(scientists|researchers|experts|doctors)\s+(have\s+)?(found|find|say|believe|agree|"
        r"discovered)\b",
        r"\baccording\s+to\s+(a|one|recent|some|several|new)\s+(stud(y|ies)|research|reports?)\b",
        r"\b(numerous|multiple|many|several|various)\s+(clinical\s+)?(studies|trials)"
        r"(\s+and\s+trials)?\s+(have\s+)?(shown|show|demonstrated|noted|reported|found)\b",
        r"\bclinical\s+trials\s+have\s+(noted|shown|demonstrated|found|reported)\b",
    )
]

ABSOLUTE = re.compile(
    r"\b(cure|cures|cured|curing|miracles?|miraculous|breakthroughs?|guarantee[ds]?|"
    r"revolutionary|revolutioni[sz]e[ds]?|risk[- ]free|no\s+side[- ]effects|"
    r"without\s+(any\s+)?side[- ]effects|free\s+of\s+side[- ]effects|completely\s+safe|"
    r"100\s*%\s*(safe|effective|success(ful)?)|permanently\s+(cure[ds]?|fix(es|ed)?|"
    r"reverse[ds]?)|best|groundbreaking|game[- ]changers?)\b",
    re.IGNORECASE,
)
# Uses of those words that make no claim.
NOT_A_CLAIM = re.compile(
    r"\b(best\s+practices?|best\s+available|at\s+best|best\s+supportive\s+care|"
    r"cure\s+rates?)\b",
    re.IGNORECASE,
)

COMPARATIVE = re.compile(
    r"\b((fewer|less|lower)\s+(side[- ]effects|adverse\s+(effects|events)|complications)|"
    r"safer\s+than|more\s+effective\s+than|better\s+than|superior\s+to|"
    r"outperform(s|ed)?|more\s+successful\s+than)\b",
    re.IGNORECASE,
)
STRONG_DESIGNS = frozenset({"systematic-review", "rct"})
DISPLAY_FIELDS = frozenset({"title", "summary", "heading"})


def _where(sentence: Sentence) -> str:
    return {"title": "the title", "summary": "the summary", "heading": "a heading"}.get(
        sentence.field, f"the {sentence.field} section"
    )


@rule(
    "vague-citations",
    title="No vague citations",
    why="“A study published in…” or “research shows” names no source a reader can check "
    "(HONcode 4, NHS standard).",
    codes=[
        Code(
            "claims.vague_citation",
            "error in evidence, benefits and risks; warning elsewhere",
            "Vague source language in a sentence without a citation.",
        )
    ],
)
def vague_citations(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        if sentence.cited or sentence.field == "heading":  # headings announce, they don't claim
            continue
        for pattern in VAGUE_CITATIONS:
            match = pattern.search(sentence.text)
            if match:
                severity = (
                    Severity.ERROR if sentence.field in EVIDENCE_SECTIONS else Severity.WARNING
                )
                yield Finding(
                    "claims.vague_citation",
                    severity,
                    sentence.pointer,
                    f"“{match.group(0)}” without a citation in {_where(sentence)}: name the "
                    f"source and cite it with [@id]: {quote(sentence.text)}.",
                )
                break


@rule(
    "absolute-claims",
    title="No cure, miracle or superlative claims",
    why="FTC v. Regenerative Medical Group (2018) and FTC Health Products Compliance "
    "Guidance: cure and superiority claims need competent and reliable evidence; ISSCR.",
    codes=[
        Code(
            "claims.absolute",
            "error in title, summary, headings or an uncited sentence; warning when cited",
            "cure, miracle, breakthrough, guaranteed, best, risk-free, no side effects…",
        )
    ],
)
def absolute_claims(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        claim_text = NOT_A_CLAIM.sub(" ", sentence.text)
        match = ABSOLUTE.search(claim_text)
        if not match:
            continue
        if sentence.field in DISPLAY_FIELDS or not sentence.cited:
            severity, advice = Severity.ERROR, "remove it or state what the evidence shows"
        else:
            severity, advice = Severity.WARNING, "check the cited source supports it"
        yield Finding(
            "claims.absolute",
            severity,
            sentence.pointer,
            f"Absolute claim “{match.group(0)}” in {_where(sentence)}: {advice}: "
            f"{quote(sentence.text)}.",
        )


@rule(
    "comparative-claims",
    title="Comparative claims cite a randomised trial or a systematic review",
    why="FTC substantiation standard: “fewer side effects” or “better than” needs "
    "head-to-head evidence, generally randomised controlled trials.",
    codes=[
        Code(
            "claims.comparative_unsupported",
            "error",
            "A comparison not backed by an RCT or systematic review in the same sentence.",
        )
    ],
)
def comparative_claims(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        match = COMPARATIVE.search(sentence.text)
        if not match:
            continue
        designs = {ref.get("study_design") for ref in text.cited_references(sentence)}
        if designs & STRONG_DESIGNS:
            continue
        yield Finding(
            "claims.comparative_unsupported",
            Severity.ERROR,
            sentence.pointer,
            f"Comparative claim “{match.group(0)}” in {_where(sentence)} needs a cited "
            f"randomised trial or systematic review in the same sentence: {quote(sentence.text)}.",
        )
