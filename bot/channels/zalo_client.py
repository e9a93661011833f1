"""Async client of the Zalo Bot API (the 2025 bot platform, ``bot-api.zaloplatforms.com``).

Thin on purpose: one method per API method, JSON in, typed values out, typed errors
(:mod:`bot.channels.zalo_errors`). Pacing, retries and splitting long texts belong to the
outbox and the adapter, which know what a retry means for a message.

Things the Zalo API does differently from Telegram, handled here so callers need not know:

* ``getUpdates`` returns **one** update per call and reports an empty long poll as error 408
  — :meth:`ZaloClient.get_updates` returns ``None`` for that, it is the normal case;
* ids are opaque strings and ``date`` is in milliseconds — :class:`ZaloUpdate` turns it into
  an aware UTC ``datetime``;
* rate limits and HTTP statuses are undocumented — errors are read from the envelope whatever
  the HTTP status, with the status (and a ``Retry-After`` header) as fallbacks.

The token is part of every URL; no message raised here contains a URL. Note that httpx logs
each request URL at INFO level: keep the ``httpx`` logger at WARNING in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import TracebackType
from typing import Self
from urllib.parse import urlsplit

import httpx

from bot.channels.zalo_errors import (
    ZaloBadRequest,
    ZaloError,
    ZaloFileTooLarge,
    ZaloMalformedUpdate,
    ZaloNetworkError,
    error_for,
)
from bot.text import small_int

__all__ = [
    "EVENT_IMAGE",
    "EVENT_STICKER",
    "EVENT_TEXT",
    "EVENT_UNSUPPORTED",
    "MAX_DOWNLOAD_BYTES",
    "ZaloBotInfo",
    "ZaloClient",
    "ZaloSentMessage",
    "ZaloUpdate",
    "ZaloWebhookInfo",
]

EVENT_TEXT = "message.text.received"
EVENT_IMAGE = "message.image.received"
EVENT_STICKER = "message.sticker.received"
EVENT_UNSUPPORTED = "message.unsupported.received"
CHAT_PRIVATE = "PRIVATE"
CHAT_GROUP = "GROUP"

MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
"""Photos users send are far smaller; the cap only stops a hostile or broken URL."""

_EMPTY_POLL = 408
_SECONDS_NOT_MS = 10**11  # a "date" below this is in seconds (year 5138 in ms)


# === values ====================================================================================


@dataclass(frozen=True, slots=True)
class ZaloUpdate:
    """One incoming event. ``text``/``photo_url``/``caption``/``sticker`` are set per event.

    ``event_name`` stays a plain string: an event Zalo adds later must reach the adapter (as
    something it does not understand), not crash the poll loop.
    """

    event_name: str
    message_id: str
    chat_id: str
    chat_type: str
    user_id: str
    display_name: str
    date: datetime
    text: str | None = None
    photo_url: str | None = None
    caption: str | None = None
    sticker: str | None = None
    is_bot: bool = False

    @property
    def is_private(self) -> bool:
        return self.chat_type == CHAT_PRIVATE

    @classmethod
    def from_api(cls, data: Mapping[str, object]) -> ZaloUpdate:
        """Parse an update as getUpdates or a webhook delivers it.

        Raises :class:`~bot.channels.zalo_errors.ZaloMalformedUpdate` (a ``ValueError``).
        """
        event_name = data.get("event_name")
        message = data.get("message")
        if not isinstance(event_name, str) or not isinstance(message, Mapping):
            raise ZaloMalformedUpdate("update without event_name or message")
        sender = _mapping(message, "from")
        chat = _mapping(message, "chat")
        return cls(
            event_name=event_name,
            message_id=_id(message, "message_id"),
            chat_id=_id(chat, "chat.id", key="id"),
            chat_type=str(chat.get("chat_type") or CHAT_PRIVATE).upper(),
            user_id=_id(sender, "from.id", key="id"),
            display_name=_opt_str(sender.get("display_name")) or "",
            date=_date(message.get("date")),
            text=_opt_str(message.get("text")),
            photo_url=_opt_str(message.get("photo_url")),
            caption=_opt_str(message.get("caption")),
            sticker=_sticker(message.get("sticker")),
            is_bot=sender.get("is_bot") is True,
        )


@dataclass(frozen=True, slots=True)
class ZaloBotInfo:
    """getMe: who the token belongs to."""

    id: str
    account_name: str
    account_type: str
    can_join_groups: bool


@dataclass(frozen=True, slots=True)
class ZaloWebhookInfo:
    """``url`` is empty when no webhook is set (polling mode)."""

    url: str
    updated_at: datetime | None


@dataclass(frozen=True, slots=True)
class ZaloSentMessage:
    message_id: str
    date: datetime


# === client ====================================================================================


class ZaloClient:
    """Calls ``<api_url>/bot<token>/<method>`` with JSON bodies.

    Pass ``http`` to share a connection pool (and to test with a custom transport); the
    client then leaves closing it to you. Otherwise use ``async with`` or :meth:`aclose`.
    """

    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        timeout: float = 10,
        http: httpx.AsyncClient | None = None,
        max_download_bytes: int = MAX_DOWNLOAD_BYTES,
    ) -> None:
        self._base = f"{api_url.rstrip('/')}/bot{token}"
        self._timeout = timeout
        self._max_download_bytes = max_download_bytes
        self._own_http = http is None
        self._http = http if http is not None else httpx.AsyncClient(timeout=timeout)

    def __repr__(self) -> str:  # never show the token
        return f"<ZaloClient {urlsplit(self._base).netloc}>"

    async def aclose(self) -> None:
        if self._own_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # --- methods ------------------------------------------------------------------------------

    async def get_me(self) -> ZaloBotInfo:
        result = _mapping_result(await self._call("getMe"), "getMe")
        return ZaloBotInfo(
            id=str(result.get("id", "")),
            account_name=str(result.get("account_name", "")),
            account_type=str(result.get("account_type", "")),
            can_join_groups=result.get("can_join_groups") is True,
        )

    async def get_updates(self, timeout: int = 30) -> ZaloUpdate | None:
        """Long-poll for the next update: at most one, or None when none came in time.

        The HTTP read timeout is the poll time plus the client timeout, so a quiet poll ends
        with Zalo's 408 (→ None), not with a client-side timeout.
        """
        wait = httpx.Timeout(self._timeout, read=self._timeout + timeout)
        try:
            result = await self._call("getUpdates", {"timeout": str(timeout)}, timeout=wait)
        except ZaloError as exc:
            if exc.code == _EMPTY_POLL:
                return None
            raise
        if result is None or result == {}:
            return None
        if not isinstance(result, Mapping):
            raise ZaloMalformedUpdate(f"getUpdates result is a {type(result).__name__}")
        return ZaloUpdate.from_api(result)

    async def set_webhook(self, url: str, secret_token: str) -> ZaloWebhookInfo:
        """Zalo then POSTs updates to ``url`` with header ``X-Bot-Api-Secret-Token``."""
        result = await self._call("setWebhook", {"url": url, "secret_token": secret_token})
        return _webhook_info(result)

    async def delete_webhook(self) -> ZaloWebhookInfo:
        return _webhook_info(await self._call("deleteWebhook"))

    async def get_webhook_info(self) -> ZaloWebhookInfo:
        return _webhook_info(await self._call("getWebhookInfo"))

    async def send_message(self, chat_id: str, text: str) -> ZaloSentMessage:
        """Zalo takes 1–2000 characters and no markup; the adapter splits and strips."""
        return _sent(await self._call("sendMessage", {"chat_id": chat_id, "text": text}))

    async def send_photo(
        self, chat_id: str, photo_url: str, caption: str | None = None
    ) -> ZaloSentMessage:
        """``photo_url`` must be an absolute http(s) URL Zalo can fetch; there is no upload."""
        payload: dict[str, object] = {"chat_id": chat_id, "photo": photo_url}
        if caption:
            payload["caption"] = caption
        return _sent(await self._call("sendPhoto", payload))

    async def send_sticker(self, chat_id: str, sticker: str) -> ZaloSentMessage:
        return _sent(await self._call("sendSticker", {"chat_id": chat_id, "sticker": sticker}))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        await self._call("sendChatAction", {"chat_id": chat_id, "action": action})

    async def download(self, url: str) -> bytes:
        """Fetch a ``photo_url`` from an update, refusing more than ``max_download_bytes``.

        The body is streamed so an oversized file is abandoned after the cap, not read whole.
        """
        if urlsplit(url).scheme not in ("http", "https"):
            raise ZaloBadRequest(400, "download URL must be http(s)")
        cap = self._max_download_bytes
        try:
            async with self._http.stream("GET", url, follow_redirects=True) as response:
                if not response.is_success:
                    raise error_for(
                        response.status_code, response.reason_phrase or "download failed"
                    )
                declared = response.headers.get("content-length", "")
                if (size := small_int(declared, 12)) is not None and size > cap:
                    raise ZaloFileTooLarge(413, f"file is {declared} bytes, limit {cap}")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > cap:
                        raise ZaloFileTooLarge(413, f"file exceeds the limit of {cap} bytes")
                return bytes(body)
        except httpx.HTTPError as exc:
            raise ZaloNetworkError(f"download: {_describe(exc)}") from exc

    # --- plumbing -----------------------------------------------------------------------------

    async def _call(
        self,
        method: str,
        payload: Mapping[str, object] | None = None,
        *,
        timeout: httpx.Timeout | None = None,
    ) -> object:
        """POST the method; return ``result`` or raise the typed error."""
        try:
            response = await self._http.post(
                f"{self._base}/{method}",
                json=dict(payload or {}),
                timeout=timeout if timeout is not None else self._timeout,
            )
        except httpx.HTTPError as exc:
            raise ZaloNetworkError(f"{method}: {_describe(exc)}") from exc
        return _unwrap(method, response)


def _unwrap(method: str, response: httpx.Response) -> object:
    """Read the envelope whatever the HTTP status; fall back to the status without one."""
    try:
        body: object = response.json()
    except ValueError:
        body = None
    header_wait = _seconds(response.headers.get("retry-after"))
    if isinstance(body, Mapping) and isinstance(body.get("ok"), bool):
        if body["ok"]:
            return body.get("result")
        code = body.get("error_code")
        params = body.get("parameters")
        retry_after = _seconds(params.get("retry_after")) if isinstance(params, Mapping) else None
        raise error_for(
            code if isinstance(code, int) and not isinstance(code, bool) else response.status_code,
            str(body.get("description") or response.reason_phrase or "error"),
            retry_after if retry_after is not None else header_wait,
        )
    if response.is_success:
        raise ZaloNetworkError(f"{method}: unreadable answer (HTTP {response.status_code})")
    raise error_for(response.status_code, response.reason_phrase or "HTTP error", header_wait)


def _describe(exc: httpx.HTTPError) -> str:
    """The exception's kind and text — never its request URL, which holds the token."""
    text = str(exc)
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _seconds(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _from_ms(value: object) -> datetime | None:
    number = _seconds(value)
    if number is None:
        return None
    if number >= _SECONDS_NOT_MS:
        number /= 1000
    return datetime.fromtimestamp(number, tz=UTC)


def _date(value: object) -> datetime:
    date = _from_ms(value)
    if date is None:
        raise ZaloMalformedUpdate("message.date missing or not a number")
    return date


def _mapping_result(result: object, method: str) -> Mapping[str, object]:
    if not isinstance(result, Mapping):
        raise ZaloNetworkError(f"{method}: unexpected result {type(result).__name__}")
    return result


def _webhook_info(result: object) -> ZaloWebhookInfo:
    data = _mapping_result(result, "webhook")
    return ZaloWebhookInfo(
        url=str(data.get("url") or ""), updated_at=_from_ms(data.get("updated_at"))
    )


def _sent(result: object) -> ZaloSentMessage:
    data = result if isinstance(result, Mapping) else {}
    return ZaloSentMessage(
        message_id=str(data.get("message_id") or ""),
        date=_from_ms(data.get("date")) or datetime.now(UTC),
    )


def _mapping(parent: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = parent.get(key)
    if not isinstance(value, Mapping):
        raise ZaloMalformedUpdate(f"message.{key} missing")
    return value


def _id(parent: Mapping[str, object], name: str, *, key: str | None = None) -> str:
    """Ids are opaque strings; accept a number too, but never an empty id."""
    value = parent.get(key or name)
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise ZaloMalformedUpdate(f"{name} missing")
    return str(value)


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _sticker(value: object) -> str | None:
    """Documented as a sticker id; tolerate an object carrying one."""
    if isinstance(value, Mapping):
        value = value.get("id")
    return value if isinstance(value, str) and value else None
