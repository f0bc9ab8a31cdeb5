"""Workflow transitions: submit, request changes, approve (the medical sign-off), publish,
unpublish, archive, schedule and cancel_schedule (the last five carried out by
``cms.publishing``).

States describe an article's latest revision: ``draft`` → ``in_review`` →
``approved`` → ``published``, plus ``archived``. Any content change makes the
article a ``draft`` again, so only the exact revision a reviewer signed off can
be published.
"""

from __future__ import annotations

import calendar
import datetime as dt
import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms import checks
from cms.articles import service as articles
from cms.articles import translations
from cms.articles.models import Article, ArticleStatus, Revision
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.auth.roles import Role
from cms.checks import Finding
from cms.delivery import snapshots
from cms.errors import Conflict, FourEyesRequired, InvalidDocument, InvalidTransition
from cms.publishing import schedules
from cms.publishing import service as publishing
from cms.validation import FieldError
from cms.workflow.approvals import approval_of_current, signed_off_before
from cms.workflow.models import Approval
from cms.workflow.states import Action, allowed_actions

DEFAULT_REVIEW_MONTHS = 12
MAX_REVIEW_MONTHS = 36  # NHS, PIF: review health content at least every three years


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def transition(
    session: Session,
    *,
    article: Article,
    action: Action,
    actor: Actor,
    now: dt.datetime,
    comment: str | None = None,
    next_review: dt.date | None = None,
    reviewer_credentials: str | None = None,
    allow_self_approval: bool = False,
    publish_at: dt.datetime | None = None,
    unpublish_at: dt.datetime | None = None,
) -> None:
    """Apply a workflow action; the caller has checked the actor's permission."""
    articles.ensure_not_trashed(article)
    allowed = allowed_actions(article, scheduled=schedules.get(session, article) is not None)
    if action not in allowed:
        raise InvalidTransition(
            f"'{action}' is not possible while the article is {article.status}"
            + (" and live" if article.live_revision is not None else "")
            + f"; allowed: {', '.join(allowed) or 'none'}.",
            allowed=allowed,
        )
    previous = article.status
    details: dict[str, Any] = {"comment": comment} if comment else {}
    if action == Action.SUBMIT:
        article.status = ArticleStatus.IN_REVIEW
    elif action == Action.REQUEST_CHANGES:
        if not comment:
            raise InvalidDocument(
                "Say what needs to change: request_changes needs a comment.",
                errors=[FieldError("/comment", "required", "A comment is required.")],
            )
        article.status = ArticleStatus.DRAFT
    elif action == Action.APPROVE:
        details |= _approve(
            session, article=article, actor=actor, now=now, comment=comment,
            next_review=next_review, reviewer_credentials=reviewer_credentials,
            allow_self_approval=allow_self_approval,
        )  # fmt: skip
    elif action == Action.PUBLISH:
        publishing.publish(
            session, article=article, actor=actor, now=now, approval=_approval(session, article)
        )
        return  # changes of public state record their own events
    elif action == Action.UNPUBLISH:
        publishing.unpublish(session, article=article, actor=actor, now=now, comment=comment)
        return
    elif action == Action.ARCHIVE:
        publishing.archive(session, article=article, actor=actor, now=now, comment=comment)
        return
    elif action == Action.SCHEDULE:
        schedules.schedule(
            session, article=article, actor=actor, now=now, publish_at=publish_at,
            unpublish_at=unpublish_at,
        )  # fmt: skip
        return  # the schedule is recorded with its own audit event; the article is unchanged
    elif action == Action.CANCEL_SCHEDULE:
        schedules.cancel(session, article=article, actor=actor, now=now)
        return
    article.updated_at = now
    details["status"] = [previous.value, article.status.value]
    audit.record(
        session, actor=actor, action=f"article.{action}", now=now, article_id=article.id,
        revision=article.current_revision, details=details,
    )  # fmt: skip


