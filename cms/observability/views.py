"""``GET /metrics`` for Prometheus, and wiring observability into the app.

``/metrics`` is for operators, not API clients: it is left out of the OpenAPI
document. It is never public by default:

- neither ``CMS_METRICS_TOKEN`` nor ``CMS_METRICS_ALLOW_FROM`` set (or
  ``CMS_METRICS_ENABLED=false``): 404, as for any unknown URL;
- from an address in ``CMS_METRICS_ALLOW_FROM`` (after ``CMS_TRUSTED_PROXIES``): served;
- with ``Authorization: Bearer <CMS_METRICS_TOKEN>``: served (several comma-separated
  tokens are accepted, to rotate without a gap);
- otherwise 401 when a token is configured (it would help), else 403.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Flask, Response, current_app, request

from cms.db import Database
from cms.http.problems import problem_response
from cms.observability import logs, metrics
from cms.observability.outbox import BacklogCollector
from cms.observability.readiness import Prober
from cms.observability.wsgi import ROUTE, ObservedApp

blp = Blueprint("metrics", __name__)

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(raw: str | Sequence[str]) -> list[Network]:
    """``CMS_METRICS_ALLOW_FROM``: comma-separated addresses or CIDR networks."""
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    networks = []
    for item in (i.strip() for i in items):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise RuntimeError(
                f"CMS_METRICS_ALLOW_FROM: not an address or network: {item!r}"
            ) from exc
    return networks


def _from_allowed_network(networks: list[Network]) -> bool:
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def parse_tokens(raw: str) -> list[str]:
    """``CMS_METRICS_TOKEN``: one token, or several separated by commas while rotating."""
    return [token.strip() for token in raw.split(",") if token.strip()]


def _has_token(tokens: list[str]) -> bool:
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer":
        return False
    given_bytes = given.strip().encode()
    # Compare with every token (no early exit), each in constant time.
    matches = [hmac.compare_digest(given_bytes, token.encode()) for token in tokens]
    return any(matches)


def _refusal() -> Response | None:
    tokens: list[str] = current_app.extensions["cms.metrics_tokens"]
    networks: list[Network] = current_app.extensions["cms.metrics_networks"]
    if not current_app.config["METRICS_ENABLED"] or not (tokens or networks):
        return problem_response(404)
    if (networks and _from_allowed_network(networks)) or (tokens and _has_token(tokens)):
        return None
    if tokens:
        return problem_response(
            401,
            detail="Send the metrics token: Authorization: Bearer <CMS_METRICS_TOKEN>.",
            headers={"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    return problem_response(403, detail="Metrics are served only to the configured networks.")


@blp.get("/metrics")
def prometheus_metrics() -> Response:
    refusal = _refusal()
    if refusal is not None:
        return refusal
    database: Database = current_app.extensions["cms.database"]
    body, content_type = metrics.exposition(
        request.headers.get("Accept"), extra=[BacklogCollector(database.engine)]
    )
    return Response(body, content_type=content_type, headers={"Cache-Control": "no-store"})


def _remember_route() -> None:
    """Note the matched route template for the request log and metrics (never the raw path)."""
    rule = request.url_rule
    if rule is not None:
        request.environ[ROUTE] = rule.rule


def init_app(app: Flask) -> None:
    """Logs, the readiness prober, ``/metrics``, and the request middleware around everything.

    Call last: the middleware must wrap every other one (proxy fix, delivery cache).
    """
    config: dict[str, Any] = app.config  # type: ignore[assignment]
    logs.configure(log_format=config["LOG_FORMAT"], level=config["LOG_LEVEL"])
    app.extensions["cms.metrics_networks"] = parse_networks(config["METRICS_ALLOW_FROM"])
    app.extensions["cms.metrics_tokens"] = parse_tokens(config["METRICS_TOKEN"])
    app.extensions["cms.readiness"] = Prober()
    cache = app.extensions.get("cms.delivery_cache")
    if cache is not None and config["METRICS_ENABLED"]:
        metrics.watch_cache(cache)
    app.before_request(_remember_route)
    app.register_blueprint(blp)
    app.wsgi_app = ObservedApp(  # type: ignore[method-assign]
        app.wsgi_app,
        metrics=config["METRICS_ENABLED"],
        request_log=config["REQUEST_LOG"],
        propagate_errors=app.testing or bool(config.get("PROPAGATE_EXCEPTIONS")),
    )
