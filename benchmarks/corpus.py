"""A generated corpus of valid articles in the product's format, for benchmarks.

Each article is about one treatment for one condition, so words have the skewed
spread of a real health site: a treatment's name is in about 2% of titles, a
condition in about 1.5%, and general words are in most bodies. Generation is
deterministic (seeded), so runs compare.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from typing import Any

CONDITIONS = [
    "lupus", "rheumatoid-arthritis", "multiple-sclerosis", "crohns-disease", "ulcerative-colitis",
    "psoriasis", "psoriatic-arthritis", "type-1-diabetes", "type-2-diabetes", "coeliac-disease",
    "systemic-sclerosis", "sjogrens-syndrome", "vasculitis", "myasthenia-gravis", "asthma",
    "copd", "eczema", "migraine", "epilepsy", "parkinsons-disease", "alzheimers-disease",
    "osteoarthritis", "osteoporosis", "gout", "hypertension", "heart-failure",
    "atrial-fibrillation", "stroke", "anaemia", "sickle-cell-disease", "thalassaemia",
    "haemophilia", "leukaemia",
    "lymphoma", "myeloma", "breast-cancer", "prostate-cancer", "bowel-cancer", "lung-cancer",
    "melanoma", "kidney-disease", "liver-cirrhosis", "hepatitis-c", "hiv", "tuberculosis",
    "depression", "anxiety", "bipolar-disorder", "schizophrenia", "insomnia", "obesity",
    "endometriosis", "polycystic-ovary-syndrome", "thyroiditis", "graves-disease",
    "addisons-disease", "fibromyalgia", "chronic-fatigue-syndrome", "sarcoidosis", "spondylitis",
]  # fmt: skip
TREATMENTS = [
    "stem cell transplantation", "methotrexate", "physiotherapy", "cognitive behavioural therapy",
    "biological medicines", "corticosteroids", "hydroxychloroquine", "rituximab", "insulin pumps",
    "bariatric surgery", "acupuncture", "exercise programmes", "dietary changes", "vitamin D",
    "omega-3 supplements", "antidepressants", "beta blockers", "statins", "anticoagulants",
    "radiotherapy", "chemotherapy", "immunotherapy", "gene therapy", "plasma exchange",
    "intravenous immunoglobulin", "deep brain stimulation", "joint replacement", "dialysis",
    "liver transplantation", "kidney transplantation", "mindfulness", "yoga", "massage",
    "homeopathy", "herbal remedies", "probiotics", "fasting diets", "hyperbaric oxygen",
    "cannabis-based medicines", "low-dose naltrexone", "JAK inhibitors", "TNF inhibitors",
    "interferon", "lithium", "antipsychotics", "melatonin", "sleep hygiene",
    "weight-loss injections", "speech therapy", "occupational therapy",
]  # fmt: skip
ANGLES = [
    "what the evidence shows",
    "benefits and risks",
    "a guide for patients",
    "questions to ask",
    "how it works",
    "what to expect",
    "the research so far",
    "who it may help",
]
GENERAL = [
    "people",
    "doctors",
    "study",
    "studies",
    "trial",
    "trials",
    "evidence",
    "treatment",
    "treatments",
    "risk",
    "risks",
    "benefit",
    "benefits",
    "symptoms",
    "disease",
    "patients",
    "research",
    "results",
    "effect",
    "effects",
    "dose",
    "doses",
    "months",
    "years",
    "weeks",
    "side",
    "infection",
    "infections",
    "immune",
    "system",
    "blood",
    "cells",
    "response",
    "hospital",
    "care",
    "specialist",
    "guidelines",
    "quality",
    "life",
    "pain",
    "fatigue",
    "relapse",
    "remission",
    "long",
    "term",
    "short",
    "follow",
    "group",
    "groups",
    "placebo",
    "randomised",
    "controlled",
    "cohort",
    "review",
    "systematic",
    "certainty",
    "low",
    "moderate",
    "high",
    "harm",
    "harms",
    "serious",
    "common",
    "rare",
    "medicine",
    "medicines",
    "approved",
    "licensed",
    "clinic",
    "clinics",
    "cost",
    "insurance",
    "monitoring",
    "tests",
    "kidney",
    "liver",
    "heart",
    "lungs",
    "skin",
    "joints",
    "brain",
    "nerves",
    "bowel",
    "stomach",
    "sleep",
    "mood",
    "weight",
    "diet",
    "exercise",
    "smoking",
    "alcohol",
    "pregnancy",
    "children",
    "older",
    "adults",
    "women",
    "men",
    "family",
    "history",
    "genes",
    "inflammation",
    "damage",
    "flare",
    "flares",
    "control",
    "stable",
    "worse",
    "better",
    "improved",
    "reduced",
    "increased",
    "lower",
    "higher",
    "measured",
    "reported",
    "found",
    "showed",
    "suggested",
    "uncertain",
    "unclear",
    "limited",
    "small",
    "large",
    "multicentre",
    "international",
    "national",
    "registry",
    "data",
    "outcomes",
    "survival",
    "mortality",
    "admission",
    "emergency",
    "chronic",
    "acute",
    "severe",
    "mild",
    "early",
    "late",
    "stage",
    "progression",
]
TEMPLATES = [
    "{T} is used for some people with {C} when {g1} {g2} has not helped [@{r}].",
    "In a {g1} study of {n} people with {C}, {T} was linked to {g2} {g3} [@{r}].",
    "The {g1} of {T} for {C} is {g2}, and {g3} {g4} remain uncertain [@{r}].",
    "Doctors weigh the {g1} and {g2} of {T} against {g3} {g4} for each person.",
    "{n} of 100 people reported {g1} {g2} after {T}, according to one {g3} [@{r}].",
    "People with {C} should ask about {g1}, {g2} and {g3} before starting {T}.",
    "Most {g1} of {T} come from {g2} {g3} without a comparison group [@{r}].",
    "{C} can affect the {g1}, the {g2} and the {g3}, and often changes over {g4}.",
    "Serious {g1} such as {g2} {g3} are rare but have been reported with {T} [@{r}].",
]
# Share of articles that mention "transplant" in passing, in a body only.
RARE_SENTENCE_SHARE = 0.05
SECTION_HEADINGS = {
    "overview": "What {T} for {C} is",
    "mechanism": "How {T} works",
    "evidence": "What the studies of {T} show",
    "benefits": "Possible benefits",
    "risks": "Risks and side effects of {T}",
    "outlook": "What this means for people with {C}",
}


def _condition_name(slug: str) -> str:
    return slug.replace("-", " ")


def _body(rng: random.Random, treatment: str, condition: str, sentences: int) -> str:
    lines = []
    for _ in range(sentences):
        template = rng.choice(TEMPLATES)
        words = rng.sample(GENERAL, 4)
        lines.append(
            template.format(
                T=treatment,
                C=condition,
                n=rng.randint(3, 400),
                r=rng.choice(("ref1", "ref2")),
                g1=words[0],
                g2=words[1],
                g3=words[2],
                g4=words[3],
            )
        )
    text = " ".join(lines)
    return text[0].upper() + text[1:]


def article(number: int, *, seed: int = 2026) -> dict[str, Any]:
    """Article ``number`` of the corpus, as an article file holds it."""
    rng = random.Random(seed * 1_000_003 + number)
    treatment = rng.choice(TREATMENTS)
    condition_slug = rng.choice(CONDITIONS)
    condition = _condition_name(condition_slug)
    extra = rng.sample(CONDITIONS, rng.randint(0, 2))
    title = f"{treatment[0].upper()}{treatment[1:]} for {condition}: {rng.choice(ANGLES)}"
    sections = []
    for section_type, heading in SECTION_HEADINGS.items():
        section: dict[str, Any] = {
            "type": section_type,
            "heading": heading.format(T=treatment, C=condition),
            "body": "\n\n".join(
                _body(rng, treatment, condition, rng.randint(3, 6)) for _ in range(2)
            ),
        }
        if section_type == "overview" and rng.random() < RARE_SENTENCE_SHARE:
            section["body"] += f"\n\nUnlike a transplant, {treatment} does not replace any cells."
        if section_type == "evidence":
            section["evidence_certainty"] = rng.choice(("low", "very-low", "moderate"))
        sections.append(section)
    return {
        "slug": f"{treatment.replace(' ', '-').lower()}-{condition_slug}-{number}",
        "locale": "en",
        "title": title[:200],
        "summary": (
            f"What is known about {treatment} for {condition}: who might benefit, what the "
            f"studies found, and the risks to discuss with a specialist."
        ),
        "conditions": list(dict.fromkeys([condition_slug, *extra])),
        "author": {"name": "Health CMS Editorial Team"},
        "reviewer": {"name": "Benchmark Reviewer", "credentials": "MD"},
        "last_reviewed": "2026-11-01",
        "next_review": "2027-11-01",
        "disclosures": {"funding": "None", "conflicts_of_interest": "None declared"},
        "sections": sections,
        "references": [
            {
                "id": ref_id,
                "type": "article-journal",
                "title": f"A study of {treatment} in {condition} ({ref_id})",
                "authors": [{"family": "Author", "given": "A"}],
                "container_title": "Journal of Generated Evidence",
                "year": 2000 + number % 25,
                "doi": f"10.5555/bench.{number}.{ref_id}",
                "study_design": "cohort",
            }
            for ref_id in ("ref1", "ref2")
        ],
    }


def articles(count: int, *, seed: int = 2026) -> Iterator[dict[str, Any]]:
    for number in range(count):
        yield article(number, seed=seed)
