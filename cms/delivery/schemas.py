"""The public representation of articles, derived from the document schemas.

These schemas shape the snapshot written at publish time (and document the
public API); they are never used to parse input.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from cms import query
from cms.articles.schemas import (
    AuthorSchema,
    DisclosuresSchema,
    ReferenceSchema,
    ReviewerSchema,
    SectionSchema,
)


class PublicSectionSchema(SectionSchema):
    html = fields.String(
        required=True,
        metadata={"description": "Sanitized HTML; citations link to #ref-<id>."},
    )


class PublicReferenceSchema(ReferenceSchema):
    number = fields.Integer(
        required=True, metadata={"description": "1-based number used in citations."}
    )
    anchor = fields.String(required=True, metadata={"description": "Fragment id: ref-<id>."})
    href = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Best link: doi.org, PubMed, PMC, ClinicalTrials.gov or url."},
    )


class PublicArticleSummarySchema(Schema):
    id = fields.UUID(required=True)
    slug = fields.String(required=True)
    locale = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    conditions = fields.List(fields.String(), required=True)
    published_at = fields.DateTime(required=True, metadata={"description": "First published."})
    updated_at = fields.DateTime(
        required=True, metadata={"description": "When the live revision was published."}
    )
    last_reviewed = fields.Date(required=True, allow_none=True)
    next_review = fields.Date(required=True, allow_none=True)
    review_overdue = fields.Boolean(
        required=True,
        metadata={"description": "true once next_review has passed: the content awaits review."},
    )


class PublicArticleSchema(PublicArticleSummarySchema):
    revision = fields.Integer(required=True, metadata={"description": "Live revision number."})
    author = fields.Nested(AuthorSchema, required=True)
    reviewer = fields.Nested(ReviewerSchema, required=True, allow_none=True)
    disclosures = fields.Nested(DisclosuresSchema, required=True, allow_none=True)
    sections = fields.List(fields.Nested(PublicSectionSchema), required=True)
    references = fields.List(fields.Nested(PublicReferenceSchema), required=True)


class PublicArticleListSchema(Schema):
    items = fields.List(fields.Nested(PublicArticleSummarySchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Matches for these filters."})
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as ?cursor= for the next page; null on the last page."},
    )


class ArticleListQuerySchema(Schema):
    locale = query.locale(metadata={"description": "Only articles in this locale."})
    condition = query.conditions("Repeatable; an article matches if it has any of them.")
    limit = query.page_limit(default=20, maximum=100)
    cursor = query.opaque_cursor()


class ArticleQuerySchema(Schema):
    locale = query.locale(load_default="en")


def _node(description: str, **kwargs: Any) -> fields.Dict:
    return fields.Dict(required=True, metadata={"description": description}, **kwargs)


class MedicalWebPageSchema(Schema):
    """schema.org MedicalWebPage (https://schema.org/MedicalWebPage), compacted."""

    context = fields.String(required=True, data_key="@context")
    type = fields.String(required=True, data_key="@type")
    id = fields.String(required=True, data_key="@id")
    url = fields.String(required=True, metadata={"description": "Under CMS_PUBLIC_BASE_URL."})
    publisher = _node("Organization: CMS_PUBLISHER_NAME and CMS_PUBLISHER_URL.")
    headline = fields.String(required=True)
    name = fields.String(required=True)
    description = fields.String(required=True, metadata={"description": "The summary."})
    inLanguage = fields.String(required=True)
    datePublished = fields.String(required=True)
    dateModified = fields.String(required=True)
    lastReviewed = fields.String()
    reviewedBy = fields.Dict(metadata={"description": "Person; credentials as jobTitle."})
    author = _node("Person (with credentials as jobTitle) or Organization.")
    about = fields.List(fields.Dict(), metadata={"description": "MedicalCondition per condition."})
    hasPart = fields.List(
        fields.Dict(),
        required=True,
        metadata={"description": "HealthTopicContent per section, with hasHealthAspect."},
    )
    citation = fields.List(
        fields.Dict(),
        required=True,
        metadata={
            "description": "Each reference: MedicalScholarlyArticle, WebPage, Book or "
            "MedicalTrial; DOIs as sameAs and a PropertyValue identifier."
        },
    )
