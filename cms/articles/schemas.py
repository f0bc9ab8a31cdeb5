"""The article document format: the single source of truth.

The management API, the fixture importer, ``fixtures/article.schema.json`` and
``openapi.yaml`` all come from these schemas. A document that loads here is
structurally valid; editorial quality is judged separately by content checks.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import langcodes
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from cms.articles.citations import REFERENCE_ID_PATTERN, find_markers
from cms.validation import FullMatch, Message

SECTION_TYPES = ("overview", "mechanism", "evidence", "benefits", "risks", "outlook")
REQUIRED_SECTION = "risks"
EVIDENCE_CERTAINTY = ("high", "moderate", "low", "very-low")
REFERENCE_TYPES = ("article-journal", "review", "guideline", "trial-registry", "webpage", "book")
STUDY_DESIGNS = (
    "systematic-review",
    "rct",
    "cohort",
    "case-series",
    "case-report",
    "animal",
    "in-vitro",
    "guideline",
    "expert-opinion",
    "other",
)

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
LOCALE_MAX_LENGTH = 35
LOCALE_SHAPE = r"^[A-Za-z0-9]{1,8}(?:-[A-Za-z0-9]{1,8})*$"  # checked further by langcodes
DOI_PATTERN = r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+$"
PMID_PATTERN = r"^[1-9][0-9]{0,8}$"
PMCID_PATTERN = r"^PMC[0-9]+$"
NCT_PATTERN = r"^NCT[0-9]{8}$"

# How custom or ambiguous fields appear in OpenAPI and JSON Schema ("uri" is the
# JSON Schema format name; apispec's default "url" is unknown to validators).
FIELD_TYPES: list[tuple[type[fields.Field], str, str | None]] = [(fields.Url, "string", "uri")]


def pattern(regex: str, code: str, text: str) -> validate.Regexp:
    return FullMatch(regex, error=Message(code, text))


def _one_of(choices: tuple[str, ...]) -> validate.OneOf:
    return validate.OneOf(choices, error=Message("enum", "Must be one of: {choices}."))


class Date(fields.Date):
    """An ISO date. Stored documents keep dates as strings; they dump unchanged."""

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, str):
            return value
        return super()._serialize(value, attr, obj, **kwargs)


class Text(fields.String):
    """Plain text: surrounding white space trimmed, never blank, no control characters."""

    default_error_messages = {
        "blank": Message("blank", "May not be blank."),
        "control": Message("control_character", "Contains a control character."),
        "multiline": Message("multiline", "Must be a single line."),
    }

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs: Any):
        kwargs.setdefault(
            "validate",
            validate.Length(
                min=1, max=max_length, error=Message("length", "Longer than {max} characters.")
            ),
        )
        super().__init__(**kwargs)
        self.multiline = multiline

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise self.make_error("blank")
        control = (_CONTROL_IN_MULTILINE if self.multiline else _CONTROL).search(text)
        if control is not None:
            raise self.make_error("multiline" if control.group(0) in "\r\n" else "control")
        return text


# Control characters (below U+0020, and DEL); a multi-line text may hold new lines and tabs.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_IN_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class Locale(fields.String):
    """A BCP 47 language tag, validated and canonicalised by langcodes.

    ``en-gb`` loads as ``en-GB``, ``zh-hans-cn`` as ``zh-Hans-CN``, a deprecated code
    as its replacement (``iw`` as ``he``). Private-use and undetermined tags are refused:
    a reader's language must be a real one.
    """

    default_error_messages = {
        "locale": Message("locale", "Not a BCP 47 language tag such as 'en', 'de' or 'en-GB'.")
    }

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("metadata", {})
        kwargs["metadata"] = {
            "description": "BCP 47 language tag; canonicalised ('en-gb' is stored as 'en-GB').",
            "example": "en-GB",
            "pattern": LOCALE_SHAPE,
            "maxLength": LOCALE_MAX_LENGTH,
            **kwargs["metadata"],
        }
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        return canonical_locale(super()._deserialize(value, attr, data, **kwargs), self)


def canonical_locale(text: str, field: fields.Field | None = None) -> str:
    """The canonical form of a BCP 47 tag; ``ValidationError`` if it is not one."""
    error = (field or Locale()).make_error("locale")
    if not 2 <= len(text) <= LOCALE_MAX_LENGTH or not re.fullmatch(LOCALE_SHAPE, text):
        raise error
    try:
        tag = langcodes.standardize_tag(text)
    except (langcodes.LanguageTagError, ValueError) as exc:
        raise error from exc
    if (
        not langcodes.tag_is_valid(tag)
        or tag.lower().startswith(("x-", "und", "i-"))
        or len(tag) > LOCALE_MAX_LENGTH
    ):
        raise error
    return tag


def Markdown(**kwargs: Any) -> Text:
    """A section body: Markdown (CommonMark subset) with ``[@id]`` citation markers."""
    kwargs.setdefault(
        "metadata",
        {"description": "Markdown (CommonMark); cite references with [@id] or [@id1; @id2]."},
    )
    return Text(max_length=20_000, multiline=True, **kwargs)


class AuthorSchema(Schema):
    name = Text(required=True, max_length=200)
    credentials = Text(max_length=200, metadata={"description": "For example 'MD, PhD'."})
    url = fields.Url(
        schemes={"http", "https"},
        error_messages={"invalid": Message("url", "Not a valid http or https URL.")},
    )


class ReviewerSchema(Schema):
    """The medical reviewer who signs off the content."""

    name = Text(required=True, max_length=200)
    credentials = Text(required=True, max_length=200)


class DisclosuresSchema(Schema):
    funding = Text(
        required=True, max_length=1000, metadata={"description": "Who paid; 'None' if nobody."}
    )
    conflicts_of_interest = Text(
        required=True, max_length=1000, metadata={"description": "'None declared' if none."}
    )


class ReferenceAuthorSchema(Schema):
    """A person (``family``, optional ``given``) or a group (``literal``)."""

    family = Text(max_length=100)
    given = Text(max_length=100)
    literal = Text(max_length=300, metadata={"description": "Group author, e.g. a study group."})

    @validates_schema
    def _person_or_group(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "literal" in data and ("family" in data or "given" in data):
            raise ValidationError(
                Message("author_form", "Give either family/given or literal, not both."),
                "literal",
            )
        if "literal" not in data and "family" not in data:
            raise ValidationError(
                Message("required", "An author needs a family name or a literal group name."),
                "family",
            )


class ReferenceSchema(Schema):
    """A source, CSL-like, with its identifiers as flat optional fields."""

    id = fields.String(
        required=True,
        validate=pattern(
            f"^{REFERENCE_ID_PATTERN}$",
            "reference_id",
            "Use letters, digits and . _ : - (up to 64 characters), for example 'scot2018'.",
        ),
        metadata={"description": "Key used by citation markers: [@id]."},
    )
    type = fields.String(required=True, validate=_one_of(REFERENCE_TYPES))
    title = Text(required=True, max_length=500)
    authors = fields.List(fields.Nested(ReferenceAuthorSchema))
    container_title = Text(max_length=300, metadata={"description": "Journal or site name."})
    year = fields.Integer(
        strict=True,
        validate=validate.Range(
            min=1800, max=2100, error=Message("range", "Must be a year between {min} and {max}.")
        ),
    )
    volume = Text(max_length=50)
    issue = Text(max_length=50)
    pages = Text(max_length=50)
    doi = fields.String(
        validate=pattern(
            DOI_PATTERN, "doi", "Not a DOI: expected 10.NNNN/suffix, without a doi.org prefix."
        ),
        metadata={"examples": ["10.1056/NEJMoa1703327"]},
    )
    pmid = fields.String(
        validate=pattern(PMID_PATTERN, "pmid", "Not a PMID: expected digits only."),
        metadata={"examples": ["29298160"]},
    )
    pmcid = fields.String(
        validate=pattern(PMCID_PATTERN, "pmcid", "Not a PMCID: expected PMC followed by digits."),
        metadata={"examples": ["PMC6439765"]},
    )
    nct = fields.String(
        validate=pattern(NCT_PATTERN, "nct", "Not an NCT number: expected NCT and 8 digits."),
        metadata={"examples": ["NCT00114530"]},
    )
    url = fields.Url(
        schemes={"http", "https"},
        error_messages={"invalid": Message("url", "Not a valid http or https URL.")},
    )
    accessed = Date(metadata={"description": "When a web page was last checked."})
    study_design = fields.String(validate=_one_of(STUDY_DESIGNS))
    note = Text(
        max_length=500,
        metadata={"description": "Editorial note, e.g. which identifiers could not be confirmed."},
    )


class SectionSchema(Schema):
    type = fields.String(required=True, validate=_one_of(SECTION_TYPES))
    heading = Text(required=True, max_length=200)
    body = Markdown(required=True)
    evidence_certainty = fields.String(
        validate=_one_of(EVIDENCE_CERTAINTY),
        metadata={"description": "GRADE certainty; only on the evidence section."},
    )

    @validates_schema
    def _certainty_only_on_evidence(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if "evidence_certainty" in data and data.get("type") != "evidence":
            raise ValidationError(
                Message("not_allowed", "Only an evidence section carries evidence_certainty."),
                "evidence_certainty",
            )


def _nested_error(errors: dict[Any, Any], path: tuple[Any, ...], message: Message) -> None:
    node = errors
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node.setdefault(path[-1], []).append(message)


class TranslationOfSchema(Schema):
    """The original article a translation was made from, and from which of its revisions."""

    slug = fields.String(
        required=True,
        validate=pattern(
            SLUG_PATTERN, "slug", "Use lower-case letters, digits and single hyphens."
        ),
    )
    locale = Locale(required=True)
    revision = fields.Integer(
        strict=True,
        validate=validate.Range(min=1, error=Message("range", "Must be at least {min}.")),
        metadata={
            "description": "The original's revision this translation follows. Left out, "
            "it stays what was recorded before, or, for a new translation, becomes the "
            "original's live revision (its latest when it is not live)."
        },
    )


class ArticleDocumentSchema(Schema):
    """An article as editors write it: the fixture format and the management API body."""

    slug = fields.String(
        required=True,
        validate=[
            pattern(SLUG_PATTERN, "slug", "Use lower-case letters, digits and single hyphens."),
            validate.Length(max=120, error=Message("length", "Longer than {max} characters.")),
        ],
        metadata={"description": "Unique per locale; used in public URLs."},
    )
    locale = Locale(load_default="en")
    translation_of = fields.Nested(
        TranslationOfSchema,
        metadata={
            "description": "Set on a translation: the original article it translates. Links "
            "the two both ways in the public API (`translations`); when the original's live "
            "risks, evidence or benefits change after `revision`, the translation is marked "
            "outdated and cannot be published again until it is updated (a new `revision`) "
            "or a reviewer confirms it."
        },
    )
    title = Text(required=True, max_length=200)
    summary = Text(required=True, max_length=1000)
    conditions = fields.List(
        fields.String(
            validate=pattern(SLUG_PATTERN, "slug", "Use condition slugs such as 'lupus'.")
        ),
        metadata={
            "description": "Condition slugs, e.g. 'lupus', 'rheumatoid-arthritis'.",
            "uniqueItems": True,
        },
    )
    author = fields.Nested(AuthorSchema, required=True)
    reviewer = fields.Nested(ReviewerSchema)
    last_reviewed = Date()
    next_review = Date()
    disclosures = fields.Nested(DisclosuresSchema)
    sections = fields.List(
        fields.Nested(SectionSchema),
        required=True,
        metadata={"description": "Typed, ordered; each type at most once; 'risks' is required."},
    )
    references = fields.List(
        fields.Nested(ReferenceSchema),
        required=True,
        validate=validate.Length(
            min=1, error=Message("references_required", "An article needs at least one reference.")
        ),
    )

    @validates_schema(pass_original=True, skip_on_field_errors=False)
    def _structure(self, _data: Any, original: Any, **_kwargs: Any) -> None:
        """Rules across fields, checked on the raw input so pointers keep their indexes."""
        if not isinstance(original, Mapping):
            return
        errors: dict[Any, Any] = {}
        _check_unique_conditions(original.get("conditions"), errors)
        reference_ids = _check_unique_references(original.get("references"), errors)
        sections = original.get("sections")
        if isinstance(sections, list):
            _check_sections(sections, errors)
            if reference_ids is not None:
                _check_citations(sections, reference_ids, errors)
        if errors:
            raise ValidationError(errors)


def _check_unique_conditions(conditions: Any, errors: dict[Any, Any]) -> None:
    if not isinstance(conditions, list):
        return
    seen: set[str] = set()
    for index, condition in enumerate(conditions):
        if not isinstance(condition, str):
            continue  # the field itself reports the wrong type
        if condition in seen:
            _nested_error(
                errors,
                ("conditions", index),
                Message("duplicate", f"Condition '{condition}' is listed twice."),
            )
        seen.add(condition)


def _check_unique_references(references: Any, errors: dict[Any, Any]) -> set[str] | None:
    if not isinstance(references, list):
        return None
    ids: set[str] = set()
    for index, reference in enumerate(references):
        ref_id = reference.get("id") if isinstance(reference, Mapping) else None
        if not isinstance(ref_id, str):
            continue
        if ref_id in ids:
            _nested_error(
                errors,
                ("references", index, "id"),
                Message("duplicate", f"Reference id '{ref_id}' is used twice."),
            )
        ids.add(ref_id)
    return ids


def _check_sections(sections: list[Any], errors: dict[Any, Any]) -> None:
    seen: dict[str, int] = {}
    for index, section in enumerate(sections):
        section_type = section.get("type") if isinstance(section, Mapping) else None
        if not isinstance(section_type, str) or section_type not in SECTION_TYPES:
            continue
        if section_type in seen:
            _nested_error(
                errors,
                ("sections", index, "type"),
                Message(
                    "duplicate_section",
                    f"There is already a '{section_type}' section,"
                    f" at /sections/{seen[section_type]}.",
                ),
            )
        else:
            seen[section_type] = index
    if REQUIRED_SECTION not in seen:
        _nested_error(
            errors,
            ("sections", "_schema"),
            Message(
                "risks_required",
                "Every article needs a 'risks' section describing harms and side effects.",
            ),
        )


def _check_citations(sections: list[Any], reference_ids: set[str], errors: dict[Any, Any]) -> None:
    for index, section in enumerate(sections):
        body = section.get("body") if isinstance(section, Mapping) else None
        if not isinstance(body, str):
            continue
        unknown = [
            ref_id
            for marker in find_markers(body)
            for ref_id in marker.ids
            if ref_id not in reference_ids
        ]
        for ref_id in dict.fromkeys(unknown):
            _nested_error(
                errors,
                ("sections", index, "body"),
                Message(
                    "unknown_reference",
                    f"Citation [@{ref_id}] does not match any reference id in /references.",
                ),
            )


document_schema = ArticleDocumentSchema()


def load_document(raw: Any) -> dict[str, Any]:
    """Validate a raw document and return it JSON-ready (dates as ISO strings).

    Raises ``marshmallow.ValidationError``.
    """
    return document_schema.dump(document_schema.load(raw))
