"""Alert latency: from an urgent report's submit to the first alert reaching a police chat.

A real ``tinbao run`` process (webhook mode: engine, outbox sender, scheduler — the main job
as production runs it) talks to the local FakeTelegram over HTTP. The province has
``COMMUNES`` communes, each with its commune police (three members on Telegram), a military
command, an office and one village head. Every village head files the urgent form
(``doi_tuong_kha_nghi``) ``alerts / COMMUNES`` times in a row, all communes at once, posting
Telegram updates to the webhook the way Telegram would: each update only once the previous
one is committed and answered (see :class:`tests.faults.support.Crowd`).

*alert*: time from posting the submitting update (the «Gửi báo cáo» press) to the first
``sendMessage`` of that incident's alert reaching any of the commune's police chats.
*reply* (the baseline, same run): time from posting any other update of the form to the first
``sendMessage`` answering it in the reporter's own chat — the ordinary dialog round trip
through the same webhook, engine, outbox and sender. Both are wall time on loopback; other
work on this 2-core machine moves them, so compare the two (the ratio) rather than quote
either alone.

    python -m bench.alert_latency [alerts]
"""

from __future__ import annotations

import asyncio
import bisect
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from starlette.responses import Response

from bench.pg import DEFAULT_PG_URL, fresh_schema, postgres_available
from bench.report import markdown_table
from storage.db import transaction
from storage.enums import Role, UnitKind
from storage.models import Commune, Member, Unit
from tests.fakes import FakeTelegram
from tests.faults.support import Crowd, SimUser, free_port, migrated, webhook_worker

SECRET = "bench-alert_secret"
COMMUNES = 20
POLICE_PER_COMMUNE = 3
TARGET_P99_S = 3.0
JSON = dict[str, Any]

#: One urgent report, as a village head answers it ("Hôm qua": the hour is always past).
REPORT: list[tuple[str, str]] = [
    ("say", "/baocao"),
    ("tap", "khả nghi"),
    ("say", "Bãi đất trống cuối thôn"),
    ("tap", "Hôm qua"),
    ("say", "7h15"),
    ("say", "3"),
    ("tap", "Nói tiếng nước ngoài"),
    ("tap", "Xong"),
    ("say", "Ba người mang ba lô lớn, đi về phía suối"),
    ("tap", "Bỏ qua"),
    ("tap", "09"),  # the registered phone offered as a button
    ("tap", "Gửi báo cáo"),
]
_ALERT = re.compile(r"TIN BÁO KHẨN #(\d+)")


