"""The rule catalogue and the engine that runs it.

A rule is a small named function over an ``ArticleText`` that yields findings.
It is registered with the codes it may emit and a one-line description; the
catalogue in docs/checks.md is generated from this registry. Rules are pure:
no database, no Flask, no clock (``today`` comes in with the text).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

import orjson
from marshmallow import ValidationError

from cms.articles.schemas import document_schema
from cms.checks import identifiers
from cms.checks.findings import Finding, Severity, same_text
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
    # Whether a reviewer may waive an error of this code (see cms/checks/waivers.py).
    # Facts and safety floors are not waivable: schema errors, the risks section, unsafe
    # markup and links, unsafe advice, unresolved citations, review dates, a missing reviewer.
    waivable: bool = True


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    why: str
    codes: tuple[Code, ...]
    check: RuleFunction
    flags: tuple[str, ...] = ()  # examples of text the rule reports (docs/checks.md)
    passes: tuple[str, ...] = ()  # near misses it leaves alone


RULES: list[Rule] = []


def rule(
    name: str,
    *,
    title: str,
    why: str,
    codes: Iterable[Code],
    flags: Iterable[str] = (),
    passes: Iterable[str] = (),
) -> Callable[[RuleFunction], RuleFunction]:
    """Register a rule in the catalogue, with examples of what it flags and what it passes."""

    def register(check: RuleFunction) -> RuleFunction:
        RULES.append(Rule(name, title, why, tuple(codes), check, tuple(flags), tuple(passes)))
        return check

    return register


def code_info(code: str) -> Code | None:
    """The catalogue entry of a finding's code (``schema.*`` codes have none)."""
    return next((c for registered in RULES for c in registered.codes if c.code == code), None)


def waivable(code: str) -> bool:
    info = code_info(code)
    return info is not None and info.waivable


def _structure(raw: Any) -> tuple[dict[str, Any] | None, list[Finding]]:
    """The document loaded by the article schema, or the schema's errors as findings."""
    try:
        return document_schema.dump(document_schema.load(raw)), []
    except ValidationError as exc:
        return None, [
            Finding(
                f"schema.{e.code}",
                Severity.ERROR,
                e.pointer,
                identifiers.with_hint(e.message, e.pointer, raw),
            )
            for e in field_errors(exc.messages)
        ]


# Rules are pure functions of (document, today, publishing): their findings for the same
# input are the same, so a document checked once (say, while an import validates it, in a
# worker process) is not checked again when it is published a moment later.
_MEMO: OrderedDict[tuple[str, dt.date, bool], tuple[Finding, ...]] = OrderedDict()
_MEMO_SIZE = 50_000  # findings only (no documents): a large import fits
_MEMO_LOCK = threading.Lock()


