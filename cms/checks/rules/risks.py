"""Rule 1: a substantive, sourced risks section that names concrete harms."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cms.articles.citations import cited_ids
from cms.checks import nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.lexicon import HARM_QUALIFIERS, HARMS
from cms.checks.text import ArticleText
from cms.validation import pointer

MIN_WORDS = 40
# Words that name a kind of harm, not a harm: "complications are a possibility with any
# procedure" says nothing of what can go wrong, unless qualified ("serious complications").
_GENERIC = frozenset({"event", "events", "effect", "effects", "harm", "harms", "loss", "reaction",
                      "complication", "complications"})  # fmt: skip

nlp.add_patterns(
    "harm",
    [
        # A named harm: "infections", "3 deaths", "tumour formation"...
        [{"LEMMA": {"IN": sorted(HARMS - _GENERIC)}}],
        # A qualified one: "serious side effects", "allergic reactions"; "adverse events" alone
        # names only the kind (see _KIND_ONLY).
        [{"LOWER": {"IN": sorted(HARM_QUALIFIERS | {"allergic"})}},
         {"OP": "?", "LOWER": "side"}, {"LEMMA": {"IN": sorted(_GENERIC)}}],
        [{"LOWER": "side"}, {"ORTH": "-", "OP": "?"}, {"LEMMA": "effect"},
         {"LOWER": {"IN": ["such", "including", "like", "of", "include", ":"]}}],
        [{"LOWER": "hair"}, {"LOWER": "loss"}],
        # complications counted: "complications in 12 of 50 people", "3 complications"
        [{"LEMMA": "complication"}, nlp.gap(6), {"LIKE_NUM": True}],
        [{"LIKE_NUM": True}, nlp.gap(6), {"LEMMA": "complication"}],
        [{"LOWER": {"IN": ["loss", "lost"]}}, {"LOWER": "of"}, {"OP": "?"},
         {"LOWER": {"IN": ["fertility", "sight", "vision", "life", "function"]}}],
    ],
    fields=["risks"],
)  # fmt: skip
# What is not yet known about safety is itself a harm a reader must be told.
nlp.add_patterns(
    "unknown_harm",
    [
        [{"LOWER": {"IN": ["unknown", "uncertain", "unclear"]}}],
        [{"LOWER": "not"}, {"OP": "?"}, {"LOWER": {"IN": ["known", "clear", "understood"]}}],
        [{"LEMMA": {"IN": ["can", "could"]}}, {"LOWER": {"IN": ["not", "n't"]}, "OP": "?"},
         {"LOWER": "be"}, {"LOWER": "ruled"}, {"LOWER": "out"}],
        [{"LOWER": "cannot"}, {"LOWER": "be"}, {"LOWER": "ruled"}, {"LOWER": "out"}],
        # "the trials were too short to rule them out"
        [{"LEMMA": "rule"}, {"LOWER": {"IN": ["them", "it", "this", "these", "that", "those"]}},
         {"LOWER": "out"}],
        [{"LOWER": "little"}, {"LOWER": "is"}, {"LOWER": "known"}],
        [{"LOWER": {"IN": ["no", "few", "limited"]}}, {"LOWER": "long"}, {"ORTH": "-", "OP": "?"},
         {"LOWER": "term"}, {"LOWER": {"IN": ["data", "follow", "studies", "safety"]}}],
        [{"LOWER": "not"}, {"LOWER": "been"}, {"LOWER": {"IN": ["studied", "tested"]}}],
    ],
    fields=["risks"],
)  # fmt: skip


@rule(
    "risks-section",
    title="Risks section present, substantive, sourced and concrete",
    why="NHS Standard for creating health content; PIF TICK: balanced information on "
    "harms; FTC: serious risks disclosed clearly. Reassurance (“most people tolerate it "
    "well”, “ask your physician”) tells a reader nothing about what can go wrong.",
    codes=[
        Code("risks.missing", "error", "No risks section.", waivable=False),
        Code("risks.too_short", "error", f"Fewer than {MIN_WORDS} words.", waivable=False),
        Code("risks.unsourced", "error", "Cites no reference.", waivable=False),
        Code(
            "risks.hollow",
            "error",
            "Names no concrete harm (complications, deaths, infections, adverse events "
            "counted or described, what is unknown), whatever its length: filler, "
            "reassurance and harms made light of (“a slight fever”, “the risk of infection "
            "is minimal”) do not count.",
            waivable=False,
        ),
    ],
    flags=[
        "As with any treatment there are some risks, so ask your physician. Most people "
        "tolerate it well and there is nothing to fear [@x].",
        "Adverse events are rare. A few patients have a slight fever, and the risk of "
        "infection is kept to a minimum [@x].",
    ],
    passes=[
        "3 of the 40 people died during follow-up [@wang2014].",
        "Rare or delayed harms cannot be ruled out [@wang2014].",
        "Serious adverse events occurred in 3 of 40 people [@wang2014].",
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
    if nlp.understands(text.language) and not any(
        _names_a_harm(sentence) for sentence in text.sentences if sentence.pointer == body
    ):
        yield Finding(
            "risks.hollow",
            Severity.ERROR,
            body,
            "The risks section names no concrete harm: say what can go wrong (adverse events, "
            "complications, deaths, infections) and what is not known, with sources.",
        )


def _names_a_harm(sentence: object) -> bool:
    claims = sentence.claims("harm", "unknown_harm")  # type: ignore[attr-defined]
    return any(
        c.label_ == "unknown_harm"
        or not (nlp.flags(c, scarcity_negates=False).negated or _played_down(c))
        for c in claims
    )


# "Adverse events are rare", "the literature on adverse effects is reassuring": the kind of
# harm, named without saying which; "serious adverse events" or "adverse events in 3 of 40"
# say more, and so do harms listed after it ("adverse effects such as…"), each on its own.
_KIND_ONLY = frozenset({"adverse"})
# ...unless measured against a control: "adverse events were similar with placebo".
_COMPARED = frozenset({"placebo", "control", "controls", "similar", "compared", "groups",
                       "sham", "than"})  # fmt: skip
# A harm made light of where it is named: "slight fever", "a mild pain", "the risk of
# infection is at a minimum level", "complications are practically excluded".
_SLIGHT = frozenset({"slight", "mild", "minor", "minimal", "trivial", "negligible", "transient",
                     "passing", "fleeting", "insignificant", "little"})  # fmt: skip
_AT_A_MINIMUM = frozenset({"minimal", "minimum", "negligible", "nil", "excluded", "zero",
                           "non-existent", "nonexistent", "insignificant"})  # fmt: skip


def _played_down(claim: Any) -> bool:
    doc = claim.doc
    words = [t.lower_ for t in claim]
    if words[0] in _KIND_ONLY and len(words) <= 3:
        following = doc[claim.end : claim.end + 8]
        compared = any(t.lower_ in _COMPARED for t in claim.sent)
        if not compared and not any(t.like_num for t in following):
            return True
    before = doc[max(claim.start - 2, claim.sent.start) : claim.start]
    if any(t.lower_ in _SLIGHT for t in before):
        return True
    sentence = claim.sent
    risk_of = any(
        t.lemma_ in ("risk", "chance", "likelihood") and doc[t.i + 1].lower_ == "of"
        for t in doc[max(claim.start - 6, sentence.start) : claim.start]
        if t.i + 1 < len(doc)
    )
    return risk_of and any(t.lower_ in _AT_A_MINIMUM for t in sentence)
