"""The CommonMark parser setup every reader of section bodies shares.

Section bodies are CommonMark with one extension: citation markers, ``[@id]`` or
``[@a; @b]``, parsed as ``citation`` tokens (``meta["ids"]``, and the marker text as
``content``). The renderer turns them into links; the content checks read them.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from cms.articles.citations import parse_marker


def _citation(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    marker = parse_marker(state.src, state.pos)
    if marker is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"ids": marker.ids}
        token.content = state.src[marker.start : marker.end]
    state.pos = marker.end
    return True


def parser(*, html: bool) -> MarkdownIt:
    """A new parser: ``html`` parses raw HTML as html tokens (to report it), or as text."""
    md = MarkdownIt("commonmark", {"html": html, "linkify": False, "typographer": False})
    md.inline.ruler.before("link", "citation", _citation)
    return md
