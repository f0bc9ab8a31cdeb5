"""Rule 10: text in another language than the article's (machine-translation debris)."""

from __future__ import annotations

from collections.abc import Iterator

from cms.checks import language_id
from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import ArticleText


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
    ],
    passes=[
        "Müller and colleagues at Hôpital Saint-Louis described remission [@x].",
        "The German word “Heilpraktiker” (a licensed lay practitioner) has no English equivalent.",
        "Kowalski, a nurse from Gdańsk, took part in the trial.",
        "Zum Beispiel is German for “for example”.",
        "The trial ran at Helsingin yliopisto (the University of Helsinki).",
        "Researchers at Università degli Studi di Milano ran the trial.",
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
        for span in verdict.spans:
            phrase = span.words > 1
            yield Finding(
                "language.foreign_phrase" if phrase else "language.foreign_word",
                Severity.ERROR if phrase else Severity.WARNING,
                sentence.pointer,
                f"{span.language} {'text' if phrase else 'word'} {quote(span.text)} in "
                f"{quote(sentence.text, 80)}.",
                quote=sentence.text,
            )
