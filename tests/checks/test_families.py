"""Each family of checks: other wordings of a claim, and the negated, hypothetical, cited,
reported and near-miss sentences that are not one. Sentences written for these tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from cms.checks import Finding, run_checks
from tests.factories import RISKS_BODY, article_document, reference, section

TODAY = dt.date(2026, 11, 1)
REFERENCES = [
    reference(),  # scot2018: a randomised trial
    reference("qiu2017", study_design="systematic-review"),
    reference("case1", study_design="case-series"),
    reference("mice1", study_design="animal"),
    reference("fda2021", type="webpage",
              authors=[{"literal": "U.S. Food and Drug Administration"}],
              container_title="U.S. Food and Drug Administration", doi=None,
              url="https://www.fda.gov/consumers/consumer-updates/stem-cells",
              study_design="other"),
]  # fmt: skip


def findings_in(body: str, kind: str = "benefits", **overrides: Any) -> list[Finding]:
    """The findings about ``body``, placed in a section of type ``kind``."""
    text = f"{body}\n\nThe trial is summarised in the review [@qiu2017]."
    if kind == "overview":
        sections, where = [section("overview", text), section("risks", RISKS_BODY)], 0
    else:
        extra = section(kind, text)
        if kind == "evidence":
            extra["evidence_certainty"] = "low"
        opening = section("overview", "Severe scleroderma can damage the lungs [@scot2018].")
        sections, where = [opening, extra, section("risks", RISKS_BODY)], 1
    references = [{k: v for k, v in r.items() if v is not None} for r in REFERENCES]
    document = article_document(sections=sections, references=references, **overrides)
    return [f for f in run_checks(document, today=TODAY) if f.pointer == f"/sections/{where}/body"]


def codes_in(body: str, kind: str = "benefits") -> set[str]:
    return {f.code for f in findings_in(body, kind)}


def severity_of(code: str, body: str, kind: str = "benefits") -> str:
    [finding] = [f for f in findings_in(body, kind) if f.code == code]
    return finding.severity.value


# --- Cure and absolute claims -----------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Regular infusions wipe out rheumatoid arthritis.",
        "The cells have healed hundreds of damaged spines.",
        "Donor cells eradicate the condition in weeks.",
        "Families are told to expect a lifelong remission.",
        "The most powerful therapy for lupus is now here.",
        "It is the gentlest treatment available anywhere.",
        "Its record is unrivalled among transplant centres.",
        "The procedure is absolutely safe for older adults.",
    ],
)
def test_cure_and_absolute_claims_in_other_words_are_errors(body: str):
    assert severity_of("claims.absolute", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Nothing available today cures scleroderma.",  # negated
        "It has never been shown to reverse nerve damage.",  # negated
        "If the cells healed the gut, relapses would stop; they do not.",  # hypothetical
        "Whether it can eliminate the disease remains to be seen.",  # uncertain
        "Several clinics advertise it as a miracle.",  # reported
        "The biggest study so far enrolled 75 people [@scot2018].",  # a descriptive superlative
    ],
)
def test_negated_hypothetical_reported_and_descriptive_uses_are_not_claims(body: str):
    assert "claims.absolute" not in codes_in(body)


def test_a_cited_absolute_claim_is_a_warning_for_the_reviewer():
    assert severity_of("claims.absolute", "Every participant was cured [@case1].") == "warning"


# --- Comparative claims ------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Cell infusions are kinder to the body than chemotherapy.",
        "The transplant works four times as well as tablets.",
        "Autologous cells trump every biologic drug.",
        "Compared with steroids, the infusion brings longer relief.",
    ],
)
def test_comparisons_in_other_words_need_a_trial(body: str):
    assert "claims.comparative_unsupported" in codes_in(body)


def test_a_comparison_cited_only_to_weak_designs_names_them():
    [finding] = [
        f for f in findings_in("Mice did better on cells than on cyclophosphamide [@mice1].")
        if f.code == "claims.comparative_unsupported"
    ]  # fmt: skip
    assert "it cites only animal" in finding.message


@pytest.mark.parametrize(
    "body",
    [
        "Relapses were rarer after transplant than after drugs [@scot2018].",  # cited to an RCT
        "Nobody has shown the cells are safer than standard care.",  # negated
        "It is uncertain whether the infusion is better than drugs.",  # uncertain
        "Arthritis is more common in older people than in young adults.",  # not a treatment
    ],
)
def test_cited_negated_uncertain_and_non_treatment_comparisons_pass(body: str):
    assert "claims.comparative_unsupported" not in codes_in(body)


# --- Vague authority ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Top neurologists have confirmed that the cells repair myelin.",
        "The science backs these infusions.",
        "Research from several universities proves it works.",
        "The therapy is medically proven.",
    ],
)
def test_unsourced_appeals_to_authority_are_errors_in_evidence(body: str):
    assert severity_of("claims.vague_citation", body, "evidence") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Research has not confirmed any benefit.",
        "Researchers want to find out whether the cells survive.",
        "Neurologists in the trial recorded relapses [@scot2018].",
    ],
)
def test_negated_open_and_cited_authority_passes(body: str):
    assert "claims.vague_citation" not in codes_in(body, "evidence")


# --- Relative numbers --------------------------------------------------------------------


def test_a_relative_effect_without_absolute_numbers_is_a_warning():
    assert severity_of("claims.relative_only", "The drug halves flares [@scot2018].") == "warning"
    assert "claims.relative_only" in codes_in("Deaths dropped by 35% [@scot2018].")


def test_a_relative_effect_with_absolute_numbers_passes():
    body = "Flares fell from 40 in 100 people to 20 in 100, so they halved [@scot2018]."
    assert "claims.relative_only" not in codes_in(body)


# --- Unsafe advice -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Cut out your biologics as soon as you book.",
        "You can come off your tablets after the first infusion.",
        "Give yourself the booster injection at home.",
        "Take 3 drops under the tongue before breakfast.",
        "There is no need to tell your rheumatologist.",
    ],
)
def test_unsafe_advice_in_other_words_is_an_error(body: str):
    assert severity_of("advice.unsafe", body, "outlook") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Never stop your medicine on your own.",  # negated
        "If your rheumatologist agrees, the dose can be tapered.",  # conditional
        "Some sellers tell buyers to skip their insulin, which is dangerous.",  # reported
        "Patients in the study reduced their steroids under supervision [@scot2018].",  # report
    ],
)
def test_safe_advice_and_reports_pass(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


# --- Regulatory claims -------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The cells are FDA approved for arthritis.",
        "The centre is listed with the FDA.",
        "It has been cleared by the FDA for lupus.",
        "This is an approved therapy in Europe.",
    ],
)
def test_regulatory_claims_in_other_words_are_errors(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "The FDA has not approved any such product.",  # negated
        "Cord blood cells are approved for blood cancers [@fda2021].",  # cited to the regulator
        "The protocol was approved by the university's ethics board.",  # not a regulator
        "Clinics boast of FDA registration that means nothing.",  # reported
    ],
)
def test_negated_cited_and_non_regulatory_approvals_pass(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


def test_approval_cited_to_a_non_regulator_is_still_an_error():
    assert "regulatory.unsupported_claim" in codes_in(
        "The infusion is FDA-approved [@case1].", "overview"
    )


# --- Advertising -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Reserve your place at our next open day.", "ads.call_to_action"),
        ("Ring our team on +44 20 7946 0958.", "ads.contact_number"),
        ("Treatment now costs just $3,900.", "ads.price"),
        ("Quote CURE10 at checkout for a discount.", "ads.discount"),
        ("Only 5 spots left this spring.", "ads.urgency"),
        ("We have helped 4,000 families since 2015.", "ads.patient_count"),
    ],
)
def test_advertising_of_every_kind_is_an_error(body: str, code: str):
    assert severity_of(code, body, "outlook") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Ring your GP if the fever lasts more than two days.",
        "Treatment abroad often costs over $30,000 [@scot2018].",
        "The trial recruited 156 people in 10 countries [@scot2018].",
        "Be wary of clinics offering discounts.",
    ],
)
def test_informing_about_costs_and_care_is_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


# --- Testimonials ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "I could barely walk before my infusion.",
        "“Everything changed,” says Tom, 47.",
        "Watch our recovery stories online.",
    ],
)
def test_testimonials_are_errors_in_benefits(body: str):
    assert severity_of("testimonial.patient_story", body) == "error"


def test_a_testimonial_elsewhere_is_a_warning():
    body = "My own flares stopped for a year after the transplant."
    assert severity_of("testimonial.patient_story", body, "outlook") == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "Participants described less pain in questionnaires [@scot2018].",
        "“Results must be confirmed,” said Professor Adeyemi, a trial lead.",
        "Patient stories are not a substitute for trials.",
    ],
)
def test_study_results_quoted_experts_and_warnings_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


# --- Hollow risks ------------------------------------------------------------------------


def risks_findings(body: str) -> set[str]:
    document = article_document(
        sections=[
            section("overview", "Lupus can harm the kidneys [@scot2018]."),
            section("risks", body),
        ],
    )
    return {f.code for f in run_checks(document, today=TODAY)}


def test_a_risks_section_of_reassurance_is_hollow_whatever_its_length():
    body = (
        "Your clinic will take every precaution and you can ask your physician anything. "
        "Most people feel fine afterwards and there is really nothing to fear. The team has "
        "years of experience and follows international standards at every step [@scot2018]."
    )
    assert "risks.hollow" in risks_findings(body)
    negated = (
        "No serious side effects were seen and no one needed hospital care, so the procedure "
        "is considered very well tolerated by the doctors who perform it in their clinics "
        "across the region [@scot2018]."
    )
    assert "risks.hollow" in risks_findings(negated)


def test_a_risks_section_naming_harms_or_unknowns_is_not_hollow():
    assert "risks.hollow" not in risks_findings(RISKS_BODY)
    unknowns = (
        "How the cells behave after ten years is unknown, and tumours cannot be ruled out "
        "because the studies followed people for only two years and were small, with fewer "
        "than fifty people each [@scot2018]."
    )
    assert "risks.hollow" not in risks_findings(unknowns)


# --- Placeholders ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reviewer", {"name": "TBA", "credentials": "MD"}),
        ("reviewer", {"name": "Ada Reviewer", "credentials": "to be confirmed"}),
        ("disclosures", {"funding": "N/A", "conflicts_of_interest": "None declared"}),
        ("author", {"name": "Unknown author (imported)"}),
    ],
)
def test_placeholder_people_and_values_are_errors(field: str, value: dict[str, str]):
    document = article_document(**{field: value})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


def test_real_names_and_none_declared_are_not_placeholders():
    document = article_document(
        author={"name": "Una Knowles"},
        disclosures={"funding": "None", "conflicts_of_interest": "None declared"},
    )
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


# --- Page junk, language, identifiers -----------------------------------------------------


@pytest.mark.parametrize(
    "junk",
    ["Next article »", "Reading time: 6 min", "Filed under: Lupus", "Sponsored", "340 shares",
     "Posted on 4 May 2019 by editor", "Did you find this article useful? Yes | No"],
)  # fmt: skip
def test_wider_page_junk_is_an_error(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    ("body", "language"),
    [
        ("Ponadto, the cells need weeks to grow.", "Polish"),
        ("Кроме того, the infusion would fail.", "Russian"),
        ("Además, more trials are needed.", "Spanish"),
    ],
)
def test_debris_in_other_languages_and_scripts_is_reported(body: str, language: str):
    found = [f for f in findings_in(body, "overview") if f.code.startswith("language.")]
    assert found
    assert language in found[0].message


def test_foreign_names_of_places_and_people_are_not_debris():
    body = "Dr Åsa Lindström at Rigshospitalet and Universidade de São Paulo led it [@scot2018]."
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


def test_a_doi_pasted_as_a_link_gets_the_fix_in_the_message():
    document = article_document(
        references=[reference(doi="https://doi.org/10.1056/NEJMoa1703327"), reference("qiu2017")]
    )
    [finding] = [f for f in run_checks(document, today=TODAY) if f.pointer.endswith("/doi")]
    assert finding.code == "schema.doi"
    assert finding.message.endswith("Write it as 10.1056/NEJMoa1703327.")
    nct = article_document(references=[reference(nct="nct 00114530"), reference("qiu2017")])
    [finding] = [f for f in run_checks(nct, today=TODAY) if f.pointer.endswith("/nct")]
    assert finding.message.endswith("Write it as NCT00114530.")


# --- Wider phrasings, and the near misses they must leave alone ---------------------------
# Sentences written for these tests, in other words than the rules' own examples.


@pytest.mark.parametrize(
    "body",
    [
        "Once treated, people stay free of arthritis for the rest of their lives.",
        "With the cells, lupus becomes a thing of the past.",
        "Every single participant recovered after the infusion.",
        "Its safety record is peerless among cell therapies.",
        "Patients enjoy the longest remissions of any programme.",
        "The results are irreversible once the cells settle.",
        "No other therapy can match the cells for joint repair.",
        "After treatment the eczema never returns.",
        "The injections are without any harmful effects.",
        "Nothing beats an infusion of your own cells for arthritis.",
        "Patients are left pain-free by the procedure.",
    ],
)
def test_cures_universal_success_and_praise_in_other_words_are_absolute_claims(body: str):
    assert severity_of("claims.absolute", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Fertility can be lost permanently after the chemotherapy [@qiu2017].",  # a harm
        "The tablets must be taken for life.",  # permanence of no benefit
        "Forty in 100 were free of disease activity at two years [@scot2018].",  # bounded
        "The treatment is not without risk.",  # double negation
        "Few patients stay symptom-free after stopping treatment.",  # scarcity
        "Clinics call the cells a 'cure', a word doctors avoid.",  # quoted
        "The term miracle cell appears in adverts.",  # a mention of the word
        "Keep the incision clean so that it heals.",  # ordinary healing
        "A cure for lupus is still years away.",  # far off
        "Blood stem cells are the best known kind of stem cell [@qiu2017].",  # descriptive
        "The certificate guarantees that the paperwork is in order.",  # no outcome
        "Stem cell therapy with longer-lasting relief than steroids is what clinics sell.",
    ],
)
def test_harms_bounds_mentions_and_descriptions_are_not_absolute_claims(body: str):
    assert "claims.absolute" not in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Cell therapy is a safer alternative to long-term steroids.",
        "The infusion improves on every biologic we have used.",
        "Patients prefer the cells over knee surgery.",
        "Recovery comes sooner with cells than with rest.",  # an adverb's comparative
        "Exosomes outpace standard drugs for pain relief.",
        "The treatment is superior in many respects to surgery.",
        "People on the cells need fewer painkillers than people on placebo.",  # "need" is no plan
        "Relapses were 30% rarer with the cells than with drugs [@case1].",
    ],
)
def test_comparisons_in_more_constructions_need_a_trial(body: str):
    assert "claims.comparative_unsupported" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Drug costs are higher in private clinics than in hospitals.",  # money
        "It is wiser to wait for trial results than to travel for treatment.",  # choices
        "Trials that compare the cells with drugs are still needed.",  # a call for research
    ],
)
def test_comparisons_of_cost_and_of_choices_are_not_treatment_claims(body: str):
    assert "claims.comparative_unsupported" not in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Most rheumatologists accept that the cells help.",
        "It has now been conclusively shown that the cells regrow cartilage.",
        "The injections have been proven to ease pain.",
        "Specialists regard the infusion as a good choice.",
        "The scientific community is convinced the injections work.",
        "The medical consensus is that the cells are safe.",
        "Leading surgeons have praised the technique.",
    ],
)
def test_appeals_to_consensus_and_passive_proof_are_vague(body: str):
    assert severity_of("claims.vague_citation", body, "evidence") == "error"


def test_a_hedge_in_what_experts_say_leaves_the_appeal_vague():
    body = "Experts say the cells could reverse arthritis one day."
    assert severity_of("claims.vague_citation", body, "overview") == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "My rheumatologist suggested trying a biologic first.",  # one's own clinician
        "Researchers have yet to prove any benefit.",  # negated
        "Scientists want to find out whether the cells survive.",  # a plan
        "Doctors know little about the long-term safety.",  # an open question
        "Trials are needed to show whether the cells help.",  # a call for research
        "The injections have been proven to ease pain [@scot2018].",  # cited
    ],
)
def test_own_clinicians_plans_and_open_questions_are_not_vague(body: str):
    assert "claims.vague_citation" not in codes_in(body, "evidence")


@pytest.mark.parametrize(
    "body",
    [
        "Flares were reduced by nearly 60% [@scot2018].",
        "The risk ratio of relapse was 0.6 [@scot2018].",
        "Hospital stays were cut in half [@scot2018].",
        "Infections were four times as common after the transplant [@qiu2017].",
    ],
)
def test_relative_effects_in_more_words_want_absolute_numbers(body: str):
    assert severity_of("claims.relative_only", body, "evidence") == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "Twice as many people with lupus are women.",  # who gets a disease
        "Flares fell from 40 in 100 people to 20 in 100 [@scot2018].",  # absolute numbers
    ],
)
def test_prevalence_and_absolute_figures_are_not_relative_effects(body: str):
    assert "claims.relative_only" not in codes_in(body, "evidence")


@pytest.mark.parametrize(
    "body",
    [
        "If the pain comes back, double your steroid dose.",  # the condition is its own
        "Once you feel well, stop the antidepressants.",  # any class of medicine
        "Patients should stop their blood thinners a week before treatment.",
        "Feel free to skip your statins while on the programme.",
        "You won't need to take any tablets after the injections.",
        "Apply the serum to your knees every night.",
        "Keep the injections to yourself.",
        "Your GP doesn't need to hear about the programme.",
        "Inject the vial slowly into your thigh.",
    ],
)
def test_unsafe_advice_in_more_constructions_is_an_error(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        "If your doctor agrees, you can lower the dose gradually.",  # on a doctor's word
        "Stopping antidepressants suddenly can cause withdrawal symptoms.",  # not an imperative
        "Check with your team before you stop any medicine.",  # a decision to come
        "Self-injection of products bought online has caused abscesses [@fda2021].",  # a report
        "Do not inject anything bought online.",  # negated
    ],
)
def test_conditions_on_a_doctor_reports_and_decisions_are_safe(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        "The therapy has the approval of the Ministry of Health in Colombia.",
        "It is a fully licensed cell therapy.",
        "The treatment is legal and approved in the Bahamas.",
        "The clinic holds official approval for its cell products.",
        "The trial is listed on ClinicalTrials.gov, which shows it is safe.",
    ],
)
def test_approval_by_any_authority_and_listings_as_endorsement_are_errors(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "The trial team listed on ClinicalTrials.gov answers questions from patients.",
        "Companies must seek regulatory approval before selling cells.",
        "The study was approved by the local ethics committee [@scot2018].",
    ],
)
def test_listings_requests_for_approval_and_ethics_approvals_pass(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Speak to our coordinators about your options.", "ads.call_to_action"),
        ("Drop us a message to book.", "ads.call_to_action"),
        ("Tap the button below to apply.", "ads.call_to_action"),
        ("Ask our advisers about financing.", "ads.call_to_action"),
        ("More than 4,000 people have been treated at our clinics.", "ads.patient_count"),
        ("This price is valid until the end of June.", "ads.urgency"),
    ],
)
def test_more_contact_prompts_boasts_and_deadlines_are_advertising(body: str, code: str):
    assert code in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        "Treatment abroad costs between $10,000 and $40,000, and insurers rarely pay [@qiu2017].",
        "Ask your doctor about clinical trials near you.",
    ],
)
def test_reported_price_ranges_and_a_readers_own_doctor_are_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    "body",
    [
        "Oliver's story shows how the cells changed his life.",
        "Hear how our patients got back on their feet.",
        "Our patient Maya now runs every morning.",
        "Many of our patients tell us their pain has gone.",
        "Henry, a retired builder, says the injections gave him hope.",
        "I remember the first morning without pain.",
    ],
)
def test_named_stories_and_the_clinics_own_patients_are_testimonials(body: str):
    assert severity_of("testimonial.patient_story", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "I would ask any clinic for its outcome data.",  # the author's advice
        "Patients share their experience with their doctors.",
        "Dr Singh, a neurologist, says more trials are needed.",  # a clinician
    ],
)
def test_the_authors_voice_and_clinicians_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reviewer", {"name": "Reviewer TBC", "credentials": "MD"}),
        ("author", {"name": "Firstname Surname"}),
        ("reviewer", {"name": "Dr. ___", "credentials": "MD"}),
        ("reviewer", {"name": "Ada Reviewer", "credentials": "Credentials to come"}),
        ("disclosures", {"funding": "—", "conflicts_of_interest": "None declared"}),
        ("disclosures", {"funding": "None", "conflicts_of_interest": "awaiting sign-off"}),
    ],
)
def test_markers_blanks_and_template_names_are_placeholders(field: str, value: dict[str, str]):
    document = article_document(**{field: value})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


def test_a_name_holding_a_template_word_is_still_a_name():
    document = article_document(author={"name": "Nadia Name-Ortiz"})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    "junk",
    ["Like · Reply · 3d", "Read next: Diet and MS", "Photo credit: Getty", "Print-friendly version",
     "Listen to this article", "Join our newsletter", "Show 12 comments", "2 hours ago",
     "Written by editor on March 3, 2021"],
)  # fmt: skip
def test_comment_bars_credits_and_page_controls_are_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    [
        "Photographs of the rash were taken at each visit [@scot2018].",
        "Listen to your body and rest when you need to.",
        "Readers can join a patient newsletter run by the charity.",
    ],
)
def test_prose_about_photos_listening_and_newsletters_is_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["Por lo tanto, the results are weak.", "The cells, per esempio, come from fat."],
)
def test_a_foreign_set_phrase_between_commas_is_an_error(body: str):
    assert "language.foreign_phrase" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "In practice, the cells are grown for weeks.",
        "Ex vivo, the cells are expanded in a laboratory [@case1].",
        "Dr. Øyvind Berg led the study [@scot2018].",
        "The Japanese term “saisei iryō” (regenerative medicine) names the field.",
    ],
)
def test_english_set_phrases_latin_titled_names_and_glossed_terms_are_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


def test_a_harm_said_to_be_rare_is_still_named():
    body = (
        "Serious infections rarely happen after the infusion, but when they do they can be "
        "fatal, and two people in the largest series needed intensive care for sepsis in the "
        "weeks after treatment [@case1]."
    )
    assert "risks.hollow" not in risks_findings(body)


@pytest.mark.parametrize(
    "body",
    [
        "Plenty of clinical data back the injections.",  # "data", whose lemma is "datum"
        "Leading neurologists are in agreement that the cells help.",
        "Modern science tells us that the cells regrow nerves.",
        "Several reports describe remarkable recoveries.",
    ],
)
def test_data_agreement_and_what_science_tells_us_are_vague(body: str):
    assert "claims.vague_citation" in codes_in(body, "evidence")


def test_authorities_calling_for_more_research_make_no_appeal():
    body = "Scientists say larger trials are needed before anyone offers the cells."
    assert "claims.vague_citation" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "Your joints will never trouble you again after the injections.",
        "Patients gain lasting freedom from arthritis pain.",
    ],
)
def test_never_again_and_freedom_from_disease_are_absolute(body: str):
    assert "claims.absolute" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "The best course is to keep taking your medicine while you ask questions.",
        "Researchers never met the participants again after the study.",  # no disease
    ],
)
def test_advice_on_the_best_course_and_unrelated_nevers_are_not_absolute(body: str):
    assert "claims.absolute" not in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "A mother told us the cells had changed her son's life.",
        "Lena's husband walks to work again, the family says.",
        "After her infusion, Priya was back at the gym.",
        "Since my treatment the stiffness has eased.",
        "Patient review: the best money we ever spent.",
    ],
)
def test_reported_stories_named_families_and_any_first_person_my_are_testimonials(body: str):
    assert "testimonial.patient_story" in codes_in(body)


def test_the_authors_own_my_is_not_a_testimonial():
    assert "testimonial.patient_story" not in codes_in("In my view, the evidence is too thin.")


# --- Claims in nouns, idioms and other verbs ------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "One course of the injections obliterates eczema.",  # a cure verb of the same meaning
        "Our programme is a lasting fix for joint pain.",  # a repair named as a noun
        "Side effects are practically nil with these cells.",  # harms said not to exist
        "Relapses just do not happen after the transplant.",
        "The infusion works in every single case.",  # success over every case
        "Asthma attacks will be a faded memory.",
        "As a treatment for asthma, the method is beyond compare.",
        "It is the only cell product you will ever need.",
        "With this protocol it is impossible to flare.",
        "These cells free you from colitis for a lifetime.",
        "There is no safer option for older people with lupus.",
        "Downsides are simply non-existent.",
        "No rival treatment exists for lupus nephritis.",
        "Your arthritis will be gone, never to return.",
        "The cells have a perfect safety record.",
        "Every last symptom disappears within weeks.",
        "No drug comes anywhere near the results of our cells.",
    ],
)
def test_cures_and_absolutes_in_nouns_and_idioms_are_errors(body: str):
    assert severity_of("claims.absolute", body) == "error"


def test_success_in_every_case_cited_to_a_case_series_is_a_warning():
    body = "Healing occurred in all treated patients [@case1]."
    assert severity_of("claims.absolute", body) == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "It is not a permanent fix, and most people relapse.",  # negated
        "If side effects were non-existent, trials would not monitor safety.",  # supposed
        "Follow-up was complete for every participant [@scot2018].",  # every case, no benefit
        "Complete resolution of symptoms was uncommon [@case1].",  # said to be rare
        "Even the most skilled surgeons see complications [@qiu2017].",  # describes, no praise
        "There is no newer treatment for scleroderma on the horizon.",  # a descriptive grade
        "Keep the dressing on during the cure at the spa, as your nurse advised.",
        "She credits the cells with ending her flares, her doctor is less sure.",  # reported
        "Perfect adherence to the schedule is hard for most people taking the drug.",
        "The most up-to-date guidance on the treatment comes from NICE.",
        "Stopping the drug suddenly can end in a serious relapse.",
        "Recovery is slow in all cases, taking months [@case1].",  # a hardship for everyone
        "A faded memory of the first weeks in hospital is common after chemotherapy.",
        "The only way to know if a treatment works is a fair comparison.",
        "Reporters called the result a breakthrough, but the trial was small [@case1].",
    ],
)
def test_universal_words_without_a_benefit_and_denied_absolutes_are_not_claims(body: str):
    assert "claims.absolute" not in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Our injections hold a decisive edge over knee surgery.",
        "Steroid tablets simply cannot compete with a single infusion.",
        "Unlike tablets, which merely hide the pain, the cells rebuild cartilage.",
        "Instead of a lifetime of steroids, the transplant offers faster recovery.",
        "Regenerative medicine pulls ahead of drug treatment for arthritis.",
        "The transplant succeeds when the drugs fail.",
        "Biologics are no match for a course of cells.",
        "The exosome jab is a big step up from cortisone.",
        "Our protocol streaks ahead of conventional care.",
        "The transplant leaves steroids in the dust.",
        "The infusion is a cut above standard medication.",
    ],
)
def test_superiority_in_idioms_and_contrasts_needs_a_trial(body: str):
    assert severity_of("claims.comparative_unsupported", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Unlike steroids, which come as tablets, the cells are given by a drip.",  # no merit
        "Women recover more quickly than men after the transplant [@case1].",  # groups of people
        "The transplant means a longer stay in hospital than drug treatment.",  # a drawback
        "Compared with five years ago, more hospitals offer the infusion.",  # the same, earlier
        "Cord blood cells are easier to store than marrow cells [@case1].",  # handling
        "A randomised trial found the transplant held an advantage over drugs [@scot2018].",
        "Whether the cells have an edge over biologics is unknown.",  # uncertain
        "While drugs only need a prescription, the transplant needs a specialist centre.",
        "Compared with the 1990s, far fewer people die after the transplant [@case1].",
        "The cells are less well studied than the drugs.",  # a weakness of the evidence
    ],
)
def test_contrasts_without_merit_drawbacks_and_cited_advantages_pass(body: str):
    assert "claims.comparative_unsupported" not in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Work from several laboratories corroborates the benefit.",
        "Oncologists have long understood that the cells shrink tumours.",
        "Scientific opinion has rallied behind the infusions.",
        "The data are conclusive: the cells repair cartilage.",
        "The protocol is grounded in research.",
        "Published work shows a benefit in lupus.",
        "It is generally accepted by rheumatologists that the injections help.",
        "Experts say that side effects are rare.",  # what they say, however it ends
        "Trials run over two decades leave little room for doubt.",
        "Researchers have gathered compelling proof that the cells work.",
        "Hundreds of doctors now swear by the procedure.",
        "Evidence keeps mounting that the cells calm the immune system.",
        "Medical science has moved on, and the cells are now proven.",
    ],
)
def test_appeals_in_other_verbs_and_idioms_are_vague(body: str):
    assert severity_of("claims.vague_citation", body, "evidence") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "Paediatricians have not understood why some children relapse.",  # negated
        "Researchers hope to replicate the findings in a larger trial.",  # a plan
        "The early study was too small to show a difference.",  # what it could not show
        "Haematologist Professor Maria Costa says the results look promising.",  # named
        "Laboratories in three countries replicated the result [@qiu2017].",  # cited
        "Few trials have corroborated the early reports.",  # scarce
        "The ultimate aim of the research is to find out who benefits.",  # a purpose
        "Doctors swear an oath to do no harm.",
        "It has never been proven.",
        "Ask about the treatments that are proven.",  # a kind of treatment
    ],
)
def test_denied_planned_named_and_cited_authority_is_not_vague(body: str):
    assert "claims.vague_citation" not in codes_in(body, "evidence")


@pytest.mark.parametrize(
    "body",
    [
        "Hospital stays dwindled by 45% after treatment [@scot2018].",
        "Flares fell to a third of their former rate [@scot2018].",
        "Infections were up by two-thirds in the treated group [@qiu2017].",
        "Relapses were a quarter as common after the transplant [@scot2018].",
        "The treated group had a fifth fewer admissions [@scot2018].",
        "Deaths rose ninefold in the first year [@qiu2017].",
        "Progression was 0.7 times that seen with placebo [@scot2018].",
        "The chance of relapse fell 1.5-fold [@scot2018].",
    ],
)
def test_relative_effects_as_shares_factors_and_any_verb_want_absolute_numbers(body: str):
    assert severity_of("claims.relative_only", body, "evidence") == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "A third of the infections happened in the first month [@qiu2017].",  # how they split
        "Relapses fell by 30 per cent, from 20 in 100 to 14 in 100 [@scot2018].",
        "Clinic fees went up by a quarter last year.",  # no effect of a treatment
        "The drug dose was increased by 50% in the second phase [@scot2018].",  # what was given
    ],
)
def test_shares_absolute_figures_and_prices_are_not_relative_effects(body: str):
    assert "claims.relative_only" not in codes_in(body, "evidence")


@pytest.mark.parametrize(
    "junk",
    ["Sort by: Oldest", "Results 1–10 of 48", "Start the conversation", "Watch later",
     "Remove from favourites", "Please sign in to reply", "Edited 5 days ago by a moderator",
     "Collapse all", "Most shared today", "Read the NHS guide (opens in a new tab)"],
)  # fmt: skip
def test_controls_for_saving_sorting_signing_in_and_counting_pictures_are_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    [
        "Sort out a lift home before the procedure.",
        "You will need to sign a consent form before the transplant.",
        "Save your questions for the consultation.",
        "A discussion with your care team can help you decide.",
    ],
)
def test_advice_about_saving_signing_and_discussing_is_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "The trial ran at Turun yliopisto (the University of Turku) [@scot2018].",
        "Samples went to the Klinikum rechts der Isar (a Munich teaching hospital) [@case1].",
    ],
)
def test_a_foreign_name_followed_by_its_english_in_brackets_is_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


def test_foreign_words_with_no_english_gloss_are_still_debris():
    body = "The cells are harvested from fat, was relativ einfach ist (so the clinic says)."
    assert {c for c in codes_in(body, "overview") if c.startswith("language.")}


@pytest.mark.parametrize(
    "junk",
    ["Previous slide", "Load more", "Comments are closed.", "Tap to zoom", "Print article",
     "Skip to navigation", "Related topics: Lupus · Arthritis", "1,204 people found this helpful",
     "Subscribe to get the latest posts by email."],
)  # fmt: skip
def test_galleries_gestures_votes_and_closed_comments_are_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    ["Load the dishwasher only when you feel up to it.", "Accept that recovery takes time.",
     "Comments from participants were recorded by the nurses [@case1]."],
)  # fmt: skip
def test_everyday_instructions_that_share_a_controls_words_are_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "Researchers at Università degli Studi di Milano ran the trial [@scot2018].",  # particles
        "Clinics in Mexico call the injections “células madre”, Spanish for stem cells.",
    ],
)
def test_a_names_particles_and_a_term_glossed_by_its_language_are_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


def test_a_foreign_clause_before_an_english_one_is_a_foreign_phrase():
    body = "Het risico op infecties is hoog, so patients need regular checks."
    assert "language.foreign_phrase" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["The clinic, leider, does not publish its results.", "Aber, the trial was stopped early."],
)
def test_a_common_foreign_word_set_off_by_commas_is_a_foreign_word(body: str):
    assert severity_of("language.foreign_word", body, "overview") == "warning"


@pytest.mark.parametrize(
    "body",
    ["Howevr, the trial was small.", "Mechanistically, the cells release signals [@mice1].",
     "Anecdotally, some people feel better."],
)  # fmt: skip
def test_english_and_misspelt_english_words_set_off_by_commas_are_not_foreign(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


# --- Unsafe advice read by shape: idioms, counted doses, a doctor set aside ---------------


@pytest.mark.parametrize(
    "body",
    [
        "Go easy on the insulin for the first week, because the new cells take over.",
        "Knock your azathioprine down to 50 mg once you are home.",
        "Rather than your usual steroid tablets, drink a glass of the cell tonic.",
        "The blood-pressure medication can go once the graft has settled.",
        "Ideally, patients wind down their biologics in the fortnight before travel.",
        "Most of our clients find they can taper their prednisolone on their own.",
        "Keep your neurologist in the dark until the scans improve.",
        "Disregard your rheumatologist's advice to stay on methotrexate.",
        "Dab the contents of two vials onto the gums twice a day.",
        "Top up with another syringe at home if the swelling returns.",
    ],
)
def test_unsafe_advice_read_by_its_shape_is_an_error(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        # an embedded question the reader's own doctors answer
        "Your transplant team will tell you which tablets to pause before the chemotherapy.",
        "The nurse will explain to you when to stop the blood thinners.",
        # advice inside a condition, answered by safe advice
        "If a clinic tells you to stop your insulin, contact your diabetes team at once.",
        "Should anyone advise you to halve your steroids, ask your GP first.",
        # negated, or everyday
        "Never leave your GP out of the loop about treatment abroad.",
        "Do not ignore your doctor's advice about steroids.",
        "Your tablets can go in your hand luggage.",
        "Wash the spacer of your inhaler once a week.",
        "Ideally, patients keep taking their biologics until the transplant team says otherwise.",
    ],
)
def test_questions_conditions_and_negated_advice_are_not_unsafe(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


# --- Language: openers of several words, glossed terms, words inside names ---------------


@pytest.mark.parametrize(
    "body",
    ["Malgré tout, the clinic kept its prices high.", "Innymi słowy, the cells did not survive.",
     "Por último, the injections are costly."],
)  # fmt: skip
def test_an_opening_phrase_in_another_language_is_an_error(body: str):
    assert "language.foreign_phrase" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "In Japanese, the treatment is advertised as 再生医療, “regenerative medicine”.",
        "Rehabilitation at the Klinikum rechts der Isar lasted six weeks [@case1].",
        "Van Dyke, a nurse, took part in the trial.",
        "Tocilizumab infusions, the authors say, are rarely needed.",
        "In short, the trial was small.",
    ],
)
def test_glossed_terms_names_and_drug_openers_are_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


# --- Testimonials: stories anchored to one person's treatment, kin, named stories ---------


@pytest.mark.parametrize(
    "body",
    [
        "Tomasz, a welder from Gdynia, went back to the shipyard a month after his infusion.",
        "Within weeks of her injections she was back on the dance floor.",
        "Dad climbs the stairs on his own again.",
        "The doctors said he would never run again, but we watched him finish a 10k in June.",
        "Journeys like Aisha's, from crutches to cycling, inspire us every day.",
        "A grandfather of five from Leeds describes how the cells ended his back pain.",
        "We get cards from people who can finally play with their grandchildren.",
        "Our before-and-after photos say it all.",
    ],
)
def test_stories_of_one_persons_recovery_in_other_words_are_testimonials(body: str):
    assert "testimonial.patient_story" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Keep a diary of your symptoms before and after any new treatment.",
        "A clinic's site quotes a patient saying the pain “melted away”; such accounts are not "
        "evidence.",
        "Not one of our patients has been followed for more than a year.",
        "After his transplant, he developed a severe infection [@case1].",
        "We do not know whether he would have walked again without the transplant.",
        "After her treatment, she took part in the trial's interviews [@case1].",
    ],
)
def test_diaries_debunked_quotes_and_cited_cases_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


# --- Absolute claims in idioms; stages of healing, past stories and zero counts pass ------


@pytest.mark.parametrize(
    "body",
    [
        "Wave goodbye to fibromyalgia after a single course.",
        "With our protocol, colitis becomes history.",
        "None of our clients has ever needed a second operation.",
        "The cells bring the joint back to how it was before the arthritis.",
        "The injection works for every kind of back pain.",
        "It succeeds, every single time.",
        "Nothing else on offer comes close to what our cells achieve, which is why patients "
        "fly in from abroad.",
    ],
)
def test_cures_and_universals_in_idioms_are_absolute(body: str):
    assert "claims.absolute" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "The healing process after the harvest takes about two weeks.",
        "Start your healing journey by reading the evidence with your doctor.",
        "Nothing else had helped my fatigue before I joined the trial's interviews [@case1].",
        "No serious side effects were reported in the case series [@case1].",
        "None of the patients in the trial was cured [@scot2018].",
        "Say goodbye to your family before the chemotherapy starts; visits are limited.",
    ],
)
def test_stages_of_healing_past_stories_and_zero_counts_are_not_absolute(body: str):
    assert "claims.absolute" not in codes_in(body)


# --- Advertising by its shape: the seller's answer, one step away, counts since opening ----


@pytest.mark.parametrize(
    "body",
    [
        "Pop your scans in the upload box and we'll get back to you.",
        "Send your MRI and our specialists will tell you if you qualify.",
        "Our advisers are only a phone call away.",
        "Dates for the autumn are booking up fast.",
        "Limited-time pricing applies to January bookings.",
        "Quote this page and we will waive the consultation charge.",
        "More than 9,000 injections given since we opened in 2012.",
        "Register below to unlock our preferential patient rates.",
    ],
)
def test_offers_and_invitations_in_other_shapes_are_advertising(body: str):
    assert {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    "body",
    [
        "Patients travel abroad and we will never know how they fare.",
        "In 2019, 300 transplants were done in our region [@case1].",
        "Animal studies cannot tell us how the cells behave in people [@mice1].",
        "Help is a phone call away: the MS Society helpline is free and independent.",
        "Hospital appointments for the transplant are not going fast; waits are short.",
    ],
)
def test_editorial_we_counts_and_helplines_are_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


# --- Page controls with their counts, consent and sponsor labels ---------------------------


@pytest.mark.parametrize(
    "junk",
    ["Show 9 more replies", "View all 14 images", "Recommended for you", "Font size A A",
     "Manage cookie preferences", "Sponsored by CellCo", "Story continues after the advert"],
)  # fmt: skip
def test_counted_controls_and_sponsor_labels_are_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    ["Follow up after 6 weeks with your GP.", "Back in 2 days", "Sign the consent form",
     "Continue after the transplant", "Photos of 12 patients were reviewed [@case1]."],
)  # fmt: skip
def test_short_lines_with_numbers_and_control_words_are_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")


# --- Vague authority: everyone's knowledge; the reader's own clinicians are no appeal -----


@pytest.mark.parametrize(
    "body",
    ["As any neurologist will tell you, the cells protect nerves.",
     "As every doctor knows, the injections ease arthritis.",
     "Studies point to lasting improvements after the injections."],
)  # fmt: skip
def test_appeals_to_what_everyone_knows_are_vague(body: str):
    assert "claims.vague_citation" in codes_in(body, "evidence")


@pytest.mark.parametrize(
    "body",
    ["Let your GP and specialist know about any treatment you have abroad.",
     "Send the clinic's plan to your own specialist before you agree to anything.",
     "Keep your nurse or doctor informed about side effects.",
     "Studies point to a higher risk of infection after the transplant [@scot2018]."],
)  # fmt: skip
def test_the_readers_own_clinicians_and_cited_studies_are_not_vague(body: str):
    assert "claims.vague_citation" not in codes_in(body, "evidence")


# --- Comparisons in a negation or a rhetorical question; fold changes of an outcome -------


@pytest.mark.parametrize(
    "body",
    ["Nothing else works as fast as our cell infusion for knee pain.",
     "Why stick with weekly injections when one transplant does the job?"],
)  # fmt: skip
def test_comparisons_made_by_negation_or_a_rhetorical_question_are_flagged(body: str):
    assert "claims.comparative_unsupported" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    ["People given the cells had a threefold rise in insulin-free days [@case1].",
     "Nothing works as well as exercise for fatigue, a review found [@qiu2017].",
     "Why do some people relapse when others stay well? Nobody knows."],
)  # fmt: skip
def test_fold_changes_cited_rivals_and_real_questions_are_not_comparisons(body: str):
    assert "claims.comparative_unsupported" not in codes_in(body)


# --- Correct sentences that shared a claim's words ----------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Take your temperature twice a day for the first two weeks.", "advice.unsafe"),
        ("Check your blood sugar three times a day while on steroids.", "advice.unsafe"),
        ("The clinic told patients to stop their insulin, and several were admitted to "
         "hospital [@case1].", "advice.unsafe"),
        ("Your safest option is to stay on the treatment your specialist recommends.",
         "claims.absolute"),
        ("The transplant can halt inflammation for a while, but relapses often follow "
         "[@scot2018].", "claims.absolute"),
        ("Call the hospital switchboard on 020 7946 0000 and ask for the transplant unit.",
         "ads.contact_number"),
        ("The cells were twice as likely to survive when frozen slowly [@mice1].",
         "claims.comparative_unsupported"),
        ("“Throw away your pills,” one clinic's website says; doing so can be dangerous.",
         "testimonial.patient_story"),
    ],
)  # fmt: skip
def test_measurements_reports_and_bounded_effects_are_not_claims(body: str, code: str):
    assert code not in codes_in(body, "outlook")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Take two capsules of the extract three times a day.", "advice.unsafe"),
        ("We ask every patient to stop their insulin on arrival.", "advice.unsafe"),
        ("The transplant cures lupus for many years in some people.", "claims.absolute"),
    ],
)  # fmt: skip
def test_their_near_neighbours_still_are(body: str, code: str):
    assert code in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["The slogan “Sin dolor, sin límites” appears on the clinic's home page.",
     "The Dutch call this approach “stamceltherapie”.",
     "Her column, “Leben mit Lupus”, runs in a patient magazine."],
)  # fmt: skip
def test_quoted_foreign_words_introduced_as_words_are_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


@pytest.mark.parametrize(
    "body",
    ["“I felt worse, not better,” one man told the BBC after his treatment abroad.",
     "“It was the biggest mistake of my life,” said a woman who developed an infection.",
     "My colleagues and I have treated people who came back from clinics with infections."],
)  # fmt: skip
def test_cautionary_accounts_and_clinicians_voices_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


def test_a_story_of_harm_that_ends_in_recovery_is_still_a_testimonial():
    body = "I had an infection at first, but after my second infusion I walked again."
    assert "testimonial.patient_story" in codes_in(body)


# --- More shapes: named stories offered, medicines by name, quotes, packages, controls ----


@pytest.mark.parametrize(
    ("body", "code", "kind"),
    [
        ("Read how Sunil beat his arthritis with stem cells.", "testimonial.patient_story",
         "benefits"),
        ("Since her cells, Pat hasn't needed a single steroid tablet.",
         "testimonial.patient_story", "benefits"),
        ("Your azathioprine can be stopped the day after the infusion.", "advice.unsafe",
         "outlook"),
        ("You won't need to tell your neurologist about the injections.", "advice.unsafe",
         "outlook"),
        ("The injections undo years of cartilage damage.", "claims.absolute", "benefits"),
        ("No more pain, no more pills, ever.", "claims.absolute", "benefits"),
        ("Get a personalised quote within 24 hours.", "ads.call_to_action", "outlook"),
        ("Why not book a video call with Dr Marino this week?", "ads.call_to_action",
         "outlook"),
        ("Prices rise on 1 March, so don't leave it too late.", "ads.urgency", "outlook"),
        ("Our all-in price covers flights, hotel and three infusions.", "ads.call_to_action",
         "outlook"),
    ],
)  # fmt: skip
def test_more_shapes_of_each_family_are_found(body: str, code: str, kind: str):
    assert code in codes_in(body, kind)


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Your steroids can be stopped only by your doctor.", "advice.unsafe"),
        ("No more than 2 in 100 people had pain after the harvest [@case1].", "claims.absolute"),
        ("Read how the NHS decides which treatments to fund.", "testimonial.patient_story"),
        ("In vitro, the cells grow fast [@mice1].", "language.foreign_phrase"),
    ],
)  # fmt: skip
def test_and_their_near_misses_are_not(body: str, code: str):
    assert code not in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "junk",
    ["Leave a Reply Cancel reply", "12 people like this", "Tagged lupus, stem cells",
     "Print Friendly, PDF & Email", "Show more"],
)  # fmt: skip
def test_comment_forms_likes_tags_and_expanders_are_junk(junk: str):
    body = f"Lupus can be mild [@scot2018].\n\n{junk}"
    assert "junk.page_furniture" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["Every product we use has been given the nod by the FDA.",
     "The injections were granted approval by the Ministry of Health last year."],
)  # fmt: skip
def test_a_regulators_assent_in_the_passive_is_a_regulatory_claim(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["The trial was given permission by the ethics committee [@scot2018].",
     "No product has been given approval by the FDA for lupus [@fda2021]."],
)  # fmt: skip
def test_an_ethics_committees_permission_or_a_denied_approval_is_not(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


@pytest.mark.parametrize("name", ["Dr Sample", "Prof. Example"])
def test_a_title_with_a_sample_name_is_a_placeholder(name: str):
    document = article_document(reviewer={"name": name, "credentials": "MD"})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize("name", ["Dr Anna Sample", "Amelia Sample-Jones"])
def test_a_real_name_that_is_also_a_word_is_not(name: str):
    document = article_document(reviewer={"name": name, "credentials": "MD"})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


# --- Unsafe advice in other voices: translated pages, transcripts, forums ------------------


@pytest.mark.parametrize(
    "body",
    ["My advice is: stop the steroids a week before.",
     "What I'd say is, forget your inhaler after the second session.",
     "On treatment days please skip your evening tablets.",
     "It is necessary to withdraw the steroids two days before the session.",
     "It is recommended for the patient to cancel the hormonal preparations.",
     "The patient can interrupt the blood thinners after the session.",
     "Patients who respond well can usually drop their steroids.",
     "Use less insulin on the day of the infusion.",
     "Take only half a tablet on the morning of the infusion.",
     "It would be best if you didn't mention the injections to your GP.",
     "We prefer that you do not tell your neurologist about the programme.",
     "Plenty of our patients ditched their painkillers, and you could do the same.",
     "You can stop your Copaxone once the cells take.",
     "Stop your steroids without talking to your doctor.",
     "You can stop your steroids without asking your doctor."],
)  # fmt: skip
def test_unsafe_advice_in_clefts_the_impersonal_and_by_example_is_an_error(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["Never stop your steroids without telling your doctor.",
     "Do not change your dose without informing your neurologist.",
     "It is important not to stop your medicine without telling your doctor.",
     "Some patients are told to stop warfarin before the operation; your surgeon will give "
     "you a plan.",
     "Please stop your medicines only when the transplant team tells you to.",
     "It is necessary for patients to stop warfarin before the biopsy, as the hospital will "
     "explain.",
     "It is not necessary to stop your medicine before the scan.",
     "What doctors recommend is, keep taking your tablets.",
     "Take half an hour to rest after each dose of your tablets.",
     "Use less salt while you are on steroids.",
     "Many people halved their steroids and had a flare, so do not do the same.",
     "Patients who feel better should still not stop their tablets."],
)  # fmt: skip
def test_advice_that_defers_to_the_prescriber_or_describes_is_not_unsafe(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


# --- Hollow risks: a harm named only as a kind, or made light of ----------------------------


@pytest.mark.parametrize(
    "body",
    ["Adverse events are rare and are carefully tracked by our doctors, who have treated "
     "patients for many years in a modern facility with its own laboratory [@scot2018].",
     "Our cells come from your own body. A few patients may have a slight fever, which "
     "settles by itself without any treatment, and our nurses stay with you all the time "
     "[@scot2018].",
     "Since your own cells are used, the risk of infection is kept to a minimum. Our "
     "hospital is accredited and our doctors are experts in their field, with long "
     "experience of the method [@scot2018]."],
)  # fmt: skip
def test_harms_named_only_as_a_kind_or_made_light_of_leave_risks_hollow(body: str):
    assert "risks.hollow" in risks_findings(body)


@pytest.mark.parametrize(
    "body",
    ["Serious adverse events, mostly infections, occurred in 3 of the 40 people treated, "
     "and one person died; how the cells behave after ten years has not been studied "
     "[@scot2018].",
     "Adverse events were reported in 12 of 50 people in the trial, most of them within "
     "the first month after the infusion, and two needed to go back into hospital "
     "[@scot2018].",
     "Mild pain at the injection site is common for a day or two. Rarely, an infection "
     "gets into the joint, which needs antibiotics and sometimes an operation to wash it "
     "out [@scot2018]."],
)  # fmt: skip
def test_serious_counted_or_further_harms_make_a_risks_section_concrete(body: str):
    assert "risks.hollow" not in risks_findings(body)


# --- Advertising in translated pages and the third person ----------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("Consult hotline 400-888-6666, a doctor answers online 24 hours.", "ads.contact_number"),
        ("Book by calling our number 800 123 4567.", "ads.contact_number"),
        ("For appointments, tel: 22 123 45 67.", "ads.contact_number"),
        ("The course of treatment costs from 450 000 rubles.", "ads.price"),
        ("A course costs from 12.000 TL, including the hotel.", "ads.price"),
        ("The clinic has treated over 12,000 patients from 70 countries.", "ads.patient_count"),
        ("To date, the centre has performed more than 8,500 procedures.", "ads.patient_count"),
        ("Reply to this email to hold one of the last remaining spring appointments.",
         "ads.urgency"),
        ("Only the final few dates for March are left.", "ads.urgency"),
    ],
)  # fmt: skip
def test_numbers_prices_counts_and_deadlines_in_other_forms_are_advertising(body: str, code: str):
    assert code in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        "A clinic's WhatsApp message told one reader to “stop the steroids”; specialists say "
        "this is dangerous.",
        "The hospital has treated more than 500 people with MS since 2000.",
        "The centre has carried out about 300 transplants since 2010.",
        "The study's reference number is 2019 1234 5678.",
        "The average salary in Poland is about 7 000 zł a month.",
        "At your last appointment, the nurse will remove the line.",
        "Your remaining appointments will be at your local hospital.",
        "The Lupus Foundation's nurse line (0800 123 4567) is free and open on weekdays.",
    ],
)
def test_an_apps_name_a_centres_record_and_a_charitys_line_are_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


# --- Regulatory claims in translated and spoken words; approvals taken back ----------------


@pytest.mark.parametrize(
    "body",
    ["The method has the permission of the Ministry of Health for treating MS.",
     "The therapy possesses the registration of the URPL as a medicine for the joints.",
     "The cells hold a permit from the national authority for children with autism.",
     "Oh, the FDA has looked at it and given us the thumbs up.",
     "The regulator has studied our data and given the clinic the all-clear.",
     "The injections were authorised last year by Health Canada for back pain.",
     "Our serum was approved in 2023 by the Ministry of Health for arthritis."],
)  # fmt: skip
def test_an_authoritys_permission_in_other_words_is_a_regulatory_claim(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["The clinic's licence was withdrawn by the Ministry of Health in 2022.",
     "The EMA refused registration of the cells as a medicine.",
     "The agency rejected the application for registration of the product as a medicine.",
     "The FDA revoked the clinic's registration in 2021.",
     "The trial received permission from the Health Research Authority in 2019.",
     "The study was approved in 2019 by the ethics committee of the university hospital.",
     "The clinic has not been given the all-clear by any regulator."],
)  # fmt: skip
def test_approvals_refused_or_withdrawn_and_research_permissions_are_not(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


# --- Testimonials: forum posts, stories sent in, vignettes, thanks to the team ------------


@pytest.mark.parametrize(
    "body",
    ["Posted by MSwarrior88: two years on, EDSS down from 6 to 3, no relapses.",
     "Posted by LupusMum: my daughter has had no flares since her infusion.",
     "Many readers have written to tell us the injections eased their arthritis.",
     "Families often message us to say their children are finally sleeping again.",
     "Patient K., 42 years, after the course notes the disappearance of pain.",
     "I had given up hope, but now I am on my feet again, thank you to all the team.",
     "Thanks to Dr Patel and the team, I am walking again."],
)  # fmt: skip
def test_posts_stories_sent_in_vignettes_and_thanks_are_testimonials(body: str):
    assert "testimonial.patient_story" in codes_in(body, "benefits")


@pytest.mark.parametrize(
    "body",
    ["Readers have told us their pain came back within months.",
     "Many patients have written to tell us they regret going abroad.",
     "Patient 12 returned to work after six months [@case1].",
     "Patient A. developed a fever after the second infusion.",
     "I thank the doctors who told me the truth: the injections did nothing."],
)  # fmt: skip
def test_cautionary_stories_and_cited_vignettes_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body, "benefits")


@pytest.mark.parametrize(
    "body",
    ["Readers often write to us about clinics that refused refunds.",
     "Many patients called us after the programme was aired."],
)  # fmt: skip
def test_what_others_did_with_the_seller_is_not_a_call_to_action(body: str):
    assert "ads.call_to_action" not in codes_in(body, "outlook")


# --- Placeholders: a label left before a blank; other languages' template names ------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("disclosures", {"funding": "None", "conflicts_of_interest": "COI: ???"}),
        ("disclosures", {"funding": "Funding: TBC", "conflicts_of_interest": "None declared"}),
        ("reviewer", {"name": "Reviewer:", "credentials": "MD"}),
        ("reviewer", {"name": "Имя Фамилия", "credentials": "MD"}),
        ("author", {"name": "Imię Nazwisko"}),
        ("author", {"name": "Voornaam Achternaam"}),
    ],
)
def test_a_label_before_a_blank_and_foreign_template_names_are_placeholders(
    field: str, value: dict[str, str]
):
    document = article_document(**{field: value})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("disclosures", {"funding": "Funding: the Lupus Trust", "conflicts_of_interest": "None"}),
        ("disclosures", {"funding": "None", "conflicts_of_interest": "COI: none declared"}),
        ("reviewer", {"name": "Adam Nowak", "credentials": "MD"}),
        ("author", {"name": "Ayşe Ad"}),
    ],
)
def test_a_labelled_answer_and_real_names_are_not(field: str, value: dict[str, str]):
    document = article_document(**{field: value})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


# --- Correct patient information that shares the families' words --------------------------


@pytest.mark.parametrize(
    ("body", "code", "kind"),
    [
        ("You may need to stop taking some medicines a few days before the bone marrow test.",
         "advice.unsafe", "outlook"),
        ("Some people can stop their medicines after years in remission, but only with their "
         "specialist's agreement.", "advice.unsafe", "outlook"),
        ("You will be taught how to inject yourself with the blood thinner before you leave "
         "hospital.", "advice.unsafe", "outlook"),
        ("Please tell us if anything on this page is unclear.", "ads.call_to_action", "outlook"),
        ("Hurry is the enemy of a good decision: take your time.", "ads.urgency", "outlook"),
        ("The FDA has approved cord blood products for some blood disorders, but not for MS.",
         "regulatory.unsupported_claim", "overview"),
        ("Remestemcel-L is approved only for children with graft-versus-host disease.",
         "regulatory.unsupported_claim", "overview"),
    ],
)  # fmt: skip
def test_patient_information_that_shares_the_families_words_passes(body: str, code: str, kind: str):
    assert code not in codes_in(body, kind)


@pytest.mark.parametrize(
    ("body", "code", "kind"),
    [
        ("You will need to stop your steroids the day you arrive.", "advice.unsafe", "outlook"),
        ("People can stop their medicines after the second infusion.", "advice.unsafe",
         "outlook"),
        ("Please tell us your dates and we will book your flights.", "ads.call_to_action",
         "outlook"),
        ("Hurry – only three places left!", "ads.urgency", "outlook"),
        ("Our stem cells are approved in Mexico, not in the US.",
         "regulatory.unsupported_claim", "overview"),
        ("The injection is approved for knees but not for hips, our doctors say.",
         "regulatory.unsupported_claim", "overview"),
    ],
)  # fmt: skip
def test_and_the_same_words_selling_or_instructing_are_still_flagged(
    body: str, code: str, kind: str
):
    assert code in codes_in(body, kind)


@pytest.mark.parametrize(
    "body",
    ["Adverse events were similar in the treated and placebo groups, and none was serious "
     "[@scot2018]. The trial was small and lasted a year, so rarer or later harms would not "
     "have been seen. Ask your doctor what is known about the product you are offered.",
     "Side effects are usually mild: a slight headache or feeling tired for a day "
     "[@scot2018]. Serious harms have not been reported in the small trials so far, but the "
     "trials were too short to rule them out. Tell your doctor about any new symptom."],
)  # fmt: skip
def test_harms_measured_against_placebo_or_not_yet_ruled_out_are_concrete(body: str):
    assert "risks.hollow" not in risks_findings(body)


@pytest.mark.parametrize(
    "body",
    ["Our department performs about 30 transplants a year for autoimmune diseases.",
     "We treat 40 patients with MS each year.",
     "Caption: Our nurses at the open day, answering questions about transplant."],
)  # fmt: skip
def test_a_centres_yearly_volume_and_a_caption_are_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


def test_a_running_total_of_patients_is_still_a_boast():
    assert "ads.patient_count" in codes_in("We have performed over 3,000 procedures since 2010.",
                                           "outlook")  # fmt: skip


@pytest.mark.parametrize(
    "body",
    ["Injecting yourself at home with products bought online can cause serious infections.",
     "Your care team can advise you about switching to another treatment.",
     "In some people, treatment can be stopped after several years without relapses.",
     "Take your tablets at the same time every day.",
     "Drink plenty of water every day while you are having chemotherapy."],
)  # fmt: skip
def test_risks_of_self_injection_advisers_adherence_and_water_are_not_unsafe_advice(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")
    assert "ads.call_to_action" not in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["Injecting yourself at home is quick and easy with our kit.",
     "Take your tablets twice a day instead of once.",
     "Drink the serum every morning before breakfast.",
     "Your medication can be stopped after the second infusion."],
)  # fmt: skip
def test_selling_self_injection_a_new_schedule_or_a_product_dose_is_unsafe(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["The clinic is registered with the local health department, but that does not mean its "
     "treatments have been tested.",
     "Approval by a regulator means a product's benefits have been judged to outweigh its "
     "risks.",
     "Ask the clinic which regulator has approved the product, and check the regulator's site.",
     "Ocrelizumab was approved in Europe in 2018 for relapsing and primary progressive MS.",
     "The therapy is licensed for use in clinical trials only.",
     "The hospital holds a licence from the Human Tissue Authority to store cells."],
)  # fmt: skip
def test_status_undercut_defined_asked_about_or_of_a_licensed_drug_is_not_a_claim(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    ["Our treatment is approved by the FDA, which means it is safe.",
     "Approval by the Ministry of Health proves our cells work.",
     "Our lab is licensed to store cells, and the Ministry approved our therapy for MS.",
     "The stem cell injections are licensed for knee arthritis."],
)  # fmt: skip
def test_a_clinics_own_approval_is_still_a_claim(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


def test_how_clinics_behave_described_is_not_advertising():
    body = "Clinics often offer discounts to people who pay upfront, which makes refunds harder."
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    "body",
    ["Patients sometimes tell us they feel better for a few weeks after an infusion, then the "
     "symptoms return.",
     "If you want to hear from patients, patient charities can put you in touch with people "
     "who have had the treatment."],
)  # fmt: skip
def test_symptoms_that_return_and_the_readers_wish_to_hear_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body, "benefits")


def test_an_offer_to_hear_from_the_clinics_patients_is_still_a_testimonial():
    assert "testimonial.patient_story" in codes_in("Hear from our patients in their own words.")


@pytest.mark.parametrize(
    "body",
    ["We recommend that patients come off their immunosuppressants a month before arrival.",
     "Our doctors advise you stop the steroids on arrival.",
     "Our protocol replaces your biologic injections entirely.",
     "The cells end the need for your insulin.",
     "It's better if your neurologist doesn't know about the trip."],
)  # fmt: skip
def test_a_sellers_recommendation_a_replacement_and_a_doctor_kept_unaware_are_unsafe(
    body: str,
):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["The transplant does not replace your usual medicines.",
     "We recommend that patients keep taking their usual medicines.",
     "Doctors recommend that patients stop smoking before the transplant.",
     "It is better if your neurologist knows about the trip.",
     "The new tablet replaces your old injections, as your neurologist will explain."],
)  # fmt: skip
def test_keeping_on_a_doctors_plan_and_a_doctor_told_are_safe(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


def test_the_readers_own_question_is_not_advice_unless_the_seller_says_yes():
    asked = "Q: Can I inject the cells at home? A: No. Anyone offering this is putting you at risk."
    assert "advice.unsafe" not in codes_in(asked, "outlook")
    answered = "Can I inject at home? Absolutely – we courier the syringes to you."
    assert "advice.unsafe" in codes_in(answered, "outlook")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("A man from Leeds says he paid £30,000 and saw no change; the clinic refused a refund.",
         "ads.price"),
        ("A man from Leeds says he paid £30,000 and saw no change; the clinic refused a refund.",
         "testimonial.patient_story"),
        ("Turkey's health ministry licenses hospitals, not individual treatments.",
         "regulatory.unsupported_claim"),
    ],
)  # fmt: skip
def test_a_price_paid_and_regretted_and_a_facility_licence_are_not_flagged(body: str, code: str):
    assert code not in codes_in(body, "benefits")


def test_a_price_from_an_amount_is_still_an_offer():
    assert "ads.price" in codes_in("Treatment from £3,000, flights included.", "outlook")


@pytest.mark.parametrize(
    "body",
    ["Take your blood pressure tablets at the same time each day, even if you feel well.",
     "If you have asthma, use your preventer inhaler every day, as your doctor or nurse has "
     "shown you.",
     "Use your reliever inhaler when you feel wheezy; if you need it more than three times a "
     "week, see your GP.",
     "Inject your insulin into your tummy or thigh, changing the spot each time, as your "
     "nurse showed you."],
)  # fmt: skip
def test_everyday_medicine_taken_as_shown_is_not_unsafe_advice(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    ["Take your stem cell capsules every day.", "Use the serum three times a week."],
)
def test_a_sellers_product_dosed_is_still_unsafe_advice(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    ("body", "code"),
    [("Slots for the spring programme are nearly gone.", "ads.urgency"),
     ("Secure yours today with a small deposit.", "ads.call_to_action")],
)  # fmt: skip
def test_places_nearly_gone_and_securing_yours_are_advertising(body: str, code: str):
    assert code in codes_in(body, "outlook")


def test_places_on_nhs_trials_filling_up_are_not():
    body = "Places on NHS trials are almost full, so ask your neurologist soon."
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    "body",
    ["Clinics in Panama and Mexico charge from $20,000 upwards, according to their websites "
     "[@case1].",
     "“Book now – only 3 places left!” read the email one reader received; it is a classic "
     "pressure tactic.",
     "To request this leaflet in large print, call 020 7123 4567.",
     "Our helpline is free and confidential: 0800 808 0123."],
)  # fmt: skip
def test_sourced_prices_quotes_framed_after_them_and_support_lines_are_not_ads(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


@pytest.mark.parametrize(
    "body",
    ["Our helpline is free: call now to book your free consultation on 0800 123 4567.",
     "Prices from $7,900 – book your place today [@case1].",
     "“Book now!” Don't miss out on our offer."],
)  # fmt: skip
def test_a_sellers_line_price_or_quote_is_still_advertising(body: str):
    assert {c for c in codes_in(body, "outlook") if c.startswith("ads.")}
