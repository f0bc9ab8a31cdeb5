"""Ingesting a legacy article through the API: plain text in, a draft and a report out."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.views import MethodView
from marshmallow import Schema, fields
from werkzeug.exceptions import UnsupportedMediaType

from cms import query
from cms.auth.roles import Permission
from cms.checks.schemas import FindingSchema
from cms.db import utcnow
from cms.errors import InvalidDocument
from cms.http import bodies
from cms.http.api import Blueprint
from cms.ingest import ingest
from cms.validation import FieldError

TEXT_TYPES = ("text/plain", "text/markdown")

blp = Blueprint(
    "manage-ingest",
    __name__,
    url_prefix="/api/v1/manage/ingest",
    description="Legacy web articles to structured drafts (nothing is saved).",
)


class IngestQuerySchema(Schema):
    locale = query.locale(load_default="en")
    translation_of = query.TranslationReference(
        metadata={
            "description": "When the text is a translation: its original, as `<locale>/<slug>` "
            "(`en/mesenchymal-stem-cells-lupus`); the draft carries it as `translation_of`.",
            "example": "en/mesenchymal-stem-cells-lupus",
        }
    )


class MappingSchema(Schema):
    line = fields.Integer(required=True)
    heading = fields.String(allow_none=True)
    type = fields.String(allow_none=True, metadata={"description": "Section type, or null."})
    reason = fields.String(
        required=True, metadata={"enum": ["heading", "content", "intro", "unplaced"]}
    )


class IngestReportSchema(Schema):
    document = fields.Dict(
        required=True,
        metadata={"description": "The draft in the article format; finish it, then POST it."},
    )
    findings = fields.List(fields.Nested(FindingSchema), required=True)
    mapping = fields.List(fields.Nested(MappingSchema), required=True)


TEXT_BODY = {
    "required": True,
    "description": "The legacy article as plain text or Markdown (UTF-8).",
    "content": {media: {"schema": {"type": "string"}} for media in TEXT_TYPES},
}


@blp.route("")
class Ingest(MethodView):
    @blp.requires(Permission.EDIT)
    @blp.arguments(IngestQuerySchema(), location="query", as_kwargs=True)
    @blp.doc(requestBody=TEXT_BODY, operationId="ingestLegacyArticle")
    @blp.response(200, IngestReportSchema)
    @blp.alt_response(415, response="UNSUPPORTED_MEDIA_TYPE")
    def post(self, locale: str, translation_of: dict[str, str] | None = None) -> Any:
        """Turn a legacy web article into a structured draft and a findings report"""
        if request.mimetype not in TEXT_TYPES:
            raise UnsupportedMediaType("Send the article as text/plain or text/markdown.")
        text = bodies.parse_text(bodies.read())
        if not text.strip():
            raise InvalidDocument(
                "Send the article's text: the body is empty.",
                errors=[FieldError("", "required", "A non-empty body is required.")],
            )
        result = ingest(
            text,
            locale=locale,
            source="request",
            today=utcnow().date(),
            translation_of=translation_of,
        )
        return result.as_dict()
