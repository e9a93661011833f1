"""Every update delivered twice, in another order across chats: each is handled once.

The reference is a single delivery of the same updates on a fresh database; after the
doubled delivery the database (dialogs, reports, incidents, outbox, processed keys) must be
identical to it, row for row — the same state and the same replies.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import time_machine
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel, col, select

from bot.channels.telegram_channel import SECRET_HEADER, WEBHOOK_PATH, handle_update, make_bot
from bot.context import AppContext, open_context
from bot.core.engine import Engine as BotEngine
from bot.core.engine import Outcome
from bot.core.events import InboundEvent, Reply
from bot.runtime import run
from bot.settings import load_settings
from storage.db import transaction
from storage.models import Member, OutboxMessage, Submission
from tests.engine.flows import PATROL, RESULTS, SUSPICIOUS
from tests.engine.harness import Clock, Harness, Person
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.conftest import MakeCtx
from tests.faults.support import (
    RESULTS_ANSWERS,
    RESULTS_SCRIPT,
    free_port,
    outbox_texts,
    seed_field_units,
    sized,
)

START = datetime(2025, 9, 10, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội, inside the sample campaign
SEED = 4242

Script = list[tuple[str, str]]


def scripts() -> list[tuple[str, str, int, Script]]:
    """(role, unit kind, index in the roster, script): three results reports, an urgent tip
    that alerts the police and militia, a patrol log, and a militiaman just saying hello."""
    results = [("say", "/baocao"), ("tap", "kết quả"), *RESULTS, ("tap", "Gửi báo cáo")]
    tip = [("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")]
    patrol = [("say", "/baocao"), ("tap", "tuần tra"), *PATROL, ("tap", "Gửi báo cáo")]
    return [
        ("village_head", "village", 0, results),
        ("village_head", "village", 1, results),
        ("village_head", "village", 2, results),
        ("village_head", "village", 3, tip),
        ("police", "police", 0, patrol),
        ("militia", "military", 0, [("say", "/baocao"), ("say", "xin chào")]),
    ]


def cast(ctx: AppContext) -> tuple[Harness, list[Person]]:
    """The sample commune; each script's member linked to Telegram user 8100+i directly
    (invite codes are random, so linking through them would differ between databases)."""
    harness = Harness(ctx, Clock(START))
    harness.seed()
    people = []
    for i, (role, kind, index, _) in enumerate(scripts()):
        member = harness.members_with_role(role, kind)[index]
        uid = str(8100 + i)
        with transaction(ctx.engine) as s:
            row = s.get(Member, member.id)
            assert row is not None
            row.telegram_user_id = row.telegram_chat_id = uid
        people.append(Person(harness, uid))
    return harness, people


def press_label(person: Person, label: str) -> Outcome:
    """Press the newest button whose label contains ``label`` (alerts may arrive between)."""
    person.replies()
    for reply in reversed(person.inbox):
        for choice in reply.choices:
            if label in choice.label:
                return person.press(choice.data)
    raise AssertionError(f"{person.user_id}: no button {label!r}")


def interleave(lists: list[list[Any]], rng: random.Random) -> list[Any]:
    """A random merge of the lists that keeps each list's own order."""
    cursors = [0] * len(lists)
    out: list[Any] = []
    while True:
        open_ = [i for i, items in enumerate(lists) if cursors[i] < len(items)]
        if not open_:
            return out
        pick = rng.choice(open_)
        out.append(lists[pick][cursors[pick]])
        cursors[pick] += 1


