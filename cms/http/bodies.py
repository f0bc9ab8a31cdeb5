"""Request bodies, within documented limits: one parser for JSON, one for text.

What a JSON body may hold (I-JSON, RFC 7493, plus what the database can store):

- nesting at most ``MAX_DEPTH`` levels of arrays and objects (an article needs 4);
- numbers within ±(2**53 − 1), the integers every JSON implementation reads
  exactly (the API has no fractional fields), and finite (``1e999`` is refused);
- text without NUL characters (PostgreSQL cannot store them) or lone surrogates,
  and valid UTF-8 throughout.

Text bodies (legacy articles to ingest) must be valid UTF-8 without NUL
characters. A body past a limit is a 400 problem whose ``errors`` point at the place.
"""

from __future__ import annotations

from typing import Any

import orjson
from flask import current_app, request
from werkzeug.exceptions import RequestEntityTooLarge

from cms.errors import MalformedBody
from cms.validation import FieldError, pointer

MAX_DEPTH = 32
MAX_INTEGER = 2**53 - 1

_ORJSON_CODES = (
    ("depth limit exceeded", "too_deep", f"Nested deeper than {MAX_DEPTH} levels."),
    ("number is infinity", "number_range", "A number is too large (or not finite)."),
    ("surrogate", "invalid_unicode", "Contains a lone surrogate or invalid UTF-8."),
    ("not valid UTF-8", "invalid_unicode", "The body is not valid UTF-8."),
)


def _malformed(errors: list[FieldError]) -> MalformedBody:
    return MalformedBody("The request body is not valid JSON within this API's limits.", errors)


# After refusing a body, read on (and discard) up to this many bytes so the client,
# still sending, gets to read the 413 instead of a connection reset.
DRAIN_LIMIT = 64 * 1024 * 1024


def read(limit: int | None = None) -> bytes:
    """The request body, at most ``limit`` bytes (default CMS_MAX_BODY_BYTES): 413 beyond.

    Also for chunked bodies, which have no Content-Length: werkzeug stops reading
    them at ``max_content_length`` and returns what it has, so a body one byte
    over the limit is read as limit + 1 bytes and refused, never cut and used.
    """
    limit = limit if limit is not None else current_app.config["MAX_CONTENT_LENGTH"]
    too_large = RequestEntityTooLarge(f"The body is larger than {limit} bytes.")
    if request.content_length is not None and request.content_length > limit:
        raise too_large
    request.max_content_length = limit + 1
    data = request.get_data(cache=True)
    if len(data) > limit:
        _drain()
        raise too_large
    return data


def _drain() -> None:
    stream = request.environ.get("wsgi.input")
    if stream is None or "wsgi.input_terminated" not in request.environ:
        return
    remaining = DRAIN_LIMIT
    while remaining > 0 and (chunk := stream.read(min(65536, remaining))):
        remaining -= len(chunk)


def parse_text(data: bytes) -> str:
    """A text body; raises ``MalformedBody`` for invalid UTF-8 or NUL characters."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedBody(
            "The request body is not valid UTF-8 text.",
            [FieldError("", "invalid_unicode", f"Invalid UTF-8 at byte {exc.start}.")],
        ) from exc
    if "\x00" in text:
        raise MalformedBody(
            "The request body contains a NUL character.",
            [FieldError("", "nul_character", f"NUL at character {text.index(chr(0))}.")],
        )
    return text


def parse_json(data: bytes, *, prefix: tuple[object, ...] = ()) -> Any:
    """The body's JSON value; raises ``MalformedBody`` with a pointer to the problem."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        for text, code, message in _ORJSON_CODES:
            if text in str(exc):
                raise _malformed([FieldError(pointer(*prefix), code, message)]) from exc
        raise _malformed(
            [FieldError(pointer(*prefix), "malformed_json", f"Not well-formed JSON: {exc}.")]
        ) from exc
    problem = first_problem(value)
    if problem is not None:
        path, code, message = problem
        raise _malformed([FieldError(pointer(*prefix, *path), code, message)])
    return value


def first_problem(value: Any) -> tuple[tuple[object, ...], str, str] | None:
    """The first place where ``value`` goes past the limits, depth-first; None if none."""
    stack: list[tuple[Any, tuple[object, ...]]] = [(value, ())]
    while stack:
        item, path = stack.pop()
        if len(path) > MAX_DEPTH:
            return path, "too_deep", f"Nested deeper than {MAX_DEPTH} levels."
        if isinstance(item, dict):
            for key, child in reversed(item.items()):
                if "\x00" in key:
                    return (*path, key), "nul_character", "A member name contains a NUL character."
                stack.append((child, (*path, key)))
        elif isinstance(item, list):
            stack.extend(
                (child, (*path, index)) for index, child in reversed(list(enumerate(item)))
            )
        elif isinstance(item, str):
            if "\x00" in item:
                return path, "nul_character", "Contains a NUL character."
        elif (
            isinstance(item, int | float) and not isinstance(item, bool) and abs(item) > MAX_INTEGER
        ):
            return path, "number_range", f"Numbers must be within ±{MAX_INTEGER}."
    return None
