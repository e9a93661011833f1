"""A fake Zalo Bot API server (bot.zaloplatforms.com) for tests and benchmarks.

Follows ``shared/reference/zalo-bot-api.md``: JSON bodies on ``POST /bot<token>/<method>``,
a Telegram-like envelope, **one** update per getUpdates call (each handed out once, no
offset), a 408 error when a long poll ends empty, opaque string ids, dates in milliseconds,
and no buttons, edits or uploads. What Zalo does not document (rate limits, the 429 answer,
whether errors come with HTTP 200) is configurable so the client can be tested both ways.

It also serves static bytes at ``/files/<name>`` so a test can hand the bot a ``photo_url``
that really downloads.
"""

from __future__ import annotations

import collections
import copy
import json
import mimetypes
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .base import ApiError, FakeBotApi, ok
from .limits import ZALO_LIMITS, Limits

__all__ = ["DEFAULT_ZALO_TOKEN", "FakeZalo"]

JSON = dict[str, Any]
Handler = Callable[[JSON], Awaitable[Response]]

DEFAULT_ZALO_TOKEN = "2915463372054563981:FakeZaloSecretForTinBaoTests0123456789"
MAX_TEXT = 2000
_CHAT_ACTIONS = frozenset({"typing", "upload_photo"})


def _now_ms() -> int:
    return int(time.time() * 1000)


def _new_id() -> str:
    """Zalo ids look like 32 hex digits; nothing may be read into them."""
    return secrets.token_hex(16)


