"""Reading a legacy web article: page junk out, then the title, headings and paragraphs.

Scraped articles come in two shapes: blank-line separated paragraphs, or one
paragraph (or heading) per line with no blank lines at all. Headings are either
Markdown (``## …``, or a line underlined with ``===``/``---``) or plain short lines
that do not end like a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from cms.checks.rules.junk import furniture_in

MAX_HEADING_WORDS = 12
MAX_HEADING_CHARS = 200

_MARKDOWN_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_LIST_ITEM = re.compile(r"^\s*(?:[-*+•–—]|\d{1,3}[.)])\s+(\S.*?)\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_=])(?:\s*\1){2,}\s*$")
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_EMPHASIS = re.compile(r"^(\*\*|__)(.+)\1$")
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
    """Heading text without Markdown markers or a bold wrapper."""
    text = line.strip()
    markdown = _MARKDOWN_HEADING.match(text)
    if markdown:
        text = markdown.group(1).strip()
    emphasis = _EMPHASIS.match(text)
    return emphasis.group(2).strip() if emphasis else text


def _list_text(line: str) -> str | None:
    item = _LIST_ITEM.match(line)
    return item.group(1) if item else None


def _without_junk(text: str) -> tuple[list[tuple[int, str]], list[Removed]]:
    kept: list[tuple[int, str]] = []
    removed: list[Removed] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if furniture_in(line) is not None:
            removed.append(Removed(number, line.strip(), "junk"))
        else:
            kept.append((number, line.rstrip()))
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
    """A short line that does not end like a sentence and does not start in lower case."""
    if _LIST_ITEM.match(line):
        return False
    text = clean_heading(line)
    words = text.split()
    if not words or len(words) > MAX_HEADING_WORDS or len(text) > MAX_HEADING_CHARS:
        return False
    if text.rstrip(_CLOSING)[-1:] in _NOT_A_HEADING_END:
        return False
    first_letter = next((c for c in text if c.isalpha()), "")
    return bool(first_letter) and not first_letter.islower()


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
        paragraph = Paragraph(number, [line for _, line in group])
        previous = blocks[-1] if blocks else None
        # A list belongs to the sentence that introduces it ("Patients often report:").
        if paragraph.is_list and isinstance(previous, Paragraph):
            previous.lines.extend(paragraph.lines)
        else:
            blocks.append(paragraph)
    return blocks
