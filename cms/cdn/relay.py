"""The purge relay: a signed ``cdn.purge`` webhook in, one xkey ``PURGE`` per Varnish out.

``receive`` takes the raw body and headers of one delivery and either returns
what it purged or raises: ``BadSignature`` (a forged, altered, old or replayed
request: the Standard Webhooks signature and timestamp, checked by the
``standardwebhooks`` library), ``BadDelivery`` (signed but not a purge event it
can read), ``NotAcknowledged`` (some Varnish did not confirm: the sender retries
the whole delivery, and purges are idempotent, so the nodes that did confirm
lose nothing by being purged again).

A delivery is remembered by its ``webhook-id`` once every Varnish confirmed it,
for ``memory_seconds``: a retry of a delivery already done (the sender saw a
timeout, say) is answered at once without purging again. The memory is this
process's only, which is why the relay runs one process: purges are idempotent,
so forgetting (a restart) costs a repeated purge, never a missed one.

Several secrets may be configured at once, for rotation: a signature made with
any of them is accepted.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from cms.cdn import varnish
from cms.observability.logs import FIELDS, origin

log = logging.getLogger("cms.purge_relay")

PURGE_EVENT = "cdn.purge"
# Keys as cms.delivery.keys makes them: visible ASCII, no spaces (a space separates keys).
KEY = re.compile(r"[!-~]{1,512}")
MAX_KEYS = 10_000
MEMORY_SIZE = 10_000

Purge = Callable[[str, Sequence[str]], int]


class BadSignature(Exception):
    """401: the delivery is not signed with a configured secret, or its timestamp is off."""


class BadDelivery(Exception):
    """400: signed, but not a webhook payload the relay can read."""


class NotAcknowledged(Exception):
    """502: at least one Varnish did not confirm the purge; ``failures`` by Varnish origin."""

    def __init__(self, failures: Mapping[str, str], purged: Mapping[str, int]):
        super().__init__("; ".join(failures.values()))
        self.failures = dict(failures)
        self.purged = dict(purged)


@dataclass(frozen=True)
class Outcome:
    webhook_id: str
    event: str
    keys: int
    purged: Mapping[str, int] = field(default_factory=dict)  # objects dropped, by Varnish
    duplicate: bool = False  # already done: nothing purged this time
    ignored: bool = False  # not a cdn.purge event: nothing to do

    def as_json(self) -> dict[str, Any]:
        return {
            "webhook_id": self.webhook_id,
            "event": self.event,
            "keys": self.keys,
            "purged": dict(self.purged),
            "duplicate": self.duplicate,
            "ignored": self.ignored,
        }


class Relay:
    def __init__(
        self,
        *,
        secrets: Sequence[str],
        varnishes: Sequence[str],
        timeout: float = 5.0,
        purge: Purge | None = None,
        memory_seconds: float = 600.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        if not secrets:
            raise ValueError("the relay needs at least one webhook secret (whsec_…)")
        if not varnishes:
            raise ValueError("the relay needs at least one Varnish URL")
        # Webhook() refuses an empty or undecodable secret at start-up, not per request.
        self._webhooks = [Webhook(secret) for secret in secrets]
        self.varnishes = list(varnishes)
        self._purge = purge or (lambda url, keys: varnish.purge(url, keys, timeout=timeout))
        self._pool = ThreadPoolExecutor(max_workers=min(16, len(self.varnishes)))
        self._memory_seconds = memory_seconds
        self._clock = clock
        self._done: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def receive(self, body: bytes, headers: Mapping[str, str]) -> Outcome:
        """Verify one delivery and purge its keys at every Varnish (see the module)."""
        headers = {name.lower(): value for name, value in headers.items()}
        self._verify(body, headers)
        webhook_id = headers["webhook-id"]
        event, keys = _read(body)
        if event != PURGE_EVENT:
            self._log("ignored", webhook_id, event=event)
            return Outcome(webhook_id, event, 0, ignored=True)
        if self._already_done(webhook_id):
            self._log("duplicate", webhook_id, keys=len(keys))
            return Outcome(webhook_id, event, len(keys), duplicate=True)
        purged, failures = self._purge_everywhere(keys)
        if failures:
            self._log(
                "failed", webhook_id, keys=len(keys), failures=failures, level=logging.WARNING
            )
            raise NotAcknowledged(failures, purged)
        self._remember(webhook_id)
        self._log("purged", webhook_id, keys=len(keys), purged=purged)
        return Outcome(webhook_id, event, len(keys), purged=purged)

    def _verify(self, body: bytes, headers: Mapping[str, str]) -> None:
        reason = "no webhook secret matches"
        for webhook in self._webhooks:
            try:
                webhook.verify(body, dict(headers), json_parse=False)
            except WebhookVerificationError as exc:
                reason = str(exc)
            except ValueError:  # a malformed signature list, base64 or body encoding
                reason = "malformed webhook-signature or body"
            else:
                return
        raise BadSignature(reason)

    def _purge_everywhere(self, keys: list[str]) -> tuple[dict[str, int], dict[str, str]]:
        def one(url: str) -> int:
            return sum(self._purge(url, batch) for batch in varnish.batches(keys))

        futures = {url: self._pool.submit(one, url) for url in self.varnishes}
        purged: dict[str, int] = {}
        failures: dict[str, str] = {}
        for url, future in futures.items():
            try:
                purged[origin(url)] = future.result()
            except varnish.PurgeFailed as exc:
                failures[origin(url)] = exc.detail
        return purged, failures

    def _already_done(self, webhook_id: str) -> bool:
        with self._lock:
            self._forget_old()
            return webhook_id in self._done

    def _remember(self, webhook_id: str) -> None:
        with self._lock:
            self._done[webhook_id] = self._clock()
            self._done.move_to_end(webhook_id)
            while len(self._done) > MEMORY_SIZE:
                self._done.popitem(last=False)

    def _forget_old(self) -> None:
        horizon = self._clock() - self._memory_seconds
        while self._done and next(iter(self._done.values())) < horizon:
            self._done.popitem(last=False)

    def _log(self, outcome: str, webhook_id: str, *, level: int = logging.INFO, **fields: Any):
        fields = {"event": "cdn.purge", "outcome": outcome, "webhook_id": webhook_id, **fields}
        log.log(level, f"cdn.purge {outcome} {webhook_id}", extra={FIELDS: fields})


def _read(body: bytes) -> tuple[str, list[str]]:
    """(event type, surrogate keys) of a verified body; ``BadDelivery`` if unreadable."""
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise BadDelivery("The body is not JSON.") from exc
    if not isinstance(payload, dict) or not isinstance(payload.get("type"), str):
        raise BadDelivery('The body is not a webhook payload {"type", "timestamp", "data"}.')
    if payload["type"] != PURGE_EVENT:
        return payload["type"], []
    data = payload.get("data")
    keys = data.get("surrogate_keys") if isinstance(data, dict) else None
    if not isinstance(keys, list) or len(keys) > MAX_KEYS:
        raise BadDelivery("data.surrogate_keys must be a list of surrogate keys.")
    if not all(isinstance(key, str) and KEY.fullmatch(key) for key in keys):
        raise BadDelivery("Each surrogate key is visible ASCII without spaces.")
    return payload["type"], sorted(set(keys))
