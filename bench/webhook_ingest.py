"""Webhook ingest: how many Telegram updates per second ``tinbao run`` accepts and processes.

A load generator on loopback posts Telegram updates to the webhook endpoint of real
``tinbao run`` processes (webhook mode, the bot API being the local FakeTelegram): one
worker, then two workers sharing one fresh PostgreSQL schema (and, for comparison, one worker
on SQLite). Every update is a registered member typing a greeting with no report open, so the
engine looks the member up, opens their dialog row, records the update key and queues the
menu as the reply — one transaction per update, committed before the 200.

The load comes from ``wrk`` (Debian package ``wrk``) with a Lua script that gives every
request a fresh ``update_id`` and spreads them over the members; without ``wrk`` an httpx
async load generator does the same, more slowly (it then competes for the same two cores).

*machine_cpu_busy_pct* is how busy the machine's cores were meanwhile (``/proc/stat``):
workers, database server, load generator and fake Bot API share them, so where one worker
already keeps them busy a second cannot add throughput, only share it.

*accepted/s* counts HTTP 200 answers; *processed/s* counts rows added to ProcessedUpdate in
the measured window (an update is answered 200 only after its commit, so they agree up to the
requests in flight when the window closes). Replies are delivered by the workers' outbox
senders at Telegram's pace meanwhile (30/s per bot); the backlog left is reported.

    python -m bench.webhook_ingest [seconds]
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from bench.pg import DEFAULT_PG_URL, fresh_schema, postgres_available
from bench.report import markdown_table, repeats
from storage.db import make_engine
from tests.fakes import FakeTelegram
from tests.faults.support import (
    BotProcess,
    free_port,
    migrated,
    seed_field_units,
    webhook_worker,
)

SECRET = "bench-ingest_secret"
MEMBERS = 500
FIRST_UID = 500_001
CONNECTIONS_PER_WORKER = 16
WEBHOOK_PATH = "/telegram/webhook"

LUA = r"""
-- args: first update id, members, first user id, secret
local counter = 0
local n = 0
function setup(thread)
  thread:set("tid", n)
  n = n + 1
end
function init(args)
  base = tonumber(args[1]); members = tonumber(args[2]); first_uid = tonumber(args[3])
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Telegram-Bot-Api-Secret-Token"] = args[4]
end
function request()
  counter = counter + 1
  local uid = first_uid + ((counter * 7919 + tid * 104729) % members)
  local update_id = base + tid * 10000000 + counter
  local body = string.format(
    '{"update_id":%d,"message":{"message_id":%d,"date":%d,' ..
    '"chat":{"id":%d,"type":"private","first_name":"U"},' ..
    '"from":{"id":%d,"is_bot":false,"first_name":"U"},"text":"xin ch\\u00e0o"}}',
    update_id, counter, os.time(), uid, uid)
  return wrk.format(nil, nil, nil, body)
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"non2xx":%d,"timeouts":%d,' ..
    '"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.status, e.timeout,
    e.connect + e.read + e.write, latency:percentile(50), latency:percentile(99)))
