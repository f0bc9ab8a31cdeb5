"""Sentences analysed as language: spaCy tokens and lemmas, claim patterns, and ConText.

Each block of an article (a paragraph, a list item, the title…) becomes one spaCy
``Doc``: a rule-based English pipeline (tokenizer, lookup lemmatizer from
spacy-lookups-data, sentencizer) finds the phrases the rules care about with
token patterns over lemmas and word forms (``claims`` span group), then
medspaCy's ConText decides for each phrase whether the sentence negates it
(“no treatment can cure lupus yet”), doubts or supposes it (“whether it helps is
unclear”, “if it worked…”) or reports someone else saying it (“some clinics call
it a cure”).

Rule modules register their patterns with ``add_patterns`` when they are imported;
the pipeline is built once per process, on the first check (public delivery
workers never run checks, so they never load it), from every registered pattern.
No trained model is used: none is published on PyPI, and a statistical parser
would cost more than the whole check budget of an article.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import threading
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

CLAIMS = "claims"  # the span group holding every matched phrase
# ConText categories and the Span attribute each one sets.
NEGATED, UNCERTAIN, HYPOTHETICAL, ATTRIBUTED = (
    "NEGATED_EXISTENCE",
    "POSSIBLE_EXISTENCE",
    "HYPOTHETICAL",
    "ATTRIBUTED",
)
SCARCE = "SCARCE"  # "few", "rarely": negates a claim, not the naming of a harm
SPAN_FLAGS = {
    NEGATED: "is_negated",
    UNCERTAIN: "is_uncertain",
    HYPOTHETICAL: "is_hypothetical",
    ATTRIBUTED: "is_attributed",
    SCARCE: "is_scarce",
}

ABBREVIATIONS = ("al.", "approx.", "vs.", "fig.", "figs.", "ca.", "cf.", "resp.", "prof.", "ref.")

# Words a gap in a pattern may not cross: a negation must stay outside the phrase (so that
# ConText can see it), and a phrase does not run over a clause.
NEGATIONS = ("not", "n't", "never", "no", "cannot", "nothing", "none", "nor", "without")
_STOPS = (".", ";", ":", "!", "?", ",", "which", "but", "however")


def gap(most: int, *, commas: bool = False) -> dict[str, Any]:
    """Up to ``most`` tokens of the same clause, none of them a negation."""
    refused = [*NEGATIONS, *(s for s in _STOPS if not (commas and s == ","))]
    return {"OP": f"{{0,{most}}}", "LOWER": {"NOT_IN": refused}}


_PATTERNS: dict[str, list[list[dict[str, Any]]]] = {}
_LOCK = threading.Lock()


# Labels that only matter in some fields (say, harms in the risks section): other blocks
# are not searched for them.
_FIELDS: dict[str, frozenset[str]] = {}


def add_patterns(
    label: str, patterns: Iterable[list[dict[str, Any]]], *, fields: Iterable[str] = ()
) -> None:
    """Register spaCy ``Matcher`` token patterns whose matches become ``label`` spans;
    with ``fields`` (section types, "title"…), only blocks of those fields are searched."""
    if _pipeline.cache_info().currsize:
        raise RuntimeError("patterns must be registered before the first check")
    for pattern in patterns:
        _PATTERNS.setdefault(label, []).extend(_expand(pattern))
    if fields:
        _FIELDS[label] = frozenset(fields)


def _expand(pattern: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """The pattern, and without its first token when that token is optional: every pattern
    then has a required first token, which ``_triggers`` can index."""
    if not pattern:
        return []
    first, rest = pattern[0], pattern[1:]
    if first.get("OP") == "?":
        plain = {k: v for k, v in first.items() if k != "OP"}
        return _expand([plain, *rest]) + _expand(rest)
    return [pattern]


@dataclass(frozen=True)
class _Triggers:
    """When a label's patterns can match a sentence at all: cheap tests run first."""

    words: frozenset[str]  # a lower-case form or lemma that starts a pattern
    tags: frozenset[str]  # a word-class tag that starts one
    number: bool  # a pattern starts with a number
    title: bool  # a pattern starts with a capitalised word
    regexes: tuple[re.Pattern[str], ...]  # a pattern starts with a word like these


def _triggers(patterns: list[list[dict[str, Any]]]) -> _Triggers:
    words: set[str] = set()
    tags: set[str] = set()
    regexes: list[re.Pattern[str]] = []
    number = title = False
    for pattern in patterns:
        first = pattern[0]
        value = next((first[a] for a in ("LOWER", "LEMMA", "ORTH") if a in first), None)
        if first.get("IS_TITLE"):
            title = True
        elif first.get("LIKE_NUM"):
            number = True
        elif isinstance(first.get("TAG"), str):
            tags.add(first["TAG"])
        elif isinstance(value, str):
            words.add(value.lower())
        elif isinstance(value, dict) and "IN" in value:
            words.update(w.lower() for w in value["IN"])
        elif isinstance(value, dict) and "REGEX" in value:
            regexes.append(re.compile(value["REGEX"].strip("^$"), re.IGNORECASE))
        else:
            raise ValueError(f"a pattern must start with a word, a tag or a number: {first}")
    return _Triggers(frozenset(words), frozenset(tags), number, title, tuple(regexes))


# --- Word classes from the English lemma tables (spacy-lookups-data) -------------------


