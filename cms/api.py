"""The HTTP layer's cross-cutting concerns, in one place.

- errors: every error response is ``application/problem+json`` (RFC 9457);
- arguments: unknown or malformed query parameters are a 400, body errors a 422;
- sessions: one SQLAlchemy session per request, closed at teardown;
- conditional GETs and cache headers for public, pre-serialized responses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any

import flask_smorest
import orjson
from flask import Flask, Response, current_app, g, request
from flask.json.provider import JSONProvider
from flask_smorest.utils import prepare_response
from marshmallow import RAISE, Schema, fields
from sqlalchemy.orm import Session
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from cms import errors, problems
from cms.articles.schemas import SLUG_PATTERN
from cms.db import Database
from cms.delivery.cache import CACHEABLE
from cms.validation import FieldError, field_errors

PROBLEM_MIMETYPE = "application/problem+json"

# --- JSON -------------------------------------------------------------------


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


# --- Routing ------------------------------------------------------------------


class SlugConverter(BaseConverter):
    """``<slug:slug>``: a path segment that cannot be a slug is a 404 before any query.

    (PostgreSQL rejects some bytes, such as NUL, in text parameters outright.)
    """

    regex = SLUG_PATTERN.strip("^$")


def slug_parameter_schema(_converter: BaseConverter) -> dict[str, str]:
    return {"type": "string", "pattern": SLUG_PATTERN}


# --- Sessions ----------------------------------------------------------------


def init_app(app: Flask, database: Database) -> None:
    app.extensions["cms.database"] = database
    app.teardown_appcontext(_close_session)


def get_database() -> Database:
    return current_app.extensions["cms.database"]


def get_session() -> Session:
    """The request's session, opened on first use."""
    session = g.get("db_session")
    if session is None:
        session = g.db_session = get_database().session()
    return session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()  # rolls back anything not committed


# --- Problems ----------------------------------------------------------------


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
    errors = fields.List(fields.Nested(FieldErrorSchema))


def problem_response(
    status: int,
    *,
    problem: problems.ProblemType | None = None,
    detail: str | None = None,
    errors: Iterable[FieldError] = (),
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
    response = Response(orjson.dumps(body), status=status, mimetype=PROBLEM_MIMETYPE)
    if headers:
        items = headers.items() if isinstance(headers, Mapping) else headers
        for name, value in items:
            if name.lower() != "content-type":
                response.headers[name] = value
    response.headers["Cache-Control"] = "no-store"
    return response


_LOCATION_PREFIX: dict[str, tuple[str, ...]] = {
    "json": (),
    "query": ("query",),
    "querystring": ("query",),
    "view_args": ("path",),
    "path": ("path",),
    "headers": ("headers",),
}


def _webargs_errors(messages: Mapping[str, Any]) -> list[FieldError]:
    found: list[FieldError] = []
    for location, location_messages in messages.items():
        if location == "json" and location_messages == ["Invalid JSON body."]:
            found.append(FieldError("", "malformed_json", "The body is not well-formed JSON."))
            continue
        found.extend(field_errors(location_messages, _LOCATION_PREFIX.get(location, (location,))))
    return found


_DOMAIN_ERRORS: list[tuple[type[errors.CMSError], int, problems.ProblemType | None]] = [
    (errors.NotFound, 404, None),
    (errors.InvalidDocument, 422, problems.VALIDATION),
    (errors.InvalidParameters, 400, problems.INVALID_PARAMETERS),
    (errors.Conflict, 409, problems.CONFLICT),
]


class ArgumentsParser(FlaskParser):
    """Query strings are strict: an unknown parameter is an error, not silently ignored."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }


BODY_LOCATIONS = frozenset({"json", "form", "json_or_form", "files"})


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = ArgumentsParser()

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Any:
        # Problems with the URL are a 400; a well-formed body that fails validation is a 422.
        if location not in BODY_LOCATIONS:
            kwargs.setdefault("error_status_code", 400)
        return super().arguments(schema, location=location, **kwargs)

    @staticmethod
    def conditional(func: Any) -> Any:
        """Document ETag, If-None-Match (GET) or If-Match (writes) on a view.

        The behaviour lives in this module (``public_json``...), not in
        flask-smorest's ``etag`` decorator: its 304 drops the ETag header and it
        ignores weak tags in If-None-Match (flask-smorest issue #319). Only its
        documentation callback is reused, through the flag it reads.
        """
        func._apidoc = {**getattr(func, "_apidoc", {}), "etag": True}
        return func


class Api(flask_smorest.Api):
    """flask-smorest's Api with problem+json errors, documented as such in the spec."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        super()._register_error_handlers()
        self._app.register_error_handler(errors.CMSError, self.handle_domain_error)

    def _register_responses(self) -> None:
        # Same as flask-smorest's, but error bodies are documented as problem+json.
        # Private API: flask-smorest is pinned and the openapi.yaml test guards the output.
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        found = _webargs_errors(data["messages"]) if data.get("messages") else []
        problem = None
        if status == 422:
            problem = problems.VALIDATION
        elif status == 400 and found:
            malformed = any(e.code == "malformed_json" for e in found)
            problem = problems.MALFORMED_BODY if malformed else problems.INVALID_PARAMETERS
        detail = data.get("message") or (problem.description if problem else None)
        if status >= 500:
            detail = "The server could not complete the request."
        elif detail is None:
            detail = error.description
        headers = [*error.get_headers(), *(data.get("headers") or {}).items()]
        return problem_response(
            status, problem=problem, detail=detail, errors=found, headers=headers
        )

    def handle_domain_error(self, error: errors.CMSError) -> Response:
        for error_type, status, problem in _DOMAIN_ERRORS:
            if isinstance(error, error_type):
                return problem_response(
                    status, problem=problem, detail=error.detail, errors=error.errors
                )
        raise error  # an unmapped domain error is a bug: let it become a 500


# --- Public, cacheable responses ---------------------------------------------


def public_cache_control(config: Mapping[str, Any]) -> str:
    return (
        f"public, max-age={config['PUBLIC_MAX_AGE']}, s-maxage={config['PUBLIC_S_MAXAGE']}, "
        f"stale-while-revalidate={config['PUBLIC_STALE_WHILE_REVALIDATE']}, "
        f"stale-if-error={config['PUBLIC_STALE_IF_ERROR']}"
    )


def client_has(etag: str) -> bool:
    """If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/"x" matches "x"."""
    return request.if_none_match.contains_weak(etag)


def not_modified(etag: str) -> Response:
    response = Response(status=304)
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response


def public_json(body: bytes, etag: str) -> Response:
    """A pre-serialized public representation, or 304 if the client already has it.

    A 200 is marked cacheable for the in-process delivery cache.
    """
    if client_has(etag):
        return not_modified(etag)
    request.environ[CACHEABLE] = True
    response = Response(body, mimetype="application/json")
    response.set_etag(etag)
    response.headers["Cache-Control"] = current_app.config["PUBLIC_CACHE_CONTROL"]
    return response