class TimedTelegram(FakeTelegram):
    """The fake Bot API, noting when each sendMessage arrived (monotonic, this process)."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, int, str]] = []  # (when, chat id, text)

    async def _send_message(self, p: JSON) -> Response:
        self.arrivals.append((time.monotonic(), int(p.get("chat_id", 0)), str(p.get("text"))))
        return await super()._send_message(p)


@dataclass(frozen=True)
class CommuneChats:
    reporter: int
    police: tuple[int, ...]


@dataclass
class Posts:
    """When each update was posted, per reporter, and which were submits."""

    submits: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    others: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))


def seed(engine: Engine, communes: int) -> list[CommuneChats]:
    """``communes`` communes; every member already linked to a Telegram chat."""
    out: list[CommuneChats] = []
    with transaction(engine) as s:
        for c in range(communes):
            commune = Commune(
                code=90_000 + c,
                name=f"Xã Thử {c + 1:02d}",
                short_name=f"Thử {c + 1:02d}",
                province_code=51,
                province_name="Quảng Ngãi",
            )
            s.add(commune)
            s.flush()
            assert commune.id is not None
            base = 800_000 + c * 100

            def member(unit: Unit, n: int, name: str, roles: list[str], base: int = base) -> Member:
                uid = str(base + n)
                return Member(
                    unit_id=unit.id or 0,
                    full_name=name,
                    phone=f"09{base + n:08d}",
                    roles=roles,
                    telegram_user_id=uid,
                    telegram_chat_id=uid,
                )

            units = {
                kind: Unit(commune_id=commune.id, name=f"{label} xã Thử {c + 1:02d}", kind=kind)
                for kind, label in (
                    (UnitKind.POLICE, "Công an"),
                    (UnitKind.MILITARY, "Ban CHQS"),
                    (UnitKind.OFFICE, "Văn phòng"),
                    (UnitKind.VILLAGE, "Thôn Một"),
                )
            }
            s.add_all(units.values())
            s.flush()
            police = [
                member(units[UnitKind.POLICE], i, f"Công an {c}-{i}", [Role.POLICE])
                for i in range(1, POLICE_PER_COMMUNE + 1)
            ]
            others = [
                member(units[UnitKind.MILITARY], 10, f"Dân quân {c}", [Role.MILITIA]),
                member(units[UnitKind.OFFICE], 20, f"Lãnh đạo {c}", [Role.LEADER]),
                member(units[UnitKind.VILLAGE], 30, f"Trưởng thôn {c}", [Role.VILLAGE_HEAD]),
            ]
            s.add_all([*police, *others])
            s.flush()
            for unit, head in zip(units.values(), [police[0], *others], strict=True):
                unit.head_member_id = head.id
            out.append(CommuneChats(base + 30, tuple(base + i for i in range(1, 4))))
    return out


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _latencies(
    fake: TimedTelegram, communes: list[CommuneChats], posts: Posts
) -> tuple[list[float], list[float], int]:
    """(alert latencies, reply latencies, alerts never seen)."""
    first_alert: dict[int, float] = {}  # incident id → first arrival at a police chat
    police_of: dict[int, int] = {}  # police chat → reporter chat
    for commune in communes:
        police_of.update({chat: commune.reporter for chat in commune.police})
    incidents_of: dict[int, set[int]] = defaultdict(set)  # reporter → incident ids
    replies: dict[int, list[float]] = defaultdict(list)
    for when, chat, text in fake.arrivals:
        match = _ALERT.search(text)
        if chat in police_of and match is not None:
            incident = int(match[1])
            first_alert[incident] = min(when, first_alert.get(incident, when))
            incidents_of[police_of[chat]].add(incident)
        elif chat not in police_of:
            replies[chat].append(when)
    alerts: list[float] = []
    missing = 0
    for commune in communes:
        submits = posts.submits[commune.reporter]
        ids = sorted(incidents_of[commune.reporter])  # a reporter's incidents, in filing order
        missing += len(submits) - len(ids)
        alerts += [first_alert[i] - t for i, t in zip(ids, submits, strict=False)]
    reply: list[float] = []
    for reporter, sent in posts.others.items():
        arrived = sorted(replies[reporter])
        for t in sent:
            k = bisect.bisect_left(arrived, t)
            if k < len(arrived):
                reply.append(arrived[k] - t)
    return alerts, reply, missing


async def _drive(
    fake: TimedTelegram, communes: list[CommuneChats], per: int, url: str, db_url: str
) -> Posts:
    posts = Posts()
    users = [SimUser(c.reporter, len(REPORT) * per, script=REPORT * per) for c in communes]
    async with httpx.AsyncClient(headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}) as http:

        async def send(update: JSON) -> None:
            uid = int((update.get("message") or update["callback_query"])["from"]["id"])
            data = str((update.get("callback_query") or {}).get("data", ""))
            (posts.submits if data.endswith(":submit") else posts.others)[uid].append(
                time.monotonic()
            )
            answer = await http.post(url, json=update, timeout=30)
            answer.raise_for_status()

        crowd = Crowd(fake, users, db_url, send)
        try:
            await crowd.run(600)
        finally:
            crowd.close()
    return posts


def _wait_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            answer = httpx.post(
                url, content=b"{}", headers={"X-Telegram-Bot-Api-Secret-Token": SECRET}
            )
            if answer.status_code == 400:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"no webhook at {url}")


def measure(label: str, db_url: str, alerts: int, workdir: Path) -> dict[str, Any]:
    communes_n = min(COMMUNES, alerts)
    per = max(1, alerts // communes_n)
    setup = migrated(db_url)
    communes = seed(setup, communes_n)
    setup.dispose()
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram/webhook"
    with TimedTelegram() as fake:
        # Nobody acknowledges here; a long wait keeps escalations out of the figures.
        bot = webhook_worker(workdir, 0, port, db_url, fake, SECRET, alert_ack_minutes=240)
        bot.start()
        try:
            _wait_up(url)
            started = time.monotonic()
            posts = asyncio.run(_drive(fake, communes, per, url, db_url))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:  # the last alerts may still be on their way
                alert, reply, missing = _latencies(fake, communes, posts)
                if not missing:
                    break
                time.sleep(0.2)
            elapsed = time.monotonic() - started
        finally:
            bot.stop()
    p99 = percentile(alert, 0.99)
    reply_p99 = percentile(reply, 0.99)
    return {
        "variant": label,
        "communes": communes_n,
        "alerts": len(alert),
        "not_arrived": missing,
        "alert_p50_ms": round(percentile(alert, 0.5) * 1000),
        "alert_p95_ms": round(percentile(alert, 0.95) * 1000),
        "alert_p99_ms": round(p99 * 1000),
        "alert_max_ms": round(max(alert) * 1000),
        "reply_p50_ms": round(percentile(reply, 0.5) * 1000),
        "reply_p99_ms": round(reply_p99 * 1000),
        "alert_p99_vs_reply_p99": round(p99 / reply_p99, 2) if reply_p99 else "",
        "target_p99_3s": "met" if p99 <= TARGET_P99_S and not missing else "MISSED",
        "run_s": round(elapsed),
    }


def run(alerts: int = 200, pg_url: str | None = DEFAULT_PG_URL) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        rows.append(
            measure("SQLite", f"sqlite:///{workdir / 'lite' / 'tinbao.db'}", alerts, workdir)
        )
        if pg_url and postgres_available(pg_url):
            with fresh_schema(pg_url) as url:
                rows.append(measure("PostgreSQL", url, alerts, workdir))
    return rows


if __name__ == "__main__":
    count = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_ALERTS", "200"))
    print(markdown_table(run(count)))
