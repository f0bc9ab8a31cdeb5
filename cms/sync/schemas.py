"""The sync feed's query and answer, documented so generated clients get typed models.

The answer is assembled from stored bytes (``cms.sync.service``); these schemas
parse the query and describe the answer, they never serialize an article.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from cms import query
from cms.delivery.schemas import PublicArticleSchema
from cms.sync.tokens import MAX_LENGTH
from cms.validation import Message

DEFAULT_LIMIT = 100
MAX_LIMIT = 500

DELETION_KINDS = ("unpublished", "trashed", "archived", "withdrawn", "expired", "moved")


def _token(description: str) -> fields.String:
    return fields.String(
        validate=validate.Length(min=1, max=MAX_LENGTH, error=Message("length", "Not a token.")),
        metadata={"description": description},
    )


class SyncQuerySchema(Schema):
    locale = query.locale(
        metadata={
            "description": "Only articles in this locale (initial sync; default: every "
            "locale). Tokens carry it on: with a token it may be left out, or must repeat it."
        }
    )
    sync_token = _token("From the last page of the previous sync: what changed since.")
    page_token = _token("From `next_page_token`: the next page of this sync.")
    limit = query.page_limit(default=DEFAULT_LIMIT, maximum=MAX_LIMIT)

    @validates_schema
    def _one_token(self, data: dict[str, Any], **_: Any) -> None:
        if "sync_token" in data and "page_token" in data:
            raise ValidationError(
                {"page_token": [Message("exclusive", "Send sync_token or page_token, not both.")]}
            )


class SyncDeletionSchema(Schema):
    id = fields.UUID(required=True, metadata={"description": "The article: drop it by id."})
    slug = fields.String(required=True, metadata={"description": "Its last address."})
    locale = fields.String(required=True)
    kind = fields.String(
        required=True,
        validate=validate.OneOf(DELETION_KINDS),
        metadata={
            "description": "Why: unpublished, trashed, archived, withdrawn (do not show it "
            "again, even from a cache), expired (its scheduled end), or moved (it is now "
            "in another locale, outside this sync's locale filter).",
        },
    )
    removed_at = fields.DateTime(required=True, metadata={"description": "When it happened."})


class SyncPageSchema(Schema):
    upserts = fields.List(
        fields.Nested(PublicArticleSchema),
        required=True,
        metadata={
            "description": "Articles to store or replace, by id: each exactly as "
            "`GET /api/v1/articles/{slug}` serves it. An article that changed while "
            "the client was paging may come twice; the later copy wins."
        },
    )
    deletions = fields.List(
        fields.Nested(SyncDeletionSchema),
        required=True,
        metadata={
            "description": "Articles to drop, by id (ids the app never stored are to be "
            "ignored). Always empty in an initial sync."
        },
    )
    next_page_token = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "More follows: ask ?page_token= for it. Null on the last page."},
    )
    next_sync_token = fields.String(
        required=True,
        allow_none=True,
        metadata={
            "description": "On the last page only: keep it, and ask ?sync_token= later for "
            "what changed since."
        },
    )
