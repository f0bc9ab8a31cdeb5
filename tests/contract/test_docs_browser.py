"""``/docs`` renders every operation in a real browser, with the internet unreachable.

Headless Chromium (Debian's ``chromium`` package; ``.ci/run`` installs it) loads
the page from a live server, with every host name but the loopback address made
unresolvable: a page that still needed a CDN would render nothing.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from cms.config import PROJECT_ROOT
from tests.contract.live import live_server

CHROMIUM = shutil.which("chromium")

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="Chromium is not installed and could not be: `apt-get install -y chromium` "
    "(.ci/run does this) to check that /docs renders offline",
)


def chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            # Offline: nothing resolves but loopback.
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
            "--virtual-time-budget=20000",
            "--window-size=1280,2200",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_docs_render_every_operation_offline(tmp_path: Path):
    spec = yaml.safe_load((PROJECT_ROOT / "openapi.yaml").read_text("utf-8"))
    with live_server(tmp_path) as server:
        dom = chromium(tmp_path / "profile-dom", "--dump-dom", f"{server.url}/docs")
        screenshot = tmp_path / "docs.png"
        shot = chromium(
            tmp_path / "profile-shot", f"--screenshot={screenshot}", f"{server.url}/docs"
        )
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = html.unescape(dom.stdout)
    assert 'class="swagger-ui"' in rendered, rendered[:2000]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            tag = operation["tags"][0]
            # Swagger UI gives each operation block this id, and shows its summary.
            assert f'id="operations-{tag}-{operation["operationId"]}"' in rendered, (method, path)
            assert operation["summary"] in rendered, (method, path)
    assert shot.returncode == 0, shot.stderr[-2000:]
    assert screenshot.stat().st_size > 50_000  # a blank page is a few kilobytes
