"""The article document schema: what every write path (API, import) accepts or refuses."""

from __future__ import annotations

from typing import Any

import pytest
from marshmallow import ValidationError

from cms.articles.schemas import load_document
from cms.validation import FieldError, field_errors
from tests.factories import article_document, reference, section


def errors_of(document: Any) -> list[FieldError]:
    with pytest.raises(ValidationError) as excinfo:
        load_document(document)
    return field_errors(excinfo.value.messages)


def pointers(document: Any) -> dict[str, str]:
    return {e.pointer: e.code for e in errors_of(document)}


def test_valid_document_loads_with_defaults_and_json_types():
    document = article_document()
    del document["locale"]
    loaded = load_document(document)
    assert loaded["locale"] == "en"
    assert loaded["last_reviewed"] == "2026-10-01"  # JSON-ready, not a date object
    assert [s["type"] for s in loaded["sections"]] == ["overview", "evidence", "risks"]


def test_missing_risks_section_is_rejected_at_sections():
    document = article_document(sections=[section("overview"), section("evidence")])
    errors = errors_of(document)
    assert (
        FieldError(
            "/sections",
            "risks_required",
            "Every article needs a 'risks' section describing harms and side effects.",
        )
        in errors
    )


def test_misspelled_risks_type_reports_both_the_type_and_the_missing_section():
    document = article_document(sections=[section("overview"), section("risk")])
    assert pointers(document) == {"/sections": "risks_required", "/sections/1/type": "enum"}


def test_duplicate_section_type_points_at_the_second_one():
    document = article_document(sections=[section("risks"), section("overview"), section("risks")])
    errors = errors_of(document)
    assert [(e.pointer, e.code) for e in errors] == [("/sections/2/type", "duplicate_section")]
    assert "/sections/0" in errors[0].message


def test_empty_sections_list_requires_risks():
    assert pointers(article_document(sections=[])) == {"/sections": "risks_required"}


def test_citation_to_unknown_reference_points_at_that_section_body():
    document = article_document(
        sections=[section("overview", "See [@scot2018; @nobody]."), section("risks")]
    )
    errors = errors_of(document)
    assert [(e.pointer, e.code) for e in errors] == [("/sections/0/body", "unknown_reference")]
    assert "[@nobody]" in errors[0].message


def test_citation_markers_resolve_against_reference_ids():
    document = article_document(
        sections=[
            section("overview", "A [@scot2018] and B [@qiu2017; @scot2018]."),
            section("risks"),
        ]
    )
    assert load_document(document)["sections"][0]["body"].startswith("A [@scot2018]")


def test_article_needs_at_least_one_reference():
    document = article_document(references=[], sections=[section("risks", "No citations.")])
    assert pointers(document) == {"/references": "references_required"}


def test_duplicate_reference_ids_are_rejected():
    document = article_document(references=[reference("a"), reference("a")])
    assert pointers(document)["/references/1/id"] == "duplicate"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("doi", "10.1056/NEJMoa1703327"),
        ("doi", "10.1002/(SICI)1529-0131(200104)44:4<754::AID-ANR131>3.0.CO;2-T"),
        ("doi", "10.1000.10/abc"),
        ("pmid", "29298160"),
        ("pmcid", "PMC6439765"),
        ("nct", "NCT00114530"),
        ("url", "https://pmc.ncbi.nlm.nih.gov/articles/PMC6439765"),
        ("url", "http://example.org/page"),
    ],
)
def test_well_formed_identifiers_are_accepted(field: str, value: str):
    document = article_document(references=[reference(**{field: value}), reference("qiu2017")])
    assert load_document(document)["references"][0][field] == value


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("doi", "https://doi.org/10.1056/NEJMoa1703327", "doi"),
        ("doi", "doi:10.1056/NEJMoa1703327", "doi"),
        ("doi", "10.105/abc", "doi"),
        ("doi", "10.1056/has space", "doi"),
        ("doi", "10.1056/", "doi"),
        ("pmid", "PMID:29298160", "pmid"),
        ("pmid", "0123", "pmid"),
        ("pmid", 29298160, "type"),
        ("pmcid", "6439765", "pmcid"),
        ("pmcid", "pmc6439765", "pmcid"),
        ("nct", "NCT0011453", "nct"),
        ("nct", "NCT 00114530", "nct"),
        ("url", "javascript:alert(1)", "url"),
        ("url", "ftp://example.org/file", "url"),
        ("url", "data:text/html,hi", "url"),
    ],
)
def test_malformed_identifiers_are_rejected_with_a_pointer(field: str, value: Any, code: str):
    document = article_document(references=[reference(**{field: value}), reference("qiu2017")])
    assert pointers(document) == {f"/references/0/{field}": code}


