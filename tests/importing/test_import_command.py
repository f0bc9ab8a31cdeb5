"""`cms import`: validate everything, then write all or nothing; idempotent."""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import time_machine
import yaml
from click.testing import Result
from flask.testing import FlaskClient, FlaskCliRunner
from sqlalchemy.orm import Session

from cms.articles.models import Article, Revision
from cms.articles.schemas import document_schema
from cms.audit.models import AuditEvent
from cms.checks import engine
from cms.cli import main
from cms.delivery.models import PublishedArticle
from cms.importing import parallel
from tests.factories import (
    article_document,
    create_article,
    reference,
    revise,
    section,
)

# The commands and the API read the clock; the documents' review dates are fixed
# (tests.factories), so the clock is set to the day they were written for.
pytestmark = pytest.mark.usefixtures("clock")


def write_yaml(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
    return path


def write_json(folder: Path, name: str, document: Any) -> Path:
    path = folder / name
    path.write_text(json.dumps(document, indent=2), "utf-8")
    return path


def run_import(cli: FlaskCliRunner, *args: str | Path) -> Result:
    return cli.invoke(main, ["import", *map(str, args)])


def counts(session: Session) -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        session.scalar(sa.select(sa.func.count()).select_from(model))
        for model in (Article, Revision, PublishedArticle)
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "articles"
    path.mkdir()
    return path


def test_import_creates_drafts_from_yaml_and_json(cli, session, folder, client: FlaskClient):
    write_yaml(folder, "a.yaml", article_document(slug="from-yaml"))
    write_json(folder, "b.json", article_document(slug="from-json"))
    result = run_import(cli, folder)
    assert result.exit_code == 0, result.output
    assert f"{folder / 'a.yaml'}: created en/from-yaml (revision 1)" in result.output
    assert "2 created, 0 updated, 0 unchanged; 0 published." in result.output
    assert counts(session) == (2, 2, 0)
    assert client.get("/api/v1/articles").get_json()["total"] == 0  # drafts stay private


def test_import_with_publish_serves_the_articles(cli, session, folder, client: FlaskClient):
    write_yaml(folder, "a.yaml", article_document())
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 0, result.output
    assert "1 published" in result.output
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200


def test_reimporting_the_same_files_changes_nothing(cli, session, folder):
    write_yaml(folder, "a.yaml", article_document())
    assert run_import(cli, "--publish", folder).exit_code == 0
    before = counts(session)
    etag = session.scalar(sa.select(PublishedArticle.etag))
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 0, result.output
    assert "0 created, 0 updated, 1 unchanged; 0 published." in result.output
    assert counts(session) == before
    assert session.scalar(sa.select(PublishedArticle.etag)) == etag


def test_a_changed_file_becomes_a_new_revision_of_the_same_article(cli, session, folder, client):
    path = write_yaml(folder, "a.yaml", article_document())
    run_import(cli, "--publish", folder)
    write_yaml(folder, "a.yaml", article_document(title="A corrected title"))
    result = run_import(cli, path)
    assert "updated en/stem-cells-scleroderma (revision 2)" in result.output
    assert counts(session) == (1, 2, 1)
    # Not published: the public API keeps serving revision 1.
    live = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert (live["title"], live["revision"]) == ("Stem cell transplantation for scleroderma", 1)
    run_import(cli, "--publish", path)
    live = client.get("/api/v1/articles/stem-cells-scleroderma").get_json()
    assert (live["title"], live["revision"]) == ("A corrected title", 2)


def test_publish_flag_publishes_an_unchanged_draft(cli, session, folder, client):
    write_yaml(folder, "a.yaml", article_document())
    run_import(cli, folder)
    result = run_import(cli, "--publish", folder)
    assert "unchanged en/stem-cells-scleroderma (revision 1, published)" in result.output
    assert client.get("/api/v1/articles/stem-cells-scleroderma").status_code == 200


def test_yaml_dates_are_read_as_in_json(cli, session, folder):
    (folder / "a.yaml").write_text(
        yaml.safe_dump(article_document(), sort_keys=False).replace(
            "last_reviewed: '2026-10-01'", "last_reviewed: 2026-10-01"
        )
    )
    assert "last_reviewed: 2026-10-01\n" in (folder / "a.yaml").read_text()
    assert run_import(cli, folder).exit_code == 0


# --- Refusals: nothing is written, every problem is named ---------------------------


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (
            article_document(sections=[section("overview", "Text [@scot2018].")]),
            "/sections: Every article needs a 'risks' section describing harms and side effects."
            " [risks_required]",
        ),
        (
            article_document(sections=[section("risks", "Harms [@missing2020].")]),
            "/sections/0/body: Citation [@missing2020] does not match any reference id in "
            "/references. [unknown_reference]",
        ),
        (
            article_document(references=[reference(doi="doi.org/10.1056/x"), reference("qiu2017")]),
            "/references/0/doi: Not a DOI: expected 10.NNNN/suffix, without a doi.org prefix."
            " [doi]",
        ),
    ],
    ids=["missing-risks", "unknown-citation", "malformed-doi"],
)
def test_invalid_file_imports_nothing_and_names_file_line_and_pointer(
    cli, session, folder, document, expected
):
    create_article(session, slug="already-there")
    before = counts(session)
    write_yaml(folder, "good.yaml", article_document(slug="good-one"))
    bad = write_yaml(folder, "bad.yaml", document)
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr
    assert expected in result.stderr
    assert "nothing was imported" in result.stderr
    assert counts(session) == before


