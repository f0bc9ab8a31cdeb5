"""An article document seen as text: fields, blocks and sentences, with their citations.

Section bodies are Markdown: they are parsed with the same CommonMark parser as
the renderer, and inline markup is dropped while citation markers are kept, so a
rule sees "the cure rate was 30% [@x]" whatever the emphasis or links around it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pysbd
from markdown_it import MarkdownIt
from markdown_it.token import Token

from cms.articles import markdown
from cms.articles.citations import MARKER_RE, cited_ids
from cms.validation import pointer

EVIDENCE_SECTIONS = frozenset({"evidence", "benefits", "risks"})

_ONLY_MARKERS = re.compile(rf"^\s*(?:{MARKER_RE.pattern}\s*)+")


@functools.cache
def _parser() -> MarkdownIt:
    # Raw HTML is parsed (as html tokens) so that it can be reported, not rendered.
    return markdown.parser(html=True)


@functools.cache
def _segmenter(language: str) -> pysbd.Segmenter:
    try:
        return pysbd.Segmenter(language=language, clean=False)
    except ValueError:  # a language pysbd does not know: English rules are the closest
        return pysbd.Segmenter(language="en", clean=False)


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline", "citation"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return "".join(parts)


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences, with a citation marker that follows a full stop kept with its sentence."""
    sentences: list[str] = []
    for piece in _segmenter(language).segment(text):
        rest = piece
        leading = _ONLY_MARKERS.match(piece)
        if leading and sentences:
            sentences[-1] = sentences[-1].rstrip() + " " + leading.group(0).strip()
            rest = piece[leading.end() :]
        if rest.strip():
            sentences.append(rest.strip())
    return sentences


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    pointer: str
    field: str  # "title", "summary", "heading" or the section type
    cites: tuple[str, ...]

    @property
    def cited(self) -> bool:
        return bool(self.cites)


@dataclass(frozen=True)
class ArticleText:
    """A structurally valid document, with what rules need to read it."""

    document: dict[str, Any]
    today: dt.date
    publishing: bool = False
    references: dict[str, dict[str, Any]] = field(init=False)

    def __post_init__(self) -> None:
        refs = {ref["id"]: ref for ref in self.document.get("references", [])}
        object.__setattr__(self, "references", refs)

    @property
    def language(self) -> str:
        return self.document.get("locale", "en").split("-")[0]

    def sections(self) -> Iterator[tuple[int, dict[str, Any]]]:
        yield from enumerate(self.document.get("sections", []))

    def section(self, section_type: str) -> tuple[int, dict[str, Any]] | None:
        return next(((i, s) for i, s in self.sections() if s["type"] == section_type), None)

    @functools.cached_property
    def body_blocks(self) -> list[tuple[int, str]]:
        """(section index, plain text) for every paragraph, list item and heading of a body."""
        return [
            (index, _inline_text(token))
            for index, section in self.sections()
            for token in _parser().parse(section["body"])
            if token.type == "inline"
        ]

    @functools.cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of title, summary, headings and bodies, in document order."""
        title = self.document["title"]
        found = [Sentence(title, "/title", "title", tuple(cited_ids(title)))]
        found += [
            Sentence(text, "/summary", "summary", tuple(cited_ids(text)))
            for text in split_sentences(self.document["summary"], self.language)
        ]
        blocks_by_section: dict[int, list[str]] = {}
        for index, text in self.body_blocks:
            blocks_by_section.setdefault(index, []).append(text)
        for index, section in self.sections():
            found.append(
                Sentence(section["heading"], pointer("sections", index, "heading"), "heading", ())
            )
            body = pointer("sections", index, "body")
            for text in blocks_by_section.get(index, []):
                found += [
                    Sentence(sentence, body, section["type"], tuple(cited_ids(sentence)))
                    for sentence in split_sentences(text, self.language)
                ]
        return found

    def cited_references(self, sentence: Sentence) -> list[dict[str, Any]]:
        return [self.references[i] for i in sentence.cites if i in self.references]
