"""accounts, tokens, audit log, editor columns on rights

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    op.create_table(
        "app_user",
        sa.Column("id", S(length=36), nullable=False),
        sa.Column("email", S(length=200), nullable=False),
        sa.Column("name", S(length=200), nullable=False),
        sa.Column("password_hash", S(length=300), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_app_user_email", "app_user", ["email"], unique=True)
    op.create_table(
        "membership",
        sa.Column("id", S(length=36), nullable=False),
        sa.Column("user_id", S(length=36), nullable=False),
        sa.Column("role", S(length=20), nullable=False),
        sa.Column("administration_id", S(length=60), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.ForeignKeyConstraint(["administration_id"], ["administration.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("user_id", "role", "administration_id"),
    )
    op.create_index("ix_membership_user_id", "membership", ["user_id"])
    op.create_table(
        "apitoken",
        sa.Column("id", S(length=36), nullable=False),
        sa.Column("user_id", S(length=36), nullable=False),
        sa.Column("name", S(length=120), nullable=False),
        sa.Column("token_hash", S(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["app_user.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_apitoken_user_id", "apitoken", ["user_id"])
    op.create_index("ix_apitoken_token_hash", "apitoken", ["token_hash"], unique=True)
    op.create_table(
        "audit_event",
        sa.Column("id", S(length=36), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", S(length=36), nullable=True),
        sa.Column("user_email", S(length=200), nullable=False),
        sa.Column("right_id", S(length=36), nullable=True),
        sa.Column("action", S(length=40), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_event_user_id", "audit_event", ["user_id"])
    op.create_index("ix_audit_event_right_id", "audit_event", ["right_id"])
    with op.batch_alter_table("rights") as batch:
        batch.add_column(sa.Column("lock_version", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("examples", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("review_note", S(length=2000), nullable=True))
        batch.add_column(sa.Column("changed_blocks", sa.JSON(), nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("rights") as batch:
        for name in ("changed_blocks", "review_note", "examples", "lock_version"):
            batch.drop_column(name)
    op.drop_table("audit_event")
    op.drop_table("apitoken")
    op.drop_table("membership")
    op.drop_table("app_user")
