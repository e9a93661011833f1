"""One event being handled: the transaction, who sent it, and the replies gathered.

Handlers receive a :class:`Turn`; they read and write through ``turn.session`` (the event's
single transaction) and answer through :meth:`Turn.say`. Nothing is sent from here: replies
become outbox rows when the engine commits.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine as SAEngine
from sqlmodel import Session, select

from bot.core.events import InboundEvent, Outgoing, Reply
from bot.core.forms.schema import Form
from bot.outbox.recipients import member_chats
from bot.settings import Settings
from storage.models import DialogSession, Member, Unit
from storage.scope import Reach, reach_of


@dataclass
class Turn:
    session: Session
    settings: Settings
    forms: dict[str, Form]
    event: InboundEvent
    now: datetime
    member: Member | None = None
    unit: Unit | None = None
    outgoing: list[Outgoing] = field(default_factory=list)
    callback_text: str | None = None  # toast for a button press
    #: Work that must not run inside the event's transaction (it opens its own, or is slow:
    #: a reminder round, building report files). Each returns replies for this chat.
    after_commit: list[Callable[[], list[Reply]]] = field(default_factory=list)
    _dialog: DialogSession | None = None

    # --- answering ---------------------------------------------------------------------------
    def say(self, reply: Reply) -> None:
        """Reply in the chat the event came from."""
        self.outgoing.append(Outgoing(self.event.channel, self.event.chat_id, reply))

    def say_to(self, member: Member, reply: Reply, dedupe_key: str | None = None) -> int:
        """Send to another member on every chat that reaches them (the web chat too);
        returns how many chats."""
        chats = member_chats(self.session, [member]).get(member.id or 0, [])
        for channel, chat_id in chats:
            key = f"{dedupe_key}:{channel}" if dedupe_key else None
            self.outgoing.append(Outgoing(channel, chat_id, reply, dedupe_key=key))
        return len(chats)

    def toast(self, text: str) -> None:
        self.callback_text = text

    @property
    def db(self) -> SAEngine:
        """The engine behind this turn, for after-commit work that opens its own transactions."""
        bind = self.session.get_bind()
        assert isinstance(bind, SAEngine)
        return bind

    # --- who and where -----------------------------------------------------------------------
    @property
    def roles(self) -> set[str]:
        return set(self.member.roles) if self.member else set()

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def commune_id(self) -> int | None:
        """The member's own commune (None for province-level units and strangers)."""
        return self.unit.commune_id if self.unit is not None else None

    @property
    def reach(self) -> Reach:
        """The communes this member may see (from the roster, never from the message)."""
        if self.member is None or self.unit is None:
            return Reach.nowhere()
        return reach_of(self.member, self.unit)

    def dialog(self) -> DialogSession:
        """This member's dialog session on this chat, created when missing, locked for update."""
        if self._dialog is not None:
            return self._dialog
        assert self.member is not None and self.member.id is not None
        query = (
            select(DialogSession)
            .where(DialogSession.member_id == self.member.id)
            .where(DialogSession.channel == self.event.channel)
            .where(DialogSession.chat_id == self.event.chat_id)
            .with_for_update()
        )
        row = self.session.exec(query).first()
        if row is None:
            row = DialogSession(
                member_id=self.member.id, channel=self.event.channel, chat_id=self.event.chat_id
            )
            self.session.add(row)
            self.session.flush()
        self._dialog = row
        return row
