"""The database schema (SQLModel tables).

Conventions: every timestamp is an aware UTC datetime (:class:`UTCDateTime`); vocabularies
are plain strings from :mod:`storage.enums`; free-form structured data (answers, dialog
state, outbox payloads) is JSON, while figures the aggregator sums are typed rows.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime, utcnow


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default_factory=utcnow if not nullable else None,
        sa_type=UTCDateTime,
        nullable=nullable,
        index=index,
    )


def _json(default: Any) -> Any:
    return Field(default_factory=lambda: type(default)(default), sa_column=Column(JSON))


class Commune(SQLModel, table=True):
    """A commune (xã/phường) this installation serves; one province may have about a hundred.

    Every unit, directive, submission and incident belongs to one commune (province-level
    units and directives have none); see ``storage.scope``.
    """

    id: int | None = Field(default=None, primary_key=True)
    code: int = Field(unique=True, description="Official ward/commune code, e.g. 21154")
    name: str = Field(description="Official name, e.g. 'Xã Tây Trà'")
    short_name: str = Field(description="Name without the type, e.g. 'Tây Trà'")
    province_code: int
    province_name: str
    sample: bool = Field(default=False, description="Invented sample data (tinbao seed-sample)")
    # Who signs the commune's report (tinbao commune set); None: REPORT_SIGNER_* settings.
    signer_name: str | None = None
    signer_title: str | None = Field(default=None, description="e.g. 'CHỦ TỊCH'")
    created_at: datetime = _ts()


class Unit(SQLModel, table=True):
    """A reporting unit: a village, the commune police, the military command, an agency…

    Province-level units (Công an tỉnh, UBND tỉnh: kind ``province``) have no commune.
    """

    __table_args__ = (UniqueConstraint("commune_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    name: str
    kind: str = Field(index=True, description="storage.enums.UnitKind")
    head_member_id: int | None = Field(default=None, description="Member who heads the unit")
    active: bool = True


class Member(SQLModel, table=True):
    """A person on the roster. Roles come only from here, never from a message."""

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    full_name: str
    phone: str = Field(unique=True, description="Normalised 0xxxxxxxxx")
    roles: list[str] = _json([])
    active: bool = True
    telegram_user_id: str | None = Field(default=None, unique=True)
    telegram_chat_id: str | None = None
    zalo_user_id: str | None = Field(default=None, unique=True)
    zalo_chat_id: str | None = None
    unreachable: bool = Field(default=False, description="A channel refused delivery (blocked)")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class InviteCode(SQLModel, table=True):
    """Single-use code that links a chat identity to a roster member."""

    code: str = Field(primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    created_at: datetime = _ts()
    used_at: datetime | None = _ts(nullable=True)
    used_channel: str | None = None


class RateLimitHit(SQLModel, table=True):
    """One counted attempt (e.g. a wrong invite code) for a durable, shared rate limit."""

    __table_args__ = (Index("ix_ratelimit_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str
    at: datetime = _ts()


class Directive(SQLModel, table=True):
    """An order to report: a one-off campaign with deadlines, or a recurring duty.

    A commune's directive has ``commune_id``; a province directive has none and cascades to
    one child directive per commune (``parent_id``). Numbers are unique per commune.
    """

    __table_args__ = (UniqueConstraint("commune_id", "number", name="uq_directive_commune_number"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    parent_id: int | None = Field(default=None, foreign_key="directive.id", index=True)
    number: str = Field(description="Số/ký hiệu, e.g. '1949/UBND-NC'")
    issued_on: date
    issuer: str = Field(description="e.g. 'UBND tỉnh Quảng Ngãi'")
    summary: str = Field(description="Trích yếu")
    target_unit_kinds: list[str] = _json([])
    form_ids: list[str] = _json([])
    recurrence: str = Field(default="none", description="storage.enums.Recurrence")
    starts_on: date
    unit_deadline: date | None = None
    report_deadline: date | None = None
    reminder_offsets_days: list[int] = _json([3, 1, 0])
    active: bool = True
    created_at: datetime = _ts()
    # What the commune's report on this directive cites and where it goes (issue 12).
    own_instruction_number: str | None = Field(
        default=None, description="The commune's own instruction passing it on, e.g. 180/UBND-VP"
    )
    own_instruction_date: date | None = None
    own_instruction_summary: str | None = Field(default=None, description="Its trích yếu")
    report_recipients: list[str] = _json([])  # Nơi nhận lines; empty: the default list
    report_completeness: bool = Field(
        default=False, description="The report body says how many units reported (annex always)"
    )


class Submission(SQLModel, table=True):
    """One filled form: a draft, a submitted report, or an amended one (history kept)."""

    __table_args__ = (Index("ix_submission_scope", "directive_id", "period_key", "unit_id"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    form_id: str = Field(index=True)
    directive_id: int | None = Field(default=None, foreign_key="directive.id")
    period_key: str = Field(description="'once', '2025-09-10', '2025-W37' or '2025-09'")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    channel: str
    status: str = Field(default="draft", description="storage.enums.SubmissionStatus")
    answers: dict[str, Any] = _json({})
    version: int = 1
    created_at: datetime = _ts()
    submitted_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()


class SubmissionFigure(SQLModel, table=True):
    """A typed key figure of a submission (what the aggregator sums)."""

    submission_id: int = Field(foreign_key="submission.id", primary_key=True)
    key: str = Field(primary_key=True)
    value: int = Field(sa_type=BigInteger)


class SubmissionRevision(SQLModel, table=True):
    """A submitted or amended version of a submission, kept for history."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    version: int
    answers: dict[str, Any] = _json({})
    member_id: int = Field(foreign_key="member.id")
    created_at: datetime = _ts()


