"""Running the content checks through the API, and reviewers' waivers of their errors."""

from __future__ import annotations

import uuid
from typing import Any

from flask.views import MethodView

from cms import checks
from cms.auth.roles import Permission
from cms.checks import waivers
from cms.checks.schemas import (
    AnyDocumentSchema,
    CheckReportSchema,
    WaiverCreateSchema,
    WaiverListSchema,
    WaiverSchema,
)
from cms.db import utcnow
from cms.http.api import Blueprint
from cms.http.auth import current_actor
from cms.http.problems import PROBLEM_MIMETYPE, ProblemSchema
from cms.http.sessions import get_session, transactional

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


waivers_blp = Blueprint(
    "manage-check-waivers",
    __name__,
    url_prefix="/api/v1/manage/articles",
    description="Reviewers' waivers of content-check errors (see docs/checks.md).",
)
WAIVERS = "/<uuid:article_id>/checks/waivers"


@waivers_blp.route(WAIVERS)
class Waivers(MethodView):
    @waivers_blp.requires(Permission.READ)
    @waivers_blp.response(200, WaiverListSchema)
    @waivers_blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID) -> Any:
        """List the article's waivers, revoked ones included"""
        items = waivers.list_waivers(get_session(), article_id=article_id)
        return {"items": items}

    @waivers_blp.requires(Permission.REVIEW)
    @waivers_blp.arguments(WaiverCreateSchema())
    @waivers_blp.response(201, WaiverSchema)
    @waivers_blp.alt_response(404, response="NOT_FOUND")
    @waivers_blp.alt_response(409, response="CONFLICT")
    @waivers_blp.alt_response(
        422,
        schema=ProblemSchema,
        content_type=PROBLEM_MIMETYPE,
        description="Invalid body, or the finding's code cannot be waived "
        "(/problems/finding-not-waivable).",
    )
    @transactional
    def post(self, body: dict[str, Any], article_id: uuid.UUID) -> Any:
        """Waive one error finding of the latest revision, with a reason (reviewer or admin)

        The waiver names the finding by code, pointer and quoted text; it covers it on
        later revisions while that text is unchanged, and lets publish proceed.
        """
        return waivers.grant_waiver(
            get_session(), article_id=article_id, actor=current_actor(), now=utcnow(), **body
        )


@waivers_blp.route(WAIVERS + "/<uuid:waiver_id>")
class WaiverItem(MethodView):
    @waivers_blp.requires(Permission.REVIEW)
    @waivers_blp.response(200, WaiverSchema)
    @waivers_blp.alt_response(404, response="NOT_FOUND")
    @waivers_blp.alt_response(409, response="CONFLICT")
    @transactional
    def delete(self, article_id: uuid.UUID, waiver_id: uuid.UUID) -> Any:
        """Revoke a waiver: its finding blocks publishing again"""
        return waivers.revoke_waiver(
            get_session(),
            article_id=article_id,
            waiver_id=waiver_id,
            actor=current_actor(),
            now=utcnow(),
        )
