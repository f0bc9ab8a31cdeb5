"""Query-parameter fields every list and lookup shares, so they validate alike."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import ValidationError, fields, validate

from cms.articles.schemas import SLUG_PATTERN, Locale, canonical_locale, pattern
from cms.validation import Message


def locale(**kwargs: Any) -> fields.String:
    return Locale(**kwargs)


class TranslationReference(fields.String):
    """``<locale>/<slug>`` of the original a text translates (``en/lupus-treatments``)."""

    default_error_messages = {
        "reference": Message(
            "translation_of", "Give the original as <locale>/<slug>, e.g. en/lupus-treatments."
        )
    }

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> dict[str, str]:
        text = super()._deserialize(value, attr, data, **kwargs)
        locale_part, _, slug = text.partition("/")
        if not slug or not re.fullmatch(SLUG_PATTERN, slug) or len(slug) > 120:
            raise self.make_error("reference")
        try:
            return {"slug": slug, "locale": canonical_locale(locale_part)}
        except ValidationError as exc:
            raise self.make_error("reference") from exc


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
