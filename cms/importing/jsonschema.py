"""The JSON Schema of the article file format, generated from the marshmallow schemas.

Editors point their YAML/JSON tooling at ``fixtures/article.schema.json`` and get
the same structural rules the importer and the API enforce (cross-field rules
such as the required risks section are checked by the importer itself).
"""

from __future__ import annotations

from typing import Any

import orjson
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from cms.articles.schemas import FIELD_TYPES, REQUIRED_SECTION, ArticleDocumentSchema

SCHEMA_PATH = "fixtures/article.schema.json"


def _rewrite_refs(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: value.replace("#/components/schemas/", "#/$defs/")
            if key == "$ref" and isinstance(value, str)
            else _rewrite_refs(value)
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item) for item in node]
    return node


def article_json_schema() -> dict[str, Any]:
    plugin = MarshmallowPlugin()
    spec = APISpec("article", "1", "3.1.0", plugins=[plugin])
    for field_type in FIELD_TYPES:
        plugin.map_to_openapi_type(*field_type)
    spec.components.schema("ArticleDocument", schema=ArticleDocumentSchema)
    definitions = _rewrite_refs(spec.to_dict()["components"]["schemas"])
    # The one cross-field rule JSON Schema can express: a risks section must be present.
    definitions["ArticleDocument"]["properties"]["sections"]["contains"] = {
        "type": "object",
        "properties": {"type": {"const": REQUIRED_SECTION}},
        "required": ["type"],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Health article document",
        "description": (
            "One article per file, YAML or JSON: the format `cms import` and the "
            "management API accept. Generated from cms/articles/schemas.py; do not edit."
        ),
        "$ref": "#/$defs/ArticleDocument",
        "$defs": definitions,
    }


def render() -> bytes:
    return orjson.dumps(article_json_schema(), option=orjson.OPT_INDENT_2) + b"\n"
