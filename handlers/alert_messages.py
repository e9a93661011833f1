"""What an urgent alert says: the incident's details, and the status buttons under it.

Shared by the first alert (at submit) and every escalation the scheduler sends, so a message
at any rung carries the same facts and the same buttons (numbered on Zalo).
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.events import Choice, Reply
from bot.core.render import esc
from bot.messages import t
from bot.settings import Settings
from storage.enums import IncidentStatus
from storage.models import Incident, Member, Unit

#: The statuses a responder can set; any of them acknowledges the alert.
STATUS_BUTTONS = (
    IncidentStatus.RECEIVED,
    IncidentStatus.VERIFYING,
    IncidentStatus.HANDLED,
    IncidentStatus.FALSE_REPORT,
)


def status_label(status: str) -> str:
    return t(f"incident.status.{status}")


def status_choices(incident_id: int) -> list[Choice]:
    return [
        Choice(status_label(s), f"inc:{incident_id}:{s.value}", number=i)
        for i, s in enumerate(STATUS_BUTTONS, 1)
    ]


def local_clock(moment: datetime, settings: Settings) -> str:
    """'14:05' in the commune's time zone."""
    return moment.astimezone(settings.tz).strftime("%H:%M")


def alert_body(session: Session, settings: Settings, incident: Incident) -> str:
    """The incident as the alert states it: unit, reporter, place, time, people, signs."""
    unit = session.get(Unit, incident.unit_id)
    reporter = session.get(Member, incident.reporter_member_id)
    assert unit is not None and reporter is not None
    where = incident.location_text or (
        t("review.location_shared", lat=incident.latitude, lon=incident.longitude)
        if incident.latitude is not None
        else "?"
    )
    when = (
        incident.occurred_at.astimezone(settings.tz).strftime("%H:%M %d/%m/%Y")
        if incident.occurred_at
        else "?"
    )
    return t(
        "incident.alert",
        id=incident.id,
        unit=esc(unit.name),
        reporter=esc(reporter.full_name),
        phone=esc(reporter.phone),
        where=esc(where),
        when=when,
        people=incident.people_count if incident.people_count is not None else "?",
        summary=esc(incident.summary or "—"),
    )


def alert_reply(incident: Incident, text: str) -> Reply:
    """An alert message: urgent (it jumps the outbox queue), with the status buttons."""
    assert incident.id is not None
    return Reply(text, choices=status_choices(incident.id), columns=2, urgent=True)
