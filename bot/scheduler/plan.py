"""Which reminder steps are due — pure functions of a directive, the clock and who reported.

Steps of one period, each at 07:30 local on its day (``REMINDER_TIME``):

* ``announce`` — when the directive starts (or right away if created later that day);
* ``before:<N>d`` — on deadline − N for each ``reminder_offsets_days`` N (0 = the deadline's
  morning); a step on or before the announce day is skipped (the announcement says it);
* ``overdue:<YYYY-MM-DD>`` — every day after the deadline while a unit is missing;
* ``escalate:<YYYY-MM-DD>`` — same days, to the leaders, the office and the police chief;
* ``manual:<YYYY-MM-DD>`` — only when someone asks (``/nhacnho``), once a day.

Catch-up rule: of ``announce``/``before``/``overdue`` only the latest step that is due is
sent, and a ``before``/``overdue`` step only on its own day — a process that was down
yesterday morning does not send yesterday's reminder along with today's. Quiet hours:
nothing is due inside the window; a step falling inside waits for the window's end.

One-off directives have one period (``once``) with ``unit_deadline`` as deadline. Recurring
directives use the period's last day; the current period and the one before it (still
chased while overdue) are in play.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.periods import Period, period_for
from bot.scheduler.quiet import QuietWindow, in_quiet, leave_quiet
from storage.enums import Recurrence, UnitKind
from storage.models import Directive

REMINDER_TIME = time(7, 30)


class StepKind(StrEnum):
    ANNOUNCE = "announce"
    BEFORE = "before"
    OVERDUE = "overdue"
    ESCALATE = "escalate"
    MANUAL = "manual"


@dataclass(frozen=True)
class DirectiveSpec:
    """What the plan needs to know about a directive."""

    id: int
    recurrence: str
    starts_on: date
    deadline: date | None  # one-off directives: the units' deadline
    offsets: tuple[int, ...]
    created_at: datetime  # aware

    @classmethod
    def from_model(cls, directive: Directive) -> DirectiveSpec:
        assert directive.id is not None
        return cls(
            id=directive.id,
            recurrence=directive.recurrence,
            starts_on=directive.starts_on,
            deadline=directive.unit_deadline,
            offsets=tuple(sorted({n for n in directive.reminder_offsets_days if n >= 0})),
            created_at=directive.created_at,
        )


@dataclass(frozen=True)
class Step:
    kind: StepKind
    name: str  # the dedupe-key part: "announce", "before:3d", "overdue:2025-09-12"…
    period: Period
    deadline: date | None
    due_at: datetime  # local, already moved out of quiet hours


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    kind: str
    head_member_id: int | None = None


@dataclass(frozen=True)
class PlannedStep:
    step: Step
    units: tuple[UnitInfo, ...]  # the units still missing a report for the step's period


def periods_in_play(spec: DirectiveSpec, today: date) -> list[tuple[Period, date | None]]:
    """(period, deadline) pairs the directive may still remind about on ``today``."""
    if today < spec.starts_on:
        return []
    if spec.recurrence == Recurrence.NONE:
        period = period_for(spec.recurrence, today, starts_on=spec.starts_on, ends_on=spec.deadline)
        return [(period, spec.deadline)]
    current = period_for(spec.recurrence, today)
    previous = period_for(spec.recurrence, current.first_day - timedelta(days=1))
    in_play = [current]
    if previous.last_day >= spec.starts_on:
        in_play.insert(0, previous)
    return [(p, p.last_day) for p in in_play]


def _at(day: date, tz: ZoneInfo, quiet: QuietWindow) -> datetime:
    return leave_quiet(datetime.combine(day, REMINDER_TIME, tzinfo=tz), quiet)


def _chain(
    spec: DirectiveSpec,
    period: Period,
    deadline: date | None,
    today: date,
    tz: ZoneInfo,
    quiet: QuietWindow,
) -> list[Step]:
    """The period's announce/before/overdue steps up to ``today``, in time order."""
    steps: list[Step] = []
    first_period = period.first_day <= spec.starts_on <= period.last_day or (
        spec.recurrence == Recurrence.NONE
    )
    announce_day: date | None = None
    if first_period:
        created = spec.created_at.astimezone(tz)
        due = leave_quiet(
            max(created, datetime.combine(spec.starts_on, REMINDER_TIME, tzinfo=tz)), quiet
        )
        if deadline is None or due.date() <= deadline:
            announce_day = due.date()
            steps.append(Step(StepKind.ANNOUNCE, "announce", period, deadline, due))
    if deadline is None:
        return steps
    for n in sorted(spec.offsets, reverse=True):
        day = deadline - timedelta(days=n)
        if day < max(period.first_day, spec.starts_on):
            continue
        if announce_day is not None and day <= announce_day:
            continue
        steps.append(Step(StepKind.BEFORE, f"before:{n}d", period, deadline, _at(day, tz, quiet)))
    for day in (today - timedelta(days=1), today):
        if day > deadline:
            name = f"overdue:{day.isoformat()}"
            steps.append(Step(StepKind.OVERDUE, name, period, deadline, _at(day, tz, quiet)))
    return sorted(steps, key=lambda s: s.due_at)


def due_steps(
    spec: DirectiveSpec,
    now: datetime,
    tz: ZoneInfo,
    quiet: QuietWindow,
    *,
    manual: bool = False,
) -> list[Step]:
    """The steps to send at ``now`` (aware). Empty inside quiet hours."""
    local = now.astimezone(tz)
    if in_quiet(local, quiet):
        return []
    today = local.date()
    result: list[Step] = []
    for period, deadline in periods_in_play(spec, today):
        chain = [s for s in _chain(spec, period, deadline, today, tz, quiet) if s.due_at <= local]
        if chain:
            latest = chain[-1]
            if latest.kind is StepKind.ANNOUNCE or latest.due_at.date() == today:
                result.append(latest)
        if deadline is not None and today > deadline:
            escalate_at = _at(today, tz, quiet)
            if escalate_at <= local:
                name = f"escalate:{today.isoformat()}"
                result.append(Step(StepKind.ESCALATE, name, period, deadline, escalate_at))
        if manual:
            name = f"manual:{today.isoformat()}"
            result.append(Step(StepKind.MANUAL, name, period, deadline, local))
    return result


def plan_round(
    steps: Sequence[Step],
    expected: Sequence[UnitInfo],
    submitted: Mapping[str, set[int]],
) -> list[PlannedStep]:
    """Pair each step with the expected units that have not reported for its period."""
    planned: list[PlannedStep] = []
    for step in steps:
        done = submitted.get(step.period.key, set())
        missing = tuple(u for u in expected if u.id not in done)
        if missing:
            planned.append(PlannedStep(step, missing))
    return planned


# The police chief follows up (chủ trì theo dõi, đôn đốc) on the police and the village heads.
POLICE_WATCHED_KINDS = frozenset({UnitKind.POLICE.value, UnitKind.VILLAGE.value})


def escalation_recipients(
    overdue: Sequence[UnitInfo], staff_ids: Iterable[int], police_head_ids: Iterable[int]
) -> dict[int, tuple[UnitInfo, ...]]:
    """Member id → the overdue units to list for them.

    Leaders and office staff (``staff_ids``) see every overdue unit; the head of the police
    unit sees the overdue police and village units (everything, if also staff).
    """
    recipients: dict[int, tuple[UnitInfo, ...]] = {m: tuple(overdue) for m in staff_ids}
    watched = tuple(u for u in overdue if u.kind in POLICE_WATCHED_KINDS)
    if watched:
        for head in police_head_ids:
            recipients.setdefault(head, watched)
    return recipients