def _review_dates(now: dt.datetime, next_review: dt.date | None) -> tuple[dt.date, dt.date]:
    today = now.date()
    latest = add_months(today, MAX_REVIEW_MONTHS)
    chosen = next_review or add_months(today, DEFAULT_REVIEW_MONTHS)
    if not today < chosen <= latest:
        raise InvalidDocument(
            f"next_review must be after today and at most {MAX_REVIEW_MONTHS} months ahead "
            f"(by {latest.isoformat()}).",
            errors=[FieldError("/next_review", "range", f"Must be after {today} and by {latest}.")],
        )
    return today, chosen


def authors_since_last_approval(session: Session, article: Article) -> set[str]:
    """Who wrote the revisions an approval now would sign off: every one since the last."""
    previous = session.execute(
        sa.select(sa.func.max(Approval.revision)).where(Approval.article_id == article.id)
    ).scalar_one()
    query = sa.select(Revision.created_by).where(Revision.article_id == article.id)
    if previous is not None:
        query = query.where(Revision.number > previous)
    return set(session.scalars(query))


def _check_four_eyes(
    session: Session, *, article: Article, actor: Actor, allow_self_approval: bool
) -> bool:
    """Refuse a reviewer's sign-off of their own edits; returns whether it is one (allowed)."""
    if actor.name not in authors_since_last_approval(session, article):
        return False
    if allow_self_approval:
        return True
    raise FourEyesRequired(
        f"{actor.name} edited this article since its last sign-off: another reviewer must "
        "approve it (four eyes)."
    )


def _approve(
    session: Session,
    *,
    article: Article,
    actor: Actor,
    now: dt.datetime,
    comment: str | None,
    next_review: dt.date | None,
    reviewer_credentials: str | None,
    allow_self_approval: bool,
) -> dict[str, Any]:
    """The medical sign-off: a revision carrying reviewer and review dates, and its approval."""
    self_approval = _check_four_eyes(
        session, article=article, actor=actor, allow_self_approval=allow_self_approval
    )
    credentials = reviewer_credentials or actor.credentials
    if not credentials:
        raise InvalidDocument(
            "A medical sign-off records the reviewer's credentials: send reviewer_credentials "
            "or have them recorded on your token.",
            errors=[FieldError("/reviewer_credentials", "required", "Credentials are required.")],
        )
    last_reviewed, next_review = _review_dates(now, next_review)
    reviewed = article.current_revision
    document = {
        **articles.current_revision(session, article).document,
        "reviewer": {"name": actor.display_name or actor.name, "credentials": credentials},
        "last_reviewed": last_reviewed.isoformat(),
        "next_review": next_review.isoformat(),
    }
    articles.append_revision(
        session, article=article, document=document, actor=actor, now=now,
        status=ArticleStatus.APPROVED,
        note=f"Medical sign-off of revision {reviewed} by {actor.display_name or actor.name}.",
        # A withdrawn article's sign-off was revoked: the fresh one needs its own revision,
        # even when the reviewer, the dates and so the document are the same.
        even_if_unchanged=signed_off_before(session, article),
    )  # fmt: skip
    approval = Approval(
        article_id=article.id,
        reviewed_revision=reviewed,
        revision=article.current_revision,
        reviewer_token=actor.name,
        reviewer_name=document["reviewer"]["name"],
        reviewer_credentials=credentials,
        approved_at=now,
        last_reviewed=last_reviewed,
        next_review=next_review,
        comment=comment,
    )
    session.add(approval)
    article.status = ArticleStatus.APPROVED
    session.flush()
    return {
        "approval": approval.id,
        "reviewed_revision": reviewed,
        "next_review": next_review.isoformat(),
        # Only where CMS_ALLOW_SELF_APPROVAL relaxes the four-eyes rule.
        **({"self_approval": True} if self_approval else {}),
    }


def _approval(session: Session, article: Article) -> Approval:
    approval = approval_of_current(session, article)
    if approval is None:  # status says approved, but be certain of the exact revision
        raise Conflict(
            f"Revision {article.current_revision} has no medical sign-off: submit it for review."
        )
    return approval


