"""Request examples for the OpenAPI document: what a client sends to the main write routes.

The article is ``examples/article.json``, the same file the README's curl examples
send, so the documented example is one that is known to be accepted (and
publishable: it passes the content checks).
"""

from __future__ import annotations

from typing import Any

import orjson

from cms.config import PROJECT_ROOT

ARTICLE: dict[str, Any] = orjson.loads((PROJECT_ROOT / "examples" / "article.json").read_bytes())

ARTICLE_REPLACED: dict[str, Any] = {
    **ARTICLE,
    "summary": ARTICLE["summary"] + " The trial's authors call its results preliminary.",
    "change_note": "Say in the summary that the results are preliminary",
}

PATCH: dict[str, Any] = {
    "title": "Stem cell transplantation (HSCT) for relapsing multiple sclerosis",
}


def _example(summary: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"summary": summary, "value": value}


TRANSITIONS: dict[str, dict[str, Any]] = {
    "submit": _example("An editor sends the draft to medical review", {"action": "submit"}),
    "approve": _example(
        "A reviewer signs the revision off",
        # next_review defaults to 12 months ahead: a fixed date here would expire.
        {"action": "approve", "comment": "Checked the figures against the trial report."},
    ),
    "request_changes": _example(
        "A reviewer sends it back",
        {"action": "request_changes", "comment": "Give the number of people in each group."},
    ),
    "publish": _example("A publisher puts the approved revision live", {"action": "publish"}),
    "unpublish": _example("A publisher takes it offline", {"action": "unpublish"}),
    # Fixed dates must lie in the future whenever the examples are tried out.
    "schedule": _example(
        "A publisher schedules the approved revision, and when it expires",
        {
            "action": "schedule",
            "publish_at": "2099-03-02T09:00:00+01:00",
            "unpublish_at": "2099-09-02T09:00:00+02:00",
        },
    ),
    "expire": _example(
        "A publisher schedules a live article to go offline",
        {"action": "schedule", "unpublish_at": "2099-06-30T23:59:00Z"},
    ),
    "cancel_schedule": _example("A publisher cancels the schedule", {"action": "cancel_schedule"}),
}

WITHDRAWAL: dict[str, Any] = {
    "reason": "The dosing table gives the adult dose for children: withdrawn until corrected.",
}

TRANSLATION_CONFIRMATION: dict[str, Any] = {
    "reason": "The original's risks section was reworded; the German text already names every "
    "harm it lists.",
}

TOKEN: dict[str, Any] = {
    "name": "dr.jones",
    "role": "reviewer",
    "display_name": "Dr A. Jones",
    "credentials": "MD, neurology",
}

IMPORT_BATCH: list[dict[str, Any]] = [ARTICLE]
