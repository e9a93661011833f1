"""Drive the engine with core events (no channel) and read what it put in the outbox."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine as SAEngine
from sqlmodel import Session, col, select

from bot.context import AppContext
from bot.core.engine import Engine, Outcome
from bot.core.events import EventKind, InboundEvent, Reply
from storage.db import transaction
from storage.invites import issue_codes
from storage.models import Member, OutboxMessage, Unit
from storage.sample import seed_sample

_ids = itertools.count(1)


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


@dataclass
class Person:
    """One simulated chat user."""

    harness: Harness
    user_id: str
    channel: str = "telegram"
    chat_id: str | None = None
    private: bool = True
    last_seen: int = 0
    sent: list[InboundEvent] = field(default_factory=list)
    shown: Reply | None = None  # the latest reply that had buttons
    inbox: list[Reply] = field(default_factory=list)  # every reply read so far

    def _event(self, kind: EventKind, **kw: Any) -> InboundEvent:
        event = InboundEvent(
            channel=self.channel,
            update_key=str(next(_ids)),
            chat_id=self.chat_id or self.user_id,
            user_id=self.user_id,
            kind=kind,
            received_at=self.harness.clock.now,
            private_chat=self.private,
            **kw,
        )
        self.sent.append(event)
        return event

    def send(self, event: InboundEvent) -> Outcome:
        return self.harness.engine.handle(event)

    # Events not yet sent (for batches: ``harness.engine.handle_batch([...])``).
    def text_event(self, text: str) -> InboundEvent:
        return self._event(EventKind.TEXT, text=text)

    def press_event(self, data: str) -> InboundEvent:
        return self._event(EventKind.BUTTON, data=data, callback_id=f"cb{next(_ids)}")

    def text(self, text: str) -> Outcome:
        return self.send(self._event(EventKind.TEXT, text=text))

    def press(self, data: str, message_id: str | None = None) -> Outcome:
        return self.send(
            self._event(
                EventKind.BUTTON, data=data, callback_id=f"cb{next(_ids)}", message_id=message_id
            )
        )

    def location(self, lat: float, lon: float) -> Outcome:
        return self.send(self._event(EventKind.LOCATION, latitude=lat, longitude=lon))

    def photo(self, file_ref: str = "photo-1") -> Outcome:
        return self.send(self._event(EventKind.PHOTO, file_ref=file_ref))

    def contact(self, phone: str, own: bool = True) -> Outcome:
        return self.send(
            self._event(
                EventKind.CONTACT,
                contact_phone=phone,
                contact_user_id=self.user_id if own else "someone-else",
            )
        )

    def other(self, kind: EventKind, **kw: Any) -> Outcome:
        return self.send(self._event(kind, **kw))

    # --- what came back ----------------------------------------------------------------------
    def replies(self, *, new_only: bool = True) -> list[Reply]:
        with Session(self.harness.db) as s:
            rows = s.exec(
                select(OutboxMessage)
                .where(OutboxMessage.channel == self.channel)
                .where(OutboxMessage.chat_id == (self.chat_id or self.user_id))
                .where(OutboxMessage.kind == "message")
                .where(col(OutboxMessage.id) > (self.last_seen if new_only else 0))
                .order_by(col(OutboxMessage.id))
            ).all()
        if rows and new_only:
            self.last_seen = rows[-1].id or 0
        replies = [Reply.from_payload(r.payload) for r in rows]
        if new_only:
            self.inbox.extend(replies)
            for reply in replies:
                if reply.choices:
                    self.shown = reply
        return replies

    def tap(self, label_part: str) -> Outcome:
        """Press the button whose label contains ``label_part`` on the latest buttons shown."""
        self.replies()
        assert self.shown is not None, "no buttons shown"
        return self.press(self.button(self.shown, label_part))

    def run(self, flow: list[tuple[str, str]]) -> None:
        for action, value in flow:
            if action == "say":
                self.text(value)
            else:
                self.tap(value)
            self.replies()

    def texts(self) -> list[str]:
        return [r.text for r in self.replies()]

    def last(self) -> Reply:
        got = self.replies()
        assert got, "no reply"
        return got[-1]

    def button(self, reply: Reply, label_part: str) -> str:
        for choice in reply.choices:
            if label_part in choice.label:
                return choice.data
        raise AssertionError(f"no button {label_part!r} in {[c.label for c in reply.choices]}")


class Harness:
    def __init__(self, ctx: AppContext, clock: Clock):
        self.ctx = ctx
        self.clock = clock
        self.engine = Engine(ctx, clock=clock)

    @property
    def db(self) -> SAEngine:
        return self.ctx.engine

    def restart(self) -> None:
        """A new engine object, as after a process restart: nothing kept in memory."""
        self.engine = Engine(self.ctx, clock=self.clock)

    def seed(self) -> None:
        with transaction(self.db) as s:
            seed_sample(s)

    def member(self, **where: Any) -> Member:
        with Session(self.db) as s:
            query = select(Member)
            for key, value in where.items():
                query = query.where(getattr(Member, key) == value)
            found = s.exec(query).first()
        assert found is not None, where
        return found

    def members_with_role(self, role: str, unit_kind: str | None = None) -> list[Member]:
        with Session(self.db) as s:
            query = select(Member, Unit).join(Unit, col(Unit.id) == Member.unit_id)
            rows = s.exec(query.order_by(col(Member.id))).all()
        return [m for m, u in rows if role in m.roles and unit_kind in (None, u.kind)]

    def invite_code(self, member: Member) -> str:
        """A fresh single-use invite code for ``member``."""
        with transaction(self.db) as s:
            fresh = s.get(Member, member.id)
            assert fresh is not None
            return issue_codes(s, [fresh])[0].code

    def link(self, member: Member, user_id: str, channel: str = "telegram") -> Person:
        """Register ``member`` through the real flow: an invite code sent to the bot."""
        code = self.invite_code(member)
        person = Person(self, user_id, channel=channel)
        person.text(f"/start {code}")
        person.replies()
        return person
