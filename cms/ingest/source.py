"""Reading a legacy web article: page junk out, then the title, headings and paragraphs.

Scraped articles come in two shapes: blank-line separated paragraphs, or one
paragraph (or heading) per line with no blank lines at all. Headings come in every
common web form: Markdown (``## …``, or a line underlined with ``===``/``---``), a
bold line, an upper-case line ("WHAT ARE THE RISKS"), a question ("Is it safe?"),
an FAQ question ("Q: Does it work?", whose answer starts "A:"), or a short
title-case line that does not end like a sentence.

Page junk is cut at its own size: a whole line ("Share on Facebook"), a bar of links,
or a fragment ("… in 2019. Read more »"); the prose around it stays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cms.checks.rules.junk import furniture_spans

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 200

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•–—]|\d{1,3}[.)])\s+(\S.*?)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_=])(?:\s*\1){2,}\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")
_QUESTION_PREFIX = re.compile(r"^\s*(?:q|question)\s*\d*\s*[:.)]\s+", re.IGNORECASE)
_ANSWER_PREFIX = re.compile(r"^\s*(?:a|answer)\s*[:.)]\s+", re.IGNORECASE)
# Short words an upper-case heading writes in capitals that are still words, not acronyms.
_SMALL_WORDS = frozenset(
    " ".join(
        [
            "a an and are as at be by can do does for from how i if in is it its of on",
            "or so the to was we what when where which who why will with you your",
        ]
    ).split()
)
_NOT_A_HEADING_END = ".!?:;,…"
_CLOSING = "\"'”’)]*_"


@dataclass(frozen=True, slots=True)
class Removed:
    """A source line left out of the draft, and why: ``junk`` or ``title`` (a repeat)."""

    line: int
    text: str
    why: str


@dataclass(frozen=True, slots=True)
class Heading:
    line: int
    text: str


@dataclass(slots=True)
class Paragraph:
    """A block of prose, possibly with list items, that is placed as one unit."""

    line: int
    lines: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        """The block as Markdown: text lines soft-wrapped, list items as ``- item``,
        a blank line wherever prose and list meet (so a list never glues onto prose)."""
        groups: list[list[str]] = []
        previous_is_item = False
        for line in self.lines:
            item = _LIST_ITEM.match(line)
            if not groups or (item is not None) != previous_is_item:
                groups.append([])
            groups[-1].append(f"- {item.group(1)}" if item else line)
            previous_is_item = item is not None
        return "\n\n".join("\n".join(group) for group in groups)

    def plain(self) -> str:
        """The text without list markers, on one line: for classifying and summarising."""
        return " ".join(_list_text(line) or line for line in self.lines)

    @property
    def is_list(self) -> bool:
        return all(_LIST_ITEM.match(line) for line in self.lines)


Block = Heading | Paragraph


@dataclass(frozen=True)
class Source:
    title: str
    blocks: list[Block]
    removed: list[Removed]


def read_source(text: str) -> Source:
    """Split a legacy article into title and blocks, with the lines left out."""
    lines, removed = _without_junk(text)
    lines = _normalise_markup(lines)
    title_at = next((i for i, (_, line) in enumerate(lines) if line.strip()), None)
    if title_at is None:
        return Source("", [], removed)
    title = clean_heading(lines[title_at][1])
    body, repeats = _without_title_repeats(lines[title_at + 1 :], title)
    removed = sorted([*removed, *repeats], key=lambda r: r.line)
    return Source(title, _blocks(body), removed)


def clean_heading(line: str) -> str:
    """Heading text without Markdown markers, a bold wrapper, an FAQ "Q:" or shouting."""
    text = line.strip()
    markdown = _MARKDOWN_HEADING.match(text)
    if markdown:
        text = markdown.group(1).strip()
    emphasis = _EMPHASIS.match(text)
    text = emphasis.group(2).strip() if emphasis else text
    text = _QUESTION_PREFIX.sub("", text)
    if _upper_case(text):
        text = _sentence_case(text.rstrip(":").strip())
    return text


def _upper_case(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


def _sentence_case(text: str) -> str:
    """ "WHAT ARE THE RISKS OF HSCT" → "What are the risks of HSCT": short words that are
    not ordinary words stay in capitals (acronyms)."""
    words = text.split()
    fixed = []
    for index, word in enumerate(words):
        bare = re.sub(r"\W", "", word).lower()
        acronym = len(bare) <= 4 and bare not in _SMALL_WORDS and not _common(bare)
        fixed.append(word if acronym else (word.capitalize() if index == 0 else word.lower()))
    return " ".join(fixed)


def _common(word: str) -> bool:
    from cms.checks.nlp import english_words  # noqa: PLC0415 - loaded only for headings

    return word in english_words()


def _list_text(line: str) -> str | None:
    item = _LIST_ITEM.match(line)
    return item.group(1) if item else None


def _without_junk(text: str) -> tuple[list[tuple[int, str]], list[Removed]]:
    """Lines with their page junk cut out: a line that is all junk goes, a line with a
    piece of junk keeps the rest."""
    kept: list[tuple[int, str]] = []
    removed: list[Removed] = []
    for number, line in enumerate(text.splitlines(), start=1):
        pieces = furniture_spans(line)
        if not pieces:
            kept.append((number, line.rstrip()))
            continue
        rest, position = [], 0
        for piece in pieces:
            rest.append(line[position : piece.start])
            removed.append(Removed(number, piece.text, "junk"))
            position = piece.end
        rest.append(line[position:])
        remainder = re.sub(r"\s{2,}", " ", "".join(rest)).rstrip()
        if remainder.strip(" |·•-–—:»«›‹"):
            kept.append((number, remainder))
    return kept, removed


def _normalise_markup(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Setext underlines turn the line above into a ``#`` heading; other rules are dropped
    (they are decoration, not content)."""
    result: list[tuple[int, str]] = []
    for number, line in lines:
        above = result[-1][1] if result else ""
        if _SETEXT_UNDERLINE.match(line) and above.strip() and not _LIST_ITEM.match(above):
            result[-1] = (result[-1][0], "# " + above.strip())
        elif not _RULE.match(line):
            result.append((number, line))
    return result


