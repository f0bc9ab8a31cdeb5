"""Application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from cms import api as http
from cms import config as settings
from cms import migrate
from cms.articles.schemas import FIELD_TYPES
from cms.db import Database
from cms.delivery import snapshots
from cms.delivery import views as delivery_views
from cms.delivery.cache import CacheMiddleware, ResponseCache
from cms.health import blp as health_blp
from cms.problem_docs import blp as problems_blp

API_DESCRIPTION = """\
Structured health articles: typed sections (overview, mechanism, evidence,
benefits, risks, outlook), a required risks section and first-class references.

The public delivery API serves published content only. Responses carry strong
ETags (answer If-None-Match with 304) and CDN-friendly Cache-Control. Every error
is `application/problem+json` (RFC 9457).
"""


def _install_delivery_cache(app: Flask, database: Database) -> None:
    def read_generation() -> int:
        with database.session() as session:
            return snapshots.current_generation(session)

    cache = ResponseCache(
        read_generation=read_generation,
        ttl=app.config["DELIVERY_CACHE_SECONDS"],
        max_entries=app.config["DELIVERY_CACHE_ENTRIES"],
    )
    app.extensions["cms.delivery_cache"] = cache
    app.wsgi_app = CacheMiddleware(app.wsgi_app, cache, prefix=delivery_views.blp.url_prefix)  # type: ignore[method-assign]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides the environment (tests pass a ``DATABASE``)."""
    app = Flask("cms", instance_relative_config=True)
    app.config.from_mapping(
        API_TITLE="Health CMS",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="https://cdn.jsdelivr.net/npm/swagger-ui-dist@5/",
        OPENAPI_REDOC_PATH="/redoc",
        OPENAPI_REDOC_URL="https://cdn.jsdelivr.net/npm/redoc@2/bundles/redoc.standalone.js",
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION},
        },
        # Request bodies are bounded; the management API documents larger limits per route.
        MAX_CONTENT_LENGTH=1024 * 1024,
    )
    app.config.update(settings.merge(settings.from_environment(app.instance_path), config))
    app.config["PUBLIC_CACHE_CONTROL"] = http.public_cache_control(app.config)
    app.config["SCHEMA_HEAD"] = migrate.head_revision(app.config["MIGRATIONS_DIR"])
    app.json = http.OrjsonProvider(app)

    database = app.config.get("DATABASE") or Database.from_url(app.config["DATABASE_URL"])
    http.init_app(app, database)
    _install_delivery_cache(app, database)

    app.url_map.converters["slug"] = http.SlugConverter
    api = http.Api(app)
    api.register_converter(http.SlugConverter, http.slug_parameter_schema)
    for field_type in FIELD_TYPES:
        api.register_field(*field_type)
    api.register_blueprint(delivery_views.blp)
    api.register_blueprint(health_blp)
    api.register_blueprint(problems_blp)
    return app
