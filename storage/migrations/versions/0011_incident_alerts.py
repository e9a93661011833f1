"""incident alerts: the alert ladder of each incident and every alert message it sent

Revision ID: 0011_incident_alerts
Revises: 0012_report_fields
Create Date: 2026-12-02 17:05:13.697303
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = "0011_incident_alerts"
down_revision: str | None = "0012_report_fields"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidentalert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("chat_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("outbox_message_id", sa.Integer(), nullable=False),
        sa.Column("queued_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", storage.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
        ),
        sa.ForeignKeyConstraint(
            ["outbox_message_id"],
            ["outboxmessage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "level", "member_id", "channel"),
        sa.UniqueConstraint("outbox_message_id"),
    )
    with op.batch_alter_table("incidentalert", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incidentalert_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "incidentalertstep",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("incident_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("recipients", sa.Integer(), nullable=False),
        sa.Column("at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incident.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("incident_id", "level"),
    )
    with op.batch_alter_table("incidentalertstep", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incidentalertstep_incident_id"), ["incident_id"], unique=False
        )

    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_level", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("alert_next_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("alert_delivered_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("acknowledged_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("acknowledged_by_member_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_incident_alert_next_at"), ["alert_next_at"], unique=False
        )
        batch_op.create_foreign_key(
            "fk_incident_acknowledged_by_member_id_member",
            "member",
            ["acknowledged_by_member_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("incident", schema=None) as batch_op:
        batch_op.drop_constraint("fk_incident_acknowledged_by_member_id_member", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_incident_alert_next_at"))
        batch_op.drop_column("acknowledged_by_member_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("alert_delivered_at")
        batch_op.drop_column("alert_next_at")
        batch_op.drop_column("alert_level")

    with op.batch_alter_table("incidentalertstep", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidentalertstep_incident_id"))

    op.drop_table("incidentalertstep")
    with op.batch_alter_table("incidentalert", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incidentalert_incident_id"))

    op.drop_table("incidentalert")
