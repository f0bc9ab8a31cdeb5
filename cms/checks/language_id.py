"""Finding text that is not in an article's language, with lingua.

lingua (lingua-language-detector) is built for short and mixed-language text and
runs offline; its models load once per process, on first use (about 1.5 s and
180 MB for the languages below). It classifies each word; words are grouped into
spans so that “Zum Beispiel,” is one German phrase and a Chinese run one span.
Proper nouns (capitalised inside a sentence), acronyms and numbers are skipped,
so “Müller” or “HSCT” are never foreign.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from cms.articles.citations import MARKER_RE

# The languages lingua tells apart here: the locales we publish in, and the usual
# sources of machine-translation debris.
LANGUAGES = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.CHINESE, Language.JAPANESE, Language.KOREAN,
    Language.RUSSIAN, Language.ARABIC,
)  # fmt: skip
WORD_THRESHOLD = 0.80  # a word is foreign when another language is at least this likely…
OWN_LANGUAGE_CEILING = 0.05  # …and the article's own language is at most this likely
JOIN_THRESHOLD = 0.40  # a neighbour joins a foreign span if it leans the same way
SENTENCE_SHARE = 0.5  # a sentence is foreign when half its words are
MIN_SENTENCE_WORDS = 3
CONFIDENT_SENTENCE_WORDS = 6  # from here lingua judges a whole sentence reliably

_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
NON_LATIN_LOCALES = frozenset(
    {Language.CHINESE, Language.JAPANESE, Language.KOREAN, Language.RUSSIAN, Language.ARABIC}
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_GAP = re.compile(r"^[\s,;:·、，。；：()\"'“”‘’\-–—]*$")


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    language: str  # e.g. "German"
    words: int


@dataclass(frozen=True, slots=True)
class Verdict:
    sentence_language: str | None  # set when the whole sentence is in another language
    spans: tuple[Span, ...]


@functools.cache
def detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def language_for(code: str) -> Language | None:
    try:
        language = Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except AttributeError:
        return None
    return language if language in LANGUAGES else None


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ")[0] if name else ""


def _latin(word: str) -> bool:
    return all(_script(c) == "LATIN" for c in word if c.isalpha())


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    strong: Language | None  # confidently another language
    leaning: Language | None  # most likely language, even if not certain
    protected: bool  # a proper noun or acronym: foreign only as part of a phrase


def _classify(word: str, own: Language, sentence_initial: bool) -> _Word | None:
    bare = _POSSESSIVE.sub("", word)
    latin = _latin(bare)
    if latin and len(bare) < 3:
        return None
    if not latin:
        if own in NON_LATIN_LOCALES:
            return None  # only Latin-script checks are meaningful for these locales here
        detected = detector().detect_language_of(bare) or Language.CHINESE
        return _Word(0, 0, word, detected, detected, False)
    values = detector().compute_language_confidence_values(bare)
    top = values[0]
    own_value = next((v.value for v in values if v.language == own), 0.0)
    strong = (
        top.language
        if top.language != own and top.value >= WORD_THRESHOLD and own_value <= OWN_LANGUAGE_CEILING
        else None
    )
    leaning = top.language if top.value >= JOIN_THRESHOLD else None
    protected = bare.isupper() or (bare[0].isupper() and not sentence_initial)
    return _Word(0, 0, word, strong, leaning, protected)


@functools.lru_cache(maxsize=20_000)
def examine(sentence: str, language_code: str) -> Verdict | None:
    """Foreign spans in a sentence (None if the article's language is not supported)."""
    own = language_for(language_code)
    if own is None:
        return None
    text = MARKER_RE.sub(lambda m: " " * len(m.group(0)), sentence)
    words: list[_Word] = []
    for match in _WORD.finditer(text):
        initial = not any(c.isalpha() for c in text[: match.start()])
        word = _classify(match.group(0), own, initial)
        if word is not None:
            words.append(_Word(match.start(), match.end(), *_fields(word)))
    spans = _spans(text, words)
    if not spans:
        return Verdict(None, ())
    foreign_words = sum(span.words for span in spans)
    share = foreign_words / max(sum(_size(w.text) for w in words), 1)
    if len(words) >= MIN_SENTENCE_WORDS and (
        share >= SENTENCE_SHARE or (len(words) >= CONFIDENT_SENTENCE_WORDS and share >= 0.2)
    ):
        # Confirm with lingua on the whole sentence: enough context to be reliable.
        sentence_language = detector().detect_language_of(text)
        if (
            sentence_language is not None
            and sentence_language != own
            and (
                share >= SENTENCE_SHARE
                or detector().compute_language_confidence(text, sentence_language) >= 0.9
            )
        ):
            return Verdict(sentence_language.name.title(), ())
    return Verdict(None, tuple(spans))


def _fields(word: _Word) -> tuple[str, Language | None, Language | None, bool]:
    return word.text, word.strong, word.leaning, word.protected


def _spans(text: str, words: list[_Word]) -> list[Span]:
    """Runs of foreign words. A run starts at a confidently foreign word and grows over
    neighbours leaning the same way; a proper noun alone is never a run."""
    spans: list[Span] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word.strong is None:
            index += 1
            continue
        language = word.strong
        first = last = index
        while first > 0 and _joins(text, words[first - 1], words[first], language):
            first -= 1
        while last + 1 < len(words) and _joins(text, words[last], words[last + 1], language):
            last += 1
        members = words[first : last + 1]
        if not (len(members) == 1 and word.protected):
            size = sum(_size(w.text) for w in members)
            spans.append(
                Span(text[members[0].start : members[-1].end], language.name.title(), size)
            )
        index = last + 1
    return spans


def _joins(text: str, left: _Word, right: _Word, language: Language) -> bool:
    same = (left.strong or left.leaning) == language and (right.strong or right.leaning) == language
    return same and bool(_GAP.match(text[left.end : right.start]))


def _size(word: str) -> int:
    """Words in a token: a run of Chinese or Japanese characters counts one per two."""
    if _latin(word) or " " in word:
        return 1
    return max(1, (len(word) + 1) // 2)
