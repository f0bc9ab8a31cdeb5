"""Placing a source's blocks into typed sections, and recording why each went where.

Text before the first heading is the overview. Paragraphs under a heading with a
known type go to that type, except that a paragraph describing harms goes to
risks whatever heading it sits under. Under a heading whose words say nothing (or in an
article without headings) each paragraph is classified by its content; when its
content is not decisive it stays with the last recognised heading (a sub-heading
such as "Long-Term Remission" under "Clinical Evidence"), or, when there is
none, it is "unplaced": added to the overview and reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cms.articles.schemas import SECTION_TYPES
from cms.ingest.classify import content_type, heading_type, is_risks_text
from cms.ingest.source import Block, Heading, Paragraph

DEFAULT_HEADINGS = {
    "overview": "Overview",
    "mechanism": "How it works",
    "evidence": "The evidence",
    "benefits": "Possible benefits",
    "risks": "Risks",
    "outlook": "Outlook",
}


@dataclass
class SectionDraft:
    """One section being assembled; the first heading to arrive names it."""

    type: str
    heading: str | None = None
    chunks: list[str] = field(default_factory=list)
    has_text: bool = False

    def add_heading(self, text: str) -> None:
        # Once a sub-heading is in the body, a later heading cannot name the section
        # without moving text that came before it under the wrong heading.
        nested = any(chunk.startswith("### ") for chunk in self.chunks)
        if self.heading is None and not nested:
            self.heading = text
        else:
            self.chunks.append(f"### {text}")

    def add_paragraph(self, paragraph: Paragraph) -> None:
        self.chunks.append(paragraph.markdown())
        self.has_text = True

    def as_dict(self) -> dict[str, str]:
        return {
            "type": self.type,
            "heading": self.heading or DEFAULT_HEADINGS[self.type],
            "body": "\n\n".join(self.chunks) if self.has_text else "",
        }


@dataclass
class Layout:
    sections: list[SectionDraft]  # in SECTION_TYPES order; risks always present
    mapping: list[dict[str, Any]]
    unplaced: list[Paragraph]


@dataclass
class _Walker:
    has_headings: bool
    sections: dict[str, SectionDraft] = field(default_factory=dict)
    mapping: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[Paragraph] = field(default_factory=list)
    heading: Heading | None = None
    heading_kind: str | None = None
    parent: tuple[str, Heading] | None = None  # the last heading with a known type
    pending: str | None = None  # an unrecognised heading waiting for its first paragraph
    paragraphs: int = 0

    def section(self, kind: str) -> SectionDraft:
        return self.sections.setdefault(kind, SectionDraft(kind))

    def note(self, line: int, heading: str | None, kind: str | None, reason: str) -> None:
        self.mapping.append({"line": line, "heading": heading, "type": kind, "reason": reason})

    def open(self, heading: Heading) -> None:
        self.heading, self.heading_kind = heading, heading_type(heading.text)
        if self.heading_kind is None:
            self.pending = heading.text
            self.note(heading.line, heading.text, None, "content")
            return
        self.parent, self.pending = (self.heading_kind, heading), None
        self.section(self.heading_kind).add_heading(heading.text)
        self.note(heading.line, heading.text, self.heading_kind, "heading")

    def place(self, paragraph: Paragraph) -> None:
        kind = self.decide(paragraph)
        section = self.section(kind)
        if self.pending is not None:
            section.add_heading(self.pending)
            self.pending = None
        section.add_paragraph(paragraph)
        self.paragraphs += 1

    def decide(self, paragraph: Paragraph) -> str:
        if self.heading is None and (self.has_headings or self.paragraphs == 0):
            if self.paragraphs == 0:
                self.note(paragraph.line, None, "overview", "intro")
            return "overview"
        if self.heading_kind is not None:
            if self.heading_kind != "risks" and is_risks_text(paragraph.plain()):
                # Harms described under another heading still belong in risks.
                self.note(paragraph.line, self.heading.text, "risks", "content")
                return "risks"
            return self.heading_kind  # the heading's own mapping entry covers it
        context = self.heading.text if self.heading else None
        kind = content_type(paragraph.plain())
        if kind is not None:
            self.note(paragraph.line, context, kind, "content")
            return kind
        if self.parent is not None:
            self.note(paragraph.line, self.parent[1].text, self.parent[0], "heading")
            return self.parent[0]
        self.note(paragraph.line, context, "overview", "unplaced")
        self.unplaced.append(paragraph)
        return "overview"


def lay_out(blocks: list[Block]) -> Layout:
    """Sections in the document's order, the mapping, and the paragraphs left unplaced."""
    walker = _Walker(has_headings=any(isinstance(b, Heading) for b in blocks))
    for block in blocks:
        if isinstance(block, Heading):
            walker.open(block)
        else:
            walker.place(block)
    walker.section("risks")  # required: present even when the source says nothing of risks
    sections = [
        walker.sections[kind]
        for kind in SECTION_TYPES
        if kind in walker.sections and (walker.sections[kind].has_text or kind == "risks")
    ]
    return Layout(sections, walker.mapping, walker.unplaced)
