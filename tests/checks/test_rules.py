"""Every rule: a case it must flag and a near miss it must not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cms.checks import Finding, Severity, run_checks
from tests.factories import OMIT, RISKS_BODY, article_document, reference, section

TODAY = dt.date(2026, 11, 1)


def findings(publishing: bool = False, **overrides: Any) -> list[Finding]:
    return run_checks(article_document(**overrides), today=TODAY, publishing=publishing)


def codes(**overrides: Any) -> set[tuple[str, str, str]]:
    return {(f.code, f.severity.value, f.pointer) for f in findings(**overrides)}


def with_sections(*extra: dict[str, Any], risks: str = RISKS_BODY) -> list[dict[str, Any]]:
    """The factory's sections plus ``extra`` (placed after the overview)."""
    return [
        section("overview", "Severe scleroderma can damage the lungs and skin [@scot2018]."),
        *extra,
        section("risks", risks),
    ]


def test_the_factory_document_is_clean():
    assert findings(publishing=True) == []


def test_schema_problems_come_as_findings_and_stop_content_rules():
    result = findings(sections=[section("overview", "A miracle cure!")])
    assert [(f.code, f.pointer) for f in result] == [("schema.risks_required", "/sections")]


# 1. Risks -----


def test_short_or_unsourced_risks_are_errors():
    short = "Infections are common in the first weeks [@qiu2017]."
    assert codes(sections=with_sections(risks=short)) == {
        ("risks.too_short", "error", "/sections/1/body")
    }
    unsourced = RISKS_BODY.replace(" [@qiu2017]", "")
    assert ("risks.unsourced", "error", "/sections/1/body") in codes(
        sections=with_sections(risks=unsourced)
    )


def test_forty_sourced_words_of_risks_pass():
    body = " ".join(["infection"] * 39) + " [@qiu2017]."
    assert codes(sections=with_sections(risks=body)) == set()


# 2. Citations -----


def test_uncited_evidence_and_benefits_sections_are_errors():
    result = codes(
        sections=with_sections(
            section("evidence", "Trials were small.", evidence_certainty="low"),
            section("benefits", "Some people feel better."),
        )
    )
    assert ("citations.section_unsourced", "error", "/sections/1/body") in result
    assert ("citations.section_unsourced", "error", "/sections/2/body") in result


def test_uncited_overview_is_fine_and_unused_references_are_warnings():
    result = codes(
        sections=with_sections(risks=RISKS_BODY),
        references=[reference(), reference("qiu2017", doi="10.5555/x"), reference("extra1")],
    )
    assert ("references.unused", "warning", "/references/2") in result
    assert not any(code.startswith("citations.") for code, _, _ in result)


# 3. References -----


def test_journal_reference_without_author_or_journal_is_incomplete():
    refs = [reference(authors=OMIT, container_title=OMIT), reference("qiu2017")]
    result = [f for f in findings(references=refs) if f.code == "references.incomplete"]
    assert [f.message for f in result] == [
        "Journal reference 'scot2018' needs an author.",
        "Journal reference 'scot2018' needs the journal (container_title).",
    ]


def test_a_webpage_needs_no_journal():
    refs = [
        reference(type="webpage", authors=OMIT, container_title=OMIT, doi=OMIT,
                  url="https://www.fda.gov/page"),
        reference("qiu2017"),
    ]  # fmt: skip
    assert codes(references=refs) == set()


def test_duplicate_identifiers_are_warnings_case_insensitively():
    refs = [reference(), reference("qiu2017"), reference("same", doi="10.1056/nejmoa1703327")]
    result = codes(references=refs)
    assert ("references.duplicate", "warning", "/references/2") in result


def test_future_year_is_an_error():
    refs = [reference(year=2031), reference("qiu2017")]
    assert ("references.future_year", "error", "/references/0/year") in codes(references=refs)


def test_dois_with_parentheses_are_ordinary_but_sici_dois_are_flagged_as_unusual():
    parentheses = [reference(doi="10.1016/S0140-6736(18)31250-0"), reference("qiu2017")]
    assert codes(references=parentheses) == set()
    sici = [reference(doi="10.1002/1529-0131(200104)44:4<754::AID-ANR131>3.0.CO;2-T"),
            reference("qiu2017")]  # fmt: skip
    assert ("references.doi_unusual", "warning", "/references/0/doi") in codes(references=sici)


def test_a_german_author_name_in_a_reference_is_not_foreign_text():
    refs = [reference(authors=[{"family": "Müller", "given": "Jürgen"}]), reference("qiu2017")]
    assert codes(references=refs) == set()


# 4. People -----