@functools.cache
def _lemma_index() -> dict[str, frozenset[str]]:
    """Words known to be adjectives, adverbs, nouns or verbs (WordNet, as spaCy ships it)."""
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_index.json.gz"
    with gzip.open(str(data), "rt", encoding="utf-8") as stream:
        return {pos: frozenset(words) for pos, words in json.load(stream).items()}


def known_verbs() -> frozenset[str]:
    """English verbs, as the lemma tables know them (they already hold word classes)."""
    return _lemma_index()["verb"]


@functools.cache
def _lemma_lookup() -> dict[str, str]:
    """Word form → lemma ("cured" → "cure", "mice" → "mouse"), spaCy's English lookup table."""
    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(str(data), "rt", encoding="utf-8") as stream:
        return json.load(stream)


@functools.cache
def english_words() -> frozenset[str]:
    """Every English word form the lemma tables know (about 120,000), and spaCy's English
    function words (the tables hold only nouns, verbs, adjectives and adverbs)."""
    from spacy.lang.en.stop_words import STOP_WORDS  # noqa: PLC0415 - with the tables

    lookup = _lemma_lookup()
    words = set(lookup) | set(lookup.values()) | set(STOP_WORDS)
    for forms in _lemma_index().values():
        words |= forms
    return frozenset(w.replace("_", " ") for w in words)


def is_adjective(word: str) -> bool:
    return word in _lemma_index()["adj"]


def is_gradable(word: str) -> bool:
    """An adjective or an adverb: what "-er" and "-est" grade ("safer", "sooner")."""
    index = _lemma_index()
    return word in index["adj"] or word in index["adv"]


# Superlatives and comparatives of size, frequency and time describe; they do not praise.
DESCRIPTIVE_GRADES = frozenset(
    [
        "large",
        "big",
        "small",
        "little",
        "long",
        "short",
        "high",
        "low",
        "old",
        "young",
        "new",
        "recent",
        "late",
        "early",
        "common",
        "frequent",
        "rare",
        "severe",
        "serious",
        "mild",
        "far",
        "near",
        "wide",
        "deep",
        "heavy",
        "light",
        "great",
        # Of effort, cost or harm: "the most intensive treatment" warns, it does not praise.
        "intensive",
        "invasive",
        "aggressive",
        "expensive",
        "costly",
        "toxic",
        "dangerous",
        "risky",
        "complex",
        "complicated",
        "difficult",
        "demanding",
        "intense",
        "painful",
        "uncomfortable",
        "studied",
        "used",
        "important",
        "likely",
        "unlikely",
    ]
)
_IRREGULAR_SUPERLATIVE = {"best": "good", "worst": "bad"}
_IRREGULAR_COMPARATIVE = {"better": "good", "worse": "bad"}


def _grade(lower: str, lemma: str, suffix: str, irregular: dict[str, str]) -> str | None:
    """The adjective a graded form comes from ("safest" → "safe"), or None."""
    if lower in irregular:
        return irregular[lower]
    if not lower.endswith(suffix) or len(lower) <= len(suffix) + 2:
        return None
    if lemma != lower and is_gradable(lemma) and lower.startswith(lemma[:3]):
        return lemma
    return None


# Word classes as token tags (no statistical tagger: the lemma tables decide). Patterns
# match a tag by equality, which spaCy's Matcher checks far faster than a Python predicate.
SUPERLATIVE = "JJS"  # an evaluative superlative: safest, best, most…
DESCRIPTIVE_SUPERLATIVE = "JJSD"  # of size, frequency or time: largest, most recent
COMPARATIVE = "JJR"  # safer, better, more, fewer…
ADJECTIVE = "JJ"


def word_class(lower: str, lemma: str) -> str:
    superlative = _grade(lower, lemma, "est", _IRREGULAR_SUPERLATIVE)
    if superlative is not None:
        return DESCRIPTIVE_SUPERLATIVE if superlative in DESCRIPTIVE_GRADES else SUPERLATIVE
    if lower in ("fewer", "less", "more") or _grade(lower, lemma, "er", _IRREGULAR_COMPARATIVE):
        return COMPARATIVE
    if is_adjective(lower) or is_adjective(lemma):
        return ADJECTIVE
    return "X"


# --- ConText rules: what negates, doubts, supposes or attributes a phrase -------------


def _rule(literal: str, category: str, direction: str = "FORWARD", **extra: Any) -> Any:
    from medspacy.context import ConTextRule  # noqa: PLC0415 - loaded with the pipeline

    return ConTextRule(literal, category, direction=direction, **extra)


def _lower(*words: str) -> list[dict[str, Any]]:
    return [{"LOWER": word} for word in words]


