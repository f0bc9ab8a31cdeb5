"""The public representation of articles, derived from the document schemas.

These schemas shape the snapshot written at publish time (and document the
public API); they are never used to parse input.
"""

from __future__ import annotations

import copy
from typing import Any

from marshmallow import Schema, fields, validate
from webargs.fields import DelimitedList

from cms import query
from cms.articles.schemas import (
    SECTION_TYPES,
    SLUG_PATTERN,
    AuthorSchema,
    DisclosuresSchema,
    ReferenceSchema,
    ReviewerSchema,
    SectionSchema,
    pattern,
)
from cms.delivery import fieldsets
from cms.validation import Message


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


class TranslationLinkSchema(Schema):
    locale = fields.String(required=True)
    slug = fields.String(required=True)


class PublicArticleSchema(PublicArticleSummarySchema):
    revision = fields.Integer(required=True, metadata={"description": "Live revision number."})
    translation_of = fields.Nested(
        TranslationLinkSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The live original this article translates; null otherwise."},
    )
    translations = fields.List(
        fields.Nested(TranslationLinkSchema),
        required=True,
        metadata={
            "description": "The other live articles of its family (the original and its "
            "translations), by locale: for hreflang links."
        },
    )
    translation_outdated = fields.Boolean(
        required=True,
        metadata={
            "description": "true when the original's live risks, evidence or benefits changed "
            "after the revision this translation was made from: show the original's instead, "
            "or say the translation may be out of date."
        },
    )
    translation_outdated_since = fields.DateTime(
        required=True,
        allow_none=True,
        metadata={"description": "When the original's live safety sections changed."},
    )
    requested_locale = fields.String(
        metadata={
            "description": "Only in an answer served from the `fallback` chain: the locale "
            "asked for (`locale` is the one served)."
        }
    )
    fallback = fields.Boolean(
        metadata={"description": "Only with `requested_locale`: true, the answer is a fallback."}
    )
    author = fields.Nested(AuthorSchema, required=True)
    reviewer = fields.Nested(ReviewerSchema, required=True, allow_none=True)
    disclosures = fields.Nested(DisclosuresSchema, required=True, allow_none=True)
    sections = fields.List(fields.Nested(PublicSectionSchema), required=True)
    references = fields.List(fields.Nested(PublicReferenceSchema), required=True)
    fields_added = fields.List(
        fields.String(),
        metadata={
            "description": "Only in a sparse answer (`fields`, `section_types`) that had to "
            'carry more than was asked: `["sections/risks"]` when the risks section was added '
            "or completed, since whatever shows section text shows the risks in full."
        },
    )


class PublicArticleListSchema(Schema):
    items = fields.List(fields.Nested(PublicArticleSummarySchema), required=True)
    total = fields.Integer(required=True, metadata={"description": "Matches for these filters."})
    next_cursor = fields.String(
        required=True,
        allow_none=True,
        metadata={"description": "Pass as ?cursor= for the next page; null on the last page."},
    )


_SPARSE: dict[type[Schema], type[Schema]] = {}


def sparse(schema: type[Schema]) -> type[Schema]:
    """The same representation with every field optional, nested ones too: what a
    sparse answer (``fields``, ``section_types``) is, documented so that a generated
    client parses it instead of failing on a field the client itself left out."""
    if schema not in _SPARSE:
        declared = {}
        for name, field in schema._declared_fields.items():
            copied = copy.copy(field)
            copied.required = False
            if isinstance(field, fields.Nested) and isinstance(field.nested, type):
                copied.nested = sparse(field.nested)
            elif isinstance(field, fields.List) and isinstance(field.inner, fields.Nested):
                inner = copy.copy(field.inner)
                inner.nested = sparse(field.inner.nested)
                copied.inner = inner
            declared[name] = copied
        name = schema.__name__.removesuffix("Schema") + "SparseSchema"
        _SPARSE[schema] = type(name, (Schema,), {**declared, "__doc__": sparse.__doc__})
    return _SPARSE[schema]


# Components of answers that may be sparse: the app registers each, and its sparse twin.
SPARSE_ANSWERS: dict[str, type[Schema]] = {}


def full_or_sparse(full: type[Schema], component: str) -> dict[str, Any]:
    """The OpenAPI schema of an answer that may be sparse: the full representation, or
    the ``sparse`` one (registered as the component ``<component>Sparse``)."""
    SPARSE_ANSWERS[component] = full
    return {
        "anyOf": [
            {"$ref": f"#/components/schemas/{component}"},
            {"$ref": f"#/components/schemas/{component}Sparse"},
        ],
        "description": "The full representation; with `fields`, only the fields asked for "
        "(and whatever the safety rule adds).",
    }


