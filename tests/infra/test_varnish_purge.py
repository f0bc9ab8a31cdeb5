"""Purge by surrogate key through a real Varnish with the xkey vmod.

The product (gunicorn) behind varnishd running deploy/varnish/default.vcl, and
``cms purge-relay`` between the outbox's ``cdn.purge`` events and Varnish. The
s-maxage is an hour, so nothing seen here can be expiry: a reader gets the new
revision, or the 410 of an unpublished or withdrawn article, only because the change's
purge reached Varnish.

Most tests take each ``cdn.purge`` event from the outbox and deliver it to the
relay themselves, signed with the ``standardwebhooks`` library as a webhook
sender signs it: the relay's side of the contract. The last one is the whole
path: a webhook subscription for ``cdn.purge`` and a real ``cms worker``.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import http.client
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook

from cms.db import Database
from cms.outbox.models import OutboxEvent
from tests.live import (
    MANAGE,
    ROOT,
    Reply,
    Server,
    act,
    free_port,
    gunicorn,
    issue_tokens,
    live_database_url,
    publish_article,
    request,
    wait_for,
    worker_process,
)

VARNISHD = shutil.which("varnishd") or (
    "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else None
)
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
SECRET = "whsec_" + base64.b64encode(b"the purge relay's test secret!!!").decode()
S_MAXAGE = 3600  # an hour: far longer than any test, so only a purge can refresh a page
# The worker delivers webhooks to loopback addresses only where allowed (SSRF guard).
WEBHOOKS_ENV = {"CMS_WEBHOOK_ALLOW_CIDRS": "127.0.0.0/8"}


def article_url(slug: str) -> str:
    return f"/api/v1/articles/{slug}?locale=en"


@contextlib.contextmanager
def varnishd(origin: str, work: Path) -> Iterator[str]:
    """varnishd with the deployment's VCL, its backend pointed at ``origin``."""
    if VARNISHD is None:
        pytest.skip("varnishd is not installed (apt-get install varnish varnish-modules)")
    host, port = origin.removeprefix("http://").rsplit(":", 1)
    vcl_text = VCL.read_text()
    assert '.host = "app";' in vcl_text
    assert '.port = "8000";' in vcl_text
    work.mkdir()
    vcl = work / "default.vcl"
    vcl.write_text(
        vcl_text.replace('.host = "app";', f'.host = "{host}";').replace(
            '.port = "8000";', f'.port = "{port}";'
        )
    )
    compiled = subprocess.run(
        [VARNISHD, "-C", "-j", "none", "-f", str(vcl), "-n", str(work / "compile")],
        capture_output=True,
        text=True,
        check=False,
    )
    if compiled.returncode != 0:
        if "xkey" in compiled.stderr and "VMOD" in compiled.stderr:
            pytest.skip("the xkey vmod is not installed (apt-get install varnish-modules)")
        raise AssertionError(f"the VCL does not compile:\n{compiled.stderr}")
    listen = free_port()
    log = (work / "varnishd.log").open("wb")
    process = subprocess.Popen(
        [
            VARNISHD, "-F", "-j", "none",
            "-a", f"127.0.0.1:{listen}",
            "-T", f"127.0.0.1:{free_port()}",
            "-f", str(vcl), "-n", str(work / "state"), "-s", "malloc,32m",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{listen}"
    try:
        wait_for(
            lambda: _answers(base + "/healthz") or process.poll() is not None,
            timeout=20,
            what="varnishd to serve",
        )
        assert process.poll() is None, (work / "varnishd.log").read_text()
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@contextlib.contextmanager
def purge_relay(
    varnishes: list[str], tmp_path: Path, secret: str = SECRET, listen: str | None = None
) -> Iterator[Any]:
    """``cms purge-relay`` on ``listen`` (default: a free loopback port), purging ``varnishes``."""
    listen = listen or f"127.0.0.1:{free_port()}"
    port = int(listen.rsplit(":", 1)[1])
    log_path = tmp_path / f"purge-relay-{port}.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable, "-m", "cms", "purge-relay",
                *(arg for url in varnishes for arg in ("--varnish", url)),
                "--listen", listen,
            ],
            env={**os.environ, "CMS_PURGE_RELAY_SECRET": secret},
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
    base = f"http://{listen}"
    try:
        wait_for(
            lambda: _answers(base + "/healthz") or process.poll() is not None,
            timeout=30,
            what="the purge relay to serve",
        )
        assert process.poll() is None, log_path.read_text()
        process.base = base  # type: ignore[attr-defined]
        process.log_path = log_path  # type: ignore[attr-defined]
        yield process
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def _purged_by(relay: Any, event: OutboxEvent) -> bool:
    """Whether the relay purged for this event (the sender's webhook-id is its event id)."""
    return f"cdn.purge purged {event.event_id} " in relay.log_path.read_text()


def _answers(url: str) -> bool:
    try:
        return request(url).status == 200
    except OSError:
        return False


@dataclass
class Stack:
    server: Server  # the product, directly
    url: str  # its database
    varnish: str  # the product through Varnish
    relay: str
    database: Database
    tmp_path: Path
    seen: int = 0  # the last outbox row already handed to the relay

    def read(self, path: str, **headers: str) -> Reply:
        return request(self.varnish + path, headers=headers)

    def new_purges(self) -> list[OutboxEvent]:
        """The cdn.purge events written since the last call, oldest first."""
        with self.database.session() as session:
            events = session.scalars(
                sa.select(OutboxEvent)
                .where(OutboxEvent.type == "cdn.purge", OutboxEvent.id > self.seen)
                .order_by(OutboxEvent.id)
            ).all()
        if events:
            self.seen = events[-1].id
        return list(events)

    def deliver_new_purges(self) -> list[Reply]:
        replies = [deliver(self.relay, event) for event in self.new_purges()]
        assert replies, "the change wrote no cdn.purge event"
        return replies


def deliver(
    relay: str,
    event: OutboxEvent,
    *,
    secret: str = SECRET,
    sent_at: dt.datetime | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """POST one outbox event to the relay as a Standard Webhooks sender does."""
    body = json.dumps(event.payload)
    sent_at = sent_at or dt.datetime.now(dt.UTC)
    webhook_id = f"msg_{event.event_id}"
    signed = {
        "Content-Type": "application/json",
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(sent_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, sent_at, body),
    }
    return post(relay, body.encode(), {**signed, **(headers or {})})


def post(url: str, body: bytes, headers: dict[str, str]) -> Reply:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("POST", "/", body=body, headers=headers)
        response = connection.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


def purge_from(source: str, varnish: str, keys: str) -> Reply:
    """A PURGE sent to Varnish from the loopback address ``source``."""
    host, port = varnish.removeprefix("http://").rsplit(":", 1)
    connection = http.client.HTTPConnection(host, int(port), timeout=10, source_address=(source, 0))
    try:
        connection.request("PURGE", "/", headers={"xkey-purge": keys})
        response = connection.getresponse()
        return Reply(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


@pytest.fixture(scope="module")
def stack(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    tmp_path = tmp_path_factory.mktemp(f"varnish-{backend}")
    url = live_database_url(backend, tmp_path, "cms_live_varnish")
    secrets = issue_tokens(url)
    env = {"CMS_PUBLIC_S_MAXAGE": str(S_MAXAGE), "CMS_DELIVERY_CACHE_BYTES": "0", **WEBHOOKS_ENV}
    with (
        gunicorn(url, tmp_path, workers=1, env=env) as server,
        varnishd(server.base, tmp_path / "varnish") as varnish,
        purge_relay([varnish], tmp_path) as relay,
    ):
        server.secrets = secrets
        database = Database.from_url(url)
        try:
            yield Stack(server, url, varnish, relay.base, database, tmp_path)  # type: ignore[attr-defined]
        finally:
            database.engine.dispose()
        log = relay.log_path.read_text()  # type: ignore[attr-defined]
        assert "Traceback" not in log, log


def warm(stack: Stack, path: str) -> Reply:
    """Read ``path`` through Varnish until it comes from the cache; the cached reply."""
    first = stack.read(path)
    second = stack.read(path)
    assert second.headers["X-Cache"] == "HIT", (path, first.headers, second.headers)
    assert second.body == first.body
    return second


def edit_and_publish(stack: Stack, article_id: str, etag: str, summary: str) -> str:
    server = stack.server
    patched = request(
        f"{server.base}{MANAGE}/{article_id}",
        method="PATCH",
        headers=server.auth(
            "editor", **{"If-Match": etag, "Content-Type": "application/merge-patch+json"}
        ),
        body={"summary": summary},
    )
    assert patched.status == 200, patched.body
    etag = patched.headers["ETag"]
    for role, action in (("editor", "submit"), ("reviewer", "approve"), ("publisher", "publish")):
        etag = act(server, role, article_id, etag, action)
    return etag


def test_a_new_revision_and_an_unpublication_reach_readers_through_varnish(stack: Stack):
    article_id, etag = publish_article(
        stack.server, slug="varnish-purged", title="Purged by surrogate key"
    )
    stack.deliver_new_purges()
    detail = warm(stack, article_url("varnish-purged"))
    listing = warm(stack, "/api/v1/articles?locale=en")
    first_revision = detail.json()["revision"]
    # The cache may keep these for an hour: expiry cannot explain what follows.
    for reply in (detail, listing):
        assert f"s-maxage={S_MAXAGE}" in reply.headers["Cache-Control"]
        assert int(reply.headers["Age"]) < 60
    assert "article:" + article_id in detail.headers["Surrogate-Key"].split()
    assert "xkey" not in {name.lower() for name in detail.headers}

    # A new live revision: Varnish serves the old one until the purge arrives.
    etag = edit_and_publish(stack, article_id, etag, "A corrected summary, second revision.")
    stale = stack.read(article_url("varnish-purged"))
    assert (stale.headers["X-Cache"], stale.json()["revision"]) == ("HIT", first_revision)
    assert stack.read("/api/v1/articles?locale=en").body == listing.body
    replies = stack.deliver_new_purges()
    assert [reply.status for reply in replies] == [200]
    # The detail and the list page, at least, were dropped.
    assert sum(replies[0].json()["purged"].values()) >= 2
    fresh = wait_for(
        lambda: (
            (r := stack.read(article_url("varnish-purged"))).json()["revision"] > first_revision
            and r
        ),
        timeout=5,
        what="Varnish to serve the new revision",
    )
    assert fresh.json()["summary"] == "A corrected summary, second revision."
    assert fresh.headers["X-Cache"] == "MISS"
    relisted = stack.read("/api/v1/articles?locale=en")
    assert relisted.headers["X-Cache"] == "MISS"
    assert "A corrected summary, second revision." in relisted.body.decode()
    warm(stack, article_url("varnish-purged"))

    # Unpublished: Varnish still has the article until the purge, then it is gone.
    etag = act(stack.server, "publisher", article_id, etag, "unpublish")
    assert stack.read(article_url("varnish-purged")).status == 200
    assert [reply.status for reply in stack.deliver_new_purges()] == [200]
    gone = wait_for(
        lambda: (r := stack.read(article_url("varnish-purged"))).status == 410 and r,
        timeout=5,
        what="Varnish to answer 410 for the unpublished article",
    )
    assert "s-maxage=30" in gone.headers["Cache-Control"]  # a short-lived 410
    assert b"Purged by surrogate key" not in stack.read("/api/v1/articles?locale=en").body

    # Published again: the cached 410 (keyed by its address) goes too.
    assert warm(stack, article_url("varnish-purged")).status == 410
    act(stack.server, "publisher", article_id, etag, "publish")
    assert [reply.status for reply in stack.deliver_new_purges()] == [200]
    wait_for(
        lambda: stack.read(article_url("varnish-purged")).status == 200,
        timeout=5,
        what="Varnish to serve the article published again",
    )


def test_an_emergency_withdrawal_reaches_readers_through_varnish(stack: Stack):
    article_id, etag = publish_article(
        stack.server, slug="varnish-withdrawn", title="Withdrawn in an emergency"
    )
    stack.deliver_new_purges()
    warm(stack, article_url("varnish-withdrawn"))
    assert b"Withdrawn in an emergency" in warm(stack, "/api/v1/articles?locale=en").body
    withdrawn = request(
        f"{stack.server.base}{MANAGE}/{article_id}/withdraw",
        method="POST",
        headers=stack.server.auth("reviewer", **{"If-Match": etag}),
        body={"reason": "A dosage in the risks section is wrong."},
    )
    assert withdrawn.status == 200, withdrawn.body
    assert stack.read(article_url("varnish-withdrawn")).headers["X-Cache"] == "HIT"
    assert [reply.status for reply in stack.deliver_new_purges()] == [200]
    gone = wait_for(
        lambda: (r := stack.read(article_url("varnish-withdrawn"))).status == 410 and r,
        timeout=5,
        what="Varnish to answer 410 for the withdrawn article",
    )
    assert gone.json()["type"] == "/problems/withdrawn"
    assert b"dosage" not in gone.body  # the neutral notice, never the reason
    assert b"Withdrawn in an emergency" not in stack.read("/api/v1/articles?locale=en").body


def test_forged_old_and_unsigned_deliveries_purge_nothing(stack: Stack):
    publish_article(stack.server, slug="varnish-forged", title="Never purged by a forgery")
    (event,) = stack.new_purges()
    cached = warm(stack, article_url("varnish-forged"))
    ten_minutes_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=10)
    other_secret = "whsec_" + base64.b64encode(b"somebody else's secret, 32 bytes").decode()
    refused = [
        deliver(stack.relay, event, secret=other_secret),
        deliver(stack.relay, event, sent_at=ten_minutes_ago),
        deliver(stack.relay, event, headers={"webhook-signature": "v1"}),  # no comma
        deliver(stack.relay, event, headers={"webhook-signature": "v1,not base64!"}),
        post(stack.relay, json.dumps(event.payload).encode(), {"Content-Type": "application/json"}),
    ]
    assert [reply.status for reply in refused] == [401] * 5
    assert all(reply.json()["status"] == 401 for reply in refused)
    again = stack.read(article_url("varnish-forged"))
    assert again.headers["X-Cache"] == "HIT"
    assert int(again.headers["Age"]) >= int(cached.headers["Age"])

    # The genuine delivery purges; its repeat (a retry after a lost answer) does not.
    first = deliver(stack.relay, event)
    assert first.status == 200
    assert first.json()["duplicate"] is False
    assert stack.read(article_url("varnish-forged")).headers["X-Cache"] == "MISS"
    warm(stack, article_url("varnish-forged"))
    repeat = deliver(stack.relay, event)
    assert (repeat.status, repeat.json()["duplicate"]) == (200, True)
    assert stack.read(article_url("varnish-forged")).headers["X-Cache"] == "HIT"


def test_a_signed_event_of_another_type_or_shape(stack: Stack):
    publish_article(stack.server, slug="varnish-other-events", title="Other events")
    (event,) = stack.new_purges()
    other = OutboxEvent(event_id=event.event_id, type="article.published", payload={
        "type": "article.published", "timestamp": event.payload["timestamp"], "data": {},
    })  # fmt: skip
    ignored = deliver(stack.relay, other)
    assert (ignored.status, ignored.json()["ignored"]) == (200, True)
    for payload in ([], {"type": "cdn.purge", "data": {"surrogate_keys": ["a b"]}}):
        bad = OutboxEvent(event_id=event.event_id, type="cdn.purge", payload=payload)
        assert deliver(stack.relay, bad).status == 400


def test_varnish_takes_purges_only_from_its_acl_and_caches_no_private_request(stack: Stack):
    article_id, _etag = publish_article(stack.server, slug="varnish-acl", title="ACL")
    stack.new_purges()
    warm(stack, article_url("varnish-acl"))
    # 127.0.0.2 is this machine too, but not in `acl purgers`.
    refused = purge_from("127.0.0.2", stack.varnish, f"article:{article_id}")
    assert refused.status == 403
    assert stack.read(article_url("varnish-acl")).headers["X-Cache"] == "HIT"
    no_keys = purge_from("127.0.0.1", stack.varnish, "")
    assert no_keys.status == 400
    purged = purge_from("127.0.0.1", stack.varnish, f"article:{article_id}")
    assert (purged.status, purged.headers["xkey-purged"]) == (200, "1")
    assert stack.read(article_url("varnish-acl")).headers["X-Cache"] == "MISS"

    for headers in ({"Cookie": "session=1"}, stack.server.auth("editor")):
        for _ in range(2):
            reply = stack.read(article_url("varnish-acl"), **headers)
            assert (reply.status, reply.headers["X-Cache"]) == (200, "MISS"), headers
    for _ in range(2):
        manage = stack.read(f"{MANAGE}/{article_id}", **stack.server.auth("editor"))
        assert (manage.status, manage.headers["X-Cache"]) == (200, "MISS")
    anonymous = stack.read(f"{MANAGE}/{article_id}")
    assert anonymous.status == 401


def test_a_varnish_that_does_not_confirm_fails_the_delivery(stack: Stack):
    publish_article(stack.server, slug="varnish-down", title="One node down")
    (event,) = stack.new_purges()
    warm(stack, article_url("varnish-down"))
    dead = f"http://127.0.0.1:{free_port()}"
    with purge_relay([stack.varnish, dead], stack.tmp_path) as relay:
        failed = deliver(relay.base, event)  # type: ignore[attr-defined]
        assert failed.status == 502
        assert list(failed.json()["failures"]) == [dead]
        # Sent again (the sender retries until every node confirmed): still not done.
        assert deliver(relay.base, event).status == 502  # type: ignore[attr-defined]
    # The node that answered was purged all the same.
    assert stack.read(article_url("varnish-down")).headers["X-Cache"] == "MISS"


def test_the_worker_delivers_purges_to_the_relay_as_signed_webhooks(stack: Stack):
    """The real path: a cdn.purge webhook subscription, ``cms worker``, the relay."""
    pytest.importorskip(
        "cms.webhooks", reason="signed webhook delivery (cms.webhooks) is not in this build yet"
    )
    address = f"127.0.0.1:{free_port()}"
    created = request(
        stack.server.base + "/api/v1/manage/webhooks",
        method="POST",
        headers=stack.server.auth("admin"),
        body={"url": f"http://{address}/", "events": ["cdn.purge"]},
    )
    assert created.status == 201, created.body
    secret = created.json()["secret"]
    article_id, etag = publish_article(stack.server, slug="varnish-webhook", title="By webhook")
    *_earlier, published = stack.new_purges()
    with (
        purge_relay([stack.varnish], stack.tmp_path, secret=secret, listen=address) as relay,
        worker_process(stack.url, stack.tmp_path, env=WEBHOOKS_ENV) as worker,
    ):
        # Events written before the subscription are delivered to it too: once the
        # publication's own purge is done, the page is cached.
        wait_for(lambda: _purged_by(relay, published), what="the publication's purge")
        first = warm(stack, article_url("varnish-webhook"))
        assert f"s-maxage={S_MAXAGE}" in first.headers["Cache-Control"]

        etag = edit_and_publish(stack, article_id, etag, "Corrected, delivered by webhook.")
        fresh = wait_for(
            lambda: (
                (r := stack.read(article_url("varnish-webhook"))).json()["summary"]
                == "Corrected, delivered by webhook."
                and r
            ),
            timeout=10,
            what="the worker's purge to reach Varnish",
        )
        assert fresh.json()["revision"] > first.json()["revision"]
        warm(stack, article_url("varnish-webhook"))

        act(stack.server, "publisher", article_id, etag, "unpublish")
        wait_for(
            lambda: stack.read(article_url("varnish-webhook")).status == 410,
            timeout=10,
            what="Varnish to answer 410 once the worker delivered the purge",
        )
    assert "Traceback" not in worker.log_path.read_text()  # type: ignore[attr-defined]
