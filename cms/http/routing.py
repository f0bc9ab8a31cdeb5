"""URL converters, documented in the OpenAPI spec."""

from __future__ import annotations

from werkzeug.routing import BaseConverter

from cms.articles.schemas import SLUG_PATTERN


class SlugConverter(BaseConverter):
    """``<slug:slug>``: a path segment that cannot be a slug is a 404 before any query.

    (PostgreSQL rejects some bytes, such as NUL, in text parameters outright.)
    """

    regex = SLUG_PATTERN.strip("^$")


def slug_parameter_schema(_converter: BaseConverter) -> dict[str, str]:
    return {"type": "string", "pattern": SLUG_PATTERN}
