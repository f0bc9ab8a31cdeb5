"""Sparse fieldsets: ``?fields=`` and ``?section_types=`` over stored public JSON.

The grammar is Wagtail's: a comma list of top-level fields (``title,summary``),
``name(sub,fields)`` to choose the fields of a nested object or list of objects
(``sections(type,heading,html)``), ``-name`` to remove one from the rest, ``*``
for all of them (``*,-references``). Only removals (``-references``) start from
every field. The fields a client may name are the public schema's own.

Everything here is pure: a parsed request (``View``) applied to a parsed
document. The public routes parse the stored bytes, project, and serialize
again; the delivery cache keeps the result like any other answer.

Safety rule: a response that carries the ``body`` or ``html`` of any section
carries the article's ``risks`` section in full as well, whatever was asked, and
lists what it added in ``fields_added``. A reader is never shown what a
treatment does without being shown what it risks.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema, ValidationError, fields

from cms.validation import Message

Tree = Mapping[str, "Tree | None"]
"""The fields a client may name: each with its own fields (nested), or None (a leaf)."""

Selection = Mapping[str, "Selection | None"]
"""Chosen fields: each with its chosen sub-fields, or None for all of it."""

RISKS = "risks"
RISKS_ADDED = "sections/risks"
_CARRIES_TEXT = ("body", "html")
_TOKEN = re.compile(r"\*|-|\(|\)|,|[A-Za-z_][A-Za-z0-9_]*")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_LENGTH = 500


def schema_tree(schema: Schema, *, exclude: Iterable[str] = ()) -> dict[str, Tree | None]:
    """The fields of a (public) schema, nested ones with theirs."""
    left_out = set(exclude)
    tree: dict[str, Tree | None] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key in left_out:
            continue
        inner = field.inner if isinstance(field, fields.List) else field
        tree[key] = schema_tree(inner.schema) if isinstance(inner, fields.Nested) else None
    return tree


# --- Parsing ------------------------------------------------------------------------


class _Malformed(Exception):
    pass


class _NotNested(Exception):
    pass


class _Unknown(Exception):
    def __init__(self, path: str, known: Iterable[str]):
        super().__init__(path)
        self.path = path
        self.known = sorted(known)


@dataclass(frozen=True, slots=True)
class _Item:
    name: str  # "*" for all
    remove: bool = False
    children: tuple[_Item, ...] | None = None


def _tokens(text: str) -> list[str]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise _Malformed
        tokens.append(match.group())
        position = match.end()
    return tokens


def _parse_list(tokens: list[str], at: int) -> tuple[tuple[_Item, ...], int]:
    items = []
    while True:
        item, at = _parse_item(tokens, at)
        items.append(item)
        if at < len(tokens) and tokens[at] == ",":
            at += 1
            continue
        return tuple(items), at


def _parse_item(tokens: list[str], at: int) -> tuple[_Item, int]:
    if at >= len(tokens):
        raise _Malformed
    token = tokens[at]
    if token == "*":
        return _Item("*"), at + 1
    if token == "-":
        if at + 1 >= len(tokens) or not _NAME.fullmatch(tokens[at + 1]):
            raise _Malformed
        return _Item(tokens[at + 1], remove=True), at + 2
    if not _NAME.fullmatch(token):
        raise _Malformed
    at += 1
    if at < len(tokens) and tokens[at] == "(":
        children, at = _parse_list(tokens, at + 1)
        if at >= len(tokens) or tokens[at] != ")":
            raise _Malformed
        return _Item(token, children=children), at + 1
    return _Item(token), at


def _resolve(items: tuple[_Item, ...], tree: Tree, path: str) -> Selection | None:
    """The selection ``items`` make among ``tree``'s fields; None when that is all of them."""
    additive = any(not item.remove for item in items)
    chosen: dict[str, Selection | None] = {} if additive else dict.fromkeys(tree)
    for item in items:
        if item.name == "*":
            chosen.update((name, None) for name in tree if name not in chosen)
            continue
        if item.name not in tree:
            raise _Unknown(path + item.name, tree)
        if item.remove:
            continue
        if item.children is not None:
            subtree = tree[item.name]
            if subtree is None:
                raise _NotNested(path + item.name)
            chosen[item.name] = _resolve(item.children, subtree, f"{path}{item.name}/")
        else:
            chosen[item.name] = None
    for item in items:
        if item.remove:
            chosen.pop(item.name, None)
    if set(chosen) == set(tree) and all(value is None for value in chosen.values()):
        return None
    return chosen


