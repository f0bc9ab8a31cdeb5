"""Every error response is ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

import orjson
from flask import Response
from marshmallow import Schema, fields

from cms import errors
from cms.checks.schemas import FindingSchema
from cms.db import Failure, failure_of
from cms.http import problem_types
from cms.http.problem_types import ProblemType
from cms.observability import request_ids
from cms.observability.schemas import ReadinessCheckSchema
from cms.validation import FieldError, field_errors

PROBLEM_MIMETYPE = "application/problem+json"
log = logging.getLogger(__name__)


class FieldErrorSchema(Schema):
    pointer = fields.String(
        required=True, metadata={"description": "JSON pointer into the body, or /query/<name>."}
    )
    code = fields.String(required=True, metadata={"description": "Stable, machine-readable."})
    message = fields.String(required=True)


class ProblemSchema(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "URI of the problem type."})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.List(
        fields.Nested(FieldErrorSchema), metadata={"description": "Validation failures."}
    )
    allowed_actions = fields.List(
        fields.String(), metadata={"description": "For invalid workflow transitions."}
    )
    findings = fields.List(
        fields.Nested(FindingSchema),
        metadata={"description": "For refused publishing: the content checks' findings."},
    )
    invalid_items = fields.List(
        fields.Integer(), metadata={"description": "For imports: positions of invalid articles."}
    )
    available = fields.List(
        fields.Nested(
            Schema.from_dict(
                {"locale": fields.String(required=True), "slug": fields.String(required=True)},
                name="AvailableLocale",
            )
        ),
        metadata={
            "description": "For an article not published in the locale asked for: where it "
            "is (its family of translations), to link to or to ask again with `fallback`."
        },
    )
    checks = fields.List(
        fields.Nested(ReadinessCheckSchema),
        metadata={"description": "For /readyz: every readiness check, failing ones with ok false."},
    )
    request_id = fields.String(
        required=True,
        metadata={
            "description": "This request's id, as in its X-Request-ID response header: "
            "quote it when reporting the error."
        },
    )


def problem_response(
    status: int,
    *,
    problem: ProblemType | None = None,
    detail: str | None = None,
    errors: Iterable[FieldError] = (),
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | Iterable[tuple[str, str]] | None = None,
) -> Response:
    phrase = HTTPStatus(status).phrase
    body: dict[str, Any] = {
        "type": problem.uri if problem else "about:blank",
        "title": problem.title if problem else phrase,
        "status": status,
        "detail": detail or phrase,
    }
    error_list = [e.as_dict() for e in errors]
    if error_list:
        body["errors"] = error_list
    body.update(extra or {})
    request_id = request_ids.current()
    if request_id is not None:
        body["request_id"] = request_id
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    if headers:
        items = headers.items() if isinstance(headers, Mapping) else headers
        for name, value in items:
            if name.lower() != "content-type":
                response.headers[name] = value
    return response  # cms.http.headers decides who may cache it


_LOCATION_PREFIX: dict[str, tuple[str, ...]] = {
    "json": (),
    "query": ("query",),
    "querystring": ("query",),
    "view_args": ("path",),
    "path": ("path",),
    "headers": ("headers",),
}


def webargs_errors(messages: Mapping[str, Any]) -> list[FieldError]:
    """Errors webargs collected per location, as pointers (``/query/<name>`` for the URL)."""
    found: list[FieldError] = []
    for location, location_messages in messages.items():
        if location == "json" and location_messages == ["Invalid JSON body."]:
            found.append(FieldError("", "malformed_json", "The body is not well-formed JSON."))
            continue
        found.extend(field_errors(location_messages, _LOCATION_PREFIX.get(location, (location,))))
    return found


def from_http_exception(status: int, data: Mapping[str, Any], description: str | None) -> Response:
    """The problem for a werkzeug HTTP error (routing, webargs validation, 413...)."""
    found = webargs_errors(data["messages"]) if data.get("messages") else []
    problem = None
    if status == 422:
        problem = problem_types.VALIDATION
    elif status == 400 and found:
        malformed = any(e.code == "malformed_json" for e in found)
        problem = problem_types.MALFORMED_BODY if malformed else problem_types.INVALID_PARAMETERS
    detail = data.get("message") or (problem.description if problem else None)
    if status >= 500:
        detail = "The server could not complete the request."
    elif detail is None:
        detail = description
    return problem_response(status, problem=problem, detail=detail, errors=found)


# Domain errors (raised by services) and their HTTP status; the first match wins.
DOMAIN_ERRORS: list[tuple[type[errors.CMSError], int, ProblemType | None]] = [
    (errors.NotFound, 404, None),
    (errors.Gone, 410, problem_types.GONE),
    (errors.ContentChecksFailed, 422, problem_types.CONTENT_CHECKS_FAILED),
    (errors.FindingNotWaivable, 422, problem_types.FINDING_NOT_WAIVABLE),
    (errors.InvalidDocument, 422, problem_types.VALIDATION),
    (errors.InvalidSyncToken, 400, problem_types.INVALID_SYNC_TOKEN),
    (errors.InvalidParameters, 400, problem_types.INVALID_PARAMETERS),
    (errors.MalformedBody, 400, problem_types.MALFORMED_BODY),
    (errors.InvalidTransition, 409, problem_types.INVALID_TRANSITION),
    (errors.Conflict, 409, problem_types.CONFLICT),
    (errors.PreconditionRequired, 428, problem_types.PRECONDITION_REQUIRED),
    (errors.PreconditionFailed, 412, problem_types.STALE_VERSION),
    (errors.Unauthenticated, 401, None),
    (errors.RateLimited, 429, problem_types.RATE_LIMITED),
    (errors.FourEyesRequired, 403, problem_types.FOUR_EYES),
    (errors.Forbidden, 403, None),
]


DATABASE_FAILURES: dict[Failure, tuple[int, ProblemType, int]] = {
    # status, problem, seconds in Retry-After
    Failure.UNAVAILABLE: (503, problem_types.DATABASE_UNAVAILABLE, 5),
    Failure.BUSY: (503, problem_types.DATABASE_BUSY, 1),
    Failure.READ_ONLY: (503, problem_types.DATABASE_READ_ONLY, 30),
    Failure.FULL: (507, problem_types.STORAGE_FULL, 60),
}


def from_database_error(error: Exception) -> Response:
    """503/507 when the database cannot serve; anything else stays a 500 (a bug)."""
    failure = failure_of(error)
    if failure is None:
        raise error
    status, problem, retry_after = DATABASE_FAILURES[failure]
    log.warning("database %s: %s", failure, error.__class__.__name__, exc_info=True)
    return problem_response(
        status,
        problem=problem,
        detail=problem.description,
        headers={"Retry-After": str(retry_after)},
    )


def from_concurrent_change(_error: Exception) -> Response:
    """A uniqueness or version check that failed against a concurrent writer: retryable."""
    return problem_response(
        409,
        problem=problem_types.CONCURRENT_CHANGE,
        detail=problem_types.CONCURRENT_CHANGE.description,
    )


def from_domain_error(error: errors.CMSError) -> Response:
    for error_type, status, mapped in DOMAIN_ERRORS:
        if isinstance(error, error_type):
            problem = mapped
            headers = {"WWW-Authenticate": 'Bearer realm="cms"'} if status == 401 else None
            if isinstance(error, errors.RateLimited):
                headers = {"Retry-After": str(error.retry_after)}
            if isinstance(error, errors.Gone) and error.withdrawn:
                problem = problem_types.WITHDRAWN
            return problem_response(
                status,
                problem=problem,
                detail=error.detail,
                errors=error.errors,
                extra=error.extra,
                headers=headers,
            )
    raise error  # an unmapped domain error is a bug: let it become a 500
