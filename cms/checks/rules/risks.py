"""Rule 1: a substantive, sourced risks section that names concrete harms."""

from __future__ import annotations

from collections.abc import Iterator

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
        # A qualified one: "adverse events", "serious side effects", "allergic reactions".
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
            "Names no concrete harm (adverse events, complications, deaths, infections, "
            "what is unknown), whatever its length: filler and reassurance do not count.",
            waivable=False,
        ),
    ],
    flags=[
        "As with any treatment there are some risks, so ask your physician. Most people "
        "tolerate it well and there is nothing to fear [@x].",
    ],
    passes=[
        "3 of the 40 people died during follow-up [@wang2014].",
        "Rare or delayed harms cannot be ruled out [@wang2014].",
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
        c.label_ == "unknown_harm" or not nlp.flags(c, scarcity_negates=False).negated
        for c in claims
    )
