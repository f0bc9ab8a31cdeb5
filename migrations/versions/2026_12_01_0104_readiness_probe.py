"""operations: the readiness probe's table

Revision ID: 0104
Revises: 0002
Create Date: 2026-12-01 21:45:00.000000

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): this one only adds.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cms.db  # custom column types used below

revision: str = "0104"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "readiness_probe",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("checked_at", cms.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_probe")),
    )


def downgrade() -> None:
    op.drop_table("readiness_probe")