def test_yaml_problems_carry_the_line_of_the_offending_field(cli, folder):
    document = article_document(references=[reference(pmid="PMID 123"), reference("qiu2017")])
    bad = write_yaml(folder, "bad.yaml", document)
    line = next(
        n for n, text in enumerate(bad.read_text().splitlines(), 1) if "pmid: PMID 123" in text
    )
    result = run_import(cli, bad)
    assert f"{bad}:{line}: /references/0/pmid:" in result.stderr


def test_every_problem_in_every_file_is_listed(cli, folder):
    write_yaml(folder, "one.yaml", article_document(slug="Bad Slug"))
    write_json(folder, "two.json", {"title": "Only a title"})
    result = run_import(cli, folder)
    assert result.exit_code == 1
    assert f"{folder / 'one.yaml'}:1: /slug:" in result.stderr
    for pointer in ("/slug", "/summary", "/author", "/sections", "/references"):
        assert (
            f"{folder / 'two.json'}: {pointer}: Missing data for required field." in result.stderr
        )
    assert "6 problem(s) in 2 file(s)" in result.stderr


def test_two_files_for_the_same_article_are_refused(cli, session, folder):
    write_yaml(folder, "a.yaml", article_document())
    write_json(folder, "b.json", article_document(title="Other"))
    result = run_import(cli, folder)
    assert result.exit_code == 1
    assert f"{folder / 'b.json'}: /slug: Slug 'stem-cells-scleroderma' in locale 'en' is also " \
        f"defined in {folder / 'a.yaml'}." in result.stderr  # fmt: skip
    assert counts(session) == (0, 0, 0)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.yaml", "", "(document): The file is empty. [syntax]"),
        ("broken.yaml", "slug: [unclosed\n", "Not valid YAML"),
        ("broken.json", '{"slug": "x",}', "Not valid JSON"),
        ("dup.yaml", "slug: a\ntitle: b\nslug: c\n", "Key 'slug' appears twice in one mapping."),
        ("dup.json", '{"slug": "a", "slug": "b"}', "Key 'slug' appears twice in one object."),
        ("list.yaml", "- one\n- two\n", "(document): Invalid input type. [type]"),
    ],
)
def test_malformed_files_are_reported_not_crashed_on(cli, folder, name, content, message):
    (folder / name).write_text(content)
    result = run_import(cli, folder)
    assert result.exit_code == 1
    assert message in result.stderr


def test_yaml_syntax_errors_give_the_line(cli, folder):
    (folder / "broken.yaml").write_text("slug: ok\ntitle: fine\nsummary: [unclosed\n")
    result = run_import(cli, folder)
    assert f"{folder / 'broken.yaml'}:4: (document): Not valid YAML" in result.stderr


def test_non_utf8_file_is_reported(cli, folder):
    (folder / "latin1.yaml").write_bytes("title: Müller".encode("latin-1"))
    result = run_import(cli, folder)
    assert "The file is not UTF-8 text." in result.stderr


