"""Public delivery routes: published articles only, no authentication, CDN-friendly."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, request, url_for
from flask.views import MethodView

from cms.db import utcnow
from cms.delivery import fieldsets, jsonld, keys, service
from cms.delivery.schemas import (
    ArticleDetailQuerySchema,
    ArticleListQuerySchema,
    ArticleQuerySchema,
    MedicalWebPageSchema,
    PublicArticleListSchema,
    PublicArticleSchema,
    full_or_sparse,
)
from cms.errors import InvalidParameters
from cms.http.api import Blueprint, next_link
from cms.http.conditional import client_has, moved_permanently, not_modified, public_json, tag
from cms.http.sessions import get_public_session
from cms.validation import FieldError

blp = Blueprint(
    "articles",
    __name__,
    url_prefix="/api/v1/articles",
    description="Published articles: public, cacheable, never a draft.",
)

CACHE_HEADERS = {
    "Cache-Control": {
        "description": "Public caching for browsers and CDNs (configurable).",
        "schema": {"type": "string"},
    },
}


LANGUAGE_HEADERS = {
    "Content-Language": {
        "description": "The locale of the article served (another one after a fallback).",
        "schema": {"type": "string"},
    },
    "Content-Location": {
        "description": "Only when a fallback served another address: that address.",
        "schema": {"type": "string"},
    },
}


@blp.route("")
class ArticleCollection(MethodView):
    @blp.conditional
    @blp.arguments(ArticleListQuerySchema(), location="query", as_kwargs=True)
    @blp.response(
        200,
        full_or_sparse(PublicArticleListSchema, "PublicArticleList"),
        headers={
            **CACHE_HEADERS,
            "Link": {
                "description": 'Next page, as <url>; rel="next", when there is one.',
                "schema": {"type": "string"},
            },
        },
    )
    def get(self, **query: Any) -> Response:
        """List published articles, newest first or in another order (keyset pagination)

        With `slug=a,b,c`, the summaries of those articles instead, in that order
        (missing ones absent). `fields` chooses the fields of each entry.
        """
        view = fieldsets.View(selection=query.get("fieldset"))
        if query.get("slug"):
            if query.get("cursor") is not None:
                raise InvalidParameters(
                    "slug= answers in one page: there is no cursor to follow.",
                    errors=[FieldError("/query/cursor", "not_allowed", "Not with slug.")],
                )
            page = service.summaries_by_slug(
                get_public_session(),
                slugs=query["slug"],
                locale=query.get("locale") or "en",
                today=utcnow().date(),
                conditions=query.get("condition", ()),
                view=view,
            )
            return public_json(page.body, page.etag, surrogate_keys=page.keys)
        page = service.article_list(
            get_public_session(),
            today=utcnow().date(),
            locale=query.get("locale"),
            conditions=query.get("condition", ()),
            limit=query["limit"],
            cursor=query.get("cursor"),
            sort=query["sort"],
            view=view,
            totals=_totals(),
        )
        response = public_json(page.body, page.etag, surrogate_keys=page.keys)
        if page.next_cursor is not None:
            response.headers["Link"] = next_link(page.next_cursor)
        return response


def _totals() -> service.Totals:
    """This app's list totals, counted once per delivery generation and filters; the
    generation as the delivery cache's freshness knows it."""
    totals = current_app.extensions.get("cms.delivery_totals")
    if totals is None:
        freshness = current_app.extensions["cms.delivery_cache"].freshness
        totals = current_app.extensions["cms.delivery_totals"] = service.Totals(
            freshness.generation
        )
    return totals


