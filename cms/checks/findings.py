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
    # The exact text the finding is about (a sentence, a line, a value), when there is one:
    # a reviewer's waiver names it, and lasts while that text is unchanged.
    quote: str | None = None

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


def same_text(left: str | None, right: str | None) -> bool:
    """Equal but for spacing: how a waiver recognises the text it was granted for."""
    return " ".join((left or "").split()) == " ".join((right or "").split())
