"""The README's configuration table names every setting the product reads, and no other."""

from __future__ import annotations

import re

from cms.config import PROJECT_ROOT

# Settings read outside the product's code (gunicorn's config file, the test suite).
READ_ELSEWHERE = {"CMS_ACCESS_LOG", "CMS_TEST_DATABASE_URL", "CMS_SEEDS_DIR"}


def _read_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in (PROJECT_ROOT / "cms").rglob("*.py"):
        names |= set(re.findall(r"[\"'](CMS_[A-Z0-9_]+)[\"']", path.read_text()))
    return names


def _documented() -> set[str]:
    readme = (PROJECT_ROOT / "README.md").read_text()
    table = readme.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(CMS_[A-Z0-9_]+)` \|", table, flags=re.MULTILINE))


def test_every_setting_the_code_reads_is_documented():
    assert _read_by_the_code() - _documented() == set()


def test_the_table_documents_no_setting_that_does_not_exist():
    assert _documented() - _read_by_the_code() - READ_ELSEWHERE == set()
