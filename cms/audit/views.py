"""Reading the audit log (admin). There is no route that changes it."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from cms.audit import service
from cms.audit.schemas import AuditListSchema, AuditQuerySchema
from cms.auth.roles import Permission
from cms.http.api import Blueprint, private_page
from cms.http.sessions import get_session

blp = Blueprint(
    "manage-audit",
    __name__,
    url_prefix="/api/v1/manage/audit",
    description="Audit log (admin).",
    collection="AuditEvents",
)


@blp.route("")
class AuditLog(MethodView):
    @blp.requires(Permission.READ_AUDIT)
    @blp.arguments(AuditQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, AuditListSchema)
    def get(self, limit: int, cursor: int | None = None, **filters: Any) -> Any:
        """List audit events, newest first, filtered by article, actor or action"""
        page = service.events(
            get_session(),
            article_id=filters.get("article"),
            actor=filters.get("actor"),
            action=filters.get("action"),
            before_id=cursor,
            limit=limit,
        )
        return private_page(page.events, page.total, page.next_cursor)
