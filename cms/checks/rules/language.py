"""Rule 10: text in another language than the article's (machine-translation debris)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cms.checks import language_id, nlp
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import ArticleText

# A foreign term glossed in English, in quotation marks, right after it: “再生医療,
# ‘regenerative medicine’” (a remark in brackets, “(so the clinic says)”, is no gloss).
_GLOSS_AFTER = re.compile(r"^\s*(?:,|:|—|–)?\s*[“\"‘']([^”\"’']{3,60})[”\"’']")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _glossed(text: str, span: language_id.Span) -> bool:
    """A short foreign term followed by its English: a term explained, not debris."""
    start = text.find(span.text)
    if start < 0 or span.words > 4:
        return False
    found = _GLOSS_AFTER.match(text[start + len(span.text) :])
    if found is None:
        return False
    words = _WORD.findall(found.group(1))
    english = nlp.english_words()
    known = sum(w.lower() in english for w in words)
    return bool(words) and known * 2 >= len(words)  # ("regenerative" is not in the tables)


# What introduces a quotation as words being mentioned: “the slogan ‘Sin dolor…’”, “the
# Dutch call this approach ‘stamceltherapie’”.
_MENTION = re.compile(
    r"\b(slogan|motto|phrase|word|term|name|named|title|titled|entitled|brand|branded|label|"
    r"labelled|labeled|banner|sign|column|book|call|calls|called|known\s+as|dubbed|reads?|"
    r"says|tagline|headline)(?:\s+[\w'’]+){0,3}\W*$",
    re.IGNORECASE,
)
_OPENING_QUOTES = '“"‘«„'


def _quoted_mention(text: str, span: language_id.Span) -> bool:
    """A foreign span inside quotation marks that the sentence introduces as words (a
    slogan, a title, what people call something): quoted and named, not debris."""
    start = text.find(span.text)
    if start < 0:
        return False
    opening = max(text.rfind(q, max(start - 40, 0), start + 1) for q in _OPENING_QUOTES)
    if opening < 0:
        return False
    return bool(_MENTION.search(text[max(opening - 30, 0) : opening]))


def _inside_a_name(text: str, span: language_id.Span) -> bool:
    """Lower-case words between the capitalised words of one name: “Klinikum rechts der
    Isar”, “Hospital de la Santa Creu”. The name's own words are not debris."""
    start = text.find(span.text)
    if start <= 0 or span.words > 3 or not span.text[:1].islower():
        return False
    before = _WORD.findall(text[:start])
    after = _WORD.findall(text[start + len(span.text) :])[:2]
    named_before = len(before) >= 2 and before[-1][:1].isupper()
    return named_before and any(w[:1].isupper() for w in after)


# An opening of two or three words set off by a comma where a connective stands, led by a
# word that is not English and mostly made of such words: "Malgré tout, the clinic…",
# "Innymi słowy, the cells…". A name opening a sentence is capitalised throughout or
# followed by its apposition ("Van Dyke, a nurse, …").
_OPENER = re.compile(r"^\W*([^\W\d_][\w'’]*(?:\s+[^\W\d_A-Z][\w'’]*){1,2})\s*,\s*(\w+)")


def _foreign_opener(text: str) -> str | None:
    found = _OPENER.match(text)
    if found is None or found.group(2).lower() not in language_id.OPENS_A_CLAUSE:
        return None
    words = found.group(1).split()
    english = nlp.english_words()
    medical = language_id.MEDICAL_AFFIXES
    foreign = [w.lower() not in english and not medical.search(w) for w in words]
    if not (foreign[0] and sum(foreign) * 2 >= len(words)) and sum(foreign) < 2:
        return None  # "tout" is English too, "Malgré" is not; "In der Regel": two of three
    return found.group(1)


@rule(
    "language",
    title="Text in the article's language",
    why="Machine-translation debris (connectives and fragments in another language or "
    "script) shows unreviewed content; NHS standard: translations must stay clinically "
    "accurate. Proper names (hospitals, universities, people) and a quoted, explained foreign "
    "term are not debris.",
    flags=[
        "Trotzdem, most people with MS are treated with drugs.",
        "Однако the long-term results are unknown.",
        "此外, some clinics inject the cells.",
        "Allerdings, the injections are expensive.",
        "Il trattamento non è approvato.",
        "Malgré tout, the clinic kept its prices high.",
        "The infusion takes two hours (Traducido automáticamente).",
    ],
    passes=[
        "Müller and colleagues at Hôpital Saint-Louis described remission [@x].",
        "The German word “Heilpraktiker” (a licensed lay practitioner) has no English equivalent.",
        "Kowalski, a nurse from Gdańsk, took part in the trial.",
        "Zum Beispiel is German for “for example”.",
        "The trial ran at Helsingin yliopisto (the University of Helsinki).",
        "Researchers at Università degli Studi di Milano ran the trial.",
        "In Japanese it is advertised as 再生医療, “regenerative medicine”.",
        "Szpital Uniwersytecki w Krakowie took part in the trial.",
        "The Chinese term 干细胞 (gàn xìbāo) simply means “stem cell”.",
    ],
    codes=[
        Code("language.foreign_sentence", "error", "A whole sentence in another language."),
        Code("language.foreign_phrase", "error", "Several words in another language."),
        Code("language.foreign_word", "warning", "An isolated word in another language."),
    ],
)
def language(text: ArticleText) -> Iterator[Finding]:
    for sentence in text.sentences:
        verdict = language_id.examine(sentence.text, text.language)
        if verdict is None:
            return  # the article's language is not one the detector knows
        if verdict.sentence_language:
            yield Finding(
                "language.foreign_sentence",
                Severity.ERROR,
                sentence.pointer,
                f"Sentence in {verdict.sentence_language}: {quote(sentence.text)}.",
                quote=sentence.text,
            )
            continue
        opener = None if verdict.spans else _foreign_opener(sentence.text)
        if opener is not None:
            yield Finding(
                "language.foreign_phrase",
                Severity.ERROR,
                sentence.pointer,
                f"Text in another language {quote(opener)} in {quote(sentence.text, 80)}.",
                quote=sentence.text,
            )
        for span in verdict.spans:
            if (
                _glossed(sentence.text, span)
                or _inside_a_name(sentence.text, span)
                or _quoted_mention(sentence.text, span)
            ):
                continue
            phrase = span.words > 1
            yield Finding(
                "language.foreign_phrase" if phrase else "language.foreign_word",
                Severity.ERROR if phrase else Severity.WARNING,
                sentence.pointer,
                f"{span.language} {'text' if phrase else 'word'} {quote(span.text)} in "
                f"{quote(sentence.text, 80)}.",
                quote=sentence.text,
            )
