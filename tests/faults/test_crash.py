"""SIGKILL the real bot process (``tinbao run``, Telegram long polling) at random moments
while many people fill in a report, restart it, and check that nothing was lost or doubled.

Why a reply may be delivered twice, and never more than twice in a row: the outbox marks a
row sent in its own transaction right after Telegram accepted it. A kill between the two
leaves the row claimed-but-unsent; after the restart it is sent again — at-least-once is
the only promise a remote API without idempotency keys allows. The chat's later rows wait
behind it, so the copy comes right after the original, and each kill can repeat at most the
one row per chat that was in flight. Updates are never handled twice: a redelivered update
(committed, but not yet confirmed to Telegram when the process died) finds its key in
ProcessedUpdate and changes nothing.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from storage.models import DialogSession, ProcessedUpdate, Submission
from tests.fakes.telegram_api import FakeTelegram
from tests.faults.support import (
    QUESTION_AFTER_STEPS,
    RESULTS_ANSWERS,
    RESULTS_SCRIPT,
    BotProcess,
    Crowd,
    FieldUser,
    SimUser,
    bot_env,
    collapse_repeats,
    free_port,
    lapse_claims,
    make_users,
    migrated,
    outbox_texts,
    reader,
    seed_field_units,
    sized,
    wait_until,
)

SEED = 20_250_910


@pytest.fixture(params=["sqlite", "postgres"])
def crash_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'tinbao.db'}"
    url: str = request.getfixturevalue("pg_schema_url")
    return url


class Restarter:
    """Starts the bot and knows when it is polling again (a getUpdates after the start)."""

    def __init__(self, bot: BotProcess, fake: FakeTelegram, url: str) -> None:
        self.bot, self.fake, self.url = bot, fake, url
        self.polls_before = 0
        self.in_flight_at_kills: list[int] = []

    def start(self) -> None:
        self.polls_before = len(self.fake.calls_to("getUpdates"))
        self.bot.start()

    async def polling(self) -> None:
        await wait_until(
            lambda: len(self.fake.calls_to("getUpdates")) > self.polls_before,
            60,
            f"the bot to poll again\n{self.bot.log_tail()}",
            every=0.1,
        )

    def kill_and_restart(self) -> None:
        self.bot.kill()
        self.in_flight_at_kills.append(lapse_claims(self.url))
        self.start()


def normalised(texts: list[str]) -> list[str]:
    """Texts with digits masked: names, submission numbers and times differ per user."""
    return [re.sub(r"\d+", "#", t) for t in texts]


def dialog_of(db: Engine, user: FieldUser) -> DialogSession | None:
    with Session(db) as s:
        return s.exec(
            select(DialogSession).where(DialogSession.member_id == user.member_id)
        ).first()


async def test_sigkill_at_random_moments_loses_and_doubles_nothing(
    crash_db: str, tmp_path: Path, fake_telegram: FakeTelegram
) -> None:
    rng = random.Random(SEED)
    n_users, kills = sized(20, 60), sized(3, 10)  # the last kill comes after the work
    setup = migrated(crash_db)
    people = {u.uid: u for u in seed_field_units(setup, n_users)}
    setup.dispose()
    env = bot_env(
        data_dir=tmp_path / "data",
        database_url=crash_db,
        telegram_bot_token=fake_telegram.token,
        telegram_api_url=fake_telegram.url,
        web_port=free_port(),
        log_level="WARNING",
    )
    bot = BotProcess(env, cwd=tmp_path, log=tmp_path / "bot.log")
    runner = Restarter(bot, fake_telegram, crash_db)
    users = make_users(sorted(people), rng, unfinished_share=0.25)
    users[0].stop_after = len(RESULTS_SCRIPT)  # at least one of each kind
    users[1].stop_after = 5

    async def push(update: dict[str, object]) -> None:
        fake_telegram.push_update(update)

    crowd = Crowd(fake_telegram, users, crash_db, push)
    db = reader(crash_db)
    runner.start()
    try:
        work = asyncio.create_task(crowd.run(240, bot.log_tail))
        killed_mid_work = 0
        for _ in range(kills - 1):
            await runner.polling()
            await asyncio.sleep(rng.uniform(0.3, 2.0))
            killed_mid_work += not work.done()
            runner.kill_and_restart()
        await work
        assert killed_mid_work >= 1, "no kill hit the bot while people were reporting"
        await wait_until(lambda: not fake_telegram.pending_updates, 60, "updates confirmed")

        # After the kills, every unfinished dialog waits at its question, in the database.
        unfinished = [u for u in users if u.stop_after < len(RESULTS_SCRIPT)]
        for user in unfinished:
            row = dialog_of(db, people[user.uid])
            assert row is not None and row.form_id == "ket_qua_thuc_hien", user
            assert row.state["q"] == QUESTION_AFTER_STEPS[user.stop_after], user

        # ...and resumes there after one more kill: the next answer moves it one question on.
        await runner.polling()
        runner.kill_and_restart()
        for user in unfinished:
            user.stop_after += 1
        await crowd.run(120, bot.log_tail)
        await wait_until(lambda: not fake_telegram.pending_updates, 60, "updates confirmed")
        for user in unfinished:
            row = dialog_of(db, people[user.uid])
            assert row is not None, user
            assert row.state["q"] == QUESTION_AFTER_STEPS[user.stop_after], user
    finally:
        bot.stop()
        crowd.close()

    assert sum(1 for u in users if u.stop_after == len(RESULTS_SCRIPT)) >= 1
    check_every_report_stored_once(db, users, people)
    check_every_update_handled_once(db, crowd.pushed)
    check_replies(db, fake_telegram, users, max_repeat_copies=len(runner.in_flight_at_kills))
    db.dispose()


def check_every_report_stored_once(
    db: Engine, users: list[SimUser], people: dict[int, FieldUser]
) -> None:
    with Session(db) as s:
        submissions = s.exec(select(Submission)).all()
    by_member = Counter(sub.member_id for sub in submissions)
    for user in users:
        filed = user.stop_after == len(RESULTS_SCRIPT)
        assert by_member[people[user.uid].member_id] == (1 if filed else 0), user
    for sub in submissions:
        assert sub.form_id == "ket_qua_thuc_hien"
        assert sub.answers == RESULTS_ANSWERS


def check_every_update_handled_once(db: Engine, pushed: list[int]) -> None:
    with Session(db) as s:
        keys = [row.update_key for row in s.exec(select(ProcessedUpdate)).all()]
    assert len(pushed) == len(set(pushed))
    assert sorted(keys) == sorted(str(i) for i in pushed)


def check_replies(
    db: Engine, fake: FakeTelegram, users: list[SimUser], max_repeat_copies: int
) -> None:
    """Every reply arrived, in order; a repeat is an adjacent copy (see the module doc)."""
    with Session(db) as s:
        states = Counter(
            s.execute(text("SELECT status FROM outboxmessage WHERE kind = 'message'")).scalars()
        )
    assert set(states) == {"sent"}, states
    reference: list[str] | None = None
    for user in users:
        stored = outbox_texts(db, user.uid)
        delivered = fake.texts_to(user.uid)
        merged, longest = collapse_repeats(delivered)
        assert longest <= 2, (user.uid, delivered)
        assert merged == collapse_repeats(stored)[0], (user.uid, delivered, stored)
        assert len(delivered) - len(stored) <= max_repeat_copies
        # No update had an effect twice: each user's conversation is the same, text for text.
        if user.stop_after == len(RESULTS_SCRIPT):
            reference = reference or normalised(stored)
            assert normalised(stored) == reference, user.uid
    if reference is not None:
        for user in users:
            if user.stop_after < len(RESULTS_SCRIPT):
                mine = normalised(outbox_texts(db, user.uid))
                assert mine == reference[: len(mine)], user.uid
