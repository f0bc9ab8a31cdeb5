"""The claims, page furniture and foreign debris of other voices: forum posts, press releases,
headlines, social captions, newsletters, transcripts, clinic FAQs, machine translation and
careless copy; and the near misses each reading must leave alone. Sentences written for
these tests."""

from __future__ import annotations

import pytest

from tests.checks.test_families import codes_in, severity_of

# --- Page furniture of players, posts, forums, newsletters and press releases -------------


@pytest.mark.parametrize(
    "junk",
    ["▶ 3:21", "1:02:33 / 1:15:00", "Smash that like button and subscribe!",
     "Tap the bell icon to get notified", "A video shared by Dr Lee (@drlee)", "👍 34  💬 5",
     "Member since 2017 · 340 posts", "Location: Leeds · Posts: 88", "RE: side effects",
     "Having trouble viewing this email? Click here", "Send this article to a friend",
     "Manage your email preferences", "###", "Posted at 9.15am",
     "Last updated 10:05 GMT on 4 June 2021", "Displaying items 1-5 of 20",
     "Listen on Apple Podcasts", "Select language ▼"],
)  # fmt: skip
def test_players_posts_forums_newsletters_and_press_releases_leave_junk(junk: str):
    assert "junk.page_furniture" in codes_in(
        f"Lupus can be mild [@scot2018].\n\n{junk}", "overview"
    )


@pytest.mark.parametrize(
    "body",
    [
        "Press the call bell if you need a nurse.",
        "Ring the bell at reception when you arrive.",
        "Forward your discharge letter to your GP.",
        "Re-read the consent form before you sign it.",
        "You can read it online at the NHS website.",
        "Your appointment is at 14:30.",
        "Update your GP about any new medicines.",
        "Members of the public took part in the survey.",
        "Her video diary has been viewed 40,000 times, which worries her doctors.",
        "Apple cider vinegar does not treat arthritis.",
    ],
)
def test_prose_about_bells_letters_times_and_updates_is_not_junk(body: str):
    assert "junk.page_furniture" not in codes_in(body, "overview")


# --- Relative effects in shorthand, signs and translated shapes ---------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Hospital admissions up nearly 40 per cent after the infusion [@scot2018].",
        "Treated patients were 10× more likely to stay in remission [@scot2018].",
        "Relapses were a 4x lower risk in the cell group [@scot2018].",
        "Flares became less frequent in 3 times after the course [@case1].",
        "The injection reduces in a 30% the risk of a flare [@scot2018].",
        "The drop in admissions was 35 per cent [@scot2018].",
        "Increase in survival: 20% [@qiu2017].",
        "The chance of remission roughly tripled [@scot2018].",
        "Flares fell to under a third of their former level [@scot2018].",
        "What the study found was that relapses halved [@scot2018].",
        "Infections rose 2 fold in the first year [@qiu2017].",
        "The infusion cut relapses by half, the researchers said [@scot2018].",
    ],
)
def test_relative_effects_in_shorthand_signs_and_translated_shapes_want_numbers(body: str):
    assert severity_of("claims.relative_only", body, "evidence") == "warning"


@pytest.mark.parametrize(
    "body",
    [
        "Up to 60% of patients have a fever after the harvest [@scot2018].",  # a share
        "Take the tablets 3x a day with food, as your doctor prescribed.",
        "The clinic's prices went up 2 times in one year.",
        "The cells expanded 50 fold in the lab before they were frozen [@mice1].",
        "Shares in the company were down 60% after the trial failed.",
        "Relapses fell from 6 to 3 a year on average, a halving [@scot2018].",
        "Some clinics say the cells halve relapses; no trial has tested it.",
    ],
)
def test_shares_doses_prices_and_cell_growth_are_not_relative_effects(body: str):
    assert "claims.relative_only" not in codes_in(body, "evidence")


# --- Cures in idioms, compounds and translations; certainty and spotless records ---------