def _context_rules() -> list[Any]:
    rules = []
    forward_negations = [
        "no", "not", "n't", "never", "nor", "neither", "cannot", "none", "nothing", "nobody",
        "no one", "without", "lack of", "lacks", "absence of", "fails to", "failed to",
        "unable to", "far from", "rather than", "instead of", "there is no", "no evidence",
        "not yet", "has yet to", "have yet to", "is yet to", "are yet to", "refuted",
        "unproven", "disproved", "no longer believed",
    ]  # fmt: skip
    rules += [_rule(t, NEGATED, max_scope=12) for t in forward_negations]
    either_way = [
        "is not", "are not", "was not", "were not", "does not", "do not", "did not", "has not",
        "have not", "had not", "is no", "are no", "isn't", "aren't", "doesn't", "don't",
        "hasn't", "haven't", "wasn't", "weren't", "will not", "won't", "cannot be",
        "has not been shown", "have not been shown", "has never been shown", "never been",
    ]  # fmt: skip
    rules += [_rule(t, NEGATED, "BIDIRECTIONAL", max_scope=12) for t in either_way]
    backward_negations = [
        "is not true", "is false", "are false", "is a myth", "is misleading", "are misleading",
        "is untrue", "remains unproven", "is unproven", "are unproven", "lacks evidence",
        "is wrong", "are wrong", "is not the case", "which it is not", "which they are not",
        "which is not true", "is an exaggeration", "are exaggerated", "is exaggerated",
        # what a speaker calls a lie: "anyone promising a cure is lying", "… is nonsense"
        "is lying", "are lying", "is a lie", "are lies", "is nonsense", "is rubbish",
        "is bogus", "is fiction", "is a fantasy", "is a fairy tale", "are fairy tales",
    ]  # fmt: skip
    rules += [_rule(t, NEGATED, "BACKWARD", max_scope=20) for t in backward_negations]
    debunking = [
        "misunderstanding", "misconception", "myth that", "a myth", "mistaken belief",
        "false belief", "contrary to", "it is wrong to", "misleading to", "false hope",
        "false claim", "false claims", "beware of", "be wary of", "be suspicious of",
        "be wary about", "be suspicious about", "be cautious of", "be cautious about",
        "be careful of", "be sceptical of", "be skeptical of", "steer clear of",
        "red flag", "warning sign", "scam", "scams", "truth about", "the facts about",
        "myths about", "myths and facts", "fact or fiction", "hype about", "the hype",
        "the problem with", "debunked", "debunking",
    ]  # fmt: skip
    rules += [_rule(t, ATTRIBUTED, "FORWARD", max_scope=24) for t in debunking]
    uncertain = [
        "whether", "may", "might", "could", "possibly", "perhaps", "unclear", "uncertain",
        "not known", "unknown", "not clear", "too early to", "remains to be seen",
        "is being tested", "are being tested", "is being studied", "are being studied",
        "testing whether", "test whether", "investigate", "investigating", "studying whether",
        "hope", "hopes", "hoped", "hoping", "possible", "potential", "potentially", "aim to",
        "aims to", "aimed to", "in theory", "theoretically", "speculative", "question of",
        "what", "how", "ask", "asking", "find out",
    ]  # fmt: skip
    rules += [_rule(t, UNCERTAIN, "BIDIRECTIONAL", max_scope=10) for t in uncertain]
    hypothetical = [
        "if", "unless", "would", "in case", "to see if", "to find out", "to learn whether",
        "in order to", "in the future", "one day", "someday", "imagine", "suppose", "seek",
        "seeks", "seeking", "apply for", "applies for", "applying for", "awaiting", "awaits",
        "before it can", "before they can", "search for", "quest for", "hunt for",
        "hope for", "dream of",
    ]  # fmt: skip
    rules += [_rule(t, HYPOTHETICAL, max_scope=12) for t in hypothetical]
    # What is still far off: "a cure remains a distant goal", "is years away".
    distant = ["goal", "distant goal", "remains elusive", "remain elusive", "years away",
               "decades away", "far off", "a long way off", "still years away",
               "still decades away", "still a distant goal", "still far off"]  # fmt: skip
    rules += [_rule(t, HYPOTHETICAL, "BIDIRECTIONAL", max_scope=12) for t in distant]
    # What research still has to do ("trials are needed to show…"), not what patients need
    # ("people on the programme need fewer visits than…" is a claim).
    needed = [
        "are needed", "is needed", "would need", "are required", "is required", "required to",
        "should compare", "must compare", "trials comparing", "trials that compare",
        "studies comparing", "studies that compare", "compare it with", "designed to",
    ]  # fmt: skip
    rules += [_rule(t, HYPOTHETICAL, "BIDIRECTIONAL", max_scope=16) for t in needed]
    _research = ["trial", "study", "research", "evidence", "data", "work", "comparison",
                 "follow-up", "answer", "proof", "test", "experiment"]  # fmt: skip
    _verify = ["show", "test", "compare", "confirm", "prove", "establish", "know", "find",
               "learn", "see", "tell", "judge", "answer", "understand", "study",
               "check"]  # fmt: skip
    rules += [
        _rule("research … needed", HYPOTHETICAL, "BIDIRECTIONAL", max_scope=16,
              pattern=[{"LEMMA": {"IN": _research}}, {"OP": "{0,3}", "IS_PUNCT": False},
                       {"LEMMA": {"IN": ["need", "be"]}, "OP": "{0,2}"},
                       {"LOWER": {"IN": ["needed", "need", "needs", "required"]}}]),
        _rule("be … needed", HYPOTHETICAL, "BIDIRECTIONAL", max_scope=16,
              pattern=[{"LEMMA": "be"}, {"LOWER": {"IN": ["still", "urgently", "badly", "also",
                                                           "clearly", "first"]}, "OP": "?"},
                       {"LOWER": {"IN": ["needed", "required"]}}]),
        _rule("need to verify", HYPOTHETICAL, "BIDIRECTIONAL", max_scope=16,
              pattern=[{"LEMMA": "need"}, {"LOWER": "to"}, {"LOWER": "be", "OP": "?"},
                       {"LEMMA": {"IN": _verify}}]),
        _rule("needed to verify", HYPOTHETICAL, "BIDIRECTIONAL", max_scope=16,
              pattern=[{"LOWER": "needed"}, {"LOWER": "to"}, {"LEMMA": {"IN": _verify}}]),
    ]  # fmt: skip
    rules.append(_rule("may have", UNCERTAIN, "BIDIRECTIONAL", max_scope=10))
    attribution_verbs = (
        "claim", "claims", "claimed", "claiming", "promise", "promises", "advertise",
        "advertises", "advertised", "markets", "marketed as", "promote", "promotes",
        "promoted as", "sells", "sold as", "call it", "calls it", "called it", "describe it",
        "describes it", "described as", "tout", "touts", "touted", "boast", "boasts",
        "allege", "alleges", "alleged", "purport", "purports", "purported", "so-called",
        "branded as", "hyped", "billed as", "presented as", "say", "says", "said",
        "credits", "credited",
    )  # fmt: skip
    rules += [_rule(t, ATTRIBUTED, "BIDIRECTIONAL", max_scope=12) for t in attribution_verbs]
    # "describe the response as a cure", "call the cells a miracle", "label it a breakthrough"
    # One pattern for all the verbs: ConText's matcher tries each pattern at every token.
    framing = ["describe", "present", "advertise", "market", "sell", "promote", "hail", "label",
               "tout", "brand", "bill", "pitch", "portray", "depict", "see", "view", "regard",
               "treat", "dismiss", "frame", "paint"]  # fmt: skip
    rules.append(
        _rule(
            "describe … as",
            ATTRIBUTED,
            "FORWARD",
            pattern=[{"LEMMA": {"IN": framing}}, {"OP": "{0,4}", "LOWER": {"NOT_IN": [".", ";"]}},
                     {"LOWER": "as"}],
            max_scope=8,
        )
    )  # fmt: skip
    # "Researchers called the result a breakthrough", "the press dubbed it a miracle": a name
    # someone gave it (past or third person: "call your doctor a…" is no naming).
    rules.append(
        _rule(
            "called … a",
            ATTRIBUTED,
            "FORWARD",
            pattern=[{"LOWER": {"IN": ["called", "calls", "dubbed", "dubs", "termed", "terms",
                                       "labelled", "labeled", "labels", "nicknamed"]}},
                     {"OP": "{0,4}", "LOWER": {"NOT_IN": [".", ";", ",", "a", "an"]}},
                     {"LOWER": {"IN": ["a", "an"]}}],
            max_scope=6,
        )
    )  # fmt: skip
    attributors = [
        "some websites", "some clinics", "clinics", "websites", "advertisements", "adverts",
        "ads", "marketing", "social media", "headlines", "some sellers", "sellers",
        "according to the clinic", "according to clinics", "testimonials",
    ]  # fmt: skip
    rules += [_rule(t, ATTRIBUTED, "FORWARD", max_scope=30) for t in attributors]
    # Words that look like modifiers but are not ("not only", "no doubt").
    pseudo = [
        "not only", "not just", "no doubt", "without doubt", "no wonder", "not least",
        "nothing short of", "no more than", "if not", "whether or not",
        "could not be", "can not only", "not to mention", "cannot be overstated",
    ]  # fmt: skip
    rules += [_rule(t, "PSEUDO", "PSEUDO") for t in pseudo]
    # "what" that asks nothing: a level named ("half what they were") and a cleft that
    # introduces a finding ("what they found was…", "what the study showed is…").
    level = ["what they were", "what it was", "what they had been", "what it had been",
             "what it used to be", "what they used to be"]  # fmt: skip
    rules += [_rule(t, "PSEUDO", "PSEUDO") for t in level]
    rules.append(
        _rule("what … found was", "PSEUDO", "PSEUDO",
              pattern=[{"LOWER": "what"}, {"OP": "{1,3}", "IS_PUNCT": False,
                                           "LOWER": {"NOT_IN": ["if", "whether", "not", "n't"]}},
                       {"LOWER": {"IN": ["found", "showed", "shown", "saw", "seen", "observed",
                                         "reported", "happened", "measured", "noticed"]}},
                       {"LOWER": {"IN": ["was", "is", "were", "are"]}}])
    )  # fmt: skip
    # Scarcity denies what follows as a general claim: "few people are free of symptoms",
    # "doctors rarely call it a cure".
    scarce = ["few people", "few patients", "few participants", "few of", "very few",
              "hardly any", "hardly anyone", "rarely", "seldom", "barely", "scarcely"]  # fmt: skip
    rules += [_rule(t, SCARCE, max_scope=10) for t in scarce]
    # "Few trials have confirmed it": "few" opening a sentence (not "a few").
    rules.append(_rule("few (first)", SCARCE, max_scope=10,
                       pattern=[{"LOWER": "few", "IS_SENT_START": True}]))  # fmt: skip
    # …and so does a scarcity said after the phrase: "complete resolution was rare".
    rare = ["was rare", "were rare", "is rare", "are rare", "was uncommon", "were uncommon",
            "is uncommon", "are uncommon", "was unusual", "were unusual"]  # fmt: skip
    rules += [_rule(t, SCARCE, "BACKWARD", max_scope=10) for t in rare]
    # "nothing but a memory" affirms what follows; it negates nothing.
    rules.append(_rule("nothing but", "PSEUDO", "PSEUDO"))

    terminations = [
        "but", "however", "although", "though", "yet", "whereas", "while", "which", "still",
        "nevertheless", "nonetheless", "instead", ";", ":", "except", "apart from",
    ]  # fmt: skip
    rules += [_rule(t, "TERMINATE", "TERMINATE") for t in terminations]
    return rules


