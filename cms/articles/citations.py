"""Inline citation markers: ``[@scot2018]`` or several at once, ``[@scot2018; @astis2014]``.

One parser for both sides: validation checks that every cited id exists, the
renderer turns markers into links to ``#ref-<id>``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

REFERENCE_ID_PATTERN = r"[A-Za-z0-9](?:[A-Za-z0-9_.:-]{0,62}[A-Za-z0-9])?"
_ID_IN_MARKER = r"@[A-Za-z0-9][A-Za-z0-9_.:-]*"
MARKER_RE = re.compile(rf"\[({_ID_IN_MARKER}(?:\s*;\s*{_ID_IN_MARKER})*)\]")
_ID_RE = re.compile(r"@([A-Za-z0-9][A-Za-z0-9_.:-]*)")


@dataclass(frozen=True, slots=True)
class Marker:
    start: int
    end: int
    ids: tuple[str, ...]


def parse_marker(text: str, pos: int = 0) -> Marker | None:
    """The marker starting exactly at ``pos``, if there is one."""
    match = MARKER_RE.match(text, pos)
    if match is None:
        return None
    return Marker(match.start(), match.end(), tuple(_ID_RE.findall(match.group(1))))


def find_markers(text: str) -> Iterator[Marker]:
    for match in MARKER_RE.finditer(text):
        yield Marker(match.start(), match.end(), tuple(_ID_RE.findall(match.group(1))))


def cited_ids(text: str) -> list[str]:
    """Every cited id in order of appearance (duplicates kept)."""
    return [ref_id for marker in find_markers(text) for ref_id in marker.ids]
