"""The events the product emits, and the shape of their payloads.

Payloads follow the Standard Webhooks format: ``{"type", "timestamp", "data"}``.
An article event's ``data`` names the article (id, slug, locale, live revision),
the change (its kind and delivery generation) and the surrogate keys whose public
answers it changed. ``cdn.purge`` carries just the keys.
"""

from __future__ import annotations

import enum


class EventType(enum.StrEnum):
    ARTICLE_PUBLISHED = "article.published"  # first publication and every new live revision
    ARTICLE_UNPUBLISHED = "article.unpublished"
    ARTICLE_TRASHED = "article.trashed"
    ARTICLE_ARCHIVED = "article.archived"
    ARTICLE_WITHDRAWN = "article.withdrawn"
    ARTICLE_EXPIRED = "article.expired"  # a scheduled unpublication came due
    ARTICLE_REVIEW_DUE = "article.review_due"
    CDN_PURGE = "cdn.purge"


EVENT_TYPES = tuple(EventType)
