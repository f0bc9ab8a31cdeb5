"""The project's flask-smorest ``Api`` and ``Blueprint``.

- query strings are strict: unknown parameters are errors, and URL problems are a
  400 while a well-formed body that fails validation is a 422;
- request bodies must be JSON (415 otherwise);
- ``Blueprint.requires`` authenticates, checks the role and documents both;
- ``Blueprint.conditional`` documents ETag handling done by ``cms.http.conditional``;
- ``Blueprint.if_match`` makes a write conditional on the version it is based on
  (If-Match, 412, 428), and ``Blueprint.accepts_change_note`` documents X-Change-Note;
- every operation gets a readable ``operationId`` derived from its method and path
  (``listArticles``, ``transitionManagedArticle``...), and operations that need no
  token say so (``security: []``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from copy import deepcopy
from functools import wraps
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

import flask_smorest
from flask import Response, request
from flask_smorest.utils import deepupdate, prepare_response
from marshmallow import RAISE, ValidationError
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import HTTPException, UnsupportedMediaType

from cms import errors
from cms.auth.roles import Permission, roles_with
from cms.http import bodies, problems
from cms.http.auth import require
from cms.http.conditional import IF_MATCH_DESCRIPTION, expected_versions
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

# Header parameters, registered once as components (``Api.init_app``).
IF_MATCH_PARAMETER = "IF_MATCH_VERSION"
CHANGE_NOTE_PARAMETER = "X_CHANGE_NOTE"
HEADER_PARAMETERS = {
    IF_MATCH_PARAMETER: {
        "in": "header",
        "name": "If-Match",
        "required": True,
        "description": IF_MATCH_DESCRIPTION,
        "schema": {"type": "string", "examples": ['"v3"']},
    },
    CHANGE_NOTE_PARAMETER: {
        "in": "header",
        "name": CHANGE_NOTE_HEADER,
        "required": False,
        "description": "Why this change was made, recorded with the new revision "
        "(a `change_note` in the body wins).",
        "schema": {"type": "string", "maxLength": CHANGE_NOTE_MAX},
    },
}


def change_note(body_note: str | None) -> str | None:
    """The editor's reason for a change: from the body, else the X-Change-Note header."""
    return body_note or _change_note_header()


def _change_note_header() -> str | None:
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


# --- operationId: derived from the method and the path --------------------------

_ITEM_VERBS = {"get": "get", "put": "replace", "patch": "update", "delete": "delete"}
_COLLECTION_VERBS = {"get": "list", "post": "create"}