def managed_view(session: Session, article: Article, *, role: Role) -> dict[str, Any]:
    """The article as the management API shows it to ``role``: latest document plus state.

    ``allowed_actions`` lists only what that role may do next.
    """
    session.flush()  # the version (the ETag) must include pending changes
    schedule = schedules.view(session, article)
    return {
        **articles.current_revision(session, article).document,
        **articles.summary_view(article),
        "allowed_actions": allowed_actions(article, role, scheduled=schedule is not None),
        "translations": translations.family_members(session, article),
        "approval": approval_of_current(session, article),
        "schedule": schedule,
    }


# The reviewer sees the checks' findings when an article reaches them, and after sign-off.
SHOWS_FINDINGS = frozenset({Action.SUBMIT, Action.APPROVE})


@dataclass(frozen=True, slots=True)
class Transitioned:
    article: Article
    report: checks.Report | None  # the findings (with reviewers' waivers) after submit, approve

    @property
    def findings(self) -> list[Finding] | None:
        return self.report.findings if self.report is not None else None


def transition_article(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    action: Action,
    actor: Actor,
    now: dt.datetime,
    comment: str | None = None,
    next_review: dt.date | None = None,
    reviewer_credentials: str | None = None,
    allow_self_approval: bool = False,
    publish_at: dt.datetime | None = None,
    unpublish_at: dt.datetime | None = None,
) -> Transitioned:
    article = articles.lock_for_write(session, article_id=article_id, expected=expected)
    transition(
        session, article=article, action=action, actor=actor, now=now, comment=comment,
        next_review=next_review, reviewer_credentials=reviewer_credentials,
        allow_self_approval=allow_self_approval, publish_at=publish_at,
        unpublish_at=unpublish_at,
    )  # fmt: skip
    report = None
    if action in SHOWS_FINDINGS:
        report = articles.check_report(
            session,
            article=article,
            today=now.date(),
            also=publishing.findings_against_original(session, article=article),
        )
    return Transitioned(article, report)


def confirm_translation(
    session: Session,
    *,
    article_id: uuid.UUID,
    expected: Collection[int] | None,
    reason: str,
    actor: Actor,
    now: dt.datetime,
) -> Article:
    """A reviewer confirms a translation still says what its original now says live.

    For when the original's risks, evidence or benefits changed in ways the translation
    already covers (or that do not change its meaning). A new revision follows the
    original's live revision and goes to review (or stays a draft), so the sign-off
    that publishes it is of that exact revision; the audit log keeps the reason.
    """
    article = articles.lock_for_write(session, article_id=article_id, expected=expected)
    articles.ensure_not_trashed(article)
    document = articles.current_revision(session, article).document
    reference = document.get("translation_of")
    if reference is None or article.translation_source_id is None:
        raise Conflict(f"Article {article.id} is not a translation: there is nothing to confirm.")
    live = snapshots.original_state(session, article.translation_source_id)
    if live is None:
        raise Conflict(
            f"The original '{reference['slug']}' ({reference['locale']}) is not live: there is "
            "nothing to confirm the translation against."
        )
    followed = reference["revision"]
    if followed == live.live_revision:
        raise Conflict(f"The translation already follows revision {followed} of its original.")
    status = (
        ArticleStatus.DRAFT if article.status == ArticleStatus.DRAFT else ArticleStatus.IN_REVIEW
    )
    articles.append_revision(
        session, article=article, status=status, actor=actor, now=now,
        document={**document, "translation_of": {**reference, "revision": live.live_revision}},
        note=f"Translation confirmed against revision {live.live_revision} of the original "
        f"by {actor.display_name or actor.name}.",
    )  # fmt: skip
    audit.record(
        session, actor=actor, action="article.confirm_translation", now=now,
        article_id=article.id, revision=article.current_revision,
        details={"reason": reason, "original_revision": [followed, live.live_revision]},
    )  # fmt: skip
    return article
