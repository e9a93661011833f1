"""The dialog benchmarks still run and check what they claim (tiny sizes, SQLite only)."""

from __future__ import annotations

from bench import batcher_latency, dialog_throughput


def test_dialog_throughput_runs_every_variant_and_finishes_every_dialog() -> None:
    rows = dialog_throughput.run(dialogs=3, pg_url=None, rounds=1)
    assert [row["variant"] for row in rows] == [
        "PTB ConversationHandler (memory)",
        "Tin Báo engine, SQLite (durable), batch 1",
        "Tin Báo engine, SQLite (durable), batch 10",
        "Tin Báo engine, SQLite (durable), batch 50",
    ]
    assert all(row["updates"] == 3 * 8 and row["updates_per_s"] > 0 for row in rows)
    assert rows[0]["vs_baseline"] == 1.0 and rows[1]["vs_baseline"] > 0


def test_batcher_latency_compares_both_ways() -> None:
    rows = batcher_latency.run(dialogs=2, rounds=1)
    assert [row["lone updates via"] for row in rows] == [
        "to_thread(engine.handle)",
        "Batcher.submit",
    ]
    assert all(row["p50_ms"] > 0 for row in rows)
