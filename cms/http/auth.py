"""Bearer tokens and role checks for the management API."""

from __future__ import annotations

from flask import g, request

from cms.audit.service import Actor
from cms.auth import service as tokens
from cms.auth.roles import Permission, Role, allows, roles_with
from cms.errors import Forbidden, Unauthenticated
from cms.http.sessions import get_session
from cms.observability import request_ids


def authenticate() -> Actor:
    """The actor behind the request's ``Authorization: Bearer`` token (401 otherwise)."""
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise Unauthenticated("Send an API token: Authorization: Bearer <token>.")
    token = tokens.authenticate(get_session(), secret.strip())
    if token is None:
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
