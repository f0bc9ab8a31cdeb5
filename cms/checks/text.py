"""An article document seen as text: fields, blocks and sentences, with their citations.

Section bodies are Markdown: they are parsed with the same CommonMark parser as
the renderer, and inline markup is dropped while citation markers are kept, so a
rule sees "the cure rate was 30% [@x]" whatever the emphasis or links around it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token

from cms.articles import markdown
from cms.articles.citations import MARKER_RE, cited_ids
from cms.checks import nlp
from cms.validation import pointer

EVIDENCE_SECTIONS = frozenset({"evidence", "benefits", "risks"})


@functools.cache
def _parser() -> MarkdownIt:
    # Raw HTML is parsed (as html tokens) so that it can be reported, not rendered, and
    # every link is parsed as a link, even the ones the renderer drops, so that it can be
    # judged.
    md = markdown.parser(html=True)
    md.validateLink = lambda _url: True
    return md


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


_MARKER_WITH_SPACE = re.compile(rf"\s*{MARKER_RE.pattern}")


@dataclass(frozen=True, slots=True)
class _Stripped:
    """A block's text without citation markers, and how to find the original text again."""

    text: str
    origin: list[int]  # for each character of ``text``, its index in the original
    markers: list[tuple[int, int, tuple[str, ...]]]  # (position in text, original end, ids)


def _strip_markers(original: str) -> _Stripped:
    parts: list[str] = []
    origin: list[int] = []
    markers = []
    position = 0
    for match in _MARKER_WITH_SPACE.finditer(original):
        parts.append(original[position : match.start()])
        origin.extend(range(position, match.start()))
        markers.append((len(origin), match.end(), tuple(cited_ids(match.group(0)))))
        position = match.end()
    parts.append(original[position:])
    origin.extend(range(position, len(original)))
    return _Stripped("".join(parts), origin, markers)


def _sentence_spans(
    original: str, sentences: list[nlp.Analysed], stripped: _Stripped
) -> list[tuple[str, tuple[str, ...], nlp.Analysed]]:
    """(original text with its markers, cited ids, analysis) for each sentence of a block.

    A marker belongs to the sentence its preceding character is in, so “… in mice. [@x]”
    cites for the sentence before it, as an author means it.
    """
    if not sentences:
        return []
    ids: list[list[str]] = [[] for _ in sentences]
    ends = [stripped.origin[s.end - 1] + 1 if s.end else 0 for s in sentences]
    for position, original_end, marker_ids in stripped.markers:
        owner = max((i for i, s in enumerate(sentences) if s.start < position), default=0)
        ids[owner].extend(marker_ids)
        ends[owner] = max(ends[owner], original_end)
    return [
        (original[stripped.origin[s.start] if i else 0 : ends[i]].strip(), tuple(ids[i]), s)
        for i, s in enumerate(sentences)
    ]


# An escape sequence: one whose meaning does not depend on case (\S: not a space, \W: not a
# word character…) leaves no letter to compare; any other keeps its letter.
_ESCAPE = re.compile(r"\\.", re.DOTALL)
# What could make a lowered text match differently: a character given by its code (perhaps a
# capital), an inline flag (a part matched case-sensitively), a non-ASCII letter whose other
# case is ASCII (the Kelvin sign matches "k" regardless of case).
_CASE_HAZARDS = re.compile(r"\\[xuUN0-7]|\(\?[aiLmsux-]|[\u0130\u0131\u017f\u212a\u212b]")


def _lower_case_only(source: str) -> bool:
    """Whether a pattern's letters are all lower case, so that it finds in a lowered ASCII
    text, case-sensitively, what it finds in the text ignoring case."""
    letters = _ESCAPE.sub(lambda m: "" if m.group()[1] in "SWDBAZ" else m.group(), source)
    return letters == letters.lower() and not _CASE_HAZARDS.search(source)


