"""Settings, read from the environment once at start-up.

Every setting has a default that works on a fresh clone: the database is an
embedded SQLite file under ``instance/``.
"""

from __future__ import annotations

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


def from_environment(instance_path: str) -> dict[str, Any]:
    """Build the configuration mapping from ``CMS_*`` environment variables."""
    return {
        "DATABASE_URL": os.environ.get("CMS_DATABASE_URL") or default_database_url(instance_path),
        # Public delivery responses: browsers may reuse for max-age seconds, shared
        # caches (CDN) for s-maxage, and may serve stale content while revalidating.
        "PUBLIC_MAX_AGE": _int_env("CMS_PUBLIC_MAX_AGE", 60),
        "PUBLIC_S_MAXAGE": _int_env("CMS_PUBLIC_S_MAXAGE", 300),
        "PUBLIC_STALE_WHILE_REVALIDATE": _int_env("CMS_PUBLIC_STALE_WHILE_REVALIDATE", 60),
        "PUBLIC_STALE_IF_ERROR": _int_env("CMS_PUBLIC_STALE_IF_ERROR", 86400),
        # In-process cache of public responses: how stale another process's publish
        # may look (seconds; 0 checks the database on every request), and its size.
        "DELIVERY_CACHE_SECONDS": _float_env("CMS_DELIVERY_CACHE_SECONDS", 1.0),
        "DELIVERY_CACHE_ENTRIES": _int_env("CMS_DELIVERY_CACHE_ENTRIES", 2048),
        # Request bodies are bounded (413 past it); imports have their own, larger bound.
        "MAX_CONTENT_LENGTH": _int_env("CMS_MAX_BODY_BYTES", 1024 * 1024),
        "IMPORT_MAX_BYTES": _int_env("CMS_IMPORT_MAX_BYTES", 10 * 1024 * 1024),
        # How many reverse proxies in front set X-Forwarded-For (for audit client addresses).
        "TRUSTED_PROXIES": _int_env("CMS_TRUSTED_PROXIES", 0),
        # schema.org JSON-LD: where the articles' web pages live and who publishes them.
        "PUBLIC_BASE_URL": os.environ.get("CMS_PUBLIC_BASE_URL") or "http://127.0.0.1:8000",
        "PUBLISHER_NAME": os.environ.get("CMS_PUBLISHER_NAME") or "Health CMS",
        "PUBLISHER_URL": os.environ.get("CMS_PUBLISHER_URL") or "http://127.0.0.1:8000",
        "MIGRATIONS_DIR": os.environ.get("CMS_MIGRATIONS_DIR") or str(PROJECT_ROOT / "migrations"),
    }


def merge(base: Mapping[str, Any], overrides: Mapping[str, Any] | None) -> dict[str, Any]:
    """Overrides (from tests or a caller of ``create_app``) win over the environment."""
    merged = dict(base)
    if overrides:
        merged.update(overrides)
    return merged
