"""Delivery receipts of incident alerts, recorded where the outbox settles a row.

Every alert message is an outbox row whose dedupe key starts with :data:`ALERT_KEY_PREFIX`
and an :class:`~storage.models.IncidentAlert` row pointing at it. When a channel accepts the
row — the sender's :func:`bot.outbox.store.mark_sent`, or a web page fetching it — the alert
is marked delivered in that same transaction, and the first delivery of an incident tells its
reporter, once (dedupe key ``arrived:<incident>``), who it reached and when. When the outbox
gives up on a row (dead, blocked), the alert is marked failed; the alert ladder reads the
outbox status to escalate at once when a whole rung failed.

Only rows with the prefix cost anything here: the sender's hot path for other messages is
one string test.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from bot.messages import t
from bot.outbox.recipients import member_chats, member_label
from storage.models import Incident, IncidentAlert, Member, Unit
from storage.outbox import enqueue

ALERT_KEY_PREFIX = "alert:"


def alert_key(incident_id: int, level: int, member_id: int, channel: str) -> str:
    """The outbox dedupe key of one alert message: each is sent at most once, ever."""
    return f"{ALERT_KEY_PREFIX}{incident_id}:{level}:{member_id}:{channel}"


def is_alert(dedupe_key: str | None) -> bool:
    return dedupe_key is not None and dedupe_key.startswith(ALERT_KEY_PREFIX)


def alerts_delivered(
    session: Session, outbox_ids: Sequence[int], now: datetime, tz: ZoneInfo
) -> int:
    """Mark the alerts of these (just sent) outbox rows delivered; tell reporters of a first
    arrival. Returns how many alerts were newly marked."""
    if not outbox_ids:
        return 0
    alerts = session.exec(
        select(IncidentAlert)
        .where(col(IncidentAlert.outbox_message_id).in_(list(outbox_ids)))
        .where(col(IncidentAlert.delivered_at).is_(None))
    ).all()
    for alert in alerts:
        alert.delivered_at = now
        session.add(alert)
        _first_arrival(session, alert, now, tz)
    session.flush()
    return len(alerts)


def alerts_failed(session: Session, outbox_ids: Sequence[int], now: datetime) -> None:
    """Mark the alerts of these outbox rows failed (the outbox gave up on them)."""
    if outbox_ids:
        session.execute(
            update(IncidentAlert)
            .where(col(IncidentAlert.outbox_message_id).in_(list(outbox_ids)))
            .where(col(IncidentAlert.delivered_at).is_(None))
            .where(col(IncidentAlert.failed_at).is_(None))
            .values(failed_at=now)
        )


def _first_arrival(session: Session, alert: IncidentAlert, now: datetime, tz: ZoneInfo) -> None:
    # A conditional UPDATE, not read-then-write: two senders delivering two alerts of one
    # incident at the same moment must not both believe theirs was the first. "First" is the
    # first delivery recorded; the reporter is told of that one, and the dashboard shows it.
    first = session.execute(
        update(Incident)
        .where(col(Incident.id) == alert.incident_id)
        .where(col(Incident.alert_delivered_at).is_(None))
        .values(alert_delivered_at=now)
    )
    if not first.rowcount:  # type: ignore[attr-defined]
        return
    incident = session.get(Incident, alert.incident_id)
    recipient = session.get(Member, alert.member_id)
    if incident is None or recipient is None:
        return
    reporter = session.get(Member, incident.reporter_member_id)
    if reporter is None or reporter.id == recipient.id:
        return
    unit = session.get(Unit, recipient.unit_id)
    assert unit is not None
    text = t(
        "incident.arrived",
        id=incident.id,
        channel=t(f"channel.{alert.channel}"),
        who=member_label(recipient, unit),
        at=now.astimezone(tz).strftime("%H:%M"),
    )
    for channel, chat_id in member_chats(session, [reporter]).get(reporter.id or 0, []):
        enqueue(
            session,
            Outgoing(
                channel,
                chat_id,
                Reply(text),
                dedupe_key=f"arrived:{incident.id}:{channel}",
            ),
        )
