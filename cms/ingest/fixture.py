"""A draft as a fixture YAML file, readable by editors and by the fixture importer."""

from __future__ import annotations

from typing import Any

import yaml

SCHEMA_COMMENT = "# yaml-language-server: $schema=../article.schema.json"


class _FixtureDumper(yaml.SafeDumper):
    """The safe dumper, with multi-line strings (section bodies) as literal blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # PyYAML falls back to a quoted style by itself when a literal block cannot hold
    # the value exactly (e.g. trailing spaces), so this never changes the data.
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_FixtureDumper.add_representer(str, _represent_str)


def to_yaml(document: dict[str, Any]) -> str:
    """Render a draft document as a fixture file (fixtures/articles/<slug>.yaml).

    Editors finish imported drafts in the same YAML format as the shipped fixtures,
    with section bodies as readable literal blocks rather than escaped strings.
    """
    body = yaml.dump(
        document,
        Dumper=_FixtureDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
    return f"{SCHEMA_COMMENT}\n{body}"