# --- The pipeline ---------------------------------------------------------------------


def _register_extensions() -> None:
    from spacy.tokens import Span  # noqa: PLC0415 - spaCy loads on the first check

    for attr in SPAN_FLAGS.values():
        if not Span.has_extension(attr):
            Span.set_extension(attr, default=False)


class _Lemmatizer:
    """Lemmas from the lookup table, by lower-case form ("Cured" at a sentence start too),
    and word classes as tags (``word_class``)."""

    def __init__(self) -> None:
        self.table = _lemma_lookup()
        # By the lower-case form's id: the ids of its lemma and its tag (setting ids, not
        # strings, spares hashing the same strings again at every token).
        self.known: dict[int, tuple[int, int]] = {}

    def __call__(self, doc: Any) -> Any:
        known = self.known
        for token in doc:
            entry = known.get(token.lower)
            if entry is None:
                lower = token.lower_
                lemma = self.table.get(lower, lower)
                strings = doc.vocab.strings
                entry = (strings.add(lemma), strings.add(word_class(lower, lemma)))
                known[token.lower] = entry
            token.lemma, token.tag = entry
        return doc


# --- Token patterns ----------------------------------------------------------------------
#
# Patterns use spaCy's Matcher syntax (a list of token specs: LOWER, LEMMA, ORTH, TAG with an
# exact value or IN / NOT_IN / REGEX, IS_PUNCT, IS_TITLE, LIKE_NUM, IS_SENT_START, IS_CLAUSE_START
# (the first word after a comma, colon or dash too), and OP
# "?", "*", "+" or "{m,n}"). spaCy's own Matcher tries every pattern at every token: with
# the ~650 patterns of the rules that alone costs 30 ms on a 2,000-word article. Indexed by
# their first word, as here, the same patterns cost about 2 ms; matches never cross a
# sentence boundary.

