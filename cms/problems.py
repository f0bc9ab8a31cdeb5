"""The problem types this API reports (RFC 9457), each documented at its own URI."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ProblemType:
    slug: str
    status: int
    title: str
    description: str

    @property
    def uri(self) -> str:
        return f"/problems/{self.slug}"


VALIDATION = ProblemType(
    "validation-error",
    422,
    "Validation failed",
    "The request body is not a valid document. Each entry of `errors` has a JSON pointer "
    "into the body, a stable code and a message.",
)
INVALID_PARAMETERS = ProblemType(
    "invalid-parameters",
    400,
    "Invalid parameters",
    "A query parameter is unknown or malformed. Each entry of `errors` points at `/query/<name>`.",
)
MALFORMED_BODY = ProblemType(
    "malformed-body",
    400,
    "Malformed request body",
    "The request body is not well-formed JSON.",
)
CONFLICT = ProblemType(
    "conflict",
    409,
    "Conflict",
    "The request contradicts the current state of the resource, for example a slug that "
    "another article already uses.",
)

PROBLEM_TYPES = {p.slug: p for p in (VALIDATION, INVALID_PARAMETERS, MALFORMED_BODY, CONFLICT)}
