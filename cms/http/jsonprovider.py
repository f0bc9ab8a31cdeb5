"""orjson as Flask's JSON provider."""

from __future__ import annotations

from typing import Any

import orjson
from flask.json.provider import JSONProvider


class OrjsonProvider(JSONProvider):
    """orjson for every JSON response (and flask-smorest's ETag hashing and spec output)."""

    def dumps(self, obj: Any, **kwargs: Any) -> str:
        option = orjson.OPT_NON_STR_KEYS  # marshmallow keys list errors by int index
        if kwargs.get("sort_keys"):
            option |= orjson.OPT_SORT_KEYS
        if kwargs.get("indent"):
            option |= orjson.OPT_INDENT_2
        return orjson.dumps(obj, default=str, option=option).decode()

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return orjson.loads(s)
