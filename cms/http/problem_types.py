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

INVALID_TRANSITION = ProblemType(
    "invalid-transition",
    409,
    "Action not allowed in this state",
    "The workflow action is not possible from the article's current state; "
    "`allowed_actions` lists the ones that are.",
)
STALE_VERSION = ProblemType(
    "stale-version",
    412,
    "The article changed since you read it",
    "If-Match does not match the current version: someone else saved a change first. "
    "Fetch the article again, reapply your change and retry with the new ETag.",
)
PRECONDITION_REQUIRED = ProblemType(
    "if-match-required",
    428,
    "If-Match required",
    "Changes must say which version they were based on: send the ETag you read in If-Match, "
    "so that nobody's edit is silently overwritten.",
)

CONTENT_CHECKS_FAILED = ProblemType(
    "content-checks-failed",
    422,
    "Content checks failed",
    "Publishing is refused while the article has error findings: `findings` lists them "
    "(errors first) with a JSON pointer and a stable code; see docs/checks.md.",
)

FINDING_NOT_WAIVABLE = ProblemType(
    "finding-not-waivable",
    422,
    "This finding cannot be waived",
    "Some content-check errors are facts or safety floors (schema errors, the risks "
    "section, unsafe markup and links, unsafe advice, unresolved citations, review dates, "
    "a missing reviewer or disclosures): fix the article instead. docs/checks.md marks "
    "which codes are waivable.",
)

PROBLEM_TYPES = {
    p.slug: p
    for p in (
        VALIDATION,
        INVALID_PARAMETERS,
        MALFORMED_BODY,
        CONFLICT,
        INVALID_TRANSITION,
        STALE_VERSION,
        PRECONDITION_REQUIRED,
        CONTENT_CHECKS_FAILED,
        FINDING_NOT_WAIVABLE,
    )
}
