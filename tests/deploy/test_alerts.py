"""The example alert rules are a valid Prometheus rules file over metrics the app exports."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from flask import Flask

from cms import migrate
from cms.app import create_app
from cms.db import Database
from tests.conftest import empty_engine
from tests.observability.outbox_table import create_outbox

ROOT = Path(__file__).resolve().parents[2]
RULES = ROOT / "deploy" / "prometheus" / "alerts.yml"
TOKEN = "alerts-test-token"

PROMQL_WORDS = frozenset(
    {"and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
     "bool", "offset", "inf", "nan"}
)  # fmt: skip
# Series Prometheus makes itself, not the app.
PROMETHEUS_SERIES = frozenset({"up", "scrape_duration_seconds", "scrape_samples_scraped"})


def rules() -> list[dict[str, Any]]:
    document = yaml.safe_load(RULES.read_text())
    assert set(document) == {"groups"}
    found = []
    for group in document["groups"]:
        assert set(group) == {"name", "rules"}, group.get("name")
        assert group["rules"], group["name"]
        found.extend(group["rules"])
    return found


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (not functions, labels or keywords)."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'', "", expr)  # strings
    text = re.sub(r"\{[^}]*\}", "", text)  # label matchers
    text = re.sub(r"\[[^\]]*\]", "", text)  # ranges and subqueries
    text = re.sub(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    names = set()
    for match in re.finditer(r"[A-Za-z_:][A-Za-z0-9_:]*", text):
        following = text[match.end() :].lstrip()
        if following.startswith("(") or match.group().lower() in PROMQL_WORDS:
            continue  # a function or an aggregation
        names.add(match.group())
    return names


def exported_names(text: str) -> set[str]:
    """Every series name an exposition can carry, from its TYPE lines."""
    names = set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            _, _, name, kind = line.split()
            names.add(name)
            if kind == "histogram":
                names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
    return names


@pytest.fixture
def exposition(backend: str, tmp_path: Path) -> str:
    engine = empty_engine(backend, tmp_path, "cms_alerts_test")
    migrate.upgrade(engine)
    create_outbox(engine)  # so that the outbox gauges are exported too
    app: Flask = create_app({"DATABASE": Database(engine), "METRICS_TOKEN": TOKEN})
    response = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    engine.dispose()
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_rule_is_a_complete_alert():
    found = rules()
    assert len(found) >= 8
    names = [rule["alert"] for rule in found]
    assert len(set(names)) == len(names)
    for rule in found:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        assert {"summary", "description"} <= set(rule["annotations"]), rule["alert"]
        assert re.fullmatch(r"\d+[smh]", rule.get("for", "0m")), rule["alert"]


def test_rules_select_only_metrics_the_app_exports(exposition: str):
    exported = exported_names(exposition)
    assert "cms_outbox_oldest_age_seconds" in exported
    for rule in rules():
        selected = metric_names(rule["expr"])
        assert selected, rule["alert"]
        unknown = selected - exported - PROMETHEUS_SERIES
        assert not unknown, f"{rule['alert']} selects {sorted(unknown)}, not exported"


def test_the_name_check_finds_a_misspelled_metric():
    assert metric_names(
        'sum by (le) (rate(cms_http_request_duration_secs_bucket{route=~"/x.*"}[5m])) > 0.1'
    ) == {"cms_http_request_duration_secs_bucket"}
    assert metric_names("absent(up{job='cms'}) or max(cms_outbox_depth) > bool 3") == {
        "up",
        "cms_outbox_depth",
    }