@blp.route("/<slug:slug>")
class ArticleItem(MethodView):
    @blp.conditional
    @blp.arguments(ArticleDetailQuerySchema(), location="query", as_kwargs=True)
    @blp.response(
        200,
        full_or_sparse(PublicArticleSchema, "PublicArticle"),
        headers={**CACHE_HEADERS, **LANGUAGE_HEADERS},
    )
    @blp.alt_response(301, description="The article moved to another slug: see Location.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(410, response="GONE")
    def get(self, slug: str, locale: str, **query: Any) -> Response:
        """Get one published article, with rendered sections and references

        An article that was published here and has been taken off (unpublished,
        trashed, archived, withdrawn) answers 410; one whose slug was renamed answers
        301 to its current address. `fields` and `section_types` choose what to
        return; whatever carries section text carries the risks section in full.
        `translations` lists the article in other locales (for hreflang); `fallback`
        serves another locale when this one is missing, and says so. `Content-Language`
        is the locale served.
        """
        session = get_public_session()
        tag(keys.detail(None, locale, slug))
        fallback = query.get("fallback") or ()
        types = query.get("section_types")
        view = fieldsets.View(
            selection=query.get("fieldset"),
            section_types=frozenset(types) if types is not None else None,
        )
        try:
            if request.if_none_match:
                # Answer a revalidation from the tag alone, before loading the body.
                today = utcnow().date()
                etag = service.article_etag(
                    session, slug=slug, locale=locale, today=today, view=view, fallback=fallback
                )
                if client_has(etag):
                    return not_modified(etag)
            found = service.article(
                session, slug=slug, locale=locale, today=utcnow().date(), view=view,
                fallback=fallback,
            )  # fmt: skip
        except service.Moved as moved:
            return moved_permanently(
                url_for(".ArticleItem", slug=moved.slug, locale=locale, **_query_args())
            )
        response = public_json(found.body, found.etag, surrogate_keys=found.keys)
        response.headers["Content-Language"] = found.locale
        if (found.slug, found.locale) != (slug, locale):
            # Where this representation lives in its own right (RFC 9110 §8.7).
            response.headers["Content-Location"] = url_for(
                ".ArticleItem", slug=found.slug, locale=found.locale, **_query_args()
            )
        return response


def _query_args() -> dict[str, str]:
    """The view's own parameters, kept on a redirect to the article's new address."""
    return {
        k: request.args[k] for k in ("fields", "section_types", "fallback") if k in request.args
    }


def _site() -> jsonld.Site:
    """The deployment's URL and publisher, read from the configuration once per app."""
    site = current_app.extensions.get("cms.jsonld_site")
    if site is None:
        site = current_app.extensions["cms.jsonld_site"] = jsonld.Site.from_config(
            current_app.config
        )
    return site


@blp.route("/<slug:slug>/jsonld")
class ArticleJsonLd(MethodView):
    @blp.conditional
    @blp.arguments(ArticleQuerySchema(), location="query", as_kwargs=True)
    @blp.response(200, MedicalWebPageSchema, headers=CACHE_HEADERS, content_type=jsonld.MEDIA_TYPE)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug: str, locale: str) -> Response:
        """Get a published article as schema.org JSON-LD (a MedicalWebPage)

        For search engines and structured-data consumers: one `HealthTopicContent`
        part per section with its `hasHealthAspect`, the references as `citation`,
        the conditions as `about`, reviewer and review date. `url` is under
        `CMS_PUBLIC_BASE_URL`; the publisher is `CMS_PUBLISHER_NAME` / `CMS_PUBLISHER_URL`.
        """
        session, site = get_public_session(), _site()
        tag(keys.detail(None, locale, slug))
        try:
            if request.if_none_match:
                etag = service.article_jsonld_etag(session, slug=slug, locale=locale, site=site)
                if client_has(etag):
                    return not_modified(etag)
            page = service.article_jsonld(session, slug=slug, locale=locale, site=site)
        except service.Moved as moved:
            return moved_permanently(url_for(".ArticleJsonLd", slug=moved.slug, locale=locale))
        response = public_json(
            page.body, page.etag, mimetype=jsonld.MEDIA_TYPE, surrogate_keys=page.keys
        )
        response.headers["Content-Language"] = locale
        return response
