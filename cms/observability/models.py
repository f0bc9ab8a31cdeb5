"""The readiness probe's table: one row it rewrites to prove the database takes writes."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from cms.db import Base


class ReadinessProbe(Base):
    __tablename__ = "readiness_probe"

    id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=False)
    checked_at: Mapped[dt.datetime]