def test_missing_path_and_empty_folder_are_errors(cli, tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_import(cli, tmp_path / "nope.yaml")
    assert result.exit_code == 1
    assert "nope.yaml: (document): No such file or folder. [not_found]" in result.stderr
    result = run_import(cli, empty)
    assert result.exit_code == 1
    assert "No .yaml, .yml or .json files here." in result.stderr


def test_failure_while_writing_rolls_back_every_file(cli, session, folder):
    # A live article whose draft was renamed still holds its public slug "old-slug".
    live = create_article(session, slug="old-slug")
    revise(session, live, slug="new-slug")
    before = counts(session)
    write_yaml(folder, "a-fresh.yaml", article_document(slug="fresh-article"))
    write_yaml(folder, "b-clash.yaml", article_document(slug="old-slug"))
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 1
    assert (
        f"{folder / 'b-clash.yaml'}: Another article already uses slug 'old-slug'" in result.stderr
    )
    assert "Nothing was imported." in result.stderr
    assert counts(session) == before


def test_a_problem_in_the_last_file_keeps_none_of_the_files_before_it(cli, session, folder):
    # Files are written while later ones are still being checked: all are rolled back.
    for name in ("a", "b", "c"):
        write_yaml(folder, f"{name}.yaml", article_document(slug=f"article-{name}"))
    bad = write_yaml(
        folder, "z.yaml", article_document(slug="z", title="The best cure for scleroderma")
    )
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 1
    assert f"{bad}:3: /title:" in result.stderr
    assert "[claims.absolute]" in result.stderr
    assert "1 problem(s) in 1 file(s); nothing was imported." in result.stderr
    assert counts(session) == (0, 0, 0)


def test_invalid_files_are_reported_before_a_refused_write(cli, session, folder):
    # The refused write (a slug another article holds live) comes first in file order,
    # but a file that does not validate is what to fix first: every such file is named.
    live = create_article(session, slug="old-slug")
    revise(session, live, slug="new-slug")
    before = counts(session)
    write_yaml(folder, "a-clash.yaml", article_document(slug="old-slug"))
    write_yaml(folder, "b-fine.yaml", article_document(slug="fine"))
    broken = write_yaml(folder, "c-broken.yaml", article_document(slug="Not A Slug"))
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 1
    assert f"{broken}:1: /slug:" in result.stderr
    assert "Another article already uses" not in result.stderr
    assert "1 problem(s) in 1 file(s); nothing was imported." in result.stderr
    assert counts(session) == before


# --- Dry run and progress ------------------------------------------------------------


def test_dry_run_reports_what_would_happen_and_writes_nothing(cli, session, folder):
    write_yaml(folder, "a.yaml", article_document())
    result = run_import(cli, "--dry-run", "--publish", folder)
    assert result.exit_code == 0, result.output
    assert "Dry run, nothing written: would be 1 created" in result.output
    assert counts(session) == (0, 0, 0)


def test_dry_run_still_refuses_invalid_files(cli, folder):
    write_yaml(folder, "a.yaml", article_document(sections=[]))
    assert run_import(cli, "--dry-run", folder).exit_code == 1


def test_many_files_show_a_progress_bar(cli, folder):
    for i in range(25):
        write_yaml(folder, f"a{i:02d}.yaml", article_document(slug=f"article-{i}"))
    planned = run_import(cli, "--dry-run", folder)
    assert "Validating" in planned.stderr
    # One pass: files are written while the rest are still being validated.
    result = run_import(cli, folder)
    assert result.exit_code == 0, result.output
    assert "Importing" in result.stderr
    assert "25 created" in result.output


def test_few_files_show_no_progress_bar(cli, folder):
    write_yaml(folder, "a.yaml", article_document())
    assert run_import(cli, folder).stderr == ""


def test_publishing_import_is_audited_as_bypassing_review(cli, session, folder):
    write_yaml(folder, "a.yaml", article_document())
    run_import(cli, "--publish", folder)
    events = session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor, e.actor_role) for e in events] == [
        ("article.create", "cms import", "operator"),
        ("article.publish", "cms import", "operator"),
        ("import", "cms import", "operator"),
    ]
    assert events[1].details == {"approval": "bypassed: trusted operator import"}
    assert events[2].details == {"created": 1, "updated": 0, "unchanged": 0, "published": 1}


