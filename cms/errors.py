"""Domain exceptions raised by services.

Services raise these and know nothing about HTTP; ``cms.http.problems`` maps each one to a
status code and an RFC 9457 problem document, the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cms.validation import FieldError


class CMSError(Exception):
    """Base class: ``detail`` is a sentence meant for the person who made the request.

    ``extra`` holds additional members for the problem document (RFC 9457 §3.2).
    """

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        extra: Mapping[str, Any] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.extra = dict(extra or {})


class NotFound(CMSError):
    """The thing asked for does not exist (or is not visible to the caller)."""


class Gone(CMSError):
    """Something was public here and is no more: ``detail`` is the public notice."""

    def __init__(self, detail: str, *, withdrawn: bool = False):
        super().__init__(detail)
        self.withdrawn = withdrawn


class InvalidDocument(CMSError):
    """A document failed validation; ``errors`` point into it."""


class MalformedBody(CMSError):
    """A request body that is not well-formed JSON, or goes past the documented limits."""

    def __init__(self, detail: str, errors: Sequence[FieldError]):
        super().__init__(detail, errors=errors)


class InvalidParameters(CMSError):
    """Query or path parameters are malformed; ``errors`` point at ``/query/<name>``."""


class InvalidSyncToken(InvalidParameters):
    """A sync or page token this server cannot continue from: start an initial sync."""

    @classmethod
    def not_issued(cls, parameter: str) -> InvalidSyncToken:
        return cls(
            "The token was not issued by this server, or was altered: "
            "start again with an initial sync (no token).",
            errors=[FieldError(f"/query/{parameter}", "invalid_token", "Not a valid token.")],
        )

    @classmethod
    def out_of_reach(cls, parameter: str, why: str) -> InvalidSyncToken:
        return cls(
            f"{why} Start again with an initial sync (no token) and replace what you stored.",
            errors=[FieldError(f"/query/{parameter}", "token_out_of_reach", why)],
        )


class Conflict(CMSError):
    """The request contradicts the current state (for example, a slug already in use)."""


class InvalidTransition(Conflict):
    """A workflow action that the article's current state does not allow."""

    def __init__(self, detail: str, *, allowed: Sequence[str]):
        super().__init__(detail, extra={"allowed_actions": list(allowed)})


class PreconditionRequired(CMSError):
    """A write came without If-Match: it could silently overwrite someone else's change."""


class PreconditionFailed(CMSError):
    """The client's copy is outdated: someone else changed the article since it was read."""


class Unauthenticated(CMSError):
    """No valid API token."""


class Forbidden(CMSError):
    """A valid token whose role does not allow this."""


class FourEyesRequired(Forbidden):
    """A reviewer may not sign off changes they made themselves."""


class RateLimited(CMSError):
    """Too many failed attempts: try again after ``retry_after`` seconds."""

    def __init__(self, detail: str, *, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


class ContentChecksFailed(CMSError):
    """Publishing refused: the content checks found errors (``extra["findings"]``)."""


class FindingNotWaivable(CMSError):
    """A waiver asked for a content-check finding that may not be waived."""
