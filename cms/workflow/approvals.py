"""Which medical sign-off applies to an article's latest revision (read only)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.articles.models import Article
from cms.workflow.models import Approval


def approval_of_current(session: Session, article: Article) -> Approval | None:
    """The sign-off of the article's latest revision, if it has one: only that exact
    revision may be published."""
    return session.execute(
        sa.select(Approval).where(
            Approval.article_id == article.id, Approval.revision == article.current_revision
        )
    ).scalar_one_or_none()
