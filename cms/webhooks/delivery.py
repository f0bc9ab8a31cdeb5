"""Sending one signed webhook request, safely: the network policy and the HTTP call.

Server-side request forgery: an endpoint's host is resolved and every address it
resolves to must be public (not private, loopback, link-local, multicast,
reserved or unspecified) unless ``CMS_WEBHOOK_ALLOW_PRIVATE`` or an entry of
``CMS_WEBHOOK_ALLOW_CIDRS`` allows it. The check runs when an endpoint is saved
and again before every attempt, and the request goes to the very address that
was checked (the URL's host is sent in ``Host`` and used for TLS SNI and
certificate checks), so a DNS answer that changes between the check and the
connection cannot redirect it. Redirects are never followed.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import ipaddress
import random
import socket
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import urllib3

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
USER_AGENT = "health-cms-webhooks/1"


def resolve(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True)
class Settings:
    """Webhook delivery settings (``CMS_WEBHOOK_*``, see cms/config.py)."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    retry_hours: float = 24.0
    backoff_base: float = 30.0
    backoff_cap: float = 3600.0
    # How long a claimed delivery stays with its worker before another may take it.
    lease_seconds: float = 60.0
    allow_private: bool = False
    allow_cidrs: tuple[IPNetwork, ...] = ()
    batch: int = 10
    # How host names are resolved: (host, port) -> addresses (tests replace it).
    resolve: Callable[[str, int], list[str]] = field(default=resolve, repr=False)

    @property
    def retry_window(self) -> dt.timedelta:
        return dt.timedelta(hours=self.retry_hours)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        connect = float(config.get("WEBHOOK_CONNECT_TIMEOUT", 5.0))
        read = float(config.get("WEBHOOK_READ_TIMEOUT", 10.0))
        return cls(
            connect_timeout=connect,
            read_timeout=read,
            retry_hours=float(config.get("WEBHOOK_RETRY_HOURS", 24.0)),
            backoff_base=float(config.get("WEBHOOK_BACKOFF_BASE", 30.0)),
            backoff_cap=float(config.get("WEBHOOK_BACKOFF_CAP", 3600.0)),
            # Never shorter than one whole attempt, or two workers could send at once.
            lease_seconds=max(
                float(config.get("WEBHOOK_LEASE_SECONDS") or 0), connect + read + 5.0
            ),
            allow_private=bool(config.get("WEBHOOK_ALLOW_PRIVATE", False)),
            allow_cidrs=parse_cidrs(config.get("WEBHOOK_ALLOW_CIDRS") or ()),
        )


def parse_cidrs(items: Any) -> tuple[IPNetwork, ...]:
    if isinstance(items, str):
        items = [item.strip() for item in items.split(",") if item.strip()]
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in items)
    except ValueError as exc:
        raise RuntimeError(f"CMS_WEBHOOK_ALLOW_CIDRS: {exc}") from exc


class UnsafeEndpoint(Exception):
    """The URL may not be called: ``reason`` says why (no secret, no full URL)."""

    def __init__(self, reason: str, *, permanent: bool = True):
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent  # False: the name did not resolve (may be passing)


