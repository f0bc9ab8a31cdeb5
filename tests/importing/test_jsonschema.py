"""fixtures/article.schema.json: generated from the marshmallow schemas, kept current."""

from __future__ import annotations

import json

import jsonschema
import pytest

from cms.config import PROJECT_ROOT
from cms.importing.jsonschema import SCHEMA_PATH, article_json_schema, render
from tests.factories import article_document, reference, section

SCHEMA_FILE = PROJECT_ROOT / SCHEMA_PATH


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = article_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def test_committed_schema_file_is_current():
    assert SCHEMA_FILE.read_bytes() == render(), "run `make schema` to regenerate it"


def test_a_valid_document_passes(validator):
    assert list(validator.iter_errors(article_document())) == []


@pytest.mark.parametrize(
    ("document", "path"),
    [
        (article_document(sections=[section("overview")]), ["sections"]),
        (
            article_document(references=[reference(doi="https://doi.org/10.1/x")]),
            ["references", 0, "doi"],
        ),
        (article_document(slug="Not A Slug"), ["slug"]),
        (article_document(extra_field=1), []),
        (
            article_document(sections=[section("risks", evidence_certainty="maybe")]),
            ["sections", 0, "evidence_certainty"],
        ),
    ],
    ids=["missing-risks", "doi-with-prefix", "bad-slug", "unknown-field", "bad-certainty"],
)
def test_editors_see_the_same_structural_errors(validator, document, path):
    errors = list(validator.iter_errors(json.loads(json.dumps(document))))
    assert [list(e.absolute_path) for e in errors] == [path]
