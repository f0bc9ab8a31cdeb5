"""The purge relay's decisions, with a recording stand-in for Varnish.

tests/infra/test_varnish_purge.py runs it against a real Varnish; here are the
cases that need no processes: rotation, the duplicate memory, batching, failures.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import pytest
from standardwebhooks.webhooks import Webhook

from cms.cdn import varnish
from cms.cdn.relay import BadDelivery, BadSignature, NotAcknowledged, Relay

OLD = "whsec_" + base64.b64encode(b"o" * 32).decode()
NEW = "whsec_" + base64.b64encode(b"n" * 32).decode()


class FakeVarnish:
    def __init__(self, failing: Sequence[str] = ()):
        self.purges: list[tuple[str, list[str]]] = []
        self.failing = set(failing)

    def __call__(self, url: str, keys: Sequence[str]) -> int:
        if url in self.failing:
            raise varnish.PurgeFailed(f"{url} refused")
        self.purges.append((url, list(keys)))
        return len(keys)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def signed(payload: Any, *, secrets: Sequence[str] = (NEW,), msg_id: str = "msg_1"):
    body = json.dumps(payload).encode()
    now = dt.datetime.now(dt.UTC)
    signature = " ".join(Webhook(s).sign(msg_id, now, body.decode()) for s in secrets)
    headers = {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(int(now.timestamp())),
        "Webhook-Signature": signature,
    }
    return body, headers


def purge_event(*keys: str) -> dict[str, Any]:
    return {
        "type": "cdn.purge",
        "timestamp": "2026-11-30T09:00:00.000Z",
        "data": {"surrogate_keys": list(keys), "change": {"kind": "updated", "generation": 7}},
    }


def relay(fake: FakeVarnish, *, secrets=(NEW,), varnishes=("http://a",), clock=None) -> Relay:
    return Relay(
        secrets=list(secrets), varnishes=list(varnishes), purge=fake, clock=clock or Clock()
    )


def test_every_varnish_gets_the_keys_once_each():
    fake = FakeVarnish()
    outcome = relay(fake, varnishes=("http://a:6081", "http://b:6081")).receive(
        *signed(purge_event("list", "article:1", "list"))
    )
    assert sorted(fake.purges) == [
        ("http://a:6081", ["article:1", "list"]),
        ("http://b:6081", ["article:1", "list"]),
    ]
    assert outcome.purged == {"http://a:6081": 2, "http://b:6081": 2}


def test_during_a_rotation_either_secret_verifies():
    fake = FakeVarnish()
    both = relay(fake, secrets=(OLD, NEW))
    both.receive(*signed(purge_event("list"), secrets=(OLD,), msg_id="msg_old"))
    both.receive(*signed(purge_event("list"), secrets=(NEW, OLD), msg_id="msg_both"))
    assert len(fake.purges) == 2
    with pytest.raises(BadSignature):
        relay(fake, secrets=(NEW,)).receive(*signed(purge_event("list"), secrets=(OLD,)))


def test_a_body_changed_after_signing_is_refused():
    body, headers = signed(purge_event("article:1"))
    with pytest.raises(BadSignature):
        relay(FakeVarnish()).receive(body.replace(b"article:1", b"list"), headers)


def test_a_repeat_is_answered_without_purging_until_the_memory_fades():
    fake, clock = FakeVarnish(), Clock()
    receiver = relay(fake, clock=clock)
    assert not receiver.receive(*signed(purge_event("list"))).duplicate
    assert receiver.receive(*signed(purge_event("list"))).duplicate
    assert len(fake.purges) == 1
    clock.now += 601
    assert not receiver.receive(*signed(purge_event("list"))).duplicate
    assert len(fake.purges) == 2


def test_a_failed_purge_is_not_remembered_so_its_retry_purges():
    fake = FakeVarnish(failing=["http://b"])
    receiver = relay(fake, varnishes=("http://a", "http://b"))
    with pytest.raises(NotAcknowledged) as failed:
        receiver.receive(*signed(purge_event("list")))
    assert failed.value.failures == {"http://b": "http://b refused"}
    assert failed.value.purged == {"http://a": 1}
    fake.failing.clear()
    outcome = receiver.receive(*signed(purge_event("list")))
    assert (outcome.duplicate, outcome.purged) == (False, {"http://a": 1, "http://b": 1})


def test_many_keys_go_in_batches_that_fit_a_header():
    keys = [f"condition:condition-number-{n:04}" for n in range(400)]
    fake = FakeVarnish()
    relay(fake).receive(*signed(purge_event(*keys)))
    sent = [batch for _url, batch in fake.purges]
    assert len(sent) > 1
    assert sorted(key for batch in sent for key in batch) == sorted(keys)
    assert all(len(" ".join(batch)) <= varnish.MAX_HEADER_BYTES for batch in sent)


@pytest.mark.parametrize(
    "payload",
    [
        [],
        {"data": {}},
        {"type": "cdn.purge", "data": {"surrogate_keys": "list"}},
        {"type": "cdn.purge", "data": {"surrogate_keys": ["two keys"]}},
        {"type": "cdn.purge", "data": {"surrogate_keys": ["line\r\nbreak"]}},
        {"type": "cdn.purge", "data": {"surrogate_keys": [7]}},
    ],
)
def test_a_signed_body_that_is_no_purge_event_is_refused(payload: Any):
    fake = FakeVarnish()
    with pytest.raises(BadDelivery):
        relay(fake).receive(*signed(payload))
    assert fake.purges == []


def test_other_event_types_are_acknowledged_and_ignored():
    fake = FakeVarnish()
    outcome = relay(fake).receive(*signed({"type": "article.published", "data": {}}))
    assert outcome.ignored
    assert fake.purges == []


def test_a_relay_without_secret_or_varnish_does_not_start():
    with pytest.raises(ValueError, match="secret"):
        Relay(secrets=[], varnishes=["http://a"])
    with pytest.raises(ValueError, match="Varnish"):
        Relay(secrets=[NEW], varnishes=[])
