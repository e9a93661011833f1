"""Drive the Zalo adapter through the fake Zalo Bot API over real HTTP.

Every message goes the way it goes in production: the update is queued on the fake, the
channel's poll fetches it with getUpdates, the adapter (photo download included) hands it to
the engine, and the real outbox sender delivers the replies with sendMessage. Zalo has no
buttons, so :meth:`ZaloDriver.choose` types what the person reads next to the option: its
number, or the navigation word ("xong", "bỏ qua"…). Several options of a multi-choice
question are typed together ("1, 2"), as the question's hint tells Zalo users to.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlmodel import Session, col, select

from bot.channels.chat_text import strip_html
from bot.channels.zalo_channel import make_client, poll_once
from bot.channels.zalo_render import choice_line
from bot.channels.zalo_sender import ZaloSender
from bot.context import AppContext
from bot.core.engine import Engine, Outcome
from bot.core.events import Choice, Reply
from bot.core.forms.schema import QuestionType
from bot.messages import t
from bot.outbox.sender import OutboxSender
from storage.db import transaction
from storage.invites import issue_codes
from storage.models import DialogSession, Member, OutboxMessage
from tests.fakes.zalo_api import FakeZalo

MAX_ROUNDS = 200  # outbox rounds per flush; a scenario needs a handful
# The smallest valid JPEG is not needed: the adapter stores bytes, it does not decode them.
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9"


class VirtualTime:
    """Monotonic time the sender's pacing sleeps through instantly (tests stay fast)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)


class ZaloDriver:
    channel = "zalo"

    def __init__(self, ctx: AppContext, fake: FakeZalo, user_id: int | str):
        self.ctx, self.fake = ctx, fake
        # Zalo ids are opaque strings (32 hex digits in practice), never numbers.
        self.user_id = f"{user_id:032x}" if isinstance(user_id, int) else user_id
        self.chat_id = self.user_id
        self.seen = 0
        self.last_update: dict[str, Any] | None = None
        self.last_outcome: Outcome | None = None
        self.picks: list[int] = []  # multi-choice numbers, typed together at «xong»
        self._start()

    def _start(self) -> None:
        self.client = make_client(self.ctx.settings)
        self.engine = Engine(self.ctx)
        self.time = VirtualTime()
        self.sender = OutboxSender(
            self.ctx.engine,
            {"zalo": ZaloSender(self.client)},
            self.ctx.settings,
            monotonic=self.time.monotonic,
            sleep=self.time.sleep,
        )

    async def restart(self) -> None:
        await self.client.aclose()
        self._start()

    async def close(self) -> None:
        await self.client.aclose()

    # --- sending --------------------------------------------------------------------------

    async def send_update(self, update: dict[str, Any]) -> Outcome | None:
        """Queue ``update`` on the fake, let the channel's poll fetch and handle it."""
        self.last_update = update
        self.fake.push_update(update)
        self.last_outcome = await poll_once(self.engine, self.client, self.ctx.settings, timeout=1)
        await self._flush()
        return self.last_outcome

    async def _flush(self) -> None:
        for _ in range(MAX_ROUNDS):
            if await self.sender.run_once() == 0:
                return
        raise AssertionError("the outbox never went idle")

    async def link(self, member: Member) -> None:
        """Zalo has no deep links: the person types the code the office gave them."""
        with transaction(self.ctx.engine) as s:
            fresh = s.get(Member, member.id)
            assert fresh is not None
            code = issue_codes(s, [fresh])[0].code
        await self.say(code)
        await self.replies()

    async def say(self, text: str) -> None:
        await self.send_update(self.fake.text_update(self.user_id, text))

    async def choose(self, label_part: str) -> None:
        reply = self.latest_with_choices()
        choice = next((c for c in reply.choices if label_part in c.label), None)
        if choice is None and self.picks and label_part in t("button.done"):
            typed, self.picks = ", ".join(str(n) for n in self.picks), []
            await self.say(typed)
            return
        if choice is None:
            raise AssertionError(f"no choice {label_part!r} in {[c.label for c in reply.choices]}")
        self._assert_shown(choice)
        if choice.number is not None and self._asking_multi_choice():
            self.picks.append(choice.number)
            return
        if choice.number is not None:
            await self.say(str(choice.number))
        else:
            await self.say(choice.alias or strip_html(choice.label))

    async def send_photo(self) -> None:
        url = self.fake.add_file(f"anh-{uuid.uuid4().hex[:8]}.jpg", JPEG, "image/jpeg")
        await self.send_update(self.fake.image_update(self.user_id, url))

    async def share_location_or_type(self, text: str) -> None:
        await self.say(text)  # Zalo delivers no locations to bots

    async def deliver_last_again(self) -> None:
        assert self.last_update is not None
        await self.send_update(self.last_update)

    # --- reading --------------------------------------------------------------------------

    async def replies(self) -> list[str]:
        await self._flush()
        texts = self.fake.texts_to(self.chat_id)
        new, self.seen = texts[self.seen :], len(texts)
        return new

    def latest_with_choices(self) -> Reply:
        """The newest reply to this chat that offered choices (read from the outbox)."""
        with Session(self.ctx.engine) as s:
            rows = s.exec(
                select(OutboxMessage)
                .where(OutboxMessage.channel == self.channel)
                .where(OutboxMessage.chat_id == self.chat_id)
                .where(OutboxMessage.kind == "message")
                .order_by(col(OutboxMessage.id).desc())
            ).all()
        for row in rows:
            reply = Reply.from_payload(row.payload)
            if reply.choices:
                return reply
        raise AssertionError("no reply with choices was sent")

    def _assert_shown(self, choice: Choice) -> None:
        """What the driver types must be what the person reads on the phone."""
        line = choice_line(choice)
        assert any(line in text for text in self.fake.texts_to(self.chat_id)), line

    def member(self) -> Member | None:
        with Session(self.ctx.engine) as s:
            return s.exec(select(Member).where(Member.zalo_user_id == self.user_id)).first()

    def _asking_multi_choice(self) -> bool:
        member = self.member()
        if member is None:
            return False
        with Session(self.ctx.engine) as s:
            row = s.exec(
                select(DialogSession)
                .where(DialogSession.member_id == member.id)
                .where(DialogSession.channel == self.channel)
                .where(DialogSession.chat_id == self.chat_id)
            ).first()
        state = row.state if row is not None else {}
        form = self.engine.forms.get(str(state.get("form")))
        if form is None or state.get("mode") != "ask":
            return False
        return form.question(state["q"]).type is QuestionType.MULTI_CHOICE
