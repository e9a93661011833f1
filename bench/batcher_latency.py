"""Does the webhook batcher add latency to a lone update? Measured in-process on SQLite.

The same updates, one at a time (each waits for the previous answer, as a quiet commune
sends them), handed to the engine two ways from asyncio: straight to a worker thread
(``asyncio.to_thread(engine.handle, event)``, what the webhook did before group commit) and
through :class:`bot.channels.batcher.Batcher` (what it does now). Rounds interleaved,
medians of ``BENCH_REPEATS`` rounds.

    python -m bench.batcher_latency
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

from bench.dialog_throughput import FORM, database, seed
from bench.ptb_conversation import raw_updates
from bench.report import markdown_table, percentile, repeats
from bot.channels.batcher import Batcher
from bot.channels.telegram_inbound import to_event
from bot.core.engine import Engine, Outcome
from bot.core.forms.loader import load_form


async def _one_by_one(updates: list[dict[str, Any]], batched: bool) -> list[float]:
    latencies = []
    with database("sqlite", None) as ctx:
        seed(ctx, len(updates) // 8)
        form = load_form(FORM)
        engine = Engine(ctx, forms={form.id: form})
        batcher = Batcher(engine)
        for data in updates:
            event = to_event(data)
            assert event is not None
            started = time.perf_counter()
            if batched:
                outcome = await batcher.submit(event)
            else:
                outcome = await asyncio.to_thread(engine.handle, event)
            latencies.append(time.perf_counter() - started)
            assert outcome is Outcome.HANDLED
    return latencies


def run(dialogs: int = 50, rounds: int = 3) -> list[dict[str, Any]]:
    updates = raw_updates(dialogs)
    runs_of: dict[str, list[list[float]]] = {"to_thread(engine.handle)": [], "Batcher.submit": []}
    for _ in range(rounds):
        runs_of["to_thread(engine.handle)"].append(asyncio.run(_one_by_one(updates, False)))
        runs_of["Batcher.submit"].append(asyncio.run(_one_by_one(updates, True)))
    rows = []
    for name, runs in runs_of.items():
        rows.append(
            {
                "lone updates via": name,
                "updates": len(updates),
                "rounds": rounds,
                "p50_ms": round(statistics.median(percentile(r, 0.5) for r in runs) * 1000, 3),
                "p99_ms": round(statistics.median(percentile(r, 0.99) for r in runs) * 1000, 3),
            }
        )
    return rows


if __name__ == "__main__":
    print(markdown_table(run(rounds=repeats())))
