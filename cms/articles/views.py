"""Management routes for articles: drafts, revisions, workflow. Bearer token required."""

from __future__ import annotations

import uuid
from functools import wraps
from typing import Any

from flask import current_app, url_for
from flask.views import MethodView

from cms.articles import service
from cms.articles.manage_schemas import (
    ArticleListQuerySchema,
    ArticleListSchema,
    DiffQuerySchema,
    ManagedArticleSchema,
    ManagedArticleWriteSchema,
    MergePatchSchema,
    RevisionDiffSchema,
    RevisionListQuerySchema,
    RevisionListSchema,
    RevisionSchema,
    TransitionSchema,
    TranslationConfirmationSchema,
    WithdrawSchema,
    WriteRequest,
)
from cms.auth.roles import Permission, Role
from cms.checks.schemas import CheckReportSchema
from cms.db import utcnow
from cms.delivery import snapshots
from cms.delivery.schemas import PublicArticleSchema
from cms.http import examples
from cms.http.api import Blueprint, change_note, private_page
from cms.http.auth import authorize, current_actor
from cms.http.conditional import client_has, not_modified, version_etag, version_headers
from cms.http.sessions import get_session, transactional
from cms.publishing import service as publishing
from cms.workflow import service as workflow
from cms.workflow.states import PERMISSION_FOR

blp = Blueprint(
    "manage-articles",
    __name__,
    url_prefix="/api/v1/manage/articles",
    description="Editors' API: drafts beside live, revisions, review and sign-off, publishing.",
    collection="ManagedArticles",
)

ARTICLE = "/<uuid:article_id>"
REVISION = ARTICLE + "/revisions/<int(min=1, max=2147483647):number>"


def _article_response(article: Any, status: int = 200) -> tuple[dict[str, Any], int, dict]:
    view = workflow.managed_view(get_session(), article, role=Role(current_actor().role))
    return view, status, version_headers(article.version)


@blp.route("")
class Articles(MethodView):
    @blp.requires(Permission.READ)
    @blp.arguments(ArticleListQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, ArticleListSchema)
    def get(self, **query: Any) -> Any:
        """List articles, drafts and live alike, newest first"""
        page = service.list_articles(
            get_session(),
            statuses=query.get("status", ()),
            locale=query.get("locale"),
            conditions=query.get("condition", ()),
            trashed=query["trashed"],
            limit=query["limit"],
            cursor=query.get("cursor"),
        )
        items = [service.summary_view(article) for article in page.articles]
        return private_page(items, page.total, page.next_cursor)

    @blp.requires(Permission.EDIT)
    @blp.arguments(ManagedArticleWriteSchema(), example=examples.ARTICLE)
    @blp.response(201, ManagedArticleSchema, headers={"Location": {"schema": {"type": "string"}}})
    @blp.conditional
    @blp.accepts_change_note
    @transactional
    def post(self, write: WriteRequest) -> Any:
        """Create a draft (never published by this call)"""
        article = service.create_article(
            get_session(),
            document=write.document,
            actor=current_actor(),
            now=utcnow(),
            note=change_note(write.note),
        )
        view, status, headers = _article_response(article, 201)
        headers["Location"] = url_for(".ArticleItem", article_id=article.id)
        return view, status, headers


