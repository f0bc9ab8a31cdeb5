"""The families that speak to the reader or stand for a person: unsafe advice, regulatory
claims, advertising, testimonials, hollow risks and placeholders, read by their form in
wordings of their own, and the negated, supposed, cited, framed and near-miss sentences
that are none. Sentences written for these tests."""

from __future__ import annotations

import pytest

from cms.checks import run_checks
from tests.checks.test_families import TODAY, codes_in, findings_in, risks_findings
from tests.factories import article_document

# --- Unsafe advice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        # a change of treatment by a verb and its particle
        "Hold off on your next etanercept injection until the cells settle.",
        "Wind down the prednisolone over a weekend once you are home.",
        "You can let your tacrolimus prescription run out after the second visit.",
        # the medicine as the subject of a passive
        "Your tablets can now be dropped once the infusions begin.",
        "There is no point carrying on with your inhaler after the treatment.",
        # the seller asks for it in so many words
        "Our doctors ask all patients to suspend their biologic during the stay.",
        # dosing by the time of day, self-administration as an imperative
        "Chew one of the cell lozenges before breakfast and at bedtime.",
        "Self-inject the contents of the vial every third day.",
        # keeping it from the doctor, by the setting or the specialty
        "Best not to mention the programme at your rheumatology check-up.",
        "No one at your surgery needs to know about the injections.",
        "Your cardiologist need not be involved.",
        "Patients are advised to discontinue all biologics before arrival.",
        "Once the cells take, your pills will no longer be necessary.",
        # idioms, examples and pronouns
        "Wave goodbye to your evening inhaler.",
        "Plenty of our patients quit their steroids after treatment, and so can you.",
        "Your tablets can go in the bin after the first week.",
        "Most people stop needing their painkillers, so you can throw yours out.",
        "Believe the results and let go of your medicines.",
        "Inhale the mist through the mask twice a day.",
        "Swallow the capsules on an empty stomach.",
        # machine translation, the third person, a clinic's endorsement
        "It is recommended to suspend the medicaments before the procedure.",
        "Is necessary to leave the corticoids one week before.",
        "The patient must stop the anticoagulant before to come.",
        "Most clients discontinue their biologics before arriving, which we recommend.",
        "You'll be able to ditch the inhaler within weeks.",
        "No more insulin injections after your transplant!",
        "Goodbye steroids, hello freedom.",
        "Carrying on with your tablets after the infusion is pointless.",
    ],
)
def test_unsafe_advice_read_by_its_form_is_an_error(body: str):
    assert "advice.unsafe" in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        "Do not hold off on any injection without talking to your rheumatologist.",
        "Your team will show you how to inject yourself before you go home.",
        "Whether people can safely wind down their steroids after a transplant is unknown.",
        "Self-injection of unlicensed products has caused infections [@fda2021].",
        "Patients asked whether they could stop their tablets were told to wait [@scot2018].",
        "If your rheumatologist agrees, the dose may be reduced slowly.",
        "In the trial, patients were asked to stop their steroids [@scot2018].",
        "Patients are advised to keep taking their tablets during treatment.",
        "You may be asked to stop some medicines before the transplant; your team will say which.",
        "Stop your steroids only after talking to your rheumatologist.",
        "Trust your team and keep taking your medications.",
        "You may be able to reduce your steroids after the transplant.",
        "Doctors who care for you can stop some medicines and restart others.",
        "The patient must not stop the anticoagulant without advice.",
        "It is essential to keep taking your tablets.",
        "No more than two people can visit at once.",
    ],
)
def test_negated_supposed_supervised_and_reported_advice_passes(body: str):
    assert "advice.unsafe" not in codes_in(body, "outlook")


