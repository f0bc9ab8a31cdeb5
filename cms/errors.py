"""Domain exceptions raised by services.

Services raise these and know nothing about HTTP; ``cms.api`` maps each one to a
status code and an RFC 9457 problem document, the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Sequence

from cms.validation import FieldError


class CMSError(Exception):
    """Base class: ``detail`` is a sentence meant for the person who made the request."""

    def __init__(self, detail: str, *, errors: Sequence[FieldError] = ()):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)


class NotFound(CMSError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class InvalidDocument(CMSError):
    """A document failed validation; ``errors`` point into it."""


class InvalidParameters(CMSError):
    """Query or path parameters are malformed; ``errors`` point at ``/query/<name>``."""


class Conflict(CMSError):
    """The request contradicts the current state (for example, a slug already in use)."""
