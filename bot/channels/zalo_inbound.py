"""Zalo updates → core events (the reading half of the Zalo adapter).

:func:`to_event` is pure translation, no dialog logic. Zalo sends photos as URLs that may not
live long, so :func:`read_update` first fetches the picture into the attachments folder and
hands the engine the stored path along with the URL.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bot.channels.attachments import store, stored_name
from bot.channels.zalo_client import (
    EVENT_IMAGE,
    EVENT_TEXT,
    ZaloClient,
    ZaloUpdate,
)
from bot.core.events import EventKind, InboundEvent
from bot.settings import Settings
from storage.enums import Channel

log = logging.getLogger(__name__)

PHOTO_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".gif", ".webp", ".heic"})


def update_key(update: ZaloUpdate) -> str:
    """Zalo has no update id; the message id (per chat) is what a redelivery repeats."""
    return f"{update.chat_id}:{update.message_id}"


def to_event(update: ZaloUpdate, file_path: str | None = None) -> InboundEvent | None:
    """Translate one update; None for what Tin Báo ignores (messages from bots).

    Stickers, voice, files, locations… all reach the engine as UNSUPPORTED: Zalo shows the bot
    no content for them, and the engine answers politely without changing the dialog.
    """
    if update.is_bot:
        return None
    if update.event_name == EVENT_TEXT and update.text is not None:
        # Commands ("/baocao", "/start CODE") are plain text on Zalo; InboundEvent.command
        # recognises them.
        return _event(update, EventKind.TEXT, text=update.text)
    if update.event_name == EVENT_IMAGE and update.photo_url:
        return _event(
            update,
            EventKind.PHOTO,
            file_ref=update.photo_url,
            file_path=file_path,
            text=update.caption,
        )
    return _event(update, EventKind.UNSUPPORTED)


def _event(update: ZaloUpdate, kind: EventKind, **fields: Any) -> InboundEvent:
    return InboundEvent(
        channel=Channel.ZALO.value,
        update_key=update_key(update),
        chat_id=update.chat_id,
        user_id=update.user_id,
        kind=kind,
        received_at=update.date,
        private_chat=update.is_private,
        display_name=update.display_name,
        **fields,
    )


def photo_name(update: ZaloUpdate) -> str:
    """Hash of the update key (ids are opaque and may contain anything); the suffix is kept
    only when it is a known picture type."""
    suffix = Path(urlsplit(update.photo_url or "").path).suffix.lower()
    return stored_name(update_key(update), suffix if suffix in PHOTO_SUFFIXES else ".jpg")


async def store_photo(client: ZaloClient, update: ZaloUpdate, folder: Path) -> Path | None:
    """Download the update's picture into ``folder``; None (and a warning) when it fails."""
    url = update.photo_url
    assert url is not None
    return await store(
        folder / photo_name(update),
        lambda: client.download(url),
        f"the photo of zalo update {update_key(update)}",
    )


async def read_update(
    client: ZaloClient, settings: Settings, update: ZaloUpdate
) -> InboundEvent | None:
    """The event to hand the engine, with a photo already stored on disk when there is one."""
    file_path: str | None = None
    if update.event_name == EVENT_IMAGE and update.photo_url and not update.is_bot:
        stored = await store_photo(client, update, settings.attachments_dir / "zalo")
        file_path = str(stored) if stored is not None else None
    return to_event(update, file_path)
