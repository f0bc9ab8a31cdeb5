"""Claims read by their shape, not by set phrases: other verbs and word orders are found,
and negated, supposed, cited and merely mentioned uses are left alone."""

from __future__ import annotations

import pytest

from cms.checks import language_id, run_checks
from tests.checks.test_families import TODAY, codes_in, findings_in, severity_of
from tests.factories import article_document

# --- Unsafe advice read from who is addressed and what they are told to do ----------------


@pytest.mark.parametrize(
    "body",
    [
        "Leave out your evening dose of prednisolone on treatment days.",
        "After the second session you can come off your tablets.",
        "Patients may discontinue their biologics after treatment.",
        "Rub the gel into the joint twice a day.",
        "Trade your weekly injections for a single infusion of cells.",
        "Better not to mention the injections to your GP.",
        "There is no reason to continue your steroids once you feel well.",
        "Once the cells take hold, your tablets become unnecessary.",
    ],
)
def test_advice_to_change_dose_or_hide_a_treatment_is_an_error_in_any_words(body: str):
    assert severity_of("advice.unsafe", body, "outlook") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Do not stop or change any medicine without speaking to your doctor.",
        "Keep taking your tablets until your specialist tells you otherwise.",
        "Your rheumatologist may suggest lowering the dose if the disease stays quiet.",
        "Before the transplant, you will stop some medicines under your team's supervision.",
        "You will need to take antiviral tablets every day for a year after the transplant.",
        "Use the hospital's helpline if you are worried at home.",
        "Never mix the tablets with alcohol.",
        "Doctors collect the cells, give high-dose chemotherapy and then return the cells.",
    ],
)
def test_supervised_negated_and_prescribed_advice_passes(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


def test_a_study_reporting_what_participants_did_is_not_advice():
    body = "In the trial, people took two tablets twice a day [@scot2018]."
    assert "advice.unsafe" not in codes_in(body, "evidence")


# --- Testimonials: who speaks, and of what ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Two weeks after treatment, Priya was climbing stairs without help.",
        "One grateful patient from Cork now plays golf every week.",
        "We have seen patients leave their wheelchairs behind.",
        "“The fatigue lifted almost overnight,” recalls Peter, a retired engineer.",
    ],
)
def test_a_named_or_singled_out_recovery_is_a_testimonial(body: str):
    assert severity_of("testimonial.patient_story", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Maria Kowalska, a patient advocate, says people should ask for evidence.",
        "“Ask for the data,” says Ahmed Khan, who chairs the charity's patient panel.",
        "“Stem cell tourism” describes travel abroad for unproven treatment.",
        "Advertisements for clinics often use testimonials instead of data.",
        "“I feel much better,” one participant said in the trial's interviews [@case1].",
    ],
)
def test_advocates_terms_topics_and_cited_participants_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


# --- Questions, prospects, comparisons with oneself -----------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Can stem cells cure type 1 diabetes?",
        "The chance of a cure is small.",
        "A cure would mean no further treatment, which no study has shown.",
        "The treatment guarantees nothing.",
        "There is no cure, but most people control lupus with medicines for life.",
        "The transplant is the most intensive treatment for MS.",
    ],
)
def test_questions_prospects_and_burdens_are_not_absolute_claims(body: str):
    assert "claims.absolute" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "Type 1 diabetes can be permanently resolved with one transplant.",
        "The protocol restores damaged nerves to full health.",
        "A single course clears psoriasis completely.",
        "After treatment, people never have another flare.",
        "Recovery is assured for people with early MS.",
    ],
)
def test_repair_made_total_or_final_is_an_absolute_claim(body: str):
    assert severity_of("claims.absolute", body) == "error"


def test_a_comparison_with_the_same_people_before_treatment_compares_no_treatments():
    body = "Disability improved compared with the year before treatment [@case1]."
    assert "claims.comparative_unsupported" not in codes_in(body, "evidence")
    rival = "Disability improved more than with biologics [@case1]."
    assert "claims.comparative_unsupported" in codes_in(rival, "evidence")


