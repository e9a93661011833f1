"""What the fault tests share: sizes, real bot processes, seeded communes, simulated users.

A :class:`BotProcess` is the real main job (``tinbao run``) in a subprocess, configured only
through its environment, so a SIGKILL hits exactly what production runs. A :class:`Crowd`
is many simulated Telegram users filling the RESULTS form; each presses buttons it finds in
the fake Telegram's recorded messages, and sends its next update only once the previous one
is committed and every reply to it has been delivered (read from the database).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlmodel import Session, select

from bot.settings import Settings
from storage.commune import resolve_commune, save_commune
from storage.db import make_engine, normalise_url, transaction
from storage.enums import Role, UnitKind
from storage.migrate import upgrade
from storage.models import Commune, Member, Unit
from tests.engine.flows import RESULTS
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.telegram_html import plain_text

SOAK = os.environ.get("TINBAO_SOAK") == "1"
JSON = dict[str, Any]


def sized(ci: int, soak: int) -> int:
    """The CI size, or the bigger one under ``make soak`` (TINBAO_SOAK=1)."""
    return soak if SOAK else ci


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# === databases ===================================================================================


def migrated(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    return engine


def reader(url: str) -> Engine:
    """An engine for the test's own reads while a bot process writes.

    On SQLite, :func:`storage.db.make_engine` opens every transaction with ``BEGIN
    IMMEDIATE`` (the write lock); polling with it would compete with the bot for that lock.
    A plain engine reads the WAL database without locking anyone out.
    """
    if url.startswith("sqlite"):
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(normalise_url(url), pool_size=2)


def lapse_claims(url: str) -> int:
    """After a SIGKILL: let the dead process's outbox claims lapse now, not in 70 s.

    A claim lasts ``2 × batch_seconds + 60 s`` (:mod:`bot.outbox.sender`); the dead process
    can no longer write, so moving ``claimed_until`` into the past is exactly what waiting out
    the lease would do — minus the wait. Returns how many rows were in flight.
    """
    engine = reader(url)
    try:
        with engine.begin() as conn:
            result = conn.execute(
                text("UPDATE outboxmessage SET claimed_until = :past WHERE status = 'sending'"),
                {"past": datetime.now(UTC) - timedelta(hours=1)},
            )
            return int(result.rowcount)
    finally:
        engine.dispose()


# === seeding =====================================================================================


@dataclass(frozen=True)
class FieldUser:
    """A village head linked to Telegram user (and private chat) ``uid``."""

    uid: int
    member_id: int
    unit_id: int


def seed_field_units(engine: Engine, count: int, first_uid: int = 70_001) -> list[FieldUser]:
    """The commune plus ``count`` villages, each with one village head already on Telegram.

    No directive: reports are filed per day, and the scheduler has no reminder to send, so
    nothing but the bot's answers reaches these chats.
    """
    users: list[FieldUser] = []
    with transaction(engine) as s:
        commune = s.exec(select(Commune)).first()
        if commune is None:
            commune = save_commune(s, resolve_commune("Quảng Ngãi", "Tây Trà"))
        assert commune.id is not None
        for i in range(count):
            uid = first_uid + i
            unit = Unit(commune_id=commune.id, name=f"Thôn Thử {i + 1:03d}", kind=UnitKind.VILLAGE)
            s.add(unit)
            s.flush()
            member = Member(
                unit_id=unit.id or 0,
                full_name=f"Trưởng thôn {i + 1:03d}",
                phone=f"0977{uid:06d}"[-10:],
                roles=[Role.VILLAGE_HEAD],
                telegram_user_id=str(uid),
                telegram_chat_id=str(uid),
            )
            s.add(member)
            s.flush()
            users.append(FieldUser(uid, member.id or 0, unit.id or 0))
    return users


# === the real bot in a subprocess ================================================================

_SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def tinbao_command() -> list[str]:
    script = Path(sys.executable).with_name("tinbao")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from bot.cli import app; app()"]


def bot_env(**settings: object) -> dict[str, str]:
    """The process environment with only the given settings (nothing inherited from ours)."""
    env = {k: v for k, v in os.environ.items() if k.upper() not in _SETTING_NAMES}
    env.update({key.upper(): str(value) for key, value in settings.items()})
    env["PYTHONUNBUFFERED"] = "1"
    return env


def webhook_worker(
    workdir: Path,
    index: int,
    port: int,
    database_url: str,
    fake: FakeTelegram,
    secret: str,
    **settings: object,
) -> BotProcess:
    """A ``tinbao run`` serving the Telegram webhook on 127.0.0.1:``port`` (not yet started);
    ``settings`` are further settings for it."""
    return BotProcess(
        bot_env(
            data_dir=workdir / f"data{index}",
            database_url=database_url,
            telegram_bot_token=fake.token,
            telegram_api_url=fake.url,
            telegram_webhook_url="https://tinbao.example.vn:8443/telegram/webhook",
            telegram_webhook_secret=secret,
            webhook_host="127.0.0.1",
            webhook_port=port,
            web_port=free_port(),
            log_level="WARNING",
            **settings,
        ),
        cwd=workdir,
        log=workdir / f"worker{index}.log",
    )


class BotProcess:
    """``tinbao run`` in a subprocess; started, SIGKILLed and restarted by the test.

    ``cwd`` should be a folder without a ``.env`` file, so only ``env`` configures it.
    """

    def __init__(self, env: dict[str, str], cwd: Path, log: Path) -> None:
        self.env, self.cwd, self.log_path = env, cwd, log
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None
        with self.log_path.open("ab") as log:
            log.write(f"\n=== start {self.starts + 1} ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [*tinbao_command(), "run"],
                env=self.env,
                cwd=self.cwd,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1

    @property
    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def kill(self) -> None:
        """SIGKILL: no shutdown code runs, open transactions die with their connections."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self) -> None:
        """A clean stop (SIGTERM), or a kill if it does not end in time."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.kill()

    def log_tail(self, chars: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except FileNotFoundError:
            return ""


async def wait_until(
    condition: Callable[[], bool], seconds: float, what: str, *, every: float = 0.05
) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds:.0f}s waiting for {what}")
        await asyncio.sleep(every)


# === simulated users =============================================================================

#: One user's whole report: open the menu, pick the results form, answer, submit.
RESULTS_SCRIPT: list[tuple[str, str]] = [
    ("say", "/baocao"),
    ("tap", "kết quả"),
    *RESULTS,
    ("tap", "Gửi báo cáo"),
]
#: Where the dialog stands after the first N steps of RESULTS_SCRIPT (the spec of the form's
#: order: the attendance question appears because 4 sessions were held; 'cases handled' is
#: skipped because none were detected).
QUESTION_AFTER_STEPS = {
    2: "buoi_tuyen_truyen",
    3: "nguoi_tham_du",
    4: "to_tu_quan",
    5: "camera",
    6: "nhom_zalo",
    7: "nguoi_nuoc_ngoai",
    8: "kiem_tra_cu_tru",
    9: "vu_phat_hien",
    10: "kho_khan",
    11: "de_xuat",
}
RESULTS_ANSWERS: JSON = {
    "buoi_tuyen_truyen": 4,
    "nguoi_tham_du": 180,
    "to_tu_quan": 2,
    "camera": 3,
    "nhom_zalo": 1,
    "nguoi_nuoc_ngoai": 0,
    "kiem_tra_cu_tru": 6,
    "vu_phat_hien": 0,
    "kho_khan": "Địa hình đồi núi, đi lại khó khăn",
    "de_xuat": None,
}


def find_button(fake: FakeTelegram, chat_id: int, label_part: str) -> tuple[int, str]:
    """(message id, callback data) of the newest button whose label contains ``label_part``."""
    for message in reversed(fake.sent_to(chat_id)):
        rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
        for row in rows:
            for button in row:
                if label_part in str(button.get("text", "")):
                    return int(message["message_id"]), str(button["callback_data"])
    raise AssertionError(f"chat {chat_id}: no button {label_part!r} was ever sent")


@dataclass
class SimUser:
    uid: int
    stop_after: int  # how many script steps this user takes (len(script): all)
    script: list[tuple[str, str]] = field(default_factory=lambda: list(RESULTS_SCRIPT))
    done_steps: int = 0  # steps whose update was sent
    waiting_for: str | None = None  # update key not yet answered
    update_ids: list[int] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.waiting_for is None and self.done_steps >= self.stop_after

    def next_update(self, fake: FakeTelegram) -> JSON:
        action, value = self.script[self.done_steps]
        if action == "say":
            return fake.text_update(self.uid, value)
        message_id, data = find_button(fake, self.uid, value)
        return fake.callback_update(self.uid, data, message_id)


Send = Callable[[JSON], Awaitable[None]]


class Crowd:
    """Moves every user forward as soon as its previous update is fully answered.

    "Fully answered" is read from the database: the update's key is in ProcessedUpdate (its
    transaction committed) and the chat has no outbox message still queued, sending or
    retrying (so everything it said has reached the fake Telegram). Reading processed keys
    before pending rows keeps the two reads consistent: a commit between them only adds rows.
    """

    def __init__(self, fake: FakeTelegram, users: list[SimUser], db_url: str, send: Send):
        self.fake, self.users, self.send = fake, users, send
        self.db = reader(db_url)
        self.pushed: list[int] = []

    def close(self) -> None:
        self.db.dispose()

    def _read(self) -> tuple[set[str], set[str]]:
        with Session(self.db) as s:
            processed = {
                str(k)
                for k in s.execute(
                    text("SELECT update_key FROM processedupdate WHERE channel = 'telegram'")
                ).scalars()
            }
            pending = {
                str(c)
                for c in s.execute(
                    text(
                        "SELECT DISTINCT chat_id FROM outboxmessage WHERE channel = 'telegram' "
                        "AND kind = 'message' AND status IN ('queued', 'sending', 'retrying')"
                    )
                ).scalars()
            }
        return processed, pending

    async def tick(self) -> bool:
        """One pass over the users; True once every user has finished its script."""
        processed, pending = await asyncio.to_thread(self._read)
        sends: list[Awaitable[None]] = []
        for user in self.users:
            if user.waiting_for is not None:
                if user.waiting_for not in processed or str(user.uid) in pending:
                    continue
                user.waiting_for = None
            if user.done_steps >= user.stop_after:
                continue
            update = user.next_update(self.fake)
            user.done_steps += 1
            user.waiting_for = str(update["update_id"])
            user.update_ids.append(int(update["update_id"]))
            self.pushed.append(int(update["update_id"]))
            sends.append(self.send(update))
        if sends:
            await asyncio.gather(*sends)
        return all(user.finished for user in self.users)

    async def run(self, seconds: float, describe: Callable[[], str] = lambda: "") -> None:
        deadline = time.monotonic() + seconds
        while not await self.tick():
            if time.monotonic() > deadline:
                stuck = [(u.uid, u.done_steps, u.waiting_for) for u in self.users if not u.finished]
                raise AssertionError(f"users did not finish: {stuck[:10]}\n{describe()}")
            await asyncio.sleep(0.02)


def make_users(uids: list[int], rng: random.Random, unfinished_share: float) -> list[SimUser]:
    """Users who file the whole report, and some who stop mid-form (at a typed question)."""
    users = []
    for uid in uids:
        stop = len(RESULTS_SCRIPT)
        if rng.random() < unfinished_share:
            stop = rng.randint(2, 10)  # waits at QUESTION_AFTER_STEPS[stop], a typed answer
        users.append(SimUser(uid, stop))
    return users


def outbox_texts(engine: Engine, chat_id: int) -> list[str]:
    """What the outbox holds for the chat, in order, as Telegram would store it (no HTML)."""
    with Session(engine) as s:
        rows = s.execute(
            text(
                "SELECT payload FROM outboxmessage WHERE channel = 'telegram' AND chat_id = :chat "
                "AND kind = 'message' ORDER BY id"
            ),
            {"chat": str(chat_id)},
        ).scalars()
        payloads = [p if isinstance(p, dict) else json.loads(p) for p in rows]
    return [plain_text(str(p["text"])) for p in payloads]


def collapse_repeats(texts: list[str]) -> tuple[list[str], int]:
    """Texts with consecutive repeats merged, and the longest run of one text."""
    out: list[str] = []
    longest = run = 0
    for item in texts:
        if out and out[-1] == item:
            run += 1
        else:
            out.append(item)
            run = 1
        longest = max(longest, run)
    return out, longest
