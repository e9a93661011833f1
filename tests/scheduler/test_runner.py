"""The APScheduler runner: rounds only while leading, wakes the outbox after enqueueing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import time_machine
from sqlalchemy import Engine

from bot.scheduler.runner import SchedulerRunner
from bot.settings import Settings
from tests.scheduler.seed import add_directive, seed_commune


class FixedLeader:
    def __init__(self, leading: bool) -> None:
        self.leading = leading
        self.released = False

    def acquire(self) -> bool:
        return self.leading

    def release(self) -> None:
        self.released = True


async def test_a_follower_runs_no_round(engine: Engine, settings: Settings) -> None:
    seed_commune(engine)
    add_directive(engine)
    runner = SchedulerRunner(engine, settings, leader=FixedLeader(False))
    assert await runner.tick() is None


async def test_the_leader_runs_a_round_at_the_real_clock_and_wakes_the_outbox(
    engine: Engine, settings: Settings
) -> None:
    seed_commune(engine)
    add_directive(engine)
    woken: list[bool] = []
    runner = SchedulerRunner(
        engine, settings, leader=FixedLeader(True), on_enqueued=lambda: woken.append(True)
    )
    # 12/09/2025 07:30 in Hồ Chí Minh City is 00:30 UTC.
    with time_machine.travel(datetime(2025, 9, 12, 0, 30, tzinfo=UTC), tick=False):
        result = await runner.tick()
    assert result is not None and result.by_kind == {"before": 7}
    assert woken == [True]
    with time_machine.travel(datetime(2025, 9, 12, 0, 31, tzinfo=UTC), tick=False):
        again = await runner.tick()
    assert again is not None and again.enqueued == 0
    assert woken == [True]


async def test_start_schedules_jobs_in_the_commune_time_zone(
    engine: Engine, settings: Settings
) -> None:
    leader = FixedLeader(True)
    runner = SchedulerRunner(engine, settings, leader=leader)
    runner.start()
    try:
        jobs = runner._scheduler.get_jobs()
        assert len(jobs) == 3  # leadership, reminder round, alert ladder
        assert str(runner._scheduler.timezone) == "Asia/Ho_Chi_Minh"
        for _ in range(100):  # the first leadership check runs at once
            if runner.leading:
                break
            await asyncio.sleep(0.02)
        assert runner.leading
    finally:
        await runner.shutdown()
    assert leader.released


def _open_incident(engine: Engine, settings: Settings, at: datetime) -> int:
    """An urgent tip from Thôn An's head, alerted to the police at ``at``."""
    from handlers.alert_ladder import open_ladder
    from storage.db import transaction
    from storage.models import Incident, Submission

    roster = seed_commune(engine)
    with transaction(engine) as s:
        head = roster.members["an_head"]
        unit = roster.units["Thôn An"]
        submission = Submission(
            commune_id=roster.commune_id,
            form_id="doi_tuong_kha_nghi", period_key="once", unit_id=unit, member_id=head,
            channel="telegram", status="submitted",
        )  # fmt: skip
        s.add(submission)
        s.flush()
        incident = Incident(
            commune_id=roster.commune_id,
            submission_id=submission.id or 0, unit_id=unit, reporter_member_id=head,
            created_at=at, updated_at=at,
        )  # fmt: skip
        s.add(incident)
        s.flush()
        _, notice = open_ladder(s, settings, incident, at)
        assert "đang gửi cảnh báo tới Người police_chief" in notice
        return incident.id or 0


async def test_the_ladder_runs_only_while_leading_and_wakes_the_outbox(
    engine: Engine, settings: Settings
) -> None:
    start = datetime(2025, 9, 12, 16, 0, tzinfo=UTC)  # 23:00 local: quiet hours do not apply
    _open_incident(engine, settings, start)
    later = start.replace(minute=6)
    follower = SchedulerRunner(engine, settings, leader=FixedLeader(False), clock=lambda: later)
    await follower.check_leadership()
    assert await follower.ladder_tick() is None
    woken: list[bool] = []
    leader = SchedulerRunner(
        engine,
        settings,
        leader=FixedLeader(True),
        on_enqueued=lambda: woken.append(True),
        clock=lambda: later,
    )
    await leader.check_leadership()
    added = await leader.ladder_tick()
    assert added is not None and added > 0 and woken == [True]
    assert await leader.ladder_tick() == 0 and woken == [True]  # each rung once
