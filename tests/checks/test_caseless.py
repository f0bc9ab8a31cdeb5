"""A case-insensitive pattern looked for in a lowered text finds what it finds in the text."""

from __future__ import annotations

import re

import pytest

from cms.checks.text import caseless_finder

TEXTS = [
    "Talk To Your GP before you stop.",
    "ASK YOUR DOCTOR",
    "Under close SUPERVISION",
    r"A back\Slash",
    "Kelvin: \u212a, long s: \u017f",
    "nothing here",
]


@pytest.mark.parametrize(
    "source",
    [
        r"\b(talk|speak)\s+(to|with)\s+your\b",
        r"\bunder\s+(\S+\s+){0,2}supervision\b",
        r"ask\W+your",
        r"\\slash",  # a backslash, then lower-case letters
        r"\\Slash",  # …then a capital: searched as it is
        r"(?-i:ask)",  # part matched case-sensitively: searched as it is
        r"\x41sk",  # a capital by its code: searched as it is
        "\u212a",  # the Kelvin sign matches "k" ignoring case: searched as it is
        r"[a-z]+ [A-Z]+",
    ],
)
def test_caseless_finder_answers_as_the_pattern_does(source: str):
    pattern = re.compile(source, re.IGNORECASE)
    found = caseless_finder(pattern)
    for text in TEXTS:
        assert found(text) == (pattern.search(text) is not None), text
