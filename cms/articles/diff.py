"""What changed between two revisions of an article: fields, sections, references."""

from __future__ import annotations

import difflib
from typing import Any

_LISTS = ("sections", "references")


def _changed_keys(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


def _text_diff(before: str, after: str, label: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"{label} (before)",
            tofile=f"{label} (after)",
        )
    )


def diff_documents(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """A reviewer-oriented summary: which fields, sections and references changed, and how."""
    fields = [
        {"field": key, "before": before.get(key), "after": after.get(key)}
        for key in _changed_keys(before, after)
        if key not in _LISTS
    ]
    old_sections = {s["type"]: s for s in before.get("sections", [])}
    new_sections = {s["type"]: s for s in after.get("sections", [])}
    changed_sections = []
    for section_type in (t for t in new_sections if t in old_sections):
        old, new = old_sections[section_type], new_sections[section_type]
        keys = _changed_keys(old, new)
        if keys:
            entry: dict[str, Any] = {"type": section_type, "fields": keys}
            if "body" in keys:
                entry["body_diff"] = _text_diff(old["body"], new["body"], section_type)
            changed_sections.append(entry)
    common = [t for t in new_sections if t in old_sections]
    old_refs = {r["id"]: r for r in before.get("references", [])}
    new_refs = {r["id"]: r for r in after.get("references", [])}
    return {
        "fields": fields,
        "sections": {
            "added": [t for t in new_sections if t not in old_sections],
            "removed": [t for t in old_sections if t not in new_sections],
            "changed": changed_sections,
            "reordered": common != [t for t in old_sections if t in new_sections],
        },
        "references": {
            "added": [i for i in new_refs if i not in old_refs],
            "removed": [i for i in old_refs if i not in new_refs],
            "changed": [
                {"id": i, "fields": _changed_keys(old_refs[i], new_refs[i])}
                for i in new_refs
                if i in old_refs and old_refs[i] != new_refs[i]
            ],
        },
    }
