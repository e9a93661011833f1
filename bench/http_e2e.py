"""End to end over HTTP: webhook in, replies out to the Bot API, ours beside PTB's.

Both sides are real servers in their own process, answering the same Bot API updates (the
bench form's dialogs, :func:`bench.ptb_conversation.raw_updates`) posted to their webhook,
and both send their replies to the same local fake Telegram (:class:`tests.fakes.FakeTelegram`):

- **PTB**: :mod:`bench.ptb_webhook_app` — a python-telegram-bot ``Application`` fed by a
  Starlette webhook, ConversationHandler, state in memory; its 200 means "queued";
- **Tin Báo**: ``tinbao run`` in webhook mode (one worker, batching on): its 200 comes after
  the commit of the batch that holds the update; replies go through the durable outbox.
  The outbox's pacing is lifted to the fake's pace (``TELEGRAM_RATE_PER_SECOND``,
  ``CHAT_RATE_PER_SECOND``): PTB sends unpaced, and real Telegram's ~1 message/s per chat
  would measure Telegram, not the bots.

The load is the same for both: ``CONNECTIONS`` concurrent posters, each with its share of
the users, posting every user's next update once the previous one was answered (as Telegram
does per chat). *updates/s* is all updates over the time from the first request until the
last reply reached the fake (PTB: every expected sendMessage and answerCallbackQuery; ours:
every update committed and no outbox row left unsent). Latency is the webhook request's.
Each side runs ``BENCH_REPEATS`` times (rounds interleaved); medians, and the rate's spread.

    python -m bench.http_e2e            # BENCH_E2E_USERS=200 BENCH_REPEATS=3
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from bench.dialog_throughput import FORM, seed
from bench.pg import DEFAULT_PG_URL, fresh_schema, postgres_available
from bench.ptb_conversation import STEPS, raw_updates
from bench.report import markdown_table, percentile, repeats
from bot.context import AppContext
from bot.settings import load_settings
from tests.fakes import FakeTelegram
from tests.faults.support import free_port, migrated, reader, webhook_worker

SECRET = "bench-e2e_secret"
CONNECTIONS = 16
WEBHOOK_PATH = "/telegram/webhook"
Done = Callable[[], bool]


@dataclass(frozen=True)
class Run:
    seconds: float  # first request → last reply at the fake
    latencies: list[float]  # per webhook request
    errors: int  # non-200 answers and failed connections


async def _drive(url: str, updates: list[dict[str, Any]], done: Done, timeout: float) -> Run:
    """Post each user's updates in order, users spread over CONNECTIONS posters."""
    by_user: dict[int, list[dict[str, Any]]] = {}
    for update in updates:
        holder = update.get("message") or update["callback_query"]
        by_user.setdefault(int(holder["from"]["id"]), []).append(update)
    users = sorted(by_user)
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=CONNECTIONS, max_keepalive_connections=CONNECTIONS)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as http:

        async def poster(mine: list[int]) -> None:
            nonlocal errors
            for step in range(STEPS):
                for user in mine:
                    started = time.perf_counter()
                    try:
                        answer = await http.post(url, json=by_user[user][step])
                    except httpx.HTTPError:
                        errors += 1
                        continue
                    latencies.append(time.perf_counter() - started)
                    errors += answer.status_code != 200

        started = time.perf_counter()
        await asyncio.gather(*(poster(users[i::CONNECTIONS]) for i in range(CONNECTIONS)))
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise RuntimeError("the replies did not all arrive in time")
            await asyncio.sleep(0.02)
        return Run(time.perf_counter() - started, latencies, errors)


async def _wait_until_up(url: str, alive: Callable[[], bool], log: Callable[[], str]) -> None:
    async with httpx.AsyncClient() as http:
        for _ in range(600):
            try:
                await http.post(url, content=b"{}")
                return
            except httpx.TransportError:
                if not alive():
                    break
                await asyncio.sleep(0.1)
    raise RuntimeError(f"the server at {url} did not start:\n{log()}")


