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
    "The request body is not well-formed JSON, or goes past the API's limits: nesting "
    "at most 32 levels, numbers within ±(2^53 − 1), no NUL characters "
    "or lone surrogates. `errors` points at the place.",
)
INVALID_SYNC_TOKEN = ProblemType(
    "invalid-sync-token",
    400,
    "Invalid sync token",
    "The `sync_token` or `page_token` was not issued by this server, was altered, or "
    "cannot be continued from (the change log no longer reaches back to it). Start "
    "again with an initial sync, without a token, and replace what the app stored.",
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
    "so that nobody's edit is silently overwritten. `If-Match: *` is refused the same way: "
    'it matches any version. A weak tag (W/"v3") is accepted.',
)

CONTENT_CHECKS_FAILED = ProblemType(
    "content-checks-failed",
    422,
    "Content checks failed",
    "Publishing is refused while the article has error findings: `findings` lists them "
    "(errors first) with a JSON pointer and a stable code; see docs/checks.md.",
)

DATABASE_UNAVAILABLE = ProblemType(
    "database-unavailable",
    503,
    "The database is unavailable",
    "The database cannot be reached or did not answer in time. Nothing was changed; "
    "retry after the number of seconds in Retry-After.",
)
DATABASE_BUSY = ProblemType(
    "database-busy",
    503,
    "The database is busy",
    "Another change held the database for too long. Nothing was changed; retry after "
    "Retry-After seconds.",
)
DATABASE_READ_ONLY = ProblemType(
    "database-read-only",
    503,
    "The database cannot be written",
    "The database is read-only at the moment (for example its file or folder is not "
    "writable). Reads keep working; nothing was changed.",
)
STORAGE_FULL = ProblemType(
    "storage-full",
    507,
    "No space left for the change",
    "The database has no space left to store the change. Nothing was changed; an operator "
    "must free space.",
)
CONCURRENT_CHANGE = ProblemType(
    "concurrent-change",
    409,
    "Changed at the same time by someone else",
    "Another request changed the same data while this one was being handled. Nothing of "
    "this request was saved: reload and retry.",
)

FOUR_EYES = ProblemType(
    "four-eyes-required",
    403,
    "Another reviewer must approve",
    "A medical sign-off must come from someone who did not write any of the changes since "
    "the previous sign-off (four eyes). Ask another reviewer; single-person installations "
    "can relax this with CMS_ALLOW_SELF_APPROVAL, and the audit log then records it.",
)

RATE_LIMITED = ProblemType(
    "rate-limited",
    429,
    "Too many failed authentications",
    "Too many requests with invalid API tokens came from this client, or with this token "
    "prefix. Every attempt is refused until Retry-After seconds have passed.",
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

GONE = ProblemType(
    "gone",
    410,
    "No longer published",
    "An article was published at this address and has been taken off the public API. "
    "Drop any copy you keep; caches are told so with a short-lived 410.",
)
WITHDRAWN = ProblemType(
    "withdrawn",
    410,
    "Withdrawn",
    "The article at this address has been withdrawn by the publisher. Drop any copy you "
    "keep, and do not show it to readers.",
)

PROBLEM_TYPES = {
    p.slug: p
    for p in (
        VALIDATION,
        INVALID_PARAMETERS,
        INVALID_SYNC_TOKEN,
        MALFORMED_BODY,
        CONFLICT,
        INVALID_TRANSITION,
        STALE_VERSION,
        PRECONDITION_REQUIRED,
        CONTENT_CHECKS_FAILED,
        DATABASE_UNAVAILABLE,
        DATABASE_BUSY,
        DATABASE_READ_ONLY,
        STORAGE_FULL,
        CONCURRENT_CHANGE,
        FOUR_EYES,
        RATE_LIMITED,
        GONE,
        WITHDRAWN,
        FINDING_NOT_WAIVABLE,
    )
}
