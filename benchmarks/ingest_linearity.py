"""One long paragraph through ingest and through the checks: time grows linearly.

    .venv/bin/python benchmarks/ingest_linearity.py [KB ...]   (default: 100 200 400)

A legacy page pasted as one unbroken paragraph (no blank lines, no headings) is the
worst case for the ingester's line and block handling and for the checks' sentence
and phrase matching. For each size this prints the wall-clock seconds, and seconds
per 100 kB, of:

- ``ingest``: the text to a draft, with the checks run on the draft as it is;
- ``run_checks``: an article whose evidence section is that paragraph. The article
  format allows 20,000 characters per section, so this is the schema refusing it
  (``schema.length``), never the rules reading it;
- the content rules themselves over that article, bypassing the schema: what the
  rules would cost if the limit were lifted.

Linear means a "per 100 kB" column stays about the same as the size doubles;
quadratic would double it each time. The management API refuses bodies above
1 MiB (413), so 400 kB is within what ``POST /api/v1/manage/ingest`` accepts.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from cms import checks  # noqa: E402
from cms.checks import engine, nlp  # noqa: E402
from cms.checks.text import ArticleText  # noqa: E402
from cms.ingest import ingest  # noqa: E402
from tests.factories import article_document, section  # noqa: E402

TODAY = dt.date(2026, 11, 1)

SENTENCES = [
    "Autologous stem cell transplantation resets the immune system with chemotherapy",
    "In one trial {n} people with relapsing multiple sclerosis were followed for five years",
    "Some had fewer relapses, and others reported side effects such as infections",
    "The risks include death from the treatment itself in around {n} in 1,000 people",
    "Researchers at {n} centres compared the outcomes with the best available drugs",
    "Fertility may be lost, and a second autoimmune disease can appear later",
]


def paragraph(size: int) -> str:
    """One paragraph of about ``size`` bytes: varied sentences, no line breaks."""
    parts, total, n = [], 0, 0
    while total < size:
        sentence = SENTENCES[n % len(SENTENCES)].format(n=n % 97 + 3) + ". "
        parts.append(sentence)
        total += len(sentence)
        n += 1
    return "".join(parts)[:size]


def timed(work) -> float:
    engine._MEMO.clear()  # every run checks afresh
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def main(sizes_kb: list[int]) -> None:
    nlp.warm_up()
    print(
        f"{'size':>7} {'ingest s':>9} {'/100 kB':>8} {'checks s':>9} {'/100 kB':>8} "
        f"{'rules s':>8} {'/100 kB':>8}"
    )
    for kb in sizes_kb:
        text = paragraph(kb * 1000)
        page = "Stem cell transplantation for multiple sclerosis\n\n" + text
        document = article_document(
            sections=[
                section("overview", "An overview [@scot2018]."),
                section("evidence", text + " [@scot2018]", evidence_certainty="low"),
                section("risks", "Infections and death [@scot2018]."),
            ]
        )
        ingest_s = timed(lambda page=page: ingest(page, today=TODAY))
        checks_s = timed(lambda document=document: checks.run_checks(document, today=TODAY))
        text_of = ArticleText(document, today=TODAY)
        rules_s = timed(lambda t=text_of: [list(r.check(t)) for r in engine.RULES])
        per = 100 / kb
        print(
            f"{kb:>5}kB {ingest_s:>9.2f} {ingest_s * per:>8.2f} {checks_s:>9.2f} "
            f"{checks_s * per:>8.2f} {rules_s:>8.2f} {rules_s * per:>8.2f}"
        )


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [100, 200, 400])
