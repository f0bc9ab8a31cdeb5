"""The management API's article representation and its query and action bodies.

An article is its document (exactly ``ArticleDocumentSchema``, the fixture format)
plus read-only state. GET returns it (``ManagedArticleSchema``: every state field
present), and PUT and POST accept the same object (``ManagedArticleWriteSchema``):
read-only fields (``readOnly`` in the OpenAPI document) are ignored on input, so
GET → edit → PUT round-trips. ``change_note`` is write-only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from marshmallow import INCLUDE, Schema, fields, post_load, pre_load, validate

from cms import query
from cms.articles.models import ArticleStatus
from cms.articles.schemas import (
    ArticleDocumentSchema,
    Text,
    document_schema,
)
from cms.checks.schemas import FindingSchema
from cms.validation import Message
from cms.workflow.states import Action


@dataclass(frozen=True, slots=True)
class WriteRequest:
    """A validated article document (JSON-ready) and the editor's change note."""

    document: dict[str, Any]
    note: str | None


class ApprovalSchema(Schema):
    """The medical sign-off of the latest revision."""

    reviewer_name = fields.String(required=True)
    reviewer_credentials = fields.String(required=True)
    reviewer_token = fields.String(required=True)
    approved_at = fields.DateTime(required=True)
    reviewed_revision = fields.Integer(required=True)
    revision = fields.Integer(required=True, metadata={"description": "The publishable revision."})
    last_reviewed = fields.Date(required=True)
    next_review = fields.Date(required=True)
    comment = fields.String(allow_none=True, required=True)


class ScheduleSchema(Schema):
    """When the worker publishes the article, and when it takes it offline."""

    publish_at = fields.DateTime(
        required=True, allow_none=True, metadata={"description": "null: expiry only."}
    )
    unpublish_at = fields.DateTime(required=True, allow_none=True)
    revision = fields.Integer(
        required=True,
        allow_none=True,
        metadata={"description": "The approved revision publish_at publishes."},
    )
    scheduled_by = fields.String(required=True)
    scheduled_at = fields.DateTime(required=True)
    state = fields.String(
        required=True,
        validate=validate.OneOf(["pending", "cancelled"]),
        metadata={
            "description": "cancelled: it will not be carried out (cancel_reason says why, "
            "for example an edit after scheduling); schedule again to replace it."
        },
    )
    cancel_reason = fields.String(required=True, allow_none=True)


class FamilyMemberSchema(Schema):
    id = fields.UUID(required=True)
    locale = fields.String(required=True)
    slug = fields.String(required=True)
    status = fields.Enum(ArticleStatus, by_value=True, required=True)
    original = fields.Boolean(required=True, metadata={"description": "The one translated."})


def _state_fields(*, required: bool) -> dict[str, fields.Field]:
    """The read-only state beside the document: in every response, ignored on input."""
    return {
        "id": fields.UUID(dump_only=True, required=required),
        "status": fields.Enum(ArticleStatus, by_value=True, dump_only=True, required=required),
        "version": fields.Integer(
            dump_only=True,
            required=required,
            metadata={"description": 'Changes with every write; the ETag is "v<version>".'},
        ),
        "revision": fields.Integer(
            dump_only=True, required=required, metadata={"description": "Latest revision number."}
        ),
        "live_revision": fields.Integer(
            dump_only=True,
            required=required,
            allow_none=True,
            metadata={"description": "Served publicly; null if offline."},
        ),
        "has_unpublished_changes": fields.Boolean(dump_only=True, required=required),
        "trashed": fields.Boolean(dump_only=True, required=required),
        "allowed_actions": fields.List(
            fields.Enum(Action, by_value=True),
            dump_only=True,
            required=required,
            metadata={
                "description": "The workflow actions that the article's state allows AND the "
                "caller's role may perform, so an editor UI can offer exactly these: approve "
                "and request_changes need a reviewer (or admin) token; publish, unpublish and "
                "archive a publisher (or admin) token; submit any role. Empty in the trash."
            },
        ),
        "approval": fields.Nested(
            ApprovalSchema, dump_only=True, required=required, allow_none=True
        ),
        "schedule": fields.Nested(
            ScheduleSchema, dump_only=True, required=required, allow_none=True
        ),
        "translations": fields.List(
            fields.Nested(FamilyMemberSchema),
            dump_only=True,
            required=required,
            metadata={
                "description": "The other articles of its family: the original and its "
                "translations (see translation_of), live or not, by locale."
            },
        ),
        "findings": fields.List(
            fields.Nested(FindingSchema),
            dump_only=True,
            metadata={"description": "After submit and approve: the content checks' findings."},
        ),
        "created_at": fields.DateTime(dump_only=True, required=required),
        "updated_at": fields.DateTime(dump_only=True, required=required),
    }


# Responses always carry the state (required); requests may send it back and it is
# ignored (optional). Two schemas, because a generated client would otherwise have
# to send ``id`` and ``status`` to create an article, or find them optional on read.
ArticleStateSchema = Schema.from_dict(_state_fields(required=True), name="ArticleStateSchema")
_SentBackStateSchema = Schema.from_dict(_state_fields(required=False), name="SentBackState")
READ_ONLY_FIELDS = tuple(_state_fields(required=False))


class ManagedArticleSchema(ArticleDocumentSchema, ArticleStateSchema):  # type: ignore[misc, valid-type]
    """An article as editors read it: its latest document and workflow state."""


