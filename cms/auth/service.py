"""Creating, listing, revoking and checking API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from cms.audit import service as audit
from cms.audit.service import Actor
from cms.auth import throttle
from cms.auth.models import ApiToken
from cms.auth.roles import Role
from cms.errors import Conflict, InvalidParameters, NotFound
from cms.validation import FieldError

TOKEN_PREFIX = "cms_"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,99}$")


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once, never stored


def create_token(
    session: Session,
    *,
    name: str,
    role: Role,
    actor: Actor,
    now: dt.datetime,
    display_name: str | None = None,
    credentials: str | None = None,
) -> IssuedToken:
    if not NAME_PATTERN.fullmatch(name):
        raise InvalidParameters(
            "Token names are lower-case letters, digits, '.', '_' and '-'.",
            errors=[FieldError("/name", "pattern", "Not a valid token name.")],
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role,
        display_name=display_name,
        credentials=credentials,
        token_hash=hash_secret(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        created_at=now,
        revoked_at=None,
    )
    try:
        with session.begin_nested():
            session.add(token)
    except IntegrityError as exc:
        raise Conflict(f"A token named '{name}' already exists.") from exc
    audit.record(
        session, actor=actor, action="token.create", now=now,
        details={"name": name, "role": role.value, "prefix": token.prefix},
    )  # fmt: skip
    return IssuedToken(token, secret)


def list_tokens(session: Session) -> list[ApiToken]:
    return list(session.scalars(sa.select(ApiToken).order_by(ApiToken.created_at, ApiToken.name)))


def revoke_token(session: Session, *, name: str, actor: Actor, now: dt.datetime) -> ApiToken:
    """Revoke at once (idempotent): the next request with it gets 401."""
    token = session.scalar(sa.select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound(f"No token named '{name}'.")
    if token.revoked_at is None:
        token.revoked_at = now
        session.flush()
        audit.record(session, actor=actor, action="token.revoke", now=now, details={"name": name})
    return token


def record_failed_authentication(
    session: Session,
    *,
    address: str | None,
    presented: str,
    now: dt.datetime,
    limit: throttle.Limit,
) -> None:
    """Count a failed attempt and leave it in the audit log, without the secret.

    Each failure is recorded until the limit is reached, then one
    ``auth.rate_limited`` event: refused attempts after it are not counted, so
    a flood cannot fill the audit log.
    """
    keys = throttle.keys_for(address, presented)
    count = throttle.record_failure(session, keys=keys, now=now, limit=limit)
    actor = Actor(name="(unauthenticated)", role="none", address=address)
    details = {"prefix": presented[: len(TOKEN_PREFIX) + 6], "failures_in_window": count}
    audit.record(session, actor=actor, action="auth.failure", now=now, details=details)
    if count == limit.failures:
        audit.record(session, actor=actor, action="auth.rate_limited", now=now, details=details)


def authenticate(session: Session, secret: str) -> ApiToken | None:
    """The active token for a presented secret, or None."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == hash_secret(secret)))
    if token is None or not token.active:
        return None
    return token