def reference_run(ctx: AppContext, rng: random.Random) -> list[InboundEvent]:
    """Play every script once, chats interleaved at random; return the events in order."""
    _, people = cast(ctx)
    steps = [
        [(p, step) for step in script] for p, (*_, script) in zip(people, scripts(), strict=True)
    ]
    for person, (action, value) in interleave(steps, rng):
        outcome = person.text(value) if action == "say" else press_label(person, value)
        assert outcome is Outcome.HANDLED
    events = [event for person in people for event in person.sent]
    return sorted(events, key=lambda e: int(e.update_key))


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table, in primary-key order."""
    out: dict[str, list[dict[str, Any]]] = {}
    with engine.connect() as conn:
        for name, table in SQLModel.metadata.tables.items():
            keys = [c for c in table.primary_key.columns]
            rows = conn.execute(table.select().order_by(*keys)).mappings().all()
            out[name] = [dict(row) for row in rows]
    return out


def deliver(engine: BotEngine, events: Iterable[InboundEvent]) -> list[Outcome]:
    return [engine.handle(event) for event in events]


def by_chat(events: list[InboundEvent]) -> list[list[InboundEvent]]:
    chats: dict[str, list[InboundEvent]] = {}
    for event in events:
        chats.setdefault(event.chat_id, []).append(event)
    return list(chats.values())


def test_every_update_twice_in_another_order_is_handled_once(make_ctx: MakeCtx) -> None:
    rng = random.Random(SEED)
    # The wall clock stands still too (seeding and the outbox stamp rows with it), so that
    # the databases can be compared column for column.
    with time_machine.travel(START, tick=False):
        events = reference_run(reference := make_ctx(), rng)
        expected = snapshot(reference.engine)
        assert len(expected["submission"]) == 5 and len(expected["incident"]) == 1

        # All updates once, then all again with the chats interleaved differently.
        twice = make_ctx()
        harness, _ = cast(twice)
        again = interleave(by_chat(events), rng)
        assert [e.update_key for e in again] != [e.update_key for e in events]
        assert set(deliver(harness.engine, events)) == {Outcome.HANDLED}
        assert set(deliver(harness.engine, again)) == {Outcome.DUPLICATE}
        assert snapshot(twice.engine) == expected

        # Each copy comes back later, after newer updates of its own chat and of others (a
        # platform retrying late), and the process restarts half-way.
        late = make_ctx()
        harness, _ = cast(late)
        timed = [(float(i), event, False) for i, event in enumerate(events)]
        timed += [(i + rng.uniform(0.5, 12.5), event, True) for i, event in enumerate(events)]
        outcomes = []
        for n, (_, event, is_copy) in enumerate(sorted(timed, key=lambda item: item[0])):
            if n == len(timed) // 2:
                harness.restart()
            outcomes.append((is_copy, harness.engine.handle(event)))
        assert set(outcomes) == {(False, Outcome.HANDLED), (True, Outcome.DUPLICATE)}
        assert snapshot(late.engine) == expected


# === once through the webhook route, over HTTP ====================================================

SECRET = "dup-test_secret-1"


def normalise(texts: list[str]) -> list[str]:
    """Mask the times a text carries ('lúc 16:40 23/11/2026'): two runs are seconds apart."""
    return [re.sub(r"\d{2}:\d{2} \d{2}/\d{2}/\d{4}", "<time>", t) for t in texts]


def buttons_of(engine: Engine, chat_id: int) -> list[tuple[str, str]]:
    with Session(engine) as s:
        rows = s.exec(
            select(OutboxMessage)
            .where(OutboxMessage.chat_id == str(chat_id))
            .where(OutboxMessage.kind == "message")
        ).all()
    out: list[tuple[str, str]] = []
    for row in sorted(rows, key=lambda r: r.id or 0):
        out.extend((c.label, c.data) for c in Reply.from_payload(row.payload).choices)
    return out


async def reference_updates(
    ctx: AppContext, fake: FakeTelegram, uids: list[int], rng: random.Random
) -> list[dict[str, Any]]:
    """Play RESULTS_SCRIPT for each user through the Telegram adapter (no HTTP), chats
    interleaved at random; return the raw updates in the order they were handled."""
    engine = BotEngine(ctx)
    bot = make_bot(ctx.settings)
    steps = [[(uid, step) for step in RESULTS_SCRIPT] for uid in uids]
    updates = []
    for uid, (action, value) in interleave(steps, rng):
        if action == "say":
            update = fake.text_update(uid, value)
        else:
            data = next(d for label, d in reversed(buttons_of(ctx.engine, uid)) if value in label)
            update = fake.callback_update(uid, data, message_id=1)
        assert await handle_update(engine, bot, update) is Outcome.HANDLED
        updates.append(update)
    return updates


async def test_webhook_delivering_every_update_twice_answers_once(
    tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    rng = random.Random(SEED)
    common = {
        "_env_file": None,
        "telegram_bot_token": fake_telegram.token,
        "telegram_api_url": fake_telegram.url,
    }
    reference = open_context(load_settings(data_dir=tmp_path / "ref", **common))
    users = [u.uid for u in seed_field_units(reference.engine, sized(4, 12))]
    updates = await reference_updates(reference, fake_telegram, users, rng)

    port = free_port()
    served = open_context(
        load_settings(
            data_dir=tmp_path / "served",
            web_port=free_port(),
            telegram_webhook_url="https://tinbao.example.vn:8443/telegram/webhook",
            telegram_webhook_secret=SECRET,
            webhook_host="127.0.0.1",
            webhook_port=port,
            **common,
        )
    )
    seed_field_units(served.engine, len(users))
    stop = asyncio.Event()
    task = asyncio.create_task(run(served, stop))
    url = f"http://127.0.0.1:{port}{WEBHOOK_PATH}"
    try:
        async with httpx.AsyncClient(headers={SECRET_HEADER: SECRET}, timeout=30) as http:

            async def post(update: dict[str, Any]) -> int:
                for _ in range(200):
                    try:
                        return (await http.post(url, json=update)).status_code
                    except httpx.TransportError:  # the server is still starting
                        await asyncio.sleep(0.05)
                raise AssertionError("webhook server did not answer")

            assert {await post(u) for u in updates} == {200}
            # The copies, concurrently per chat: another order across chats.
            chats: dict[int, list[dict[str, Any]]] = {}
            for update in updates:
                chat = (update.get("message") or update["callback_query"]["message"])["chat"]
                chats.setdefault(chat["id"], []).append(update)

            async def replay(chat_updates: list[dict[str, Any]]) -> list[int]:
                return [await post(u) for u in chat_updates]

            codes = await asyncio.gather(*(replay(c) for c in reversed(chats.values())))
            assert {c for chat in codes for c in chat} == {200}

    finally:
        stop.set()
        await asyncio.wait_for(task, 30)

    with served.engine.connect() as conn:
        keys = conn.execute(text("SELECT count(*) FROM processedupdate")).scalar_one()
    assert keys == len(updates)
    for uid in users:
        single = normalise(outbox_texts(reference.engine, uid))
        assert normalise(outbox_texts(served.engine, uid)) == single
    assert filed(served.engine) == filed(reference.engine)
    assert [answers for _, answers in filed(served.engine)] == [RESULTS_ANSWERS] * len(users)
    reference.close()
    served.close()


def filed(engine: Engine) -> list[tuple[int, dict[str, Any]]]:
    with Session(engine) as s:
        rows = s.exec(select(Submission).order_by(col(Submission.unit_id))).all()
    return [(row.member_id, row.answers) for row in rows]
