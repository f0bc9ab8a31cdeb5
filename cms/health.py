"""Liveness and readiness probes for orchestrators and load balancers."""

from __future__ import annotations

from flask import Response, current_app
from flask.views import MethodView
from marshmallow import Schema, fields
from sqlalchemy.exc import SQLAlchemyError

from cms import migrate
from cms.http.api import Blueprint
from cms.http.problems import problem_response
from cms.http.sessions import get_database

blp = Blueprint("health", __name__, description="Probes for orchestrators.")


class HealthSchema(Schema):
    status = fields.String(required=True)


@blp.route("/healthz")
class Liveness(MethodView):
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """The process is up"""
        return {"status": "ok"}


@blp.route("/readyz")
class Readiness(MethodView):
    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="SERVICE_UNAVAILABLE")
    def get(self) -> dict[str, str] | Response:
        """The database is reachable and its schema is up to date"""
        try:
            with get_database().engine.connect() as connection:
                current = migrate.current_revision(connection)
        except SQLAlchemyError:
            current_app.logger.exception("readiness: database unreachable")
            return problem_response(503, detail="The database is not reachable.")
        if current != current_app.config["SCHEMA_HEAD"]:
            return problem_response(
                503,
                detail=f"The database schema is at {current}, the code expects "
                f"{current_app.config['SCHEMA_HEAD']}: run 'cms db upgrade'.",
            )
        return {"status": "ready"}
