"""Reviewers' waivers: when a content check is wrong about an article.

A reviewer (or admin) waives one error finding of the latest revision, naming it by
code, JSON pointer and quoted text, with a reason. The waiver covers that finding on
every later revision while the quoted text is unchanged, shows in every check report,
and lets publishing proceed. Facts and safety floors cannot be waived (see
``Code.waivable``): schema errors, the risks section, unsafe markup and links, unsafe
advice, unresolved citations, review dates, a missing reviewer or disclosures.
Granting and revoking are recorded in the audit log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from cms import checks
from cms.articles.models import Article, Revision
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.checks.engine import code_info, waivable, waiver_for
from cms.checks.findings import Severity, same_text
from cms.checks.models import CheckWaiver
from cms.errors import Conflict, FindingNotWaivable, NotFound


def active_waivers(
    session: Session, *, article_id: uuid.UUID, document: dict[str, Any] | None = None
) -> list[CheckWaiver]:
    """The article's waivers in force; with ``document``, only those whose quoted text it
    still contains (a waiver lapses when the text it was granted for changes)."""
    waivers = list(
        session.scalars(
            sa.select(CheckWaiver)
            .where(CheckWaiver.article_id == article_id, CheckWaiver.revoked_at.is_(None))
            .order_by(CheckWaiver.created_at, CheckWaiver.id)
        )
    )
    if document is None:
        return waivers
    text = " ".join(_strings(document).split())
    return [w for w in waivers if " ".join(w.quote.split()) in text]


def _strings(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(_strings(v) for v in value.values())
    if isinstance(value, list):
        return "\n".join(_strings(v) for v in value)
    return ""


def _article(session: Session, article_id: uuid.UUID, *, for_update: bool = False) -> Article:
    query = sa.select(Article).where(Article.id == article_id)
    article = session.execute(query.with_for_update() if for_update else query).scalar_one_or_none()
    if article is None:
        raise NotFound(f"No article with id {article_id}.")
    return article


def list_waivers(session: Session, *, article_id: uuid.UUID) -> list[CheckWaiver]:
    """Every waiver of an article, revoked ones too, oldest first."""
    _article(session, article_id)
    return list(
        session.scalars(
            sa.select(CheckWaiver)
            .where(CheckWaiver.article_id == article_id)
            .order_by(CheckWaiver.created_at, CheckWaiver.id)
        )
    )


def grant_waiver(
    session: Session,
    *,
    article_id: uuid.UUID,
    code: str,
    pointer: str,
    quote: str,
    reason: str,
    actor: Actor,
    now: dt.datetime,
) -> CheckWaiver:
    """Waive one error finding of the article's latest revision (the caller checked the
    actor may review)."""
    # Locked like any write to the article, so two reviewers cannot waive the same finding.
    article = _article(session, article_id, for_update=True)
    info = code_info(code)
    if code.startswith("schema.") or (info is not None and not waivable(code)):
        raise FindingNotWaivable(
            f"Findings of code '{code}' cannot be waived: they are facts or safety floors "
            "(see docs/checks.md). Fix the article instead.",
            extra={"code": code},
        )
    revision = session.execute(
        sa.select(Revision).where(
            Revision.article_id == article.id, Revision.number == article.current_revision
        )
    ).scalar_one()
    findings = checks.run_checks(revision.document, today=now.date(), publishing=True)
    matching = [
        f
        for f in findings
        if f.code == code and f.pointer == pointer and same_text(f.quote or "", quote)
    ]
    if not matching or all(f.severity != Severity.ERROR for f in matching):
        raise Conflict(
            f"Revision {revision.number} has no error finding '{code}' at {pointer or '(document)'}"
            " quoting that text: it may have been fixed or changed. Check the latest report.",
        )
    existing = active_waivers(session, article_id=article.id)
    if any(waiver_for(f, existing) is not None for f in matching):
        raise Conflict("That finding is already waived.")
    waiver = CheckWaiver(
        article_id=article.id,
        revision=revision.number,
        code=code,
        pointer=pointer,
        quote=quote,
        reason=reason,
        created_by=actor.name,
        created_role=actor.role,
        created_at=now,
    )
    session.add(waiver)
    session.flush()
    audit.record(
        session, actor=actor, action="check.waive", now=now, article_id=article.id,
        revision=revision.number,
        details={"waiver": str(waiver.id), "code": code, "pointer": pointer, "quote": quote,
                 "reason": reason},
    )  # fmt: skip
    return waiver


def revoke_waiver(
    session: Session,
    *,
    article_id: uuid.UUID,
    waiver_id: uuid.UUID,
    actor: Actor,
    now: dt.datetime,
) -> CheckWaiver:
    """Withdraw a waiver: its finding blocks publishing again from now on."""
    waiver = session.execute(
        sa.select(CheckWaiver)
        .where(CheckWaiver.id == waiver_id, CheckWaiver.article_id == article_id)
        .with_for_update()
    ).scalar_one_or_none()
    if waiver is None:
        raise NotFound(f"Article {article_id} has no waiver {waiver_id}.")
    if waiver.revoked_at is not None:
        raise Conflict(f"Waiver {waiver_id} was already revoked.")
    waiver.revoked_at = now
    waiver.revoked_by = actor.name
    article = _article(session, article_id)
    audit.record(
        session, actor=actor, action="check.waiver_revoke", now=now, article_id=article_id,
        revision=article.current_revision,
        details={"waiver": str(waiver.id), "code": waiver.code, "pointer": waiver.pointer},
    )  # fmt: skip
    return waiver