@pytest.mark.parametrize(
    ("authors", "pointer"),
    [
        ([{"given": "Keith"}], "/references/0/authors/0/family"),
        (
            [{"family": "Sullivan", "literal": "SCOT investigators"}],
            "/references/0/authors/0/literal",
        ),
        ([{}], "/references/0/authors/0/family"),
    ],
)
def test_reference_authors_are_a_person_or_a_group(authors: list[Any], pointer: str):
    document = article_document(references=[reference(authors=authors), reference("qiu2017")])
    assert pointer in pointers(document)


def test_group_author_alone_is_accepted():
    authors = [{"literal": "SCOT Study Investigators"}, {"family": "Müller", "given": "Anna"}]
    document = article_document(references=[reference(authors=authors), reference("qiu2017")])
    assert load_document(document)["references"][0]["authors"] == authors


def test_evidence_certainty_only_belongs_to_the_evidence_section():
    document = article_document(
        sections=[section("overview", evidence_certainty="low"), section("risks")]
    )
    assert pointers(document) == {"/sections/0/evidence_certainty": "not_allowed"}


def test_evidence_certainty_must_be_a_grade_level():
    document = article_document(
        sections=[section("evidence", evidence_certainty="strong"), section("risks")]
    )
    assert pointers(document) == {"/sections/0/evidence_certainty": "enum"}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("slug", "Stem Cells", "slug"),
        ("slug", "stem--cells", "slug"),
        ("locale", "english", "locale"),
        ("locale", "xx-YY", "locale"),
        ("locale", "x-private", "locale"),
        ("locale", "en_GB; DROP", "locale"),
        ("title", "   ", "blank"),
        ("title", "Two\nlines", "multiline"),
        ("title", "x" * 201, "length"),
        ("summary", None, "null"),
        ("last_reviewed", "2026-13-01", "format"),
        ("last_reviewed", "01/10/2026", "format"),
        ("conditions", "lupus", "type"),
        ("author", "Jane", "type"),
    ],
)
def test_top_level_fields_are_validated(field: str, value: Any, code: str):
    assert pointers(article_document(**{field: value})) == {f"/{field}": code}


def test_text_is_trimmed():
    assert load_document(article_document(title="  Trimmed title \n"))["title"] == "Trimmed title"


def test_control_characters_are_refused_in_bodies_but_newlines_kept():
    document = article_document(sections=[section("risks", "Line one\nline two\x00 [@scot2018]")])
    assert pointers(document) == {"/sections/0/body": "control_character"}


def test_unknown_fields_are_refused_where_they_appear():
    document = article_document(sections=[{**section("risks"), "colour": "red"}], extra=1)
    assert pointers(document) == {"/extra": "unknown_field", "/sections/0/colour": "unknown_field"}


def test_duplicate_conditions_are_refused():
    assert pointers(article_document(conditions=["lupus", "lupus"])) == {
        "/conditions/1": "duplicate"
    }


def test_missing_required_fields_are_each_reported():
    assert pointers({}) == {
        "/author": "required",
        "/references": "required",
        "/sections": "required",
        "/slug": "required",
        "/summary": "required",
        "/title": "required",
    }


@pytest.mark.parametrize("document", [[], "text", 3, None])
def test_a_document_that_is_not_an_object_is_refused_at_the_root(document: Any):
    assert pointers(document) == {"": "type"}


def test_field_errors_and_structural_errors_are_reported_together():
    document = article_document(
        sections=[section("overview", "See [@ghost].")],
        references=[reference(doi="bad"), reference("qiu2017")],
    )
    assert pointers(document) == {
        "/sections": "risks_required",
        "/sections/0/body": "unknown_reference",
        "/references/0/doi": "doi",
    }


@pytest.mark.parametrize(
    "field",
    ["conditions", "sections", "references"],
)
@pytest.mark.parametrize("junk", [[{}], [[]], [None], [1.5], [{"type": {}}]])
def test_junk_inside_lists_is_a_validation_error_not_a_crash(field: str, junk: list[Any]):
    assert errors_of(article_document(**{field: junk}))


@pytest.mark.parametrize(
    ("given", "stored"),
    [("en-gb", "en-GB"), ("DE-at", "de-AT"), ("zh-hans-cn", "zh-Hans-CN"), ("iw", "he")],
)
def test_locales_are_stored_in_canonical_bcp47_form(given, stored):
    document = article_document()
    document["locale"] = given
    assert load_document(document)["locale"] == stored
