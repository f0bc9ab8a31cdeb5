"""Translations: articles in other locales that translate an original.

A translation's document names its original in ``translation_of`` (slug, locale and
the original's revision it follows). Saving it links the two (``link``): the
original must exist, be in another locale and not be a translation itself, and it
has at most one translation per locale. The original and its translations form a
family; the public API lists each live member's siblings (``translations``).

Safety: a translation says what the original said when it was made. When the
original's live risks, evidence or benefits sections change after that revision,
the translation is out of date: the public API marks it ``translation_outdated``
and publishing a new revision of it is refused (``cms.publishing``, with the check
``translation.outdated``) until it
follows the new revision (``revision`` updated on re-translation, or confirmed by a
reviewer who checked it still says the same: ``cms.workflow.service.confirm_translation``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass
from typing import Any

import orjson
import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms.articles.models import Article, Revision
from cms.errors import InvalidDocument
from cms.validation import FieldError

# What a translation must keep saying as the original says it.
SAFETY_SECTIONS = ("risks", "evidence", "benefits")


def safety_hash(document: dict[str, Any]) -> str:
    """SHA-256 over the risks, evidence and benefits sections (type, heading, body)."""
    parts = sorted(
        (s["type"], s.get("heading"), s.get("body"))
        for s in document.get("sections", [])
        if s.get("type") in SAFETY_SECTIONS
    )
    return hashlib.sha256(orjson.dumps(parts)).hexdigest()


def _invalid(pointer: str, code: str, message: str) -> InvalidDocument:
    return InvalidDocument(
        f"translation_of: {message}",
        errors=[FieldError(f"/translation_of{pointer}", code, message)],
    )


def link(
    session: Session,
    *,
    article: Article | None,
    document: dict[str, Any],
    latest: dict[str, Any] | None = None,
) -> tuple[dict[str, Any], uuid.UUID | None]:
    """Check a document's ``translation_of``: the document as it is to be stored, and the
    id of the original it translates (None: it is an original).

    ``article`` is the article being saved (None: a new one), ``latest`` its latest
    document. A ``translation_of``
    without ``revision`` keeps the revision recorded before for the same original,
    or, for a new translation, follows the original's live revision (its latest when
    it is not live). Raises ``InvalidDocument`` pointing at the field.
    """
    reference = document.get("translation_of")
    if reference is None:
        return document, None
    if reference["locale"] == document["locale"]:
        raise _invalid(
            "/locale", "same_locale", "A translation is in another locale than its original."
        )
    original = _find(session, reference)
    if original is None or original.trashed_at is not None:
        raise _invalid(
            "/slug",
            "not_found",
            f"There is no article '{reference['slug']}' in locale '{reference['locale']}' "
            "to translate from.",
        )
    if original.translation_source_id is not None:
        raise _invalid(
            "/slug",
            "not_original",
            f"'{reference['slug']}' ({reference['locale']}) is itself a translation: name "
            "the original it translates.",
        )
    if article is not None:
        translated = session.scalar(
            sa.select(sa.func.count())
            .select_from(Article)
            .where(Article.translation_source_id == article.id)
        )
        if translated:
            raise _invalid(
                "", "has_translations", "This article is an original with translations of its own."
            )
    sibling = session.scalar(
        sa.select(Article.slug).where(
            Article.translation_source_id == original.id,
            Article.locale == document["locale"],
            *([Article.id != article.id] if article is not None else []),
        )
    )
    if sibling is not None:
        raise _invalid(
            "",
            "translation_exists",
            f"'{reference['slug']}' already has a '{document['locale']}' translation: '{sibling}'.",
        )
    revision = reference.get("revision")
    if revision is None:
        revision = _recorded_revision(latest, reference) or (
            original.live_revision or original.current_revision
        )
    elif revision > original.current_revision:
        raise _invalid(
            "/revision",
            "range",
            f"'{reference['slug']}' has no revision {revision} (its latest is "
            f"{original.current_revision}).",
        )
    return {**document, "translation_of": {**reference, "revision": revision}}, original.id


def _find(session: Session, reference: dict[str, Any]) -> Article | None:
    return session.execute(
        sa.select(Article).where(
            Article.slug == reference["slug"], Article.locale == reference["locale"]
        )
    ).scalar_one_or_none()


def _recorded_revision(latest: dict[str, Any] | None, reference: dict[str, Any]) -> int | None:
    """The revision ``latest`` (the article's latest document) follows of this original."""
    before = (latest or {}).get("translation_of") or {}
    if (before.get("slug"), before.get("locale")) == (reference["slug"], reference["locale"]):
        return before.get("revision")
    return None


@dataclass(frozen=True, slots=True)
class Family:
    """Where a revision about to go live belongs among translations."""

    group: uuid.UUID  # the original's id (the article's own, for an original)
    source_safety_hash: str | None  # a translation's: the original's, at the revision it follows


def family(session: Session, *, article: Article, document: dict[str, Any]) -> Family:
    """The family of ``document`` (a revision of ``article`` about to be published)."""
    reference = document.get("translation_of")
    original = _find(session, reference) if reference is not None else None
    if original is None:
        return Family(article.id, None)
    followed = session.scalar(
        sa.select(Revision.document).where(
            Revision.article_id == original.id, Revision.number == reference["revision"]
        )
    )
    return Family(original.id, safety_hash(followed) if followed is not None else None)


@dataclass(frozen=True, slots=True)
class OriginalState:
    """What the public API serves of an original, as far as its translations care."""

    slug: str
    locale: str
    live_revision: int
    safety_hash: str | None
    safety_changed_at: dt.datetime | None


def family_members(session: Session, article: Article) -> list[dict[str, Any]]:
    """The other articles of ``article``'s family (original and translations), by locale."""
    root = article.translation_source_id or article.id
    members = session.scalars(
        sa.select(Article)
        .where(
            sa.or_(Article.id == root, Article.translation_source_id == root),
            Article.id != article.id,
        )
        .order_by(Article.locale)
    )
    return [
        {
            "id": m.id,
            "locale": m.locale,
            "slug": m.slug,
            "status": m.status,
            "original": m.id == root,
        }
        for m in members
    ]
