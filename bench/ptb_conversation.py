"""The baseline: python-telegram-bot's ConversationHandler on the bench form (bench_form.yaml).

The same six questions as our form, validated the same way (numbers 0–1000, yes/no, short
texts), state in PTB's per-process ``user_data``: what a typical PTB bot looks like. Used by
the in-process dialog benchmark and by the PTB webhook app of the end-to-end benchmark.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData
from telegram.warnings import PTBUserWarning

ANSWERS = ["12", "30", "có", "Bến đò thôn Trà Xinh", "4", "Không có gì thêm", "gửi"]
STEPS = 1 + len(ANSWERS)  # the button that opens the form, then the answers
REPLIES_PER_DIALOG = STEPS  # the baseline sends one message per update (+ one button answer)


def raw_updates(dialogs: int, first_user: int = 1) -> list[dict[str, Any]]:
    """Bot API JSON for ``dialogs`` users, each pressing 'go:bench_form', answering the six
    questions and typing 'gửi'. Interleaved as a busy commune sends them: every user's
    first step, then every user's second step…, so a batch holds many chats."""
    now = int(time.time())
    per_user: list[list[dict[str, Any]]] = []
    for user in range(first_user, first_user + dialogs):
        chat = {"id": user, "type": "private", "first_name": f"U{user}"}
        sender = {"id": user, "is_bot": False, "first_name": f"U{user}"}
        press = {
            "callback_query": {
                "id": f"cb{user}",
                "from": sender,
                "chat_instance": str(user),
                "data": "go:bench_form",
                "message": {"message_id": 1, "date": now, "chat": chat, "text": "menu"},
            }
        }
        texts = [
            {"message": {"message_id": 2 + i, "date": now, "chat": chat, "from": sender, "text": t}}
            for i, t in enumerate(ANSWERS)
        ]
        per_user.append([press, *texts])
    ordered = [steps[i] for i in range(STEPS) for steps in per_user]
    return [{"update_id": n, **update} for n, update in enumerate(ordered, 1)]


def _valid_int(text: str) -> bool:
    return text.isdigit() and 0 <= int(text) <= 1000


def conversation(store: dict[int, dict[str, str]]) -> ConversationHandler[Any]:
    """The bench form as a ConversationHandler; a finished dialog's answers go to ``store``."""
    validators: list[Callable[[str], bool]] = [
        _valid_int,
        _valid_int,
        lambda t: t.lower() in ("có", "co", "không", "khong"),
        lambda t: 0 < len(t) <= 200,
        _valid_int,
        lambda t: 0 < len(t) <= 200,
    ]

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.callback_query is not None and update.effective_chat is not None
        await update.callback_query.answer()
        await context.bot.send_message(update.effective_chat.id, "Câu 1: gõ một số")
        return 0

    def answer(index: int) -> Callable[..., Any]:
        async def handle(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
            assert update.message is not None and update.effective_chat is not None
            text = update.message.text or ""
            if not validators[index](text):
                await context.bot.send_message(update.effective_chat.id, "Vui lòng gõ lại.")
                return index
            data = context.user_data
            assert data is not None
            data[f"q{index + 1}"] = text
            prompt = f"Câu {index + 2}" if index < 5 else "Xem lại — gõ «gửi»"
            await context.bot.send_message(update.effective_chat.id, prompt)
            return index + 1

        return handle

    async def submit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> int:
        assert update.effective_chat is not None and context.user_data is not None
        store[update.effective_chat.id] = dict(context.user_data)
        await context.bot.send_message(update.effective_chat.id, "Đã gửi")
        return ConversationHandler.END

    text = filters.TEXT & ~filters.COMMAND
    states: dict[object, list[Any]] = {i: [MessageHandler(text, answer(i))] for i in range(6)}
    states[6] = [MessageHandler(filters.Regex("^gửi$"), submit)]
    with warnings.catch_warnings():  # per_message=False is what we mean (one dialog per chat)
        warnings.simplefilter("ignore", PTBUserWarning)
        return ConversationHandler(
            entry_points=[CallbackQueryHandler(start, pattern="^go:bench_form$")],
            states=states,
            fallbacks=[],
            per_message=False,
        )


class InProcessRequest(BaseRequest):
    """Answers every Bot API call at once with a plausible result (no network)."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None: ...

    async def shutdown(self) -> None: ...

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = None,
        write_timeout: Any = None,
        connect_timeout: Any = None,
        pool_timeout: Any = None,
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        result: Any = True
        if name == "getMe":
            result = {"id": 123, "is_bot": True, "first_name": "Tin Báo", "username": "tinbao_bot"}
        elif name == "sendMessage":
            result = {
                "message_id": 1,
                "date": 0,
                "text": params.get("text", ""),
                "chat": {"id": int(str(params.get("chat_id", 0))), "type": "private"},
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()
