"""GET /metrics: who may read it, and what it counts (in one process; see test_gunicorn)."""

from __future__ import annotations

import datetime as dt
import random
import socket
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client import CollectorRegistry, Histogram, generate_latest
from sqlalchemy.orm import Session

from cms import migrate
from cms.app import create_app
from cms.db import Database
from cms.observability import events, metrics
from cms.observability.outbox import BacklogCollector
from tests.conftest import empty_engine
from tests.editors import Editors
from tests.factories import article_document, create_article, revise
from tests.observability.outbox_table import create_outbox
from tests.observability.scraping import families, parse, scrape, value

TOKEN = "metrics-token"
DETAIL_ROUTE = "/api/v1/articles/<slug:slug>"


@pytest.fixture
def metrics_app(database: Database) -> Flask:
    return create_app({"DATABASE": database, "TESTING": True, "METRICS_TOKEN": TOKEN})


@pytest.fixture
def metrics_client(metrics_app: Flask) -> FlaskClient:
    return metrics_app.test_client()


# --- Who may read it -----------------------------------------------------------------------


def test_not_served_unless_configured(client: FlaskClient):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    "authorization", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer "]
)
def test_refused_without_the_token(metrics_client: FlaskClient, authorization: str | None):
    headers = {"Authorization": authorization} if authorization else {}
    response = metrics_client.get("/metrics", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == 'Bearer realm="metrics"'
    assert "cms_http_requests_total" not in response.get_data(as_text=True)


def test_served_with_the_token_in_the_prometheus_text_format(metrics_client: FlaskClient):
    response = metrics_client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    assert response.headers["Cache-Control"] == "private, no-store"
    declared = families(response.get_data(as_text=True))
    assert declared["cms_http_requests"] == "counter"
    assert declared["cms_http_request_duration_seconds"] == "histogram"


def test_openmetrics_when_asked(metrics_client: FlaskClient):
    response = metrics_client.get(
        "/metrics",
        headers={"Authorization": f"Bearer {TOKEN}", "Accept": "application/openmetrics-text"},
    )
    assert response.headers["Content-Type"].startswith("application/openmetrics-text")
    assert response.get_data(as_text=True).endswith("# EOF\n")


@pytest.mark.parametrize(
    ("allow", "status"),
    [("127.0.0.0/8", 200), ("10.0.0.0/8, ::1", 403), ("127.0.0.1", 200)],
)
def test_an_address_rule_serves_only_those_networks(database: Database, allow: str, status: int):
    app = create_app({"DATABASE": database, "METRICS_ALLOW_FROM": allow})
    assert app.test_client().get("/metrics").status_code == status


def test_token_still_works_outside_the_allowed_networks(database: Database):
    app = create_app(
        {"DATABASE": database, "METRICS_ALLOW_FROM": "10.0.0.0/8", "METRICS_TOKEN": TOKEN}
    )
    client = app.test_client()
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200


def test_two_tokens_during_a_rotation(database: Database):
    app = create_app({"DATABASE": database, "METRICS_TOKEN": "old-one, new-one"})
    client = app.test_client()
    for token in ("old-one", "new-one"):
        assert (
            client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 200
        )
    for token in ("old-one, new-one", "old-one,", "one"):
        assert (
            client.get("/metrics", headers={"Authorization": f"Bearer {token}"}).status_code == 401
        )


def test_disabled_metrics_are_not_served_even_with_a_token(database: Database):
    app = create_app({"DATABASE": database, "METRICS_TOKEN": TOKEN, "METRICS_ENABLED": False})
    response = app.test_client().get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 404


def test_a_bad_network_stops_the_start(database: Database):
    with pytest.raises(RuntimeError, match="CMS_METRICS_ALLOW_FROM"):
        create_app({"DATABASE": database, "METRICS_ALLOW_FROM": "10.0.0.0/33"})


# --- What it counts -------------------------------------------------------------------------


def test_requests_are_counted_by_route_template_method_and_status(
    metrics_client: FlaskClient, session: Session
):
    create_article(session)
    before = parse(scrape(metrics_client))
    for _ in range(3):
        metrics_client.get("/api/v1/articles/stem-cells-scleroderma")
    metrics_client.get("/api/v1/articles/no-such-article")
    metrics_client.get("/no/such/path")
    metrics_client.open("/api/v1/articles", method="BREW")
    after = parse(scrape(metrics_client))

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    ok = {"route": DETAIL_ROUTE, "method": "GET", "status": "200"}
    assert delta("cms_http_requests_total", **ok) == 3
    assert delta("cms_http_request_duration_seconds_count", **ok) == 3
    assert delta("cms_http_request_duration_seconds_bucket", le="+Inf", **ok) == 3
    assert delta("cms_http_request_duration_seconds_sum", **ok) > 0
    assert delta("cms_http_requests_total", route=DETAIL_ROUTE, method="GET", status="404") == 1
    unmatched = {"route": "(unmatched)", "status": "404", "method": "GET"}
    assert delta("cms_http_requests_total", **unmatched) == 1
    # Methods are a closed set: a client cannot mint new label values.
    odd = {"route": "(unmatched)", "method": "other", "status": "405"}
    assert delta("cms_http_requests_total", **odd) == 1
    # The first read of the article filled the cache; the next two were hits.
    assert delta("cms_delivery_cache_requests_total", result="hit") == 2
    assert delta("cms_delivery_cache_requests_total", result="miss") == 2


def test_cache_size_is_reported(metrics_app: Flask, metrics_client: FlaskClient, session: Session):
    create_article(session)
    body = metrics_client.get("/api/v1/articles/stem-cells-scleroderma").data
    listing = metrics_client.get("/api/v1/articles").data
    samples = parse(scrape(metrics_client))
    # Every cache of this process counts (other tests' apps may be alive too).
    assert value(samples, "cms_delivery_cache_entries") >= 2
    assert value(samples, "cms_delivery_cache_bytes") >= len(body) + len(listing)
    cache = metrics_app.extensions["cms.delivery_cache"]
    assert (len(cache), cache.stored_bytes()) == (2, len(body) + len(listing))


def test_publishing_is_counted_when_it_commits(
    metrics_client: FlaskClient, editors: Editors, session: Session
):
    before = parse(scrape(metrics_client))
    created = editors.create(role="editor")  # so that the admin may sign it off
    article_id, etag = created.get_json()["id"], created.headers["ETag"]
    for action in ("submit", "approve"):
        response = editors.act("admin", article_id, etag, action)
        etag = response.headers["ETag"]
    published = editors.act("admin", article_id, etag, "publish")
    assert published.status_code == 200, published.get_json()
    unpublished = editors.act("admin", article_id, published.headers["ETag"], "unpublish")
    assert unpublished.status_code == 200, unpublished.get_json()
    after = parse(scrape(metrics_client))

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert delta("cms_publishes_total", kind="first") == 1
    assert delta("cms_publishes_total", kind="update") == 0
    assert delta("cms_unpublishes_total") == 1


def test_a_publish_that_is_rolled_back_is_not_counted(
    metrics_client: FlaskClient, database: Database
):
    before = parse(scrape(metrics_client))
    with database.session() as session:
        create_article(session)  # publishes, then the transaction fails
        session.rollback()
        create_article(session, slug="another")
        session.commit()
    after = parse(scrape(metrics_client))
    assert (
        value(after, "cms_publishes_total", kind="first")
        - value(before, "cms_publishes_total", kind="first")
        == 1
    )


def test_a_new_live_revision_counts_as_an_update(metrics_client: FlaskClient, session: Session):
    before = parse(scrape(metrics_client))
    article = create_article(session)
    revise(session, article, publish=True, title="Corrected")
    session.commit()
    after = parse(scrape(metrics_client))
    assert (
        value(after, "cms_publishes_total", kind="first")
        - value(before, "cms_publishes_total", kind="first")
        == 1
    )
    assert (
        value(after, "cms_publishes_total", kind="update")
        - value(before, "cms_publishes_total", kind="update")
        == 1
    )


@pytest.mark.usefixtures("clock")  # the document's review dates are current on NOW
def test_check_runs_are_counted_and_timed(metrics_client: FlaskClient, editors: Editors):
    before = parse(scrape(metrics_client))
    response = metrics_client.post(
        "/api/v1/manage/checks", json=article_document(), headers=editors.headers("editor")
    )
    assert response.status_code == 200
    after = parse(scrape(metrics_client))

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    # A report runs the checks as an editor sees them and as publishing would.
    assert delta("cms_check_runs_total", purpose="edit", result="clean") == 1
    assert delta("cms_check_runs_total", purpose="publish", result="clean") == 1
    assert delta("cms_check_run_duration_seconds_count", purpose="edit") == 1
    assert delta("cms_check_run_duration_seconds_sum", purpose="edit") > 0


def test_database_errors_and_pool_checkouts_are_counted(metrics_client: FlaskClient):
    before = parse(scrape(metrics_client))
    unreachable = create_app(
        {"DATABASE": Database.from_url("postgresql+psycopg://cms@127.0.0.1:1/cms")}
    )
    assert unreachable.test_client().get("/readyz").status_code == 503
    after = parse(scrape(metrics_client))
    assert (
        value(after, "cms_db_errors_total", kind="OperationalError")
        - value(before, "cms_db_errors_total", kind="OperationalError")
        >= 1
    )
    assert value(after, "cms_db_pool_checkout_seconds_count") > value(
        before, "cms_db_pool_checkout_seconds_count"
    )


def test_worker_and_sync_metrics_are_declared_before_the_worker_feeds_them(
    metrics_client: FlaskClient,
):
    declared = families(scrape(metrics_client))
    for name in (
        "cms_webhook_deliveries",
        "cms_webhook_delivery_duration_seconds",
        "cms_cdn_purges",
        "cms_schedule_runs",
        "cms_scheduled_changes",
        "cms_sync_requests",
        "cms_withdrawals",
    ):
        assert name in declared, name


def test_worker_events_are_counted_by_endpoint_and_outcome(metrics_client: FlaskClient):
    before = parse(scrape(metrics_client))
    for outcome in ("retrying", "retrying", "delivered"):
        events.webhook_delivery(
            event_id="e",
            event_type="article.published",
            webhook_id="wh-count",
            url="https://hooks.example.com/x",
            attempt=1,
            outcome=outcome,
            seconds=0.1,
        )
    events.cdn_purge(event_id="e", keys=["a"], outcome="failed", seconds=0.2)
    events.schedule_run(published=2, unpublished=1, seconds=0.01)
    metrics.sync_request(kind="delta")
    after = parse(scrape(metrics_client))

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    retrying = {"endpoint": "wh-count", "outcome": "retrying"}
    assert delta("cms_webhook_deliveries_total", **retrying) == 2
    assert delta("cms_webhook_deliveries_total", endpoint="wh-count", outcome="delivered") == 1
    assert delta("cms_webhook_delivery_duration_seconds_count", endpoint="wh-count") == 3
    assert delta("cms_cdn_purges_total", outcome="failed") == 1
    assert delta("cms_schedule_runs_total") == 1
    assert delta("cms_scheduled_changes_total", action="publish") == 2
    assert delta("cms_scheduled_changes_total", action="unpublish") == 1
    assert delta("cms_sync_requests_total", kind="delta") == 1


def test_the_worker_serves_its_metrics_on_its_own_address():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = metrics.serve(f"127.0.0.1:{port}")
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            text = response.read().decode()
    finally:
        server.shutdown()
        server.server_close()
    assert "# TYPE cms_webhook_deliveries_total counter" in text


def test_a_bad_worker_metrics_address_stops_the_start():
    with pytest.raises(RuntimeError, match="host:port"):
        metrics.serve("localhost")


# --- The outbox backlog ---------------------------------------------------------------------


@pytest.fixture
def outbox_engine(backend: str, tmp_path: Path) -> Iterator[sa.Engine]:
    engine = empty_engine(backend, tmp_path, "cms_outbox_metrics")
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def collect(collector: BacklogCollector) -> dict[str, float]:
    registry = CollectorRegistry()
    registry.register(collector)
    samples = parse(generate_latest(registry).decode())
    return {name: sample for (name, _), sample in samples.items()}


def test_outbox_backlog_is_absent_without_an_outbox_table(backend: str, tmp_path: Path):
    engine = empty_engine(backend, tmp_path, "cms_outbox_unmigrated")
    assert collect(BacklogCollector(engine)) == {}
    engine.dispose()


def test_outbox_depth_and_oldest_age_come_from_the_table(outbox_engine: sa.Engine):
    now = dt.datetime(2026, 6, 1, 12, 0, tzinfo=dt.UTC)
    create_outbox(
        outbox_engine, now - dt.timedelta(seconds=90), now - dt.timedelta(seconds=5), delivered=4
    )
    collector = BacklogCollector(outbox_engine, clock=lambda: now)
    assert collect(collector) == {"cms_outbox_depth": 2, "cms_outbox_oldest_age_seconds": 90}


def test_an_empty_outbox_is_zero_old(outbox_engine: sa.Engine):
    create_outbox(outbox_engine, delivered=2)
    assert collect(BacklogCollector(outbox_engine)) == {
        "cms_outbox_depth": 0,
        "cms_outbox_oldest_age_seconds": 0,
    }


def test_the_app_exports_the_backlog_once_the_table_exists(outbox_engine: sa.Engine):
    create_outbox(outbox_engine, dt.datetime.now(dt.UTC) - dt.timedelta(seconds=30))
    app = create_app({"DATABASE": Database(outbox_engine), "METRICS_TOKEN": TOKEN})
    samples = parse(scrape(app.test_client()))
    assert value(samples, "cms_outbox_depth") == 1
    assert value(samples, "cms_outbox_oldest_age_seconds") >= 30


# --- The bulk write of request tallies -------------------------------------------------------


def test_bulk_histogram_writes_equal_one_observe_per_request():
    """Guards the use of prometheus_client internals in ``metrics._add_observations``."""
    rng = random.Random(7)
    durations = [rng.choice([0.0001, 0.0005, 0.003, 0.04, 0.7, 3.0, 12.0]) for _ in range(200)]
    observed_registry, bulk_registry = CollectorRegistry(), CollectorRegistry()
    observed = Histogram("t", "t", buckets=metrics.LATENCY_BUCKETS, registry=observed_registry)
    bulk = Histogram("t", "t", buckets=metrics.LATENCY_BUCKETS, registry=bulk_registry)
    tally = [0.0] * (len(metrics.LATENCY_BUCKETS) + 2)
    for seconds in durations:
        observed.observe(seconds)
        tally[0] += seconds
        tally[1 + metrics.bisect.bisect_left(metrics.LATENCY_BUCKETS, seconds)] += 1
    metrics._add_observations(bulk, tally)
    assert parse(generate_latest(bulk_registry).decode()) == pytest.approx(
        parse(generate_latest(observed_registry).decode())
    )
