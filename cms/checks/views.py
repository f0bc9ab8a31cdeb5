"""Running the content checks through the API (nothing is saved)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from cms import checks
from cms.auth.roles import Permission
from cms.checks.schemas import AnyDocumentSchema, CheckReportSchema
from cms.db import utcnow
from cms.http.api import Blueprint

blp = Blueprint(
    "manage-checks",
    __name__,
    url_prefix="/api/v1/manage/checks",
    description="Health-content checks on any document (see docs/checks.md).",
)


@blp.route("")
class Checks(MethodView):
    @blp.requires(Permission.READ)
    @blp.arguments(AnyDocumentSchema())
    @blp.doc(operationId="checkDocument")
    @blp.response(200, CheckReportSchema)
    def post(self, document: dict[str, Any]) -> Any:
        """Check a document in the article format without saving it"""
        return checks.report(document, today=utcnow().date()).as_dict()