# A test of the token at a position: (the sentence's rows of ``_FORMS`` ids, the Doc, the
# position). Words are compared by their ids in the string store, so that no Token object is
# made and no string read for the tokens a pattern only looks at.
_Predicate = Callable[[list[list[int]], Any, int], bool]


def _value_test(attr: str, spec: Any, strings: Any) -> _Predicate:
    column = _FORMS.index(attr.lower())
    if isinstance(spec, str):
        wanted = strings.add(spec)
        return lambda rows, _doc, i: rows[i][column] == wanted
    tests: list[_Predicate] = []
    if "IN" in spec:
        allowed = frozenset(strings.add(word) for word in spec["IN"])
        tests.append(lambda rows, _doc, i: rows[i][column] in allowed)
    if "NOT_IN" in spec:
        refused = frozenset(strings.add(word) for word in spec["NOT_IN"])
        tests.append(lambda rows, _doc, i: rows[i][column] not in refused)
    if "REGEX" in spec:
        regex = re.compile(spec["REGEX"])
        tests.append(lambda rows, _doc, i: regex.search(strings[rows[i][column]]) is not None)
    return _all(tests)


def _all(tests: list[_Predicate]) -> _Predicate:
    """One predicate for several (a single test stays itself: this runs at every token)."""
    if len(tests) == 1:
        return tests[0]
    if len(tests) == 2:
        first, second = tests
        return lambda rows, doc, i: first(rows, doc, i) and second(rows, doc, i)
    return lambda rows, doc, i: all(test(rows, doc, i) for test in tests)


def _flag_test(attr: str, value: Any) -> _Predicate:
    column = _FORMS.index(attr.lower())
    return lambda rows, _doc, i: bool(rows[i][column]) == value


def _token_test(spec: dict[str, Any], strings: Any) -> _Predicate:
    tests: list[_Predicate] = []
    for key, value in spec.items():
        if key in ("LOWER", "LEMMA", "ORTH", "TAG"):
            tests.append(_value_test(key, value, strings))
        elif key in ("IS_PUNCT", "IS_TITLE", "LIKE_NUM"):
            tests.append(_flag_test(key, value))
        elif key == "IS_SENT_START":
            tests.append(lambda _rows, doc, i, v=value: bool(doc[i].is_sent_start) == v)
        elif key == "IS_CLAUSE_START":
            tests.append(lambda _rows, doc, i, v=value: clause_start(doc[i]) == v)
        elif key != "OP":
            raise ValueError(f"unsupported token attribute in a pattern: {key}")
    return _all(tests) if tests else (lambda _rows, _doc, _i: True)


_CLAUSE_MARKS = frozenset({",", ";", ":", "—", "–", "(", "then"})


def clause_start(token: Any) -> bool:
    """The first word of a sentence or of a clause after a comma, a colon or a dash."""
    return bool(token.is_sent_start) or (
        token.i > 0 and token.doc[token.i - 1].lower_ in _CLAUSE_MARKS
    )


def _bounds(op: str | None) -> tuple[int, int]:
    if op is None:
        return 1, 1
    fixed = {"?": (0, 1), "*": (0, 1_000), "+": (1, 1_000), "!": (0, 0)}
    if op in fixed:
        return fixed[op]
    low, high = op.strip("{}").split(",")
    return int(low or 0), int(high) if high else 1_000


