"""Incidents: opened by an urgent tip or a patrol finding, alerted at once, tracked to the end.

Who is alerted, and when the alert climbs to the next people, is :mod:`handlers.alert_ladder`;
what the alert says is :mod:`handlers.alert_messages`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import select

from bot.core.answers import describe
from bot.core.events import Reply
from bot.core.forms.schema import Form
from bot.core.render import esc
from bot.core.turn import Turn
from bot.messages import t
from handlers.alert_ladder import acknowledge, open_ladder
from handlers.alert_messages import STATUS_BUTTONS, status_choices, status_label
from storage.enums import IncidentStatus, Role
from storage.models import Attachment, Incident, IncidentEvent, Member, Submission

__all__ = [
    "RESPONDER_ROLES",
    "STATUS_BUTTONS",
    "OpenedIncident",
    "change_status",
    "maybe_open_incident",
    "status_choices",
    "status_label",
]

#: Who may change an incident's status (the police act; the command, office and leaders see).
RESPONDER_ROLES = (Role.POLICE, Role.MILITIA, Role.OFFICE_STAFF, Role.LEADER, Role.ADMIN)


@dataclass(frozen=True)
class OpenedIncident:
    incident: Incident
    notice: str  # for the reporter: who the alert is going to, or whom to call


def _occurred_at(form: Form, answers: dict[str, Any], turn: Turn) -> datetime | None:
    mapping = form.incident
    assert mapping is not None
    day = answers.get(mapping.date) if mapping.date else None
    hour = answers.get(mapping.time) if mapping.time else None
    if not isinstance(day, str):
        return None
    moment = datetime.fromisoformat(f"{day}T{hour if isinstance(hour, str) else '00:00'}")
    return moment.replace(tzinfo=turn.settings.tz)


def maybe_open_incident(turn: Turn, form: Form, submission: Submission) -> OpenedIncident | None:
    """Open an incident when the form says so, and alert the commune police at once."""
    mapping = form.incident
    answers = submission.answers
    if mapping is None or (mapping.when is not None and not mapping.when.holds(answers)):
        return None
    assert turn.member is not None and turn.unit is not None and submission.id is not None
    location = answers.get(mapping.location) if mapping.location else None
    if isinstance(location, str):
        location = {"text": location, "lat": None, "lon": None}
    people = answers.get(mapping.people) if mapping.people else None
    parts = [
        describe(form.question(qid), answers[qid])
        for qid in mapping.summary
        if answers.get(qid) not in (None, [], "")
    ]
    incident = Incident(
        commune_id=submission.commune_id,
        submission_id=submission.id,
        unit_id=turn.unit.id or 0,
        reporter_member_id=turn.member.id or 0,
        status=IncidentStatus.NEW,
        summary="; ".join(parts)[:1000],
        location_text=(location or {}).get("text"),
        latitude=(location or {}).get("lat"),
        longitude=(location or {}).get("lon"),
        people_count=people if isinstance(people, int) else None,
        occurred_at=_occurred_at(form, answers, turn),
        created_at=turn.now,
        updated_at=turn.now,
    )
    turn.session.add(incident)
    turn.session.flush()
    assert incident.id is not None
    turn.session.add(
        IncidentEvent(
            incident_id=incident.id,
            status=IncidentStatus.NEW,
            member_id=turn.member.id,
            at=turn.now,
        )
    )
    for attachment in turn.session.exec(
        select(Attachment).where(Attachment.submission_id == submission.id)
    ).all():
        attachment.incident_id = incident.id
        turn.session.add(attachment)
    _, notice = open_ladder(turn.session, turn.settings, incident, turn.now)
    return OpenedIncident(incident, notice)


def change_status(turn: Turn, incident_id: int, status_value: str) -> None:
    """A responder pressed a status button: record who and when, tell the reporter."""
    assert turn.member is not None
    if not turn.has_role(*RESPONDER_ROLES):
        turn.toast(t("chat.not_allowed"))
        turn.say(Reply(t("chat.not_allowed")))
        return
    try:
        status = IncidentStatus(status_value)
    except ValueError:
        turn.toast(t("chat.stale_button"))
        return
    incident = turn.session.get(Incident, incident_id, with_for_update=True)
    if incident is None or status not in STATUS_BUTTONS or not _own_commune(turn, incident):
        turn.toast(t("chat.stale_button"))
        return
    if incident.status == status:
        turn.toast(t("incident.already", status=status_label(status)))
        return
    acknowledge(turn, incident)  # the first status of any kind takes the alert
    incident.status = status
    incident.updated_at = turn.now
    turn.session.add(incident)
    turn.session.add(
        IncidentEvent(incident_id=incident_id, status=status, member_id=turn.member.id, at=turn.now)
    )
    label = status_label(status)
    turn.toast(t("incident.changed_toast", status=label))
    turn.say(
        Reply(t("incident.changed", id=incident_id, status=label, who=esc(turn.member.full_name)))
    )
    reporter = turn.session.get(Member, incident.reporter_member_id)
    if reporter is not None and reporter.id != turn.member.id:
        turn.say_to(
            reporter,
            Reply(
                t(
                    "incident.reporter_told",
                    id=incident_id,
                    status=label,
                    who=esc(turn.member.full_name),
                    at=turn.now.astimezone(turn.settings.tz).strftime("%H:%M %d/%m/%Y"),
                )
            ),
            dedupe_key=f"told:{incident_id}:{status.value}:{turn.event.update_key}",
        )


def _own_commune(turn: Turn, incident: Incident) -> bool:
    """Button data is untrusted: a responder acts only on incidents within their reach."""
    return turn.reach.covers(incident.commune_id)