end
"""


def _update(update_id: int, uid: int) -> dict[str, Any]:
    chat = {"id": uid, "type": "private", "first_name": "U"}
    sender = {"id": uid, "is_bot": False, "first_name": "U"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": chat,
            "from": sender,
            "text": "xin chào",
        },
    }


def _wrk(urls: list[str], seconds: float, base: int, script: Path) -> list[dict[str, Any]]:
    """One wrk per worker, at the same time; their RESULT lines."""
    procs = [
        subprocess.Popen(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS_PER_WORKER}",
                f"-d{seconds:.0f}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                url,
                "--",
                str(base + i * 1_000_000_000),
                str(MEMBERS),
                str(FIRST_UID),
                SECRET,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for i, url in enumerate(urls)
    ]
    results = []
    for proc in procs:
        out, _ = proc.communicate(timeout=seconds + 60)
        line = next((x for x in out.splitlines() if x.startswith("RESULT ")), None)
        if line is None:
            raise RuntimeError(f"wrk gave no result:\n{out}")
        results.append(json.loads(line.removeprefix("RESULT ")))
    return results


async def _httpx_load(urls: list[str], seconds: float, base: int) -> list[dict[str, Any]]:
    """The fallback generator: CONNECTIONS_PER_WORKER concurrent posters per worker."""
    ids = itertools.count(base)
    results = []
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as http:

        async def poster(url: str, stats: dict[str, Any]) -> None:
            while time.monotonic() < deadline:
                update_id = next(ids)
                body = _update(update_id, FIRST_UID + update_id % MEMBERS)
                started = time.perf_counter()
                try:
                    answer = await http.post(url, json=body, timeout=10)
                except httpx.HTTPError:
                    stats["socket_errors"] += 1
                    continue
                stats["latencies"].append(time.perf_counter() - started)
                stats["requests"] += 1
                stats["non2xx"] += answer.status_code != 200

        for _ in urls:
            stats: dict[str, Any] = {"requests": 0, "non2xx": 0, "socket_errors": 0}
            stats["latencies"] = []
            results.append(stats)
        await asyncio.gather(
            *(
                poster(url, stats)
                for url, stats in zip(urls, results, strict=True)
                for _ in range(CONNECTIONS_PER_WORKER)
            )
        )
    for stats in results:
        ordered = sorted(stats.pop("latencies")) or [0.0]
        stats.update(
            duration_us=int(seconds * 1e6),
            timeouts=0,
            p50_us=int(ordered[len(ordered) // 2] * 1e6),
            p99_us=int(ordered[int(len(ordered) * 0.99)] * 1e6),
        )
    return results


def _load(urls: list[str], seconds: float, base: int, workdir: Path) -> list[dict[str, Any]]:
    if shutil.which("wrk"):
        script = workdir / "ingest.lua"
        script.write_text(LUA, encoding="utf-8")
        return _wrk(urls, seconds, base, script)
    return asyncio.run(_httpx_load(urls, seconds, base))


_CLOCK_TICKS = os.sysconf("SC_CLK_TCK")  # /proc/stat counts in these per second


def _cpu_ticks() -> tuple[int, int]:
    """(busy, total) jiffies of the whole machine so far (Linux ``/proc/stat``)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
    return sum(fields) - idle, sum(fields)


def _processed(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM processedupdate")).scalar_one())


def _backlog(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                text("SELECT count(*) FROM outboxmessage WHERE status <> 'sent'")
            ).scalar_one()
        )


def _wait_up(url: str, bot: BotProcess) -> None:
    for _ in range(600):
        try:
            if (
                httpx.post(
                    url, content=b"{}", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
                ).status_code
                == 400
            ):
                return
        except httpx.TransportError:
            pass
        if not bot.alive:
            break
        time.sleep(0.1)
    raise RuntimeError(f"worker at {url} did not start:\n{bot.log_tail()}")


