"""Bearer tokens and role checks for the management API."""

from __future__ import annotations

import logging

from flask import current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from cms.audit.service import Actor
from cms.auth import service as tokens
from cms.auth import throttle
from cms.auth.roles import Permission, Role, allows, roles_with
from cms.db import utcnow
from cms.errors import Forbidden, Unauthenticated
from cms.http.sessions import get_database, get_session
from cms.observability import request_ids

log = logging.getLogger(__name__)


def _limit() -> throttle.Limit:
    return throttle.Limit(
        failures=current_app.config["AUTH_FAILURE_LIMIT"],
        window=current_app.config["AUTH_FAILURE_WINDOW"],
    )


def _record_failure(presented: str) -> None:
    """Count the failure in a write transaction of its own, after ending the request's
    (it fails anyway, and holds nothing: its reads must not outlive the count)."""
    get_session().rollback()
    try:
        with get_database().session(write=True) as session:
            tokens.record_failed_authentication(
                session,
                address=request.remote_addr,
                presented=presented,
                now=utcnow(),
                limit=_limit(),
            )
            session.commit()
    except SQLAlchemyError:
        log.warning("could not record a failed authentication", exc_info=True)


def authenticate() -> Actor:
    """The actor behind the request's ``Authorization: Bearer`` token.

    401 without a valid token; 429 once this client or this token prefix has
    failed too often (``cms.auth.throttle``), even with a valid token.
    """
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    presented = secret.strip()
    if scheme.lower() != "bearer" or not presented:
        raise Unauthenticated("Send an API token: Authorization: Bearer <token>.")
    session = get_session()
    throttle.check(
        session,
        keys=throttle.keys_for(request.remote_addr, presented),
        now=utcnow(),
        limit=_limit(),
    )
    token = tokens.authenticate(session, presented)
    if token is None:
        _record_failure(presented)
        raise Unauthenticated("The API token is not valid or has been revoked.")
    return Actor(
        name=token.name,
        role=token.role.value,
        address=request.remote_addr,
        display_name=token.display_name,
        credentials=token.credentials,
        request_id=request_ids.current(),
    )


def authorize(actor: Actor, permission: Permission) -> None:
    """403 unless the actor's role carries ``permission``."""
    if not allows(Role(actor.role), permission):
        allowed = ", ".join(role.value for role in roles_with(permission))
        raise Forbidden(
            f"A {actor.role} token cannot do this (needs permission '{permission}', "
            f"held by: {allowed})."
        )


def current_actor() -> Actor:
    return g.cms_actor


def require(permission: Permission) -> Actor:
    actor = authenticate()
    authorize(actor, permission)
    g.cms_actor = actor
    return actor
