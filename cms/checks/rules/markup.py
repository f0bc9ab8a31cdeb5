"""Rule 12: no raw HTML and no unsafe links in bodies."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from markdown_it.token import Token

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import ArticleText
from cms.validation import pointer

SAFE_SCHEMES = frozenset({"http", "https", "mailto", ""})


def _walk(tokens: list[Token]) -> Iterator[Token]:
    for token in tokens:
        yield token
        if token.children:
            yield from _walk(token.children)


@rule(
    "markup",
    title="No raw HTML, no unsafe links",
    why="Bodies are Markdown; HTML and script links are stripped when rendered, so an "
    "article that relies on them shows something else than its author wrote.",
    codes=[
        Code("markup.raw_html", "error", "Raw HTML in a body.", waivable=False),
        Code(
            "markup.unsafe_link",
            "error",
            "A link that is not http, https, mailto or relative.",
            waivable=False,
        ),
    ],
    flags=["See <b>this</b>.", "[Click](javascript:alert(1))"],
    passes=["[the FDA](https://www.fda.gov/)", "`<b>` in a code span"],
)
def markup(text: ArticleText) -> Iterator[Finding]:
    for index, tokens in enumerate(text.body_tokens):
        body = pointer("sections", index, "body")
        for token in _walk(tokens):
            if token.type in ("html_inline", "html_block"):
                yield Finding(
                    "markup.raw_html",
                    Severity.ERROR,
                    body,
                    f"Raw HTML is not allowed, write Markdown: {quote(token.content)}.",
                )
            elif token.type in ("link_open", "image"):
                href = str(token.attrs.get("href") or token.attrs.get("src") or "")
                scheme = urlsplit(href.strip()).scheme.lower()
                if scheme not in SAFE_SCHEMES:
                    yield Finding(
                        "markup.unsafe_link",
                        Severity.ERROR,
                        body,
                        f"Link to {quote(href, 60)}: only http, https, mailto and relative "
                        "links are allowed.",
                    )
