"""The contract between the outbox sender and a channel (Telegram, Zalo, web).

A :class:`ChannelSender` draws one stored :class:`~bot.core.events.Reply` on its platform and
delivers it. It raises only :mod:`bot.outbox.errors` types; anything else is treated as a
transient failure (and logged as a bug).

Callback answers (``kind == "callback_answer"``) are addressed to the chat the button was
pressed in (so they keep that chat's order) and carry the platform's callback query id in
``reply.callback_id`` (Telegram answers a button press by that id alone) and the toast in
``reply.text``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.core.events import Reply
from storage.models import OutboxMessage

CALLBACK_ANSWER = "callback_answer"
#: The member's command menu (Telegram's setMyCommands for that chat): ``reply.choices``
#: hold (description as label, command name as data). Channels without menus skip it.
COMMAND_MENU = "command_menu"


@dataclass(frozen=True)
class OutboxRow:
    """A read-only snapshot of one claimed outbox row (no session attached)."""

    id: int
    channel: str
    chat_id: str
    kind: str
    reply: Reply
    attempts: int
    parts_sent: int = 0  # parts of a split message delivered by earlier attempts
    created_at: datetime | None = None
    dedupe_key: str | None = None

    @property
    def is_callback_answer(self) -> bool:
        return self.kind == CALLBACK_ANSWER

    @property
    def is_command_menu(self) -> bool:
        return self.kind == COMMAND_MENU

    @classmethod
    def from_model(cls, row: OutboxMessage) -> OutboxRow:
        assert row.id is not None
        return cls(
            id=row.id,
            channel=row.channel,
            chat_id=row.chat_id,
            kind=row.kind,
            reply=Reply.from_payload(row.payload),
            attempts=row.attempts,
            parts_sent=row.parts_sent,
            created_at=row.created_at,
            dedupe_key=row.dedupe_key,
        )


class ChannelSender(Protocol):
    """Delivers outbox rows on one channel."""

    channel: str

    async def deliver(self, message: OutboxRow) -> str | None:
        """Send ``message``; return the provider's message id (of the last part) if any.

        Raises :class:`~bot.outbox.errors.RetryLater`, :class:`~bot.outbox.errors.TransientError`
        or :class:`~bot.outbox.errors.PermanentError`. Parts before ``message.parts_sent`` were
        delivered by an earlier attempt and must not be sent again.
        """
        ...
