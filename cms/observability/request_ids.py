"""Request ids: one per request, taken from ``X-Request-ID`` when it is sane, else made here.

The id of the request being handled lives in a context variable, so log records,
problem bodies and audit events can read it without importing Flask.
"""

from __future__ import annotations

import contextvars
import itertools
import os
import re

HEADER = "X-Request-ID"
ENVIRON_KEY = "cms.request_id"
MAX_LENGTH = 128

# Ids from load balancers and tracing systems (UUIDs, AWS's Root=1-…, W3C trace
# ids) fit this; anything else (spaces, quotes, control characters, very long
# values) is replaced rather than echoed into logs and headers.
_ACCEPTABLE = re.compile(rf"[A-Za-z0-9._:;=+/@-]{{1,{MAX_LENGTH}}}")

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def accept(raw: str | None) -> str | None:
    """The client's id if it is short and made of safe characters, else None."""
    if raw and len(raw) <= MAX_LENGTH and _ACCEPTABLE.fullmatch(raw):
        return raw
    return None


class _Ids:
    """64 random bits per process and a counter: unique across processes and nodes."""

    def __init__(self) -> None:
        self.restart()

    def restart(self) -> None:
        self.prefix = os.urandom(8).hex() + "-"
        self.sequence = itertools.count(1)


_ids = _Ids()
# A forked worker must not repeat its parent's ids.
os.register_at_fork(after_in_child=_ids.restart)


def new() -> str:
    """A fresh id; cheaper than a UUID4 (no system call per request) on the cached read path."""
    return _ids.prefix + format(next(_ids.sequence), "08x")


def current() -> str | None:
    """The id of the request being handled in this context, if any."""
    return _current.get()


def bind(request_id: str | None) -> contextvars.Token[str | None]:
    return _current.set(request_id)


def unbind(token: contextvars.Token[str | None]) -> None:
    _current.reset(token)
