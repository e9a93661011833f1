"""What a conversation test needs from a channel, so one suite runs on Telegram and Zalo.

Each driver speaks the platform's own wire format to the real adapter code, runs the real
outbox sender against a fake Bot API server over HTTP, and reads what that server received.
"""

from __future__ import annotations

from typing import Protocol

from storage.models import Member


class ChatDriver(Protocol):
    channel: str

    async def link(self, member: Member) -> None:
        """Register ``member`` through the channel with an invite code."""

    async def say(self, text: str) -> None:
        """Send a text message (commands included)."""

    async def choose(self, label_part: str) -> None:
        """Pick the option/button whose label contains ``label_part`` on the latest reply."""

    async def send_photo(self) -> None: ...

    async def share_location_or_type(self, text: str) -> None:
        """Answer a location question (Telegram shares a location; Zalo types ``text``)."""

    async def replies(self) -> list[str]:
        """Texts delivered to this chat since the last call."""

    async def deliver_last_again(self) -> None:
        """Deliver the previous update once more, as a platform retry would."""

    async def restart(self) -> None:
        """Drop every in-memory object (engine, sender) as a process restart would."""
