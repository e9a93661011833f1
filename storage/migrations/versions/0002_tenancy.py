"""tenancy: many communes in one installation

Every directive, submission and incident now says which commune it belongs to; province-level
units (Công an tỉnh, UBND tỉnh) and province directives have no commune; a province
directive's per-commune copies point at it (``directive.parent_id``). Directive numbers are
unique per commune instead of per installation. The sample commune is marked as such.

Existing data (one commune) is carried over: submissions and incidents take their unit's
commune, directives the single commune when there is exactly one.

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite reflects 0001's unnamed constraints without names; this names them for batch mode.
_NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _drop_directive_number_unique() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("directive_number_key", "directive", type_="unique")
        return
    with op.batch_alter_table("directive", naming_convention=_NAMING) as batch:
        batch.drop_constraint("uq_directive_number", type_="unique")


def upgrade() -> None:
    with op.batch_alter_table("commune") as batch:
        batch.add_column(
            sa.Column("sample", sa.Boolean(), nullable=False, server_default=sa.false())
        )

    with op.batch_alter_table("unit") as batch:
        batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=True)

    _drop_directive_number_unique()
    with op.batch_alter_table("directive") as batch:
        batch.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_directive_commune", "commune", ["commune_id"], ["id"])
        batch.create_foreign_key("fk_directive_parent", "directive", ["parent_id"], ["id"])
        batch.create_index("ix_directive_commune_id", ["commune_id"])
        batch.create_index("ix_directive_parent_id", ["parent_id"])
        batch.create_unique_constraint("uq_directive_commune_number", ["commune_id", "number"])
    op.execute(
        "UPDATE directive SET commune_id = (SELECT MIN(id) FROM commune) "
        "WHERE (SELECT COUNT(*) FROM commune) = 1"
    )

    for table in ("submission", "incident"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
        op.execute(
            f"UPDATE {table} SET commune_id = "
            f"(SELECT unit.commune_id FROM unit WHERE unit.id = {table}.unit_id)"
        )
        with op.batch_alter_table(table) as batch:
            batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
            batch.create_foreign_key(f"fk_{table}_commune", "commune", ["commune_id"], ["id"])
            batch.create_index(f"ix_{table}_commune_id", ["commune_id"])

    with op.batch_alter_table("auditlog") as batch:
        batch.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_auditlog_commune", "commune", ["commune_id"], ["id"])
        batch.create_index("ix_auditlog_commune_id", ["commune_id"])


def downgrade() -> None:
    with op.batch_alter_table("auditlog") as batch:
        batch.drop_index("ix_auditlog_commune_id")
        batch.drop_constraint("fk_auditlog_commune", type_="foreignkey")
        batch.drop_column("commune_id")
    for table in ("incident", "submission"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"ix_{table}_commune_id")
            batch.drop_constraint(f"fk_{table}_commune", type_="foreignkey")
            batch.drop_column("commune_id")
    with op.batch_alter_table("directive") as batch:
        batch.drop_constraint("uq_directive_commune_number", type_="unique")
        batch.drop_index("ix_directive_parent_id")
        batch.drop_index("ix_directive_commune_id")
        batch.drop_constraint("fk_directive_parent", type_="foreignkey")
        batch.drop_constraint("fk_directive_commune", type_="foreignkey")
        batch.drop_column("parent_id")
        batch.drop_column("commune_id")
        batch.create_unique_constraint("uq_directive_number", ["number"])
    with op.batch_alter_table("unit") as batch:
        batch.alter_column("commune_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("commune") as batch:
        batch.drop_column("sample")
