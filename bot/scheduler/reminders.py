"""One reminder round: enqueue every due reminder and escalation, at most once ever.

Every message goes through :func:`storage.outbox.enqueue` with the dedupe key
``remind:<directive>:<period>:<step>:<member>:<channel>``, unique in the outbox table, so
running the round twice — after a restart, or in two processes at once — adds nothing new.

Per directive, one read transaction decides what is due and which keys already exist; the
new messages are then written in transactions of at most ``WRITE_CHUNK`` messages. Why not
one transaction for everything: on SQLite a write transaction locks the whole database, and
a 10,000-member round written in one go would keep the bots from saving answers for tens of
seconds. Chunks are safe because of the dedupe keys: a round interrupted half-way is
completed by the next one, without duplicates. The round that runs every minute finds every
key present and writes nothing at all.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from itertools import islice
from typing import TypeVar

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.core.events import Outgoing, Reply
from bot.outbox.recipients import linked_chats
from bot.scheduler.compose import escalation_reply, reminder_reply
from bot.scheduler.plan import (
    DirectiveSpec,
    PlannedStep,
    StepKind,
    UnitInfo,
    due_steps,
    escalation_recipients,
    plan_round,
)
from bot.settings import Settings
from storage.db import transaction
from storage.enums import Role, SubmissionStatus, UnitKind
from storage.models import Directive, Member, OutboxMessage, Submission, Unit
from storage.outbox import enqueue

log = logging.getLogger(__name__)
T = TypeVar("T")

WRITE_CHUNK = 200  # messages per write transaction (a short SQLite write lock each)
_KEY_LOOKUP_CHUNK = 500  # dedupe keys per IN (…) query


@dataclass
class RoundResult:
    enqueued: int = 0
    by_kind: Counter[str] = field(default_factory=Counter)
    directives: int = 0
    failed: list[int] = field(default_factory=list)  # directive ids whose round failed


@dataclass(frozen=True)
class _Message:
    kind: str  # the step kind, for the round's counts
    outgoing: Outgoing


@lru_cache(maxsize=1)
def _form_titles() -> Mapping[str, str]:
    """Form titles for reminder buttons; a broken forms folder only costs nicer labels."""
    try:
        from bot.core.forms.loader import load_forms

        return {form_id: form.title for form_id, form in load_forms().items()}
    except Exception:  # the dialog refuses to start anyway when forms are broken
        log.exception("could not load form titles for reminder buttons")
        return {}


def run_round(
    engine: Engine,
    settings: Settings,
    now: datetime,
    *,
    manual: bool = False,
    commune_id: int | None = None,
) -> RoundResult:
    """Enqueue what is due at ``now`` (aware) for every active commune directive, or only
    ``commune_id``'s (``/nhacnho`` reminds the asker's own commune, nobody else's).

    Province directives remind nobody themselves: each commune's copy reminds its units.
    """
    query = (
        select(Directive.id)
        .where(col(Directive.active).is_(True))
        .where(col(Directive.commune_id).is_not(None))
        .order_by(col(Directive.id))
    )
    if commune_id is not None:
        query = query.where(col(Directive.commune_id) == commune_id)
    with transaction(engine) as session:
        ids = session.exec(query).all()
    result = RoundResult()
    for directive_id in ids:
        assert directive_id is not None
        try:
            counts = _directive_round(engine, directive_id, settings, now, manual)
        except Exception:
            log.exception("reminder round failed for directive %s", directive_id)
            result.failed.append(directive_id)
            continue
        result.directives += 1
        result.by_kind.update(counts)
        result.enqueued += sum(counts.values())
    return result


def _directive_round(
    engine: Engine, directive_id: int, settings: Settings, now: datetime, manual: bool
) -> Counter[str]:
    with transaction(engine) as session:
        messages = _due_messages(session, directive_id, settings, now, manual)
        existing = _existing_keys(session, [m.outgoing.dedupe_key or "" for m in messages])
    fresh = [m for m in messages if m.outgoing.dedupe_key not in existing]
    counts: Counter[str] = Counter()
    for chunk in _chunks(fresh, WRITE_CHUNK):
        with transaction(engine) as session:
            for message in chunk:
                if enqueue(session, message.outgoing) is not None:
                    counts[message.kind] += 1
    return counts


def _due_messages(
    session: Session, directive_id: int, settings: Settings, now: datetime, manual: bool
) -> list[_Message]:
    """Every message the directive's due steps call for, already sent or not."""
    directive = session.get(Directive, directive_id)
    if directive is None or not directive.active or directive.commune_id is None:
        return []
    tz = settings.tz
    spec = DirectiveSpec.from_model(directive)
    steps = due_steps(spec, now, tz, settings.quiet_window, manual=manual)
    if not steps:
        return []
    units = expected_units(session, directive)
    submitted = submitted_units(session, directive_id, {s.period.key for s in steps})
    planned = plan_round(steps, units, submitted)
    if not planned:
        return []
    members = _active_members(session, directive.commune_id)
    today = now.astimezone(tz).date()
    messages: list[_Message] = []
    for item in planned:
        if item.step.kind is StepKind.ESCALATE:
            messages += _escalations(session, directive, item, members, today)
        else:
            messages += _reminders(directive, item, members, today)
    return messages


