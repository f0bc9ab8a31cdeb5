"""Generated articles of real size (about 2,000 words) for benchmarks.

Each article is assembled from plain, sourced sentences written for the benchmarks,
varied by condition, numbers and study, so that no two articles are alike and every
one passes the content checks (the import benchmark publishes them all).
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import yaml

CONDITIONS = [
    ("lupus", "lupus", "systemic lupus erythematosus"),
    ("multiple-sclerosis", "MS", "multiple sclerosis"),
    ("systemic-sclerosis", "scleroderma", "systemic sclerosis"),
    ("crohns-disease", "Crohn's disease", "Crohn's disease"),
    ("rheumatoid-arthritis", "rheumatoid arthritis", "rheumatoid arthritis"),
    ("type-1-diabetes", "type 1 diabetes", "type 1 diabetes"),
]
TREATMENTS = ["autologous stem cell transplantation", "mesenchymal stromal cell infusion",
              "haematopoietic stem cell transplantation", "cord blood cell infusion"]  # fmt: skip
PLACES = ["Sweden", "Brazil", "Canada", "Italy", "Australia", "Germany", "Japan", "Spain",
          "the Netherlands", "Poland", "Norway", "Korea"]  # fmt: skip

OVERVIEW = [
    "{name} is a long-term condition in which the immune system attacks the body's own tissue.",
    "Symptoms of {short} often come and go, with flares followed by quieter periods.",
    "Standard treatment for {short} includes medicines that calm the immune system.",
    "These medicines control the disease for many people, although side effects are common.",
    "For a small group of people the disease stays active despite several treatments.",
    "{Treatment} has been studied for this group in specialist centres.",
    "The treatment is experimental for {short} and is offered mainly within clinical trials.",
    "People considering it usually have severe disease that has not responded to drugs.",
    "In {place}, a registry has followed treated people for more than {years} years [@registry].",
    "This article explains what the treatment involves and what the studies report.",
]
MECHANISM = [
    "Cells are collected from the blood or bone marrow and stored while the person is prepared.",
    "Chemotherapy is then given to remove much of the existing immune system [@trial].",
    "The stored cells are returned through a drip into a vein.",
    "Over the following months a new immune system develops from the returned cells.",
    "The aim is an immune system that no longer attacks the body in the same way.",
    "How long any change lasts differs from person to person [@registry].",
    "The whole process takes several weeks in hospital, followed by months of recovery.",
    "During recovery people are vulnerable to infections and need close follow-up.",
    "Doctors in {place} describe the preparation as the most demanding part of the process.",
    "Blood counts usually recover within two to three weeks of the infusion [@series].",
]
EVIDENCE = [
    "In the largest trial, {n} people with severe {short} were randomly assigned to treatment or"
    " drugs [@trial].",
    "After {years} years, {a} of {n} people in the transplant group were alive without disease"
    " progression, compared with {b} of {n} in the drug group [@trial].",
    "A smaller study of {m} people in {place} had no comparison group [@series].",
    "In that study, {c} of {m} people had no new disease activity after {years} years [@series].",
    "Studies without a comparison group cannot show that the treatment caused the improvement"
    " [@series].",
    "Registry data from {place} describe {r} treated people, with follow-up of up to {years}"
    " years [@registry].",
    "Overall, the certainty of the evidence is low for most outcomes [@trial; @series].",
    "Longer follow-up is needed to know how many people stay well [@registry].",
    "The trial excluded people with heart or kidney failure [@trial].",
    "Most participants were between 18 and {age} years old [@trial].",
]
BENEFITS = [
    "Some people in the trial needed fewer medicines during follow-up [@trial].",
    "Skin thickness and lung function improved for some participants [@trial].",
    "About {a} in 100 people reported better day-to-day function after {years} years [@trial].",
    "People who responded often described less fatigue, although this was not measured in all"
    " studies [@series].",
    "These observations come from a small number of centres [@registry].",
    "It is uncertain how long the improvements last [@registry].",
]
RISKS = [
    "The treatment itself can cause death: about {d} in 100 people died from treatment-related"
    " complications in the trial [@trial].",
    "Serious infections are common in the weeks without a working immune system [@trial].",
    "The chemotherapy can cause infertility and early menopause [@registry].",
    "Some people develop a second autoimmune disease, such as thyroid disease, after treatment"
    " [@registry].",
    "Fever, nausea and hair loss are common in the first weeks [@series].",
    "The long-term risks, including cancer, are not known [@registry].",
    "Relapse is possible, and {e} of {m} people in one study relapsed within {years} years"
    " [@series].",
]
OUTLOOK = [
    "Larger trials with longer follow-up are under way [@registry].",
    "Until they report, the treatment should only be given within a registered clinical trial.",
    "If you are interested, talk to your specialist about whether a trial would suit you.",
    "Ask any provider what the published evidence is and who oversees the treatment.",
    "Keep taking your prescribed treatment while you look into options.",
]


def _fill(template: str, values: dict[str, Any]) -> str:
    return template.format(**values)


def _paragraphs(rng: random.Random, pool: list[str], values: dict[str, Any], count: int) -> str:
    sentences = [_fill(rng.choice(pool), values) for _ in range(count)]
    paragraphs = [" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4)]
    return "\n\n".join(paragraphs)


def _reference(ref_id: str, design: str, number: int, ref_type: str = "article-journal") -> dict:
    return {
        "id": ref_id,
        "type": ref_type,
        "title": f"Outcomes of stem cell treatment, report {number} ({design})",
        "authors": [{"family": "Author", "given": f"A{number % 97}"}],
        "container_title": "Journal of Benchmark Medicine",
        "year": 2000 + number % 24,
        "doi": f"10.5555/bench.{number}.{ref_id}",
        "study_design": design,
    }


def article(number: int, *, words: int = 2000) -> dict[str, Any]:
    """A clean, sourced article of about ``words`` words; the same number, the same article."""
    rng = random.Random(number)
    slug_condition, short, name = CONDITIONS[number % len(CONDITIONS)]
    treatment = TREATMENTS[number % len(TREATMENTS)]
    n = rng.randint(60, 160)
    m = rng.randint(12, 50)
    values = {
        "name": name[0].upper() + name[1:], "short": short, "Treatment": treatment.capitalize(),
        "place": rng.choice(PLACES), "years": rng.randint(3, 12), "n": n, "m": m,
        "a": rng.randint(n // 2, n - 5), "b": rng.randint(n // 4, n // 2),
        "c": rng.randint(3, m - 2),
        "r": rng.randint(200, 2000), "age": rng.randint(60, 70), "d": rng.randint(2, 9),
        "e": rng.randint(1, max(2, m // 3)),
    }  # fmt: skip
    scale = max(1, words // 2000)
    sections = [
        ("overview", "What the treatment is", OVERVIEW, 30 * scale),
        ("mechanism", "How it works", MECHANISM, 30 * scale),
        ("evidence", "What the studies found", EVIDENCE, 36 * scale),
        ("benefits", "Possible benefits", BENEFITS, 20 * scale),
        ("risks", "Risks", RISKS, 28 * scale),
        ("outlook", "What this means for you", OUTLOOK, 10 * scale),
    ]
    body = []
    for kind, heading, pool, count in sections:
        section = {"type": kind, "heading": heading, "body": _paragraphs(rng, pool, values, count)}
        if kind == "evidence":
            section["evidence_certainty"] = "low"
        body.append(section)
    return {
        "slug": f"{slug_condition}-stem-cells-{number}",
        "locale": "en",
        "title": f"{treatment.capitalize()} for {short} ({number})",
        "summary": f"What {treatment} involves for people with {short}, what the studies report "
        "and what the treatment risks.",
        "conditions": [slug_condition],
        "author": {"name": "Health CMS Editorial Team"},
        "reviewer": {"name": "Ada Reviewer", "credentials": "MD"},
        "last_reviewed": "2026-10-01",
        "next_review": "2027-10-01",
        "disclosures": {"funding": "None", "conflicts_of_interest": "None declared"},
        "sections": body,
        "references": [
            _reference("trial", "rct", number),
            _reference("series", "case-series", number),
            _reference("registry", "cohort", number),
        ],
    }


def write(directory: Path, count: int, *, start: int = 0, suffix: str = ".yaml") -> list[Path]:
    """Write ``count`` generated articles as fixture files; returns their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for number in range(start, start + count):
        path = directory / f"article-{number:05d}{suffix}"
        document = article(number)
        if suffix == ".json":
            import json  # noqa: PLC0415

            path.write_text(json.dumps(document), encoding="utf-8")
        else:
            dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
            text = yaml.dump(document, Dumper=dumper, sort_keys=False, allow_unicode=True)
            path.write_text(text, "utf-8")
        paths.append(path)
    return paths
