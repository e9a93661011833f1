"""A fake Telegram Bot API server for tests and benchmarks (see ``tests/fakes/__init__.py``).

It speaks the real wire protocol closely enough that python-telegram-bot 22 works against it
unchanged: ``telegram.Bot(token, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot")``.
Beyond answering, it checks what Telegram checks where a mistake would lose a message in
production — message length, HTML that does not parse, webhook/getUpdates exclusivity, edits
that change nothing — and it can misbehave on demand (errors, 429s, dropped connections,
flood limits, blocked users).
"""

from __future__ import annotations

import copy
import itertools
import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import telegram
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram.request import HTTPXRequest

from . import telegram_objects as tg
from .base import ApiError, FakeBotApi, Fault, ok
from .limits import TELEGRAM_LIMITS, Limits
from .telegram_params import MB, Upload, chat_id_param, int_param, read_params, text_param

__all__ = ["DEFAULT_TOKEN", "FakeTelegram", "Upload"]

JSON = dict[str, Any]
Handler = Callable[[JSON], Awaitable[Response]]

DEFAULT_TOKEN = "123456789:AAHfakeTinBaoTestToken_abcdefghijklmno"

_CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice"}
    | {"upload_document", "choose_sticker", "find_location", "record_video_note"}
    | {"upload_video_note"}
)
_COMMAND = re.compile(r"^[a-z0-9_]{1,32}$")
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_WEBHOOK_PORTS = frozenset({80, 88, 443, 8443})
_NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)


@dataclass
class _StoredFile:
    content: bytes
    file_path: str


