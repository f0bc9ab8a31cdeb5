"""Refuse, before any route runs, URLs the database could not store or match.

Query strings must be valid UTF-8 (werkzeug would quietly replace bad bytes) and,
like paths, free of NUL and other control characters (PostgreSQL refuses NUL in
text outright). The answer is a 400 problem pointing at ``/query/<name>`` or
``/path``.
"""

from __future__ import annotations

import re
from urllib.parse import unquote_to_bytes

from flask import Flask, request

from cms.errors import InvalidParameters
from cms.validation import FieldError

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def _refuse(pointer: str, code: str, message: str) -> InvalidParameters:
    return InvalidParameters(
        "The URL holds characters this API cannot accept.",
        errors=[FieldError(pointer, code, message)],
    )


def check_url() -> None:
    raw_path = request.environ.get("PATH_INFO", "")
    try:
        path = raw_path.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        raise _refuse("/path", "invalid_utf8", "The path is not valid UTF-8.") from None
    if _CONTROL.search(path):
        raise _refuse("/path", "control_character", "The path contains a control character.")
    query = request.environ.get("QUERY_STRING", "")
    for pair in query.split("&") if query else ():
        raw_name, _, raw_value = pair.partition("=")
        try:
            name = _decode(raw_name)
        except UnicodeDecodeError:
            raise _refuse("/query", "invalid_utf8", "A parameter name is not UTF-8.") from None
        try:
            value = _decode(raw_value)
        except UnicodeDecodeError:
            raise _refuse(f"/query/{name}", "invalid_utf8", "Not valid UTF-8.") from None
        if _CONTROL.search(name) or _CONTROL.search(value):
            raise _refuse(f"/query/{name}", "control_character", "Contains a control character.")


def _decode(part: str) -> str:
    """One name or value of a query string, as the parser will read it, but strictly."""
    return unquote_to_bytes(part.replace("+", " ")).decode("utf-8")


def init_app(app: Flask) -> None:
    app.before_request(check_url)
