"""Admin routes for API tokens (the CLI has the same: `cms token ...`)."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from cms.auth import service
from cms.auth.roles import Permission
from cms.auth.schemas import IssuedTokenSchema, TokenCreateSchema, TokenListSchema, TokenSchema
from cms.db import utcnow
from cms.http import examples
from cms.http.api import Blueprint
from cms.http.auth import current_actor
from cms.http.sessions import get_session, transactional

blp = Blueprint(
    "manage-tokens", __name__, url_prefix="/api/v1/manage/tokens", description="API tokens (admin)."
)


@blp.route("")
class Tokens(MethodView):
    @blp.requires(Permission.MANAGE_TOKENS)
    @blp.response(200, TokenListSchema)
    def get(self) -> Any:
        """List tokens (never their secrets)"""
        return {"items": service.list_tokens(get_session())}

    @blp.requires(Permission.MANAGE_TOKENS)
    @blp.arguments(TokenCreateSchema(), example=examples.TOKEN)
    @blp.response(201, IssuedTokenSchema)
    @blp.alt_response(409, response="CONFLICT")
    @transactional
    def post(self, body: dict[str, Any]) -> Any:
        """Create a token; the response is the only time its secret is shown"""
        issued = service.create_token(get_session(), actor=current_actor(), now=utcnow(), **body)
        return {**vars(issued.token), "active": True, "token": issued.secret}


@blp.route("/<string(maxlength=100):name>")
class TokenItem(MethodView):
    @blp.requires(Permission.MANAGE_TOKENS)
    @blp.response(200, TokenSchema)
    @blp.alt_response(404, response="NOT_FOUND")
    @transactional
    def delete(self, name: str) -> Any:
        """Revoke a token at once (it is kept, marked revoked, for the audit trail)"""
        return service.revoke_token(get_session(), name=name, actor=current_actor(), now=utcnow())
