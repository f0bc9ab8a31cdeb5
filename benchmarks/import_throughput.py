"""Import throughput: `cms import` of generated real-size articles (about 2,000 words each).

    .venv/bin/python benchmarks/import_throughput.py [COUNT]     (make bench-import)

Runs the real command in a subprocess, each time on an empty database: `--dry-run`,
a plain import (drafts), and `--publish` (every content check, every article
published), on SQLite and, when CMS_BENCH_DATABASE_URL is set (as for the other
benchmarks), on PostgreSQL: its `bench_import` schema is dropped and recreated, the
rest of that database is left alone. Prints wall-clock seconds, articles
per second, and the CPU seconds of the command and its workers (on a shared machine
the wall clock also measures the neighbours). Targets on the 2-core development
machine for 10,000 articles:
--publish ≤ 300 s, plain ≤ 60 s, --dry-run ≤ 30 s, PostgreSQL within 1.3 × SQLite.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.articles import write  # noqa: E402

CMS = str(ROOT / ".venv" / "bin" / "cms")
SCHEMA = "bench_import"


def _postgres(url: str) -> str:
    """An empty schema for the benchmark, and a URL whose connections use it."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
        connection.exec_driver_sql(f'CREATE SCHEMA "{SCHEMA}"')
    engine.dispose()
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}options=-csearch_path%3D{SCHEMA}"


def _run(database_url: str, *args: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the command and all its worker processes)."""
    environment = os.environ | {"CMS_DATABASE_URL": database_url}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([CMS, *args], env=environment, check=True, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


# Seconds allowed for 10,000 articles on the 2-core machine (scaled to COUNT).
TARGETS = {"--dry-run": 30, "plain": 60, "--publish": 300}


def bench(name: str, fresh_url: callable, folder: Path, count: int) -> dict[str, float]:
    results = {}
    for label, flags in (("--dry-run", ["--dry-run"]), ("plain", []), ("--publish", ["--publish"])):
        url = fresh_url()
        _run(url, "db", "upgrade")
        seconds, cpu = _run(url, "import", *flags, str(folder))
        results[label] = seconds
        target = TARGETS[label] * count / 10_000
        print(f"{name:10s} {label:10s} {count:6d} articles {seconds:8.1f} s "
              f"{count / seconds:8.1f} articles/s  (CPU {cpu:7.1f} s; target ≤ {target:.0f} s)",
              flush=True)  # fmt: skip
    return results


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    with tempfile.TemporaryDirectory(prefix="cms-bench-import-") as tmp:
        folder = Path(tmp) / "articles"
        started = time.perf_counter()
        write(folder, count)
        workers = os.environ.get("CMS_WORKERS", "all")
        print(f"generated {count} articles in {time.perf_counter() - started:.1f} s "
              f"({os.cpu_count()} cores, CMS_WORKERS={workers})")  # fmt: skip
        runs = iter(range(1_000))

        def sqlite_url() -> str:
            return f"sqlite:///{Path(tmp) / f'bench-{next(runs)}.sqlite3'}"

        sqlite = bench("sqlite", sqlite_url, folder, count)
        postgres_url = os.environ.get("CMS_BENCH_DATABASE_URL")
        if not postgres_url:
            print("postgresql skipped: set CMS_BENCH_DATABASE_URL (its bench_import schema is "
                  "dropped and recreated)")  # fmt: skip
            return
        postgres = bench("postgresql", lambda: _postgres(postgres_url), folder, count)
        for label, seconds in postgres.items():
            print(f"postgresql/sqlite {label:10s} {seconds / sqlite[label]:.2f} ×")


if __name__ == "__main__":
    main()
