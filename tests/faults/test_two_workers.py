"""Two webhook workers (two ``tinbao run`` processes) on one PostgreSQL database.

Updates of the same chats are posted to either worker at random, and now and then the same
update to both at once (a platform retry racing the original). Nothing may be lost or
doubled, every report must be stored once with the right answers, the two outbox senders
must deliver each reply once and in order, and only one of the two may run the scheduler.
"""

from __future__ import annotations

import asyncio
import random
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from bot.channels.telegram_channel import SECRET_HEADER, WEBHOOK_PATH
from bot.scheduler.leader import LOCK_CLASS
from storage.models import ProcessedUpdate, Submission
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.support import (
    RESULTS_ANSWERS,
    RESULTS_SCRIPT,
    SOAK,
    Crowd,
    SimUser,
    free_port,
    migrated,
    outbox_texts,
    reader,
    seed_field_units,
    sized,
    wait_until,
    webhook_worker,
)

SECRET = "two-workers_secret-1"
SEED = 1949


def schema_of(url: str) -> str:
    options = parse_qs(urlsplit(url).query)["options"][0]
    return options.split("search_path=")[1]


def scheduler_lock_holders(db: Engine, schema: str) -> list[int]:
    """Backends holding (or waiting for) the scheduler's advisory lock: its key is (class,
    hash of the schema); pg_locks shows the second half as an unsigned oid."""
    with db.connect() as conn:
        key = conn.execute(text("SELECT hashtext(:s)"), {"s": schema}).scalar_one()
        return [
            int(pid)
            for pid in conn.execute(
                text(
                    "SELECT pid FROM pg_locks WHERE locktype = 'advisory' "
                    "AND classid = :cls AND objid = :key"
                ),
                {"cls": LOCK_CLASS, "key": key & 0xFFFFFFFF},
            ).scalars()
        ]


def scheduler_locks(db: Engine, schema: str) -> int:
    return len(scheduler_lock_holders(db, schema))


async def test_two_webhook_workers_share_the_chats_without_losing_or_doubling(
    pg_schema_url: str, tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    rng = random.Random(SEED)
    setup = migrated(pg_schema_url)
    people = {u.uid: u for u in seed_field_units(setup, sized(10, 40), first_uid=72_001)}
    setup.dispose()
    ports = [free_port(), free_port()]
    workers = [
        webhook_worker(tmp_path, i, port, pg_schema_url, fake_telegram, SECRET)
        for i, port in enumerate(ports)
    ]
    urls = [f"http://127.0.0.1:{port}{WEBHOOK_PATH}" for port in ports]
    db = reader(pg_schema_url)
    schema = schema_of(pg_schema_url)
    statuses: Counter[int] = Counter()
    raced = 0
    users = [SimUser(uid, len(RESULTS_SCRIPT)) for uid in sorted(people)]

    def logs() -> str:
        return "\n".join(w.log_tail(2000) for w in workers)

    for worker in workers:
        worker.start()
    try:
        async with httpx.AsyncClient(headers={SECRET_HEADER: SECRET}, timeout=60) as http:

            async def up(url: str) -> bool:
                try:
                    return (await http.post(url, content=b"{}")).status_code == 400
                except httpx.TransportError:
                    return False

            for url in urls:
                for _ in range(600):
                    if await up(url):
                        break
                    await asyncio.sleep(0.1)
                else:
                    raise AssertionError(f"worker at {url} did not start\n{logs()}")

            async def deliver(url: str, update: dict[str, Any]) -> int:
                # Like Telegram, try again when the connection fails: a kept-alive
                # connection the worker closed as idle just as it was reused, for one.
                for attempt in range(5):
                    try:
                        return (await http.post(url, json=update)).status_code
                    except httpx.TransportError:
                        if attempt == 4:
                            raise
                        await asyncio.sleep(0.1)
                raise AssertionError("unreachable")

            async def post(update: dict[str, Any]) -> None:
                nonlocal raced
                if rng.random() < 0.2:  # the same update to both workers at once
                    raced += 1
                    codes = await asyncio.gather(*(deliver(u, update) for u in urls))
                else:
                    codes = [await deliver(rng.choice(urls), update)]
                statuses.update(codes)

            await wait_until(lambda: scheduler_locks(db, schema) == 1, 30, "a scheduler leader")
            crowd = Crowd(fake_telegram, users, pg_schema_url, post)
            try:
                await crowd.run(240, logs)
            finally:
                crowd.close()
            assert scheduler_locks(db, schema) == 1, "both workers run the scheduler"
            assert all(worker.alive for worker in workers), logs()

            if SOAK:
                # Kill one worker, restart it, kill the other: whichever led, the leader dies
                # once and the survivor takes the scheduler over (it checks every 30 s).
                holders = set(scheduler_lock_holders(db, schema))
                for dead in (0, 1):
                    workers[dead].kill()
                    await asyncio.sleep(2)  # PostgreSQL ends the dead worker's sessions
                    await wait_until(lambda: scheduler_locks(db, schema) == 1, 90, "a leader")
                    holders |= set(scheduler_lock_holders(db, schema))
                    if dead == 0:
                        workers[dead].start()
                        while not await up(urls[dead]):
                            await asyncio.sleep(0.1)
                assert len(holders) >= 2, "the scheduler was never taken over"
    finally:
        for worker in workers:
            worker.stop()

    assert raced > 0 and set(statuses) == {200}, statuses
    with Session(db) as s:
        submissions = s.exec(select(Submission)).all()
        keys = [row.update_key for row in s.exec(select(ProcessedUpdate)).all()]
    assert sorted(keys) == sorted(str(i) for i in crowd.pushed)
    assert Counter(sub.member_id for sub in submissions) == Counter(
        u.member_id for u in people.values()
    )
    assert all(sub.answers == RESULTS_ANSWERS for sub in submissions)
    for user in users:
        stored = outbox_texts(db, user.uid)
        assert fake_telegram.texts_to(user.uid) == stored, user.uid  # once each, in order
        assert len(stored) == len(outbox_texts(db, users[0].uid))
    db.dispose()
