"""`cms ingest` and POST /api/v1/manage/ingest: drafts and reports, nothing saved."""

from __future__ import annotations

import json
from pathlib import Path

import sqlalchemy as sa
import yaml
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from cms.articles.models import Article
from cms.cli import main
from tests.editors import Editors

SAMPLES = Path(__file__).parent / "samples"


def test_cli_writes_a_draft_file_and_reports_mapping_and_findings(
    cli: FlaskCliRunner, tmp_path: Path, session: Session
):
    sample = SAMPLES / "plain_lines.txt"
    result = cli.invoke(main, ["ingest", "--out", str(tmp_path), str(sample)])
    assert result.exit_code == 0, result.output
    drafts = list(tmp_path.glob("*.yaml"))
    assert len(drafts) == 1
    assert drafts[0].read_text("utf-8").startswith("# yaml-language-server: $schema=")
    document = yaml.safe_load(drafts[0].read_text("utf-8"))
    assert document["references"] == []
    assert f"{sample} → {drafts[0]}" in result.stderr
    assert "→ risks (heading)" in result.stderr
    assert "[schema.references_required]" in result.stderr
    # The draft is a starting point: checking it lists what to fix, importing refuses it.
    check = cli.invoke(main, ["check", str(drafts[0])])
    assert check.exit_code == 1
    assert cli.invoke(main, ["import", str(drafts[0])]).exit_code == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == 0


def test_cli_json_report(cli: FlaskCliRunner):
    result = cli.invoke(main, ["ingest", "--format", "json", str(SAMPLES / "no_risks.txt")])
    report = json.loads(result.output)[0]
    assert {"source", "document", "findings", "mapping"} <= set(report)
    assert "ingest.risks_missing" in {f["code"] for f in report["findings"]}


def test_api_returns_the_draft_and_report_and_saves_nothing(
    editors: Editors, client: FlaskClient, session: Session
):
    text = (SAMPLES / "plain_lines.txt").read_text("utf-8")
    response = client.post(
        "/api/v1/manage/ingest?locale=en",
        data=text.encode(),
        headers=editors.headers("editor", **{"Content-Type": "text/plain; charset=utf-8"}),
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert [s["type"] for s in body["document"]["sections"]][-1] in ("risks", "outlook")
    assert any(f["code"] == "schema.references_required" for f in body["findings"])
    assert body["mapping"]
    assert session.scalar(sa.select(sa.func.count()).select_from(Article)) == 0


def test_api_wants_text(editors: Editors, client: FlaskClient):
    response = client.post(
        "/api/v1/manage/ingest", json={"text": "x"}, headers=editors.headers("editor")
    )
    assert response.status_code == 415


def _one_paragraph(size: int) -> bytes:
    sentence = "Some people had fewer relapses after the transplant, others had infections. "
    return ("Stem cells for MS\n\n" + sentence * (size // len(sentence) + 1)).encode()[:size]


def test_api_ingests_one_400_kb_paragraph_and_says_it_is_too_long_for_a_section(
    editors: Editors, client: FlaskClient
):
    # Linear in the text's size: benchmarks/ingest_linearity.py prints the times.
    response = client.post(
        "/api/v1/manage/ingest",
        data=_one_paragraph(400_000),
        headers=editors.headers("editor", **{"Content-Type": "text/plain"}),
    )
    assert response.status_code == 200
    findings = response.get_json()["findings"]
    too_long = [f for f in findings if f["code"] == "schema.length"]
    assert [f["message"] for f in too_long] == ["Longer than 20000 characters."]
    assert too_long[0]["pointer"].startswith("/sections/")


def test_api_refuses_a_body_above_one_mib_with_413(editors: Editors, client: FlaskClient):
    response = client.post(
        "/api/v1/manage/ingest",
        data=_one_paragraph(1024 * 1024 + 1),
        headers=editors.headers("editor", **{"Content-Type": "text/plain"}),
    )
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
    exactly = client.post(
        "/api/v1/manage/ingest",
        data=_one_paragraph(1024 * 1024),
        headers=editors.headers("editor", **{"Content-Type": "text/plain"}),
    )
    assert exactly.status_code == 200


def test_an_ingested_translation_carries_its_original(cli: FlaskCliRunner, tmp_path: Path):
    result = cli.invoke(
        main,
        [
            "ingest", "--locale", "de-de", "--translation-of", "en/stem-cells-scleroderma",
            "--out", str(tmp_path), str(SAMPLES / "plain_lines.txt"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [draft] = tmp_path.glob("*.yaml")
    document = yaml.safe_load(draft.read_text("utf-8"))
    assert document["locale"] == "de-DE"
    assert document["translation_of"] == {"slug": "stem-cells-scleroderma", "locale": "en"}
    refused = cli.invoke(main, ["ingest", "--translation-of", "stem-cells-scleroderma", str(draft)])
    assert refused.exit_code == 2
    assert "<locale>/<slug>" in refused.output


def test_the_api_ingests_a_translation_and_refuses_a_malformed_original(
    editors: Editors, client: FlaskClient
):
    text = (SAMPLES / "plain_lines.txt").read_bytes()
    headers = editors.headers("editor", **{"Content-Type": "text/plain"})
    url = "/api/v1/manage/ingest?locale=de&translation_of="
    response = client.post(url + "en/stem-cells-scleroderma", data=text, headers=headers)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["document"]["translation_of"] == {
        "slug": "stem-cells-scleroderma",
        "locale": "en",
    }
    bad = client.post(url + "en/Not A Slug", data=text, headers=headers)
    assert bad.status_code == 400
    assert bad.get_json()["errors"][0]["pointer"] == "/query/translation_of"
