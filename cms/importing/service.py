"""Importing article files: validate everything first, then write all or nothing.

The files go through exactly the schema the management API uses. An import is
idempotent: an unchanged file changes nothing, a changed one becomes a new
revision of the article with the same slug and locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from marshmallow import ValidationError
from sqlalchemy.orm import Session

from cms import checks
from cms.articles import service as articles
from cms.articles.models import Article, Revision
from cms.articles.schemas import load_document
from cms.audit import service as audit
from cms.audit.service import Actor
from cms.checks import identifiers, waivers
from cms.delivery.models import PublishedArticle
from cms.errors import CMSError, Conflict, InvalidDocument
from cms.importing import files, parallel
from cms.publishing import service as publishing
from cms.validation import FieldError, field_errors


@dataclass(frozen=True, slots=True)
class SourceProblem:
    """A problem in one source: a file (with its line for YAML) or an item of an API batch."""

    source: str
    line: int | None
    pointer: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        return f"{where}: {self.pointer or '(document)'}: {self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class SourceDocument:
    source: str
    document: dict[str, Any]
    path: Path | None = None  # for files: to locate problems by line
    text: str | None = None


@dataclass(slots=True)
class Validation:
    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


def validate_file(path: Path) -> tuple[SourceDocument | None, list[SourceProblem]]:
    source = str(path)
    try:
        text, raw = files.read(path)
    except files.DocumentSyntaxError as exc:
        return None, [SourceProblem(source, exc.line, "", "syntax", exc.message)]
    except OSError as exc:
        return None, [SourceProblem(source, None, "", "unreadable", exc.strerror or str(exc))]
    try:
        document = load_document(raw)
    except ValidationError as exc:
        return None, [
            SourceProblem(
                source,
                files.line_of(path, text, e.pointer),
                e.pointer,
                e.code,
                identifiers.with_hint(e.message, e.pointer, raw),
            )
            for e in field_errors(exc.messages)
        ]
    return SourceDocument(source, document, path, text), []


@dataclass(frozen=True, slots=True)
class _FileResult:
    document: SourceDocument | None
    problems: list[SourceProblem]
    findings: tuple[checks.Finding, ...] | None


def _validate_and_check(path: Path, today: dt.date | None) -> _FileResult:
    """One file validated and, for a publishing import, checked (in a worker process)."""
    document, problems = validate_file(path)
    findings = None
    if document is not None and today is not None:
        found = checks.run_checks(document.document, today=today, publishing=True)
        findings = tuple(found)
    return _FileResult(document, problems, findings)


def validate_paths(
    paths: Sequence[Path],
    *,
    progress: Callable[[str], None] | None = None,
    check_for: dt.date | None = None,
) -> Validation:
    """Validate every file under ``paths``; nothing touches the database.

    With ``check_for`` (the day of a publishing import) each document is also checked,
    on every core, exactly once: the findings are remembered, so the publish that
    follows does not check the same document again.
    """
    result = Validation()
    discovery = files.discover(paths)
    for path in discovery.missing:
        result.problems.append(
            SourceProblem(str(path), None, "", "not_found", "No such file or folder.")
        )
    if not discovery.files and not discovery.missing:
        for path in paths:
            result.problems.append(
                SourceProblem(
                    str(path), None, "", "no_documents", "No .yaml, .yml or .json files here."
                )
            )
    work = functools.partial(_validate_and_check, today=check_for)
    warm_up = checks.warm_up if check_for is not None else None
    for path, checked in zip(
        discovery.files, parallel.run(work, discovery.files, warm_up=warm_up), strict=True
    ):
        if checked.document is not None:
            result.documents.append(checked.document)
            if checked.findings is not None and check_for is not None:
                checks.remember(
                    checked.document.document,
                    today=check_for,
                    publishing=True,
                    findings=checked.findings,
                )
        result.problems.extend(checked.problems)
        if progress is not None:
            progress(str(path))
    result.problems.extend(_duplicate_keys(result.documents))
    return result


def validate_batch(items: Sequence[Any]) -> Validation:
    """Validate an API batch; item ``i`` is the source ``"/i"``, its pointers are its own."""
    result = Validation()
    for index, raw in enumerate(items):
        try:
            result.documents.append(SourceDocument(f"/{index}", load_document(raw)))
        except ValidationError as exc:
            result.problems.extend(
                SourceProblem(f"/{index}", None, e.pointer, e.code, e.message)
                for e in field_errors(exc.messages)
            )
    result.problems.extend(_duplicate_keys(result.documents))
    return result


def _duplicate_keys(documents: Iterable[SourceDocument]) -> list[SourceProblem]:
    """Two documents for the same slug and locale would overwrite each other."""
    first: dict[tuple[str, str], str] = {}
    problems = []
    for source in documents:
        key = (source.document["slug"], source.document["locale"])
        if key in first:
            problems.append(
                SourceProblem(
                    source.source,
                    None,
                    "/slug",
                    "duplicate",
                    f"Slug '{key[0]}' in locale '{key[1]}' is also defined in {first[key]}.",
                )
            )
        else:
            first[key] = source.source
    return problems


def _problem(source: SourceDocument, finding: checks.Finding) -> SourceProblem:
    line = (
        files.line_of(source.path, source.text, finding.pointer)
        if source.path is not None and source.text is not None
        else None
    )
    return SourceProblem(source.source, line, finding.pointer, finding.code, finding.message)


def publishing_problems(
    documents: Iterable[SourceDocument],
    *,
    today: dt.date,
    session: Session | None = None,
    allow_overdue_review: bool = False,
) -> list[SourceProblem]:
    """Content-check errors that would refuse publishing, for every document at once.

    With a ``session``, errors that a reviewer waived on the existing article with the
    same slug do not count (publishing honours the same waivers). With
    ``allow_overdue_review``, a review date that has passed does not count either
    (``overdue_reviews`` lists those).
    """
    tolerated = [checks.OVERDUE_REVIEW] if allow_overdue_review else []
    problems = []
    for source in documents:
        findings = checks.run_checks(source.document, today=today, publishing=True)
        if not checks.has_errors(findings):
            continue
        applying = _waivers_of(session, source.document) if session is not None else []
        problems.extend(
            _problem(source, finding)
            for finding in checks.blocking(findings, applying, tolerated=tolerated)
        )
    return problems


def overdue_reviews(documents: Iterable[SourceDocument], *, today: dt.date) -> list[SourceProblem]:
    """The documents whose ``next_review`` has passed on ``today``: one problem each."""
    return [
        _problem(source, finding)
        for source in documents
        for finding in checks.run_checks(source.document, today=today, publishing=True)
        if finding.code == checks.OVERDUE_REVIEW
    ]


def _waivers_of(session: Session, document: dict[str, Any]) -> list[Any]:
    article = articles.find_by_slug(session, slug=document["slug"], locale=document["locale"])
    if article is None:
        return []
    return waivers.active_waivers(session, article_id=article.id, document=document)


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    source: str
    article_id: uuid.UUID | None  # None: a dry run's article that would be created
    slug: str
    locale: str
    outcome: Outcome
    revision: int
    published: bool


# Any 64-bit number, the same for every process: the key of the import lock.
IMPORT_LOCK_KEY = 0x636D735F696D7074  # "cms_impt"


def lock_imports(session: Session) -> None:
    """One import at a time across every process and node; a second one fails at once.

    PostgreSQL: a transaction-scoped advisory lock. SQLite: the write transaction
    itself (writers are serialised; a second import waits the busy timeout, then
    gets "database is locked", which the callers report as busy).
    """
    if session.get_bind().dialect.name != "postgresql":
        return
    acquired = session.execute(
        sa.select(sa.func.pg_try_advisory_xact_lock(IMPORT_LOCK_KEY))
    ).scalar_one()
    if not acquired:
        raise Conflict("Another import is running: nothing was imported. Retry when it is done.")


def import_documents(
    session: Session,
    documents: Iterable[SourceDocument],
    *,
    publish: bool,
    actor: Actor,
    now: dt.datetime,
    progress: Callable[[str], None] | None = None,
    allow_overdue_review: bool = False,
) -> list[ImportedDocument]:
    """Write validated documents; the caller commits (or rolls back for a dry run).

    ``publish`` is the trusted operator's path: it publishes without the review
    steps (the audit log says so); every content rule still applies, except that
    with ``allow_overdue_review`` a review date that has passed does not block
    (the public API then marks the article ``review_overdue``).

    Documents are written in the order given (files: sorted by path; originals before
    the translations that name them), each one
    microsecond after the one before (``now``, ``now`` + 1 µs, …): articles first
    published by one import get distinct publication times in that order, so the
    public list (newest first) is the same on every fresh database.
    """
    lock_imports(session)
    report = []
    # Originals before translations: a translation names an original that must exist.
    documents = sorted(documents, key=lambda source: "translation_of" in source.document)
    for index, source in enumerate(documents):
        try:
            report.append(
                _import_one(
                    session, source, publish=publish, actor=actor,
                    now=now + dt.timedelta(microseconds=index),
                    allow_overdue_review=allow_overdue_review,
                )
            )  # fmt: skip
        except CMSError as exc:
            # Name the file; the caller rolls back everything written so far.
            exc.detail = f"{source.source}: {exc.detail}"
            raise
        if progress is not None:
            progress(source.source)
    totals = {outcome.value: sum(e.outcome == outcome for e in report) for outcome in Outcome}
    audit.record(
        session, actor=actor, action="import", now=now,
        details={**totals, "published": sum(e.published for e in report)},
    )  # fmt: skip
    return report


def _import_one(
    session: Session,
    source: SourceDocument,
    *,
    publish: bool,
    actor: Actor,
    now: dt.datetime,
    allow_overdue_review: bool = False,
) -> ImportedDocument:
    document = source.document
    # Locked: a concurrent writer of the same article waits, then sees this revision.
    article = articles.find_by_slug(
        session, slug=document["slug"], locale=document["locale"], for_update=True
    )
    if article is None:
        article = articles.create_article(session, document=document, actor=actor, now=now)
        outcome = Outcome.CREATED
    else:
        revision = articles.save_revision(
            session, article=article, document=document, actor=actor, now=now
        )
        outcome = Outcome.UNCHANGED if revision is None else Outcome.UPDATED
    published = False
    if publish and article.live_revision != article.current_revision:
        # The trusted operator's path: no review steps, recorded as such in the audit log.
        publishing.publish(
            session, article=article, actor=actor, now=now, approval=None,
            allow_overdue_review=allow_overdue_review,
        )  # fmt: skip
        published = True
    return ImportedDocument(
        source.source,
        article.id,
        document["slug"],
        document["locale"],
        outcome,
        article.current_revision,
        published,
    )


def plan_import(
    session: Session, documents: Sequence[SourceDocument], *, publish: bool
) -> list[ImportedDocument]:
    """What ``import_documents`` would do, found by reading only (``cms import --dry-run``).

    The existing articles and their latest content hashes are read in batches; nothing
    is written, so a dry run of thousands of files takes seconds.
    """
    keys = [(s.document["slug"], s.document["locale"]) for s in documents]
    found: dict[tuple[str, str], tuple[Article, str]] = {}
    public: dict[tuple[str, str], uuid.UUID] = {}  # live slugs: a publish may not take one
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        rows = session.execute(
            sa.select(Article, Revision.content_hash)
            .join(
                Revision,
                sa.and_(
                    Revision.article_id == Article.id, Revision.number == Article.current_revision
                ),
            )
            .where(sa.tuple_(Article.slug, Article.locale).in_(chunk))
        )
        found.update({(a.slug, a.locale): (a, digest) for a, digest in rows})
        if publish:
            live = session.execute(
                sa.select(
                    PublishedArticle.slug, PublishedArticle.locale, PublishedArticle.article_id
                ).where(sa.tuple_(PublishedArticle.slug, PublishedArticle.locale).in_(chunk))
            )
            public.update({(slug, locale): article_id for slug, locale, article_id in live})
    report = []
    for source, key in zip(documents, keys, strict=True):
        existing = found.get(key)
        holder = public.get(key)
        if holder is not None and (existing is None or existing[0].id != holder):
            raise Conflict(
                f"{source.source}: Another article already uses slug '{key[0]}' in locale "
                f"'{key[1]}'."
            )
        if existing is None:
            report.append(ImportedDocument(source.source, None, *key, Outcome.CREATED, 1, publish))
            continue
        article, digest = existing
        if article.trashed_at is not None:
            raise Conflict(
                f"{source.source}: Article {article.id} is in the trash: restore it before "
                "changing it."
            )
        unchanged = articles.content_hash(source.document) == digest
        revision = article.current_revision + (0 if unchanged else 1)
        outcome = Outcome.UNCHANGED if unchanged else Outcome.UPDATED
        published = publish and article.live_revision != revision
        report.append(
            ImportedDocument(source.source, article.id, *key, outcome, revision, published)
        )
    return report


def import_batch(
    session: Session,
    items: Sequence[Any],
    *,
    dry_run: bool,
    actor: Actor,
    now: dt.datetime,
) -> list[ImportedDocument]:
    """The management API's import: all or nothing, drafts only (publishing needs review).

    Problems point into the batch: ``/3/sections`` is item 3's sections.
    """
    validation = validate_batch(items)
    if validation.problems:
        invalid = sorted({int(p.source[1:]) for p in validation.problems})
        raise InvalidDocument(
            f"{len(validation.problems)} problem(s) in {len(invalid)} of {len(items)} "
            "article(s); nothing was imported.",
            errors=[
                FieldError(p.source + p.pointer, p.code, p.message) for p in validation.problems
            ],
            extra={"invalid_items": invalid},
        )
    savepoint = session.begin_nested()
    report = import_documents(session, validation.documents, publish=False, actor=actor, now=now)
    if dry_run:
        savepoint.rollback()
    else:
        savepoint.commit()
    return report