def test_missing_reviewer_and_disclosures_are_errors_and_a_placeholder_author_too():
    result = codes(reviewer=OMIT, disclosures=OMIT, author={"name": "Admin"})
    assert result == {
        ("people.author_unnamed", "error", "/author/name"),
        ("people.reviewer_missing", "error", "/reviewer"),
        ("people.disclosures_missing", "error", "/disclosures"),
    }


def test_reviewer_who_is_the_author_is_a_warning_but_a_team_author_is_fine():
    assert codes(
        author={"name": "A. Reviewer"}, reviewer={"name": "a reviewer", "credentials": "MD"}
    ) == {("people.reviewer_is_author", "warning", "/reviewer/name")}
    assert codes(author={"name": "Health CMS Editorial Team"}) == set()


# 5. Review dates -----


def test_review_dates_are_required_ordered_and_at_most_36_months_apart():
    assert codes(last_reviewed=OMIT, next_review=OMIT) == {
        ("review.dates_missing", "error", "/last_reviewed"),
        ("review.dates_missing", "error", "/next_review"),
    }
    assert codes(next_review="2026-09-01") == {
        ("review.order", "error", "/next_review"),
        ("review.overdue", "warning", "/next_review"),  # and it has passed
    }
    assert codes(next_review="2029-10-02") == {("review.interval", "error", "/next_review")}
    assert codes(next_review="2029-10-01") == set()  # exactly 36 months
    assert codes(last_reviewed="2026-12-01") == {
        ("review.last_reviewed_future", "error", "/last_reviewed")
    }


def test_an_overdue_review_warns_on_a_draft_and_blocks_publishing():
    overdue = {"last_reviewed": "2024-01-01", "next_review": "2026-06-01"}
    assert codes(**overdue) == {("review.overdue", "warning", "/next_review")}
    blocking = findings(publishing=True, **overdue)
    assert [(f.code, f.severity) for f in blocking] == [("review.overdue", Severity.ERROR)]


# 6. Evidence labelling -----


def test_evidence_without_certainty_is_an_error():
    result = codes(sections=with_sections(section("evidence", "SCOT was randomised [@scot2018].")))
    assert result == {("evidence.certainty_missing", "error", "/sections/1/evidence_certainty")}


@pytest.mark.parametrize("design", ["animal", "in-vitro", "case-report", "case-series"])
def test_weak_designs_cannot_claim_more_than_low_certainty(design: str):
    refs = [reference(study_design=design), reference("qiu2017")]
    high = with_sections(
        section("evidence", "Mice improved [@scot2018].", evidence_certainty="moderate")
    )
    assert ("evidence.certainty_overstated", "error", "/sections/1/evidence_certainty") in codes(
        references=refs, sections=high
    )
    low = with_sections(section("evidence", "Mice improved [@scot2018].", evidence_certainty="low"))
    assert codes(references=refs, sections=low) == set()


def test_one_trial_among_weak_studies_allows_higher_certainty():
    refs = [
        reference(),
        reference("qiu2017"),
        reference("mice", doi="10.5555/m", study_design="animal"),
    ]
    evidence = section(
        "evidence", "Trial and mice [@scot2018; @mice].", evidence_certainty="moderate"
    )
    assert codes(references=refs, sections=with_sections(evidence)) == set()


# 7. Vague citations -----


def test_vague_citation_is_an_error_in_evidence_and_a_warning_in_the_overview():
    vague = "A study published in the New England Journal of Medicine showed remission."
    result = codes(
        sections=[
            section("overview", f"Background. {vague}"),
            section("evidence", f"{vague} SCOT [@scot2018].", evidence_certainty="low"),
            section("risks", RISKS_BODY),
        ]
    )
    assert ("claims.vague_citation", "warning", "/sections/0/body") in result
    assert ("claims.vague_citation", "error", "/sections/1/body") in result


def test_the_same_words_with_a_citation_are_fine():
    cited = "A study published in the New England Journal of Medicine found benefit [@scot2018]."
    assert codes(sections=with_sections(section("benefits", cited))) == set()


# 8. Absolute claims -----


def test_superlatives_in_the_title_and_uncited_cures_are_errors():
    result = codes(
        title="Stem Cells: The Best Breakthrough for Lupus",
        sections=with_sections(section("benefits", "This miracle treatment cures lupus.")),
    )
    assert ("claims.absolute", "error", "/title") in result
    assert ("claims.absolute", "error", "/sections/1/body") in result


def test_a_cited_cure_rate_is_not_a_cure_claim():
    body = "In one trial the cure rate was 30% [@scot2018]."
    assert codes(sections=with_sections(section("benefits", body))) == set()