def test_dry_run_reports_created_updated_and_unchanged_without_writing(cli, session, folder):
    create_article(session, slug="kept")
    create_article(session, slug="changed")
    write_yaml(folder, "a-kept.yaml", article_document(slug="kept"))
    write_yaml(folder, "b-changed.yaml", article_document(slug="changed", title="A new title"))
    write_yaml(folder, "c-new.yaml", article_document(slug="brand-new"))
    before = counts(session)
    result = run_import(cli, "--dry-run", "--publish", folder)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"{folder / 'a-kept.yaml'}: unchanged en/kept (revision 1)" in lines
    assert f"{folder / 'b-changed.yaml'}: updated en/changed (revision 2, published)" in lines
    assert f"{folder / 'c-new.yaml'}: created en/brand-new (revision 1, published)" in lines
    assert (
        lines[-1]
        == "Dry run, nothing written: would be 1 created, 1 updated, 1 unchanged; 2 published."
    )
    assert counts(session) == before


def test_dry_run_finds_a_publish_that_would_take_another_articles_live_slug(cli, session, folder):
    live = create_article(session, slug="old-slug")
    revise(session, live, slug="new-slug")
    write_yaml(folder, "clash.yaml", article_document(slug="old-slug"))
    result = run_import(cli, "--dry-run", "--publish", folder)
    assert result.exit_code == 1
    assert "Another article already uses slug 'old-slug'" in result.stderr
    assert run_import(cli, "--dry-run", folder).exit_code == 0  # drafts may reuse it


# --- Reviews that have lapsed -------------------------------------------------------------

# article_document's review was due on 2027-10-01; the clock is moved past it.
LAPSED = dt.datetime(2028, 3, 1, 12, 0, tzinfo=dt.UTC)


def test_publishing_a_file_whose_review_has_lapsed_is_refused(cli, session, folder, clock):
    write_yaml(folder, "a.yaml", article_document())
    clock.move_to(LAPSED)
    result = run_import(cli, "--publish", folder)
    assert result.exit_code == 1
    assert f"{folder / 'a.yaml'}:13: /next_review: The review was due on 2027-10-01" in (
        result.stderr
    )
    assert counts(session) == (0, 0, 0)


def test_allow_overdue_review_publishes_marked_overdue_and_warns_per_file(
    cli, session, folder, client: FlaskClient, clock
):
    write_yaml(folder, "a.yaml", article_document())
    write_yaml(folder, "b.yaml", article_document(slug="current", next_review="2028-10-01"))
    clock.move_to(LAPSED)
    result = run_import(cli, "--publish", "--allow-overdue-review", folder)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"warning: {folder / 'a.yaml'}:13: The review was due on 2027-10-01; it is published "
        "with review_overdue: true (--allow-overdue-review)."
    ]
    assert "2 created, 0 updated, 0 unchanged; 2 published." in result.output
    lapsed = client.get("/api/v1/articles/stem-cells-scleroderma")
    assert lapsed.get_json()["review_overdue"] is True
    assert lapsed.get_etag()[0].endswith("-overdue")
    assert client.get("/api/v1/articles/current").get_json()["review_overdue"] is False
    marked = {
        i["slug"]: i["review_overdue"] for i in client.get("/api/v1/articles").get_json()["items"]
    }
    assert marked == {"stem-cells-scleroderma": True, "current": False}
    publishes = session.scalars(
        sa.select(AuditEvent).where(AuditEvent.action == "article.publish")
    ).all()
    assert sorted(e.details.get("review_overdue", False) for e in publishes) == [False, True]


def test_allow_overdue_review_still_refuses_every_other_error(cli, session, folder, clock):
    write_yaml(folder, "a.yaml", article_document(title="The best cure for scleroderma"))
    clock.move_to(LAPSED)
    result = run_import(cli, "--publish", "--allow-overdue-review", folder)
    assert result.exit_code == 1
    assert "[claims.absolute]" in result.stderr
    assert "[review.overdue]" not in result.stderr
    assert counts(session) == (0, 0, 0)


def test_allow_overdue_review_needs_publish(cli, folder):
    write_yaml(folder, "a.yaml", article_document())
    result = run_import(cli, "--allow-overdue-review", folder)
    assert result.exit_code == 2
    assert "--allow-overdue-review only applies with --publish" in result.output