def measure(
    label: str, db_url: str, workers: int, seconds: float, fake: FakeTelegram, workdir: Path
) -> dict[str, Any]:
    setup = migrated(db_url)
    seed_field_units(setup, MEMBERS, first_uid=FIRST_UID)
    setup.dispose()
    engine = make_engine(db_url)
    ports = [free_port() for _ in range(workers)]
    urls = [f"http://127.0.0.1:{port}{WEBHOOK_PATH}" for port in ports]
    with ExitStack() as stack:
        procs = []
        for i, port in enumerate(ports):
            bot = webhook_worker(workdir, i, port, db_url, fake, SECRET)
            bot.start()
            stack.callback(bot.stop)
            procs.append(bot)
        for url, bot in zip(urls, procs, strict=True):
            _wait_up(url, bot)
        _load(urls, 2, 1, workdir)  # warm up: connections, caches, JIT-free but still
        before, started = _processed(engine), time.monotonic()
        busy_before, total_before = _cpu_ticks()
        results = _load(urls, seconds, 10_000_000_000, workdir)
        busy_after, total_after = _cpu_ticks()
        elapsed = time.monotonic() - started
        processed = _processed(engine) - before
        backlog = _backlog(engine)
    engine.dispose()
    duration = max(r["duration_us"] for r in results) / 1e6
    accepted = sum(r["requests"] - r["non2xx"] for r in results)
    return {
        "variant": label,
        "workers": workers,
        "load": ("wrk" if shutil.which("wrk") else "httpx")
        + f" {CONNECTIONS_PER_WORKER * workers} conn",
        "seconds": round(duration, 1),
        "accepted_per_s": round(accepted / duration, 1),
        "processed_per_s": round(processed / elapsed, 1),
        "non_2xx": sum(r["non2xx"] for r in results),
        "errors": sum(r["socket_errors"] + r["timeouts"] for r in results),
        "p50_ms": round(max(r["p50_us"] for r in results) / 1000, 1),
        "p99_ms": round(max(r["p99_us"] for r in results) / 1000, 1),
        "reply_backlog": backlog,
        # How busy both cores were (workers, database, load generator, fake Bot API): with
        # one worker near 100 %, a second worker has no core of its own to run on.
        "machine_cpu_busy_pct": round(
            100 * (busy_after - busy_before) / max(1, total_after - total_before)
        ),
        # All cores' busy time per processed update: equal for one and two workers means the
        # second worker costs nothing extra (no lock waits or retries), it only lacks a core.
        "machine_cpu_ms_per_update": round(
            1000 * (busy_after - busy_before) / _CLOCK_TICKS / max(1, processed), 2
        ),
    }


def run(
    seconds: float = 10.0, pg_url: str | None = DEFAULT_PG_URL, rounds: int | None = None
) -> list[dict[str, Any]]:
    """Every variant ``rounds`` times (``BENCH_REPEATS``), rounds interleaved; per variant the
    round with the median rate, and for two workers the median of the per-round ratios to
    one worker (``vs_1_worker``): single rounds on this shared 2-core machine vary by ±30 %."""
    rounds = rounds or repeats()
    measured: dict[str, list[dict[str, Any]]] = {}
    with FakeTelegram() as fake, tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        use_pg = bool(pg_url) and postgres_available(pg_url or "")
        for round_no in range(rounds):
            if use_pg:
                assert pg_url is not None
                for workers in (1, 2):
                    with fresh_schema(pg_url) as url:
                        row = measure("PostgreSQL", url, workers, seconds, fake, workdir)
                    measured.setdefault(f"pg{workers}", []).append(row)
                    fake.reset()
            lite = workdir / f"lite{round_no}"
            row = measure("SQLite", f"sqlite:///{lite / 'tinbao.db'}", 1, seconds, fake, workdir)
            measured.setdefault("lite", []).append(row)
            fake.reset()
    rows = []
    for key, runs in measured.items():
        ordered = sorted(runs, key=lambda r: float(r["accepted_per_s"]))
        row = dict(ordered[len(ordered) // 2], rounds=len(runs))
        row["rate_spread"] = (
            f"{ordered[0]['accepted_per_s']:.0f}–{ordered[-1]['accepted_per_s']:.0f}"
        )
        row["vs_1_worker"] = 1.0 if key == "pg1" else ""
        if key == "pg2":
            ratios = [
                two["accepted_per_s"] / one["accepted_per_s"]
                for one, two in zip(measured["pg1"], runs, strict=True)
            ]
            row["vs_1_worker"] = round(statistics.median(ratios), 2)
        rows.append(row)
    return rows


if __name__ == "__main__":
    length = (
        float(sys.argv[1])
        if len(sys.argv) > 1
        else float(os.environ.get("BENCH_INGEST_SECONDS", "10"))
    )
    print(markdown_table(run(length)))
