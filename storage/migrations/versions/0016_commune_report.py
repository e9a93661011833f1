"""commune_report: a commune's compiled report, as sent to the province

Revision ID: 0016_commune_report
Revises: 0014
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0016_commune_report"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "commune_report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("directive_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("period_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("first_sent_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_by_member_id", sa.Integer(), nullable=True),
        sa.Column("sent_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answer", sa.JSON(), nullable=True),
        sa.Column("docx_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("xlsx_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(["commune_id"], ["commune.id"]),
        sa.ForeignKeyConstraint(["directive_id"], ["directive.id"]),
        sa.ForeignKeyConstraint(["parent_id"], ["directive.id"]),
        sa.ForeignKeyConstraint(["sent_by_member_id"], ["member.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("directive_id", "period_key"),
    )
    op.create_index("ix_commune_report_commune_id", "commune_report", ["commune_id"])
    op.create_index("ix_commune_report_parent_id", "commune_report", ["parent_id"])


def downgrade() -> None:
    op.drop_index("ix_commune_report_parent_id", "commune_report")
    op.drop_index("ix_commune_report_commune_id", "commune_report")
    op.drop_table("commune_report")