class FakeZalo(FakeBotApi):
    """Serves ``/bot<token>/<method>`` and ``/files/<name>`` on 127.0.0.1.

    ``errors_as_http_200=True`` answers errors with HTTP 200 and ``ok: false`` (Zalo does not
    document its HTTP statuses; a client must read the envelope either way).
    """

    def __init__(
        self,
        token: str = DEFAULT_ZALO_TOKEN,
        *,
        enforce_limits: bool = False,
        limits: Limits = ZALO_LIMITS,
        max_poll_timeout: float = 1.0,
        errors_as_http_200: bool = False,
        bot_name: str = "Tin Báo",
    ) -> None:
        self.token = token
        self.bot_id = token.split(":", 1)[0]
        self.bot_name = bot_name
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "sendPhoto": self._send_photo,
                "sendSticker": self._send_sticker,
                "sendChatAction": self._send_chat_action,
            }.items()
        }
        self._errors_as_http_200_default = errors_as_http_200
        super().__init__(
            name="fake-zalo",
            app_factory=self._build_app,
            limits=limits,
            enforce_limits=enforce_limits,
            max_poll_timeout=max_poll_timeout,
        )
        with self._lock:
            self._reset_state()

    def _reset_state(self) -> None:
        self.errors_as_http_200 = self._errors_as_http_200_default
        self._updates: collections.deque[JSON] = collections.deque()
        self._webhook: JSON | None = None
        self._webhook_updated_at = 0
        self._sent: dict[str, list[JSON]] = {}
        self._chat_types: dict[str, str] = {}
        self._files: dict[str, tuple[bytes, str]] = {}

    # === what tests use ====================================================================

    def sent_to(self, chat_id: str) -> list[JSON]:
        """What the bot sent to ``chat_id``, oldest first: dicts with ``type`` (text, photo,
        sticker), ``message_id``, ``date`` and the content (``text`` / ``photo`` + ``caption`` /
        ``sticker``)."""
        with self._lock:
            return copy.deepcopy(self._sent.get(chat_id, []))

    def texts_to(self, chat_id: str) -> list[str]:
        return [str(m.get("text") or m.get("caption") or "") for m in self.sent_to(chat_id)]

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates pushed and not yet handed out by getUpdates."""
        with self._lock:
            return copy.deepcopy(list(self._updates))

    @property
    def webhook(self) -> JSON | None:
        """``{"url", "secret_token"}`` as set, or None."""
        with self._lock:
            return copy.deepcopy(self._webhook)

    def push_update(self, update: JSON) -> JSON:
        """Queue an update; each getUpdates call hands out one, once."""
        with self._lock:
            self._updates.append(copy.deepcopy(update))
        self._notify()
        return update

    def add_file(self, name: str, content: bytes, content_type: str | None = None) -> str:
        """Serve ``content`` at ``/files/<name>``; returns the absolute URL (server running)."""
        media = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
        with self._lock:
            self._files[name] = (content, media)
        return f"{self.url}/files/{quote(name)}"

    # --- update builders --------------------------------------------------------------------

    def text_update(
        self,
        user_id: str,
        text: str,
        *,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str | None = None,
    ) -> JSON:
        return self._update(
            "message.text.received", user_id, chat_id, chat_type, display_name, {"text": text}
        )

    def image_update(
        self,
        user_id: str,
        photo_url: str,
        caption: str | None = None,
        *,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str | None = None,
    ) -> JSON:
        fields: JSON = {"photo_url": photo_url}
        if caption is not None:
            fields["caption"] = caption
        return self._update(
            "message.image.received", user_id, chat_id, chat_type, display_name, fields
        )

    def sticker_update(
        self,
        user_id: str,
        sticker: str = "bfe458bf64fa8da4d4eb",
        *,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str | None = None,
    ) -> JSON:
        return self._update(
            "message.sticker.received",
            user_id,
            chat_id,
            chat_type,
            display_name,
            {"sticker": sticker},
        )

    def unsupported_update(
        self,
        user_id: str,
        *,
        chat_id: str | None = None,
        chat_type: str = "PRIVATE",
        display_name: str | None = None,
    ) -> JSON:
        """Voice, file, location, contact …: Zalo tells the bot only that something came."""
        return self._update(
            "message.unsupported.received", user_id, chat_id, chat_type, display_name, {}
        )

    def _update(
        self,
        event_name: str,
        user_id: str,
        chat_id: str | None,
        chat_type: str,
        display_name: str | None,
        fields: JSON,
    ) -> JSON:
        user_id = str(user_id)
        if chat_id is None:
            chat_id = user_id if chat_type == "PRIVATE" else f"g{user_id}"
        with self._lock:
            self._chat_types[chat_id] = chat_type
        return {
            "event_name": event_name,
            "message": {
                "message_id": _new_id(),
                "date": _now_ms(),
                "from": {
                    "id": user_id,
                    "display_name": display_name or f"Người dùng {user_id[:6]}",
                    "is_bot": False,
                },
                "chat": {"id": chat_id, "chat_type": chat_type},
                **fields,
            },
        }

    # === HTTP ===============================================================================

    def _build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["POST"]),
                Route("/files/{name:path}", self._file_endpoint, methods=["GET"]),
            ]
        )

    async def _endpoint(self, request: Request) -> Response:
        if self._unreachable_now(request):
            return Response()
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        found = self._methods.get(str(request.path_params["method"]).lower())
        if found is None:
            return self._error(404, "Not Found")
        raw = await request.body()
        try:
            params = json.loads(raw) if raw.strip() else {}
        except ValueError:
            return self._error(400, "Bad Request: invalid JSON body")
        if not isinstance(params, dict):
            return self._error(400, "Bad Request: JSON body must be an object")
        name, handler = found
        return await self._serve_call(request, name, params, handler)

    async def _file_endpoint(self, request: Request) -> Response:
        if self._unreachable_now(request):
            return Response()
        with self._lock:
            stored = self._files.get(request.path_params["name"])
        if stored is None:
            return Response("Not Found", status_code=404)
        return Response(stored[0], media_type=stored[1])

    # === methods ============================================================================

    async def _get_me(self, p: JSON) -> Response:
        return ok(
            {
                "id": self.bot_id,
                "account_name": "bot.tinbao",
                "account_type": "BASIC",
                "can_join_groups": True,
            }
        )

    async def _get_updates(self, p: JSON) -> Response:
        try:
            timeout = float(p.get("timeout", "30"))
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: timeout must be a number of seconds") from None

        def ready() -> JSON | None:
            with self._lock:
                if self._webhook is None and self._updates:
                    return self._updates.popleft()
                return None

        update = await self._wait(ready, timeout)
        if update is None:
            raise ApiError(408, "Request timeout")
        return ok(update)

    async def _set_webhook(self, p: JSON) -> Response:
        url, secret = p.get("url"), p.get("secret_token")
        if not isinstance(url, str) or urlsplit(url).scheme != "https" or not urlsplit(url).netloc:
            raise ApiError(400, "Bad Request: url must be an HTTPS URL")
        if not isinstance(secret, str) or not 8 <= len(secret) <= 256:
            raise ApiError(400, "Bad Request: secret_token must be 8-256 characters")
        with self._lock:
            self._webhook = {"url": url, "secret_token": secret}
            self._webhook_updated_at = _now_ms()
            return ok({"url": url, "updated_at": self._webhook_updated_at})

    async def _delete_webhook(self, p: JSON) -> Response:
        with self._lock:
            self._webhook = None
            self._webhook_updated_at = _now_ms()
            updated_at = self._webhook_updated_at
        self._notify()
        return ok({"url": "", "updated_at": updated_at})

    async def _get_webhook_info(self, p: JSON) -> Response:
        with self._lock:
            url = self._webhook["url"] if self._webhook else ""
            return ok({"url": url, "updated_at": self._webhook_updated_at})

    async def _send_message(self, p: JSON) -> Response:
        chat_id = _chat_id(p)
        text = p.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= MAX_TEXT:
            raise ApiError(400, f"Bad Request: text must be 1-{MAX_TEXT} characters")
        return self._deliver(chat_id, {"type": "text", "text": text})

    async def _send_photo(self, p: JSON) -> Response:
        chat_id = _chat_id(p)
        photo, caption = p.get("photo"), p.get("caption")
        parts = urlsplit(photo) if isinstance(photo, str) else None
        if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
            raise ApiError(400, "Bad Request: photo must be an absolute http(s) URL")
        if caption is not None and (not isinstance(caption, str) or len(caption) > MAX_TEXT):
            raise ApiError(400, f"Bad Request: caption must be at most {MAX_TEXT} characters")
        return self._deliver(chat_id, {"type": "photo", "photo": photo, "caption": caption})

    async def _send_sticker(self, p: JSON) -> Response:
        chat_id = _chat_id(p)
        sticker = p.get("sticker")
        if not isinstance(sticker, str) or not sticker:
            raise ApiError(400, "Bad Request: sticker is required")
        return self._deliver(chat_id, {"type": "sticker", "sticker": sticker})

    async def _send_chat_action(self, p: JSON) -> Response:
        _chat_id(p)
        if p.get("action", "typing") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: action must be typing or upload_photo")
        return ok(True)

    def _deliver(self, chat_id: str, content: JSON) -> Response:
        with self._lock:
            group = self._chat_types.get(chat_id) == "GROUP"
        self._check_rate(chat_id, group=group)
        result = {"message_id": _new_id(), "date": _now_ms()}
        with self._lock:
            self._sent.setdefault(chat_id, []).append({**content, **result})
        return ok(result)


def _chat_id(p: JSON) -> str:
    """Zalo ids are opaque strings; an int here is a caller's bug, so refuse it."""
    chat_id = p.get("chat_id")
    if not isinstance(chat_id, str) or not chat_id:
        raise ApiError(400, "Bad Request: chat_id must be a non-empty string")
    return chat_id
