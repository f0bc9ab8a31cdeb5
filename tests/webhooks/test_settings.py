"""Webhook settings from the environment: checked at start-up, leases never too short."""

from __future__ import annotations

import ipaddress

import pytest

from cms import config
from cms.webhooks.delivery import Settings


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMS_WEBHOOK_ALLOW_CIDRS", "10.1.0.0/16, 127.0.0.1")
    monkeypatch.setenv("CMS_WEBHOOK_CONNECT_TIMEOUT", "2")
    monkeypatch.setenv("CMS_WEBHOOK_READ_TIMEOUT", "4")
    monkeypatch.setenv("CMS_WEBHOOK_RETRY_HOURS", "6")
    monkeypatch.setenv("CMS_WEBHOOK_LEASE_SECONDS", "1")
    settings = Settings.from_config(config.from_environment("instance"))
    assert settings.allow_cidrs == (
        ipaddress.ip_network("10.1.0.0/16"),
        ipaddress.ip_network("127.0.0.1/32"),
    )
    assert (settings.connect_timeout, settings.read_timeout) == (2.0, 4.0)
    assert settings.retry_hours == 6.0
    assert settings.lease_seconds == 11.0  # never shorter than a whole attempt (2 + 4 + 5)
    assert not settings.allow_private


def test_the_defaults_guard_against_private_addresses(monkeypatch: pytest.MonkeyPatch):
    for name in ("ALLOW_PRIVATE", "ALLOW_CIDRS", "CONNECT_TIMEOUT", "READ_TIMEOUT", "RETRY_HOURS"):
        monkeypatch.delenv(f"CMS_WEBHOOK_{name}", raising=False)
    settings = Settings.from_config(config.from_environment("instance"))
    assert (settings.allow_private, settings.allow_cidrs) == (False, ())
    assert (settings.connect_timeout, settings.read_timeout, settings.retry_hours) == (5, 10, 24)


def test_a_malformed_network_stops_the_start(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("CMS_WEBHOOK_ALLOW_CIDRS", "10.0.0.0/8,intranet")
    with pytest.raises(RuntimeError, match="intranet"):
        config.from_environment("instance")
