"""Dialog throughput per process: the same six-question form, the same updates, several ways.

(a) python-telegram-bot's own ConversationHandler, state in a per-process dict (the
baseline, :mod:`bench.ptb_conversation`); (b) the Tin Báo engine on SQLite and (c) on
PostgreSQL, each with batches of 1 (one transaction per update) and of 50 (group commit: one
transaction per batch, a savepoint per update). Every update starts as raw Bot API JSON and
goes through each side's own reading of it (PTB: ``Update.de_json``; ours:
:func:`bot.channels.telegram_inbound.to_event`) to the handler. Neither side touches the
network: PTB's requests are answered in-process, and our engine's replies land in the outbox
table — durably, in the same transaction as the dialog state: that durability is the point.

The updates are interleaved as a busy commune sends them (every user's first step, then
every second step…), so a batch of 50 holds 50 chats. An update's latency is from the start
of its batch to the batch's commit (a batch's updates arrive together and are acknowledged
together). The machine is shared: each variant runs ``BENCH_REPEATS`` times (default 3),
rounds interleaved, on a fresh database each time; the table gives medians and the spread of
the rate, and each ratio is the median of per-round ratios against the baseline of the same
round. Every variant first runs once untimed (50 dialogs), so no variant's figures include
the process's first-run costs.

    python -m bench.dialog_throughput          # BENCH_DIALOGS=300 BENCH_REPEATS=3
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session, select
from telegram import Update
from telegram.ext import Application

from bench.pg import DEFAULT_PG_URL, fresh_schema, postgres_available
from bench.ptb_conversation import STEPS, InProcessRequest, conversation, raw_updates
from bench.report import markdown_table, percentile, repeats
from bot.channels.telegram_inbound import to_event
from bot.context import AppContext, open_context
from bot.core.engine import Engine, Outcome
from bot.core.forms.loader import load_form
from bot.settings import load_settings
from storage.db import transaction
from storage.models import Commune, Member, Submission, Unit

FORM = Path(__file__).with_name("bench_form.yaml")
TOKEN = "123:bench"
BATCH_SIZES = (1, 10, 50)
WARM_UP_DIALOGS = 50


@dataclass(frozen=True)
class Measured:
    latencies: list[float]  # seconds, one per update
    wall: float  # seconds for all updates
    cpu: float  # process CPU seconds for all updates


# --- (a) the baseline -----------------------------------------------------------------------
async def _run_baseline(updates: list[dict[str, Any]]) -> Measured:
    store: dict[int, dict[str, str]] = {}
    app = Application.builder().token(TOKEN).request(InProcessRequest()).updater(None).build()
    app.add_handler(conversation(store))
    await app.initialize()
    latencies = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for data in updates:
        start_at = time.perf_counter()
        await app.process_update(Update.de_json(data, app.bot))
        latencies.append(time.perf_counter() - start_at)
    measured = Measured(
        latencies, time.perf_counter() - wall_start, time.process_time() - cpu_start
    )
    await app.shutdown()
    assert len(store) == len(updates) // STEPS, "the baseline did not finish every dialog"
    return measured


def run_baseline(updates: list[dict[str, Any]]) -> Measured:
    return asyncio.run(_run_baseline(updates))


# --- (b, c) our engine -----------------------------------------------------------------------
def seed(ctx: AppContext, dialogs: int, first_user: int = 1) -> None:
    """One commune, one village, ``dialogs`` village heads linked to Telegram users."""
    with transaction(ctx.engine) as s:
        commune = Commune(
            code=21154,
            name="Xã Tây Trà",
            short_name="Tây Trà",
            province_code=51,
            province_name="Quảng Ngãi",
        )
        s.add(commune)
        s.flush()
        unit = Unit(commune_id=commune.id or 0, name="Thôn Trà Xinh", kind="village")
        s.add(unit)
        s.flush()
        for user in range(first_user, first_user + dialogs):
            s.add(
                Member(
                    unit_id=unit.id or 0,
                    full_name=f"Người {user}",
                    phone=f"09{user:08d}",
                    roles=["village_head"],
                    telegram_user_id=str(user),
                    telegram_chat_id=str(user),
                )
            )


def run_engine(ctx: AppContext, updates: list[dict[str, Any]], batch_size: int) -> Measured:
    form = load_form(FORM)
    engine = Engine(ctx, forms={form.id: form})
    latencies: list[float] = []
    cpu_start, wall_start = time.process_time(), time.perf_counter()
    for first in range(0, len(updates), batch_size):
        start_at = time.perf_counter()
        events = [to_event(data) for data in updates[first : first + batch_size]]
        outcomes = engine.handle_batch([e for e in events if e is not None])
        took = time.perf_counter() - start_at
        assert set(outcomes) == {Outcome.HANDLED}, outcomes
        latencies += [took] * len(outcomes)
    return Measured(latencies, time.perf_counter() - wall_start, time.process_time() - cpu_start)


def complete_reports(ctx: AppContext) -> int:
    """How many reports were filed with all six answers (every dialog files one)."""
    with Session(ctx.engine) as s:
        return sum(len(row.answers) == STEPS - 2 for row in s.exec(select(Submission)).all())


@contextmanager
def database(kind: str, pg_url: str | None) -> Iterator[AppContext]:
    if kind == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            ctx = open_context(load_settings(_env_file=None, data_dir=Path(tmp)))
            try:
                yield ctx
            finally:
                ctx.close()
        return
    assert pg_url is not None
    with fresh_schema(pg_url) as url:
        ctx = open_context(load_settings(_env_file=None, database_url=url))
        try:
            yield ctx
        finally:
            ctx.close()


# --- the table -------------------------------------------------------------------------------
def summarise(
    name: str, rounds: list[Measured], baselines: list[Measured] | None
) -> dict[str, Any]:
    """Medians over the rounds: wall-clock rate, latencies, CPU per update (steadier on a
    shared VM than wall time); the rate's spread says how noisy the rounds were."""
    rates = [len(m.latencies) / m.wall for m in rounds]
    p50s = [statistics.median(m.latencies) for m in rounds]
    p99s = [percentile(m.latencies, 0.99) for m in rounds]
    cpus = [m.cpu / len(m.latencies) for m in rounds]
    row: dict[str, Any] = {
        "variant": name,
        "updates": len(rounds[0].latencies),
        "rounds": len(rounds),
        "updates_per_s": round(statistics.median(rates), 1),
        "rate_spread": f"{min(rates):.0f}–{max(rates):.0f}",
        "p50_ms": round(statistics.median(p50s) * 1000, 3),
        "p99_ms": round(statistics.median(p99s) * 1000, 3),
        "cpu_ms_per_update": round(statistics.median(cpus) * 1000, 3),
    }
    if baselines is None:
        row["vs_baseline"] = 1.0
        row["cpu_vs_baseline"] = 1.0
        return row
    ratios = [r / (len(b.latencies) / b.wall) for r, b in zip(rates, baselines, strict=True)]
    cpu_ratios = [(b.cpu / len(b.latencies)) / c for c, b in zip(cpus, baselines, strict=True)]
    row["vs_baseline"] = round(statistics.median(ratios), 3)
    row["cpu_vs_baseline"] = round(statistics.median(cpu_ratios), 3)
    return row