def test_one_import_publishes_in_file_order_a_microsecond_apart(
    cli, session, folder, client: FlaskClient
):
    for name, slug in (("1.yaml", "zebra"), ("2.yaml", "alpha"), ("3.yaml", "middle")):
        write_yaml(folder, name, article_document(slug=slug))
    clock_now = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(clock_now, tick=False):
        assert run_import(cli, "--publish", folder).exit_code == 0
    items = client.get("/api/v1/articles").get_json()["items"]
    assert [(i["slug"], i["published_at"]) for i in items] == [
        ("middle", "2026-11-01T12:00:00.000002+00:00"),
        ("alpha", "2026-11-01T12:00:00.000001+00:00"),
        ("zebra", "2026-11-01T12:00:00+00:00"),
    ]
    # A later import that changes one keeps its first publication time, and its place.
    write_yaml(folder, "1.yaml", article_document(slug="zebra", title="Zebra, revised"))
    with time_machine.travel(clock_now + dt.timedelta(days=1), tick=False):
        assert run_import(cli, "--publish", folder).exit_code == 0
    again = client.get("/api/v1/articles").get_json()["items"]
    assert [i["slug"] for i in again] == ["middle", "alpha", "zebra"]
    assert again[2]["title"] == "Zebra, revised"


# --- Each file is validated once and checked once -----------------------------------------


@pytest.fixture
def runs(monkeypatch, tmp_path: Path) -> Callable[[], collections.Counter]:
    """How often each article was validated (the article schema loaded it) and checked
    (the rules ran over it) during the test, counted in every process, workers included."""
    log = tmp_path / "runs.log"

    def note(what: str, document: Any) -> None:
        with log.open("a", encoding="utf-8") as out:  # one short append per line: atomic
            out.write(f"{what} {document.get('slug')}\n")

    load, run = document_schema.load, engine._run

    def counted_load(data: Any, *args: Any, **kwargs: Any) -> Any:
        note("validated", data)
        return load(data, *args, **kwargs)

    def counted_run(raw: Any, **kwargs: Any) -> Any:
        note("checked", raw)
        return run(raw, **kwargs)

    monkeypatch.setattr(document_schema, "load", counted_load)
    monkeypatch.setattr(engine, "_run", counted_run)
    # Findings remembered by earlier tests (same documents, same day) would hide this
    # test's own checks.
    monkeypatch.setattr(engine, "_MEMO", collections.OrderedDict())

    def counts() -> collections.Counter:
        lines = log.read_text("utf-8").splitlines() if log.exists() else []
        return collections.Counter(tuple(line.split(" ", 1)) for line in lines)

    return counts


MODES = {
    # flags: (times each file is checked, rows written: articles, revisions, published)
    "drafts": ((), 0, (3, 3, 0)),
    "publish": (("--publish",), 1, (3, 3, 3)),
    "dry-run": (("--dry-run",), 0, (0, 0, 0)),
    "dry-run-publish": (("--dry-run", "--publish"), 1, (0, 0, 0)),
}


@pytest.fixture(params=["1", "2"], ids=["in-process", "worker-processes"])
def workers(request, monkeypatch) -> None:
    """Files validated and checked in this process, or spread over two workers."""
    monkeypatch.setenv("CMS_WORKERS", request.param)
    monkeypatch.setenv("CMS_START_METHOD", "fork")  # the workers inherit the counting
    monkeypatch.setattr(parallel, "PARALLEL_FROM", 2)


@pytest.mark.usefixtures("workers")
@pytest.mark.parametrize("mode", MODES)
def test_each_file_is_validated_once_and_checked_once_per_import(cli, session, folder, runs, mode):
    # Validating or checking a file a second time would make a large import take that
    # much longer: the schema runs once per file, and the rules once (when publishing).
    flags, checked, written = MODES[mode]
    slugs = ["first-article", "second-article", "third-article"]
    for slug in slugs:
        write_yaml(folder, f"{slug}.yaml", article_document(slug=slug))
    result = run_import(cli, *flags, folder)
    assert result.exit_code == 0, result.output
    assert counts(session) == written
    expected = {("validated", slug): 1 for slug in slugs}
    expected |= {("checked", slug): checked for slug in slugs if checked}
    assert runs() == expected