class Attachment(SQLModel, table=True):
    """A photo, voice note or file a member sent while filling a form."""

    id: int | None = Field(default=None, primary_key=True)
    submission_id: int | None = Field(default=None, foreign_key="submission.id", index=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    member_id: int = Field(foreign_key="member.id")
    question_id: str
    channel: str
    kind: str = Field(description="storage.enums.AttachmentKind")
    file_ref: str = Field(description="Telegram file_id, Zalo photo URL or web upload name")
    local_path: str | None = None
    created_at: datetime = _ts()


class Incident(SQLModel, table=True):
    """A suspicious-person report or patrol finding that the police must act on."""

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    submission_id: int = Field(foreign_key="submission.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    reporter_member_id: int = Field(foreign_key="member.id")
    status: str = Field(default="new", description="storage.enums.IncidentStatus")
    summary: str = ""
    location_text: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    people_count: int | None = None
    occurred_at: datetime | None = _ts(nullable=True)
    created_at: datetime = _ts(index=True)
    updated_at: datetime = _ts()
    # The alert ladder (handlers.alert_ladder): the highest level alerted so far, when the
    # next level is due (NULL once acknowledged or when no level is left), who took it.
    alert_level: int | None = None
    alert_next_at: datetime | None = _ts(nullable=True, index=True)
    alert_delivered_at: datetime | None = _ts(nullable=True)  # the first alert that arrived
    acknowledged_at: datetime | None = _ts(nullable=True)
    acknowledged_by_member_id: int | None = Field(default=None, foreign_key="member.id")


class IncidentAlertStep(SQLModel, table=True):
    """One rung of an incident's alert ladder: opened once, ever (unique per level)."""

    __table_args__ = (UniqueConstraint("incident_id", "level"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    level: int = Field(description="handlers.alert_levels.Level")
    reason: str = Field(description="submit, timeout (not acknowledged) or unreachable")
    recipients: int = Field(default=0, description="Members it was sent to (0: nobody reachable)")
    at: datetime = _ts()


class IncidentAlert(SQLModel, table=True):
    """One alert message to one member on one channel, and what became of it."""

    __table_args__ = (UniqueConstraint("incident_id", "level", "member_id", "channel"),)

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    level: int
    member_id: int = Field(foreign_key="member.id")
    channel: str
    chat_id: str
    outbox_message_id: int = Field(foreign_key="outboxmessage.id", unique=True)
    queued_at: datetime = _ts()
    delivered_at: datetime | None = _ts(nullable=True)  # the channel accepted it
    failed_at: datetime | None = _ts(nullable=True)  # the outbox gave up (dead, blocked)


class IncidentEvent(SQLModel, table=True):
    """One status change of an incident: who, when, what."""

    id: int | None = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    status: str
    member_id: int | None = Field(default=None, foreign_key="member.id")
    note: str | None = None
    at: datetime = _ts()


class DialogSession(SQLModel, table=True):
    """Where a member is in a dialog on one chat. Lives here, never in process memory."""

    __table_args__ = (UniqueConstraint("member_id", "channel", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", index=True)
    channel: str
    chat_id: str
    form_id: str | None = None
    state: dict[str, Any] = _json({})
    step: int = Field(default=0, description="Bumped on every change; stale buttons carry old")
    started_at: datetime | None = _ts(nullable=True)
    updated_at: datetime = _ts()
    reminded_at: datetime | None = _ts(nullable=True)


class OutboxMessage(SQLModel, table=True):
    """Every outgoing message is a row before it is sent (the durable outbox)."""

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: str
    chat_id: str = Field(index=True)
    kind: str = Field(default="message", description="message, document, photo, callback_answer")
    payload: dict[str, Any] = _json({})
    status: str = Field(default="queued", description="storage.enums.OutboxStatus")
    attempts: int = 0
    next_attempt_at: datetime = _ts()
    claimed_until: datetime | None = _ts(nullable=True)  # a sender's claim; expires if it dies
    claimed_by: str | None = None  # which sender claim holds the row while "sending"
    parts_sent: int = 0  # parts of a split message already delivered (not sent again)
    last_error: str | None = None
    dedupe_key: str | None = Field(default=None, unique=True)
    created_at: datetime = _ts()
    sent_at: datetime | None = _ts(nullable=True)
    provider_message_id: str | None = None


class ProcessedUpdate(SQLModel, table=True):
    """An update already handled; a redelivery finds its key here and is skipped."""

    channel: str = Field(primary_key=True)
    update_key: str = Field(primary_key=True)
    processed_at: datetime = _ts()


class AuditLog(SQLModel, table=True):
    """Who viewed or exported what (and other sensitive actions)."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(default=None, foreign_key="member.id")
    commune_id: int | None = Field(default=None, foreign_key="commune.id", index=True)
    actor: str = Field(description="'cli', 'telegram:<id>', 'web:<user>'…")
    action: str = Field(index=True)
    target: str = ""
    details: dict[str, Any] = _json({})
    at: datetime = _ts(index=True)


class CommuneReport(SQLModel, table=True):
    """A commune's compiled report on its copy of a province directive, as sent to the
    province: the commune's answer. Sending again before or after the deadline makes a new
    version; the province sees the latest, and when the first one came in."""

    __tablename__ = "commune_report"
    __table_args__ = (UniqueConstraint("directive_id", "period_key"),)

    id: int | None = Field(default=None, primary_key=True)
    commune_id: int = Field(foreign_key="commune.id", index=True)
    directive_id: int = Field(foreign_key="directive.id", description="The commune's copy")
    parent_id: int = Field(foreign_key="directive.id", index=True, description="The province's")
    period_key: str
    version: int = 1
    first_sent_at: datetime = _ts()
    sent_at: datetime = _ts()
    sent_by_member_id: int | None = Field(default=None, foreign_key="member.id")
    sent_by: str = Field(description="Who sent it, e.g. 'telegram:<id>', 'cli'")
    answer: dict[str, Any] = _json({})  # the figures, rates and remarks as sent
    docx_path: str | None = None
    xlsx_path: str | None = None


class SchedulerLease(SQLModel, table=True):
    """Lease that lets one process at a time run the scheduler (SQLite and PostgreSQL)."""

    name: str = Field(primary_key=True)
    holder: str
    expires_at: datetime = _ts()


class CacheVersion(SQLModel, table=True):
    """A counter the database bumps (by trigger) whenever a member, unit or directive row
    changes; the engine's in-memory roster cache is valid only while it stays the same."""

    __tablename__ = "cache_version"

    name: str = Field(primary_key=True)
    version: int = Field(sa_type=BigInteger)


class WebAccount(SQLModel, table=True):
    """Login for the office dashboard when it is served beyond loopback."""

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="member.id", unique=True)
    username: str = Field(unique=True)
    password_hash: str
    created_at: datetime = _ts()
