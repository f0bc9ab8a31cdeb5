"""docker-compose.yml and the Dockerfile: the services the deployment guide describes.

CI also runs `docker compose config` on the file (.ci/run); these tests read it
as a deployer would and check it against the code's own settings.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
# Settings are read in cms/config.py, the server's in gunicorn.conf.py.
SETTINGS_SOURCE = (ROOT / "cms" / "config.py").read_text() + (ROOT / "gunicorn.conf.py").read_text()


def compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def known_setting(name: str) -> bool:
    return f'"{name}"' in SETTINGS_SOURCE


def test_the_services_of_a_deployment():
    services = compose()["services"]
    assert set(services) == {"postgres", "migrate", "app", "worker", "varnish", "purge-relay"}
    for name in ("migrate", "app", "worker", "purge-relay"):
        assert services[name]["build"] == ".", name
    assert (ROOT / "Dockerfile").is_file()
    assert services["migrate"]["command"] == ["cms", "db", "upgrade"]
    assert services["worker"]["command"] == ["cms", "worker"]
    assert services["worker"]["stop_signal"] == "SIGTERM"
    for name in ("app", "worker"):
        assert services[name]["depends_on"]["migrate"] == {
            "condition": "service_completed_successfully"
        }
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_app_nodes_are_probed_by_readiness_and_only_varnish_is_published():
    services = compose()["services"]
    assert "/readyz" in " ".join(services["app"]["healthcheck"]["test"])
    assert "ports" not in services["app"]
    assert "ports" not in services["worker"]
    assert "ports" not in services["purge-relay"]
    assert services["varnish"]["ports"] == ["8080:80"]
    assert services["varnish"]["depends_on"]["app"]["condition"] == "service_healthy"
    assert (
        "./deploy/varnish/default.vcl:/etc/varnish/default.vcl:ro" in services["varnish"]["volumes"]
    )


def test_every_cms_setting_used_is_one_the_code_reads():
    services = compose()["services"]
    used = {
        name
        for service in services.values()
        for name in (service.get("environment") or {})
        if name.startswith("CMS_")
    }
    dockerfile = (ROOT / "Dockerfile").read_text()
    used |= set(re.findall(r"\b(CMS_[A-Z_]+)=", dockerfile))
    assert {"CMS_DATABASE_URL", "CMS_LOG_FORMAT", "CMS_METRICS_TOKEN"} <= used
    assert sorted(name for name in used if not known_setting(name)) == []


def test_every_app_node_has_its_own_metrics_directory():
    app = compose()["services"]["app"]
    directory = app["environment"]["PROMETHEUS_MULTIPROC_DIR"]
    assert app["tmpfs"] == [directory]


def test_the_purge_relay_purges_the_varnish_of_the_deployment():
    services = compose()["services"]
    relay = services["purge-relay"]
    assert relay["command"][:2] == ["cms", "purge-relay"]
    listen = relay["command"][relay["command"].index("--listen") + 1]
    assert f"{listen.rsplit(':', 1)[1]}" in relay["expose"]
    assert "/healthz" in " ".join(relay["healthcheck"]["test"])
    # It reaches Varnish on the port the image listens on (published as 8080:80) ...
    assert relay["environment"]["CMS_PURGE_RELAY_VARNISH"] == "http://varnish:80"
    assert "CMS_DATABASE_URL" not in relay["environment"]  # ... and needs no database.
    # Varnish lets the relay purge by its service name, resolved when Varnish starts.
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    assert '("purge-relay");' in vcl
    assert "purge-relay" in services["varnish"]["depends_on"]
    # Varnish's backend is the app service, on the port gunicorn binds in the image.
    assert '.host = "app";' in vcl
    assert "8000" in services["app"]["expose"]
    assert '.port = "8000";' in vcl
