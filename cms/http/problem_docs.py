"""Each problem ``type`` URI resolves to a short description of that problem."""

from __future__ import annotations

from flask.views import MethodView
from marshmallow import Schema, fields

from cms.errors import NotFound
from cms.http.api import Blueprint
from cms.http.problem_types import PROBLEM_TYPES, ProblemType

blp = Blueprint(
    "problems",
    __name__,
    url_prefix="/problems",
    description="Error types.",
    collection="ProblemTypes",
)


class ProblemTypeSchema(Schema):
    type = fields.String(required=True, attribute="uri")
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    description = fields.String(required=True)


@blp.route("/<slug>")
class ProblemTypeItem(MethodView):
    @blp.response(200, ProblemTypeSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug: str) -> ProblemType:
        """Describe one problem type"""
        try:
            return PROBLEM_TYPES[slug]
        except KeyError:
            raise NotFound(f"No problem type '{slug}'.") from None
