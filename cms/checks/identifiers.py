"""Reference identifiers as people paste them, normalised (health-content rules 7–10).

The article schema accepts identifiers only in their canonical form. When one
arrives in another common form (a DOI as a ``https://doi.org/`` link, ``PMID:
123``, ``pmc123``, ``NCT 00902941``), the schema error says exactly what to write
instead: the fix is mechanical, the decision stays with the editor.
"""

from __future__ import annotations

import re
from typing import Any

from cms.articles.schemas import DOI_PATTERN, NCT_PATTERN, PMCID_PATTERN, PMID_PATTERN

_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE)


def normal_doi(value: str) -> str:
    """Strip ``https://doi.org/``, ``http://dx.doi.org/``, ``doi:`` and trailing punctuation."""
    doi = _DOI_PREFIX.sub("", value.strip())
    return doi.rstrip(".,;") if doi.count("(") <= doi.count(")") else doi.rstrip(".,;)")


def normal_pmid(value: str) -> str:
    return re.sub(r"^\s*pmid\s*:?\s*", "", value.strip(), flags=re.IGNORECASE)


def normal_pmcid(value: str) -> str:
    bare = re.sub(r"^\s*pmcid\s*:?\s*", "", value.strip(), flags=re.IGNORECASE).upper()
    return bare if bare.startswith("PMC") else f"PMC{bare}"


def normal_nct(value: str) -> str:
    return re.sub(r"[\s#]", "", value).upper()


NORMALISERS = {
    "doi": (normal_doi, DOI_PATTERN),
    "pmid": (normal_pmid, PMID_PATTERN),
    "pmcid": (normal_pmcid, PMCID_PATTERN),
    "nct": (normal_nct, NCT_PATTERN),
}


def suggestion(field: str, value: Any) -> str | None:
    """The canonical form of a malformed identifier, when it has one."""
    if field not in NORMALISERS or not isinstance(value, str):
        return None
    normalise, pattern = NORMALISERS[field]
    fixed = normalise(value)
    return fixed if re.fullmatch(pattern, fixed) and fixed != value else None


def _at(document: Any, pointer: str) -> Any:
    node = document
    for token in pointer.split("/")[1:]:
        if isinstance(node, dict):
            node = node.get(token)
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def with_hint(message: str, pointer: str, document: Any) -> str:
    """A schema message about an identifier, with the fix when the value only needs normalising."""
    field = pointer.rsplit("/", 1)[-1]
    fixed = suggestion(field, _at(document, pointer))
    return f"{message} Write it as {fixed}." if fixed else message