def _same_text(left: str, right: str) -> bool:
    return " ".join(left.casefold().split()) == " ".join(right.casefold().split())


def _without_title_repeats(
    lines: list[tuple[int, str]], title: str
) -> tuple[list[tuple[int, str]], list[Removed]]:
    kept = [(n, line) for n, line in lines if not _same_text(clean_heading(line), title)]
    repeats = [
        Removed(n, line.strip(), "title")
        for n, line in lines
        if line.strip() and _same_text(clean_heading(line), title)
    ]
    return kept, repeats


def _groups(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """Blank-line separated groups; or, when the text has no blank lines, one per line
    (runs of list items stay together). A Markdown heading is always its own group."""
    filled = [i for i, (_, line) in enumerate(lines) if line.strip()]
    if not filled:
        return []
    body = lines[filled[0] : filled[-1] + 1]
    by_line = not any(not line.strip() for _, line in body)
    groups: list[list[tuple[int, str]]] = []
    after_blank = True
    for number, line in body:
        if not line.strip():
            after_blank = True
            continue
        previous = groups[-1][-1][1] if groups else None
        if _starts_group(line, previous, after_blank=after_blank, by_line=by_line):
            groups.append([])
        groups[-1].append((number, line.strip()))
        after_blank = False
    return groups


def _starts_group(line: str, previous: str | None, *, after_blank: bool, by_line: bool) -> bool:
    if previous is None or _MARKDOWN_HEADING.match(line) or _MARKDOWN_HEADING.match(previous):
        return True
    if by_line:
        return not (_LIST_ITEM.match(line) and _LIST_ITEM.match(previous))
    return after_blank


def _looks_like_heading(line: str) -> bool:
    """A short line that does not end like a sentence (a question may: "Is it safe?") and
    does not start in lower case; an upper-case line; an FAQ question."""
    if _LIST_ITEM.match(line):
        return False
    if _QUESTION_PREFIX.match(line):
        return True
    text = clean_heading(line)
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(text) > MAX_HEADING_CHARS:
        return False
    ending = text.rstrip(_CLOSING)[-1:]
    question = ending == "?" and text.count("?") == 1 and not re.search(r"[.!]\s", text)
    if _upper_case(line.strip().rstrip(":")) or question:
        return True
    first_letter = next((c for c in text if c.isalpha()), "")
    return ending not in _NOT_A_HEADING_END and bool(first_letter) and not first_letter.islower()


def _blocks(lines: list[tuple[int, str]]) -> list[Block]:
    groups = _groups(lines)
    blocks: list[Block] = []
    for index, group in enumerate(groups):
        number, first = group[0]
        followed = index + 1 < len(groups)
        if len(group) == 1 and (
            _MARKDOWN_HEADING.match(first) or (followed and _looks_like_heading(first))
        ):
            blocks.append(Heading(number, clean_heading(first)))
            continue
        lines = [line for _, line in group]
        lines[0] = _ANSWER_PREFIX.sub("", lines[0]) or lines[0]  # an FAQ's "A: …"
        paragraph = Paragraph(number, lines)
        previous = blocks[-1] if blocks else None
        # A list belongs to the sentence that introduces it ("Patients often report:").
        if paragraph.is_list and isinstance(previous, Paragraph):
            previous.lines.extend(paragraph.lines)
        else:
            blocks.append(paragraph)
    return blocks