def _camel(segment: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[-_]", segment))


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") else word


def _is_variable(segment: str) -> bool:
    return segment.startswith("<")


def operation_id(method: str, rule: str, *, collection: str, rules: Iterable[str]) -> str:
    """A stable, readable operationId from the HTTP method and the URL rule.

    ``collection`` names what the blueprint's URL prefix holds (``ManagedArticles``);
    a variable segment names one item of what precedes it. For that collection: GET
    and POST on it are ``listManagedArticles`` and ``createManagedArticle``; an item's
    GET, PUT, PATCH and DELETE are ``get``/``replace``/``update``/``deleteManagedArticle``;
    a POST to a name below an item is that name as a verb (``/restore`` →
    ``restoreManagedArticle``, ``/transitions`` → ``transitionManagedArticle``); a GET of
    a name below an item is ``get…`` (``getManagedArticlePreview``), or ``list…`` when
    the blueprint has items below it (``listManagedArticleRevisions``). ``rules`` are
    all the blueprint's rules, to tell those apart.
    """
    parts = [part for part in rule.split("/") if part]
    owner, name = "", collection  # owner: the items named so far; name: the last static part
    for part in parts:
        if _is_variable(part):
            owner, name = owner + _singular(name), ""
        else:
            owner, name = owner + name, _camel(part)
    method = method.lower()
    if parts and _is_variable(parts[-1]):
        return _ITEM_VERBS.get(method, method) + owner
    if not parts or _has_items(parts, rules):
        if method == "post":
            return "create" + owner + _singular(name)
        return _COLLECTION_VERBS.get(method, method) + owner + name
    if method == "post":
        verb = _singular(name)
        return verb[:1].lower() + verb[1:] + owner
    return method + owner + name


def _has_items(parts: list[str], rules: Iterable[str]) -> bool:
    """Whether some rule continues ``parts`` with a variable: ``parts`` is a collection."""
    continuations = ([part for part in rule.split("/") if part] for rule in rules)
    return any(
        len(other) > len(parts) and other[: len(parts)] == parts and _is_variable(other[len(parts)])
        for other in continuations
    )


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint with the project's request parsing and documentation.

    ``collection`` names what the URL prefix holds, for operationIds (default: the
    prefix's last segment, ``/api/v1/manage/tokens`` → ``Tokens``). An operation can
    still name itself with ``@blp.doc(operationId=...)`` when it is not a resource verb
    (``checkDocument``); renaming one breaks generated clients.
    """

    ARGUMENTS_PARSER = ArgumentsParser()

    def __init__(self, *args: Any, collection: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        prefix = [part for part in (self.url_prefix or "").split("/") if part]
        self.collection = (
            collection if collection is not None else _camel(prefix[-1] if prefix else "")
        )
        self._rules: dict[str, str] = {}
        self._prepare_doc_cbks.append(self._prepare_version_doc)

    def add_url_rule(
        self, rule: str, endpoint: Any = None, view_func: Any = None, **kwargs: Any
    ) -> None:
        super().add_url_rule(rule, endpoint, view_func, **kwargs)
        self._rules[self._endpoints[-1]] = rule

    def register_views_in_doc(self, api: Any, app: Any, spec: Any, **kwargs: Any) -> None:
        rules = list(self._rules.values())
        for endpoint, rule in self._rules.items():
            for method, info in self._docs[endpoint].items():
                if method == "parameters":
                    continue
                manual = info.setdefault("manual_doc", {})
                manual.setdefault(
                    "operationId",
                    operation_id(method, rule, collection=self.collection, rules=rules),
                )
                # Anything not behind ``requires`` is public: say so, rather than
                # leave clients to guess whether a global default applies.
                manual.setdefault("security", [])
        super().register_views_in_doc(api, app, spec, **kwargs)

    def arguments(self, schema: Any, *, location: str = "json", **kwargs: Any) -> Any:
        # Problems with the URL are a 400; a well-formed body that fails validation is a 422.
        if location not in BODY_LOCATIONS:
            kwargs.setdefault("error_status_code", 400)
        return super().arguments(schema, location=location, **kwargs)

    @staticmethod
    def conditional(func: Any) -> Any:
        """Document the ETag of a GET (with If-None-Match and 304) or of a creating POST.

        The behaviour lives in ``cms.http.conditional``, not in flask-smorest's
        ``etag`` decorator: its 304 drops the ETag header and it ignores weak
        tags in If-None-Match (flask-smorest issue #319). Only its documentation
        callback is reused, through the flag it reads. Writes to an existing
        article use ``if_match`` instead.
        """
        func._apidoc = {**getattr(func, "_apidoc", {}), "etag": True}
        return func

    @staticmethod
    def if_match(func: Any) -> Any:
        """A write based on a version of the article: If-Match is required.

        The view gets ``expected``, the versions If-Match names (see
        ``cms.http.conditional.expected_versions``): 428 without If-Match or with ``*``,
        412 when it names no version. The header, both answers and the response's
        ETag are documented, so a generated client sends it. Put it below
        ``arguments``: a malformed body is a 422 whatever the header says.
        """

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return func(*args, expected=expected_versions(), **kwargs)

        wrapper._apidoc = {**deepcopy(getattr(func, "_apidoc", {})), "if_match": True}
        return wrapper

    @staticmethod
    def accepts_change_note(func: Any) -> Any:
        """The write records an optional X-Change-Note header (read with ``change_note()``).

        Documents it and refuses one that is too long (400) before anything else is
        decided: put it above ``if_match``, since a malformed request is answered as
        such whatever its preconditions say (RFC 9110 §13.2.1).
        """

        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            _change_note_header()
            return func(*args, **kwargs)

        wrapper._apidoc = {**deepcopy(getattr(func, "_apidoc", {})), "change_note": True}
        return wrapper

    @staticmethod
    def _prepare_version_doc(doc: dict[str, Any], doc_info: dict[str, Any], **_kwargs: Any) -> Any:
        if doc_info.get("if_match"):
            doc.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
            for status in doc_info.get("success_status_codes", []):
                doc["responses"][status].setdefault("headers", {})["ETag"] = "ETAG"
            doc = deepupdate(
                doc,
                {
                    "responses": {
                        412: HTTPStatus(412).name,
                        428: HTTPStatus(428).name,
                    }
                },
            )
        if doc_info.get("change_note"):
            doc.setdefault("parameters", []).append(CHANGE_NOTE_PARAMETER)
        return doc

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
        for name, parameter in HEADER_PARAMETERS.items():
            self.spec.components.parameter(
                name, parameter["in"], {k: v for k, v in parameter.items() if k != "in"}
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

    def _register_pagination_header(self) -> None:
        # No route uses @blp.paginate (lists are keyset-paginated with cursors), so its
        # X-Pagination header and PaginationMetadata schema would be unused components.
        pass

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        data = getattr(error, "data", None) or {}
        response = problems.from_http_exception(error.code or 500, data, error.description)
        for name, value in [*error.get_headers(), *(data.get("headers") or {}).items()]:
            if name.lower() != "content-type":
                response.headers[name] = value
        if request.method == "HEAD":
            response.set_data(b"")
        return response
