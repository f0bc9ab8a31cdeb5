"""The shipped fixtures: valid, sourced, with substantive risks, and served by `make run`."""

from __future__ import annotations

import jsonschema
import pytest
from flask.testing import FlaskClient, FlaskCliRunner

from cms.articles.citations import cited_ids
from cms.cli import main
from cms.config import PROJECT_ROOT
from cms.importing import files
from cms.importing.jsonschema import article_json_schema
from cms.importing.service import validate_paths

FIXTURES = PROJECT_ROOT / "fixtures" / "articles"
IDENTIFIERS = ("doi", "pmid", "pmcid", "nct", "url")


@pytest.fixture(scope="module")
def documents() -> list[dict]:
    validation = validate_paths([FIXTURES])
    assert validation.problems == []
    return [source.document for source in validation.documents]


def test_there_are_four_fixture_articles_and_a_german_translation(documents: list[dict]):
    originals = [d for d in documents if "translation_of" not in d]
    assert len(originals) == 4
    assert {d["locale"] for d in originals} == {"en"}
    [german] = [d for d in documents if "translation_of" in d]
    assert german["locale"] == "de"
    original = next(d for d in originals if d["slug"] == german["translation_of"]["slug"])
    # A translation has every section and reference of its original, in the same order.
    assert [s["type"] for s in german["sections"]] == [s["type"] for s in original["sections"]]
    assert german["references"] == original["references"]


def test_each_fixture_has_a_substantive_sourced_risks_section(documents: list[dict]):
    for document in documents:
        risks = next(s for s in document["sections"] if s["type"] == "risks")
        assert len(risks["body"].split()) >= 40, document["slug"]
        assert cited_ids(risks["body"]), document["slug"]


def test_every_reference_is_identified_or_says_why_not_and_is_cited(documents: list[dict]):
    # Identifiers that could not be confirmed are left out, never guessed; the
    # reference's note says so.
    for document in documents:
        cited = {ref_id for s in document["sections"] for ref_id in cited_ids(s["body"])}
        for reference in document["references"]:
            identified = any(reference.get(field) for field in IDENTIFIERS)
            assert identified or "not confirmed" in reference.get("note", ""), reference["id"]
            assert reference["id"] in cited, f"{document['slug']}: {reference['id']} never cited"


def test_fixture_files_pass_the_published_json_schema():
    validator = jsonschema.Draft202012Validator(
        article_json_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    for path in sorted(FIXTURES.glob("*.yaml")):
        _text, document = files.read(path)  # the importer's reader: dates stay strings
        assert list(validator.iter_errors(document)) == [], path.name


def test_imported_fixtures_are_served_like_make_run_serves_them(
    cli: FlaskCliRunner, client: FlaskClient
):
    # Exactly as `make run` imports them, on whatever date the test runs: once their
    # next_review has passed they are still served, marked review_overdue.
    result = cli.invoke(main, ["import", "--publish", "--allow-overdue-review", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    listing = client.get("/api/v1/articles").get_json()
    assert listing["total"] == 5
    for item in listing["items"]:
        url = f"/api/v1/articles/{item['slug']}?locale={item['locale']}"
        response = client.get(url)
        article = response.get_json()
        risks = next(s for s in article["sections"] if s["type"] == "risks")
        assert "<li>" in risks["html"]
        assert 'href="#ref-' in risks["html"]
        for reference in article["references"]:
            identified = any(reference.get(field) for field in IDENTIFIERS)
            assert bool(reference["href"]) == identified, reference["id"]
        etag = response.headers["ETag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304


def test_a_fresh_import_lists_the_fixtures_in_the_same_order_everywhere(
    cli: FlaskCliRunner, client: FlaskClient
):
    # Published in file order (originals before translations), a microsecond apart:
    # newest first is the last file first, whatever ids the articles got.
    result = cli.invoke(main, ["import", "--publish", "--allow-overdue-review", str(FIXTURES)])
    assert result.exit_code == 0, result.output
    items = client.get("/api/v1/articles").get_json()["items"]
    assert [item["slug"] for item in items] == [
        "mesenchymale-stammzellen-lupus",
        "stem-cell-transplantation-lupus-rheumatoid-arthritis",
        "stem-cell-therapy-autoimmune-diseases",
        "mesenchymal-stem-cells-lupus",
        "how-stem-cell-transplantation-works-autoimmune-disease",
    ]
    assert len({item["published_at"] for item in items}) == 5
