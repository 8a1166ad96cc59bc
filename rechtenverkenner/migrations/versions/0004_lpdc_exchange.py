"""LPDC exchange columns on rights and model entries

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

S = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    for table in ("rights", "entry_template"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column("lpdc_extra", sa.JSON(), nullable=False, server_default="{}")
            )
            batch.add_column(
                sa.Column("lpdc_metadata", sa.JSON(), nullable=False, server_default="{}")
            )
            batch.add_column(sa.Column("lpdc_version_iri", S(length=300), nullable=True))
            batch.add_column(
                sa.Column("lpdc_generated_at", sa.DateTime(timezone=True), nullable=True)
            )
    with op.batch_alter_table("rights") as batch:
        batch.add_column(sa.Column("template_iri", S(length=300), nullable=True))
        batch.create_index("ix_rights_template_iri", ["template_iri"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rights") as batch:
        batch.drop_index("ix_rights_template_iri")
        batch.drop_column("template_iri")
    for table in ("entry_template", "rights"):
        with op.batch_alter_table(table) as batch:
            for name in ("lpdc_generated_at", "lpdc_version_iri", "lpdc_metadata", "lpdc_extra"):
                batch.drop_column(name)
