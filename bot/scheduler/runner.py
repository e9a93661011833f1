"""The scheduler loop: APScheduler runs a reminder round every minute while we lead, and
the urgent-alert ladder every :data:`LADDER_SECONDS` (alerts ignore quiet hours).

Jobs run on the application's asyncio loop; the database work goes to a thread
(``asyncio.to_thread``) so the bots keep answering meanwhile. Leadership is checked (and the
SQLite lease renewed) every 30 s; only the leader runs rounds. Even if two processes both
believed they led for a moment, the outbox dedupe keys keep every reminder single.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Engine

from bot.core.forms import Form
from bot.core.forms.loader import load_configured_forms
from bot.scheduler.answers import answer_round
from bot.scheduler.leader import Leader, make_leader
from bot.scheduler.reminders import RoundResult, run_round
from bot.settings import Settings
from handlers.alert_ladder import run_ladder
from handlers.drafts import remind_stale_drafts
from storage.types import utcnow

log = logging.getLogger(__name__)

ROUND_SECONDS = 60
LEASE_SECONDS = 30
#: How often unacknowledged alerts are looked at: an escalation is at most this late, and a
#: rung whose every message failed is passed within this time.
LADDER_SECONDS = 15


class SchedulerRunner:
    """Start inside a running event loop; ``on_enqueued`` (e.g. the outbox's ``wake``) is
    called after a round that added messages."""

    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        leader: Leader | None = None,
        on_enqueued: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
        forms: dict[str, Form] | None = None,
    ) -> None:
        self._engine = engine
        self._forms = forms if forms is not None else load_configured_forms(settings)
        self._settings = settings
        self._leader = leader or make_leader(engine)
        self._on_enqueued = on_enqueued
        self._clock = clock
        self._leading = False
        self._scheduler = AsyncIOScheduler(timezone=settings.tz)

    @property
    def leading(self) -> bool:
        return self._leading

    def start(self) -> None:
        now = self._clock()
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": 30}
        self._scheduler.add_job(
            self.check_leadership, "interval", seconds=LEASE_SECONDS, next_run_time=now, **common
        )
        self._scheduler.add_job(
            self.tick, "interval", seconds=ROUND_SECONDS, next_run_time=now, **common
        )
        self._scheduler.add_job(
            self.ladder_tick, "interval", seconds=LADDER_SECONDS, next_run_time=now, **common
        )
        self._scheduler.start()

    async def shutdown(self) -> None:
        self._scheduler.shutdown(wait=False)
        if self._leading:
            await asyncio.to_thread(self._leader.release)
            self._leading = False

    async def check_leadership(self) -> bool:
        try:
            self._leading = await asyncio.to_thread(self._leader.acquire)
        except Exception:  # database unreachable: stop leading until it answers again
            log.exception("scheduler leadership check failed")
            self._leading = False
        return self._leading

    async def ladder_tick(self) -> int | None:
        """Climb the alert ladders that are due, if we lead (leadership is checked by its own
        job every 30 s; the dedupe keys keep a stale leader from sending anything twice)."""
        if not self._leading:
            return None
        added = await asyncio.to_thread(run_ladder, self._engine, self._settings, self._clock())
        if added:
            log.info("alert ladder: %d messages", added)
            if self._on_enqueued is not None:
                self._on_enqueued()
        return added

    async def tick(self) -> RoundResult | None:
        """One round if we lead; None otherwise."""
        if not await self.check_leadership():
            return None
        now = self._clock()
        result = await asyncio.to_thread(run_round, self._engine, self._settings, now)
        drafts = await asyncio.to_thread(
            remind_stale_drafts, self._engine, self._forms, now, self._settings
        )
        drafts += await asyncio.to_thread(answer_round, self._engine, self._settings, now)
        if drafts and self._on_enqueued is not None:
            self._on_enqueued()
        if result.enqueued:
            log.info("reminder round: %d messages (%s)", result.enqueued, dict(result.by_kind))
            if self._on_enqueued is not None:
                self._on_enqueued()
        return result
