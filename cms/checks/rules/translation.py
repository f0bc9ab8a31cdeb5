"""Rule 15: a translation must follow its original's current risks, evidence and benefits.

Unlike the other rules this one needs the original as the public API serves it, so
it does not read the article text: ``translation_outdated`` is the pure decision,
given what ``cms.articles.translations`` found in the database, and publishing
(and the check report) add its finding to the others.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from cms.checks.engine import Code, rule
from cms.checks.findings import Finding, Severity
from cms.checks.text import ArticleText

OUTDATED = "translation.outdated"


@rule(
    "translation",
    title="Translations follow their original's safety content",
    why="NHS standard: translated health information must stay clinically equivalent to the "
    "original; a translation made before the original's risks changed misinforms.",
    codes=[
        Code(
            OUTDATED,
            "error",
            "The original's live risks, evidence or benefits changed after the revision this "
            "translation follows (re-translate, or a reviewer confirms it).",
            waivable=False,
        )
    ],
    flags=["a German translation of revision 1 after the English risks changed in revision 2"],
    passes=["the original changed only its overview or outlook"],
)
def translation(_text: ArticleText) -> Iterator[Finding]:
    return iter(())  # decided against the original: see translation_outdated


def translation_outdated(
    *,
    original: str,
    followed_revision: int,
    live_revision: int,
    follows_live: bool,
    changed_at: dt.datetime | None,
) -> list[Finding]:
    """The finding for a translation whose original's safety sections moved on.

    ``follows_live``: the revision it follows has the same risks, evidence and benefits
    as the original's live revision.
    """
    if follows_live:
        return []
    since = f" on {changed_at.date().isoformat()}" if changed_at is not None else ""
    return [
        Finding(
            OUTDATED,
            Severity.ERROR,
            "/translation_of/revision",
            f"The original {original} changed its risks, evidence or benefits{since} "
            f"(live revision {live_revision}) after revision {followed_revision}, which this "
            f"translation follows. Update the translation and set translation_of.revision to "
            f"{live_revision}, or have a reviewer confirm it still says the same.",
            quote=f"revision {followed_revision}",
        )
    ]