FIELDS_DESCRIPTION = """\
Sparse fieldset (Wagtail's grammar): a comma list of the fields to return
(`title,summary`); `name(sub,fields)` chooses the fields of a nested object or
list (`sections(type,heading,html)`); `-name` leaves one out of the rest
(`-references`); `*` is every field (`*,-references`). Unknown fields are a 400
pointing at `/query/fields`. Fields left out are absent from the answer; each
view has its own ETag.
"""

SAFETY_RULE = """
**Safety rule:** an answer that carries the `body` or `html` of any section
always carries the article's `risks` section in full (every field), whatever
`fields` and `section_types` asked, and then says so with
`"fields_added": ["sections/risks"]` (absent when nothing was added).
"""

SORTS = ("-published_at", "-updated_at", "title", "next_review", "-last_reviewed")
MAX_SLUGS = 50


class FieldList(fields.String):
    """``?fields=``, parsed against the fields of one representation."""

    def __init__(self, tree: fieldsets.Tree, description: str, **kwargs: Any):
        super().__init__(metadata={"description": description}, **kwargs)
        self.tree = tree

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        return fieldsets.parse(super()._deserialize(value, attr, data, **kwargs), self.tree)


DETAIL_TREE = fieldsets.schema_tree(
    PublicArticleSchema(), exclude=["fields_added", "requested_locale", "fallback"]
)
SUMMARY_TREE = fieldsets.schema_tree(PublicArticleSummarySchema())


def field_list(tree: fieldsets.Tree, description: str = FIELDS_DESCRIPTION) -> FieldList:
    return FieldList(tree, description, data_key="fields")


class ArticleListQuerySchema(Schema):
    locale = query.locale(
        metadata={
            "description": "Only articles in this locale; with `slug`, the locale of those "
            "slugs (default en)."
        }
    )
    condition = query.conditions("Repeatable; an article matches if it has any of them.")
    slug = DelimitedList(
        fields.String(
            validate=[
                validate.Length(max=120, error=Message("length", "Longer than {max} characters.")),
                pattern(SLUG_PATTERN, "slug", "Not an article slug."),
            ]
        ),
        validate=validate.Length(
            min=1, max=MAX_SLUGS, error=Message("length", "Between {min} and {max} slugs.")
        ),
        metadata={
            "description": f"Comma list of up to {MAX_SLUGS} slugs: the published summaries of "
            "those articles (in `locale`, default en), in the order asked. Slugs with no "
            "published article are simply absent; `total` counts the ones found. One page: "
            "`limit`, `sort` and `cursor` do not apply."
        },
    )
    sort = fields.String(
        load_default="-published_at",
        validate=validate.OneOf(SORTS, error=Message("enum", "Must be one of: {choices}.")),
        metadata={
            "description": "Order: `-published_at` (newest first, the default), `-updated_at` "
            "(most recently updated first), `title` (A to Z by code point), `next_review` "
            "(soonest review first; articles without one last), `-last_reviewed` (most recently "
            "reviewed first; articles without a review date last). Cursors belong to their order."
        },
    )
    limit = query.page_limit(default=20, maximum=100)
    cursor = query.opaque_cursor()
    fieldset = field_list(
        SUMMARY_TREE, FIELDS_DESCRIPTION + "\nList entries are summaries: they carry no sections."
    )


class ArticleQuerySchema(Schema):
    locale = query.locale(load_default="en")


class ArticleDetailQuerySchema(ArticleQuerySchema):
    fallback = DelimitedList(
        query.locale(),
        validate=validate.Length(max=5, error=Message("length", "At most {max} locales.")),
        metadata={
            "description": "Comma list of locales to serve, in order, when the article is not "
            "published in `locale` (`locale=de-AT&fallback=de,en`): the first one its family of "
            "translations has live is served, with `requested_locale`, `fallback: true` and "
            "`Content-Language` saying which. Without it a missing locale is a 404 whose "
            "`available` member lists the locales there are."
        },
    )
    fieldset = field_list(DETAIL_TREE, FIELDS_DESCRIPTION + SAFETY_RULE)
    section_types = DelimitedList(
        fields.String(
            validate=validate.OneOf(
                SECTION_TYPES, error=Message("enum", "Must be one of: {choices}.")
            )
        ),
        validate=validate.Length(min=1, error=Message("length", "Name at least one type.")),
        metadata={
            "description": "Comma list of section types to return (`benefits,evidence`), in "
            "the article's order. The safety rule of `fields` applies: the `risks` section "
            "comes with any section text."
        },
    )


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
