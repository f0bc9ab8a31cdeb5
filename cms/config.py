"""Settings, read from the environment once at start-up.

Every setting has a default that works on a fresh clone: the database is an
embedded SQLite file under ``instance/``.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_database_url(instance_path: str) -> str:
    """SQLite file in the Flask instance folder: nothing to install for a newcomer."""
    return f"sqlite:///{Path(instance_path) / 'cms.sqlite3'}"


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:  # fail at start-up, not on the first request
        raise RuntimeError(f"{name} must be an integer, got {raw!r}") from exc


def _float_env(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return float(raw)
    except ValueError as exc:
        raise RuntimeError(f"{name} must be a number, got {raw!r}") from exc


def _bool_env(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise RuntimeError(f"{name} must be true or false, got {raw!r}")


def _list_env(name: str, default: str) -> list[str]:
    raw = os.environ.get(name)
    raw = default if raw is None else raw
    return [item.strip() for item in raw.split(",") if item.strip()]


def _networks_env(name: str) -> list[str]:
    """Comma-separated CIDR networks, checked at start-up."""
    networks = _list_env(name, "")
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError as exc:
            raise RuntimeError(f"{name}: {network!r} is not a network such as 10.0.0.0/8") from exc
    return networks


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the configuration mapping from ``CMS_*`` environment variables."""
    return {
        "DATABASE_URL": os.environ.get("CMS_DATABASE_URL") or default_database_url(instance_path),
        # Public delivery responses: browsers may reuse for max-age seconds, shared
        # caches (CDN) for s-maxage, and may serve stale content while revalidating.
        "PUBLIC_MAX_AGE": _int_env("CMS_PUBLIC_MAX_AGE", 60),
        "PUBLIC_S_MAXAGE": _int_env("CMS_PUBLIC_S_MAXAGE", 300),
        "PUBLIC_STALE_WHILE_REVALIDATE": _int_env("CMS_PUBLIC_STALE_WHILE_REVALIDATE", 60),
        "PUBLIC_STALE_IF_ERROR": _int_env("CMS_PUBLIC_STALE_IF_ERROR", 300),
        # Public 400/404/405/410 answers: how long anyone may cache them.
        "PUBLIC_ERROR_MAX_AGE": _int_env("CMS_PUBLIC_ERROR_MAX_AGE", 30),
        # In-process cache of public responses: its size per worker (0 disables it),
        # and how long it may keep answering while the database is unreachable.
        "DELIVERY_CACHE_BYTES": _int_env("CMS_DELIVERY_CACHE_BYTES", 32 * 1024 * 1024),
        "DELIVERY_STALE_SECONDS": _float_env("CMS_DELIVERY_STALE_SECONDS", 300.0),
        # How a process learns of changes: "notify", PostgreSQL's LISTEN/NOTIFY (SQLite
        # always reads), or "read" the generation on every request (cms.delivery.freshness).
        "DELIVERY_FRESHNESS": os.environ.get("CMS_DELIVERY_FRESHNESS") or "notify",
        # Browsers on other origins: the public API ("*" or a comma-separated list of
        # origins such as https://www.example.org) and the management API (none by default).
        "CORS_ORIGINS": _list_env("CMS_CORS_ORIGINS", "*"),
        "ADMIN_ORIGINS": _list_env("CMS_ADMIN_ORIGINS", ""),
        # Request bodies are bounded (413 past it); imports have their own, larger bound.
        "MAX_CONTENT_LENGTH": _int_env("CMS_MAX_BODY_BYTES", 1024 * 1024),
        "IMPORT_MAX_BYTES": _int_env("CMS_IMPORT_MAX_BYTES", 10 * 1024 * 1024),
        # How many reverse proxies in front set X-Forwarded-For (for audit client addresses).
        "TRUSTED_PROXIES": _int_env("CMS_TRUSTED_PROXIES", 0),
        # Failed authentications allowed per client address, and per token prefix,
        # in each window of this many seconds; beyond, 429 until the window ends.
        "AUTH_FAILURE_LIMIT": _int_env("CMS_AUTH_FAILURE_LIMIT", 20),
        "AUTH_FAILURE_WINDOW": _float_env("CMS_AUTH_FAILURE_WINDOW", 60.0),
        # Four eyes: a reviewer may not approve their own edits unless this is set
        # (single-person installations; every such sign-off is marked in the audit log).
        "ALLOW_SELF_APPROVAL": _bool_env("CMS_ALLOW_SELF_APPROVAL", False),
        # Waiting for the database before answering 503 (seconds).
        "DB_CONNECT_TIMEOUT": _float_env("CMS_DB_CONNECT_TIMEOUT", 3.0),
        "DB_STATEMENT_TIMEOUT": _float_env("CMS_DB_STATEMENT_TIMEOUT", 5.0),
        "DB_POOL_TIMEOUT": _float_env("CMS_DB_POOL_TIMEOUT", 5.0),
        # schema.org JSON-LD: where the articles' web pages live and who publishes them.
        "PUBLIC_BASE_URL": os.environ.get("CMS_PUBLIC_BASE_URL") or "http://127.0.0.1:8000",
        "PUBLISHER_NAME": os.environ.get("CMS_PUBLISHER_NAME") or "Health CMS",
        "PUBLISHER_URL": os.environ.get("CMS_PUBLISHER_URL") or "http://127.0.0.1:8000",
        "MIGRATIONS_DIR": os.environ.get("CMS_MIGRATIONS_DIR") or str(PROJECT_ROOT / "migrations"),
        # Operations (cms.observability): logs, metrics, readiness.
        "LOG_FORMAT": os.environ.get("CMS_LOG_FORMAT") or "text",
        "LOG_LEVEL": os.environ.get("CMS_LOG_LEVEL") or "INFO",
        "REQUEST_LOG": _bool_env("CMS_REQUEST_LOG", True),
        "METRICS_ENABLED": _bool_env("CMS_METRICS_ENABLED", True),
        "METRICS_TOKEN": os.environ.get("CMS_METRICS_TOKEN", ""),
        "METRICS_ALLOW_FROM": os.environ.get("CMS_METRICS_ALLOW_FROM", ""),
        "READY_TIMEOUT": _float_env("CMS_READY_TIMEOUT", 2.0),
        "READY_MIN_FREE_MB": _int_env("CMS_READY_MIN_FREE_MB", 64),
        "READY_MAX_OUTBOX_AGE": _float_env("CMS_READY_MAX_OUTBOX_AGE", 0),
        "WORKER_METRICS_ADDRESS": os.environ.get("CMS_WORKER_METRICS_ADDRESS", ""),
        # cms worker: the pause between passes that found nothing to do.
        "WORKER_POLL_SECONDS": _float_env("CMS_WORKER_POLL_SECONDS", 1.0),
        # Webhooks (cms.webhooks): timeouts of one attempt, how long retries go on
        # (exponential backoff with full jitter from base, capped), the lease a worker
        # holds on a delivery it is sending (0: the timeouts plus 5 s), and which
        # non-public addresses endpoints may have (none by default: SSRF guard).
        "WEBHOOK_CONNECT_TIMEOUT": _float_env("CMS_WEBHOOK_CONNECT_TIMEOUT", 5.0),
        "WEBHOOK_READ_TIMEOUT": _float_env("CMS_WEBHOOK_READ_TIMEOUT", 10.0),
        "WEBHOOK_RETRY_HOURS": _float_env("CMS_WEBHOOK_RETRY_HOURS", 24.0),
        "WEBHOOK_BACKOFF_BASE": _float_env("CMS_WEBHOOK_BACKOFF_BASE", 30.0),
        "WEBHOOK_BACKOFF_CAP": _float_env("CMS_WEBHOOK_BACKOFF_CAP", 3600.0),
        "WEBHOOK_LEASE_SECONDS": _float_env("CMS_WEBHOOK_LEASE_SECONDS", 0.0),
        "WEBHOOK_ALLOW_PRIVATE": _bool_env("CMS_WEBHOOK_ALLOW_PRIVATE", False),
        "WEBHOOK_ALLOW_CIDRS": _networks_env("CMS_WEBHOOK_ALLOW_CIDRS"),
    }


def purge_relay_from_environment() -> dict[str, Any]:
    """Settings of ``cms purge-relay`` (no database, no Flask app); its options override them."""
    return {
        # The webhook's signing secret(s), whsec_…; several (comma-separated) while rotating.
        "SECRETS": _list_env("CMS_PURGE_RELAY_SECRET", ""),
        # The Varnish nodes to purge, comma-separated URLs (each gets every purge).
        "VARNISH": _list_env("CMS_PURGE_RELAY_VARNISH", ""),
        "LISTEN": os.environ.get("CMS_PURGE_RELAY_LISTEN") or "127.0.0.1:9000",
        # Seconds to wait for one Varnish to answer a PURGE.
        "TIMEOUT": _float_env("CMS_PURGE_RELAY_TIMEOUT", 5.0),
    }


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Overrides (from tests or a caller of ``create_app``) win over the environment."""
    merged = dict(base)
    if overrides:
        merged.update(overrides)
    return merged