@pytest.mark.parametrize(
    "body",
    [
        "Our new cell product sends psoriasis packing.",
        "The jab shows MS the door.",
        "These injections kick lupus to the kerb.",
        "One infusion lays Crohn's disease to rest.",
        "See the back of your eczema with a single session.",
        "After two sessions the arthritis is done and your life is back.",
        "With our cells, the disease is beaten.",
        "Patients enjoy relief that will never fade.",
        "An arthritis-reversing injection, now in London.",
        "Patients fully recover from lupus within months.",
        "Most patients make a full recovery from MS after the transplant.",
        "The treatment achieves the complete curation of the arthritis.",
        "This therapy treats the diabetes by the roots.",
        "It is a fail-safe route to remission.",
        "Our clinic has a spotless track record with the injections.",
        "Zero per cent mortality in ten years of treatment.",
        "There is no risk of relapse after the transplant.",
        "Complications are ruled out with our method.",
        "This is the very most effective option for psoriasis.",
        "Stem cell therapy is the gold standard treatment for knee arthritis.",
        "The pancreas produces its own insulin for life after the transplant.",
        "No relapse for the whole life after one course.",
    ],
)
def test_cures_in_idioms_compounds_and_translations_are_errors(body: str):
    assert severity_of("claims.absolute", body) == "error"


@pytest.mark.parametrize(
    "body",
    [
        "No jab has sent arthritis packing, whatever the adverts say.",  # negated
        "Put your child to bed early the night before the infusion.",
        "See the back of the leaflet for the clinic's address.",
        "The treatment is done in two stages.",
        "HSCT for the disease is done only at accredited centres [@scot2018].",
        "The infection cleared completely with antibiotics [@case1].",  # a passing harm
        "Blood counts recovered fully within a month [@scot2018].",
        "Disease-modifying drugs slow MS [@qiu2017].",
        "Randomised trials are the gold standard for testing a treatment.",
        "Use a foolproof system to remember your tablets, such as a pill box.",
        "The stem cells are taken from the root of a baby tooth [@mice1].",
        "Anyone who says the cells cure MS is lying.",
        "Promises of a permanent cure are nonsense.",
        "Most people take drugs for the rest of their days after a donor transplant.",
        "The clinic's safety record is far from unblemished.",
        "Be wary of any clinic that claims a 0% complication rate.",
    ],
)
def test_denied_passing_and_procedural_uses_are_not_absolute_claims(body: str):
    assert "claims.absolute" not in codes_in(body)


# --- Comparisons in idioms, calques, careless spelling and questions answered -------------


@pytest.mark.parametrize(
    "body",
    [
        "The injection is streets ahead of steroid tablets.",
        "The infusion stands head and shoulders above the biologics.",
        "Cells run rings around biologics for joint pain.",
        "Biologics can only dream of results like these injections.",
        "The therapy is more potent from conventional drugs.",
        "The jab is safer then surgery.",
        "Relative to methotrexate, our cells work faster.",
        "Why keep paying for pills when one infusion lasts years?",
        "The infusion trounces methotrexate.",
        "The new protocol edges out cyclophosphamide.",
        "Infusions vs tablets? No contest.",
        "Is the jab better than surgery? Absolutely, and there is no scar.",
        "Unlike from hormones, the cells do not damage the bones.",
    ],
)
def test_comparisons_in_idioms_calques_and_answered_questions_need_a_trial(body: str):
    assert "claims.comparative_unsupported" in codes_in(body)


@pytest.mark.parametrize(
    "body",
    [
        "Recovery is slower at first, then a physiotherapy programme helps you build strength.",
        "Ask questions well ahead of the treatment.",
        "Travel costs can dwarf the price of the injections.",
        "Is it better than surgery? Nobody knows yet.",
        "Why do some people relapse when others do not?",
        "Take the larger dose first then the smaller one.",
        "No trial has found the infusion head and shoulders above biologics.",
    ],
)
def test_sequences_timings_costs_and_open_questions_are_not_comparisons(body: str):
    assert "claims.comparative_unsupported" not in codes_in(body)


# --- Appeals to authority in the press's, the trade's and translators' words --------------


