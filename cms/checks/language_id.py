"""Finding text that is not in an article's language, with lingua.

lingua (lingua-language-detector) is built for short and mixed-language text and
runs offline. A word in another script than the article's (Cyrillic, Greek,
Arabic, Hebrew, Han, kana, Hangul, Devanagari, Thai…) is foreign whatever it
says; lingua names its language among every language it knows in that script.
A Latin-script word is first looked up in the English word list of spaCy's
lemma tables (an English article's words almost all are there); only the rest
go to lingua, which weighs the widely written Latin-script languages below.
Words are grouped into spans so that “Zum Beispiel,” is one German phrase.

Not foreign: proper names (capitalised inside a sentence, and runs of them such
as “Hôpital Saint-Louis” or “Karolinska Institutet”), acronyms, numbers, words
with the affixes of medical English (“-mab”, “-itis”, “haemato-”…), and a
foreign term quoted and explained (“the German term ‘Heilpraktiker’ (a licensed
lay practitioner)”).

Models load once per process, on the first check; results are cached per word.
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
import unicodedata
from dataclasses import dataclass

from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

from cms.articles.citations import MARKER_RE
from cms.checks.nlp import english_words

# Latin-script languages weighed word by word: the most widely written ones. Adding the
# other thirty that lingua knows (Yoruba, Maori, Latin…) makes single words ambiguous:
# English medical terms start to look like them.
LATIN_LANGUAGES = (
    Language.ENGLISH, Language.GERMAN, Language.FRENCH, Language.SPANISH, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.POLISH, Language.CZECH, Language.SLOVAK,
    Language.ROMANIAN, Language.HUNGARIAN, Language.SWEDISH, Language.DANISH, Language.BOKMAL,
    Language.FINNISH, Language.TURKISH, Language.INDONESIAN, Language.VIETNAMESE,
    Language.CROATIAN, Language.CATALAN, Language.TAGALOG, Language.SWAHILI,
)  # fmt: skip
WORD_THRESHOLD = 0.40  # a word is foreign when another language is at least this likely…
OWN_LANGUAGE_CEILING = 0.03  # …and the article's own language is at most this likely
RUN_THRESHOLD = 0.30  # a run of two or more unknown words read together
JOIN_THRESHOLD = 0.15  # a neighbour joins a foreign span if it leans the same way
SENTENCE_SHARE = 0.5  # a sentence is foreign when half its words are
MIN_SENTENCE_WORDS = 3
CONFIDENT_SENTENCE_WORDS = 6  # from here lingua judges a whole sentence reliably

_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_GAP = re.compile(r"^[\s,;:·、，。；：()\"'“”‘’\-–—]*$")
# Affixes of medical English that no general word list holds: drug stems, diseases, organs.
MEDICAL_AFFIXES = re.compile(
    r"(mab|nib|tinib|ximab|zumab|umab|itis|osis|oses|emia|aemia|ectomy|otomy|plasty|poietic|"
    r"poiesis|cyte|cytes|cytic|blast|blasts|genic|genesis|logy|logic|logical|pathy|pathic|"
    r"ase|ases|ide|ine|ines|one|ol|ate|oid|oma|omas|algia|trophy|plegia|penia|philia|"
    r"phage|phages|lysis|tropic|ceutical|ceuticals|mycin|cillin|vir|kine|kines|gram|scopy)$"
    r"|^(immuno|myelo|neuro|cardio|hepato|nephr|lymph|auto|allo|hyper|hypo|haem|hem|gastro|"
    r"derm|oste|arthr|cyto|onco|endo|entero|pneumo|thrombo|leuko|leuco|erythro|muco|sero)",
    re.IGNORECASE,
)
_EXPLAINED = re.compile(
    r"\b(term|word|phrase|called|known as|meaning|means|which means|literally|translates?|"
    r"translated|for\s+[“\"‘']?\w+[”\"’']?$|german for|french for|spanish for|italian for|"
    r"chinese for|japanese for|in (german|french|spanish|italian|chinese|japanese|dutch|"
    r"portuguese|russian|arabic|korean|polish|turkish|swedish|danish))\b",
    re.IGNORECASE,
)
_QUOTES = "\"“”‘’'«»*„"


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    language: str  # e.g. "German"
    words: int


@dataclass(frozen=True, slots=True)
class Verdict:
    sentence_language: str | None  # set when the whole sentence is in another language
    spans: tuple[Span, ...]


_LOCK = threading.Lock()


@functools.cache
def _latin_detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LATIN_LANGUAGES).build()


@functools.cache
def _script_detector() -> LanguageDetector:
    """Every language lingua knows; it only loads the models of a script it meets."""
    return LanguageDetectorBuilder.from_all_languages().build()


def detector() -> LanguageDetector:
    """The Latin-script detector (also used to judge whole sentences)."""
    return _latin_detector()


def warm_up() -> None:
    """Load the Latin-script models (the ones every English article needs)."""
    _latin_values("trotzdem")


def language_for(code: str) -> Language | None:
    try:
        language = Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
    except AttributeError:
        return None
    return language


@functools.lru_cache(maxsize=10_000)
def script(char: str) -> str:
    """The Unicode script of a letter, from its name: LATIN, CYRILLIC, CJK, HANGUL…"""
    name = unicodedata.name(char, "")
    first = name.split(" ")[0] if name else ""
    return {"HIRAGANA": "KANA", "KATAKANA": "KANA"}.get(first, first)


def _word_script(word: str) -> str:
    if word.isascii():
        return "LATIN"
    scripts = {script(c) for c in word if c.isalpha()}
    if len(scripts) == 1:
        return scripts.pop()
    if "LATIN" not in scripts and scripts:
        # Japanese runs kanji and kana together in one word: one foreign script, not a mix
        return "CJK" if "CJK" in scripts else sorted(scripts)[0]
    return "MIXED"


@functools.cache
def _own_script(own: Language) -> str:
    if own in LATIN_LANGUAGES or own.name in _OTHER_LATIN:
        return "LATIN"
    return {
        "CHINESE": "CJK", "JAPANESE": "CJK+KANA", "KOREAN": "HANGUL", "RUSSIAN": "CYRILLIC",
        "UKRAINIAN": "CYRILLIC", "BULGARIAN": "CYRILLIC", "GREEK": "GREEK", "ARABIC": "ARABIC",
        "PERSIAN": "ARABIC", "URDU": "ARABIC", "HEBREW": "HEBREW", "HINDI": "DEVANAGARI",
        "MARATHI": "DEVANAGARI", "THAI": "THAI",
    }.get(own.name, "OTHER")  # fmt: skip


_OTHER_LATIN = frozenset(
    [
        "SLOVENE",
        "MALAY",
        "WELSH",
        "BOSNIAN",
        "AZERBAIJANI",
        "GANDA",
        "LATIN",
        "XHOSA",
        "BASQUE",
        "NYNORSK",
        "TSWANA",
        "ESPERANTO",
        "IRISH",
        "YORUBA",
        "AFRIKAANS",
        "TSONGA",
        "ZULU",
        "ESTONIAN",
        "MAORI",
        "ALBANIAN",
        "SOTHO",
        "LATVIAN",
        "SHONA",
        "ICELANDIC",
        "LITHUANIAN",
        "SOMALI",
    ]
)


@functools.lru_cache(maxsize=100_000)
def _latin_values(word: str) -> tuple[tuple[Language, float], ...]:
    with _LOCK:
        values = _latin_detector().compute_language_confidence_values(word)
    return tuple((v.language, v.value) for v in values)


@functools.lru_cache(maxsize=20_000)
def _script_language(text: str) -> Language | None:
    with _LOCK:
        return _script_detector().detect_language_of(text)


@dataclass(frozen=True, slots=True)
class _Word:
    start: int
    end: int
    text: str
    strong: Language | None  # confidently another language
    leaning: Language | None  # most likely language, even if not certain
    protected: bool  # a proper noun or acronym: foreign only as part of a phrase


@functools.lru_cache(maxsize=200_000)
def _classify(word: str, own: Language, sentence_initial: bool) -> tuple | None:
    bare = _POSSESSIVE.sub("", word)
    word_script = _word_script(bare)
    own_script = _own_script(own)
    if word_script not in ("LATIN", "MIXED"):
        if word_script in own_script.split("+"):
            return None
        detected = _script_language(bare)
        return bare, detected, detected, False, word_script
    if own_script != "LATIN":
        return None  # Latin words in a non-Latin article: names, units, brands
    if len(bare) < 3 or bare.isupper() or any(c.isdigit() for c in bare):
        return None
    protected = bare[0].isupper() and not sentence_initial
    lower = bare.lower()
    # (medical affixes are English spelling: "automáticamente" only looks like "auto-")
    if own == Language.ENGLISH and (
        _english(lower) or (lower.isascii() and MEDICAL_AFFIXES.search(lower))
    ):
        return None
    values = _latin_values(lower)
    top_language, top = values[0]
    own_value = next((v for lang, v in values if lang == own), 0.0)
    strong = (
        top_language
        if top_language != own and top >= WORD_THRESHOLD and own_value <= OWN_LANGUAGE_CEILING
        else None
    )
    leaning = top_language if top >= JOIN_THRESHOLD and top_language != own else None
    return bare, strong, leaning, protected, "LATIN"


# Latin that scientific English writes as its own: "in vitro", "de novo", "et al.".
SCIENTIFIC_LATIN = frozenset(
    ["vitro", "vivo", "situ", "novo", "hoc", "priori", "posteriori", "versa", "toto", "alia",
     "libitum", "rata", "annum", "facto", "qua", "sine", "mortem", "bona", "fide", "al",
     "circa", "ibid", "quo", "vice", "erythematosus", "multiforme", "nigricans", "vulgaris",
     "dermatitis", "chorea", "mellitus", "insipidus", "lata", "mater", "corpus", "cerebri"]
)  # fmt: skip


def _english(lower: str) -> bool:
    words = english_words()
    if lower in words or lower in SCIENTIFIC_LATIN:
        return True
    parts = re.split(r"['’-]", lower)
    return len(parts) > 1 and all(p in words or len(p) < 3 for p in parts)


@functools.lru_cache(maxsize=20_000)
def examine(sentence: str, language_code: str) -> Verdict | None:
    """Foreign spans in a sentence (None if the article's language is not supported)."""
    own = language_for(language_code)
    if own is None:
        return None
    text = MARKER_RE.sub(lambda m: " " * len(m.group(0)), sentence)
    words: list[_Word] = []
    scripts: dict[int, str] = {}
    counted = 0
    matches = list(_WORD.finditer(text))
    # A word with no letter before it starts the sentence (found once, not for every word).
    first_letter = next((i for i, c in enumerate(text) if c.isalpha()), len(text))
    for number, match in enumerate(matches):
        initial = match.start() <= first_letter or _after_stop(text, match.start())
        if (
            initial
            and own == Language.ENGLISH
            and (_name_at_start(text, matches, number) or _APPOSITION.match(text[match.end() :]))
        ):
            initial = False  # "Müller and colleagues…", "Kowalski, a nurse, …": a name
        counted += 1
        classified = _classify(match.group(0), own, initial)
        if classified is not None:
            _bare, strong, leaning, protected, word_script = classified
            scripts[len(words)] = word_script
            words.append(
                _Word(match.start(), match.end(), match.group(0), strong, leaning, protected)
            )
    if own == Language.ENGLISH:
        words = _name_particles(text, matches, words)
    spans = _spans(text, words)
    if own == Language.ENGLISH:
        spans = _merge(spans, _phrases(text, words, own))
        spans = _merge(spans, _segments(text, matches, words, own))
        spans = _merge(spans, _set_off_words(text, matches, own))
    spans = [s for s in spans if not _explained(text, s)]
    if not spans:
        return Verdict(None, ())
    foreign_words = sum(span.words for span in spans)
    share = foreign_words / max(counted, 1)
    if own == Language.ENGLISH and _mostly_english(matches, counted):
        # "Szpital Uniwersytecki w Krakowie is one of the centres in the trial": a name, in a
        # sentence whose other words are English; lingua, reading it whole, hears the name.
        return Verdict(None, tuple(spans))
    if counted >= MIN_SENTENCE_WORDS and (
        share >= SENTENCE_SHARE or (counted >= CONFIDENT_SENTENCE_WORDS and share >= 0.3)
    ):
        sentence_language = _sentence_language(text, own)
        if sentence_language is not None:
            return Verdict(sentence_language.name.title(), ())
    elif counted >= MIN_SENTENCE_WORDS + 1:
        # Fewer words stood out alone (“Il trattamento non è approvato”: “non” and “è” are
        # short or English too), but read whole the sentence may be plainly another language.
        sentence_language = _sentence_language(text, own, WHOLE_SENTENCE_CONFIDENCE)
        if sentence_language is not None:
            return Verdict(sentence_language.name.title(), ())
    return Verdict(None, tuple(spans))


WHOLE_SENTENCE_CONFIDENCE = 0.9  # when few of its words stood out on their own
ENGLISH_SHARE = 0.5  # a sentence with at least this share of English words is English…
ENGLISH_LEAST = 4  # …when they are at least this many


def _mostly_english(matches: list[re.Match[str]], counted: int) -> bool:
    """Most of a sentence's lower-case words are English ones: what stands out is a name, a
    term or a phrase in it, not a sentence in another language."""
    english = sum(
        1 for m in matches if m.group(0).islower() and len(m.group(0)) > 1
        and _english(m.group(0))
    )  # fmt: skip
    return english >= ENGLISH_LEAST and english >= ENGLISH_SHARE * counted


def _name_particles(text: str, matches: list[re.Match[str]], words: list[_Word]) -> list[_Word]:
    """Short lower-case words between capitalised words are a name's particles: “Università
    degli Studi di Milano”, “Klinik für Neurologie”, “Hôpital de la Croix-Rousse”."""
    particles: set[int] = set()
    run: list[int] = []
    for number, match in enumerate(matches):
        word = match.group(0)
        if word.islower() and len(word) <= 5:
            run.append(number)
            continue
        if run and len(run) <= 3 and word[:1].isupper() and run[0] > 0:
            before = matches[run[0] - 1].group(0)
            between = text[matches[run[0] - 1].end() : match.start()]
            if before[:1].isupper() and not any(c in between for c in ",;:.()"):
                particles.update(matches[i].start() for i in run)
        run = []
    if not particles:
        return words
    return [
        _Word(w.start, w.end, w.text, w.strong, w.leaning, True) if w.start in particles else w
        for w in words
    ]


def _sentence_language(text: str, own: Language, floor: float = 0.6) -> Language | None:
    """The language of a whole sentence, confirmed by lingua on all of it."""
    non_latin = any(script(c) not in ("LATIN", "") for c in text if c.isalpha())
    with _LOCK:
        if non_latin:
            detected = _script_detector().detect_language_of(text)
        else:
            detected = _latin_detector().detect_language_of(text)
            if detected is not None and detected != own:
                confidence = _latin_detector().compute_language_confidence(text, detected)
                if confidence < floor:
                    return None
    return detected if detected is not None and detected != own else None


def _name_at_start(text: str, matches: list[re.Match[str]], number: int) -> bool:
    """A capitalised first word followed, without a comma, by an English word is a name;
    a connective of another language is followed by its comma ("Trotzdem, …")."""
    word = matches[number].group(0)
    if not word[:1].isupper() or number + 1 >= len(matches):
        return False
    between = text[matches[number].end() : matches[number + 1].start()]
    if _capitalised_run(text, matches, number):
        return True  # "Szpital Uniwersytecki w Krakowie is…", "María José Fernández, a nurse…"
    following = matches[number + 1].group(0).lower()
    if following in OPENS_A_CLAUSE:
        return False  # "Cependant the results…": a connective before its clause, not a name
    if number + 2 < len(matches):
        after = text[matches[number + 1].end() : matches[number + 2].start()]
        if "," in after and len(following) < 3:
            return False  # "Ngoài ra, …": a two-word set phrase, then its comma
    return "," not in between and _english(following)


def _capitalised_run(text: str, matches: list[re.Match[str]], number: int) -> bool:
    """A sentence opening with a run of capitalised words (short lower-case particles
    between them) that no comma closes, or that an apposition follows: a name. "Zum
    Beispiel, transplants…" is a set phrase closed by its comma."""
    last = number
    while last + 1 < len(matches):
        between = text[matches[last].end() : matches[last + 1].start()]
        word = matches[last + 1].group(0)
        if between.strip() or not (word[:1].isupper() or (word.islower() and len(word) <= 3)):
            break
        last += 1
    while last > number and matches[last].group(0).islower():
        last -= 1  # a particle does not end a name
    if last == number:
        return False
    after = text[matches[last].end() :]
    return not after.lstrip().startswith(",") or bool(_APPOSITION.match(after))


# Words that open a clause: what follows a sentence's connective, never a person's name.
OPENS_A_CLAUSE = frozenset(["the", "a", "an", "this", "these", "those", "that", "it", "they",
                             "we", "there", "some", "most", "many", "few", "patients",
                             "people", "its", "their", "our", "such", "all", "no"])  # fmt: skip
# "Kowalski, a nurse from Gdańsk, took part": a name and its apposition, closed by a comma.
_APPOSITION = re.compile(r"^\s*,\s*(a|an|the|aged|\d+|who|one|now|then)\b[^,.;:]{0,60},")
INITIAL_THRESHOLD = 0.30  # a sentence's first word, set off by a comma, is foreign at this…
INITIAL_OWN_CEILING = 0.06  # …when the article's own language is at most this likely
# A common word that lingua spreads over neighbouring languages ("leider": German 0.26, Dutch
# 0.25) still stands where a connective stands when the article's language is this unlikely.
SPREAD_THRESHOLD = 0.20
SPREAD_OWN_CEILING = 0.04


def _set_off_words(text: str, matches: list[re.Match[str]], own: Language) -> list[Span]:
    """A word standing alone between commas, or first and set off by one ("Allerdings, …",
    "…, leider, …"), stands where a connective stands; lingua need only lean away from the
    article's language to place it."""
    spans: list[Span] = []
    if "," not in text:
        return spans
    for match in matches:
        after = text[match.end() :]
        if not after.lstrip().startswith(","):
            continue
        word = match.group(0)
        before = text[: match.start()].rstrip(" \"“‘'(*")
        first = not any(c.isalpha() for c in before)
        if not after.lstrip().startswith(",") or not (first or before.endswith(",")):
            continue
        if len(word) < 4 or not word.isalpha() or (first and _APPOSITION.match(after)):
            continue
        if not first and word[:1].isupper():
            continue  # ", Schmidt, …": a name
        lower = word.lower()
        if _word_script(lower) != "LATIN" or _english(lower) or MEDICAL_AFFIXES.search(lower):
            continue
        values = _latin_values(lower)
        top_language, top = values[0]
        own_value = next((v for lang, v in values if lang == own), 0.0)
        confident = top >= INITIAL_THRESHOLD and own_value <= INITIAL_OWN_CEILING
        spread = top >= SPREAD_THRESHOLD and own_value <= SPREAD_OWN_CEILING
        if top_language != own and (confident or spread):
            spans.append(Span(word, top_language.name.title(), 1))
    return spans


def _phrases(text: str, words: list[_Word], own: Language) -> list[Span]:
    """Runs of two or more unknown words that lingua, reading them together, places in one
    other language ("Por otro lado,"): a single word says too little, a run says enough."""
    spans = []
    run: list[_Word] = []
    for word in [*words, None]:
        if (
            word is not None
            and not word.protected
            and (not run or _GAP.match(text[run[-1].end : word.start]))
        ):
            run.append(word)
            continue
        if len(run) >= 2:
            phrase = text[run[0].start : run[-1].end]
            language = _run_language(phrase, own, len(run))
            if language is not None:
                spans.append(Span(phrase, language.name.title(), len(run)))
        run = [word] if word is not None and not word.protected else []
    return spans


@functools.lru_cache(maxsize=20_000)
def _run_language(phrase: str, own: Language, words: int) -> Language | None:
    """The language of a run of unknown words, if it is not the article's. Three or more
    in a row that lingua finds nothing of the article's language in are foreign even when
    it hesitates between neighbours (Spanish or Portuguese)."""
    with _LOCK:
        values = _latin_detector().compute_language_confidence_values(phrase)
    top = values[0]
    own_value = next((v.value for v in values if v.language == own), 0.0)
    if top.language == own or own_value > OWN_LANGUAGE_CEILING:
        return None
    if top.value >= RUN_THRESHOLD or (words >= 3 and own_value <= 0.01):
        return top.language
    return None


_SEGMENT = re.compile(r"[^,;:()\[\]—–“”\"]+")


def _segments(
    text: str, matches: list[re.Match[str]], words: list[_Word], own: Language
) -> list[Span]:
    """Short phrases set off by commas ("Em resumo, …", "…, wie bereits erwähnt, …") read
    as a whole when one of their words is not the article's: "Em", "No" and "En" are
    English words too, so a word-by-word reading misses "No entanto" or "En outre"."""
    unknown = {(w.start, w.end) for w in words if not w.protected}
    if "," not in text:
        return []
    starts = [m.start() for m in matches]
    spans = []
    for segment in _SEGMENT.finditer(text):
        first = bisect.bisect_left(starts, segment.start())
        last = bisect.bisect_left(starts, segment.end())
        inside = [m for m in matches[first:last] if m.end() <= segment.end()]
        if not inside or not (
            (inside[0].start(), inside[0].end()) in unknown
            or inside[0].group(0).lower() in SHARED_WORDS
            or any((m.start(), m.end()) in unknown for m in inside)
        ):
            continue  # only English words, none of them also another language's
        foreign_words = sum((m.start(), m.end()) in unknown for m in inside)
        longest = 8 if foreign_words >= 2 else 4  # a clause, when two of its words are not ours
        if not 2 <= len(inside) <= longest or any(
            m.group(0)[0].isupper() and m.start() > segment.start() + 1 for m in inside
        ):
            continue  # too short or too long to be a set phrase, or holding a name
        set_off = (
            text[segment.end() : segment.end() + 1] == ","
            or text[max(segment.start() - 1, 0) : segment.start()] == ","
        )
        if not set_off:
            continue
        phrase = text[inside[0].start() : inside[-1].end()]
        foreign_word = any((m.start(), m.end()) in unknown for m in inside)
        language = _segment_language(phrase, own, foreign_word)
        if language is not None:
            spans.append(Span(phrase, language.name.title(), len(inside)))
    return spans


# Short words English shares with the languages around it, which open their set phrases:
# "En outre", "Em resumo", "No entanto", "Par exemple", "Per esempio", "Die Kosten".
SHARED_WORDS = frozenset(["en", "em", "no", "na", "par", "per", "pour", "de", "da", "di", "del",
                          "la", "le", "el", "lo", "il", "die", "der", "das", "den", "con",
                          "sin", "du", "des", "im", "mit", "al", "os", "as", "um", "un", "une",
                          "se", "si", "ma", "pro", "tout", "dans", "sur", "met", "op", "van",
                          "w", "z", "na", "do", "po", "za"])  # fmt: skip
SEGMENT_FLOOR = 0.18  # lingua's confidence in the other language, at least…
SEGMENT_LEAD = 4.0  # …this many times its confidence in the article's own language
SEGMENT_LEAD_WITH_FOREIGN_WORD = 3.0  # …or this many, when a word of it is no English word


@functools.lru_cache(maxsize=20_000)
def _segment_language(phrase: str, own: Language, foreign_word: bool) -> Language | None:
    """Measured on set phrases: “En outre” leads English 4.6 to 1 (both are English words
    too), “Par exemple” 3.6 to 1; English ones (“In practice”, “Ex vivo”, “Per protocol”)
    stay under 3.3 to 1."""
    with _LOCK:
        values = _latin_detector().compute_language_confidence_values(phrase)
    top = values[0]
    if top.language == own or top.value < SEGMENT_FLOOR:
        return None
    own_value = next((v.value for v in values if v.language == own), 0.0)
    lead = SEGMENT_LEAD_WITH_FOREIGN_WORD if foreign_word else SEGMENT_LEAD
    return top.language if top.value >= lead * max(own_value, 0.001) else None


def _merge(spans: list[Span], more: list[Span]) -> list[Span]:
    """Spans from both passes, the longer where they overlap."""
    kept = list(spans)
    for span in more:
        overlapping = [s for s in kept if s.text in span.text or span.text in s.text]
        if all(len(span.text) > len(s.text) for s in overlapping):
            kept = [s for s in kept if s not in overlapping] + [span]
    return kept


_TITLES = re.compile(r"\b(?:dr|prof|mr|mrs|ms|st|mt|drs|profs|sr|jr|rev|gen|col|capt|no|vs|"
                     r"e\.g|i\.e|cf|et al)\.$", re.IGNORECASE)  # fmt: skip


def _after_stop(text: str, position: int) -> bool:
    before = text[max(position - 12, 0) : position].rstrip(" \"“‘'(*")
    # (_TITLES ends with a full stop at the end: only such text is searched)
    if before.endswith((".", ".\n")) and _TITLES.search(before):
        return False  # "Dr. Øyvind Hansen": a title's full stop, not a sentence's
    return before.endswith((".", ":", "!", "?", "—", "–"))


_GLOSSED = re.compile(
    r"^\W*\s*(is|are|was)\s+(\w+\s+){0,2}(german|french|spanish|italian|dutch|portuguese|"
    r"polish|swedish|latin|greek|russian|chinese|japanese|korean|turkish|arabic)\s+(for|word|"
    r"phrase|term)\b|^\W*\s*(means|meaning|translates)\b",
    re.IGNORECASE,
)


# A term introduced as a word ("the term …", "called …"), perhaps after the term in its own
# script ("干细胞 (gàn xìbāo)"), and glossed after it ("… means", "…, meaning").
_TERM_BEFORE = re.compile(
    r"\b(?:term|word|phrase|name|called|known as|written)\s+(?:[^\s(]+\s+)?\(?\s*$",
    re.IGNORECASE,
)
_MEANS_AFTER = re.compile(
    r"^\s*\)?\s*(?:\([^()]{1,40}\)\s*)?,?\s*(?:simply\s+|literally\s+|just\s+|roughly\s+)?"
    r"(?:means|meaning|which means|translates|stands for)\b",
    re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"^((?:\s+[^\W\d_][\w'’-]*){0,3})\s*\(([^()]{3,70})\)")
_NAME_BEFORE = re.compile(r"\b[^\W\d_a-z][\w'’-]+\s+$")


def _translated_name(text: str, start: int, end: int) -> bool:
    """A foreign name followed by its English in brackets: “Helsingin yliopisto (the
    University of Helsinki)”, “Klinikum rechts der Isar (a Munich teaching hospital)”. The
    span is a name: it starts with a capital, or a capitalised word of the name precedes it."""
    if not (text[start : start + 1].isupper() or _NAME_BEFORE.search(text[:start])):
        return False
    found = _PARENTHESIS.match(text[end : end + 120])
    if found is None:
        return False
    between = found.group(1).split()
    if any(not (w[:1].isupper() or len(w) <= 3) for w in between):
        return False  # the rest of the name, if any: "… der Isar (…)"
    words = _WORD.findall(found.group(2))
    return len(words) >= 2 and all(_english(w.lower()) or w[:1].isupper() for w in words)


def _explained(text: str, span: Span) -> bool:
    """A foreign term in quotes or italics and explained beside it is not debris, nor is one
    glossed as a word (“Zum Beispiel is German for ‘for example’”)."""
    start = text.find(span.text)
    if start < 0:
        return False
    end = start + len(span.text)
    if _GLOSSED.match(text[end : end + 60]) or _translated_name(text, start, end):
        return True
    if _TERM_BEFORE.search(text[max(start - 40, 0) : start]) and _MEANS_AFTER.match(
        text[end : end + 80]
    ):
        return True  # "the Chinese term 干细胞 (gàn xìbāo) simply means…"
    # The quotation the span stands in, however many of its words were found foreign:
    # "“saisei iryō”" is explained as a whole.
    opening = max(text.rfind(q, max(start - 40, 0), start) for q in _QUOTES)
    closing = [i for i in (text.find(q, end, end + 40) for q in _QUOTES) if i >= 0]
    if opening < 0 or not closing:
        return False
    closing_at = min(closing)
    inner = text[opening + 1 : closing_at]
    if any(q in text[opening + 1 : start] for q in _QUOTES) or len(inner.split()) > 5:
        return False
    before, after = text[max(opening - 40, 0) : opening + 1], text[closing_at:][:40]
    quoted = True
    explained = bool(_EXPLAINED.search(before)) or bool(
        re.match(
            r"^\W*\s*(\(|,\s*(meaning|which means|or|i\.e\.)|—|–|means|is\s+(german|"
            r"french|spanish|italian|dutch|chinese|japanese)\b|,?\s*(?:the\s+)?(?:german|french|"
            r"spanish|italian|dutch|portuguese|polish|swedish|danish|finnish|norwegian|latin|"
            r"greek|russian|chinese|japanese|korean|turkish|arabic|hungarian|czech)\s+(?:for|"
            r"word|term)\b)",
            after,
            re.IGNORECASE,
        )
    )
    return quoted and explained


def _spans(text: str, words: list[_Word]) -> list[Span]:
    """Runs of foreign words. A run starts at a confidently foreign word and grows over
    neighbours leaning the same way; names alone, or runs of names, are never a run."""
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
        names_only = all(w.protected for w in members)
        if not names_only:
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
    """Words in a token: written without spaces, Chinese has about two characters a word,
    Japanese kana about three; other scripts separate their words with spaces."""
    kind = _word_script(word)
    if kind == "CJK" and " " not in word:
        return max(1, (len(word) + 1) // 2)
    if kind == "KANA" and " " not in word:
        return max(1, (len(word) + 2) // 3)
    return 1
