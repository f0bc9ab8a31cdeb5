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
from cms.db import Database, Timeouts
from cms.delivery import freshness
from cms.delivery import views as delivery_views
from cms.delivery.cache import CacheMiddleware, ResponseCache
from cms.delivery.schemas import SPARSE_ANSWERS, sparse
from cms.health import blp as health_blp
from cms.http import cors, docs, guards, headers, sessions
from cms.http.api import Api
from cms.http.conditional import public_cache_control
from cms.http.jsonprovider import OrjsonProvider
from cms.http.problem_docs import blp as problems_blp
from cms.http.routing import SlugConverter, slug_parameter_schema
from cms.importing import views as import_views
from cms.ingest import views as ingest_views
from cms.observability import views as observability
from cms.reviews import views as review_views
from cms.search import views as search_views
from cms.sync import views as sync_views
from cms.webhooks import views as webhook_views

API_DESCRIPTION = """\
Structured health articles: typed sections (overview, mechanism, evidence,
benefits, risks, outlook), a required risks section and first-class references.

The public delivery API (`/api/v1/articles`, `/api/v1/search`) serves published
content only.
Responses carry strong ETags (answer If-None-Match with 304) and CDN-friendly
Cache-Control.

The management API (`/api/v1/manage/...`) needs `Authorization: Bearer <token>`.
Roles: editor (drafts, submit, restore revisions), reviewer (editor + approve and
request changes: the medical sign-off), publisher (editor + publish, unpublish,
archive, trash), admin (everything, plus tokens, the audit log, imports and webhooks).
Every write to an article needs `If-Match` with the ETag it was based on (428
without, 412 if stale), so no edit is silently lost. A weak tag (`W/"v3"`) is
accepted, because compressing proxies and CDNs weaken ETags on the way;
`If-Match: *` is refused (428), because it would overwrite any version.
`allowed_actions` lists the workflow actions the caller's own role may take next.

Every error is `application/problem+json` (RFC 9457). Every response carries
an `X-Request-ID` header (a client may send its own: up to 128 characters of
letters, digits and `._:;=+/@-`); a problem's `request_id` repeats it.
"""


def _install_delivery_cache(app: Flask, database: Database) -> None:
    cache = ResponseCache(
        freshness=freshness.for_database(database, app.config["DELIVERY_FRESHNESS"]),
        max_bytes=app.config["DELIVERY_CACHE_BYTES"],
        stale_seconds=app.config["DELIVERY_STALE_SECONDS"],
    )
    app.extensions["cms.delivery_cache"] = cache
    app.wsgi_app = CacheMiddleware(  # type: ignore[method-assign]
        app.wsgi_app,
        cache,
        prefixes=[delivery_views.blp.url_prefix, search_views.blp.url_prefix],
        allowed_origins=cors.public_origins(app),
    )


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app. ``config`` overrides the environment (tests pass a ``DATABASE``)."""
    app = Flask("cms", instance_relative_config=True, static_folder=None)
    app.config.from_mapping(
        API_TITLE="Health CMS",
        API_VERSION="1.0.0",
        OPENAPI_VERSION="3.1.0",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {"description": API_DESCRIPTION},
            # Relative: the server that serves this document, wherever it is deployed.
            "servers": [{"url": "/", "description": "The server that serves this document"}],
        },
    )
    app.config.update(settings.merge(settings.from_environment(app.instance_path), config))
    app.config["PUBLIC_CACHE_CONTROL"] = public_cache_control(app.config)
    app.config["SCHEMA_HEAD"] = migrate.head_revision(app.config["MIGRATIONS_DIR"])
    app.json = OrjsonProvider(app)

    database = app.config.get("DATABASE") or Database.from_url(
        app.config["DATABASE_URL"],
        Timeouts(
            connect=app.config["DB_CONNECT_TIMEOUT"],
            statement=app.config["DB_STATEMENT_TIMEOUT"],
            pool=app.config["DB_POOL_TIMEOUT"],
        ),
    )
    sessions.init_app(app, database)
    guards.init_app(app)
    headers.init_app(app)
    cors.init_app(app)
    _install_delivery_cache(app, database)
    if app.config["TRUSTED_PROXIES"]:
        proxies = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    app.url_map.converters["slug"] = SlugConverter
    api = Api(app)
    api.register_converter(SlugConverter, slug_parameter_schema)
    for field_type in FIELD_TYPES:
        api.register_field(*field_type)
    # Answers that `fields` may trim: documented as the full or the sparse representation.
    for name, schema in SPARSE_ANSWERS.items():
        api.spec.components.schema(name, schema=schema)
        api.spec.components.schema(f"{name}Sparse", schema=sparse(schema))
    for blueprint in (
        delivery_views.blp,
        search_views.blp,
        sync_views.blp,
        article_views.blp,
        import_views.blp,
        check_views.blp,
        check_views.waivers_blp,
        ingest_views.blp,
        token_views.blp,
        audit_views.blp,
        review_views.blp,
        webhook_views.blp,
        health_blp,
        problems_blp,
    ):
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.blp)  # Swagger UI, served from a package: works offline
    observability.init_app(app)  # last: its middleware wraps every other one
    return app
