"""One event being handled: the transaction, who sent it, and the replies gathered.

Handlers receive a :class:`Turn` and answer through :meth:`Turn.say`. Nothing is sent from
here: replies become outbox rows when the engine saves the turn, inside the transaction.

The turn runs on ``conn``, the batch's connection, inside the update's savepoint. The hot
path (who is writing, the dialog row, the replies) uses plain statements on it; anything
else reads and writes through :attr:`Turn.session`, an ORM session opened on the same
connection the first time a handler asks for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy import Engine as SAEngine
from sqlmodel import Session

from bot.core.events import InboundEvent, Outgoing, Reply
from bot.core.forms.schema import Form
from bot.core.roster_cache import RosterView
from bot.outbox.recipients import member_chats
from bot.settings import Settings
from storage.dialog_rows import DialogRow, lock_dialog
from storage.models import Directive, Member, Unit
from storage.outbox import enqueue_many, save_dialog_and_enqueue
from storage.scope import Reach, reach_of


@dataclass
class Turn:
    conn: Connection
    roster: RosterView
    settings: Settings
    forms: dict[str, Form]
    event: InboundEvent
    now: datetime
    #: The sender's roster rows. Read-only: they may be shared with other turns (see
    #: :mod:`bot.core.roster_cache`); change a member through ``session``.
    member: Member | None = None
    unit: Unit | None = None
    outgoing: list[Outgoing] = field(default_factory=list)
    callback_text: str | None = None  # toast for a button press
    #: Work that must not run inside the event's transaction (it opens its own, or is slow:
    #: a reminder round, building report files). Each returns replies for this chat.
    after_commit: list[Callable[[], list[Reply]]] = field(default_factory=list)
    #: Called before the ORM session opens: a batch writing its rows at the end flushes
    #: them here, so the session (and the handler's statements) sees them.
    before_session: Callable[[], None] | None = None
    _dialog: DialogRow | None = None
    _session: Session | None = None

    # --- the transaction ---------------------------------------------------------------------
    @property
    def session(self) -> Session:
        """An ORM session inside this update's transaction (opened on first use)."""
        if self._session is None:
            if self.before_session is not None:
                self.before_session()
            # "rollback_only": the session never commits; the engine ends the transaction
            # (and rolls back the update's savepoint if a handler raises).
            self._session = Session(
                bind=self.conn, expire_on_commit=False, join_transaction_mode="rollback_only"
            )
        return self._session

    @property
    def used_session(self) -> bool:
        return self._session is not None

    @property
    def db(self) -> SAEngine:
        """The engine behind this turn, for after-commit work that opens its own transactions."""
        return self.conn.engine

    def flush(self) -> None:
        """Write the handlers' ORM changes (before :meth:`write`, outside any pipeline)."""
        if self._session is not None:
            self._session.flush()

    def write(self) -> None:
        """Write the dialog row and the replies (prepared statements: pipeline-safe)."""
        if self._dialog is not None:
            save_dialog_and_enqueue(self.conn, self._dialog, self._replies())
        else:
            enqueue_many(self.conn, self._replies())

    def written_later(self) -> tuple[DialogRow | None, list[Outgoing]]:
        """What :meth:`write` would write, for a batch that writes its turns' rows together."""
        return self._dialog, self._replies()

    def save(self) -> None:
        """Everything the turn did: ORM changes, the dialog row, the replies."""
        self.flush()
        self.write()

    def close(self) -> None:
        if self._session is not None:
            self._session.close()

    def _replies(self) -> list[Outgoing]:
        if self.event.callback_id is None:
            return self.outgoing
        # The button stops spinning first; the toast is short by Telegram's rules.
        toast = (self.callback_text or "")[:190]
        answer = Reply(text=toast, urgent=True, callback_id=self.event.callback_id)
        event = self.event
        first = Outgoing(event.channel, event.chat_id, answer, kind="callback_answer")
        return [first, *self.outgoing]

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

    def active_directives(self) -> tuple[Directive, ...]:
        """The active directives of the member's commune, newest start first (read-only);
        none for a province-level unit (its reports answer no commune's directive)."""
        if self.commune_id is None:
            return ()
        return self.roster.active_directives(self.commune_id)

    def preload_dialog(self, row: DialogRow | None) -> None:
        """The dialog row the engine loaded and locked with the claim (None: not there yet,
        :meth:`dialog` creates it when asked)."""
        self._dialog = row

    def dialog(self) -> DialogRow:
        """This member's dialog row on this chat, created when missing, locked for update.

        Change it, then set ``changed``: the engine writes it back when the turn is saved.
        (The engine usually loaded it already, together with the update's claim.)
        """
        if self._dialog is None:
            assert self.member is not None and self.member.id is not None
            self._dialog = lock_dialog(
                self.conn, self.member.id, self.event.channel, self.event.chat_id, self.now
            )
        return self._dialog
