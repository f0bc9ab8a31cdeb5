"""Health-content checks: a catalogue of small, pure rules over an article document.

``run_checks(document, today=...)`` returns findings ``{code, severity, pointer,
message}``; errors block publishing, warnings inform editors and reviewers.
"""

from cms.checks import (
    language_id,
    nlp,
    rules,  # noqa: F401 - registers every rule in the catalogue
)
from cms.checks.engine import (
    OVERDUE_REVIEW,
    RULES,
    Report,
    blocking,
    catalogue,
    remember,
    report,
    run_checks,
    run_for_publish,
)
from cms.checks.findings import Finding, Severity, has_errors
from cms.checks.rules.translation import translation_outdated

__all__ = [
    "OVERDUE_REVIEW",
    "RULES",
    "Finding",
    "Report",
    "Severity",
    "blocking",
    "catalogue",
    "has_errors",
    "remember",
    "report",
    "run_checks",
    "run_for_publish",
    "translation_outdated",
    "warm_up",
]


def warm_up(language: str = "en") -> None:
    """Load the language pipeline and the language models now: before worker processes
    are forked (they then share them) or a benchmark starts its clock."""
    nlp.analyse(["Warm up."], language)
    language_id.warm_up()
