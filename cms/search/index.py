"""Writing the search index: called from the snapshot writer, in the publish transaction.

Kept apart from the query side so that the snapshot writer can call it without
importing the delivery read service.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.delivery.models import PublishedArticle
from cms.search import postgresql, sqlite
from cms.search.models import SearchDocument
from cms.search.text import indexed_text, text_search_config

_REBUILD = {"sqlite": sqlite.rebuild, "postgresql": postgresql.rebuild}


def index_article(
    session: Session, *, article_id: uuid.UUID, public_document: Mapping[str, Any]
) -> None:
    """Index (or re-index) a live article from its public document."""
    text = indexed_text(public_document)
    document = session.execute(
        sa.select(SearchDocument).where(SearchDocument.article_id == article_id)
    ).scalar_one_or_none()
    if document is None:
        document = SearchDocument(article_id=article_id)
        session.add(document)
    document.locale = public_document["locale"]
    document.config = text_search_config(public_document["locale"])
    document.title = text.title
    document.summary = text.summary
    document.headings = text.headings
    document.body = text.body
    document.conditions = indexed_conditions(public_document)
    session.flush()


def remove_article(session: Session, *, article_id: uuid.UUID) -> None:
    """Take an article out of the index (it went offline)."""
    session.execute(sa.delete(SearchDocument).where(SearchDocument.article_id == article_id))


def index_rows(article_id: uuid.UUID, public_document: Mapping[str, Any]) -> dict[str, Any]:
    """The row ``index_article`` writes, for bulk loads (the rebuild, benchmarks)."""
    text = indexed_text(public_document)
    return {
        "article_id": article_id,
        "locale": public_document["locale"],
        "config": text_search_config(public_document["locale"]),
        "title": text.title,
        "summary": text.summary,
        "headings": text.headings,
        "body": text.body,
        "conditions": indexed_conditions(public_document),
    }


def indexed_conditions(public_document: Mapping[str, Any]) -> str:
    """The article's condition slugs as the index stores them (sorted, space-separated)."""
    return " ".join(sorted(public_document["conditions"]))


def reindex(session: Session, *, batch: int = 500) -> int:
    """Rebuild the whole index from the live snapshots; returns how many were indexed.

    The caller bumps the delivery generation (``cms search reindex`` does): search
    answers may change.
    """
    # First the engine's index is made whole from the rows it indexes: one out of step
    # with them (a reason to reindex) could not take their entries out (FTS5 says the
    # database is malformed).
    rebuild(session)
    session.execute(sa.delete(SearchDocument))
    count = 0
    for chunk in _snapshots(session, batch):
        session.execute(
            sa.insert(SearchDocument),
            [index_rows(article_id, orjson.loads(detail)) for article_id, detail in chunk],
        )
        count += len(chunk)
    rebuild(session)
    return count


# Oldest first: rows are numbered as they are written, and search ranks the highest
# number first within a tier, as publishing does (a row is added on first publication).
_PUBLICATION_ORDER = (PublishedArticle.published_at, PublishedArticle.article_id)


def _snapshots(session: Session, batch: int) -> Iterator[list[tuple[uuid.UUID, str]]]:
    ids = session.execute(
        sa.select(PublishedArticle.article_id).order_by(*_PUBLICATION_ORDER)
    ).scalars()
    for chunk in ids.partitions(batch):
        rows = session.execute(
            sa.select(PublishedArticle.article_id, PublishedArticle.detail_json)
            .where(PublishedArticle.article_id.in_(chunk))
            .order_by(*_PUBLICATION_ORDER)
        )
        yield [(row.article_id, row.detail_json) for row in rows]


def rebuild(session: Session) -> None:
    """Let the database's search structures settle after a bulk load (merge, analyze)."""
    _REBUILD[session.get_bind().dialect.name](session)
