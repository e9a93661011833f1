"""The alert ladder: an urgent alert climbs rung by rung until someone acknowledges it.

At submit the commune police are alerted (rung 0, :mod:`handlers.alert_levels`). Every
``ALERT_ACK_MINUTES`` without acknowledgement — «Đã tiếp nhận» or any later status — the
scheduler's round (:func:`run_ladder`, leader only, every few seconds) opens the next rung: the
police chief, the military command, the office and leaders. A rung nobody can be reached at
is passed at once, and so is a rung whose every message the outbox gave up on (blocked,
dead); the reporter is told each time, with the numbers to call. Alerts ignore quiet hours.

Exactly once, whatever runs twice: a rung is an :class:`~storage.models.IncidentAlertStep`
row, unique per (incident, level); each message has the outbox dedupe key
``alert:<incident>:<level>:<member>:<channel>`` and an :class:`~storage.models.IncidentAlert`
row; the incident row is locked while a rung is opened or the alert acknowledged. The state
lives in the database (``Incident.alert_level``/``alert_next_at``), not in any process.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, and_, exists
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from bot.core.turn import Turn
from bot.messages import t
from bot.outbox.receipts import alert_key
from bot.outbox.recipients import member_chats, member_label
from bot.settings import Settings
from handlers.alert_levels import (
    CommuneRoster,
    Level,
    Person,
    load_roster,
    names,
)
from handlers.alert_messages import alert_body, alert_reply, local_clock
from storage.db import transaction
from storage.enums import OutboxStatus
from storage.models import Incident, IncidentAlert, IncidentAlertStep, Member, OutboxMessage
from storage.outbox import enqueue

log = logging.getLogger(__name__)

REASON_SUBMIT = "submit"  # rung 0, when the report was filed
REASON_TIMEOUT = "timeout"  # the rung below was not acknowledged in time
REASON_UNREACHABLE = "unreachable"  # nobody below could be reached (none linked, all failed)


@dataclass(frozen=True)
class Rung:
    level: Level
    reason: str
    sent_to: tuple[Person, ...]  # empty: nobody at this level could be reached


@dataclass(frozen=True)
class Climb:
    """The rungs one step of the ladder opened, lowest first; the last reached someone
    unless the ladder ran out."""

    rungs: tuple[Rung, ...]
    messages: int  # outbox rows added

    @property
    def reached(self) -> Rung | None:
        return next((r for r in reversed(self.rungs) if r.sent_to), None)


# --- opening rungs ------------------------------------------------------------------------------


def open_ladder(
    session: Session, settings: Settings, incident: Incident, now: datetime
) -> tuple[Climb, str]:
    """At submit: alert rung 0 (climbing past rungs nobody can be reached at).

    Returns the climb and the line telling the reporter the truth: who the alert is being
    sent to — or that nobody could be reached, whom to call, and who was told instead.
    """
    roster = load_roster(session, incident.commune_id)
    climb = _climb(session, settings, roster, incident, Level.POLICE, REASON_SUBMIT, now, [])
    reached = climb.reached
    if reached is not None and reached.level is Level.POLICE:
        return climb, t("incident.sending", id=incident.id, names=names(reached.sent_to))
    lines = [
        t("incident.nobody_at", id=incident.id, level=Level.POLICE.label),
        _call_line(roster, incident),
        _told_line(reached),
    ]
    return climb, "\n".join(lines)


def _climb(
    session: Session,
    settings: Settings,
    roster: CommuneRoster,
    incident: Incident,
    start: Level | None,
    reason: str,
    now: datetime,
    passed: list[Level],
) -> Climb:
    """Open ``start`` and, while nobody can be reached, the rungs above it."""
    rungs: list[Rung] = []
    messages = 0
    level = start
    while level is not None:
        rung_reason = reason if not rungs else REASON_UNREACHABLE
        header = _header(session, roster, incident, reason, now, passed)
        opened = _open(session, settings, roster, incident, level, rung_reason, header, now)
        if opened is None:  # another process opened it first: it climbs from there
            break
        rung, added = opened
        rungs.append(rung)
        messages += added
        if rung.sent_to:
            break
        passed = [*passed, level]
        level = level.next
    if rungs:
        incident.alert_level = max(r.level for r in rungs)
        reached = any(r.sent_to for r in rungs)
        minutes = timedelta(minutes=settings.alert_ack_minutes)
        incident.alert_next_at = now + minutes if reached else None
    elif start is None:
        incident.alert_next_at = None  # the top rung had its time: the ladder is done
    session.add(incident)
    return Climb(tuple(rungs), messages)


def _open(
    session: Session,
    settings: Settings,
    roster: CommuneRoster,
    incident: Incident,
    level: Level,
    reason: str,
    header: str,
    now: datetime,
) -> tuple[Rung, int] | None:
    """Record the rung and send its messages; None when the rung was already open."""
    assert incident.id is not None
    step = IncidentAlertStep(incident_id=incident.id, level=level, reason=reason, at=now)
    try:
        with session.begin_nested():
            session.add(step)
            session.flush()
    except IntegrityError:
        return None
    reply = alert_reply(incident, header + alert_body(session, settings, incident))
    sent: list[Person] = []
    added = 0
    for person in roster.reachable_at(level, besides=incident.reporter_member_id):
        reached = False
        for channel, chat_id in person.chats:
            key = alert_key(incident.id, level, person.id, channel)
            row = enqueue(session, Outgoing(channel, chat_id, reply, dedupe_key=key))
            if row is None or row.id is None:
                continue
            session.add(
                IncidentAlert(
                    incident_id=incident.id,
                    level=level,
                    member_id=person.id,
                    channel=channel,
                    chat_id=chat_id,
                    outbox_message_id=row.id,
                    queued_at=now,
                )
            )
            added += 1
            reached = True
        if reached:
            sent.append(person)
    step.recipients = len(sent)
    session.add(step)
    session.flush()
    return Rung(level, reason, tuple(sent)), added


def _header(
    session: Session,
    roster: CommuneRoster,
    incident: Incident,
    reason: str,
    now: datetime,
    passed: list[Level],
) -> str:
    """Why this message reaches its reader: nothing at rung 0, else how long it has waited
    and who already had it, or whom it could not reach."""
    if reason == REASON_SUBMIT and not passed:
        return ""
    if reason == REASON_TIMEOUT:
        before = alerted(session, roster, incident)
        return t(
            "incident.escalation.timeout",
            id=incident.id,
            minutes=waited_minutes(incident, now),
            alerted=names(before) if before else t("alert.nobody"),
        )
    labels = ", ".join(level.label for level in passed)
    return t("incident.escalation.unreachable", id=incident.id, levels=labels)


def waited_minutes(incident: Incident, now: datetime) -> int:
    return max(1, int((now - incident.created_at).total_seconds() // 60))


def alerted(
    session: Session, roster: CommuneRoster, incident: Incident, level: Level | None = None
) -> list[Person]:
    """Everyone an alert of this incident was sent to so far (at ``level`` only, if given),
    in the order they got it."""
    query = select(IncidentAlert.member_id).where(IncidentAlert.incident_id == incident.id)
    if level is not None:
        query = query.where(IncidentAlert.level == level.value)
    ids = session.exec(query.order_by(col(IncidentAlert.id))).all()
    seen: list[Person] = []
    for member_id in dict.fromkeys(ids):
        person = roster.person(member_id)
        if person is not None:
            seen.append(person)
    return seen


def _call_line(roster: CommuneRoster, incident: Incident) -> str:
    people = roster.call_list(besides=incident.reporter_member_id)
    if not people:
        return t("incident.call_nobody")
    return t("incident.call", phones=", ".join(p.phone_label for p in people))


def _told_line(reached: Rung | None) -> str:
    if reached is None:
        return t("incident.told_nobody")
    return t("incident.told_instead", level=reached.level.label, names=names(reached.sent_to))


# --- the scheduler's round ----------------------------------------------------------------------


def run_ladder(engine: Engine, settings: Settings, now: datetime) -> int:
    """Climb every ladder that is due (not acknowledged in time) or whose current rung
    failed; returns how many messages were added. Safe to run in two processes at once."""
    with Session(engine) as session:
        due = session.exec(
            select(Incident.id)
            .where(col(Incident.alert_next_at).is_not(None))
            .where(col(Incident.alert_next_at) <= now)
            .where(col(Incident.acknowledged_at).is_(None))
        ).all()
        failed = _failed_rungs(session)
    added = 0
    for incident_id in sorted({i for i in due if i is not None} | set(failed)):
        try:
            with transaction(engine) as session:
                added += _advance(session, settings, incident_id, now)
        except Exception:  # one broken incident must not stop the others' alerts
            log.exception("alert ladder failed for incident %s", incident_id)
    return added


def _failed_rungs(session: Session, incident_id: int | None = None) -> list[int]:
    """Incidents whose current rung sent messages and every one of them is dead."""
    current = and_(
        col(IncidentAlert.incident_id) == col(Incident.id),
        col(IncidentAlert.level) == col(Incident.alert_level),
    )
    alive = (
        exists()
        .where(current)
        .where(col(OutboxMessage.id) == col(IncidentAlert.outbox_message_id))
        .where(col(OutboxMessage.status) != OutboxStatus.DEAD.value)
    )
    query = (
        select(Incident.id)
        .where(col(Incident.alert_next_at).is_not(None))
        .where(col(Incident.acknowledged_at).is_(None))
        .where(exists().where(current))
        .where(~alive)
    )
    if incident_id is not None:
        query = query.where(Incident.id == incident_id)
    return [i for i in session.exec(query).all() if i is not None]


def _advance(session: Session, settings: Settings, incident_id: int, now: datetime) -> int:
    incident = session.get(Incident, incident_id, with_for_update=True)
    if (
        incident is None
        or incident.acknowledged_at is not None
        or incident.alert_next_at is None
        or incident.alert_level is None
    ):
        return 0  # acknowledged meanwhile, or another process climbed already
    current = Level(incident.alert_level)
    failed = bool(_failed_rungs(session, incident_id))
    if not failed and incident.alert_next_at > now:
        return 0
    roster = load_roster(session, incident.commune_id)
    if failed:
        lost = alerted(session, roster, incident, current)
        climb = _climb(
            session, settings, roster, incident, current.next, REASON_UNREACHABLE, now, [current]
        )
        text = "\n".join(
            [
                t("incident.reporter_failed", id=incident.id, names=names(lost)),
                _call_line(roster, incident),
                _told_line(climb.reached),
            ]
        )
        key = f"ladder:{incident_id}:{current.value}:failed"
    else:
        climb = _climb(session, settings, roster, incident, current.next, REASON_TIMEOUT, now, [])
        minutes = waited_minutes(incident, now)
        reached = climb.reached
        if reached is not None:
            text = t(
                "incident.reporter_escalated",
                id=incident.id,
                minutes=minutes,
                level=reached.level.label,
                names=names(reached.sent_to),
            )
            key = f"ladder:{incident_id}:{reached.level.value}:escalated"
        else:
            text = "\n".join(
                [
                    t("incident.reporter_exhausted", id=incident.id, minutes=minutes),
                    _call_line(roster, incident),
                ]
            )
            key = f"ladder:{incident_id}:exhausted"
    return climb.messages + _tell_reporter(session, incident, text, key)


def _tell_reporter(session: Session, incident: Incident, text: str, key: str) -> int:
    reporter = session.get(Member, incident.reporter_member_id)
    if reporter is None:
        return 0
    added = 0
    for channel, chat_id in member_chats(session, [reporter]).get(reporter.id or 0, []):
        outgoing = Outgoing(channel, chat_id, Reply(text), dedupe_key=f"{key}:{channel}")
        added += enqueue(session, outgoing) is not None
    return added


# --- acknowledgement ----------------------------------------------------------------------------


def acknowledge(turn: Turn, incident: Incident) -> None:
    """The first status a responder sets: record who took it, stop the ladder, and tell
    everyone the alert reached (the reporter hears it from the status message itself)."""
    assert turn.member is not None and incident.id is not None
    if incident.acknowledged_at is not None:
        return
    incident.acknowledged_at = turn.now
    incident.acknowledged_by_member_id = turn.member.id
    incident.alert_next_at = None
    turn.session.add(incident)
    assert turn.unit is not None
    roster = load_roster(turn.session, incident.commune_id)
    text = t(
        "incident.acknowledged",
        id=incident.id,
        who=member_label(turn.member, turn.unit),
        at=local_clock(turn.now, turn.settings),
    )
    skip = {turn.member.id, incident.reporter_member_id}
    for person in alerted(turn.session, roster, incident):
        if person.id not in skip and person.reachable:
            turn.say_to(person.member, Reply(text), dedupe_key=f"ack:{incident.id}:{person.id}")


def alert_steps(session: Session, incident_ids: Sequence[int]) -> list[IncidentAlertStep]:
    """The rungs of these incidents, in order (for the dashboard's history)."""
    if not incident_ids:
        return []
    return list(
        session.exec(
            select(IncidentAlertStep)
            .where(col(IncidentAlertStep.incident_id).in_(list(incident_ids)))
            .order_by(col(IncidentAlertStep.at), col(IncidentAlertStep.id))
        ).all()
    )
