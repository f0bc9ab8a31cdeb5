"""Which medical sign-off applies to an article's latest revision (read only)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.articles.models import Article
from cms.workflow.models import Approval


def approval_of_current(session: Session, article: Article) -> Approval | None:
    """The sign-off of the article's latest revision, if it has one: only that exact
    revision may be published. A sign-off revoked by a withdrawal does not count."""
    return session.execute(
        sa.select(Approval).where(
            Approval.article_id == article.id,
            Approval.revision == article.current_revision,
            Approval.revoked_at.is_(None),
        )
    ).scalar_one_or_none()


def signed_off_before(session: Session, article: Article) -> bool:
    """Whether the latest revision carries a sign-off at all, revoked or not."""
    return (
        session.execute(
            sa.select(Approval.id).where(
                Approval.article_id == article.id, Approval.revision == article.current_revision
            )
        ).first()
        is not None
    )
