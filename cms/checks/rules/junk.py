"""Rule 11: scraped page furniture (view counters, share buttons, cookie notices)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity, quote
from cms.checks.text import ArticleText
from cms.validation import pointer

# Each pattern matches text that belongs to a web page's chrome, not to an article.
PAGE_FURNITURE = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\bcomments?\s*[·•|\-–—]\s*\d[\d,.]*\s*(views?|reads?)\b",
        r"^\s*\d[\d,.]*\s*(views?|comments?|likes?|shares?|reads?)\s*$",
        r"^\s*(comments?|leave a (comment|reply)|reply)\s*:?\s*$",
        r"\bshare (this|on)\s+(facebook|twitter|x|linkedin|whatsapp|pinterest|email)\b",
        r"^\s*(share|tweet|pin it|print)\s*$",
        r"\bread more\b",
        r"\bclick here\b",
        r"\bposted (by|on|in)\b",
        r"\b(we use|this (site|website) uses|accept( all)?) cookies\b",
        r"\bcookie (policy|notice|settings|preferences|consent)\b",
        r"^\s*advertisement\s*$",
        r"\brelated (posts|articles|stories)\b",
        r"\bsubscribe to (our|the) newsletter\b",
        r"\ball rights reserved\b",
        r"^\s*tags?\s*:",
    )
]


def furniture_in(line: str) -> str | None:
    """The page furniture a line contains, or None."""
    for pattern in PAGE_FURNITURE:
        match = pattern.search(line)
        if match:
            return match.group(0).strip() or line.strip()
    return None


@rule(
    "page-junk",
    title="No scraped page furniture",
    why="Leftovers such as “Comments · 105 Views” or “Share on Facebook” show unedited, "
    "scraped content.",
    codes=[Code("junk.page_furniture", "error", "Text from a web page's chrome.")],
)
def page_junk(text: ArticleText) -> Iterator[Finding]:
    fields = [("/title", text.document["title"]), ("/summary", text.document["summary"])]
    for index, section in text.sections():
        fields.append((pointer("sections", index, "heading"), section["heading"]))
        fields.append((pointer("sections", index, "body"), section["body"]))
    for field_pointer, value in fields:
        for line in value.splitlines():
            junk = furniture_in(line)
            if junk:
                yield Finding(
                    "junk.page_furniture",
                    Severity.ERROR,
                    field_pointer,
                    f"Page furniture, not article text: {quote(line)}.",
                )
