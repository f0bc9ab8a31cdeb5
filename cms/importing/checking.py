"""Checking article files offline (``cms check``): parse, run the checks, locate the lines."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cms import checks
from cms.checks import Finding, Severity
from cms.importing import files, parallel


@dataclass(frozen=True)
class FileReport:
    path: Path
    findings: list[tuple[Finding, int | None]]  # each with its line in the file, if known

    @property
    def errors(self) -> int:
        return sum(f.severity == Severity.ERROR for f, _ in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == Severity.WARNING for f, _ in self.findings)

    def lines(self) -> Iterable[str]:
        for finding, line in self.findings:
            where = f"{self.path}:{line}" if line else str(self.path)
            yield (
                f"{where}: {finding.severity}: {finding.pointer or '(document)'}: "
                f"{finding.message} [{finding.code}]"
            )

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_dict() | {"line": line} for f, line in self.findings],
        }


def check_file(path: Path, *, today: dt.date, publishing: bool) -> FileReport:
    try:
        text, raw = files.read(path)
    except files.DocumentSyntaxError as exc:
        finding = Finding("syntax", Severity.ERROR, "", exc.message)
        return FileReport(path, [(finding, exc.line)])
    except OSError as exc:
        finding = Finding("unreadable", Severity.ERROR, "", exc.strerror or str(exc))
        return FileReport(path, [(finding, None)])
    findings = checks.run_checks(raw, today=today, publishing=publishing)
    located = [(f, files.line_of(path, text, f.pointer)) for f in findings]
    # In file order, as an editor reads it (a stable sort keeps rule order within a line).
    return FileReport(path, sorted(located, key=lambda item: item[1] or 0))


def check_paths(paths: Iterable[Path], *, today: dt.date, publishing: bool) -> list[FileReport]:
    """Every file checked (on every core for many files), reported in file order."""
    discovery = files.discover(paths)
    reports = [
        FileReport(
            path, [(Finding("not_found", Severity.ERROR, "", "No such file or folder."), None)]
        )
        for path in discovery.missing
    ]
    work = functools.partial(check_file, today=today, publishing=publishing)
    reports += parallel.run(work, discovery.files, warm_up=checks.warm_up)
    return reports
