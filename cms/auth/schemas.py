"""Token representations for the admin API."""

from __future__ import annotations

from marshmallow import Schema, fields

from cms.articles.schemas import Text
from cms.auth.roles import Role
from cms.validation import FullMatch, Message


class TokenSchema(Schema):
    name = fields.String(required=True)
    role = fields.Enum(Role, by_value=True, required=True)
    display_name = fields.String(allow_none=True, required=True)
    credentials = fields.String(allow_none=True, required=True)
    prefix = fields.String(
        required=True, metadata={"description": "First characters of the token."}
    )
    created_at = fields.DateTime(required=True)
    revoked_at = fields.DateTime(allow_none=True, required=True)
    active = fields.Boolean(required=True)


class IssuedTokenSchema(TokenSchema):
    token = fields.String(
        required=True, metadata={"description": "The secret: shown this once, never stored."}
    )


class TokenCreateSchema(Schema):
    name = fields.String(
        required=True,
        validate=FullMatch(
            r"^[a-z0-9][a-z0-9._-]{0,99}$",
            error=Message("pattern", "Lower-case letters, digits, '.', '_' and '-'."),
        ),
        metadata={"description": "Who the token speaks for, e.g. 'jane.doe'."},
    )
    role = fields.Enum(Role, by_value=True, required=True)
    display_name = Text(max_length=200, metadata={"description": "Name shown on a sign-off."})
    credentials = Text(max_length=200, metadata={"description": "For reviewers, e.g. 'MD'."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema), required=True)
