"""directive fields the commune's report needs: own instruction, Nơi nhận, completeness

Revision ID: 0012_report_fields
Revises: 0002
Create Date: 2026-11-24 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0012_report_fields"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("own_instruction_number", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("own_instruction_date", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("own_instruction_summary", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("report_recipients", sa.JSON(), nullable=True))
        # Existing directives keep today's behaviour: completeness stays out of the body.
        batch_op.add_column(
            sa.Column(
                "report_completeness", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("directive", schema=None) as batch_op:
        batch_op.drop_column("report_completeness")
        batch_op.drop_column("report_recipients")
        batch_op.drop_column("own_instruction_summary")
        batch_op.drop_column("own_instruction_date")
        batch_op.drop_column("own_instruction_number")
