"""Telegram Bot API object shapes (User, Chat, Message, PhotoSize …) as plain dicts.

Only the fields Tin Báo and python-telegram-bot 22 rely on, with the real names and types, so
``telegram.Update.de_json`` / ``Message.de_json`` accept everything the fake produces.
"""

from __future__ import annotations

import time
import zlib
from typing import Any

__all__ = [
    "bot_command_entities",
    "chat",
    "default_chat_type",
    "file_unique_id",
    "now",
    "photo_sizes",
    "user",
]

JSON = dict[str, Any]
_SUPERGROUP_BASE = -1_000_000_000_000


def now() -> int:
    """Telegram dates are unix seconds."""
    return int(time.time())


def user(user_id: int, *, first_name: str | None = None, username: str | None = None) -> JSON:
    """A human User (``is_bot`` false)."""
    out: JSON = {"id": user_id, "is_bot": False, "first_name": first_name or f"User {user_id}"}
    if username:
        out["username"] = username
    out["language_code"] = "vi"
    return out


def default_chat_type(chat_id: int) -> str:
    """What a bare id implies: users are positive, groups negative, supergroups ``-100…``."""
    if chat_id > 0:
        return "private"
    return "supergroup" if chat_id <= _SUPERGROUP_BASE else "group"


def chat(chat_id: int, chat_type: str, *, first_name: str | None = None) -> JSON:
    """A Chat; private chats carry the person's name, groups a title."""
    if chat_type == "private":
        return {"id": chat_id, "type": "private", "first_name": first_name or f"User {chat_id}"}
    return {"id": chat_id, "type": chat_type, "title": f"Nhóm {chat_id}"}


def file_unique_id(file_id: str) -> str:
    """Stable per file_id, like Telegram's (which is stable per file across bots)."""
    return f"AgAD{zlib.crc32(file_id.encode()):010d}"


def photo_sizes(file_id: str, size: int) -> list[JSON]:
    """A thumbnail and the full photo (largest last, as Telegram sends them)."""
    return [
        {
            "file_id": f"{file_id}-thumb",
            "file_unique_id": file_unique_id(f"{file_id}-thumb"),
            "width": 90,
            "height": 68,
            "file_size": min(size, 1500),
        },
        {
            "file_id": file_id,
            "file_unique_id": file_unique_id(file_id),
            "width": 1280,
            "height": 960,
            "file_size": size,
        },
    ]


def bot_command_entities(text: str) -> list[JSON]:
    """A ``bot_command`` entity over the leading ``/command`` (lengths in UTF-16 units)."""
    if not text.startswith("/"):
        return []
    command = text.split(maxsplit=1)[0]
    return [{"type": "bot_command", "offset": 0, "length": len(command.encode("utf-16-le")) // 2}]