def _key(raw: Any, today: dt.date, publishing: bool) -> tuple[str, dt.date, bool] | None:
    try:
        encoded = orjson.dumps(raw, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        return None
    return hashlib.sha256(encoded).hexdigest(), today, publishing


def remember(raw: Any, *, today: dt.date, publishing: bool, findings: Iterable[Finding]) -> None:
    """Record findings computed elsewhere (another process) for this exact document."""
    key = _key(raw, today, publishing)
    if key is not None:
        with _MEMO_LOCK:
            _MEMO[key] = tuple(findings)
            while len(_MEMO) > _MEMO_SIZE:
                _MEMO.popitem(last=False)


@observed_check_run
def run_checks(
    raw: Any, *, today: dt.date, publishing: bool = False, validated: bool = False
) -> list[Finding]:
    """Every finding for a document: schema errors first; content rules once it is well formed.

    ``publishing`` makes a few findings stricter (an overdue review blocks a new publish).
    ``validated``: ``raw`` is what ``load_document`` returned a moment ago (an import
    validates each file once), so the schema is not run on it again.
    """
    key = _key(raw, today, publishing)
    if key is not None:
        with _MEMO_LOCK:
            known = _MEMO.get(key)
        if known is not None:
            return list(known)
    findings = _run(raw, today=today, publishing=publishing, validated=validated)
    if key is not None:
        remember(raw, today=today, publishing=publishing, findings=findings)
    return findings


def _run(raw: Any, *, today: dt.date, publishing: bool, validated: bool = False) -> list[Finding]:
    document, findings = (raw, []) if validated else _structure(raw)
    if document is None:
        return findings
    text = ArticleText(document, today=today, publishing=publishing)
    for registered in RULES:
        findings.extend(registered.check(text))
    return findings


class WaiverLike(Protocol):
    """What the engine needs of a reviewer's waiver (cms.checks.waivers.Waiver)."""

    code: str
    pointer: str
    quote: str


def waiver_for(finding: Finding, waivers: Iterable[WaiverLike]) -> WaiverLike | None:
    """The waiver that covers an error finding: same code, pointer and quoted text."""
    if finding.severity != Severity.ERROR or not waivable(finding.code):
        return None
    return next(
        (
            w
            for w in waivers
            if w.code == finding.code
            and w.pointer == finding.pointer
            and same_text(w.quote, finding.quote)
        ),
        None,
    )


OVERDUE_REVIEW = "review.overdue"


def blocking(
    findings: Iterable[Finding],
    waivers: Iterable[WaiverLike] = (),
    *,
    tolerated: Collection[str] = (),
) -> list[Finding]:
    """The errors no waiver covers: what stops a publish.

    ``tolerated`` codes do not block: only the operator's import passes one
    (``OVERDUE_REVIEW``, with ``cms import --allow-overdue-review``).
    """
    waivers = list(waivers)
    return [
        f
        for f in findings
        if f.severity == Severity.ERROR
        and f.code not in tolerated
        and waiver_for(f, waivers) is None
    ]


def run_for_publish(
    raw: Any,
    *,
    today: dt.date,
    waivers: Iterable[WaiverLike] = (),
    tolerated: Collection[str] = (),
    also: Iterable[Finding] = (),
) -> list[Finding]:
    """Findings as publishing sees them; raise ``ContentChecksFailed`` if an error is left
    that no reviewer's waiver covers (and that is not of a ``tolerated`` code).

    ``also``: findings decided outside the text (a translation against its original)."""
    findings = run_checks(raw, today=today, publishing=True) + list(also)
    waivers = list(waivers)
    refused = blocking(findings, waivers, tolerated=tolerated)
    if refused:
        raise ContentChecksFailed(
            f"Publishing refused: {len(refused)} content check error(s) to fix first.",
            extra={"findings": [f.as_dict() for f in refused]},
        )
    return findings


@dataclass(frozen=True)
class Report:
    findings: list[Finding]  # as editors see them on a draft
    publishable: bool  # whether publishing would pass the checks today
    waivers: list[Any] = field(default_factory=list)  # active waivers of the article

    def as_dict(self) -> dict[str, Any]:
        entries = []
        for finding in self.findings:
            waiver = waiver_for(finding, self.waivers)
            entries.append(finding.as_dict() | {"waiver": _waiver_view(waiver)})
        waived = sum(entry["waiver"] is not None for entry in entries)
        return {
            "publishable": self.publishable,
            "errors": sum(f.severity == Severity.ERROR for f in self.findings) - waived,
            "warnings": sum(f.severity == Severity.WARNING for f in self.findings),
            "waived": waived,
            "findings": entries,
        }


def _waiver_view(waiver: Any) -> dict[str, Any] | None:
    if waiver is None:
        return None
    return {
        "id": waiver.id,
        "reason": waiver.reason,
        "waived_by": waiver.created_by,
        "waived_at": waiver.created_at,
        "revision": waiver.revision,
    }


def report(
    raw: Any, *, today: dt.date, waivers: Iterable[Any] = (), also: Iterable[Finding] = ()
) -> Report:
    """Findings for an editor, and whether the document could be published today."""
    waivers, also = list(waivers), list(also)
    findings = run_checks(raw, today=today) + also
    refused = blocking(run_checks(raw, today=today, publishing=True) + also, waivers)
    return Report(findings, not refused, waivers)


def catalogue() -> Iterator[tuple[Rule, Code]]:
    for registered in RULES:
        for code in registered.codes:
            yield registered, code
