"""Which section type a heading or a paragraph belongs to, by keywords.

Headings are matched against an ordered list: the first rule that matches wins,
so the order settles conflicts ("The Future of Stem Cells" is outlook, not
overview; "Understanding Lupus and Its Challenges" is overview, but
"Understanding the Risks" is risks). Paragraphs are scored by how many keywords
of each type they contain; only a clear winner counts.
"""

from __future__ import annotations

import re

_DISEASES = (
    r"(lupus|rheumatoid arthritis|multiple sclerosis|systemic sclerosis|scleroderma|"
    r"crohn['’]?s(?: disease)?|type 1 diabetes|autoimmun\w*(?: (?:diseases?|disorders?))?|"
    r"the (?:disease|condition))"
)


def _words(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(patterns), re.IGNORECASE)


# (type, pattern) in priority order.
HEADING_RULES: list[tuple[str, re.Pattern[str]]] = [
    (
        "outlook",
        _words(
            r"\b(future|looking ahead|outlook|conclusions?|summary|next steps|what['’]?s next)\b",
            # Machine-translation debris: German, and Chinese "conclusion" / "in summary".
            r"\b(abschluss|fazit|zusammenfassung|schlussfolgerung|ausblick)\b",
            r"结论|总结|综上所述",
        ),
    ),
    (
        "risks",
        _words(
            r"\b(risks?|side[- ]effects?|safety|safe|complications?|harms?|dangers?|dangerous|"
            r"adverse|downsides?|drawbacks?|go(es)? wrong|costs?|expensive|price)\b"
        ),
    ),
    (
        "evidence",
        _words(
            r"\b(does|did|do) (it|this|they|the \w+) (really )?work\b",
            r"\bis (it|this) effective\b",
            r"\bhow well\b",
            r"\bproof\b",
        ),
    ),
    (
        "outlook",
        _words(
            r"\bwhat (this|it) means\b",
            r"\bshould (i|you)\b",
            r"\bbottom line\b",
            r"\bmeans? for (me|you)\b",
            r"\b(key points|takeaways?|what to do next)\b",
        ),
    ),
    (
        "overview",
        _words(
            r"\b(understanding|what (is|are)|introduction|overview|landscape|background)\b",
            r"\bwho (can|should|is it for|is eligible|might)\b",
            rf"\bchallenges? of (living with )?{_DISEASES}",
        ),
    ),
    ("risks", _words(r"\b(challenges?|considerations?|limitations?|drawbacks?)\b")),
    ("benefits", _words(r"\b(benefits?|advantages?|promise)\b", r"\bcan (it|this) help\b")),
    (
        "mechanism",
        _words(
            r"\bhow\b.*\b(works?|given|done|performed|carried out|delivered|made)\b",
            r"\b(mechanisms?|process|procedures?|protocols?|types of)\b",
            r"\bwhat (it|the (treatment|procedure|transplant)) involves\b",
            r"\bwhat happens\b",
            r"\bwhat to expect\b",
            r"\bsteps?\b",
        ),
    ),
    ("evidence", _words(r"\b(evidence|research|clinical|stud(y|ies)|trials?)\b")),
    ("overview", _words(r"\babout\b")),
]

CONTENT_KEYWORDS: dict[str, re.Pattern[str]] = {
    "overview": _words(
        r"\boccurs? when\b", r"\b(is|are) an?\b", r"\bdefined as\b", r"\brefers? to\b"
    ),
    "mechanism": _words(
        r"\bworks?\b",
        r"\bprocess\b",
        r"\bcollect(ed|ion)\b",
        r"\binfus(ed|ion)\b",
        r"\bconditioning\b",
        r"\bchemotherapy\b",
        r"\bharvest(ed|ing)?\b",
        r"\bcells differentiate\b",
    ),
    "evidence": _words(
        r"\bstud(y|ies)\b",
        r"\btrials?\b",
        r"\bresearch\b",
        r"\bevidence\b",
        r"\bpublished\b",
        r"\bpatients showed\b",
    ),
    "benefits": _words(
        r"\bbenefits?\b",
        r"\brelief\b",
        r"\bimprov(e|es|ed|ement|ements|ing)\b",
        r"\bquality of life\b",
        r"\bremission\b",
        r"\breduces? the need\b",
    ),
    "risks": _words(
        r"\brisks?\b",
        r"\bside[- ]effects?\b",
        r"\bcomplications?\b",
        r"\binfections?\b",
        r"\bmortality\b",
        r"\bdeaths?\b",
        r"\bdied\b",
        r"\bfatal\b",
        r"\badverse\b",
        r"\bnot without\b",
        r"\binfertility\b",
        r"\btumou?rs?\b",
        r"\bblindness\b",
        r"\bsepsis\b",
        r"\bharms?\b",
        r"\bunknown long[- ]term\b",
    ),
    "outlook": _words(
        r"\bfuture\b",
        r"\bongoing\b",
        r"\bin conclusion\b",
        r"\bconclusion\b",
        r"\bhope\b",
        r"\badvance(s|ments?)?\b",
    ),
}


# Words that turn a harm into a benefit claim: "fewer side effects", "a lower risk".
_REDUCED = re.compile(
    r"\b(fewer|lower|less|reduced?|reduces|reducing|minimal|no|without|free of|lack of|"
    r"avoid|avoids|avoiding|eliminates?)\W+(\w+\W+){0,2}$",
    re.IGNORECASE,
)


def risk_weight(text: str) -> int:
    """How many harms a paragraph names as harms (not as something reduced or avoided)."""
    pattern = CONTENT_KEYWORDS["risks"]
    return sum(1 for match in pattern.finditer(text) if not _REDUCED.search(text[: match.start()]))


# The harms of the treatments people already take are background, not this article's risks.
_OTHER_TREATMENTS = re.compile(
    r"\b(traditional|conventional|standard|current|existing|usual)\s+(\w+\s+)?"
    r"(treatments?|drugs?|medications?|medicines?|therap(y|ies))\b|\b(corticosteroids|"
    r"immunosuppressants|biologics)\b",
    re.IGNORECASE,
)


def is_risks_text(text: str) -> bool:
    """A paragraph about harms, whatever heading it sits under: it belongs in risks (unless
    the harms are those of the treatments people already take)."""
    if _OTHER_TREATMENTS.search(text):
        return False
    weight = risk_weight(text)
    others = [n for kind, n in content_scores(text).items() if kind != "risks"]
    return weight >= 2 and weight > max(others, default=0)


def heading_type(heading: str) -> str | None:
    """The section type a heading announces, or None when its words say nothing."""
    return next((kind for kind, pattern in HEADING_RULES if pattern.search(heading)), None)


def content_scores(text: str) -> dict[str, int]:
    """How many keywords of each section type a paragraph contains."""
    return {kind: len(pattern.findall(text)) for kind, pattern in CONTENT_KEYWORDS.items()}


def content_type(text: str) -> str | None:
    """The section type a paragraph is about, if one type clearly leads; else None.

    A tie means the paragraph is about several things: guessing would hide it in the
    wrong section, so the caller reports it instead.
    """
    ranked = sorted(content_scores(text).items(), key=lambda item: item[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    return best if top > second else None