class FakeTelegram(FakeBotApi):
    """Serves ``/bot<token>/<method>`` and ``/file/bot<token>/<file_path>`` on 127.0.0.1.

    Long polls wait at most :attr:`max_poll_timeout` seconds whatever ``timeout`` asks, so a
    test never idles for the production 30 s.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        enforce_limits: bool = False,
        limits: Limits = TELEGRAM_LIMITS,
        max_poll_timeout: float = 1.0,
        bot_username: str = "tinbao_test_bot",
    ) -> None:
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self._methods: dict[str, tuple[str, Handler]] = {
            name.lower(): (name, handler)
            for name, handler in {
                "getMe": self._get_me,
                "getUpdates": self._get_updates,
                "setWebhook": self._set_webhook,
                "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info,
                "sendMessage": self._send_message,
                "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_message_reply_markup,
                "answerCallbackQuery": self._answer_callback_query,
                "sendDocument": self._send_document,
                "sendPhoto": self._send_photo,
                "sendChatAction": self._send_chat_action,
                "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands,
                "deleteMyCommands": self._delete_my_commands,
                "getFile": self._get_file,
            }.items()
        }
        super().__init__(
            name="fake-telegram",
            app_factory=self._build_app,
            limits=limits,
            enforce_limits=enforce_limits,
            max_poll_timeout=max_poll_timeout,
        )
        with self._lock:
            self._reset_state()

    def _reset_state(self) -> None:
        self._updates: list[JSON] = []
        self._next_update_id = 1
        self._webhook: JSON | None = None
        self._messages: dict[int, dict[int, JSON]] = {}
        self._sent: dict[int, list[int]] = {}
        self._next_message_id: dict[int, int] = {}
        self._chat_types: dict[int, str] = {}
        self._users: dict[int, JSON] = {}
        self._blocked: set[int] = set()
        self._files: dict[str, _StoredFile] = {}
        self._commands: dict[tuple[str, str], list[JSON]] = {}
        self._ids = itertools.count(1)

    # === what tests use ====================================================================

    @property
    def base_url(self) -> str:
        """For ``telegram.Bot(base_url=…)`` / ``ApplicationBuilder().base_url(…)``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def ptb_bot(self, *, token: str | None = None, read_timeout: float = 5.0) -> telegram.Bot:
        """A python-telegram-bot ``Bot`` pointed at this fake (use ``async with``).

        ``token`` defaults to the fake's own (pass another to see the 401).

        TLS verification is off because the fake is plain HTTP on loopback: loading the CA
        bundle costs ~25 ms of CPU per httpx client, and PTB builds two per bot.
        """
        fast = {"verify": False}
        return telegram.Bot(
            token or self.token,
            base_url=self.base_url,
            base_file_url=self.base_file_url,
            request=HTTPXRequest(read_timeout=read_timeout, httpx_kwargs=fast),
            get_updates_request=HTTPXRequest(read_timeout=read_timeout, httpx_kwargs=fast),
        )

    def sent_to(self, chat_id: int) -> list[JSON]:
        """Messages the bot sent to ``chat_id``, oldest first, as they are now (after edits)."""
        with self._lock:
            chat = self._messages.get(chat_id, {})
            return [copy.deepcopy(chat[mid]) for mid in self._sent.get(chat_id, [])]

    def texts_to(self, chat_id: int) -> list[str]:
        """The text (or caption) of each message sent to ``chat_id``."""
        return [str(m.get("text") or m.get("caption") or "") for m in self.sent_to(chat_id)]

    @property
    def pending_updates(self) -> list[JSON]:
        """Updates pushed but not yet confirmed by a getUpdates offset."""
        with self._lock:
            return copy.deepcopy(self._updates)

    @property
    def webhook(self) -> JSON | None:
        """The webhook as set (``url``, ``secret_token``, …), or None."""
        with self._lock:
            return copy.deepcopy(self._webhook)

    def commands(self, scope: JSON | None = None, language_code: str = "") -> list[JSON]:
        """The command menu stored by setMyCommands for this scope and language."""
        with self._lock:
            return copy.deepcopy(self._commands.get(_scope_key(scope, language_code), []))

    def block_user(self, chat_id: int) -> None:
        """From now on, sends to this user answer 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(chat_id)

    def unblock_user(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(chat_id)

    def add_file(self, file_id: str, content: bytes, file_path: str | None = None) -> str:
        """Make ``file_id`` known to getFile and downloadable; returns its ``file_path``."""
        with self._lock:
            path = file_path or f"files/file_{next(self._ids)}"
            self._files[file_id] = _StoredFile(content, path)
            return path

    def push_update(self, update: JSON) -> JSON:
        """Queue an update for getUpdates (``update_id`` assigned if missing); returns it."""
        with self._lock:
            if "update_id" not in update:
                update = {"update_id": self._take_update_id(), **update}
            else:
                self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
            self._updates.append(copy.deepcopy(update))
        self._notify()
        return update

    # --- update builders (ids increase; nothing is queued until push_update) ----------------

    def text_update(
        self,
        user_id: int,
        text: str,
        chat_id: int | None = None,
        chat_type: str = "private",
        *,
        first_name: str | None = None,
        username: str | None = None,
    ) -> JSON:
        """A ``message`` with text; a leading ``/command`` gets its ``bot_command`` entity."""
        fields: JSON = {"text": text}
        if entities := tg.bot_command_entities(text):
            fields["entities"] = entities
        return self._user_message_update(
            user_id, chat_id, chat_type, fields, first_name=first_name, username=username
        )

    def edited_text_update(
        self, user_id: int, text: str, message_id: int, chat_id: int | None = None
    ) -> JSON:
        """An ``edited_message``: the user changed the text of ``message_id``."""
        with self._lock:
            cid = chat_id if chat_id is not None else user_id
            message: JSON = {
                "message_id": message_id,
                "from": self._user(user_id),
                "chat": self._chat(cid),
                "date": tg.now() - 60,
                "edit_date": tg.now(),
                "text": text,
            }
            if entities := tg.bot_command_entities(text):
                message["entities"] = entities
            return {"update_id": self._take_update_id(), "edited_message": message}

    def callback_update(
        self, user_id: int, data: str, message_id: int, chat_id: int | None = None
    ) -> JSON:
        """A ``callback_query``: the user pressed a button with ``data`` on ``message_id``."""
        with self._lock:
            cid = chat_id if chat_id is not None else user_id
            message = self._messages.get(cid, {}).get(message_id)
            if message is None:
                message = {
                    "message_id": message_id,
                    "from": self._bot_user(),
                    "chat": self._chat(cid),
                    "date": tg.now(),
                    "text": "…",
                }
            return {
                "update_id": self._take_update_id(),
                "callback_query": {
                    "id": str(next(self._ids) * 1_000_003),
                    "from": self._user(user_id),
                    "chat_instance": str(-cid * 7919),
                    "message": copy.deepcopy(message),
                    "data": data,
                },
            }

    def location_update(
        self,
        user_id: int,
        latitude: float = 21.0285,
        longitude: float = 105.8542,
        *,
        chat_id: int | None = None,
        horizontal_accuracy: float | None = None,
    ) -> JSON:
        location: JSON = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._user_message_update(user_id, chat_id, None, {"location": location})

    def contact_update(
        self,
        user_id: int,
        phone: str,
        contact_user_id: int | None,
        *,
        first_name: str = "Nguyễn Văn A",
        chat_id: int | None = None,
    ) -> JSON:
        """A shared contact; it proves the phone only when ``contact_user_id == user_id``."""
        contact: JSON = {"phone_number": phone, "first_name": first_name}
        if contact_user_id is not None:
            contact["user_id"] = contact_user_id
        return self._user_message_update(user_id, chat_id, None, {"contact": contact})

    def photo_update(
        self,
        user_id: int,
        file_id: str = "photo-1",
        *,
        caption: str | None = None,
        content: bytes | None = None,
        chat_id: int | None = None,
    ) -> JSON:
        """A photo (thumbnail + full size); ``content`` also registers the file for getFile."""
        if content is not None:
            self.add_file(file_id, content, f"photos/{file_id}.jpg")
        fields: JSON = {"photo": tg.photo_sizes(file_id, len(content or b"x" * 50_000))}
        if caption is not None:
            fields["caption"] = caption
        return self._user_message_update(user_id, chat_id, None, fields)

    def voice_update(
        self,
        user_id: int,
        file_id: str = "voice-1",
        *,
        duration: int = 3,
        content: bytes | None = None,
        chat_id: int | None = None,
    ) -> JSON:
        if content is not None:
            self.add_file(file_id, content, f"voice/{file_id}.oga")
        voice = {
            "file_id": file_id,
            "file_unique_id": tg.file_unique_id(file_id),
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(content or b"x" * 8_000),
        }
        return self._user_message_update(user_id, chat_id, None, {"voice": voice})

    def sticker_update(
        self,
        user_id: int,
        file_id: str = "sticker-1",
        *,
        emoji: str = "👍",
        chat_id: int | None = None,
    ) -> JSON:
        sticker = {
            "file_id": file_id,
            "file_unique_id": tg.file_unique_id(file_id),
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
        }
        return self._user_message_update(user_id, chat_id, None, {"sticker": sticker})

    def my_chat_member_update(
        self, user_id: int, new_status: str = "kicked", old_status: str = "member"
    ) -> JSON:
        """The bot's membership changed in a private chat: ``kicked`` = the user blocked it."""
        with self._lock:

            def member(status: str) -> JSON:
                out: JSON = {"status": status, "user": self._bot_user()}
                if status == "kicked":
                    out["until_date"] = 0
                return out

            return {
                "update_id": self._take_update_id(),
                "my_chat_member": {
                    "chat": self._chat(user_id),
                    "from": self._user(user_id),
                    "date": tg.now(),
                    "old_chat_member": member(old_status),
                    "new_chat_member": member(new_status),
                },
            }

    # === HTTP ===============================================================================

    def _build_app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{file_path:path}", self._file_endpoint, methods=["GET"]),
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
        name, handler = found
        try:
            params = await read_params(request)
        except ValueError as exc:
            return self._error(400, f"Bad Request: {exc}")
        return await self._serve_call(request, name, params, handler)

    async def _file_endpoint(self, request: Request) -> Response:
        if self._unreachable_now(request):
            return Response()
        if request.path_params["token"] != self.token:
            return self._error(401, "Unauthorized")
        path = request.path_params["file_path"]
        with self._lock:
            stored = next((f for f in self._files.values() if f.file_path == path), None)
        if stored is None:
            return self._error(404, "Not Found")
        return Response(stored.content, media_type="application/octet-stream")

    def _too_many_description(self, retry_after: float | None) -> str:
        return f"Too Many Requests: retry after {int(retry_after or 1)}"

    def _retry_after(self, fault: Fault) -> float | None:
        if fault.kind == 429:
            return int(fault.retry_after or 1)
        return None if fault.retry_after is None else int(fault.retry_after)

    # === methods ============================================================================

    async def _get_me(self, p: JSON) -> Response:
        return ok(
            {
                **self._bot_user(),
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
                "can_connect_to_business": False,
                "has_main_web_app": False,
            }
        )

    async def _get_updates(self, p: JSON) -> Response:
        limit = min(max(int_param(p, "limit", 100), 1), 100)
        with self._lock:
            if self._webhook is not None:
                raise ApiError(409, _WEBHOOK_CONFLICT)
            if "offset" in p:
                self._confirm(int_param(p, "offset", 0))

        def ready() -> list[JSON] | None:
            with self._lock:
                return copy.deepcopy(self._updates[:limit]) or None

        batch = await self._wait(ready, float(p.get("timeout") or 0))
        return ok(batch or [])

    async def _set_webhook(self, p: JSON) -> Response:
        url = str(p.get("url") or "")
        if not url:
            return await self._delete_webhook(p)
        parts = urlsplit(url)
        if parts.scheme != "https":
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if (parts.port or 443) not in _WEBHOOK_PORTS:
            raise ApiError(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            )
        secret = p.get("secret_token")
        if secret is not None and not _SECRET.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        max_connections = int_param(p, "max_connections", 40)
        if not 1 <= max_connections <= 100:
            raise ApiError(400, "Bad Request: bad webhook: invalid max_connections")
        with self._lock:
            self._webhook = {
                "url": url,
                "secret_token": secret,
                "max_connections": max_connections,
                "allowed_updates": p.get("allowed_updates"),
            }
            if p.get("drop_pending_updates"):
                self._updates.clear()
        self._notify()
        return ok(True)

    async def _delete_webhook(self, p: JSON) -> Response:
        with self._lock:
            self._webhook = None
            if p.get("drop_pending_updates"):
                self._updates.clear()
        return ok(True)

    async def _get_webhook_info(self, p: JSON) -> Response:
        with self._lock:
            info: JSON = {
                "url": self._webhook["url"] if self._webhook else "",
                "has_custom_certificate": False,
                "pending_update_count": len(self._updates),
            }
            if self._webhook:
                info["max_connections"] = self._webhook["max_connections"]
                if self._webhook["allowed_updates"]:
                    info["allowed_updates"] = self._webhook["allowed_updates"]
        return ok(info)

    async def _send_message(self, p: JSON) -> Response:
        chat_id = chat_id_param(p)
        text = text_param(p.get("text"), p.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        fields: JSON = {"text": text}
        _check_markup(p.get("reply_markup"))
        self._deliverable(chat_id, counts=True)
        return ok(self._bot_message(chat_id, fields, p.get("reply_markup")))

    async def _edit_message_text(self, p: JSON) -> Response:
        if "inline_message_id" in p:
            return ok(True)
        text = text_param(p.get("text"), p.get("parse_mode"))
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            raise ApiError(400, "Bad Request: message is too long")
        _check_markup(p.get("reply_markup"))
        with self._lock:
            message = self._editable(p)
            if "text" not in message:
                raise ApiError(400, "Bad Request: there is no text in the message to edit")
            return ok(self._apply_edit(message, p.get("reply_markup"), text=text))

    async def _edit_message_reply_markup(self, p: JSON) -> Response:
        if "inline_message_id" in p:
            return ok(True)
        _check_markup(p.get("reply_markup"))
        with self._lock:
            return ok(self._apply_edit(self._editable(p), p.get("reply_markup")))

    async def _answer_callback_query(self, p: JSON) -> Response:
        if not p.get("callback_query_id"):
            raise ApiError(400, "Bad Request: query_id is empty")
        if len(str(p.get("text") or "")) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        return ok(True)

    async def _send_document(self, p: JSON) -> Response:
        return await self._send_file(p, "document", 50 * MB)

    async def _send_photo(self, p: JSON) -> Response:
        return await self._send_file(p, "photo", 10 * MB)

    async def _send_file(self, p: JSON, kind: str, max_size: int) -> Response:
        chat_id = chat_id_param(p)
        caption = text_param(p.get("caption") or "", p.get("parse_mode"))
        if len(caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        value = p.get(kind)
        if isinstance(value, Upload):
            if value.size > max_size:
                raise ApiError(413, "Request Entity Too Large")
            content, name = value.content, value.filename
        else:
            with self._lock:
                known = self._files.get(value) if isinstance(value, str) else None
            if known is not None:
                content, name = known.content, known.file_path.rsplit("/", 1)[-1]
            elif isinstance(value, str) and value.startswith(("http://", "https://")):
                content, name = b"", value.rsplit("/", 1)[-1] or "file"
            else:
                raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        _check_markup(p.get("reply_markup"))
        self._deliverable(chat_id, counts=True)
        with self._lock:
            n = next(self._ids)
            file_id = f"{'BQAC' if kind == 'document' else 'AgAC'}AgIAAxkBAAI{n:08d}"
            folder = "documents" if kind == "document" else "photos"
            self._files[file_id] = _StoredFile(content, f"{folder}/file_{n}_{name}")
            fields: JSON
            if kind == "document":
                document = {
                    "file_id": file_id,
                    "file_unique_id": tg.file_unique_id(file_id),
                    "file_name": name,
                    "mime_type": value.content_type if isinstance(value, Upload) else None,
                    "file_size": len(content),
                }
                fields = {"document": {k: v for k, v in document.items() if v is not None}}
            else:
                fields = {"photo": tg.photo_sizes(file_id, len(content))}
            if caption:
                fields["caption"] = caption
            return ok(self._bot_message(chat_id, fields, p.get("reply_markup")))

    async def _send_chat_action(self, p: JSON) -> Response:
        chat_id = chat_id_param(p)
        if p.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self._deliverable(chat_id, counts=False)
        return ok(True)

    async def _set_my_commands(self, p: JSON) -> Response:
        commands = p.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, 'Bad Request: parameter "commands" is required')
        if len(commands) > 100:
            raise ApiError(400, "Bad Request: BOT_COMMANDS_TOO_MUCH")
        clean: list[JSON] = []
        for item in commands:
            if not isinstance(item, dict) or not _COMMAND.match(str(item.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(item.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
            clean.append({"command": item["command"], "description": item["description"]})
        with self._lock:
            self._commands[_scope_key(p.get("scope"), str(p.get("language_code") or ""))] = clean
        return ok(True)

    async def _get_my_commands(self, p: JSON) -> Response:
        return ok(self.commands(p.get("scope"), str(p.get("language_code") or "")))

    async def _delete_my_commands(self, p: JSON) -> Response:
        with self._lock:
            self._commands.pop(_scope_key(p.get("scope"), str(p.get("language_code") or "")), None)
        return ok(True)

    async def _get_file(self, p: JSON) -> Response:
        file_id = str(p.get("file_id") or "")
        with self._lock:
            stored = self._files.get(file_id)
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        if len(stored.content) > 20 * MB:
            raise ApiError(400, "Bad Request: file is too big")
        return ok(
            {
                "file_id": file_id,
                "file_unique_id": tg.file_unique_id(file_id),
                "file_size": len(stored.content),
                "file_path": stored.file_path,
            }
        )

    # === state helpers (call with the lock held unless noted) ================================

    def _take_update_id(self) -> int:
        with self._lock:
            update_id = self._next_update_id
            self._next_update_id += 1
            return update_id

    def _confirm(self, offset: int) -> None:
        """getUpdates ``offset`` semantics: forget updates below it (negative: keep the last)."""
        if offset < 0:
            self._updates = self._updates[offset:]
        else:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]

    def _bot_user(self) -> JSON:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Tin Báo",
            "username": self.bot_username,
        }

    def _user(
        self, user_id: int, first_name: str | None = None, username: str | None = None
    ) -> JSON:
        known = self._users.get(user_id)
        if known is None or first_name or username:
            known = self._users[user_id] = tg.user(
                user_id, first_name=first_name, username=username
            )
        return copy.deepcopy(known)

    def _chat_type(self, chat_id: int) -> str:
        return self._chat_types.get(chat_id) or tg.default_chat_type(chat_id)

    def _chat(self, chat_id: int) -> JSON:
        person = self._users.get(chat_id)
        name = str(person["first_name"]) if person else None
        return tg.chat(chat_id, self._chat_type(chat_id), first_name=name)

    def _user_message_update(
        self,
        user_id: int,
        chat_id: int | None,
        chat_type: str | None,
        fields: JSON,
        *,
        first_name: str | None = None,
        username: str | None = None,
    ) -> JSON:
        """Store a message from a person and wrap it in an update.

        ``chat_type`` None keeps what is known about the chat (or what its id implies).
        """
        with self._lock:
            if chat_id is None:
                chat_id = user_id if chat_type in (None, "private") else -abs(user_id)
            self._chat_types[chat_id] = chat_type or self._chat_type(chat_id)
            sender = self._user(user_id, first_name, username)
            message = self._store_message(chat_id, sender, fields)
            return {"update_id": self._take_update_id(), "message": copy.deepcopy(message)}

    def _store_message(self, chat_id: int, sender: JSON, fields: JSON) -> JSON:
        message_id = self._next_message_id.get(chat_id, 0) + 1
        self._next_message_id[chat_id] = message_id
        message: JSON = {
            "message_id": message_id,
            "from": sender,
            "chat": self._chat(chat_id),
            "date": tg.now(),
            **fields,
        }
        self._messages.setdefault(chat_id, {})[message_id] = message
        return message

    def _bot_message(self, chat_id: int, fields: JSON, reply_markup: Any) -> JSON:
        """Store a message the bot sent and return the copy Telegram answers with."""
        with self._lock:
            if _is_inline_keyboard(reply_markup):
                fields = {**fields, "reply_markup": reply_markup}
            message = self._store_message(chat_id, self._bot_user(), fields)
            self._sent.setdefault(chat_id, []).append(message["message_id"])
            return copy.deepcopy(message)

    def _deliverable(self, chat_id: int, *, counts: bool) -> None:
        """Blocked users answer 403; with limits on, a message may answer 429."""
        with self._lock:
            blocked = chat_id in self._blocked
            group = self._chat_type(chat_id) in ("group", "supergroup")
        if blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if counts:
            self._check_rate(chat_id, group=group)

    def _editable(self, p: JSON) -> JSON:
        chat_id = chat_id_param(p)
        message = self._messages.get(chat_id, {}).get(int_param(p, "message_id", 0))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if message["from"]["id"] != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return message

    def _apply_edit(self, message: JSON, reply_markup: Any, *, text: str | None = None) -> JSON:
        """Edits without ``reply_markup`` remove the inline keyboard, as Telegram's do."""
        markup = reply_markup if _is_inline_keyboard(reply_markup) else None
        new_text = message.get("text") if text is None else text
        if new_text == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(400, _NOT_MODIFIED)
        if text is not None:
            message["text"] = text
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = tg.now()
        return copy.deepcopy(message)


def _is_inline_keyboard(markup: Any) -> bool:
    return isinstance(markup, dict) and "inline_keyboard" in markup


def _check_markup(markup: Any) -> None:
    """Telegram refuses a button whose ``callback_data`` is not 1–64 bytes (UTF-8)."""
    if not _is_inline_keyboard(markup):
        return
    for row in markup["inline_keyboard"]:
        for button in row:
            data = button.get("callback_data") if isinstance(button, dict) else None
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")


def _scope_key(scope: Any, language_code: str) -> tuple[str, str]:
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code
