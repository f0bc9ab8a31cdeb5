"""The search request and response, as the API documents them."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields

from cms import query
from cms.delivery.schemas import (
    FIELDS_DESCRIPTION,
    SUMMARY_TREE,
    PublicArticleSummarySchema,
    field_list,
)
from cms.validation import Message

Q_MIN, Q_MAX = 2, 200

Q_DESCRIPTION = f"""\
What to search for, {Q_MIN} to {Q_MAX} characters. Every word must match
(in the title, summary, section headings or section text); words are stemmed in
the language of `locale` ("transplants" finds "transplant"). `"two words"` in
double quotes is a phrase; a `*` right after a word of at least 2 letters matches
words that start with it, for search as you type (`transpl*`, `tr*`; `t*` is a 400
problem, `short_prefix`). Nothing else is syntax: other punctuation only separates
words, so any text is a valid search.
"""


def _q_length(value: str) -> None:
    length = len(value.strip())
    if length < Q_MIN:
        raise ValidationError(Message("too_short", f"Type at least {Q_MIN} characters to search."))
    if len(value) > Q_MAX:
        raise ValidationError(Message("length", f"Longer than {Q_MAX} characters."))


class SearchQuerySchema(Schema):
    q = fields.String(required=True, validate=_q_length, metadata={"description": Q_DESCRIPTION})
    locale = query.locale(
        load_default="en",
        metadata={
            "description": "Search the articles in this locale, with its language's stemming "
            "(default en)."
        },
    )
    condition = query.conditions("Repeatable; an article matches if it has any of them.")
    limit = query.page_limit(default=10, maximum=50)
    cursor = query.opaque_cursor()
    fieldset = field_list(
        {**SUMMARY_TREE, "score": None, "snippet": None},
        FIELDS_DESCRIPTION + "\nHits are summaries with `score` and `snippet`: no sections.",
    )


class SearchHitSchema(PublicArticleSummarySchema):
    score = fields.Float(
        required=True,
        metadata={
            "description": "Relevance: 4 when the title holds every term, 3 when title and "
            "summary do, 2 with the section headings, 1 anywhere in the text; higher is better."
        },
    )
    snippet = fields.String(
        required=True,
        metadata={
            "description": "A passage with the matched words in `<mark>…</mark>`; the rest is "
            "escaped text, so the only markup is `<mark>`."
        },
    )


class SearchPageSchema(Schema):
    items = fields.List(
        fields.Nested(SearchHitSchema),
        required=True,
        metadata={"description": "Most relevant first; newest first among equal scores."},
    )
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "Pass as ?cursor= with the same q and filters for the next page; "
            "null on the last page."
        },
    )
