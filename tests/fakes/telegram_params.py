"""Reading Telegram Bot API requests: any encoding in, typed parameters out.

Telegram accepts the same parameters as a query string, urlencoded or multipart form, or
JSON; in the form encodings everything is a string and nested objects are JSON strings
(python-telegram-bot sends ``reply_markup`` that way). The fake's methods should not care, so
this module turns every request into one dict with ints, bools and decoded objects, and
uploads as :class:`Upload`. Parameter errors raise :class:`~tests.fakes.base.ApiError`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import UploadFile
from starlette.requests import Request

from .base import ApiError
from .telegram_html import HtmlError, plain_text

__all__ = ["MB", "Upload", "chat_id_param", "int_param", "read_params", "text_param"]

JSON = dict[str, Any]
MB = 1024 * 1024

# Form and query encodings carry everything as strings; JSON bodies may too (PTB sends
# reply_markup as a JSON string). These tables say what each parameter really is.
_INT_PARAMS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "user_id", "max_connections"}
    | {"reply_to_message_id", "cache_time", "message_thread_id", "duration"}
)
_BOOL_PARAMS = frozenset(
    {"show_alert", "drop_pending_updates", "disable_notification", "protect_content"}
    | {"disable_web_page_preview", "disable_content_type_detection", "has_spoiler"}
)
_JSON_PARAMS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "caption_entities"}
    | {"reply_parameters", "link_preview_options", "media"}
)


@dataclass(frozen=True)
class Upload:
    """A file that arrived in a multipart request (as recorded in :attr:`FakeTelegram.calls`)."""

    filename: str
    size: int
    content_type: str
    content: bytes = field(repr=False)


async def read_params(request: Request) -> JSON:
    """Merge query string and body (JSON, urlencoded or multipart) into typed params.

    Raises ValueError (→ 400) for a body that does not parse.
    """
    params: JSON = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        raw = await request.body()
        if raw.strip():
            body = json.loads(raw)
            if not isinstance(body, dict):
                raise ValueError("JSON body must be an object")
            params.update(body)
    elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        async with request.form(max_part_size=4 * MB) as form:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    content = await value.read()
                    params[key] = Upload(
                        value.filename or key,
                        len(content),
                        value.content_type or "application/octet-stream",
                        content,
                    )
                else:
                    params[key] = value
    # "attach://<name>" points at a multipart part of that name.
    for key, value in list(params.items()):
        if isinstance(value, str) and value.startswith("attach://"):
            params[key] = params.pop(value.removeprefix("attach://"), value)
    return {key: _coerce(key, value) for key, value in params.items()}


def _coerce(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if key in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise ValueError(f"can't parse {key} JSON object") from None
    if key in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if key in _BOOL_PARAMS and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return value


def int_param(p: JSON, key: str, default: int) -> int:
    value = p.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, f'Bad Request: field "{key}" must be of type Integer')
    return value


def chat_id_param(p: JSON) -> int:
    value = p.get("chat_id")
    if value is None or value == "":
        raise ApiError(400, "Bad Request: chat_id is empty")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "Bad Request: chat not found")
    return value


def text_param(text: Any, parse_mode: Any) -> str:
    """The text as Telegram stores it; unparsable HTML answers 400 like Telegram."""
    if not isinstance(text, str):
        raise ApiError(400, "Bad Request: message text is empty")
    if str(parse_mode or "").upper() != "HTML":
        return text
    try:
        return plain_text(text)
    except HtmlError as exc:
        raise ApiError(400, f"Bad Request: can't parse entities: {exc}") from None
