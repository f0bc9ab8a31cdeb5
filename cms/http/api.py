"""The project's flask-smorest ``Api`` and ``Blueprint``.

- query strings are strict: unknown parameters are errors, and URL problems are a
  400 while a well-formed body that fails validation is a 422;
- request bodies must be JSON (415 otherwise);
- ``Blueprint.requires`` authenticates, checks the role and documents both;
- ``Blueprint.conditional`` documents ETag handling done by ``cms.http.conditional``.
"""

from __future__ import annotations

from collections.abc import Callable
from copy import deepcopy
from functools import wraps
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import flask_smorest
from flask import Response, request
from flask_smorest.utils import prepare_response
from marshmallow import RAISE, ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from cms import errors
from cms.auth.roles import Permission, roles_with
from cms.http import bodies, problems
from cms.http.auth import require
from cms.validation import FieldError, Message

BODY_LOCATIONS = frozenset({"json", "form", "json_or_form", "files"})


class ArgumentsParser(FlaskParser):
    """Query strings are strict; bodies must be JSON."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": RAISE,
        "querystring": RAISE,
    }

    def _raw_load_json(self, req: Any) -> Any:
        # Every JSON-body route here needs a body: a missing one is a 422, not ``{}``.
        if not bodies.read():
            raise ValidationError({"_schema": [Message("required", "A JSON body is required.")]})
        if not is_json_request(req):
            raise UnsupportedMediaType(
                "Send the body as JSON, with Content-Type: application/json."
            )
        # Not webargs' parser (the standard library's json): the API's limits apply.
        return bodies.parse_json(bodies.read())


CHANGE_NOTE_HEADER = "X-Change-Note"
CHANGE_NOTE_MAX = 500


def change_note(body_note: str | None) -> str | None:
    """The editor's reason for a change: from the body, else the X-Change-Note header."""
    if body_note:
        return body_note
    header = request.headers.get(CHANGE_NOTE_HEADER, "").strip()
    if any(ord(char) < 32 or ord(char) == 127 for char in header):
        raise errors.InvalidParameters(
            f"{CHANGE_NOTE_HEADER} contains a control character.",
            errors=[FieldError(f"/headers/{CHANGE_NOTE_HEADER}", "control_character", "Not text.")],
        )
    if len(header) > CHANGE_NOTE_MAX:
        raise errors.InvalidParameters(
            f"{CHANGE_NOTE_HEADER} is longer than {CHANGE_NOTE_MAX} characters.",
            errors=[FieldError(f"/headers/{CHANGE_NOTE_HEADER}", "length", "Too long.")],
        )
    return header or None


def next_link(cursor: str) -> str:
    """``Link`` header value for the next page: this request's URL with the new cursor."""
    params = [(k, v) for k, v in request.args.items(multi=True) if k != "cursor"]
    params.append(("cursor", cursor))
    return f'<{request.path}?{urlencode(params)}>; rel="next"'


def private_page(
    items: Any, total: int, next_cursor: str | None
) -> tuple[dict[str, Any], dict[str, str]]:
    """A management list page and its headers: private, with a next link if there is one."""
    headers = {}
    if next_cursor:
        headers["Link"] = next_link(next_cursor)
    return {"items": items, "total": total, "next_cursor": next_cursor}, headers


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

        The behaviour lives in ``cms.http.conditional``, not in flask-smorest's
        ``etag`` decorator: its 304 drops the ETag header and it ignores weak
        tags in If-None-Match (flask-smorest issue #319). Only its documentation
        callback is reused, through the flag it reads.
        """
        func._apidoc = {**getattr(func, "_apidoc", {}), "etag": True}
        return func

    def requires(self, permission: Permission) -> Callable[[Any], Any]:
        """Authenticate the bearer token (401) and check its role (403) before anything else."""
        roles = ", ".join(role.value for role in roles_with(permission))

        def decorator(func: Any) -> Any:
            @wraps(func)
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                require(permission)
                return func(*args, **kwargs)

            wrapper._apidoc = deepcopy(getattr(func, "_apidoc", {}))
            wrapper = self.doc(security=[{"bearerAuth": []}])(wrapper)
            wrapper = self.alt_response(401, response="UNAUTHORIZED")(wrapper)
            return self.alt_response(
                403,
                schema=problems.ProblemSchema,
                content_type=problems.PROBLEM_MIMETYPE,
                description=f"Forbidden: needs permission '{permission}' (roles: {roles}).",
            )(wrapper)

        return decorator


class Api(flask_smorest.Api):
    """flask-smorest's Api with problem+json errors, documented as such, and bearer auth."""

    ERROR_SCHEMA = problems.ProblemSchema

    def init_app(self, app: Any, *, spec_kwargs: Any = None) -> None:
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.spec.components.security_scheme(
            "bearerAuth",
            {
                "type": "http",
                "scheme": "bearer",
                "description": "An API token: `cms token create` or POST /api/v1/manage/tokens.",
            },
        )

    def _register_error_handlers(self) -> None:
        super()._register_error_handlers()
        self._app.register_error_handler(errors.CMSError, problems.from_domain_error)
        for database_error in (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError):
            self._app.register_error_handler(database_error, problems.from_database_error)
        for concurrent in (sa_exc.IntegrityError, StaleDataError):
            self._app.register_error_handler(concurrent, problems.from_concurrent_change)

    def _register_responses(self) -> None:
        # Same as flask-smorest's, but error bodies are documented as problem+json.
        # Private API: flask-smorest is pinned and the openapi.yaml test guards the output.
        for status in HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        data = getattr(error, "data", None) or {}
        response = problems.from_http_exception(error.code or 500, data, error.description)
        for name, value in [*error.get_headers(), *(data.get("headers") or {}).items()]:
            if name.lower() != "content-type":
                response.headers[name] = value
        if request.method == "HEAD":
            response.set_data(b"")
        return response
