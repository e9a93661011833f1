"""What is due when: pure functions of a directive, the local clock and quiet hours."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from bot.scheduler.plan import (
    DirectiveSpec,
    StepKind,
    UnitInfo,
    due_steps,
    escalation_recipients,
    periods_in_play,
    plan_round,
)
from bot.scheduler.quiet import in_quiet, leave_quiet

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUIET = (time(21, 0), time(6, 30))


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def spec(
    *,
    recurrence: str = "none",
    starts_on: date = date(2025, 9, 1),
    deadline: date | None = date(2025, 9, 15),
    offsets: tuple[int, ...] = (0, 1, 3),
    created_at: datetime = datetime(2025, 8, 30, 3, 0, tzinfo=UTC),
) -> DirectiveSpec:
    return DirectiveSpec(1, recurrence, starts_on, deadline, offsets, created_at)


def names(moment: datetime, s: DirectiveSpec | None = None, quiet=QUIET) -> list[str]:  # type: ignore[no-untyped-def]
    return [step.name for step in due_steps(s or spec(), moment, TZ, quiet)]


# --- quiet hours ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hh", "mm", "quiet"),
    [(21, 0, True), (23, 59, True), (0, 0, True), (6, 29, True), (6, 30, False), (20, 59, False)],
)
def test_quiet_window_wraps_midnight(hh: int, mm: int, quiet: bool) -> None:
    assert in_quiet(local(2025, 9, 10, hh, mm), QUIET) is quiet


def test_leaving_quiet_goes_to_the_window_end() -> None:
    assert leave_quiet(local(2025, 9, 10, 22, 0), QUIET) == local(2025, 9, 11, 6, 30)
    assert leave_quiet(local(2025, 9, 11, 2, 0), QUIET) == local(2025, 9, 11, 6, 30)
    assert leave_quiet(local(2025, 9, 11, 7, 30), QUIET) == local(2025, 9, 11, 7, 30)
    same_day = (time(12, 0), time(13, 30))
    assert leave_quiet(local(2025, 9, 11, 12, 15), same_day) == local(2025, 9, 11, 13, 30)
    assert not in_quiet(local(2025, 9, 11, 13, 30), same_day)
    assert not in_quiet(local(2025, 9, 11, 3, 0), None)


# --- one-off directive ------------------------------------------------------------------------


def test_before_steps_fall_due_at_half_past_seven_local() -> None:
    assert "before:3d" not in names(local(2025, 9, 12, 7, 29))
    assert names(local(2025, 9, 12, 7, 30)) == ["before:3d"]
    assert names(local(2025, 9, 14, 7, 30)) == ["before:1d"]
    assert names(local(2025, 9, 15, 7, 30)) == ["before:0d"]
    # 07:30 local is 00:30 UTC.
    assert names(datetime(2025, 9, 15, 0, 30, tzinfo=UTC)) == ["before:0d"]


def test_a_missed_reminder_is_not_sent_the_next_day() -> None:
    # Down on the morning of the 14th: on the 15th before 07:30 nothing is due.
    assert names(local(2025, 9, 15, 7, 0)) == []
    assert names(local(2025, 9, 14, 20, 0)) == ["before:1d"]  # later the same day: still due


def test_nothing_is_due_in_quiet_hours() -> None:
    assert names(local(2025, 9, 12, 22, 0)) == []
    assert names(local(2025, 9, 16, 5, 0)) == []


def test_announce_created_at_night_waits_for_the_morning() -> None:
    created = local(2025, 9, 10, 22, 0).astimezone(UTC)
    s = spec(starts_on=date(2025, 9, 10), deadline=date(2025, 9, 20), created_at=created)
    assert names(local(2025, 9, 10, 22, 0), s) == []
    assert names(local(2025, 9, 11, 6, 29), s) == []
    assert names(local(2025, 9, 11, 6, 30), s) == ["announce"]


def test_announce_right_away_during_the_day_and_supersedes_same_day_reminders() -> None:
    created = local(2025, 9, 12, 10, 0).astimezone(UTC)
    s = spec(starts_on=date(2025, 9, 12), created_at=created)  # deadline in 3 days
    assert names(local(2025, 9, 12, 10, 0), s) == ["announce"]
    assert names(local(2025, 9, 12, 15, 0), s) == ["announce"]  # before:3d skipped that day
    assert names(local(2025, 9, 14, 7, 30), s) == ["before:1d"]


def test_a_quiet_window_over_the_reminder_time_moves_the_reminder() -> None:
    late_start = (time(7, 0), time(8, 0))
    assert names(local(2025, 9, 12, 7, 30), quiet=late_start) == []
    assert names(local(2025, 9, 12, 8, 0), quiet=late_start) == ["before:3d"]


def test_overdue_and_escalation_daily_after_the_deadline() -> None:
    assert names(local(2025, 9, 16, 7, 0)) == []
    assert names(local(2025, 9, 16, 7, 30)) == ["overdue:2025-09-16", "escalate:2025-09-16"]
    assert names(local(2025, 9, 20, 9, 0)) == ["overdue:2025-09-20", "escalate:2025-09-20"]


def test_no_deadline_means_only_the_announcement() -> None:
    s = spec(deadline=None)
    assert names(local(2025, 9, 1, 7, 30), s) == ["announce"]
    assert names(local(2025, 10, 1, 7, 30), s) == ["announce"]


def test_nothing_before_the_directive_starts() -> None:
    s = spec(starts_on=date(2025, 9, 10))
    assert names(local(2025, 9, 9, 12, 0), s) == []
    assert names(local(2025, 9, 10, 7, 30), s) == ["announce"]


def test_manual_step_for_each_open_period() -> None:
    steps = due_steps(spec(), local(2025, 9, 12, 15, 0), TZ, QUIET, manual=True)
    assert [s.name for s in steps] == ["before:3d", "manual:2025-09-12"]
    assert due_steps(spec(), local(2025, 9, 13, 23, 0), TZ, QUIET, manual=True) == []


# --- recurring directives -----------------------------------------------------------------------


def test_weekly_periods_end_on_sunday_and_the_last_week_is_chased() -> None:
    weekly = spec(recurrence="weekly", starts_on=date(2025, 9, 1), deadline=None, offsets=(1, 0))
    in_play = periods_in_play(weekly, date(2025, 9, 10))
    assert [(p.key, d) for p, d in in_play] == [
        ("2025-W36", date(2025, 9, 7)),
        ("2025-W37", date(2025, 9, 14)),
    ]
    # Saturday 13/09 07:30: one day before this week's deadline.
    steps = due_steps(weekly, local(2025, 9, 13, 7, 30), TZ, QUIET)
    assert [(s.period.key, s.name) for s in steps] == [
        ("2025-W36", "overdue:2025-09-13"),
        ("2025-W36", "escalate:2025-09-13"),
        ("2025-W37", "before:1d"),
    ]


def test_daily_directive_reminds_on_the_day_and_chases_yesterday() -> None:
    daily = spec(recurrence="daily", starts_on=date(2025, 9, 1), deadline=None)
    steps = due_steps(daily, local(2025, 9, 5, 7, 30), TZ, QUIET)
    assert [(s.period.key, s.name) for s in steps] == [
        ("2025-09-04", "overdue:2025-09-05"),
        ("2025-09-04", "escalate:2025-09-05"),
        ("2025-09-05", "before:0d"),
    ]


def test_monthly_first_period_is_announced() -> None:
    created = local(2025, 9, 3, 9, 0).astimezone(UTC)
    monthly = spec(
        recurrence="monthly", starts_on=date(2025, 9, 3), deadline=None, created_at=created
    )
    steps = due_steps(monthly, local(2025, 9, 3, 9, 0), TZ, QUIET)
    assert [(s.kind, s.deadline) for s in steps] == [(StepKind.ANNOUNCE, date(2025, 9, 30))]


# --- who is missing, who hears about it ----------------------------------------------------------

AN = UnitInfo(1, "Thôn An", "village")
BINH = UnitInfo(2, "Thôn Bình", "village")
POLICE = UnitInfo(3, "Công an xã", "police")
AGENCY = UnitInfo(4, "Hội Nông dân", "agency")


def test_plan_round_keeps_only_missing_units() -> None:
    steps = due_steps(spec(), local(2025, 9, 12, 7, 30), TZ, QUIET)
    planned = plan_round(steps, [AN, BINH, POLICE], {"once": {1}})
    assert [(p.step.name, [u.name for u in p.units]) for p in planned] == [
        ("before:3d", ["Thôn Bình", "Công an xã"])
    ]
    assert plan_round(steps, [AN], {"once": {1}}) == []


def test_escalation_goes_to_staff_and_the_police_chief_for_police_and_villages() -> None:
    recipients = escalation_recipients(
        [BINH, POLICE, AGENCY], staff_ids=[50, 51], police_head_ids=[30]
    )
    assert recipients[50] == recipients[51] == (BINH, POLICE, AGENCY)
    assert recipients[30] == (BINH, POLICE)
    # A chief who is also staff sees everything; no watched unit late → no message for him.
    assert escalation_recipients([AGENCY], [30], [30]) == {30: (AGENCY,)}
    assert escalation_recipients([AGENCY], [], [30]) == {}