def test_a_cited_superlative_is_a_warning_for_the_reviewer():
    body = "It was the best result seen in any trial [@scot2018]."
    assert codes(sections=with_sections(section("benefits", body))) == {
        ("claims.absolute", "warning", "/sections/1/body")
    }


def test_best_supportive_care_is_not_a_claim():
    body = "Controls received best supportive care [@scot2018]."
    assert codes(sections=with_sections(section("benefits", body))) == set()


# 9. Comparative claims -----


def test_fewer_side_effects_needs_a_trial_or_a_systematic_review():
    body = "Stem cells cause fewer side effects than conventional drugs."
    assert ("claims.comparative_unsupported", "error", "/sections/1/body") in codes(
        sections=with_sections(section("benefits", f"{body} [@weak]")),
        references=[reference(), reference("qiu2017"), reference("weak", doi="10.5555/w",
                                                                  study_design="case-series")],
    )  # fmt: skip


def test_a_comparison_citing_an_rct_passes():
    body = "Event-free survival was better than with cyclophosphamide [@scot2018]."
    assert codes(sections=with_sections(section("benefits", body))) == set()


# 10. Language -----


def test_german_connectives_and_chinese_fragments_are_reported_with_their_text():
    overview = (
        "Jedoch, recent work offers hope [@scot2018]. "
        "Zum Beispiel, transplants reset immunity [@scot2018]. "
        "干细胞疗法, 然而, offers the possibility of resetting the immune system in some "
        "patients [@scot2018]."
    )
    result = findings(sections=[section("overview", overview), section("risks", RISKS_BODY)])
    language = [(f.code, f.severity, f.message.split(" in ")[0]) for f in result]
    assert language == [
        ("language.foreign_word", Severity.WARNING, "German word “Jedoch”"),
        ("language.foreign_phrase", Severity.ERROR, "German text “Zum Beispiel”"),
        ("language.foreign_phrase", Severity.ERROR, "Chinese text “干细胞疗法, 然而”"),
    ]


def test_a_whole_sentence_in_another_language_is_an_error():
    body = "Die Behandlung ist nicht für alle Patienten geeignet, und die Risiken sind erheblich."
    result = codes(sections=with_sections(section("outlook", body)))
    assert result == {("language.foreign_sentence", "error", "/sections/1/body")}


def test_medical_english_and_proper_names_are_not_foreign():
    body = (
        "Hydroxychloroquine, belimumab and cyclophosphamide treat systemic lupus "
        "erythematosus; Müller and colleagues in Zürich described Crohn's disease "
        "remission after autologous haematopoietic transplantation [@scot2018]."
    )
    assert (
        codes(sections=with_sections(section("evidence", body, evidence_certainty="low"))) == set()
    )


def test_an_english_sentence_in_a_german_article_is_foreign():
    document = article_document(locale="de", title="Stammzellen bei Sklerodermie")
    result = run_checks(document, today=TODAY)
    assert any(f.code == "language.foreign_sentence" for f in result)


# 11. Page junk -----


@pytest.mark.parametrize(
    "junk",
    ["Comments · 105 Views", "Share on Facebook", "Read more", "Posted by admin",
     "We use cookies to improve your experience."],
)  # fmt: skip
def test_page_furniture_is_an_error(junk: str):
    body = f"Severe scleroderma can damage the lungs [@scot2018].\n\n{junk}"
    result = codes(sections=[section("overview", body), section("risks", RISKS_BODY)])
    assert ("junk.page_furniture", "error", "/sections/0/body") in result


def test_words_like_comments_or_share_in_prose_are_not_junk():
    body = "Patients share their experience and the comments of their doctors [@scot2018]."
    assert codes(sections=[section("overview", body), section("risks", RISKS_BODY)]) == set()


# 12. Markup -----


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("See <b>this</b> [@scot2018].", "markup.raw_html"),
        ("<script>alert(1)</script>\n\nText [@scot2018].", "markup.raw_html"),
        ("[Click](javascript:alert(1)) [@scot2018].", "markup.unsafe_link"),
        ("[Data](data:text/html,hi) [@scot2018].", "markup.unsafe_link"),
    ],
)
def test_raw_html_and_unsafe_links_are_errors(body: str, code: str):
    result = codes(sections=[section("overview", body), section("risks", RISKS_BODY)])
    assert (code, "error", "/sections/0/body") in result


def test_safe_links_and_code_spans_are_fine():
    body = "See [the FDA](https://www.fda.gov/), [us](mailto:a@b.org) and `<b>` [@scot2018]."
    assert codes(sections=[section("overview", body), section("risks", RISKS_BODY)]) == set()