# --- Regulatory claims ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "The MHRA has signed off on our cartilage injections.",
        "Our cell product passed EMA inspection and is safe for any joint.",
        "The injections were validated by the national health authority for asthma.",
        "We are an officially permitted regenerative clinic.",
        "The cells hold a government permit for use in autism.",
        "The product received marketing authorisation for knee pain.",
        "Because the study has an NCT number, you can trust the treatment.",
        "Our serum satisfies every EMA standard.",
        "The injections are recognised by the World Health Organization.",
        "Our laboratory works under a permit granted by the health ministry.",
        "We hold the necessary government licences to sell the cells.",
        "Every batch is MHRA-tested.",
        "The study sits on the official national register, which proves it is safe.",
        "The European Commission has given its blessing to the therapy.",
    ],
)
def test_a_regulators_assent_in_other_words_is_an_error(body: str):
    assert "regulatory.unsupported_claim" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "The MHRA has not signed off on any stem cell product for arthritis.",
        "The regulator has authorised no cell therapy for back pain.",
        "The product received marketing authorisation for one rare blood disorder [@fda2021].",
        "Being listed on a registry only means a study has been declared.",
        "The agency allowed the trial to go ahead in 2019.",
        "A registered trial has published its plan in advance; that is all registration means.",
        "The FDA reviewed the application and turned it down.",
        "Clinics selling these injections do not have to meet FDA standards for drugs.",
        "The World Health Organization has warned about unproven stem cell clinics.",
        "The trial is listed in a national register, as the law requires.",
    ],
)
def test_denied_cited_and_procedural_approvals_pass(body: str):
    assert "regulatory.unsupported_claim" not in codes_in(body, "overview")


# --- Advertising -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "code"),
    [
        # an imperative whose object or place is the seller, whatever the verb
        ("Drop into our London rooms for a chat about your options.", "ads.call_to_action"),
        ("Simply tell us which month suits you.", "ads.call_to_action"),
        ("Forward your scans to our coordinators for a same-day opinion.",
         "ads.call_to_action"),
        ("A nurse will phone you back within the hour.", "ads.call_to_action"),
        ("Note your interest on the form and wait for our call.", "ads.call_to_action"),
        # offers and urgency in other words
        ("Enjoy a complimentary first review of your case.", "ads.discount"),
        ("Spread the cost with easy instalments.", "ads.discount"),
        ("Final remaining places for the autumn intake.", "ads.urgency"),
        ("Our fees are frozen for every reservation made this month.", "ads.urgency"),
        ("We have welcomed over 9,000 patients from abroad.", "ads.patient_count"),
        ("More than 3,000 knees treated and counting.", "ads.patient_count"),
        ("The full programme is just $3,999 with flights included.", "ads.price"),
        ("Get started today with our online form.", "ads.call_to_action"),
        ("Our advisers are standing by.", "ads.call_to_action"),
        ("Bookings for 2027 are now open.", "ads.call_to_action"),
        ("Consultations available within 24 hours.", "ads.call_to_action"),
        ("Ask for our latest prices.", "ads.call_to_action"),
        ("Why wait? Spring dates are going fast.", "ads.urgency"),
    ],
)  # fmt: skip
def test_advertising_read_by_its_form_is_an_error(body: str, code: str):
    assert code in codes_in(body, "outlook")


@pytest.mark.parametrize(
    "body",
    [
        # a clinic's call to action in quotation marks is still one
        "“Reserve your consultation today!”",
        "“Your recovery starts here – book your assessment now,” says our lead surgeon.",
        "Our coordinators say you should book your consultation this week.",
    ],
)
def test_a_quoted_call_to_action_that_nobody_frames_is_advertising(body: str):
    assert codes_in(body, "outlook") & {"ads.call_to_action", "ads.urgency"}


@pytest.mark.parametrize(
    "body",
    [
        # the same quotation, framed as someone's copy and judged by the editor
        "A clinic's advert urges readers to “reserve your consultation today”, a pressure "
        "tactic regulators warn against.",
        "Slogans such as “book your assessment now” are designed to rush a decision.",
        "Discounts for deciding quickly are a common sales tactic [@qiu2017].",
        "Join a local support group if you want to meet others who have had a transplant.",
        "In the 50-patient US study, half of the patients were free of disease [@scot2018].",
        "COFEPRIS warned our readers' clinics in 2020.",
        "Tell us what you think of this page.",
        "Write down any questions you want to ask us.",
        "Email our editorial team if you spot an error.",
        "People who come to us often say they feel better.",
        "Researchers are standing by their findings.",
        "Places on the trial are now open to people aged 18 to 50.",
        "Call 999 if you have chest pain after the procedure.",
    ],
)
def test_framed_quotations_and_near_misses_are_not_advertising(body: str):
    assert not {c for c in codes_in(body, "outlook") if c.startswith("ads.")}


