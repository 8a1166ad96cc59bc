"""advice records

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 20:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "advice_record",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("administration_id", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("reference_date", sa.Date(), nullable=False),
        sa.Column("rules_version", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("catalog_version", sa.Integer(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("category", sa.Integer(), nullable=True),
        sa.Column("monthly_amount", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("input_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("dossier_reference", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True),
        sa.Column("input", sa.JSON(), nullable=True),
        sa.Column("purge_after", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_advice_record_administration_id", "advice_record", ["administration_id"])
    op.create_index("ix_advice_record_purge_after", "advice_record", ["purge_after"])


def downgrade() -> None:
    op.drop_index("ix_advice_record_purge_after", table_name="advice_record")
    op.drop_index("ix_advice_record_administration_id", table_name="advice_record")
    op.drop_table("advice_record")
