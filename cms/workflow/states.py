"""Workflow states and the actions each allows: pure rules, no database."""

from __future__ import annotations

import enum

from cms.articles.models import Article, ArticleStatus
from cms.auth.roles import Permission, Role, allows


class Action(enum.StrEnum):
    SUBMIT = "submit"
    REQUEST_CHANGES = "request_changes"
    APPROVE = "approve"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ARCHIVE = "archive"
    SCHEDULE = "schedule"
    CANCEL_SCHEDULE = "cancel_schedule"


PERMISSION_FOR: dict[Action, Permission] = {
    Action.SUBMIT: Permission.EDIT,
    Action.REQUEST_CHANGES: Permission.REVIEW,
    Action.APPROVE: Permission.REVIEW,
    Action.PUBLISH: Permission.PUBLISH,
    Action.UNPUBLISH: Permission.PUBLISH,
    Action.ARCHIVE: Permission.PUBLISH,
    Action.SCHEDULE: Permission.PUBLISH,
    Action.CANCEL_SCHEDULE: Permission.PUBLISH,
}


def allowed_actions(
    article: Article, role: Role | None = None, *, scheduled: bool = False
) -> list[Action]:
    """What the article's state allows next; with ``role``, only what that role may do.

    Editor UIs show these as buttons, so the list given to a caller must never
    contain an action that would answer 403 for their token. ``scheduled``: the
    article has a schedule that may be cancelled.
    """
    actions = _allowed_by_state(article, scheduled=scheduled)
    if role is None:
        return actions
    return [action for action in actions if allows(role, PERMISSION_FOR[action])]


def _allowed_by_state(article: Article, *, scheduled: bool) -> list[Action]:
    if article.trashed_at is not None:
        return []
    status = article.status
    actions = []
    if status == ArticleStatus.DRAFT:
        actions.append(Action.SUBMIT)
    if status == ArticleStatus.IN_REVIEW:
        actions += [Action.APPROVE, Action.REQUEST_CHANGES]
    if status == ArticleStatus.APPROVED:
        actions.append(Action.PUBLISH)
    if article.live_revision is not None:
        actions.append(Action.UNPUBLISH)
    if status != ArticleStatus.ARCHIVED:
        actions.append(Action.ARCHIVE)
    # Schedule the approved revision's publication, or a live article's expiry.
    if status == ArticleStatus.APPROVED or article.live_revision is not None:
        actions.append(Action.SCHEDULE)
    if scheduled:
        actions.append(Action.CANCEL_SCHEDULE)
    return actions
