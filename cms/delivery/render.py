"""Markdown section bodies to safe HTML for front ends.

markdown-it-py parses CommonMark with raw HTML disabled; a parser rule turns
citation markers into links to the reference list; nh3 (the Rust ``ammonia``
sanitizer) then enforces an allow-list of tags, attributes and URL schemes, so a
body can never deliver script, event handlers or ``javascript:`` links.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from cms.articles import markdown

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "sup", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "sup": {"class"}}
URL_SCHEMES = {"http", "https", "mailto"}
# Section headings are rendered by the front end (h2); body headings start at h3.
HEADING_OFFSET = 2


def _render_citation(
    _renderer: RendererHTML, tokens: Sequence[Token], idx: int, _options: Any, env: Any
) -> str:
    numbers: Mapping[str, int] = env.get("reference_numbers", {})
    ids = tokens[idx].meta["ids"]
    if not all(ref_id in numbers for ref_id in ids):
        # Validation refuses such documents; render the marker literally just in case.
        return escape("[" + "; ".join("@" + ref_id for ref_id in ids) + "]")
    links = ", ".join(f'<a href="#ref-{escape(i)}">{numbers[i]}</a>' for i in ids)
    return f'<sup class="citation">{links}</sup>'


def _shift_headings(state: StateCore) -> None:
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + HEADING_OFFSET, 6)
            token.tag = f"h{level}"


def _build_parser() -> MarkdownIt:
    md = markdown.parser(html=False)
    md.disable("image")  # no remote images: tracking pixels and unreviewed media
    md.core.ruler.push("shift_headings", _shift_headings)
    md.add_render_rule("citation", _render_citation)
    return md


_parser = _build_parser()


@functools.lru_cache(maxsize=64)
def parse(body: str) -> list[Token]:
    """A section body parsed as it is rendered. Cached (not to be changed): a publish renders
    each body, then reads its words for the search index and the JSON-LD from the same parse."""
    return _parser.parse(body)


def render_markdown(body: str, reference_numbers: Mapping[str, int]) -> str:
    """Render a section body; ``reference_numbers`` maps reference ids to their 1-based number."""
    env = {"reference_numbers": reference_numbers}
    html = _parser.renderer.render(parse(body), _parser.options, env)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel=None,  # no target attributes are allowed, so there is no opener to guard
    ).strip()
