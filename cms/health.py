"""Liveness and readiness probes for orchestrators and load balancers.

``/healthz`` answers from the process alone (never the database): restart me
only if this fails. ``/readyz`` runs the checks of ``cms.observability.readiness``
(database, schema, writes, disk space, outbox) within ``CMS_READY_TIMEOUT``:
send me traffic only while this is 200.
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema, fields

from cms.db import utcnow
from cms.http.api import Blueprint
from cms.http.problems import problem_response
from cms.http.sessions import get_database
from cms.observability import readiness
from cms.observability.schemas import ReadinessCheckSchema

blp = Blueprint("health", __name__, description="Probes for orchestrators.")


class HealthSchema(Schema):
    status = fields.String(required=True)


class ReadySchema(HealthSchema):
    checks = fields.List(fields.Nested(ReadinessCheckSchema), required=True)


@blp.route("/healthz")
class Liveness(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """The process is up"""
        return {"status": "ok"}


def _settings() -> readiness.Settings:
    config = current_app.config
    return readiness.Settings(
        schema_head=config["SCHEMA_HEAD"],
        timeout=config["READY_TIMEOUT"],
        min_free_bytes=config["READY_MIN_FREE_MB"] * 2**20,
        max_outbox_age=config["READY_MAX_OUTBOX_AGE"],
    )


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, ReadySchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self) -> dict[str, Any] | Response:
        """The database is reachable, migrated and writable, and the outbox is moving"""
        settings = _settings()
        engine = get_database().engine
        prober: readiness.Prober = current_app.extensions["cms.readiness"]
        checks = prober.probe(
            lambda: readiness.run_checks(engine, settings, utcnow()), settings.timeout
        )
        failing = [check for check in checks if not check.ok]
        if failing:
            current_app.logger.warning(
                "not ready: %s", "; ".join(f"{c.name}: {c.detail}" for c in failing)
            )
            return problem_response(
                503,
                detail=" ".join(check.detail for check in failing),
                extra={"checks": [check.as_dict() for check in checks]},
                headers={"Retry-After": "5"},
            )
        return {"status": "ready", "checks": [check.as_dict() for check in checks]}
