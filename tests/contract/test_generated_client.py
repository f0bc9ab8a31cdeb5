"""A client generated from the committed openapi.yaml walks the editor's path on a live server.

openapi-python-client writes the client; the test sends nothing by hand: every
header (If-Match, X-Change-Note, the bearer token) goes through a parameter the
contract declares, and every response is parsed by the generated models, so a
field the contract calls required but the API leaves out fails here too.
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from cms.config import PROJECT_ROOT
from tests.contract.live import BIN, live_server

PACKAGE = "cms_generated_client"


@pytest.fixture
def generated_client(tmp_path: Path) -> Iterator[ModuleType]:
    config = tmp_path / "generator.yaml"
    config.write_text("post_hooks: []\n")  # no formatter run on the generated code
    done = subprocess.run(
        [
            str(BIN / "openapi-python-client"),
            "generate",
            "--path",
            str(PROJECT_ROOT / "openapi.yaml"),
            "--meta",
            "none",
            "--output-path",
            str(tmp_path / PACKAGE),
            "--config",
            str(config),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [name for name in sys.modules if name.split(".")[0] == PACKAGE]:
            del sys.modules[name]


def test_a_generated_client_walks_the_editors_path(generated_client: ModuleType, tmp_path: Path):
    api = importlib.import_module(f"{PACKAGE}.api.manage_articles")
    public = importlib.import_module(f"{PACKAGE}.api.articles.get_article")
    models = importlib.import_module(f"{PACKAGE}.models")
    create, transition, update = (
        importlib.import_module(f"{api.__name__}.{name}")
        for name in (
            "create_managed_article",
            "transition_managed_article",
            "update_managed_article",
        )
    )
    document = json.loads((PROJECT_ROOT / "examples" / "article.json").read_text("utf-8"))

    with live_server(tmp_path / "server") as server:

        def client_for(token: str):
            return generated_client.AuthenticatedClient(base_url=server.url, token=token)

        editor = client_for(server.token("ed", "editor"))
        reviewer = client_for(
            server.token(
                "dr.jones", "reviewer", "--display-name", "Dr A. Jones", "--credentials", "MD"
            )
        )
        publisher = client_for(server.token("pub", "publisher"))
        anonymous = generated_client.Client(base_url=server.url)

        def act(client, article_id, etag: str, action: str, **fields):
            body = models.Transition(action=models.TransitionAction(action), **fields)
            answer = transition.sync_detailed(article_id, client=client, body=body, if_match=etag)
            assert answer.status_code == 200, answer.content
            return answer.parsed, answer.headers["ETag"]

        created = create.sync_detailed(
            client=editor, body=models.ManagedArticleWrite.from_dict(document)
        )
        assert created.status_code == 201, created.content
        article, etag = created.parsed, created.headers["ETag"]
        assert (article.status.value, article.version, article.live_revision) == ("draft", 1, None)
        assert [a.value for a in article.allowed_actions] == ["submit"]

        article, etag = act(editor, article.id, etag, "submit")
        assert article.status.value == "in_review"
        article, etag = act(reviewer, article.id, etag, "approve", comment="Figures checked.")
        assert article.approval.reviewer_name == "Dr A. Jones"
        article, etag = act(publisher, article.id, etag, "publish")
        assert (article.status.value, article.live_revision) == ("published", article.revision)
        live = public.sync_detailed(document["slug"], client=anonymous)
        assert (live.status_code, live.parsed.summary) == (200, document["summary"])
        assert isinstance(live.parsed, models.PublicArticle)
        # A sparse answer parses too: as the sparse model, with the risks the rule adds.
        card = public.sync_detailed(
            document["slug"], client=anonymous, fields="title,sections(type,html)"
        )
        assert card.status_code == 200, card.content
        assert isinstance(card.parsed, models.PublicArticleSparse)
        assert card.parsed.title == document["title"]
        assert "risks" in [section.type_ for section in card.parsed.sections]

        patched = update.sync_detailed(
            article.id,
            client=editor,
            body=models.MergePatch.from_dict({"summary": "A shorter summary."}),
            if_match=etag,
            x_change_note="Shorten the summary",
        )
        assert patched.status_code == 200, patched.content
        article, etag = patched.parsed, patched.headers["ETag"]
        assert (article.status.value, article.has_unpublished_changes) == ("draft", True)
        still_live = public.sync_detailed(document["slug"], client=anonymous)
        assert still_live.parsed.summary == document["summary"]  # the draft is not public

        article, etag = act(publisher, article.id, etag, "unpublish")
        assert article.live_revision is None
        assert public.sync_detailed(document["slug"], client=anonymous).status_code == 410

        stale = transition.sync_detailed(
            article.id,
            client=publisher,
            body=models.Transition(action=models.TransitionAction("archive")),
            if_match='"v1"',
        )
        assert (stale.status_code, stale.parsed.type_) == (412, "/problems/stale-version")