def run(
    dialogs: int = 300, pg_url: str | None = DEFAULT_PG_URL, rounds: int = 3
) -> list[dict[str, Any]]:
    updates = raw_updates(dialogs)
    kinds = ["sqlite"] + (["postgres"] if pg_url and postgres_available(pg_url) else [])
    variants: dict[str, Callable[[list[dict[str, Any]]], Measured]] = {}
    for kind in kinds:
        for size in BATCH_SIZES:

            def one(batch: list[dict[str, Any]], kind: str = kind, size: int = size) -> Measured:
                with database(kind, pg_url) as ctx:
                    seed(ctx, len(batch) // STEPS)
                    measured = run_engine(ctx, batch, size)
                    assert complete_reports(ctx) == len(batch) // STEPS, "a dialog did not finish"
                    return measured

            label = "SQLite" if kind == "sqlite" else "PostgreSQL"
            variants[f"Tin Báo engine, {label} (durable), batch {size}"] = one
    # One untimed pass of every variant first: the timed rounds compare steady states, not
    # whose first run paid for imports, compiled statements and warm caches.
    warm_up = raw_updates(WARM_UP_DIALOGS)
    run_baseline(warm_up)
    for measure in variants.values():
        measure(warm_up)
    baselines: list[Measured] = []
    results: dict[str, list[Measured]] = {name: [] for name in variants}
    for _ in range(rounds):  # rounds interleaved: a noisy minute hits every variant alike
        baselines.append(run_baseline(updates))
        for name, measure in variants.items():
            results[name].append(measure(updates))
    rows = [summarise("PTB ConversationHandler (memory)", baselines, None)]
    rows += [summarise(name, measured, baselines) for name, measured in results.items()]
    return rows


if __name__ == "__main__":
    print(markdown_table(run(int(os.environ.get("BENCH_DIALOGS", "300")), rounds=repeats())))
