"""The checks gate publishing everywhere, and editors can run them at any time."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from cms.audit.models import AuditEvent
from cms.checks.catalogue import CATALOGUE_PATH, render
from cms.cli import main
from cms.config import PROJECT_ROOT
from cms.delivery.models import PublishedArticle
from tests.editors import MANAGE, Editors
from tests.factories import article_document

SUPERLATIVE = "Stem cells: the best breakthrough for scleroderma"

# The commands and the API read the clock; the documents' review dates are fixed
# (tests.factories), so the clock is set to the day they were written for.
pytestmark = pytest.mark.usefixtures("clock")


def test_post_checks_reports_schema_and_content_problems_and_saves_nothing(
    editors: Editors, client: FlaskClient, session: Session
):
    broken = client.post(
        "/api/v1/manage/checks", json={"title": "x"}, headers=editors.headers("editor")
    )
    report = broken.get_json()
    assert (report["publishable"], report["errors"]) == (False, 5)
    assert {f["code"] for f in report["findings"]} == {"schema.required"}
    superlative = client.post(
        "/api/v1/manage/checks",
        json=article_document(title=SUPERLATIVE),
        headers=editors.headers("editor"),
    ).get_json()
    assert [(f["code"], f["pointer"]) for f in superlative["findings"]] == [
        ("claims.absolute", "/title")
    ]
    assert session.scalar(sa.select(sa.func.count()).select_from(PublishedArticle)) == 0


def test_checks_of_the_latest_revision(editors: Editors, client: FlaskClient):
    article_id = editors.create(title=SUPERLATIVE).get_json()["id"]
    report = client.get(f"{MANAGE}/{article_id}/checks", headers=editors.headers("editor"))
    assert report.get_json()["publishable"] is False
    assert report.get_json()["findings"][0]["code"] == "claims.absolute"
    clean_id = editors.create(slug="clean").get_json()["id"]
    clean = client.get(f"{MANAGE}/{clean_id}/checks", headers=editors.headers("editor"))
    assert clean.get_json() == {
        "publishable": True, "errors": 0, "warnings": 0, "waived": 0, "findings": []
    }  # fmt: skip


def test_submit_and_approve_show_the_findings_to_the_reviewer(editors: Editors):
    created = editors.create(title=SUPERLATIVE)
    article_id = created.get_json()["id"]
    submitted = editors.act("editor", article_id, created.headers["ETag"], "submit")
    assert [f["code"] for f in submitted.get_json()["findings"]] == ["claims.absolute"]
    approved = editors.act("reviewer", article_id, submitted.headers["ETag"], "approve")
    assert [f["code"] for f in approved.get_json()["findings"]] == ["claims.absolute"]


def test_publishing_an_article_with_errors_is_refused_with_the_findings(
    editors: Editors, client: FlaskClient, session: Session
):
    created = editors.create("editor", title=SUPERLATIVE)
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve"):
        etag = editors.act("admin", article_id, etag, action).headers["ETag"]
    refused = editors.act("publisher", article_id, etag, "publish")
    assert refused.status_code == 422
    problem = refused.get_json()
    assert problem["type"] == "/problems/content-checks-failed"
    assert problem["findings"][0]["code"] == "claims.absolute"
    assert problem["findings"][0]["pointer"] == "/title"
    state = client.get(f"{MANAGE}/{article_id}", headers=editors.headers("editor")).get_json()
    assert (state["status"], state["live_revision"]) == ("approved", None)
    assert client.get("/api/v1/articles").get_json()["total"] == 0
    publishes = session.scalar(
        sa.select(sa.func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "article.publish")
    )
    assert publishes == 0


def test_the_editors_api_refuses_to_publish_once_the_review_has_lapsed(
    editors: Editors, client: FlaskClient, clock
):
    # Approved on NOW (2026-11-01): next_review 2027-11-01. Published a day after that.
    created = editors.create("editor")
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve"):
        etag = editors.act("admin", article_id, etag, action).headers["ETag"]
    clock.move_to(dt.datetime(2027, 11, 2, 9, 0, tzinfo=dt.UTC))
    refused = editors.act("publisher", article_id, etag, "publish")
    assert refused.status_code == 422
    assert [(f["code"], f["pointer"]) for f in refused.get_json()["findings"]] == [
        ("review.overdue", "/next_review")
    ]
    assert client.get("/api/v1/articles").get_json()["total"] == 0
    # Nothing in the API lets an overdue review through: a new sign-off is the way.
    assert editors.act("admin", article_id, etag, "publish").status_code == 422


def test_import_publish_refuses_errors_naming_file_line_and_code(
    cli: FlaskCliRunner, session: Session, tmp_path: Path
):
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(article_document(slug="good")))
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(article_document(title=SUPERLATIVE), sort_keys=False))
    result = cli.invoke(main, ["import", "--publish", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{bad}:3: /title: Absolute claim “best” in the title" in result.stderr
    assert "[claims.absolute]" in result.stderr
    assert session.scalar(sa.select(sa.func.count()).select_from(PublishedArticle)) == 0
    # Without --publish the same files are drafts to work on.
    assert cli.invoke(main, ["import", str(tmp_path)]).exit_code == 0


def test_cms_check_prints_findings_with_lines_and_fails_on_errors(
    cli: FlaskCliRunner, tmp_path: Path
):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(article_document(title=SUPERLATIVE), sort_keys=False))
    result = cli.invoke(main, ["check", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: error: /title: Absolute claim" in result.output
    assert result.output.rstrip().endswith("1 file(s): 1 error(s), 0 warning(s).")
    as_json = json.loads(cli.invoke(main, ["check", "--format", "json", str(bad)]).output)
    assert as_json[0]["findings"][0] | {"message": ""} == {
        "code": "claims.absolute", "severity": "error", "pointer": "/title", "message": "",
        "line": 3, "quote": SUPERLATIVE,
    }  # fmt: skip


def test_cms_check_overdue_review_is_an_error_only_when_publishing(
    cli: FlaskCliRunner, tmp_path: Path
):
    path = tmp_path / "old.yaml"
    path.write_text(
        yaml.safe_dump(article_document(last_reviewed="2023-01-01", next_review="2024-01-01"))
    )
    assert cli.invoke(main, ["check", str(path)]).exit_code == 1
    assert cli.invoke(main, ["check", "--draft", str(path)]).exit_code == 0


def test_the_shipped_fixtures_pass_every_check(cli: FlaskCliRunner):
    result = cli.invoke(main, ["check", str(PROJECT_ROOT / "fixtures" / "articles")])
    assert result.exit_code == 0, result.output
    assert "5 file(s): 0 error(s), 0 warning(s)." in result.output


def test_the_catalogue_in_docs_is_current():
    committed = (PROJECT_ROOT / CATALOGUE_PATH).read_text("utf-8")
    assert committed == render(), "docs/checks.md is stale: run `cms catalogue`"
