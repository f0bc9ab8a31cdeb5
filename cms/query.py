"""Query-parameter fields every list and lookup shares, so they validate alike."""

from __future__ import annotations

from typing import Any

from marshmallow import fields, validate

from cms.articles.schemas import SLUG_PATTERN, Locale, pattern
from cms.validation import Message


def locale(**kwargs: Any) -> fields.String:
    return Locale(**kwargs)


def conditions(description: str) -> fields.List:
    return fields.List(
        fields.String(
            validate=[
                validate.Length(max=120, error=Message("length", "Longer than {max} characters.")),
                pattern(SLUG_PATTERN, "slug", "Not a condition slug."),
            ]
        ),
        validate=validate.Length(max=20, error=Message("length", "At most {max} conditions.")),
        metadata={"description": description},
    )


def page_limit(default: int, maximum: int) -> fields.Integer:
    return fields.Integer(
        load_default=default,
        validate=validate.Range(
            min=1, max=maximum, error=Message("range", "Must be between {min} and {max}.")
        ),
    )


def opaque_cursor() -> fields.String:
    return fields.String(
        validate=validate.Length(max=200, error=Message("length", "Too long.")),
        metadata={"description": "Opaque; from next_cursor or the Link header."},
    )
