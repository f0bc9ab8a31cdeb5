"""How well and how fast the content checks work (`make eval-checks`).

    .venv/bin/python benchmarks/eval_checks.py [--files N]

1. Precision and recall per family on the labelled corpus (tests/checks/corpus/), on
   its tuning part and on its held-out part, and the share of clean passages that get
   an error (false errors). Targets on the held-out part: precision and recall ≥ 0.95
   for every family, false errors ≤ 1 %.
2. Time to check one article of about 2,000 words after warm-up (generated articles,
   each new to the process), in CPU and wall-clock milliseconds. Target: < 30 ms.
3. `cms check` of N generated files (default 1,000) in a subprocess, models loaded
   included. Target: < 60 s on the 2-core development machine.

Only numbers are printed for the held-out part: which passages it misses is not
shown, so that nobody tunes against it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.articles import article, write  # noqa: E402
from cms import checks  # noqa: E402
from cms.checks import engine, evaluation, language_id  # noqa: E402

TODAY = dt.date(2026, 11, 1)


def corpus() -> None:
    reports = {part: evaluation.run(part)[0] for part in evaluation.PARTS}
    print("Corpus: precision / recall per family (TP FP FN; severity right)")
    print(f"{'family':14s} {'tuning':>32s} {'held-out':>32s}")
    for family in evaluation.FAMILIES:
        cells = []
        for part in evaluation.PARTS:
            s = reports[part].scores[family]
            cells.append(
                f"P {s.precision:4.2f} R {s.recall:4.2f} ({s.true_positives:2d} "
                f"{s.false_positives:2d} {s.false_negatives:2d}; {s.severity_right:2d})"
            )
        print(f"{family:14s} {cells[0]:>32s} {cells[1]:>32s}")
    for part in evaluation.PARTS:
        r = reports[part]
        print(f"false errors on clean passages, {part}: {len(r.false_errors)} of {r.clean} "
              f"({100 * r.false_error_rate:.1f} %)")  # fmt: skip
    tuning = reports["tuning"]
    misses = {f: s.misses + s.false_alarms for f, s in tuning.scores.items() if s.misses or
              s.false_alarms}  # fmt: skip
    if misses or tuning.false_errors:
        print("tuning part, to look at:", misses, tuning.false_errors)


def per_article(count: int = 30) -> None:
    checks.warm_up()
    checks.run_checks(article(0), today=TODAY)
    cpu, wall = [], []
    for number in range(10_000, 10_000 + count):
        document = article(number)
        engine._MEMO.clear()
        language_id.examine.cache_clear()
        started, clock = time.process_time(), time.perf_counter()
        checks.run_checks(document, today=TODAY)
        cpu.append(1000 * (time.process_time() - started))
        wall.append(1000 * (time.perf_counter() - clock))
    words = sum(len(s["body"].split()) for s in article(10_000)["sections"])
    print(f"\nOne article (~{words} words, {count} new articles after warm-up): "
          f"CPU median {statistics.median(cpu):.1f} ms, p90 {sorted(cpu)[int(0.9 * count)]:.1f}"
          f" ms; wall median {statistics.median(wall):.1f} ms")  # fmt: skip


def cms_check(files: int) -> None:
    with tempfile.TemporaryDirectory(prefix="cms-eval-") as tmp:
        folder = Path(tmp) / "articles"
        write(folder, files, start=20_000)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        result = subprocess.run(
            [str(ROOT / ".venv" / "bin" / "cms"), "check", "--format", "json", str(folder)],
            capture_output=True,
            check=False,
        )
        wall = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(f"\ncms check of {files} files: {wall:.1f} s wall, {cpu:.1f} s CPU "
          f"(exit {result.returncode})")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1_000)
    parser.add_argument("--corpus-only", action="store_true")
    options = parser.parse_args()
    corpus()
    if options.corpus_only:
        return
    per_article()
    cms_check(options.files)


if __name__ == "__main__":
    main()
