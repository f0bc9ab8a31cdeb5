"""Ingesting legacy web articles into drafts.

The samples in ``samples/`` were written for these tests in the shapes legacy pages
come in. The real legacy seeds live outside the repository (../shared/seeds);
their tests skip when that directory is absent.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from marshmallow import ValidationError

from cms.articles.schemas import SECTION_TYPES, load_document
from cms.checks import Finding, Severity
from cms.config import PROJECT_ROOT
from cms.ingest import IngestResult, ingest, to_yaml
from cms.ingest.classify import heading_type
from cms.ingest.service import PLACEHOLDER, find_conditions, slugify, summarise
from cms.validation import field_errors

SAMPLES = Path(__file__).parent / "samples"
SAMPLE_NAMES = sorted(path.name for path in SAMPLES.iterdir())
# Beside the repository (../shared/seeds), as on the development machines and CI.
SEEDS = Path(os.environ.get("CMS_SEEDS_DIR") or PROJECT_ROOT.parent / "shared" / "seeds")
TODAY = dt.date(2026, 6, 1)
LANGUAGE_CODES = ("language.foreign_word", "language.foreign_phrase", "language.foreign_sentence")


@functools.cache
def ingested(name: str) -> IngestResult:
    # Cached: language detection is the slow part, and tests only read the result.
    return ingest((SAMPLES / name).read_text(encoding="utf-8"), source=name, today=TODAY)


def line_of(name: str, start: str) -> int:
    lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.strip().startswith(start))


def outline(result: IngestResult) -> list[tuple[str, str]]:
    return [(section["type"], section["heading"]) for section in result.document["sections"]]


def section(result: IngestResult, kind: str) -> tuple[int, dict[str, Any]]:
    return next((i, s) for i, s in enumerate(result.document["sections"]) if s["type"] == kind)


def with_code(result: IngestResult, *codes: str) -> list[Finding]:
    return [finding for finding in result.findings if finding.code in codes]


def quoting(result: IngestResult, codes: tuple[str, ...], text: str) -> list[Finding]:
    return [f for f in with_code(result, *codes) if f"“{text}”" in f.message]


def all_text(document: dict[str, Any]) -> str:
    parts = [document["title"], document["summary"]]
    for item in document["sections"]:
        parts += [item["heading"], item["body"]]
    return "\n".join(parts)


# Junk, title and structure


def test_junk_lines_are_removed_and_reported_with_their_line_numbers():
    name = "blank_paragraphs.txt"
    result = ingested(name)
    notes = with_code(result, "ingest.junk_removed")
    for junk in ("Comments · 12 Views", "Share on Facebook", "Read more"):
        assert junk not in all_text(result.document)
        message = f"Removed page junk on line {line_of(name, junk)}: “{junk}”."
        assert [n.message for n in notes if n.message == message] == [message]
    assert {(n.severity, n.pointer) for n in notes} == {(Severity.WARNING, "")}


def test_a_line_repeating_the_title_is_dropped():
    result = ingested("blank_paragraphs.txt")
    title = "Stem Cell Therapy for Rheumatoid Arthritis: A New Option?"
    assert result.document["title"] == title
    assert title not in "\n".join(s["body"] for s in result.document["sections"])
    assert any(
        n.message.startswith("Removed a repeat of the title on line 5")
        for n in with_code(result, "ingest.junk_removed")
    )


def test_plain_line_headings_without_blank_lines_map_to_section_types():
    result = ingested("plain_lines.txt")
    assert outline(result) == [
        ("overview", "What Is Multiple Sclerosis"),
        ("mechanism", "How the Cell Infusion Works"),
        ("evidence", "What the Research Says"),
        ("risks", "Challenges and Considerations"),
        ("outlook", "Fazit"),
    ]
    # The introduction (before the first heading) opens the overview.
    assert section(result, "overview")[1]["body"].startswith("Multiple sclerosis is a long-term")
    assert result.mapping[0] == {"line": 2, "heading": None, "type": "overview", "reason": "intro"}
    assert result.mapping[4] == {
        "line": 9,
        "heading": "Challenges and Considerations",
        "type": "risks",
        "reason": "heading",
    }


def test_blank_line_paragraphs_keep_their_lists_and_sub_headings():
    name = "blank_paragraphs.txt"
    result = ingested(name)
    assert outline(result) == [
        ("overview", "Understanding Rheumatoid Arthritis and Its Challenges"),
        ("benefits", "Benefits Claimed by Clinics"),
        ("risks", "Possible Harms"),
        ("outlook", "Looking Ahead"),
    ]
    # A line ending with ":" introduces its list; it is not a heading.
    assert (
        "Standard treatment combines:\n\n- methotrexate or a similar tablet\n"
        "- biological injections\n- short courses of steroids during flares"
    ) in section(result, "overview")[1]["body"]
    # A heading whose words say nothing keeps its text, as a sub-heading, where its
    # paragraph went: here it stays with the benefits heading above it.
    assert "### Morning Stiffness\n\nSeveral patients" in section(result, "benefits")[1]["body"]
    assert {
        "line": line_of(name, "Morning Stiffness"),
        "heading": "Morning Stiffness",
        "type": None,
        "reason": "content",
    } in result.mapping


def test_markdown_headings_and_numbered_lists():
    result = ingested("markdown_well_formed.md")
    assert result.document["title"] == "Stem cell transplantation for systemic sclerosis"
    assert outline(result) == [
        ("overview", "Overview"),
        ("mechanism", "How the treatment works"),
        ("evidence", "Research so far"),
        ("risks", "Risks and side effects"),
        ("outlook", "Looking ahead"),
    ]
    mechanism = section(result, "mechanism")[1]["body"]
    assert mechanism.startswith("The treatment happens in three stages:\n\n- Stem cells are")
    assert "#" not in all_text(result.document)


def test_the_paragraphs_of_an_article_without_headings_are_classified_by_content():
    result = ingested("no_headings.txt")
    assert [kind for kind, _ in outline(result)] == [
        "overview",
        "mechanism",
        "evidence",
        "risks",
        "outlook",
    ]
    assert section(result, "risks")[1]["body"].startswith("Infusions of cord blood are generally")
    assert [m["reason"] for m in result.mapping] == [
        "intro",
        "content",
        "content",
        "unplaced",
        "content",
        "content",
    ]


def test_a_paragraph_without_a_clear_topic_goes_to_the_overview_and_is_reported():
    name = "no_headings.txt"
    result = ingested(name)
    index, overview = section(result, "overview")
    assert "Families who stored cord blood privately" in overview["body"]
    [note] = with_code(result, "ingest.unplaced")
    assert note.severity == Severity.WARNING
    assert note.pointer == f"/sections/{index}/body"
    assert f"line {line_of(name, 'Families who stored')}" in note.message
    assert "“Families who stored cord blood" in note.message


def test_a_source_without_risks_gets_an_empty_risks_section_and_an_error():
    result = ingested("no_risks.txt")
    index, risks = section(result, "risks")
    assert risks == {"type": "risks", "heading": "Risks", "body": ""}
    [note] = with_code(result, "ingest.risks_missing")
    assert (note.severity, note.pointer) == (Severity.ERROR, f"/sections/{index}/body")
    assert "describes no risks" in note.message
    # The empty body fails the schema, as it must until an editor writes it...
    assert [f.pointer for f in with_code(result, "schema.blank")] == [f"/sections/{index}/body"]
    # ...yet the content rules still ran (on a copy): the title's claim is reported.
    assert with_code(result, "claims.absolute")
    assert PLACEHOLDER not in to_yaml(result.document)


def test_sections_follow_the_document_order_and_risks_is_always_there():
    for name in SAMPLE_NAMES:
        kinds = [kind for kind, _ in outline(ingested(name))]
        assert kinds == sorted(kinds, key=SECTION_TYPES.index), name
        assert len(set(kinds)) == len(kinds), name
        assert "risks" in kinds, name


# What the checks find in the imported text


def test_german_and_chinese_debris_is_kept_and_reported():
    result = ingested("plain_lines.txt")
    for debris in ("Trotzdem", "Zum Beispiel", "此外"):
        assert debris in all_text(result.document)  # never translated away
        assert quoting(result, LANGUAGE_CODES, debris), debris
    assert quoting(result, ("language.foreign_phrase",), "Zum Beispiel")


def test_a_vague_citation_is_reported_in_the_evidence_section():
    result = ingested("plain_lines.txt")
    index, _ = section(result, "evidence")
    [finding] = with_code(result, "claims.vague_citation")
    assert finding.pointer == f"/sections/{index}/body"
    assert "“a study published in”" in finding.message


def test_a_superlative_title_is_reported():
    result = ingested("no_risks.txt")
    assert [(f.pointer, f.severity) for f in with_code(result, "claims.absolute")] == [
        ("/title", Severity.ERROR)
    ]


def test_a_comparison_the_clinics_promise_is_reported_speech_not_the_articles_claim():
    # "They also promise fewer side effects than biological drugs": the article reports
    # what clinics say; the comparison is theirs, and the benefits section is flagged as
    # unsourced instead.
    result = ingested("blank_paragraphs.txt")
    index, _ = section(result, "benefits")
    assert with_code(result, "claims.comparative_unsupported") == []
    assert [f.pointer for f in with_code(result, "citations.section_unsourced")] == [
        f"/sections/{index}/body"
    ]


def test_uncited_evidence_and_benefits_sections_are_reported():
    result = ingested("plain_lines.txt")
    index, _ = section(result, "evidence")
    assert [f.pointer for f in with_code(result, "citations.section_unsourced")] == [
        f"/sections/{index}/body"
    ]
    assert with_code(result, "evidence.certainty_missing")


def test_findings_are_not_repeated():
    for name in SAMPLE_NAMES:
        findings = ingested(name).findings
        assert len(findings) == len(set(findings)), name


def test_clean_prose_raises_no_content_or_ingest_notes():
    result = ingested("markdown_well_formed.md")
    noisy = ("language.", "claims.", "junk.", "ingest.")
    assert [f.code for f in result.findings if f.code.startswith(noisy)] == []


# The draft


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_a_draft_invents_nothing(name: str):
    document = ingested(name).document
    assert list(document) == [
        "slug",
        "locale",
        "title",
        "summary",
        "conditions",
        "author",
        "sections",
        "references",
    ]
    assert document["references"] == []
    assert document["author"] == {"name": "Unknown author (imported)"}
    assert all(set(s) == {"type", "heading", "body"} for s in document["sections"])


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_the_draft_round_trips_through_yaml(name: str):
    document = ingested(name).document
    text = to_yaml(document)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../article.schema.json"
    assert yaml.safe_load(text) == document


def test_multi_line_bodies_are_literal_blocks_in_yaml():
    text = to_yaml(ingested("blank_paragraphs.txt").document)
    assert "  body: |-\n    Rheumatoid arthritis causes painful" in text


def test_a_well_formed_source_passes_the_schema_except_for_its_missing_references():
    # A draft never invents references, so `references_required` is the one schema
    # error a well-formed source leaves for the editor.
    document = ingested("markdown_well_formed.md").document
    with pytest.raises(ValidationError) as caught:
        load_document(document)
    errors = [(e.pointer, e.code) for e in field_errors(caught.value.messages)]
    assert errors == [("/references", "references_required")]
    editor_reference = {"id": "x", "type": "webpage", "title": "Added by an editor"}
    assert load_document(document | {"references": [editor_reference]})["slug"] == (
        "stem-cell-transplantation-for-systemic-sclerosis"
    )


def test_the_document_takes_the_locale_given():
    result = ingest("Titel\n\nEin Absatz.", locale="de", today=TODAY)
    assert result.document["locale"] == "de"
    assert result.source == "<text>"


@pytest.mark.parametrize(
    ("source", "heading"),
    [
        ("Title\n\n**Possible Risks**\n\nInfection can happen.", "Possible Risks"),
        ("Title\n\nPossible Risks\n--------------\n\nInfection can happen.", "Possible Risks"),
        ("Title\n\n## Possible Risks ##\n\nInfection can happen.", "Possible Risks"),
    ],
)
def test_bold_and_underlined_headings_are_headings(source: str, heading: str):
    result = ingest(source, today=TODAY)
    assert outline(result) == [("risks", heading)]


def test_a_short_last_line_is_not_a_heading():
    result = ingest("Title\n\n## Risks\n\nInfection can happen.\n\nSee your doctor", today=TODAY)
    assert section(result, "risks")[1]["body"] == "Infection can happen.\n\nSee your doctor"


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("The Future of Stem Cells", "outlook"),
        ("Challenges and Considerations", "risks"),
        ("How Stem Cell Therapy Works for Lupus", "mechanism"),
        ("Benefits Beyond Symptom Relief", "benefits"),
        ("The Evidence Behind the Breakthrough", "evidence"),
        ("Understanding Lupus and Its Challenges", "overview"),
        ("Understanding the Risks", "risks"),
        ("The Challenges of Living with Lupus", "overview"),
        ("Types of Protocols", "mechanism"),
        ("In Conclusion", "outlook"),
        ("Abschluss", "outlook"),
        ("Morning Stiffness", None),
    ],
)
def test_heading_keywords_and_their_priorities(heading: str, kind: str | None):
    assert heading_type(heading) == kind


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Crohn's Disease — What's New?", "crohns-disease-whats-new"),
        ("Ärzte & Straßen: Überblick", "arzte-strassen-uberblick"),
        ("免疫: A Short Guide", "a-short-guide"),
        ("干细胞治疗", "untitled-article"),
    ],
)
def test_slugs(title: str, slug: str):
    assert slugify(title) == slug


def test_a_long_slug_is_cut_between_words():
    slug = slugify("Autoimmune " * 30)
    assert len(slug) <= 120
    assert slug.endswith("autoimmune")


def test_conditions_are_found_by_keyword():
    assert find_conditions("Lupus, Crohn’s disease and type 1 diabetes") == [
        "lupus",
        "crohns-disease",
        "type-1-diabetes",
    ]
    assert find_conditions("Any autoimmune disorder") == ["autoimmune-disease"]
    assert find_conditions("A sprained ankle") == []


def test_the_summary_is_the_first_two_sentences_within_the_limit():
    assert summarise("First point. Second point. Third point.") == "First point. Second point."
    long = summarise("A " + "very " * 300 + "long sentence. Next one.")
    assert len(long) <= 1000
    assert long.endswith("…")


def test_the_summary_of_a_paragraph_of_megabytes_reads_only_its_beginning():
    # Longer than the sentence splitter accepts (1,000,000 characters) as a whole.
    paragraph = "First point. Second point. " + "More of the same. " * 80_000
    assert len(paragraph) > 1_000_000
    assert summarise(paragraph) == "First point. Second point."
    one_sentence = "A " + "very " * 300_000 + "long sentence."
    assert summarise(one_sentence) == "A " + "very " * 198 + "very…"


# The legacy seeds (outside the repository)


@functools.cache
def _seed(path: Path) -> IngestResult:
    return ingest(path.read_text(encoding="utf-8"), source=str(path), today=TODAY)


def seed(prefix: str) -> IngestResult:
    if not SEEDS.is_dir():
        pytest.skip(f"{SEEDS} (legacy seed articles) lives outside the repository; absent here")
    paths = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not paths:
        pytest.skip(f"no seed {prefix}_*.txt in {SEEDS}")
    return _seed(paths[0])


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seed_sections_are_mapped(prefix: str):
    kinds = [kind for kind, _ in outline(seed(prefix))]
    assert kinds[0] == "overview"
    assert len(kinds) >= 3
    assert "risks" in kinds


def test_seed_000_maps_every_heading():
    result = seed("000")
    assert [kind for kind, _ in outline(result)] == list(SECTION_TYPES)
    assert "### Abschluss" in section(result, "outlook")[1]["body"]


def test_seed_003_without_headings_puts_its_risk_paragraph_in_risks():
    assert "not without risks" in section(seed("003"), "risks")[1]["body"]


def test_seed_002_has_only_a_generic_risk_warning_which_is_hollow():
    # Its one sentence on risks sits in the conclusion; it moves to risks, where the checks
    # find that it names no concrete harm.
    result = seed("002")
    assert "significant risks and side effects" in section(result, "risks")[1]["body"]
    assert with_code(result, "risks.hollow")


@pytest.mark.parametrize(
    ("prefix", "debris"),
    [
        ("000", "Jedoch"),
        ("000", "Zum Beispiel"),
        ("000", "Ähnlich"),
        ("000", "Abschluss"),
        ("002", "然而"),
        ("002", "干细胞治疗"),
    ],
)
def test_seed_foreign_debris_is_reported(prefix: str, debris: str):
    assert quoting(seed(prefix), LANGUAGE_CODES, debris)


def test_seed_001_page_junk_is_removed():
    result = seed("001")
    messages = [f.message for f in with_code(result, "ingest.junk_removed")]
    assert "Removed page junk on line 3: “Comments · 105 Views”." in messages
    assert "105 Views" not in all_text(result.document)


@pytest.mark.parametrize(
    ("prefix", "code", "text"),
    [
        ("000", "claims.vague_citation", "New England Journal"),
        ("001", "claims.comparative_unsupported", "Fewer Side Effects"),
    ],
)
def test_seed_claims_are_reported(prefix: str, code: str, text: str):
    assert any(text in f.message for f in with_code(seed(prefix), code))


@pytest.mark.parametrize("prefix", ["000", "002"])
def test_seed_superlative_titles_are_reported(prefix: str):
    result = seed(prefix)
    assert "Breakthrough" in result.document["title"]
    assert [f.message for f in with_code(result, "claims.absolute") if f.pointer == "/title"]


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
def test_seed_uncited_evidence_or_benefits_is_reported(prefix: str):
    assert with_code(seed(prefix), "citations.section_unsourced")


# Headings in other web forms, and junk inside paragraphs (samples written for these tests)


def test_question_headings_map_by_meaning():
    result = ingested("question_headings.txt")
    assert outline(result) == [
        ("overview", "What is a stem cell transplant?"),
        ("evidence", "Does it work?"),
        ("risks", "Is it safe?"),
        ("outlook", "What should I do next?"),
    ]
    risks = section(result, "risks")[1]["body"]
    assert risks.startswith("Four of the forty-five people in the trial had serious infections")


def test_an_faq_question_is_a_heading_and_its_answer_loses_the_a_prefix():
    result = ingested("question_headings.txt")
    overview = section(result, "overview")[1]["body"]
    assert "### Who can have it?\n\nOnly adults with severe disease" in overview
    assert "Q:" not in all_text(result.document)
    assert "A: Only" not in all_text(result.document)


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Is it safe?", "risks"),
        ("What are the downsides?", "risks"),
        ("What could go wrong?", "risks"),
        ("Does it really work?", "evidence"),
        ("How is the treatment given?", "mechanism"),
        ("What happens during treatment?", "mechanism"),
        ("Who is it for?", "overview"),
        ("Can it help?", "benefits"),
        ("What should I do?", "outlook"),
        ("What Does This Mean for Me", "outlook"),
        ("Morning Routines", None),
    ],
)
def test_question_headings_and_their_types(heading: str, kind: str | None):
    assert heading_type(heading) == kind


def test_upper_case_headings_become_sentence_case_headings_of_their_type():
    result = ingested("upper_case_inline_junk.txt")
    assert outline(result) == [
        ("overview", "Overview"),
        ("mechanism", "How the infusion is given"),
        ("evidence", "What the studies found"),
        ("benefits", "Benefits claimed by clinics"),
        ("risks", "Risks"),
        ("outlook", "Outlook"),
    ]


def test_risks_text_under_another_heading_lands_in_risks():
    name = "upper_case_inline_junk.txt"
    result = ingested(name)
    risks = section(result, "risks")[1]["body"]
    assert risks.startswith("Three of the forty people in that study died during follow-up")
    benefits = section(result, "benefits")[1]["body"]
    assert "died" not in benefits
    assert {
        "line": line_of(name, "Three of the forty"),
        "heading": "Benefits claimed by clinics",
        "type": "risks",
        "reason": "content",
    } in result.mapping
    assert with_code(result, "ingest.risks_missing") == []


def test_inline_junk_is_cut_and_the_prose_around_it_kept():
    name = "upper_case_inline_junk.txt"
    result = ingested(name)
    text = all_text(result.document)
    for junk in ("Share on Facebook", "Read more", "Print | Email | PDF", "5 min read",
                 "By Mira Castell", "Was this article helpful", "Tags:"):  # fmt: skip
        assert junk not in text, junk
    overview = section(result, "overview")[1]["body"]
    assert overview.endswith("whose lupus stays active despite treatment.")
    evidence = section(result, "evidence")[1]["body"]
    assert evidence == (
        "A study of forty people without a comparison group reported that about a third "
        "improved over a year."
    )
    removed = [f.message for f in with_code(result, "ingest.junk_removed")]
    assert (
        f"Removed page junk on line {line_of(name, 'Lupus is an')}: “Share on Facebook”." in removed
    )
    assert (
        f"Removed page junk on line {line_of(name, 'A study of forty')}: “Read more »”." in removed
    )


def test_junk_is_never_the_title_or_the_summary():
    result = ingested("upper_case_inline_junk.txt")
    assert result.document["title"] == "Cell Therapy for Lupus: What Families Should Know"
    assert result.document["summary"].startswith("Lupus is an autoimmune disease")
    assert "Facebook" not in result.document["summary"]