def caseless_finder(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether ``pattern`` (case-insensitive, of lower-case words) is found in a text. In an
    ASCII text it is looked for case-sensitively in the lowered text: the same answer, many
    times faster than folding the case of every character at every position of a paragraph.
    Any other pattern or text is searched as it is."""
    source = pattern.pattern
    if not (pattern.flags & re.IGNORECASE) or not _lower_case_only(source):
        return lambda text: pattern.search(text) is not None
    lowered = re.compile(source, pattern.flags & ~re.IGNORECASE)

    def found(text: str) -> bool:
        if text.isascii():
            return lowered.search(text.lower()) is not None
        return pattern.search(text) is not None

    return found


_LOWER_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*")


@functools.lru_cache(maxsize=4096)
def lower_words(text: str) -> frozenset[str]:
    """The lower-case words of a text, for a rule's quick first look at a sentence (several
    rules ask of the same sentence)."""
    return frozenset(_LOWER_WORD.findall(text.lower()))


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Sentences, with a citation marker that follows a full stop kept with its sentence."""
    if not text.strip():
        return []
    stripped = _strip_markers(text)
    [sentences] = nlp.analyse([stripped.text], language)
    return [sentence for sentence, _, _ in _sentence_spans(text, sentences, stripped)]


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str  # as written, citation markers included
    pointer: str
    field: str  # "title", "summary", "heading" or the section type
    cites: tuple[str, ...]
    block: int = 0  # which block (title, paragraph, list item…) of the document it is in
    span: Any = field(default=None, compare=False, repr=False)  # the analysed spaCy span
    found: tuple[Any, ...] = field(default=(), compare=False, repr=False)  # its claim spans
    plain_text: str | None = field(default=None, compare=False, repr=False)

    @property
    def cited(self) -> bool:
        return bool(self.cites)

    @property
    def plain(self) -> str:
        """The sentence without its citation markers."""
        if self.plain_text is not None:
            return self.plain_text
        return self.span.text if self.span is not None else MARKER_RE.sub("", self.text)

    def claims(self, *labels: str) -> list[Any]:
        """The matched phrases of these labels in this sentence (spaCy spans)."""
        if not self.found:
            return []  # most sentences: every rule asks each of them
        return [claim for claim in self.found if not labels or claim.label_ in labels]


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
    def body_tokens(self) -> list[list[Token]]:
        """Each section body parsed as Markdown (the renderer's parser, raw HTML kept)."""
        return [_parser().parse(section["body"]) for _, section in self.sections()]

    @functools.cached_property
    def body_blocks(self) -> list[tuple[int, str]]:
        """(section index, plain text) for every paragraph, list item and heading of a body."""
        return [
            (index, _inline_text(token))
            for index, tokens in enumerate(self.body_tokens)
            for token in tokens
            if token.type == "inline"
        ]

    @functools.cached_property
    def blocks(self) -> list[tuple[str, str, str]]:
        """(pointer, field, text) of the title, the summary, each heading and each body block."""
        found = [("/title", "title", self.document["title"])]
        found.append(("/summary", "summary", self.document["summary"]))
        by_section: dict[int, list[str]] = {}
        for index, text in self.body_blocks:
            by_section.setdefault(index, []).append(text)
        for index, section in self.sections():
            found.append((pointer("sections", index, "heading"), "heading", section["heading"]))
            body = pointer("sections", index, "body")
            found += [(body, section["type"], text) for text in by_section.get(index, [])]
        return found

    @functools.cached_property
    def sentences(self) -> list[Sentence]:
        """Every sentence of title, summary, headings and bodies, in document order, analysed."""
        stripped = [_strip_markers(text) for _, _, text in self.blocks]
        fields = [kind for _, kind, _ in self.blocks]
        analysed = nlp.analyse([s.text for s in stripped], self.language, fields)
        found = []
        for number, ((where, kind, text), sentences) in enumerate(
            zip(self.blocks, analysed, strict=True)
        ):
            for sentence, cites, result in _sentence_spans(text, sentences, stripped[number]):
                doc = result.doc
                claims = tuple(doc.spans[nlp.CLAIMS]) if nlp.CLAIMS in doc.spans else ()
                found.append(
                    Sentence(sentence, where, kind, cites, number, doc[:], claims, result.text)
                )
        return found

    def claims(self, *labels: str) -> Iterator[tuple[Sentence, Any]]:
        """(sentence, phrase) for every matched phrase of these labels, in document order."""
        for sentence in self.sentences:
            for claim in sentence.claims(*labels):
                yield sentence, claim

    def cited_references(self, sentence: Sentence) -> list[dict[str, Any]]:
        return [self.references[i] for i in sentence.cites if i in self.references]
