"""What the index holds for an article: plain text per field, and its language.

Section bodies are Markdown: the index and the snippets see the words a reader
sees, without markup or citation markers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cms.articles import markdown
from cms.delivery import render

# PostgreSQL's built-in text-search configurations, by BCP 47 primary language.
# Anything else is indexed without stemming ("simple").
TEXT_SEARCH_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek",
    "en": "english", "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french",
    "ga": "irish", "hi": "hindi", "hu": "hungarian", "hy": "armenian", "id": "indonesian",
    "it": "italian", "lt": "lithuanian", "nb": "norwegian", "ne": "nepali", "nl": "dutch",
    "nn": "norwegian", "no": "norwegian", "pt": "portuguese", "ro": "romanian",
    "ru": "russian", "sr": "serbian", "sv": "swedish", "ta": "tamil", "tr": "turkish",
    "yi": "yiddish",
}  # fmt: skip
FALLBACK_CONFIG = "simple"


def text_search_config(locale: str) -> str:
    """The text-search configuration (stemmer and stop words) for a locale."""
    return TEXT_SEARCH_CONFIGS.get(locale.split("-", 1)[0].lower(), FALLBACK_CONFIG)


@dataclass(frozen=True, slots=True)
class IndexedText:
    """The searchable fields, most to least important."""

    title: str
    summary: str
    headings: str
    body: str


@functools.cache
def _parser() -> MarkdownIt:
    return markdown.parser(html=False)


def _tokens(body: str) -> list[Token]:
    """The body parsed with images kept (their text is not words of the body). Without an
    image, the renderer's parse of it is the same, and a publish has just made it."""
    if "![" in body:
        return _parser().parse(body)
    return render.parse(body)


@functools.lru_cache(maxsize=64)
def plain_text(body: str) -> str:
    """The words of a Markdown body: one line per block, inline markup and citations dropped.

    Cached: one publish reads each body twice (the index and the JSON-LD).
    """
    lines: list[str] = []
    for token in _tokens(body):
        if token.type == "inline":
            parts = []
            for child in token.children or []:
                if child.type in ("text", "code_inline"):
                    parts.append(child.content)
                elif child.type in ("softbreak", "hardbreak"):
                    parts.append(" ")
            line = " ".join("".join(parts).split())
            if line:
                lines.append(line)
        elif token.type in ("code_block", "fence"):
            lines.extend(line for line in token.content.splitlines() if line.strip())
    return "\n".join(lines)


def indexed_text(public_document: Mapping[str, Any]) -> IndexedText:
    sections = public_document["sections"]
    return IndexedText(
        title=public_document["title"],
        summary=public_document["summary"],
        headings="\n".join(section["heading"] for section in sections),
        body="\n".join(plain_text(section["body"]) for section in sections),
    )