# --- Testimonials --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Speaking to us from Leeds, Aoife said the stiffness in her knees vanished in a week.",
        "Bartek, who has MS, credits the transplant with his return to the office.",
        "Past clients describe sleeping through the night for the first time in years.",
        "Our inbox is full of letters from parents whose children sleep better now.",
        "Dozens of families have written to thank us.",
        "The video shows Ines taking her first steps in a decade.",
        "A year on, Malik no longer needs his stick.",
    ],
)
def test_patient_stories_in_other_words_are_testimonials(body: str):
    assert "testimonial.patient_story" in codes_in(body)


def test_a_personal_narrative_opening_for_me_is_a_warning_outside_the_evidence():
    [finding] = [f for f in findings_in("For me, the hardest part was the waiting.", "outlook")
                 if f.code == "testimonial.patient_story"]  # fmt: skip
    assert finding.severity.value == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "Clinics often share patient stories online; these are not evidence of benefit.",
        "Past participants described less fatigue in interviews [@case1].",
        "Gemma cells are a term used in botany, not medicine.",
        "When I asked the clinic for its results, it sent me a brochure.",
        "Back to the question of cost: Medicare rarely pays.",
        "In Sweden, most people treated were free of disease at five years [@scot2018].",
        "Their families say the clinics gave them false hope.",
        "Back at home, most people need several months to recover their energy.",
        "Karolinska doctors found that seven in ten were free of new symptoms.",
    ],
)
def test_warnings_about_stories_and_cited_voices_are_not_testimonials(body: str):
    assert "testimonial.patient_story" not in codes_in(body)


# --- Hollow risks and placeholders ----------------------------------------------------------


def test_complications_named_only_as_a_possibility_are_hollow():
    body = (
        "Complications can occur with any procedure, as they can with any medical care. Our "
        "team supervises every treatment and will talk you through the process in detail "
        "before you agree to anything at all [@scot2018]."
    )
    assert "risks.hollow" in risks_findings(body)
    concrete = (
        "Serious complications included sepsis in 3 of 40 people and one death from heart "
        "failure; most people also had fever and nausea in the first days after the "
        "infusion, which passed [@scot2018]."
    )
    assert "risks.hollow" not in risks_findings(concrete)
    counted = (
        "Complications occurred in 12 of the 50 people treated, and the trial team described "
        "each of them in an appendix to the paper, which anyone can read online free of "
        "charge [@scot2018]."
    )
    assert "risks.hollow" not in risks_findings(counted)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("author", {"name": "Erika Musterfrau"}),
        ("author", {"name": "Prénom Nom"}),
        ("author", {"name": "editor42"}),
        ("reviewer", {"name": "Ada Lind", "credentials": "Degrees go here"}),
        ("disclosures", {"funding": "Author to supply", "conflicts_of_interest": "None"}),
        ("disclosures", {"funding": "None", "conflicts_of_interest": "Yet to be declared"}),
        ("disclosures", {"funding": "Add before publication", "conflicts_of_interest": "None"}),
        ("author", {"name": "Fred Bloggs"}),
        ("author", {"name": "demo account"}),
        ("disclosures", {"funding": "Ask Priya", "conflicts_of_interest": "None"}),
        ("disclosures", {"funding": "None", "conflicts_of_interest": "Not confirmed yet"}),
        ("disclosures", {"funding": "Still to be obtained", "conflicts_of_interest": "None"}),
        ("disclosures", {"funding": "Unknown at present", "conflicts_of_interest": "None"}),
    ],
)
def test_instructions_usernames_and_foreign_template_names_are_placeholders(
    field: str, value: dict[str, str]
):
    document = article_document(**{field: value})
    assert "people.placeholder" in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    "name", ["Max Hofmann", "Nombela García", "Dr Otherton", "Anna Pending-Smith", "Checkley Ng"]
)
def test_real_names_near_template_words_are_not_placeholders(name: str):
    document = article_document(reviewer={"name": name, "credentials": "MD"})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}


@pytest.mark.parametrize(
    "funding",
    ["To be funded by the NIHR from 2027", "Funded by the Wellcome Trust", "None known"],
)
def test_real_disclosures_are_not_placeholders(funding: str):
    document = article_document(disclosures={"funding": funding, "conflicts_of_interest": "None"})
    assert "people.placeholder" not in {f.code for f in run_checks(document, today=TODAY)}