def _existing_keys(session: Session, keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(keys, _KEY_LOOKUP_CHUNK):
        found.update(
            key
            for key in session.exec(
                select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).in_(chunk))
            ).all()
            if key is not None
        )
    return found


def _chunks(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def expected_units(session: Session, directive: Directive) -> list[UnitInfo]:
    """Active units of the directive's commune, of the kinds it targets, in roster order."""
    rows = session.exec(
        select(Unit)
        .where(col(Unit.active).is_(True))
        .where(col(Unit.commune_id) == directive.commune_id)
        .where(col(Unit.kind).in_(directive.target_unit_kinds))
        .order_by(col(Unit.id))
    ).all()
    return [_unit_info(u) for u in rows]


def submitted_units(
    session: Session, directive_id: int, period_keys: set[str]
) -> dict[str, set[int]]:
    """Period key → ids of units with a filed (not draft) report for the directive."""
    rows = session.exec(
        select(Submission.period_key, Submission.unit_id)
        .where(Submission.directive_id == directive_id)
        .where(col(Submission.period_key).in_(period_keys))
        .where(Submission.status != SubmissionStatus.DRAFT.value)
    ).all()
    done: dict[str, set[int]] = {}
    for period_key, unit_id in rows:
        done.setdefault(period_key, set()).add(unit_id)
    return done


def _unit_info(unit: Unit) -> UnitInfo:
    assert unit.id is not None
    return UnitInfo(unit.id, unit.name, unit.kind, unit.head_member_id)


def _active_members(session: Session, commune_id: int) -> list[Member]:
    """The commune's members who can receive a message: active, not known to have blocked
    the bot, linked to a chat."""
    rows = session.exec(
        select(Member)
        .join(Unit, col(Unit.id) == col(Member.unit_id))
        .where(col(Unit.commune_id) == commune_id)
        .where(col(Member.active).is_(True))
        .where(col(Member.unreachable).is_(False))
        .order_by(col(Member.id))
    ).all()
    return [m for m in rows if linked_chats(m)]


def _messages_for(member: Member, key_stem: str, kind: str, reply: Reply) -> list[_Message]:
    """One message per channel the member is linked on."""
    return [
        _Message(
            kind, Outgoing(channel, chat_id, reply, dedupe_key=f"{key_stem}:{member.id}:{channel}")
        )
        for channel, chat_id in linked_chats(member)
    ]


def _stem(directive: Directive, item: PlannedStep) -> str:
    return f"remind:{directive.id}:{item.step.period.key}:{item.step.name}"


def _reminders(
    directive: Directive, item: PlannedStep, members: Sequence[Member], today: date
) -> list[_Message]:
    """Every reachable member of each missing unit, the unit's head first."""
    by_unit: dict[int, list[Member]] = {}
    for member in members:
        by_unit.setdefault(member.unit_id, []).append(member)
    messages: list[_Message] = []
    for unit in item.units:
        reply = reminder_reply(directive, item.step, unit, today, _form_titles())
        in_unit = sorted(
            by_unit.get(unit.id, []), key=lambda m: (m.id != unit.head_member_id, m.id)
        )
        for member in in_unit:
            messages += _messages_for(member, _stem(directive, item), item.step.kind.value, reply)
    return messages


def _escalations(
    session: Session,
    directive: Directive,
    item: PlannedStep,
    members: Sequence[Member],
    today: date,
) -> list[_Message]:
    staff = [
        m.id
        for m in members
        if m.id is not None and {Role.LEADER.value, Role.OFFICE_STAFF.value} & set(m.roles)
    ]
    police_heads = session.exec(
        select(Unit.head_member_id)
        .where(col(Unit.active).is_(True))
        .where(col(Unit.commune_id) == directive.commune_id)
        .where(Unit.kind == UnitKind.POLICE.value)
    ).all()
    targets = escalation_recipients(item.units, staff, [h for h in police_heads if h is not None])
    by_id = {m.id: m for m in members}
    messages: list[_Message] = []
    for member_id, units in targets.items():
        member = by_id.get(member_id)
        if member is None:
            continue  # inactive, unreachable or not linked to any chat
        reply = escalation_reply(directive, item.step, units, today)
        messages += _messages_for(member, _stem(directive, item), item.step.kind.value, reply)
    return messages
