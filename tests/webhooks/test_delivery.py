"""Deliveries to a real HTTP endpoint on loopback, verified with the `standardwebhooks`
library (not with the product's own signing code)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import sqlalchemy as sa
import standardwebhooks
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from cms.audit import service as audit
from cms.db import Database
from cms.observability.logs import FIELDS
from cms.outbox import service as outbox
from cms.outbox.events import EventType
from cms.outbox.models import OutboxEvent
from cms.webhooks import service as webhooks
from cms.webhooks import signing
from cms.webhooks.delivery import Settings
from cms.webhooks.models import DeliveryStatus, Webhook
from tests.factories import NOW, TESTER, create_article
from tests.webhooks.helpers import (
    LOOPBACK,
    attempts,
    deliver,
    deliveries,
    dispatch,
    events,
    subscribe,
)
from tests.webhooks.receiver import receiver

HOUR = dt.timedelta(hours=1)  # past the backoff cap: any retry is due by then


def test_each_event_arrives_signed_and_verifiable_with_standard_webhooks(session: Session):
    with receiver() as endpoint:
        issued = subscribe(session, endpoint.url)
        create_article(session, slug="signed-delivery")
        session.commit()
        assert dispatch(session) == 2
        assert deliver(session, NOW) == 2
    verifier = standardwebhooks.Webhook(issued.secret)
    published, purge = events(session)
    assert [r.path for r in endpoint.received] == ["/hooks", "/hooks"]
    for request, event in zip(endpoint.received, (published, purge), strict=True):
        assert request.headers["Content-Type"] == "application/json"
        assert request.headers["webhook-id"] == str(event.event_id)
        assert verifier.verify(request.body, request.headers) == event.payload
    assert json.loads(endpoint.received[1].body)["type"] == "cdn.purge"
    assert [d.status for d in deliveries(session, issued.webhook)] == ["delivered", "delivered"]


def test_a_tampered_body_or_another_secret_fails_verification(session: Session):
    with receiver() as endpoint:
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW)
    (request,) = endpoint.received
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(issued.secret).verify(request.body + b" ", request.headers)
    other = subscribe(session, endpoint.url).secret
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(other).verify(request.body, request.headers)


def test_an_endpoint_gets_only_the_event_types_it_subscribed_to(session: Session):
    with receiver() as endpoint:
        subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW)
    assert [json.loads(r.body)["type"] for r in endpoint.received] == ["cdn.purge"]


def test_inactive_endpoints_get_nothing(session: Session):
    with receiver() as endpoint:
        webhooks.create_webhook(session, url=endpoint.url, events=["*"], active=False,
                                actor=TESTER, now=NOW, settings=LOOPBACK)  # fmt: skip
        create_article(session)
        session.commit()
        dispatch(session)
        assert deliver(session, NOW) == 0
    assert endpoint.received == []


def test_500_three_times_then_200_arrives_on_the_fourth_attempt_with_the_same_id(
    session: Session,
):
    with receiver() as endpoint:
        endpoint.answer(500, 500, 500, 200)
        issued = subscribe(session, endpoint.url, ["article.published"])
        create_article(session)
        session.commit()
        dispatch(session)
        assert deliver(session, NOW) == 1
        assert deliver(session, NOW) == 0  # the retry is not due yet
        for step in (1, 2, 3):
            assert deliver(session, NOW + step * HOUR) == 1
        assert deliver(session, NOW + 10 * HOUR) == 0
    ids = {r.headers["webhook-id"] for r in endpoint.received}
    assert ids == {str(events(session)[0].event_id)}
    verifier = standardwebhooks.Webhook(issued.secret)
    for request in endpoint.received:
        verifier.verify(request.body, request.headers)
    (found,) = deliveries(session, issued.webhook)
    assert found.status == DeliveryStatus.DELIVERED
    log = attempts(session, found)
    assert [(a.attempt, a.status_code, a.outcome) for a in log] == [
        (1, 500, "retrying"),
        (2, 500, "retrying"),
        (3, 500, "retrying"),
        (4, 200, "delivered"),
    ]
    # Each retry was scheduled by the backoff: 30 s doubling, full jitter.
    for number, attempt in enumerate(log[:3], start=1):
        delay = (attempt.next_attempt_at - attempt.attempted_at).total_seconds()
        assert 0 <= delay <= 30 * 2 ** (number - 1) + 1


@pytest.mark.parametrize("status", [408, 502, 503, 504])
def test_server_errors_are_retried(session: Session, status: int):
    with receiver() as endpoint:
        endpoint.answer(status, 204)
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW)
        deliver(session, NOW + HOUR)
    (found,) = deliveries(session, issued.webhook)
    outcomes = [a.outcome for a in attempts(session, found)]
    if status == 408:  # a client error: not retried
        assert outcomes == ["failed"]
    else:
        assert outcomes == ["retrying", "delivered"]


def test_429_is_retried_no_sooner_than_retry_after(session: Session):
    with receiver() as endpoint:
        endpoint.answer((429, {"Retry-After": "7200"}), 200)
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW)
        assert deliver(session, NOW + HOUR) == 0  # the backoff alone would have allowed it
        assert deliver(session, NOW + 2 * HOUR + dt.timedelta(seconds=5)) == 1
    (found,) = deliveries(session, issued.webhook)
    first, second = attempts(session, found)
    assert first.status_code == 429
    assert first.next_attempt_at - first.attempted_at >= dt.timedelta(seconds=7200)
    assert second.outcome == "delivered"


@pytest.mark.parametrize("status", [400, 404, 410, 301])
def test_other_answers_fail_the_delivery_at_once(session: Session, status: int):
    with receiver() as endpoint:
        endpoint.answer((status, {"Location": "http://127.0.0.1:1/elsewhere"}))
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW)
        assert deliver(session, NOW + 10 * HOUR) == 0
    assert len(endpoint.received) == 1  # and no redirect was followed
    (found,) = deliveries(session, issued.webhook)
    assert found.status == DeliveryStatus.FAILED
    assert found.last_status_code == status
    (attempt,) = attempts(session, found)
    assert (attempt.outcome, attempt.error) == ("failed", f"HTTP {status}")
    session.refresh(issued.webhook)
    assert issued.webhook.active  # one failure does not disable an endpoint


def test_a_refused_connection_is_retried_until_the_window_ends(session: Session):
    with receiver() as endpoint:
        url = endpoint.url
    settings = Settings(**{**vars(LOOPBACK), "retry_hours": 3.0})
    issued = subscribe(session, url, ["cdn.purge"])  # nothing listens there any more
    create_article(session)
    session.commit()
    dispatch(session)
    for step in range(10):
        deliver(session, NOW + step * HOUR, settings)
    (found,) = deliveries(session, issued.webhook)
    log = attempts(session, found)
    assert found.status == DeliveryStatus.FAILED
    assert [a.outcome for a in log] == ["retrying", "retrying", "retrying", "failed"]
    assert {a.error for a in log} == {"connection refused"}
    # The window is counted from the first attempt: the last one was three hours later.
    assert NOW + 3 * HOUR <= log[-1].attempted_at < NOW + 3 * HOUR + dt.timedelta(seconds=5)


def test_an_endpoint_that_accepts_nothing_for_the_whole_window_is_disabled(session: Session):
    settings = Settings(**{**vars(LOOPBACK), "retry_hours": 3.0})
    with receiver() as endpoint:
        endpoint.answer(503)
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session, slug="first")
        session.commit()
        dispatch(session)
        for step in range(5):
            deliver(session, NOW + step * HOUR, settings)
        create_article(session, slug="second")  # after it was disabled: not sent
        session.commit()
        dispatch(session, NOW + 6 * HOUR)
        assert deliver(session, NOW + 7 * HOUR, settings) == 0
    webhook = session.get(Webhook, issued.webhook.id, populate_existing=True)
    assert webhook is not None
    assert not webhook.active
    assert "retry window" in webhook.disabled_reason
    assert NOW + 3 * HOUR <= webhook.disabled_at < NOW + 3 * HOUR + dt.timedelta(minutes=1)
    assert len(endpoint.received) == 4
    (event,) = audit.events(session, action="webhook.disabled").events
    assert event.details["webhook_id"] == str(webhook.id)
    assert event.actor == "cms worker"


def test_a_permanent_failure_after_recent_successes_does_not_disable(session: Session):
    with receiver() as endpoint:
        endpoint.answer(200, 410)
        issued = subscribe(session, endpoint.url, ["*"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW + 30 * HOUR)
    assert [d.status for d in deliveries(session, issued.webhook)] == ["delivered", "failed"]
    session.refresh(issued.webhook)
    assert issued.webhook.active


def test_a_delivery_whose_worker_died_mid_attempt_is_sent_again_after_the_lease(
    session: Session,
):
    with receiver() as endpoint:
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        webhooks._claim(session, NOW, LOOPBACK)  # claimed and committed, then the worker died
        session.commit()
        assert deliver(session, NOW + dt.timedelta(seconds=10)) == 0  # still leased
        lease_end = NOW + dt.timedelta(seconds=LOOPBACK.lease_seconds + 1)
        assert deliver(session, lease_end) == 1
    (request,) = endpoint.received
    (found,) = deliveries(session, issued.webhook)
    assert request.headers["webhook-id"] == str(found.event_id)
    assert [(a.attempt, a.outcome) for a in attempts(session, found)] == [
        (1, "abandoned"),
        (2, "delivered"),
    ]


def test_after_a_rotation_both_secrets_sign_for_24_hours_then_only_the_new(session: Session):
    with receiver() as endpoint:
        old = subscribe(session, endpoint.url, ["cdn.purge"])
        new = webhooks.rotate_secret(session, webhook_id=old.webhook.id, actor=TESTER, now=NOW)
        session.commit()
        create_article(session, slug="during-the-grace")
        session.commit()
        dispatch(session)
        deliver(session, NOW + dt.timedelta(hours=23))
        create_article(session, slug="after-the-grace")
        session.commit()
        dispatch(session, NOW + dt.timedelta(hours=25))
        deliver(session, NOW + dt.timedelta(hours=25))
    assert new.secret != old.secret
    during, after = endpoint.received
    assert len(during.headers["webhook-signature"].split(" ")) == 2
    standardwebhooks.Webhook(old.secret).verify(during.body, during.headers)
    standardwebhooks.Webhook(new.secret).verify(during.body, during.headers)
    assert len(after.headers["webhook-signature"].split(" ")) == 1
    standardwebhooks.Webhook(new.secret).verify(after.body, after.headers)
    with pytest.raises(standardwebhooks.WebhookVerificationError):
        standardwebhooks.Webhook(old.secret).verify(after.body, after.headers)


def test_an_address_refused_at_delivery_time_is_not_called(session: Session):
    with receiver() as endpoint:
        issued = subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW, Settings())  # the operator has since withdrawn the allowance
    assert endpoint.received == []
    (found,) = deliveries(session, issued.webhook)
    assert found.status == DeliveryStatus.FAILED
    assert "127.0.0.1" in found.last_error


def test_a_host_name_is_called_at_the_address_that_was_checked_with_its_own_host_header(
    session: Session,
):
    with receiver() as endpoint:
        port = endpoint.url.split(":")[2].split("/")[0]
        resolved: list[str] = []

        def dns(host: str, _port: int) -> list[str]:
            resolved.append(host)
            return ["127.0.0.1"]

        settings = Settings(**{**vars(LOOPBACK), "resolve": dns})
        issued = subscribe(session, f"http://hooks.example.test:{port}/in", ["cdn.purge"],
                           settings=settings)  # fmt: skip
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW, settings)
    (request,) = endpoint.received
    assert request.path == "/in"
    assert request.headers["Host"] == f"hooks.example.test:{port}"
    assert resolved == ["hooks.example.test", "hooks.example.test"]  # saved, then sent
    standardwebhooks.Webhook(issued.secret).verify(request.body, request.headers)


def test_a_name_that_resolves_elsewhere_at_delivery_time_is_not_called(session: Session):
    """DNS rebinding: public when saved, loopback when sent."""
    answers = iter([["93.184.215.14"], ["127.0.0.1"]])
    settings = Settings(resolve=lambda _host, _port: next(answers))
    with receiver() as endpoint:
        port = endpoint.url.split(":")[2].split("/")[0]
        issued = subscribe(session, f"http://rebind.example.test:{port}/", ["cdn.purge"],
                           settings=settings)  # fmt: skip
        create_article(session)
        session.commit()
        dispatch(session)
        deliver(session, NOW, settings)
    assert endpoint.received == []
    (found,) = deliveries(session, issued.webhook)
    assert found.status == DeliveryStatus.FAILED
    assert "127.0.0.1" in found.last_error


def test_two_workers_never_claim_the_same_delivery(backend: str, engine: Engine):
    """SKIP LOCKED: a second worker skips the deliveries the first one is claiming."""
    if backend != "postgresql":
        pytest.skip("SQLite runs one worker: it has one writer at a time")
    database = Database(engine)
    try:
        with database.session(write=True) as setup:  # committed: no audit event (it stays)
            webhook = Webhook(url="http://127.0.0.1:9/", events=["*"], secret=signing.new_secret(),
                              created_at=NOW, updated_at=NOW)  # fmt: skip
            setup.add(webhook)
            for number in range(4):
                outbox.emit(setup, type=EventType.CDN_PURGE, data={"n": number}, now=NOW)
            setup.commit()
            dispatch(setup)
        with database.session(write=True) as first, database.session(write=True) as second:
            mine = webhooks._claim(first, NOW, Settings(**{**vars(LOOPBACK), "batch": 2}))
            theirs = webhooks._claim(second, NOW, LOOPBACK)  # the first has not committed
            first.commit()
            second.commit()
        assert len(mine) == 2
        assert len(theirs) == 2
        assert {job.delivery_id for job in mine}.isdisjoint(job.delivery_id for job in theirs)
    finally:
        with database.session(write=True) as cleanup:
            cleanup.execute(sa.delete(Webhook).where(Webhook.id == webhook.id))
            cleanup.execute(sa.delete(OutboxEvent))
            cleanup.commit()


def test_each_claimed_delivery_is_leased_for_the_attempts_before_it_in_the_batch(
    session: Session,
):
    """A batch is sent in order: the third one may wait for two slow attempts first."""
    issued = subscribe(session, "http://127.0.0.1:9/", ["*"])
    create_article(session)
    create_article(session, slug="second-article")
    session.commit()
    dispatch(session)
    jobs = webhooks._claim(session, NOW, Settings(**{**vars(LOOPBACK), "batch": 3}))
    session.commit()
    assert len(jobs) == 3
    leases = [
        d.next_attempt_at - NOW
        for d in deliveries(session, issued.webhook)
        if d.status == DeliveryStatus.SENDING
    ]
    lease = dt.timedelta(seconds=LOOPBACK.lease_seconds)
    assert leases == [lease, 2 * lease, 3 * lease]


def test_a_purge_delivery_is_counted_as_a_purge_with_its_keys(
    session: Session, caplog: pytest.LogCaptureFixture
):
    """The worker's cdn.purge lines (and cms_cdn_purges_total) say whether purges land."""
    caplog.set_level("INFO", logger="cms.worker")
    with receiver() as endpoint:
        endpoint.answer(503, 200)
        subscribe(session, endpoint.url, ["cdn.purge"])
        create_article(session, slug="purged-article")
        session.commit()
        dispatch(session)
        deliver(session, NOW)
        deliver(session, NOW + HOUR)
    purges = [
        getattr(r, FIELDS)
        for r in caplog.records
        if getattr(r, FIELDS, {}).get("event") == "cdn.purge"
    ]
    (event,) = [e for e in events(session) if e.type == "cdn.purge"]
    assert [p["outcome"] for p in purges] == ["retrying", "purged"]
    assert purges[1]["keys"] == sorted(event.payload["data"]["surrogate_keys"])
    assert "slug:en:purged-article" in purges[1]["keys"]