def parse(text: str, tree: Tree) -> Selection | None:
    """The fields ``text`` asks for among ``tree``; None for everything.

    Raises ``ValidationError`` (codes ``malformed``, ``unknown_field``, ``not_nested``).
    """
    if len(text) > MAX_LENGTH:
        raise ValidationError(Message("length", f"Longer than {MAX_LENGTH} characters."))
    try:
        tokens = _tokens(text)
        items, at = _parse_list(tokens, 0)
        if at != len(tokens):
            raise _Malformed
        return _resolve(items, tree, "")
    except _Malformed:
        raise ValidationError(
            Message(
                "malformed",
                "Not a field list: use names separated by commas, name(sub,fields) for "
                "nested fields, -name to leave one out and * for all.",
            )
        ) from None
    except _NotNested as not_nested:
        raise ValidationError(
            Message("not_nested", f"'{not_nested}' has no fields to choose from.")
        ) from None
    except _Unknown as unknown:
        raise ValidationError(
            Message(
                "unknown_field",
                f"Unknown field '{unknown.path}'; known here: {', '.join(unknown.known)}.",
            )
        ) from None


def canonical(selection: Selection | None) -> str:
    """One spelling per selection (sorted names), for entity tags and cursors."""
    if selection is None:
        return "*"
    return ",".join(
        name if sub is None else f"{name}({canonical(sub)})"
        for name, sub in sorted(selection.items())
    )


# --- Projection ---------------------------------------------------------------------


def project(value: Any, selection: Selection | None) -> Any:
    """``value`` with only the selected fields, in their stored order."""
    if selection is None:
        return value
    if isinstance(value, list):
        return [project(item, selection) for item in value]
    if isinstance(value, dict):
        return {k: project(v, selection[k]) for k, v in value.items() if k in selection}
    return value


@dataclass(frozen=True, slots=True)
class View:
    """What a request asks to see of an article: fields, and which sections."""

    selection: Selection | None = None
    section_types: frozenset[str] | None = None

    @property
    def full(self) -> bool:
        return self.selection is None and self.section_types is None

    @property
    def key(self) -> str:
        """Canonical spelling of the view: equal views, equal keys."""
        types = "*" if self.section_types is None else ",".join(sorted(self.section_types))
        return f"fields={canonical(self.selection)};section_types={types}"

    def tag(self, etag: str) -> str:
        """The entity tag of this view of a representation whose full tag is ``etag``."""
        if self.full:
            return etag
        digest = hashlib.blake2b(self.key.encode(), digest_size=6).hexdigest()
        return f"{etag}-f{digest}"


def article_view(document: dict[str, Any], view: View) -> dict[str, Any]:
    """An article detail as ``view`` asks, with the risks section wherever text is shown."""
    sections: list[dict[str, Any]] = document.get("sections") or []
    chosen = [
        view.section_types is None or section.get("type") in view.section_types
        for section in sections
    ]
    narrowed = {
        **document,
        "sections": [s for s, keep in zip(sections, chosen, strict=True) if keep],
    }
    result = project(narrowed, view.selection)
    shown = result.get("sections")
    if not shown or not any(key in s for s in shown for key in _CARRIES_TEXT):
        return result
    projected = iter(shown)
    completed, added = [], False
    for section, keep in zip(sections, chosen, strict=True):
        part = next(projected) if keep else None
        if section.get("type") == RISKS:
            added = added or part != section
            completed.append(section)
        elif part is not None:
            completed.append(part)
    result["sections"] = completed
    if added:
        result["fields_added"] = [RISKS_ADDED]
    return result


def summary_view(document: dict[str, Any], view: View) -> dict[str, Any]:
    """A list entry or search hit as ``view`` asks (they carry no sections)."""
    return project(document, view.selection)
