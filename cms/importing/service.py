"""Importing article files: validate everything first, then write all or nothing.

The files go through exactly the schema the management API uses. An import is
idempotent: an unchanged file changes nothing, a changed one becomes a new
revision of the article with the same slug and locale.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from marshmallow import ValidationError
from sqlalchemy.orm import Session

from cms.articles import service as articles
from cms.articles.schemas import load_document
from cms.errors import CMSError
from cms.importing import files
from cms.validation import FieldError, field_errors


@dataclass(frozen=True, slots=True)
class FileProblem:
    path: Path
    line: int | None
    pointer: str
    code: str
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.pointer or '(document)'}: {self.message} [{self.code}]"


@dataclass(frozen=True, slots=True)
class SourceDocument:
    path: Path
    document: dict[str, Any]


@dataclass(slots=True)
class Validation:
    documents: list[SourceDocument] = field(default_factory=list)
    problems: list[FileProblem] = field(default_factory=list)


def _problems(path: Path, text: str, errors: Iterable[FieldError]) -> list[FileProblem]:
    return [
        FileProblem(path, files.line_of(path, text, e.pointer), e.pointer, e.code, e.message)
        for e in errors
    ]


def validate_file(path: Path) -> tuple[SourceDocument | None, list[FileProblem]]:
    try:
        text, raw = files.read(path)
    except files.DocumentSyntaxError as exc:
        return None, [FileProblem(path, exc.line, "", "syntax", exc.message)]
    except OSError as exc:
        return None, [FileProblem(path, None, "", "unreadable", exc.strerror or str(exc))]
    try:
        document = load_document(raw)
    except ValidationError as exc:
        return None, _problems(path, text, field_errors(exc.messages))
    return SourceDocument(path, document), []


def validate_paths(
    paths: Sequence[Path], *, progress: Callable[[Path], None] | None = None
) -> Validation:
    """Validate every file under ``paths``; nothing touches the database."""
    result = Validation()
    discovery = files.discover(paths)
    for path in discovery.missing:
        result.problems.append(FileProblem(path, None, "", "not_found", "No such file or folder."))
    if not discovery.files and not discovery.missing:
        for path in paths:
            result.problems.append(
                FileProblem(path, None, "", "no_documents", "No .yaml, .yml or .json files here.")
            )
    for path in discovery.files:
        document, problems = validate_file(path)
        if document is not None:
            result.documents.append(document)
        result.problems.extend(problems)
        if progress is not None:
            progress(path)
    result.problems.extend(_duplicate_keys(result.documents))
    return result


def _duplicate_keys(documents: Iterable[SourceDocument]) -> list[FileProblem]:
    """Two files for the same slug and locale would overwrite each other."""
    first: dict[tuple[str, str], Path] = {}
    problems = []
    for source in documents:
        key = (source.document["slug"], source.document["locale"])
        if key in first:
            problems.append(
                FileProblem(
                    source.path,
                    None,
                    "/slug",
                    "duplicate",
                    f"Slug '{key[0]}' in locale '{key[1]}' is also defined in {first[key]}.",
                )
            )
        else:
            first[key] = source.path
    return problems


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    UNCHANGED = "unchanged"


@dataclass(frozen=True, slots=True)
class ImportedFile:
    path: Path
    slug: str
    locale: str
    outcome: Outcome
    revision: int
    published: bool


def import_documents(
    session: Session,
    documents: Iterable[SourceDocument],
    *,
    publish: bool,
    actor: str,
    now: dt.datetime,
    progress: Callable[[Path], None] | None = None,
) -> list[ImportedFile]:
    """Write validated documents; the caller commits (or rolls back for a dry run)."""
    report = []
    for source in documents:
        try:
            report.append(_import_one(session, source, publish=publish, actor=actor, now=now))
        except CMSError as exc:
            # Name the file; the caller rolls back everything written so far.
            raise type(exc)(f"{source.path}: {exc.detail}", errors=exc.errors) from exc
        if progress is not None:
            progress(source.path)
    return report


def _import_one(
    session: Session, source: SourceDocument, *, publish: bool, actor: str, now: dt.datetime
) -> ImportedFile:
    document = source.document
    article = articles.find_by_slug(session, slug=document["slug"], locale=document["locale"])
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
        articles.publish(session, article=article, now=now)
        published = True
    return ImportedFile(
        source.path,
        document["slug"],
        document["locale"],
        outcome,
        article.current_revision,
        published,
    )
