"""What a check reports: a finding with a stable code, a severity and a JSON pointer."""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass
from typing import Any


class Severity(enum.StrEnum):
    ERROR = "error"  # blocks publishing
    WARNING = "warning"  # shown to editors and reviewers


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    pointer: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {"severity": self.severity.value}

    def __str__(self) -> str:
        return f"{self.severity}: {self.pointer or '(document)'}: {self.message} [{self.code}]"


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == Severity.ERROR for f in findings)


def quote(text: str, limit: int = 120) -> str:
    """The offending text, shortened, in quotes, for a message."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1] + '…'}”"