@dataclass(frozen=True)
class _Pattern:
    label: str
    label_id: int  # the label's id in the vocabulary's string store
    steps: tuple[tuple[_Predicate, int, int], ...]  # (test, at least, at most)
    # A cheap first look at the second token, when it is a required word: most candidate
    # starts ("the …", "a …", a number) fail here without running the full match. As
    # (column of ``_FORMS``, ids of the words in the vocabulary's string store).
    second: tuple[int, frozenset[int]] | None = None
    # Words the sentence must contain somewhere (one of each set) for the pattern to match
    # (their ids, as the forms of the sentence's tokens are compared by id).
    needs: tuple[frozenset[int], ...] = ()
    # The fields (section types, "title"…) whose blocks it is searched in; None for all.
    only: frozenset[str] | None = None
    # The first step's test when it depends on the word alone (not on where it stands): it
    # then runs once per word, when candidates are cached, not at every occurrence.
    word_test: _Predicate | None = None

    def longest(self, rows: list[list[int]], doc: Any, start: int, stop: int) -> int:
        """The furthest position where the pattern, begun at ``start``, can end (before
        ``stop``), or ``start`` when it cannot match there."""
        return max(self._longest(rows, doc, 0, start, stop), start)

    def _longest(self, rows: list[list[int]], doc: Any, step: int, position: int, stop: int) -> int:
        """The furthest end of the steps from ``step`` on, begun at ``position``; -1 if none.
        (Every way through the steps is tried: a shorter first step can end further.)"""
        steps = self.steps
        if step == len(steps):
            return position
        test, least, most = steps[step]
        count = 0
        while count < least:
            if position + count >= stop or not test(rows, doc, position + count):
                return -1
            count += 1
        furthest = self._longest(rows, doc, step + 1, position + count, stop)
        while count < most and position + count < stop and test(rows, doc, position + count):
            count += 1
            furthest = max(furthest, self._longest(rows, doc, step + 1, position + count, stop))
        return furthest


# The forms of a token the matcher reads by id, in this order (``Doc.to_array`` columns): its
# words first (a sentence's words are the first three), then its word class and flags.
_FORMS = ("orth", "lower", "lemma", "tag", "is_punct", "is_title", "like_num")


def _compile(label: str, pattern: list[dict[str, Any]], strings: Any) -> _Pattern:
    steps = tuple((_token_test(s, strings), *_bounds(s.get("OP"))) for s in pattern)
    second = None
    if len(pattern) > 1 and steps[1][1] >= 1 and steps[0][1:] == (1, 1):
        spec = pattern[1]
        words = _first_words(spec)
        if words is not None and set(spec) <= {"LOWER", "ORTH", "LEMMA"}:
            second = (_FORMS.index(words[0]), frozenset(strings.add(w) for w in words[1]))
    needs = []
    for spec, (_test, least, _most) in zip(pattern[1:], steps[1:], strict=True):
        words = _first_words(spec)
        if least >= 1 and words is not None:
            needs.append(frozenset(strings.add(w) for w in words[1]))
    contextual = {"IS_SENT_START", "IS_CLAUSE_START"} & set(pattern[0])
    word_test = None if contextual else steps[0][0]
    return _Pattern(
        label, strings.add(label), steps, second, tuple(needs), _FIELDS.get(label), word_test
    )


def _first_words(spec: dict[str, Any]) -> tuple[str, list[str]] | None:
    """How to index a pattern by its first token: (attribute, words), when it is lexical."""
    for attr, key in (("LOWER", "lower"), ("ORTH", "orth"), ("LEMMA", "lemma")):
        value = spec.get(attr)
        if isinstance(value, str):
            return key, [value]
        if isinstance(value, dict) and "IN" in value:
            return key, list(value["IN"])
    return None


