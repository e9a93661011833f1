"""The end-to-end benchmark still runs: both servers answer every update (tiny size)."""

from __future__ import annotations

from bench import http_e2e


def test_both_servers_answer_every_update_over_http() -> None:
    rows = http_e2e.run(users=4, pg_url=None, rounds=1)
    assert [row["variant"] for row in rows] == [
        "PTB Application + Starlette webhook (memory)",
        "Tin Báo tinbao run webhook, SQLite, 1 worker",
    ]
    assert all(row["errors"] == 0 and row["updates"] == 4 * 8 for row in rows)
