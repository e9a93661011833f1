"""Benchmark: one reminder round to N members (N Telegram chats) through the outbox, against
the local FakeTelegram with Telegram's flood limits enforced.

Reports the time to enqueue the round, the time to deliver it, the lower bound N / rate
(30 messages/s overall by default), and how many 429s the sender provoked (goal: 0).

With ``--communes K`` the N members are spread over K communes (a province: 96 × 40 = 3,840),
each holding its copy of one province directive (the cascade of ``directive add --level
province``), so the round walks K directives and the one bot's 30 msg/s is shared by all
communes. Every member must get exactly one reminder, and only about their own commune's copy.

    python -m bench.reminder_round 1000 10000 [--postgres [URL]]
    python -m bench.reminder_round 3840 --communes 96 [--postgres [URL]]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import telegram
from sqlmodel import col, func, select

from bench.pg import DEFAULT_PG_URL, fresh_schema
from bench.report import markdown_table
from bot.channels.telegram_sender import TelegramSender
from bot.outbox.sender import OutboxSender
from bot.scheduler.reminders import run_round
from bot.settings import Settings, load_settings
from storage.cascade import save_province_directive
from storage.db import make_engine, transaction
from storage.directives import DirectiveFields, save_directive
from storage.enums import OutboxStatus, Role, UnitKind
from storage.migrate import upgrade
from storage.models import Commune, Directive, Member, OutboxMessage, Unit
from storage.types import utcnow
from tests.fakes import FakeTelegram

UNIT_SIZE = 50
# 12/09/2025 07:30 in Asia/Ho_Chi_Minh: three days before the deadline, "before:3d" is due.
ROUND_AT = datetime(2025, 9, 12, 0, 30, tzinfo=UTC)


def _seed(engine: Any, n: int, communes: int = 1) -> None:
    """``n`` village heads with a Telegram chat each, spread evenly over ``communes`` communes
    (units of up to ``UNIT_SIZE``); one commune directive, or with several communes one
    province directive copied to each of them."""
    per_commune = [n // communes + (1 if c < n % communes else 0) for c in range(communes)]
    with transaction(engine) as s:
        rows = [
            Commune(
                code=c + 1,
                name=f"Xã Thử {c + 1}",
                short_name=f"Thử {c + 1}",
                province_code=1,
                province_name="T",
            )
            for c in range(communes)
        ]
        s.add_all(rows)
        s.flush()
        member = 0
        for commune, size in zip(rows, per_commune, strict=True):
            assert commune.id is not None
            units = [
                Unit(commune_id=commune.id, name=f"Thôn {i + 1}", kind=UnitKind.VILLAGE)
                for i in range((size + UNIT_SIZE - 1) // UNIT_SIZE)
            ]
            s.add_all(units)
            s.flush()
            for i in range(size):
                chat = str(10_000_000 + member)
                s.add(
                    Member(
                        unit_id=units[i // UNIT_SIZE].id or 0,
                        full_name=f"Người {member}",
                        phone=f"09{member:08d}",
                        roles=[Role.VILLAGE_HEAD],
                        telegram_user_id=chat,
                        telegram_chat_id=chat,
                    )
                )
                member += 1
        fields = DirectiveFields(
            number="1949/UBND-NC",
            issued_on=date(2025, 9, 1),
            issuer="UBND tỉnh",
            summary="Báo cáo kết quả thực hiện",
            target_unit_kinds=(UnitKind.VILLAGE,),
            form_ids=("ket_qua_thuc_hien", "khong_phat_hien"),
            starts_on=date(2025, 9, 1),
            unit_deadline=date(2025, 9, 15),
        )
        if communes == 1:
            save_directive(s, fields, rows[0].id)
        else:
            save_province_directive(s, fields)
        # Announced long ago: this round is the "3 days before" reminder, not the
        # announcement a directive saved today would get.
        for directive in s.exec(select(Directive)).all():
            directive.created_at = datetime(2025, 8, 30, tzinfo=UTC)
            s.add(directive)


def _misdirected(engine: Any) -> int:
    """Reminders whose chat is not their member's, or whose directive is another commune's
    (read back from the dedupe key
    ``remind:<directive>:<period>:<step>:<member>:<channel>``);
    the goal is 0."""
    with transaction(engine) as s:
        communes = dict(s.exec(select(Directive.id, Directive.commune_id)).all())
        members = {
            m_id: (chat, commune)
            for m_id, chat, commune in s.exec(
                select(Member.id, Member.telegram_chat_id, Unit.commune_id).join(
                    Unit, col(Unit.id) == col(Member.unit_id)
                )
            ).all()
        }
        rows = s.exec(select(OutboxMessage.dedupe_key, OutboxMessage.chat_id)).all()
    wrong = 0
    for key, chat_id in rows:
        parts = (key or "").split(":")  # the step's name may hold a colon ("before:3d")
        directive_id, member_id = parts[1], parts[-2]
        chat, commune = members[int(member_id)]
        wrong += chat != chat_id or communes[int(directive_id)] != commune
    return wrong


def _progress(engine: Any) -> tuple[int, datetime | None]:
    """(rows not yet sent, time of the last send)."""
    with transaction(engine) as s:
        pending = s.exec(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.status != OutboxStatus.SENT)
        ).one()
        last = s.exec(select(func.max(OutboxMessage.sent_at))).one()
    return int(pending), last


async def _deliver(engine: Any, settings: Settings, fake: FakeTelegram) -> float:
    """Run the production loop (``run_forever``) until the outbox is empty; seconds taken
    from start to the last recorded send."""
    bot = telegram.Bot(fake.token, base_url=fake.base_url, base_file_url=fake.base_file_url)
    sender = OutboxSender(engine, {"telegram": TelegramSender(bot)}, settings)
    stop = asyncio.Event()
    started = utcnow()
    task = asyncio.create_task(sender.run_forever(stop))
    try:
        while True:
            await asyncio.sleep(0.5)
            pending, last = await asyncio.to_thread(_progress, engine)
            if pending == 0 or task.done():
                break
    finally:
        stop.set()
        await task
        await bot.shutdown()
    assert last is not None and pending == 0, "the outbox did not drain"
    return (last - started).total_seconds()


def run(n: int = 10_000, database_url: str | None = None, communes: int = 1) -> dict[str, Any]:
    """One round to ``n`` chats in ``communes`` communes; returns the measured figures."""
    with tempfile.TemporaryDirectory() as tmp:
        url = database_url or f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = load_settings(data_dir=Path(tmp), database_url=url, _env_file=None)
        engine = make_engine(url)
        upgrade(engine)
        try:
            _seed(engine, n, communes)
            started = time.perf_counter()
            enqueued = run_round(engine, settings, ROUND_AT).enqueued
            enqueue_s = time.perf_counter() - started
            with FakeTelegram(enforce_limits=True) as fake:
                send_s = asyncio.run(_deliver(engine, settings, fake))
                count_429 = fake.count_429
                delivered = len(fake.calls_to("sendMessage")) - count_429
                chats = {str(c.get("chat_id")) for c in fake.calls_to("sendMessage")}
            misdirected = _misdirected(engine)
        finally:
            engine.dispose()
    bound = n / settings.telegram_rate_per_second
    return {
        "n": n,
        "communes": communes,
        "backend": url.split(":", 1)[0],
        "enqueued": enqueued,
        "delivered": delivered,
        "enqueue_s": round(enqueue_s, 2),
        "send_s": round(send_s, 2),
        "lower_bound_s": round(bound, 2),
        "send_vs_bound": round(send_s / bound, 3),
        "count_429": count_429,
        "chats_reached": len(chats),
        "misdirected": misdirected,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", nargs="*", type=int, default=[1000], help="members (chats) per round")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=DEFAULT_PG_URL,
        default=None,
        help="run on a throwaway schema of this PostgreSQL (default: a temporary SQLite file)",
    )
    parser.add_argument(
        "--communes",
        type=int,
        default=1,
        help="spread the members over this many communes, each with its copy of one "
        "province directive (a province: 96)",
    )
    args = parser.parse_args()
    results = []
    for n in args.n:
        if args.postgres:
            with fresh_schema(args.postgres) as url:
                results.append(run(n, url, args.communes))
        else:
            results.append(run(n, communes=args.communes))
    print(markdown_table(results))


if __name__ == "__main__":
    main()
