"""operations: the readiness probe's table, request ids in the audit log

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 21:45:00.000000

Every migration must keep working with the previous release's code running
against it (deploys migrate first, then roll out the code): both changes only
add (a nullable column, a new table).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import cms.db  # custom column types used below

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite batch mode rebuilds audit_events to drop a column, which drops its
# append-only triggers (0002) with the old table: the downgrade restores them.
_SQLITE_TRIGGERS = [
    "CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
    "CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events "
    "BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END",
]


def upgrade() -> None:
    op.create_table(
        "readiness_probe",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("checked_at", cms.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_readiness_probe")),
    )
    # A plain ADD COLUMN on both backends: SQLite keeps the table and its triggers.
    op.add_column("audit_events", sa.Column("request_id", sa.String(length=128), nullable=True))


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("request_id")
    if sqlite:
        for statement in _SQLITE_TRIGGERS:
            op.execute(statement)
    op.drop_table("readiness_probe")
