"""Purging Varnish by surrogate key: ``PURGE`` with an ``xkey-purge`` header.

deploy/varnish/default.vcl indexes every cached response under the keys of its
``Surrogate-Key`` header (vmod xkey) and answers a ``PURGE`` from an allowed
address with 200 and the number of objects it dropped in ``xkey-purged``.
"""

from __future__ import annotations

import http.client
import urllib.parse
from collections.abc import Iterator, Sequence

PURGE_HEADER = "xkey-purge"
PURGED_HEADER = "xkey-purged"
# Varnish refuses request headers past http_req_hdr_len (8 KiB by default): batches stay below.
MAX_HEADER_BYTES = 4096


class PurgeFailed(Exception):
    """A Varnish did not acknowledge a purge: ``detail`` says why, without secrets."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail


def batches(keys: Sequence[str], *, limit: int = MAX_HEADER_BYTES) -> Iterator[list[str]]:
    """The keys in space-separated groups whose header value stays within ``limit`` bytes."""
    batch: list[str] = []
    size = 0
    for key in keys:
        length = len(key.encode()) + (1 if batch else 0)
        if batch and size + length > limit:
            yield batch
            batch, size = [], 0
            length = len(key.encode())
        batch.append(key)
        size += length
    if batch:
        yield batch


def purge(base_url: str, keys: Sequence[str], *, timeout: float) -> int:
    """One ``PURGE`` of ``keys`` at the Varnish at ``base_url``; returns the objects dropped."""
    url = urllib.parse.urlsplit(base_url)
    if url.scheme not in {"http", "https"} or not url.hostname:
        raise PurgeFailed(f"{base_url!r} is not an http(s) URL")
    connection_class = (
        http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(
            "PURGE", url.path or "/", headers={PURGE_HEADER: " ".join(keys), "Connection": "close"}
        )
        response = connection.getresponse()
        response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise PurgeFailed(f"{url.netloc}: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    if response.status != 200:
        raise PurgeFailed(f"{url.netloc} answered {response.status} {response.reason}")
    count = response.getheader(PURGED_HEADER, "")
    if not count.isdigit():
        raise PurgeFailed(f"{url.netloc} answered 200 without {PURGED_HEADER}: not the xkey VCL?")
    return int(count)