class _ClaimMatcher:
    """A pipeline component: every registered pattern's matches, in the ``claims`` group."""

    def __init__(self, vocab: Any) -> None:
        from spacy.tokens import Span  # noqa: PLC0415 - loaded with spaCy

        self.attrs = [name.upper() for name in _FORMS]
        self.span = Span
        self.by_form: dict[tuple[str, str], list[_Pattern]] = {}
        self.by_tag: dict[str, list[_Pattern]] = {}
        self.numbers: list[_Pattern] = []  # patterns led by a number
        self.titles: list[_Pattern] = []  # … by a capitalised word
        self.regexes: list[_Pattern] = []  # … by a word matching a regular expression
        self.cache: dict[tuple[int, int, int, str | None], tuple[_Pattern, ...]] = {}
        for label, patterns in _PATTERNS.items():
            for pattern in patterns:
                self._index(pattern[0], _compile(label, pattern, vocab.strings))

    def _index(self, first: dict[str, Any], compiled: _Pattern) -> None:
        words = _first_words(first)
        if words is not None:
            key, forms = words
            for form in forms:
                self.by_form.setdefault((key, form), []).append(compiled)
        elif isinstance(first.get("TAG"), str):
            self.by_tag.setdefault(first["TAG"], []).append(compiled)
        elif first.get("LIKE_NUM"):
            self.numbers.append(compiled)
        elif first.get("IS_TITLE"):
            self.titles.append(compiled)
        else:
            self.regexes.append(compiled)

    def _candidates(
        self, rows: list[list[int]], doc: Any, position: int, field: str | None
    ) -> tuple[_Pattern, ...]:
        """The patterns that may start at a token in a field (cached by the token's word and
        class, and the field)."""
        orth, _lower, lemma, tag = rows[position][:4]
        key = (orth, lemma, tag, field)  # the strings' ids: no lookup
        found = self.cache.get(key)
        if found is None:
            token = doc[position]
            get = self.by_form.get
            candidates: list[_Pattern] = []
            for form in (("lower", token.lower_), ("orth", token.orth_), ("lemma", token.lemma_)):
                candidates += get(form, ())
            candidates += self.by_tag.get(token.tag_, ())
            if token.like_num:
                candidates += self.numbers
            if token.is_title:
                candidates += self.titles
            candidates += self.regexes
            found = tuple(
                p
                for p in dict.fromkeys(candidates)
                if (p.only is None or field is None or field in p.only)
                and (p.word_test is None or p.word_test(rows, doc, position))
            )
            if len(self.cache) < 200_000:
                self.cache[key] = found
        return found

    def __call__(self, doc: Any) -> Any:
        matches = []  # (label id, start, end, label): a Span is made only for those kept
        field = doc.user_data.get("field")
        # Each token's forms (``_FORMS``) as string ids and flags, read in one call: comparing
        # ids spares making a Token and a Python string of every form of every token.
        forms = doc.to_array(self.attrs).tolist()
        cache = self.cache
        # analyse() makes each sentence a Doc of its own: no need to look for sentences in it.
        if doc.user_data.get("sentence"):
            sentences = [(0, len(doc))]
        else:
            sentences = [(sentence.start, sentence.end) for sentence in doc.sents]
        for begin, stop in sentences:
            present = None  # the ids of the sentence's words, when a pattern needs them
            for position in range(begin, stop):
                row = forms[position]
                found = cache.get((row[0], row[2], row[3], field))
                if found is None:
                    found = self._candidates(forms, doc, position, field)
                for pattern in found:
                    second = pattern.second
                    if second is not None and (
                        position + 1 >= stop or forms[position + 1][second[0]] not in second[1]
                    ):
                        continue
                    if pattern.needs:
                        if present is None:
                            present = {word for each in forms[begin:stop] for word in each[:3]}
                        if not _has_all(present, pattern.needs):
                            continue
                    longest = pattern.longest(forms, doc, position, stop)
                    if longest > position:
                        matches.append((pattern.label_id, position, longest, pattern.label))
        doc.spans[CLAIMS] = [
            self.span(doc, start, end, label=label)
            for _id, start, end, label in _longest_per_label(matches)
        ]
        return doc


def _has_all(present: set[int], needs: tuple[frozenset[int], ...]) -> bool:
    """Whether a sentence holds one word of each set (a loop: this runs for every candidate,
    where a generator costs more than the test)."""
    for words in needs:  # noqa: SIM110
        if present.isdisjoint(words):
            return False
    return True


@functools.cache
def _register_components() -> None:
    from spacy.language import Language  # noqa: PLC0415 - spaCy loads on the first check

    Language.factory("cms_claims", func=lambda nlp, name: _ClaimMatcher(nlp.vocab))
    Language.factory("cms_lemmas", func=lambda nlp, name: _Lemmatizer())
    _register_extensions()


# Languages whose claims the patterns read; other locales get sentences only, and the
# rules that judge meaning (claims, hollow risks…) stay silent rather than guess.
UNDERSTOOD = frozenset({"en"})


def understands(language: str) -> bool:
    return language in UNDERSTOOD


@functools.cache
def _pipeline(language: str) -> Any:
    """The pipeline for a language, built once per process (the first check pays ~1.5 s)."""
    # Imported here, not at the top: only a process that checks content pays for spaCy.
    import medspacy.context  # noqa: F401, PLC0415 - registers the medspacy_context factory
    import spacy  # noqa: PLC0415

    _register_components()
    try:
        nlp = spacy.blank(language)
    except ImportError:  # a language spaCy has no tokenizer rules for
        nlp = spacy.blank("xx")
    if language == "en":
        nlp.add_pipe("cms_lemmas")
        # Abbreviations of scientific writing that must not end a sentence.
        for abbreviation in ABBREVIATIONS:
            for form in {abbreviation, abbreviation.capitalize()}:
                nlp.tokenizer.add_special_case(form, [{"ORTH": form}])
    nlp.add_pipe("sentencizer")
    if not understands(language):
        return nlp  # the claim patterns are English: other locales get sentences only
    nlp.add_pipe("cms_claims")
    context = nlp.add_pipe(
        "medspacy_context",
        config={
            "rules": None,
            "input_span_type": "group",
            "span_group_name": CLAIMS,
            "span_attrs": {category: {attr: True} for category, attr in SPAN_FLAGS.items()},
            "prune_on_target_overlap": False,
        },
    )
    context.add(_context_rules())
    return nlp


_Match = tuple[int, int, int, str]  # (label id, start, end, label)


def _longest_per_label(matches: Sequence[_Match]) -> list[_Match]:
    """Overlapping matches of one label collapse to the longest (first on ties)."""
    kept: list[_Match] = []
    for match in sorted(matches, key=lambda m: (m[0], m[1], m[1] - m[2])):
        last = kept[-1] if kept else None
        if last is not None and last[0] == match[0] and match[1] < last[2]:
            continue
        kept.append(match)
    return sorted(kept, key=lambda m: (m[1], m[2]))