def is_public(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _allowed(address: IPAddress, settings: Settings) -> bool:
    if settings.allow_private or is_public(address):
        return True
    return any(address in network for network in settings.allow_cidrs)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # as in the URL (Host header, TLS name)
    port: int
    path: str
    address: str  # the checked address to connect to


def check(url: str, settings: Settings) -> Target:
    """Resolve the URL's host and check every address; the target to connect to."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeEndpoint("Only http and https URLs with a host are allowed.")
    if parts.username or parts.password:
        raise UnsafeEndpoint("A webhook URL may not carry credentials.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeEndpoint("The URL's port is not valid.") from exc
    host = parts.hostname
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            resolved = settings.resolve(host, port)
            addresses = [ipaddress.ip_address(a.split("%")[0]) for a in resolved]
        except (OSError, UnicodeError) as exc:
            raise UnsafeEndpoint(f"The host {host!r} cannot be resolved.", permanent=False) from exc
    if not addresses:
        raise UnsafeEndpoint(f"The host {host!r} cannot be resolved.", permanent=False)
    refused = [a for a in addresses if not _allowed(a, settings)]
    if refused:
        raise UnsafeEndpoint(
            f"The host {host!r} resolves to {refused[0]}, a private, loopback, link-local, "
            "multicast or reserved address: webhooks may only call public addresses "
            "(CMS_WEBHOOK_ALLOW_PRIVATE / CMS_WEBHOOK_ALLOW_CIDRS allow others)."
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port, path, str(addresses[0]))


@dataclass(frozen=True)
class Result:
    status_code: int | None
    seconds: float
    error: str | None = None
    refused: bool = False  # the address is not allowed: retrying will not help
    retry_after: float | None = None  # seconds, from a 429/503's Retry-After


def post(url: str, body: bytes, headers: Mapping[str, str], settings: Settings) -> Result:
    """POST once to the checked address; never raises for network trouble."""
    started = time.monotonic()
    try:
        target = check(url, settings)
    except UnsafeEndpoint as exc:
        return Result(None, time.monotonic() - started, _short(exc.reason), refused=exc.permanent)
    try:
        status, retry_after = _send(target, body, headers, settings)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return Result(None, time.monotonic() - started, _network_error(exc))
    return Result(status, time.monotonic() - started, retry_after=retry_after)


def _send(
    target: Target, body: bytes, headers: Mapping[str, str], settings: Settings
) -> tuple[int, float | None]:
    default_port = 443 if target.scheme == "https" else 80
    host_header = f"[{target.host}]" if ":" in target.host else target.host
    if target.port != default_port:
        host_header += f":{target.port}"
    timeout = urllib3.Timeout(connect=settings.connect_timeout, read=settings.read_timeout)
    pool: urllib3.HTTPConnectionPool
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            target.address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    else:
        pool = urllib3.HTTPConnectionPool(
            target.address, target.port, timeout=timeout, retries=False, maxsize=1
        )
    request_headers = {
        "Host": host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    with pool:
        response = pool.urlopen(
            "POST",
            target.path,
            body=body,
            headers=request_headers,
            redirect=False,
            retries=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            response.read(64 * 1024)  # a little of the answer, then drop the connection
        finally:
            response.release_conn()
    retry_after = None
    if response.status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
    return response.status, retry_after


def _network_error(exc: BaseException) -> str:
    """A short reason, without the URL."""
    if isinstance(exc, urllib3.exceptions.NewConnectionError):  # a ConnectTimeoutError too
        if isinstance(exc.__cause__, TimeoutError):
            return "connect timeout"
        return _connection_error(exc)
    if isinstance(exc, urllib3.exceptions.ConnectTimeoutError):
        return "connect timeout"
    if isinstance(exc, urllib3.exceptions.ReadTimeoutError):
        return "read timeout"
    if isinstance(exc, urllib3.exceptions.SSLError):
        return _short(f"TLS error: {exc}")
    return _connection_error(exc)


def _connection_error(exc: BaseException) -> str:
    text = str(exc).lower()
    if "refused" in text:
        return "connection refused"
    if "reset" in text:
        return "connection reset"
    return _short(f"connection error: {type(exc).__name__}")


def _short(text: str) -> str:
    return text if len(text) <= 200 else text[:197] + "..."


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    return max(0.0, (when - dt.datetime.now(dt.UTC)).total_seconds())


def backoff(attempt: int, settings: Settings, rng: random.Random | None = None) -> float:
    """Full jitter: uniform between 0 and min(cap, base·2^(attempt-1)) seconds."""
    ceiling = min(settings.backoff_cap, settings.backoff_base * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(0, ceiling)