def run_ptb(fake: FakeTelegram, updates: list[dict[str, Any]], workdir: Path) -> Run:
    fake.reset()
    port = free_port()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    log = workdir / "ptb.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bench.ptb_webhook_app", str(port), fake.url, fake.token],
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=Path(__file__).parent.parent,
        )
    users = len(updates) // STEPS
    messages = users * STEPS  # one sendMessage per update
    try:
        asyncio.run(_wait_until_up(url, lambda: proc.poll() is None, log.read_text))

        def done() -> bool:
            return (
                fake.count_calls("sendMessage") >= messages
                and fake.count_calls("answerCallbackQuery") >= users
            )

        return asyncio.run(_drive(url, updates, done, 600))
    finally:
        proc.terminate()
        proc.wait(30)


def run_ours(fake: FakeTelegram, updates: list[dict[str, Any]], db_url: str, workdir: Path) -> Run:
    fake.reset()
    setup = migrated(db_url)
    ctx = AppContext(load_settings(_env_file=None, database_url=db_url), setup)
    seed(ctx, len(updates) // STEPS)
    setup.dispose()
    forms = workdir / "forms"
    forms.mkdir(exist_ok=True)
    (forms / FORM.name).write_text(FORM.read_text(encoding="utf-8"), encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    worker = webhook_worker(
        workdir,
        0,
        port,
        db_url,
        fake,
        SECRET,
        forms_dir=forms,
        telegram_rate_per_second=100_000,
        chat_rate_per_second=1_000,
    )
    db = reader(db_url)
    worker.start()
    try:
        asyncio.run(_wait_until_up(url, lambda: worker.alive, worker.log_tail))
        total = len(updates)
        return asyncio.run(_drive(url, updates, lambda: _all_sent(db, total), 600))
    finally:
        worker.stop()
        db.dispose()


def _all_sent(db: Engine, updates: int) -> bool:
    with db.connect() as conn:
        processed = conn.execute(text("SELECT count(*) FROM processedupdate")).scalar_one()
        unsent = conn.execute(
            text("SELECT count(*) FROM outboxmessage WHERE status <> 'sent'")
        ).scalar_one()
    return int(processed) >= updates and int(unsent) == 0


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _row(name: str, runs: list[Run], updates: int, base: list[Run] | None) -> dict[str, Any]:
    rates = [updates / r.seconds for r in runs]
    row: dict[str, Any] = {
        "variant": name,
        "updates": updates,
        "rounds": len(runs),
        "updates_per_s": round(statistics.median(rates), 1),
        "rate_spread": f"{min(rates):.0f}–{max(rates):.0f}",
        "request_p50_ms": _ms(statistics.median(percentile(r.latencies, 0.5) for r in runs)),
        "request_p99_ms": _ms(statistics.median(percentile(r.latencies, 0.99) for r in runs)),
        "errors": sum(r.errors for r in runs),
    }
    if base is None:
        row["vs_ptb"] = 1.0
    else:
        ratios = [b.seconds / r.seconds for r, b in zip(runs, base, strict=True)]
        row["vs_ptb"] = round(statistics.median(ratios), 3)
    return row


def run(
    users: int = 200, pg_url: str | None = DEFAULT_PG_URL, rounds: int = 3
) -> list[dict[str, Any]]:
    updates = raw_updates(users)
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        use_pg = bool(pg_url) and postgres_available(pg_url or "")
        ptb: list[Run] = []
        lite: list[Run] = []
        pg: list[Run] = []
        for round_no in range(rounds):
            ptb.append(run_ptb(fake, updates, workdir))
            db = workdir / f"lite{round_no}" / "tinbao.db"
            lite.append(run_ours(fake, updates, f"sqlite:///{db}", workdir))
            if use_pg:
                assert pg_url is not None
                with fresh_schema(pg_url) as url:
                    pg.append(run_ours(fake, updates, url, workdir))
    rows = [_row("PTB Application + Starlette webhook (memory)", ptb, len(updates), None)]
    rows.append(_row("Tin Báo tinbao run webhook, SQLite, 1 worker", lite, len(updates), ptb))
    if pg:
        rows.append(_row("Tin Báo tinbao run webhook, PostgreSQL, 1 worker", pg, len(updates), ptb))
    return rows


if __name__ == "__main__":
    print(markdown_table(run(int(os.environ.get("BENCH_E2E_USERS", "200")), rounds=repeats())))
