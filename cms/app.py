"""Application factory."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from cms import config as settings
from cms import migrate
from cms.articles import views as article_views
from cms.articles.schemas import FIELD_TYPES
from cms.audit import views as audit_views
from cms.auth import views as token_views
from cms.checks import views as check_views
from cms.db import Database
from cms.delivery import snapshots
from cms.delivery import views as delivery_views
from cms.delivery.cache import CacheMiddleware, ResponseCache
from cms.health import blp as health_blp
from cms.http import sessions
from cms.http.api import Api
from cms.http.conditional import public_cache_control
from cms.http.jsonprovider import OrjsonProvider
from cms.http.problem_docs import blp as problems_blp
from cms.http.routing import SlugConverter, slug_parameter_schema
from cms.importing import views as import_views
from cms.ingest import views as ingest_views
from cms.observability import views as observability

API_DESCRIPTION = """\
Structured health articles: typed sections (overview, mechanism, evidence,
benefits, risks, outlook), a required risks section and first-class references.

The public delivery API (`/api/v1/articles`) serves published content only.
Responses carry strong ETags (answer If-None-Match with 304) and CDN-friendly
Cache-Control.

The management API (`/api/v1/manage/...`) needs `Authorization: Bearer <token>`.
Roles: editor (drafts, submit, restore revisions), reviewer (editor + approve and
request changes: the medical sign-off), publisher (editor + publish, unpublish,
archive, trash), admin (everything, plus tokens, the audit log and imports).
Every write needs `If-Match` with the article's ETag (428 without, 412 if stale),
so no edit is silently lost.

Every error is `application/problem+json` (RFC 9457). Every response carries
an `X-Request-ID` header (a client may send its own: up to 128 characters of
letters, digits and `._:;=+/@-`); a problem's `request_id` repeats it.
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
    app = Flask("cms", instance_relative_config=True, static_folder=None)
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
    )
    app.config.update(settings.merge(settings.from_environment(app.instance_path), config))
    app.config["PUBLIC_CACHE_CONTROL"] = public_cache_control(app.config)
    app.config["SCHEMA_HEAD"] = migrate.head_revision(app.config["MIGRATIONS_DIR"])
    app.json = OrjsonProvider(app)

    database = app.config.get("DATABASE") or Database.from_url(app.config["DATABASE_URL"])
    sessions.init_app(app, database)
    _install_delivery_cache(app, database)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    app.url_map.converters["slug"] = SlugConverter
    api = Api(app)
    api.register_converter(SlugConverter, slug_parameter_schema)
    for field_type in FIELD_TYPES:
        api.register_field(*field_type)
    for blueprint in (
        delivery_views.blp,
        article_views.blp,
        import_views.blp,
        check_views.blp,
        ingest_views.blp,
        token_views.blp,
        audit_views.blp,
        health_blp,
        problems_blp,
    ):
        api.register_blueprint(blueprint)
    observability.init_app(app)  # last: its middleware wraps every other one
    return app
