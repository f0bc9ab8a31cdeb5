"""docs/checks.md: the rule catalogue as a table, generated from the registry."""

from __future__ import annotations

from cms.checks.engine import catalogue
from cms.ingest.service import NOTES

CATALOGUE_PATH = "docs/checks.md"

HEADER = """\
# Health-content checks

Generated from `cms/checks/rules/` by `cms catalogue` (a test fails when this file is
stale). Each finding has a stable `code`, a `severity` (errors block publishing,
warnings are shown to editors and reviewers), a JSON `pointer` and a message that
quotes the offending text. Documents that do not match the article schema get
`schema.<code>` findings (for example `schema.risks_required` at `/sections`) and no
content findings until they do.

Run them with `cms check PATH…`, `GET /api/v1/manage/articles/{id}/checks` or
`POST /api/v1/manage/checks`; `publish` and `cms import --publish` refuse errors.
"""


def render() -> str:
    parts = [HEADER]
    current = None
    number = 0
    for rule, code in catalogue():
        if rule is not current:
            current, number = rule, number + 1
            parts.append(
                f"\n## {number}. {rule.title}\n\n{rule.why}\n\n"
                "| code | severity | flags |\n|---|---|---|\n"
            )
        parts.append(f"| `{code.code}` | {code.severity} | {code.summary} |\n")
    parts.append(
        "\n## Ingestion notes\n\n`cms ingest` and `POST /api/v1/manage/ingest` add these to "
        "the findings about an imported legacy article.\n\n"
        "| code | severity | flags |\n|---|---|---|\n"
    )
    parts += [f"| `{code}` | {severity} | {summary} |\n" for code, severity, summary in NOTES]
    return "".join(parts)
