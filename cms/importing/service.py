"""Importing article files: validate everything first, then write all or nothing.

The files go through exactly the schema the management API uses. An import is
idempotent: an unchanged file changes nothing, a changed one becomes a new
revision of the article with the same slug and locale.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from cms.articles.schemas import document_schema, load_document
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
    # For a publishing import: the document as the schema loaded it, so that publishing
    # renders it without validating it a second time.
    loaded: dict[str, Any] | None = None


@dataclass(slots=True)
class Validation:
    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)


def validate_file(
    path: Path, *, keep_loaded: bool = False
) -> tuple[SourceDocument | None, list[SourceProblem]]:
    source = str(path)
    try:
        text, raw = files.read(path)
    except files.DocumentSyntaxError as exc:
        return None, [SourceProblem(source, exc.line, "", "syntax", exc.message)]
    except OSError as exc:
        return None, [SourceProblem(source, None, "", "unreadable", exc.strerror or str(exc))]
    try:
        loaded = document_schema.load(raw)  # the one validation of this file in an import
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
    document = document_schema.dump(loaded)  # as load_document returns it
    return SourceDocument(source, document, path, text, loaded if keep_loaded else None), []


@dataclass(frozen=True, slots=True)
class _FileResult:
    path: Path
    document: SourceDocument | None
    problems: list[SourceProblem]
    findings: tuple[checks.Finding, ...] | None


def _validate_and_check(path: Path, today: dt.date | None) -> _FileResult:
    """One file validated and, for a publishing import, checked (in a worker process)."""
    document, problems = validate_file(path, keep_loaded=today is not None)
    findings = None
    if document is not None and today is not None:
        found = checks.run_checks(document.document, today=today, publishing=True, validated=True)
        findings = tuple(found)
    return _FileResult(path, document, problems, findings)


def _discover(paths: Sequence[Path]) -> tuple[list[Path], list[SourceProblem]]:
    """The files to import, and the paths that name none."""
    discovery = files.discover(paths)
    problems = [
        SourceProblem(str(path), None, "", "not_found", "No such file or folder.")
        for path in discovery.missing
    ]
    if not discovery.files and not discovery.missing:
        message = "No .yaml, .yml or .json files here."
        problems += [SourceProblem(str(p), None, "", "no_documents", message) for p in paths]
    return discovery.files, problems


def _checked_files(paths: Sequence[Path], check_for: dt.date | None) -> Iterator[_FileResult]:
    """Each file validated (and checked, with ``check_for``) on every core, in file order.

    Each document is checked exactly once: the findings are remembered, so the publish
    that follows does not check the same document again.
    """
    work = functools.partial(_validate_and_check, today=check_for)
    warm_up = checks.warm_up if check_for is not None else None
    for checked in parallel.run(work, paths, warm_up=warm_up):
        if checked.document is not None and checked.findings is not None:
            checks.remember(
                checked.document.document,
                today=check_for,
                publishing=True,
                findings=checked.findings,
            )
        yield checked


def validate_paths(
    paths: Sequence[Path],
    *,
    progress: Callable[[str], None] | None = None,
    check_for: dt.date | None = None,
) -> Validation:
    """Validate every file under ``paths``; nothing touches the database.

    With ``check_for`` (the day of a publishing import) each document is also checked,
    on every core, exactly once (see ``_checked_files``).
    """
    found, problems = _discover(paths)
    result = Validation(problems=problems)
    for checked in _checked_files(found, check_for):
        if checked.document is not None:
            result.documents.append(checked.document)
        result.problems.extend(checked.problems)
        if progress is not None:
            progress(str(checked.path))
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
    return [p for p in (_duplicate(first, source) for source in documents) if p is not None]


def _duplicate(first: dict[tuple[str, str], str], source: SourceDocument) -> SourceProblem | None:
    """The problem if an earlier document (in ``first``, which this one joins) has its key."""
    key = (source.document["slug"], source.document["locale"])
    if key not in first:
        first[key] = source.source
        return None
    return SourceProblem(
        source.source,
        None,
        "/slug",
        "duplicate",
        f"Slug '{key[0]}' in locale '{key[1]}' is also defined in {first[key]}.",
    )


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
    return [
        problem
        for source in documents
        for problem in _blocking_problems(
            source,
            checks.run_checks(source.document, today=today, publishing=True),
            session=session,
            tolerated=tolerated,
        )
    ]


def _blocking_problems(
    source: SourceDocument,
    findings: Sequence[checks.Finding],
    *,
    session: Session | None,
    tolerated: Sequence[str],
) -> list[SourceProblem]:
    if not checks.has_errors(list(findings)):
        return []
    applying = _waivers_of(session, source.document) if session is not None else []
    return [
        _problem(source, finding)
        for finding in checks.blocking(findings, applying, tolerated=tolerated)
    ]


def overdue_reviews(documents: Iterable[SourceDocument], *, today: dt.date) -> list[SourceProblem]:
    """The documents whose ``next_review`` has passed on ``today``: one problem each."""
    return [
        problem
        for source in documents
        for problem in _overdue(
            source, checks.run_checks(source.document, today=today, publishing=True)
        )
    ]


def _overdue(source: SourceDocument, findings: Iterable[checks.Finding]) -> list[SourceProblem]:
    return [_problem(source, f) for f in findings if f.code == checks.OVERDUE_REVIEW]


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
        report.append(
            _import_named(
                session, source, publish=publish, actor=actor,
                now=now + dt.timedelta(microseconds=index),
                allow_overdue_review=allow_overdue_review,
            )
        )  # fmt: skip
        if progress is not None:
            progress(source.source)
    _record_import(session, report, actor=actor, now=now)
    return report


@dataclass(slots=True)
class FileImport:
    """What ``import_files`` wrote, or the problems it found (then nothing may be kept)."""

    report: list[ImportedDocument] = field(default_factory=list)
    problems: list[SourceProblem] = field(default_factory=list)
    overdue: list[SourceProblem] = field(default_factory=list)  # published all the same


def import_files(
    session: Session,
    paths: Sequence[Path],
    *,
    publish: bool,
    actor: Actor,
    now: dt.datetime,
    progress: Callable[[str], None] | None = None,
    allow_overdue_review: bool = False,
) -> FileImport:
    """``cms import``: validate, check (``publish``) and write every file, in one pass.

    The files are validated, and checked, on every core while this process writes
    the ones already done, in file order, into the caller's transaction: writing
    overlaps checking instead of waiting for all of it. Each file is validated once
    and checked once. The first problem stops the writing but not the validation, so
    that every problem of every file is reported; with problems the caller must roll
    back (nothing is imported). A write that is refused (say, a slug another article
    holds) raises its ``CMSError``, naming the file, once every file has been
    validated and none has a problem. Translations are written after the originals
    they name. Otherwise as ``import_documents``.
    """
    lock_imports(session)
    found, problems = _discover(paths)
    result = FileImport(problems=problems)
    tolerated = [checks.OVERDUE_REVIEW] if allow_overdue_review else []
    first: dict[tuple[str, str], str] = {}
    refused: CMSError | None = None
    translations: list[SourceDocument] = []

    def write(source: SourceDocument) -> CMSError | None:
        try:
            result.report.append(
                _import_named(
                    session, source, publish=publish, actor=actor,
                    now=now + dt.timedelta(microseconds=len(result.report)),
                    allow_overdue_review=allow_overdue_review,
                )
            )  # fmt: skip
        except CMSError as exc:
            return exc
        return None

    for checked in _checked_files(found, now.date() if publish else None):
        result.problems.extend(checked.problems)
        source = checked.document
        if source is not None:
            duplicate = _duplicate(first, source)
            result.problems += [duplicate] if duplicate is not None else []
            if publish and checked.findings is not None:
                result.problems += _blocking_problems(
                    source, checked.findings, session=session, tolerated=tolerated
                )
                if allow_overdue_review:
                    result.overdue += _overdue(source, checked.findings)
            if "translation_of" in source.document:
                translations.append(source)  # after every original: it names one
            elif not result.problems and refused is None:
                refused = write(source)
        if progress is not None:
            progress(str(checked.path))
    for source in translations:
        if not result.problems and refused is None:
            refused = write(source)
    if result.problems:
        return result
    if refused is not None:
        raise refused
    _record_import(session, result.report, actor=actor, now=now)
    return result


def _import_named(session: Session, source: SourceDocument, **options: Any) -> ImportedDocument:
    try:
        return _import_one(session, source, **options)
    except CMSError as exc:
        # Name the file; the caller rolls back everything written so far.
        exc.detail = f"{source.source}: {exc.detail}"
        raise


def _record_import(
    session: Session, report: Sequence[ImportedDocument], *, actor: Actor, now: dt.datetime
) -> None:
    totals = {outcome.value: sum(e.outcome == outcome for e in report) for outcome in Outcome}
    audit.record(
        session, actor=actor, action="import", now=now,
        details={**totals, "published": sum(e.published for e in report)},
    )  # fmt: skip


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
            # The current revision is this document (new, or unchanged): validated once.
            loaded_document=source.loaded,
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