@pytest.mark.parametrize(
    "body",
    [
        "Top medics swear by the injections.",
        "Boffins have cracked it: the cells calm inflammation.",
        "Practitioners concur that the jab is safe.",
        "Supported by decades of laboratory research, the method works.",
        "The science's clear: stem cells work.",
        "The jury is in: the cells repair cartilage.",
        "Specialists rave about the new protocol.",
        "As confirms the experience of many doctors, the therapy helps.",
        "In the view of most experts, the injections are safe.",
        "All the neurologists I know privately admit it works.",
        "Our method is founded on a mountain of clinical data.",
    ],
)
def test_appeals_in_slang_idioms_and_translated_word_order_are_vague(body: str):
    assert severity_of("claims.vague_citation", body, "evidence") == "error"


@pytest.mark.parametrize(
    "body",
    [
        "In the opinion of my own specialist, I should wait.",
        "The jury is still out on whether the cells help.",
        "The verdict will not be in until the trials report.",
        "Medics are divided over whether the injections help.",
        "Boffins have not cracked it yet.",
        "The advice is grounded in what patients told us.",
        "In the words of one patient, the clinic felt like a hotel.",
    ],
)
def test_own_clinicians_open_verdicts_and_denials_are_not_vague(body: str):
    assert "claims.vague_citation" not in codes_in(body, "evidence")


# --- Debris in parentheses; names and terms that open or gloss a sentence -----------------


def test_a_translators_note_in_parentheses_is_debris():
    body = "The infusion takes two hours (Traducido automáticamente)."
    assert "language.foreign_phrase" in codes_in(body, "overview")


@pytest.mark.parametrize(
    "body",
    [
        "Szpital Uniwersytecki w Krakowie is one of the centres in the trial [@scot2018].",
        "María José Fernández, a nurse in Sevilla, ran the patient survey.",
        "The Chinese term 干细胞 (gàn xìbāo) simply means “stem cell”.",
        "Hôpital Pitié-Salpêtrière in Paris ran the trial [@scot2018].",
    ],
)
def test_names_opening_a_sentence_and_glossed_terms_are_not_debris(body: str):
    assert not {c for c in codes_in(body, "overview") if c.startswith("language.")}


def test_a_set_phrase_closed_by_its_comma_is_still_debris():
    assert "language.foreign_phrase" in codes_in(
        "Zum Beispiel, transplants reset immunity in some people.", "overview"
    )


# --- A return denied for ever, a rival made to look hard, authorities from two places -----


@pytest.mark.parametrize(
    ("body", "code", "kind"),
    [
        ("The disease is finished from its root and does not come again.", "claims.absolute",
         "benefits"),
        ("After the transplant, lupus will not come back.", "claims.absolute", "benefits"),
        ("Next to a course of steroid tablets, the injection is a walk in the park.",
         "claims.comparative_unsupported", "benefits"),
        ("Unlike surgery, the injection is painless.", "claims.comparative_unsupported",
         "benefits"),
        ("Researchers in Germany and Japan have confirmed the benefit.", "claims.vague_citation",
         "evidence"),
        ("Doctors at Harvard and Yale agree the cells are safe.", "claims.vague_citation",
         "evidence"),
    ],
)  # fmt: skip
def test_a_return_denied_an_easy_contrast_and_two_places_make_claims(
    body: str, code: str, kind: str
):
    assert code in codes_in(body, kind)


@pytest.mark.parametrize(
    ("body", "code", "kind"),
    [
        ("In most people the disease does not come back for years [@scot2018].",
         "claims.absolute", "benefits"),
        ("The disease did not come back in 7 of 10 patients [@scot2018].", "claims.absolute",
         "benefits"),
        ("The nurse does not come back until Monday.", "claims.absolute", "benefits"),
        ("Next to the hospital there is a park.", "claims.comparative_unsupported", "benefits"),
        ("Researchers in Germany and Japan are testing whether the cells help.",
         "claims.vague_citation", "evidence"),
    ],
)  # fmt: skip
def test_a_bounded_return_a_place_and_a_plan_make_none(body: str, code: str, kind: str):
    assert code not in codes_in(body, kind)
