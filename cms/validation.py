"""Validation problems as ``{pointer, code, message}``, shared by the API and the importer.

marshmallow reports errors as nested dicts of messages. Clients need a flat list
they can attach to form fields or fixture lines: a JSON pointer (RFC 6901) into
the document, a stable machine-readable code and a human message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from marshmallow import ValidationError, validate


class FullMatch(validate.Regexp):
    """``validate.Regexp`` over the whole value: ``re.match`` with ``$`` would accept a
    trailing newline (a slug ``"x\n"`` was published and unreachable). The pattern
    itself keeps ``^…$`` for the OpenAPI document, where it means the same in ECMA."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


class Message(str):
    """An error message that carries a stable code through marshmallow.

    marshmallow keeps message objects as they are, and its validators call
    ``error.format(...)``; the override keeps the code on the formatted copy.
    """

    code: str

    def __new__(cls, code: str, text: str) -> Message:
        obj = super().__new__(cls, text)
        obj.code = code
        return obj

    def format(self, *args: Any, **kwargs: Any) -> Message:
        return Message(self.code, str.format(self, *args, **kwargs))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Message, (self.code, str(self)))


# Codes for marshmallow's own default messages (marshmallow/fields.py, validate.py).
_DEFAULT_CODES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^Missing data for required field\.$"), "required"),
    (re.compile(r"^Field may not be null\.$"), "null"),
    (re.compile(r"^Unknown field\.$"), "unknown_field"),
    (re.compile(r"^Invalid input type\.$"), "type"),
    (re.compile(r"^Invalid type\.$"), "type"),
    (re.compile(r"^Not a valid (string|integer|number|boolean|list|mapping type)\.$"), "type"),
    (re.compile(r"^Not a valid (date|datetime|time|UUID|URL|email address)\.$"), "format"),
    (re.compile(r"^Must be one of: .*\.$"), "enum"),
    (re.compile(r"^(Shorter than minimum|Longer than maximum) length|^Length must be"), "length"),
    (re.compile(r"^Must be (greater|less) than"), "range"),
    (re.compile(r"^String does not match expected pattern\.$"), "pattern"),
]


def code_for(message: str) -> str:
    """The stable code of a validation message."""
    code = getattr(message, "code", None)
    if code:
        return code
    for pattern, default_code in _DEFAULT_CODES:
        if pattern.search(message):
            return default_code
    return "invalid"


@dataclass(frozen=True, slots=True)
class FieldError:
    pointer: str
    code: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def escape_pointer_token(token: object) -> str:
    """RFC 6901: ``~`` becomes ``~0`` and ``/`` becomes ``~1``."""
    return str(token).replace("~", "~0").replace("/", "~1")


def pointer(*tokens: object) -> str:
    return "".join("/" + escape_pointer_token(t) for t in tokens)


def _walk(messages: Any, path: tuple[object, ...]) -> Iterator[tuple[tuple[object, ...], str]]:
    if isinstance(messages, Mapping):
        for key, value in messages.items():
            # "_schema" holds errors about the object itself, not a member of it.
            yield from _walk(value, path if key == "_schema" else (*path, key))
    elif isinstance(messages, list | tuple):
        for item in messages:
            yield from _walk(item, path)
    else:
        yield path, messages


def _is_index(token: object) -> bool:
    """A list index: ASCII digits only ("²".isdigit() is true, int("²") fails)."""
    return isinstance(token, int) or bool(re.fullmatch(r"[0-9]+", str(token)))


def _document_order(item: tuple[tuple[object, ...], str]) -> tuple[tuple[int, int, str], ...]:
    # Natural order, so /sections/2 comes before /sections/10.
    return tuple(
        (0, int(token), "") if _is_index(token) else (1, 0, str(token)) for token in item[0]
    )


def field_errors(messages: Any, prefix: tuple[object, ...] = ()) -> list[FieldError]:
    """Flatten marshmallow's nested error messages into pointer-addressed errors.

    Errors come out in document order; a message that is not a string (should a
    validator misbehave) is reported as text rather than dropped.
    """
    flat = sorted(_walk(messages, prefix), key=_document_order)
    return [
        FieldError(pointer(*path), code_for(msg) if isinstance(msg, str) else "invalid", str(msg))
        for path, msg in flat
    ]
