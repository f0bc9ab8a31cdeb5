"""User search text to terms: the only way a query reaches a search engine.

Nothing the user typed is passed on as query syntax. The text is split into
words (letters and digits only); double quotes group words into a phrase; a
``*`` right after a word makes it a prefix (search as you type). Everything else
(operators, brackets, colons, unbalanced quotes, control characters) only
separates words. Each backend then builds its own query from these words,
quoting them itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

MAX_TERMS = 12
# A prefix of one letter starts most of a language's words: it would read most of the
# index for a search nobody means (0.2 s at 50,000 articles on SQLite, whose prefix
# indexes start at two letters, migration 0019).
MIN_PREFIX_LENGTH = 2
# Longer "words" are junk (no language has them); PostgreSQL would not index them either.
MAX_WORD_LENGTH = 100
# Letters and digits (not "_": FTS5's unicode61 tokenizer splits on it).
_WORD = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'"([^"]*)"?|([^"]+)')
_PREFIX_WORD = re.compile(r"([^\W_]+)(\*?)")


@dataclass(frozen=True, slots=True)
class Term:
    """One word, a phrase (several words in order) or a prefix (one word, ``prefix``)."""

    words: tuple[str, ...]
    prefix: bool = False


def _clean(text: str) -> str:
    # NFKC folds compatibility forms (full-width letters, ligatures); lone surrogates
    # and other unencodable characters are dropped rather than crashing a driver.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    return unicodedata.normalize("NFKC", text).casefold()


def parse(text: str) -> list[Term]:
    """The terms of a query, at most ``MAX_TERMS``, duplicates removed, in order."""
    terms: list[Term] = []
    for quoted, bare in _PIECE.findall(_clean(text)):
        if quoted:
            words = tuple(w for w in _WORD.findall(quoted) if len(w) <= MAX_WORD_LENGTH)
            if len(words) == 1:
                terms.append(Term(words))
            elif words:
                terms.append(Term(words[:MAX_TERMS]))
            continue
        for word, star in _PREFIX_WORD.findall(bare):
            if len(word) <= MAX_WORD_LENGTH:
                terms.append(Term((word,), prefix=bool(star)))
    return list(dict.fromkeys(terms))[:MAX_TERMS]
