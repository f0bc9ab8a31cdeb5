"""The rule catalogue and the engine that runs it.

A rule is a small named function over an ``ArticleText`` that yields findings.
It is registered with the codes it may emit and a one-line description; the
catalogue in docs/checks.md is generated from this registry. Rules are pure:
no database, no Flask, no clock (``today`` comes in with the text).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import ValidationError

from cms.articles.schemas import document_schema
from cms.checks.findings import Finding, Severity, has_errors
from cms.checks.text import ArticleText
from cms.errors import ContentChecksFailed
from cms.observability.metrics import observed_check_run
from cms.validation import field_errors

RuleFunction = Callable[[ArticleText], Iterable[Finding]]


@dataclass(frozen=True)
class Code:
    code: str
    severity: str  # "error", "warning", or a short note when it depends
    summary: str


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    why: str
    codes: tuple[Code, ...]
    check: RuleFunction


RULES: list[Rule] = []


def rule(
    name: str, *, title: str, why: str, codes: Iterable[Code]
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule in the catalogue."""

    def register(check: RuleFunction) -> RuleFunction:
        RULES.append(Rule(name, title, why, tuple(codes), check))
        return check

    return register


def _structure(raw: Any) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The document loaded by the article schema, or the schema's errors as findings."""
    try:
        return document_schema.dump(document_schema.load(raw)), []
    except ValidationError as exc:
        return None, [
            Finding(f"schema.{e.code}", Severity.ERROR, e.pointer, e.message)
            for e in field_errors(exc.messages)
        ]


@observed_check_run
def run_checks(raw: Any, *, today: dt.date, publishing: bool = False) -> list[Finding]:
    """Every finding for a document: schema errors first; content rules once it is well formed.

    ``publishing`` makes a few findings stricter (an overdue review blocks a new publish).
    """
    document, findings = _structure(raw)
    if document is None:
        return findings
    text = ArticleText(document, today=today, publishing=publishing)
    for registered in RULES:
        findings.extend(registered.check(text))
    return findings


def run_for_publish(raw: Any, *, today: dt.date) -> list[Finding]:
    """Findings as publishing sees them; raise ``ContentChecksFailed`` if any is an error."""
    findings = run_checks(raw, today=today, publishing=True)
    if has_errors(findings):
        errors_first = sorted(findings, key=lambda f: f.severity != Severity.ERROR)
        count = sum(f.severity == Severity.ERROR for f in findings)
        raise ContentChecksFailed(
            f"Publishing refused: {count} content check error(s) to fix first.",
            extra={"findings": [f.as_dict() for f in errors_first]},
        )
    return findings


@dataclass(frozen=True)
class Report:
    findings: list[Finding]  # as editors see them on a draft
    publishable: bool  # whether publishing would pass the checks today

    def as_dict(self) -> dict[str, Any]:
        return {
            "publishable": self.publishable,
            "errors": sum(f.severity == Severity.ERROR for f in self.findings),
            "warnings": sum(f.severity == Severity.WARNING for f in self.findings),
            "findings": [f.as_dict() for f in self.findings],
        }


def report(raw: Any, *, today: dt.date) -> Report:
    """Findings for an editor, and whether the document could be published today."""
    findings = run_checks(raw, today=today)
    blocking = run_checks(raw, today=today, publishing=True)
    return Report(findings, not has_errors(blocking))


def catalogue() -> Iterator[tuple[Rule, Code]]:
    for registered in RULES:
        for code in registered.codes:
            yield registered, code