class ManagedArticleWriteSchema(ArticleDocumentSchema, _SentBackStateSchema):  # type: ignore[misc, valid-type]
    """An article as editors write it (POST, PUT): the document, and why it changed.

    The read-only state of a ``ManagedArticle`` may be sent back as read and is
    ignored, so GET → edit → PUT round-trips.
    """

    change_note = Text(
        load_only=True,
        max_length=500,
        metadata={"description": "Why this change was made; or send an X-Change-Note header."},
    )

    @pre_load
    def _ignore_read_only(self, data: Any, **_kwargs: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if k not in READ_ONLY_FIELDS}
        return data

    @post_load
    def _to_write_request(self, data: dict[str, Any], **_kwargs: Any) -> WriteRequest:
        note = data.pop("change_note", None)
        return WriteRequest(document=document_schema.dump(data), note=note)


class MergePatchSchema(Schema):
    """Any JSON object: validated after it is merged into the current document."""

    class Meta:
        unknown = INCLUDE


class ArticleSummarySchema(ArticleStateSchema):  # type: ignore[misc, valid-type]
    slug = fields.String(required=True)
    locale = fields.String(required=True)
    title = fields.String(required=True)

    class Meta:
        exclude = ("allowed_actions", "approval", "schedule", "translations", "findings")


class ArticleListSchema(Schema):
    items = fields.List(fields.Nested(ArticleSummarySchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class ArticleListQuerySchema(Schema):
    status = fields.List(
        fields.Enum(ArticleStatus, by_value=True),
        metadata={"description": "Repeatable; any of these workflow states."},
    )
    locale = query.locale()
    condition = query.conditions("Repeatable; any of these conditions.")
    trashed = fields.Boolean(
        load_default=False, metadata={"description": "List the trash instead of live work."}
    )
    limit = query.page_limit(default=20, maximum=100)
    cursor = query.opaque_cursor()


class TransitionSchema(Schema):
    action = fields.Enum(Action, by_value=True, required=True)
    comment = Text(max_length=2000, multiline=True)
    next_review = fields.Date(
        metadata={"description": "approve only: default 12 months ahead, at most 36."}
    )
    reviewer_credentials = Text(
        max_length=200,
        metadata={"description": "approve only: overrides the credentials on the token."},
    )
    publish_at = fields.AwareDateTime(
        metadata={
            "description": "schedule only: when to publish the approved revision (RFC 3339, "
            "with a time zone; in the future)."
        },
    )
    unpublish_at = fields.AwareDateTime(
        metadata={
            "description": "schedule only: when to take it offline (after publish_at); alone, "
            "the expiry of a live article."
        },
    )


def _audit_reason(description: str) -> Text:
    """A required reason for an act, kept in the audit log."""
    metadata = {"description": description}
    return Text(required=True, max_length=2000, multiline=True, metadata=metadata)


class WithdrawSchema(Schema):
    reason = _audit_reason(
        "Why the article is withdrawn: kept in the audit log, never shown to the public "
        "(they see a neutral notice)."
    )


class TranslationConfirmationSchema(Schema):
    reason = _audit_reason(
        "Why the translation still holds after the original's change (kept in the audit log)."
    )


class RevisionSummarySchema(Schema):
    number = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    created_by = fields.String(required=True)
    change_note = fields.String(allow_none=True, required=True)


class RevisionSchema(RevisionSummarySchema):
    document = fields.Nested(ArticleDocumentSchema, required=True)


class RevisionListSchema(Schema):
    items = fields.List(fields.Nested(RevisionSummarySchema), required=True)
    total = fields.Integer(required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class RevisionListQuerySchema(Schema):
    limit = query.page_limit(default=50, maximum=200)
    cursor = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1, error=Message("range", "Not a cursor.")),
        metadata={"description": "Revision number from next_cursor."},
    )


class DiffQuerySchema(Schema):
    against = fields.Integer(
        validate=validate.Range(min=1, max=2**31 - 1, error=Message("range", "Not a revision.")),
        metadata={"description": "Revision to compare with; default: the one before."},
    )


class FieldChangeSchema(Schema):
    field = fields.String(required=True)
    before = fields.Raw(allow_none=True, required=True)
    after = fields.Raw(allow_none=True, required=True)


class SectionChangeSchema(Schema):
    type = fields.String(required=True)
    changed_fields = fields.List(
        fields.String(), required=True, data_key="fields", attribute="fields"
    )
    body_diff = fields.String(metadata={"description": "Unified diff of the Markdown body."})


class SectionChangesSchema(Schema):
    added = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), required=True)
    changed = fields.List(fields.Nested(SectionChangeSchema), required=True)
    reordered = fields.Boolean(required=True)


class ReferenceChangeSchema(Schema):
    id = fields.String(required=True)
    changed_fields = fields.List(
        fields.String(), required=True, data_key="fields", attribute="fields"
    )


class ReferenceChangesSchema(Schema):
    added = fields.List(fields.String(), required=True)
    removed = fields.List(fields.String(), required=True)
    changed = fields.List(fields.Nested(ReferenceChangeSchema), required=True)


class RevisionDiffSchema(Schema):
    revision = fields.Integer(required=True)
    against = fields.Integer(required=True)
    changed_fields = fields.List(
        fields.Nested(FieldChangeSchema), required=True, data_key="fields", attribute="fields"
    )
    sections = fields.Nested(SectionChangesSchema, required=True)
    references = fields.Nested(ReferenceChangesSchema, required=True)
