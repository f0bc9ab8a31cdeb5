"""Rule 5: review dates present, in order, at most 36 months apart, not overdue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText

MAX_MONTHS = 36


def _months_between(start: dt.date, end: dt.date) -> float:
    return (end.year - start.year) * 12 + (end.month - start.month) + (end.day - start.day) / 31


@rule(
    "review-dates",
    title="Review dates present and current",
    why="NHS standard and PIF TICK: show when content was last checked and will be next; "
    "review at least every three years.",
    codes=[
        Code(
            "review.dates_missing", "error", "last_reviewed or next_review missing.", waivable=False
        ),
        Code("review.order", "error", "next_review not after last_reviewed.", waivable=False),
        Code(
            "review.interval",
            "error",
            f"More than {MAX_MONTHS} months between reviews.",
            waivable=False,
        ),
        Code("review.last_reviewed_future", "error", "last_reviewed after today.", waivable=False),
        Code(
            "review.overdue",
            "warning on drafts, error to publish",
            "next_review has passed.",
            waivable=False,
        ),
    ],
    flags=["next_review 40 months after last_reviewed"],
    passes=["next_review exactly 36 months after last_reviewed"],
)
def review_dates(text: ArticleText) -> Iterator[Finding]:
    raw_last, raw_next = text.document.get("last_reviewed"), text.document.get("next_review")
    for field, value in (("last_reviewed", raw_last), ("next_review", raw_next)):
        if value is None:
            yield Finding(
                "review.dates_missing",
                Severity.ERROR,
                f"/{field}",
                f"{field} is required to publish.",
            )
    last = dt.date.fromisoformat(raw_last) if raw_last else None
    upcoming = dt.date.fromisoformat(raw_next) if raw_next else None
    if last and last > text.today:
        yield Finding(
            "review.last_reviewed_future",
            Severity.ERROR,
            "/last_reviewed",
            f"last_reviewed ({last}) is after today.",
        )
    if last and upcoming:
        if upcoming <= last:
            yield Finding(
                "review.order",
                Severity.ERROR,
                "/next_review",
                f"next_review ({upcoming}) must be after last_reviewed ({last}).",
            )
        elif _months_between(last, upcoming) > MAX_MONTHS:
            yield Finding(
                "review.interval",
                Severity.ERROR,
                "/next_review",
                f"next_review ({upcoming}) is more than {MAX_MONTHS} months after "
                f"last_reviewed ({last}).",
            )
    if upcoming and upcoming < text.today:
        yield Finding(
            "review.overdue",
            Severity.ERROR if text.publishing else Severity.WARNING,
            "/next_review",
            f"The review was due on {upcoming}: have it re-reviewed"
            + (" before publishing." if text.publishing else "."),
        )
