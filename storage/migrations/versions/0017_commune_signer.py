"""commune: who signs the commune's official report (name and title)

One installation serves a province: each commune's report is signed by its own chairman (or
a vice-chairman «KT. CHỦ TỊCH»), so the signer belongs to the commune, not to the settings.
Both are optional: REPORT_SIGNER_NAME / REPORT_SIGNER_TITLE are the defaults.

Revision ID: 0017_commune_signer
Revises: 0016_commune_report
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_commune_signer"
down_revision: str | None = "0016_commune_report"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild): SQLite keeps the commune table and its triggers.
    op.add_column("commune", sa.Column("signer_name", sqlmodel.AutoString(), nullable=True))
    op.add_column("commune", sa.Column("signer_title", sqlmodel.AutoString(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("commune") as batch:
        batch.drop_column("signer_title")
        batch.drop_column("signer_name")