# --- Regulatory assent, relative effects -----------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The TGA has given the green light to these injections for knee pain.",
        "Our exosome product is FDA compliant.",
        "COFEPRIS approved the clinic's treatment for autism.",
    ],
)
def test_a_regulator_assent_in_other_words_is_a_regulatory_claim(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


def test_a_regulator_warning_is_not_a_regulatory_claim():
    body = "The FDA warns that no stem cell product is approved to treat arthritis."
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "The number of new lesions dropped 75 per cent [@case1].",
        "Treated people had half the risk of disability worsening [@scot2018].",
        "Treatment lowered the odds of needing insulin by 30% [@scot2018].",
    ],
)
def test_relative_effects_in_other_shapes_are_warnings(body: str):
    assert severity_of("claims.relative_only", body, "evidence") == "warning"


# --- Advertising, placeholders, page furniture --------------------------------------------------


def test_a_public_helpline_is_not_advertising_but_a_clinic_line_is():
    public = "For free, impartial advice, call the MS Society helpline on 0808 800 8000."
    assert not {c for c in codes_in(public, "outlook") if c.startswith("ads.")}
    clinic = "For free advice, call our coordinators on 0808 800 8000."
    assert {c for c in codes_in(clinic, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author", {"name": "%AUTHOR%"}),
        ("author", {"name": "Staff Writer"}),
        ("reviewer", {"name": "Medical Reviewer", "credentials": "MD"}),
        ("reviewer", {"name": "Ada Reviewer", "credentials": "Credentials"}),
        ("disclosures", {"funding": "Not yet provided", "conflicts_of_interest": "None"}),
        ("reviewer", {"name": "null", "credentials": "MD"}),
    ],
)
def test_placeholders_by_shape_are_errors(field: str, value: dict[str, str]):
    document = article_document(**{field: value})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author", {"name": "Health CMS Editorial Team"}),
        ("reviewer", {"name": "Nan Goldberg", "credentials": "Consultant physician"}),
        ("disclosures", {"funding": "None", "conflicts_of_interest": "None declared"}),
    ],
)
def test_real_names_roles_with_names_and_none_are_not_placeholders(
    field: str, value: dict[str, str]
):
    document = article_document(**{field: value})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    "junk",
    ["Follow us on Instagram", "Page 2 of 3", "Loading comments…", "Lire la suite",
     "Subscribe to our YouTube channel", "Written by Sarah Lee | Updated 2 days ago"],
)  # fmt: skip
def test_page_furniture_by_shape_is_an_error(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "line",
    ["Posted on a clinic's website, such claims are checked by nobody.",
     "Follow your team's advice about vaccinations.", "Back pain is common after the harvest."],
)  # fmt: skip
def test_prose_with_page_words_is_not_furniture(line: str):
    assert "junk.page_furniture" not in codes_in(line, "overview")


# --- Language: scripts, set-off words, whole sentences, names ------------------------------------


@pytest.mark.parametrize(
    ("sentence", "code"),
    [
        ("Nevertheless, 患者は定期的な検査を受ける必要があります。", "language.foreign_phrase"),
        ("Allerdings, the injections are expensive.", "language.foreign_word"),
        ("Ngoài ra, the clinic does not publish its results.", "language.foreign_phrase"),
        ("Il trattamento non è approvato.", "language.foreign_sentence"),
    ],
)
def test_foreign_text_in_other_shapes_is_reported(sentence: str, code: str):
    found = {f.code for f in findings_in(sentence, "overview") if f.code.startswith("language.")}
    assert code in found or (code == "language.foreign_phrase" and found)


@pytest.mark.parametrize(
    "sentence",
    [
        "Kowalski, a nurse from Gdańsk, took part in the trial.",
        "Zum Beispiel is German for “for example”.",
        "The cells are grown ex vivo and then frozen.",
    ],
)
def test_names_with_appositions_glossed_terms_and_loanwords_are_not_debris(sentence: str):
    assert not language_id.examine(sentence, "en").spans
    assert language_id.examine(sentence, "en").sentence_language is None