@dataclass(frozen=True, slots=True)
class Analysed:
    """One sentence of a block: where it is in the block's text, and its analysed Doc."""

    start: int
    end: int
    doc: Any
    text: str = ""  # the sentence's text (the Doc's, without joining its tokens again)


def analyse(
    texts: Sequence[str], language: str, fields: Sequence[str | None] | None = None
) -> list[list[Analysed]]:
    """Each text split into sentences, each sentence analysed as its own ``Doc``: lemmas,
    word classes, claim spans and, when it has a claim, ConText's reading of them.

    A sentence is ConText's scope, so a negation never reaches into the next sentence.
    ``fields`` says where each text stands (a section type, "title"…), for labels that
    only matter in some fields.
    """
    with _LOCK:
        nlp = _pipeline(language)
        sentencizer = nlp.get_pipe("sentencizer")
        rest = [(n, p) for n, p in nlp.pipeline if n != "sentencizer"]
        found = []
        with warnings.catch_warnings():
            # medspaCy's matchers warn when a kind of rule (say, regular expressions) is unused.
            warnings.filterwarnings("ignore", message=r"\[W036\]", category=UserWarning)
            for number, text in enumerate(texts):
                field = fields[number] if fields is not None else None
                block = nlp.make_doc(text)
                sentences = []
                for start, end in _sentence_bounds(block, sentencizer):
                    if not text[start:end].strip():
                        continue
                    # A block of one sentence is that sentence's Doc: not tokenized again.
                    whole = start == 0 and end == len(text)
                    doc = block if whole else nlp.make_doc(text[start:end])
                    doc.user_data["field"] = field
                    doc.user_data["sentence"] = True
                    # One sentence, ConText's scope: the first token starts it (as in any
                    # Doc) and marking the second as not starting one sets the boundaries
                    # of them all (~6 ms an article less than marking every token).
                    if len(doc) > 1:
                        doc[1].is_sent_start = False
                    for name, component in rest:
                        if name == "medspacy_context" and not doc.spans.get(CLAIMS):
                            continue
                        doc = component(doc)
                    sentences.append(Analysed(start, end, doc, text[start:end]))
                found.append(sentences)
        return found


def _sentence_bounds(block: Any, sentencizer: Any) -> list[tuple[int, int]]:
    """Where the sentencizer's sentences of a block start and end (characters), read from its
    predictions: the block itself is left unmarked, and no span is made."""
    [guesses] = sentencizer.predict([block])
    starts = [i for i, starts_one in enumerate(guesses) if starts_one]
    bounds = []
    for number, begin in enumerate(starts):
        last = block[starts[number + 1] - 1 if number + 1 < len(starts) else len(block) - 1]
        bounds.append((block[begin].idx, last.idx + len(last)))
    return bounds


@dataclass(frozen=True, slots=True)
class Flags:
    negated: bool
    uncertain: bool
    hypothetical: bool
    attributed: bool

    @property
    def asserted(self) -> bool:
        """Said by the article itself, as a fact: not negated, doubted, supposed or reported."""
        return not (self.negated or self.uncertain or self.hypothetical or self.attributed)


def flags(span: Any, *, doubts_after: bool = True, scarcity_negates: bool = True) -> Flags:
    """How the sentence holds a phrase, from ConText's modifiers of it. A modifier inside
    the phrase itself (the "no" of "no side effects") is part of what it says, not a
    negation of it. Without ``doubts_after``, a doubt or a supposition that comes after
    the phrase does not count, nor a scarcity ("experts say side effects are rare": the
    rarity is what they say), for phrases that introduce what follows. Without
    ``scarcity_negates``, "rarely" and "few" leave a phrase standing ("serious infections
    rarely happen" still names a harm)."""
    found = set()
    for modifier in span._.modifiers:
        start, end = modifier.modifier_span
        later = start >= span.end
        if later and not doubts_after and modifier.category in (UNCERTAIN, HYPOTHETICAL, SCARCE):
            continue
        if end <= span.start or later:
            found.add(modifier.category)
    if _negated_just_before(span):
        found.add(NEGATED)
    if asks(span.doc):
        found.add(UNCERTAIN)  # "Can stem cells cure diabetes?" asks; it asserts nothing
    negated = NEGATED in found or (scarcity_negates and SCARCE in found)
    return Flags(negated, UNCERTAIN in found, HYPOTHETICAL in found, ATTRIBUTED in found)


def asks(doc: Any) -> bool:
    """A question: the sentence (its own Doc) ends with a question mark, closing quotes and
    brackets aside."""
    for token in reversed(doc):
        if token.text in ("”", '"', "’", "'", ")", "]") or token.is_space:
            continue
        return token.text.endswith("?")
    return False


_DEGREE = frozenset({"entirely", "completely", "totally", "wholly", "always", "quite", "fully",
                     "necessarily", "altogether", "be", "is", "are", "was", "were"})  # fmt: skip


def _negated_just_before(span: Any) -> bool:
    """A negation right before the phrase, past words of degree: "not (entirely) without
    risk", "never completely safe". ConText leaves these out when the phrase itself starts
    with a negation of its own ("without", "no")."""
    position = span.start - 1
    while position >= 0 and span.doc[position].lower_ in _DEGREE:
        position -= 1
    return position >= 0 and span.doc[position].lower_ in NEGATIONS