@blp.route(ARTICLE)
class ArticleItem(MethodView):
    @blp.requires(Permission.READ)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.conditional
    def get(self, article_id: uuid.UUID) -> Any:
        """Get the latest revision with its workflow state"""
        article = service.get_article(get_session(), article_id)
        if client_has(version_etag(article.version)):
            return not_modified(version_etag(article.version))
        return _article_response(article)

    @blp.requires(Permission.EDIT)
    @blp.arguments(ManagedArticleWriteSchema(), example=examples.ARTICLE_REPLACED)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.accepts_change_note
    @blp.if_match
    @transactional
    def put(self, write: WriteRequest, article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Replace the document: a new draft revision; the live one stays public"""
        article = service.update_article(
            get_session(),
            article_id=article_id,
            expected=expected,
            write=WriteRequest(write.document, change_note(write.note)),
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)

    @blp.requires(Permission.EDIT)
    @blp.arguments(
        MergePatchSchema(), content_type="application/merge-patch+json", example=examples.PATCH
    )
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.accepts_change_note
    @blp.if_match
    @transactional
    def patch(self, patch: dict[str, Any], article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Change some fields (JSON Merge Patch, RFC 7396): a new draft revision"""
        article = service.patch_article(
            get_session(),
            article_id=article_id,
            expected=expected,
            patch=patch,
            note=change_note(None),
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)

    @blp.requires(Permission.TRASH)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.if_match
    @transactional
    def delete(self, article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Move to the trash: off the public API at once, restorable, nothing deleted"""
        article = publishing.trash(
            get_session(),
            article_id=article_id,
            expected=expected,
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)


@blp.route(ARTICLE + "/restore")
class ArticleRestore(MethodView):
    @blp.requires(Permission.TRASH)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.if_match
    @transactional
    def post(self, article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Bring an article back from the trash (it stays offline until published)"""
        article = publishing.restore(
            get_session(),
            article_id=article_id,
            expected=expected,
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)


@blp.route(ARTICLE + "/withdraw")
class ArticleWithdrawal(MethodView):
    @blp.requires(Permission.WITHDRAW)
    @blp.arguments(WithdrawSchema(), example=examples.WITHDRAWAL)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.if_match
    @transactional
    def post(self, body: dict[str, Any], article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Withdraw a live article at once (emergency): 410 Gone publicly, sign-off revoked

        For a reviewer, publisher or admin token. The public address answers 410 with
        a neutral notice; the reason goes to the audit log only. The article becomes
        a draft: it goes live again only after a new review and approval. 409 if the
        article is not live.
        """
        article = publishing.withdraw(
            get_session(),
            article_id=article_id,
            expected=expected,
            reason=body["reason"],
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)


@blp.route(ARTICLE + "/translation/confirm")
class TranslationConfirmation(MethodView):
    @blp.requires(Permission.REVIEW)
    @blp.arguments(TranslationConfirmationSchema(), example=examples.TRANSLATION_CONFIRMATION)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.if_match
    @transactional
    def post(self, body: dict[str, Any], article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Confirm an outdated translation still says what its original says now

        For a reviewer or admin token, when the original's live risks, evidence or
        benefits changed after the revision the translation follows (its check
        `translation.outdated`) and the translation needs no change. A new revision
        follows the original's live revision and goes to review; the reason goes to
        the audit log. 409 if the article is not a translation, its original is not
        live, or it already follows the live revision.
        """
        article = workflow.confirm_translation(
            get_session(),
            article_id=article_id,
            expected=expected,
            reason=body["reason"],
            actor=current_actor(),
            now=utcnow(),
        )
        return _article_response(article)


def _authorize_action(func: Any) -> Any:
    """403 for an action the caller's role may not take, before If-Match is looked at."""

    @wraps(func)
    def wrapper(self: Any, body: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        authorize(current_actor(), PERMISSION_FOR[body["action"]])
        return func(self, body, *args, **kwargs)

    return wrapper


@blp.route(ARTICLE + "/transitions")
class ArticleTransitions(MethodView):
    @blp.requires(Permission.EDIT)
    @blp.arguments(TransitionSchema(), examples=examples.TRANSITIONS)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @_authorize_action
    @blp.if_match
    @transactional
    def post(self, body: dict[str, Any], article_id: uuid.UUID, expected: frozenset[int]) -> Any:
        """Apply a workflow action: submit, approve, publish, schedule, unpublish, archive…

        The actions: submit, request_changes, approve, publish, unpublish, archive,
        schedule, cancel_schedule. approve and request_changes need a reviewer (or
        admin) token; publish, unpublish, archive, schedule and cancel_schedule a
        publisher (or admin) token. approve is the medical sign-off: it records the
        reviewer, today as last_reviewed and next_review, in a new revision that is the
        only one that may then be published. schedule takes publish_at (the approved
        revision goes live then; an edit before that cancels the schedule) and/or
        unpublish_at (it goes offline then, as an expiry), RFC 3339 with a time zone.
        """
        actor = current_actor()
        result = workflow.transition_article(
            get_session(),
            article_id=article_id,
            expected=expected,
            action=body["action"],
            actor=actor,
            now=utcnow(),
            comment=body.get("comment"),
            next_review=body.get("next_review"),
            reviewer_credentials=body.get("reviewer_credentials"),
            allow_self_approval=current_app.config["ALLOW_SELF_APPROVAL"],
            publish_at=body.get("publish_at"),
            unpublish_at=body.get("unpublish_at"),
        )
        view, status, headers = _article_response(result.article)
        if result.report is not None:
            view["findings"] = result.report.as_dict()["findings"]
        return view, status, headers


@blp.route(ARTICLE + "/checks")
class ArticleChecks(MethodView):
    @blp.requires(Permission.READ)
    @blp.response(200, CheckReportSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID) -> Any:
        """Run the health-content checks on the latest revision"""
        session = get_session()
        article = service.get_article(session, article_id)
        report = service.check_report(
            session,
            article=article,
            today=utcnow().date(),
            also=publishing.findings_against_original(session, article=article),
        )
        return report.as_dict()


@blp.route(ARTICLE + "/preview")
class ArticlePreview(MethodView):
    @blp.requires(Permission.READ)
    @blp.response(200, PublicArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID) -> Any:
        """Render the latest revision exactly as the public API will once it is published"""
        session = get_session()
        article = service.get_article(session, article_id)
        return snapshots.preview(session, article=article, now=utcnow())


@blp.route(ARTICLE + "/revisions")
class Revisions(MethodView):
    @blp.requires(Permission.READ)
    @blp.arguments(RevisionListQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, RevisionListSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID, limit: int, cursor: int | None = None) -> Any:
        """List revisions, newest first"""
        session = get_session()
        article = service.get_article(session, article_id)
        page = service.revisions_page(session, article=article, before=cursor, limit=limit)
        return private_page(page.revisions, page.total, page.next_cursor)


@blp.route(REVISION)
class RevisionItem(MethodView):
    @blp.requires(Permission.READ)
    @blp.response(200, RevisionSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID, number: int) -> Any:
        """Get one revision: the full document as it was saved"""
        session = get_session()
        article = service.get_article(session, article_id)
        return service.require_revision(session, article=article, number=number)


@blp.route(REVISION + "/diff")
class RevisionDiff(MethodView):
    @blp.requires(Permission.READ)
    @blp.arguments(DiffQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, RevisionDiffSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, article_id: uuid.UUID, number: int, against: int | None = None) -> Any:
        """What changed between two revisions: fields, sections (with text diffs), references"""
        session = get_session()
        article = service.get_article(session, article_id)
        return service.revision_diff(session, article=article, number=number, against=against)


@blp.route(REVISION + "/restore")
class RevisionRestore(MethodView):
    @blp.requires(Permission.EDIT)
    @blp.response(200, ManagedArticleSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT")
    @blp.accepts_change_note
    @blp.if_match
    @transactional
    def post(self, article_id: uuid.UUID, number: int, expected: frozenset[int]) -> Any:
        """Start a new draft revision from an older revision's content"""
        article = service.restore_revision_of(
            get_session(),
            article_id=article_id,
            number=number,
            expected=expected,
            actor=current_actor(),
            now=utcnow(),
            note=change_note(None),
        )
        return _article_response(article)
