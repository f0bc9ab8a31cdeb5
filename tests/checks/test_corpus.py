"""The labelled corpus is well formed, and the checks' measured quality does not regress.

`make eval-checks` prints the numbers; these floors sit a little below what the checks
reach today (held-out part: measured once, never tuned against), so a change that makes
the checks miss claims or flag clean text fails here.
"""

from __future__ import annotations

import functools

import pytest

from cms.checks import evaluation

TUNING_FLOOR = 0.95  # precision and recall, every family
# Held-out floors, measured on the batch written blind in December 2026 (the target is 0.95
# for every family and at most 1 % false errors; these only stop a regression).
HELD_OUT_FLOOR = 0.68  # every family (testimonials reach 0.70; most families 0.90)
HELD_OUT_PRECISION_FLOOR = 0.85  # every family (absolute claims reach 0.86)
HELD_OUT_OVERALL_PRECISION_FLOOR = 0.95  # all families together (0.96 today)
HELD_OUT_OVERALL_RECALL_FLOOR = 0.86  # all families together (0.875 today)
FALSE_ERRORS_TUNING = 0.01
FALSE_ERRORS_HELD_OUT = 0.09  # 9 of 110 today (8.2 %), far above the 1 % target


@functools.cache
def scored(part: str) -> evaluation.Report:
    return evaluation.run(part)[0]


@pytest.mark.parametrize("part", evaluation.PARTS)
def test_the_labels_are_well_formed(part: str):
    assert evaluation.problems(evaluation.load(part)) == []


def test_the_corpus_is_large_and_covers_every_family_in_both_parts():
    passages = [p for part in evaluation.PARTS for p in evaluation.load(part)]
    assert len(passages) >= 1000
    assert evaluation.problems(passages) == []  # ids are unique across both parts
    for part in evaluation.PARTS:
        families = {p.family for p in evaluation.load(part)}
        assert families == {*evaluation.FAMILIES, "clean"}, part


def test_the_held_out_part_measures_every_family_on_at_least_20_passages():
    held, tuned = evaluation.load("heldout"), evaluation.load("tuning")
    # Batches of near misses written after the split (third onwards) live in the tuning
    # part only, so the held-out share of the whole is measured against an eighth, not a
    # fifth; the per-family counts below are what keep it able to measure. Only counts are
    # compared, so that a failure shows numbers, never passages.
    held_count, whole = len(held), len(held) + len(tuned)
    assert held_count >= whole / 8, (held_count, whole)
    for family in evaluation.FAMILIES:
        assert sum(p.family == family for p in held) >= 20, family
    assert sum(p.family == "clean" for p in held) >= 100


def test_a_placed_passage_is_found_where_its_label_says():
    passage = evaluation.Passage("x-1", "absolute", "Stem cells cure lupus.", "error")
    outcome = evaluation.evaluate(passage)
    assert outcome.families == {"absolute"}
    assert outcome.severity_of("absolute") == "error"
    clean = evaluation.evaluate(evaluation.Passage("x-2", "clean", "Lupus can affect the skin."))
    assert clean.findings == ()


@pytest.mark.parametrize("family", evaluation.FAMILIES)
def test_every_family_stays_above_its_floor_on_the_tuning_part(family: str):
    score = scored("tuning").scores[family]
    assert score.precision >= TUNING_FLOOR, score.false_alarms
    assert score.recall >= TUNING_FLOOR, score.misses


def _held_out_numbers() -> tuple[dict[str, tuple[float, float]], float, float, float]:
    """The held-out part's numbers only: a failing assertion must not print which passages
    it missed (pytest shows the objects an assertion reads), or someone would tune to them."""
    report = scored("heldout")
    per_family = {f: (s.precision, s.recall) for f, s in report.scores.items()}
    found = sum(s.true_positives for s in report.scores.values())
    flagged = found + sum(s.false_positives for s in report.scores.values())
    labelled = found + sum(s.false_negatives for s in report.scores.values())
    return per_family, found / flagged, found / labelled, report.false_error_rate


def test_the_held_out_part_stays_above_its_floor():
    per_family, precision, recall, _false_errors = _held_out_numbers()
    for family, (family_precision, family_recall) in per_family.items():
        assert family_precision >= HELD_OUT_PRECISION_FLOOR, family
        assert family_recall >= HELD_OUT_FLOOR, family
    assert precision >= HELD_OUT_OVERALL_PRECISION_FLOOR
    assert recall >= HELD_OUT_OVERALL_RECALL_FLOOR


def test_clean_passages_rarely_get_an_error():
    assert scored("tuning").false_error_rate <= FALSE_ERRORS_TUNING
    *_, held_out_false_errors = _held_out_numbers()
    assert held_out_false_errors <= FALSE_ERRORS_HELD_OUT
