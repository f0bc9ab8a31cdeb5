"""docs/deploy.md: its commands run as written, and it names only real settings and files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from cms import migrate
from cms.db import Timeouts, create_engine
from tests.conftest import POSTGRES_URL
from tests.factories import create_article

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "deploy.md").read_text()
BIN = Path(sys.executable).parent


def checked_block(name: str) -> str:
    """The fenced shell block right after ``<!-- checked by CI: name -->``."""
    match = re.search(rf"<!-- checked by CI: {name} -->\n```sh\n(.*?)```", GUIDE, re.DOTALL)
    assert match, f"no block {name!r} in docs/deploy.md"
    return match.group(1)


def test_the_readme_links_the_guide():
    assert "(docs/deploy.md)" in (ROOT / "README.md").read_text()


def test_the_guide_names_only_real_settings():
    # Settings are read in cms/config.py, the server's in gunicorn.conf.py.
    source = (ROOT / "cms" / "config.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()
    named = set(re.findall(r"\bCMS_[A-Z_]+[A-Z]\b", GUIDE))
    assert len(named) > 10
    assert sorted(name for name in named if f'"{name}"' not in source) == []


def test_the_guide_links_files_that_exist():
    # deploy/varnish/ (the Varnish configuration and purge receiver) ships with the CDN purge work.
    for link in re.findall(r"\]\(\.\./([^)#]+)\)", GUIDE):
        if not link.startswith("deploy/varnish"):
            assert (ROOT / link).exists(), link


def run(script: str, cwd: Path, **env: str) -> str:
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        check=False,
        cwd=cwd,
        env={**os.environ, "PATH": f"{BIN}:{os.environ['PATH']}", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def scratch_databases() -> Iterator[tuple[str, str]]:
    """Two empty databases beside the test database: the live one and the restore target."""
    assert POSTGRES_URL is not None
    base = make_url(POSTGRES_URL)
    names = [f"{base.database}_deploy_live", f"{base.database}_deploy_restored"]
    # Dropping and creating databases waits for checkpoints: on a loaded machine it
    # can outlast the app's 5 s statement timeout, which is not what this tests.
    admin = create_engine(
        POSTGRES_URL,
        isolation_level="AUTOCOMMIT",
        timeouts=Timeouts(connect=10, statement=120, pool=30),
    )

    def drop() -> None:
        with admin.connect() as connection:
            for name in names:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    with admin.connect() as connection:
        for name in names:
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(  # type: ignore[misc]
            base.set(database=name).render_as_string(hide_password=False) for name in names
        )
    finally:
        drop()
        admin.dispose()


def libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.mark.skipif(not POSTGRES_URL, reason="needs CMS_TEST_DATABASE_URL (PostgreSQL)")
def test_migrate_back_up_and_restore_as_the_guide_says(
    scratch_databases: tuple[str, str], tmp_path: Path
):
    live, restored = scratch_databases
    current = run(checked_block("migrate"), tmp_path, CMS_DATABASE_URL=live)
    assert current.strip().endswith(migrate.head_revision() or "?")

    engine = create_engine(live)
    with sa.orm.Session(engine) as session:
        create_article(session)
        session.commit()
    engine.dispose()

    run(
        checked_block("backup") + checked_block("restore"),
        tmp_path,
        DATABASE=libpq(live),
        RESTORED=libpq(restored),
    )
    assert len(list(tmp_path.glob("cms-*.dump"))) == 1
    engine = create_engine(restored)
    with engine.connect() as connection:
        assert migrate.current_revision(connection) == migrate.head_revision()
        slugs = connection.exec_driver_sql("SELECT slug FROM published_articles").scalars().all()
        events = connection.exec_driver_sql("SELECT count(*) FROM audit_events").scalar()
    engine.dispose()
    assert slugs == ["stem-cells-scleroderma"]
    assert events == 2  # created and published, as in the live database
