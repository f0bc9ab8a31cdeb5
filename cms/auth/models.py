"""API tokens. Only a hash of each token is stored."""

from __future__ import annotations

import datetime as dt
import uuid

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.auth.roles import Role
from cms.db import Base


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    # Who the token speaks for: shown in revisions and the audit log.
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    role: Mapped[Role] = mapped_column(
        sa.Enum(
            Role,
            name="token_role",
            native_enum=False,
            create_constraint=True,
            length=20,
            values_callable=lambda members: [m.value for m in members],
        )
    )
    # For reviewers: the name and credentials recorded on a medical sign-off.
    display_name: Mapped[str | None] = mapped_column(sa.String(200))
    credentials: Mapped[str | None] = mapped_column(sa.String(200))
    # SHA-256 of the secret; tokens are 256-bit random, so a fast hash is enough.
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # First characters of the secret, to recognise a token in listings.
    prefix: Mapped[str] = mapped_column(sa.String(16))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class AuthFailure(Base):
    """Failed authentications per client address or token prefix, per time window.

    Shared by every process and node through the database, so a limit holds
    however the attempts are spread; old windows are deleted as new ones start.
    """

    __tablename__ = "auth_failures"

    key: Mapped[str] = mapped_column(sa.String(120), primary_key=True)
    window_start: Mapped[dt.datetime] = mapped_column(primary_key=True)
    count: Mapped[int]
