"""Batch import through the API (admin): the fixture format, all or nothing."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import current_app, request
from flask.views import MethodView
from werkzeug.exceptions import UnsupportedMediaType

from cms.auth.roles import Permission
from cms.db import utcnow
from cms.errors import InvalidDocument
from cms.http import bodies, examples
from cms.http.api import Blueprint
from cms.http.auth import current_actor
from cms.http.problems import PROBLEM_MIMETYPE, ProblemSchema
from cms.http.sessions import get_session, transactional
from cms.importing import service
from cms.importing.schemas import ImportQuerySchema, ImportReportSchema
from cms.validation import FieldError

NDJSON_TYPES = ("application/x-ndjson", "application/jsonl", "application/jsonlines")

blp = Blueprint(
    "manage-imports",
    __name__,
    url_prefix="/api/v1/manage/imports",
    description="Batch import in the fixture format (admin).",
)

BATCH_BODY = {
    "required": True,
    "description": "Articles in the fixture format: a JSON array, or NDJSON (one per line). "
    "The size limit is CMS_IMPORT_MAX_BYTES (default 10 MiB).",
    "content": {
        "application/json": {
            "schema": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleDocument"}},
            "example": examples.IMPORT_BATCH,
        },
        "application/x-ndjson": {
            "schema": {
                "description": "One article per line.",
                "type": "array",
                "items": {"$ref": "#/components/schemas/ArticleDocument"},
            }
        },
    },
}


def _malformed(message: str) -> InvalidDocument:
    return InvalidDocument(
        "The body is not a JSON array or NDJSON of articles.",
        errors=[FieldError("", "malformed_body", message)],
    )


def read_batch() -> list[Any]:
    """The request's articles: a JSON array or NDJSON, within the import size limit."""
    body = bodies.read(current_app.config["IMPORT_MAX_BYTES"])
    if request.mimetype in NDJSON_TYPES:
        # Each line is item i of the batch, so pointers are "/<i>/...", as for an array.
        lines = [line for line in body.splitlines() if line.strip()]
        return [bodies.parse_json(line, prefix=(index,)) for index, line in enumerate(lines)]
    if request.mimetype != "application/json" and not request.mimetype.endswith("+json"):
        raise UnsupportedMediaType("Send application/json (an array) or application/x-ndjson.")
    items = bodies.parse_json(body)
    if not isinstance(items, list):
        raise _malformed("Expected a JSON array of articles.")
    return items


@blp.route("")
class Imports(MethodView):
    @blp.requires(Permission.IMPORT)
    @blp.arguments(ImportQuerySchema(), location="query", as_kwargs=True)
    @blp.doc(requestBody=BATCH_BODY, operationId="importArticles")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(413, schema=ProblemSchema, content_type=PROBLEM_MIMETYPE,
                      description="The body is larger than CMS_IMPORT_MAX_BYTES.")  # fmt: skip
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    @blp.alt_response(422, response="UNPROCESSABLE_ENTITY")
    @transactional
    def post(self, dry_run: bool) -> Any:
        """Import a batch of articles as drafts: validate all, then write all or nothing"""
        report = service.import_batch(
            get_session(), read_batch(), dry_run=dry_run, actor=current_actor(), now=utcnow()
        )
        items = [{"index": int(entry.source[1:]), **asdict(entry)} for entry in report]
        counts = {o.value: sum(e.outcome == o for e in report) for o in service.Outcome}
        return {"dry_run": dry_run, **counts, "items": items}
