"""What adapters hand the core (:class:`InboundEvent`) and what the core answers (:class:`Reply`).

Adapters (Telegram, Zalo, web) translate platform updates into ``InboundEvent`` and draw each
``Reply`` their own way: buttons on Telegram and the web, numbered options on Zalo. Replies are
stored in the outbox as JSON (:meth:`Reply.to_payload`) before anything is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    TEXT = "text"  # typed text (commands included: see ``command``)
    BUTTON = "button"  # a button press carrying ``data`` (Telegram callback, web button)
    LOCATION = "location"
    CONTACT = "contact"
    PHOTO = "photo"
    VOICE = "voice"
    UNSUPPORTED = "unsupported"  # sticker, file, anything we cannot read
    EDITED = "edited"  # an edited earlier message: never changes an answer


@dataclass(frozen=True)
class InboundEvent:
    """One update from a channel, already stripped of platform types."""

    channel: str  # storage.enums.Channel value
    update_key: str  # unique per channel: a redelivery has the same key
    chat_id: str
    user_id: str
    kind: EventKind
    received_at: datetime
    private_chat: bool = True
    display_name: str = ""
    text: str | None = None
    data: str | None = None  # button payload
    callback_id: str | None = None  # to acknowledge a button press
    message_id: str | None = None  # the message the button was on, if any
    latitude: float | None = None
    longitude: float | None = None
    contact_phone: str | None = None
    contact_user_id: str | None = None  # whose contact it is (proves the phone if == user_id)
    file_ref: str | None = None  # Telegram file_id, Zalo photo URL, web upload name
    file_path: str | None = None  # where the adapter already stored the file, if it did

    @property
    def command(self) -> tuple[str, str] | None:
        """``("/baocao", "args")`` when the text is a command, else None."""
        if self.kind is not EventKind.TEXT or not self.text or not self.text.startswith("/"):
            return None
        head, _, rest = self.text.strip().partition(" ")
        name = head.split("@", 1)[0].lower()  # '/start@TinBaoBot' in groups
        return name, rest.strip()


class RequestKind(StrEnum):
    LOCATION = "location"
    CONTACT = "contact"


@dataclass(frozen=True)
class Choice:
    """One option of a reply: ``label`` shown, ``data`` sent back when pressed.

    ``number`` is the option's position for channels without buttons ("1", "2"…); it is
    None for navigation buttons that have a typed alias instead (see ``alias``).
    """

    label: str
    data: str
    number: int | None = None
    alias: str | None = None  # typed equivalent on text-only channels, e.g. "xong"


@dataclass
class Reply:
    """One message to send. ``text`` may hold ``<b>``/``<i>``; user text is already escaped."""

    text: str
    choices: list[Choice] = field(default_factory=list)
    columns: int = 1  # buttons per row where buttons exist
    request: RequestKind | None = None  # ask the client to share location/contact
    remove_keyboard: bool = False
    document_path: str | None = None  # a file to attach (report DOCX/XLSX)
    photo_path: str | None = None  # an image to attach (chart)
    urgent: bool = False  # alerts jump the queue
    edit_message_id: str | None = None  # replace this earlier message where the channel can
    callback_id: str | None = None  # for kind "callback_answer": the button press answered

    def to_payload(self) -> dict[str, Any]:
        # By hand, not dataclasses.asdict (which deep-copies every value): this runs for
        # every reply of every update.
        payload = {name: getattr(self, name) for name in _REPLY_FIELDS}
        payload["choices"] = [
            {name: getattr(choice, name) for name in _CHOICE_FIELDS} for choice in self.choices
        ]
        payload["request"] = self.request.value if self.request else None
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Reply:
        data = dict(payload)
        data["choices"] = [Choice(**c) for c in data.get("choices", [])]
        data["request"] = RequestKind(data["request"]) if data.get("request") else None
        return cls(**data)


_REPLY_FIELDS = tuple(f.name for f in fields(Reply))
_CHOICE_FIELDS = tuple(f.name for f in fields(Choice))


@dataclass(frozen=True)
class Outgoing:
    """A reply addressed to a chat on a channel (what the outbox stores)."""

    channel: str
    chat_id: str
    reply: Reply
    dedupe_key: str | None = None  # at most one row per key, ever (reminders)
    kind: str = "message"  # "message" or "callback_answer"
