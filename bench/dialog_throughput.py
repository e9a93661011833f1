"""Dialog throughput: the same six-question form, the same updates, three ways.

(a) python-telegram-bot's own ConversationHandler, state in a per-process dict (baseline);
(b) the Tin Báo engine on SQLite; (c) the Tin Báo engine on PostgreSQL. Each update goes
from raw Bot API JSON through ``Update.de_json`` to the handler. Neither side touches the
network: PTB's requests are answered in-process, and our engine's replies land in the outbox
table (durably, in the same transaction as the dialog state) — that durability is the point.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from telegram import Bot, Update
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    ContextTypes,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest, RequestData

from bench.pg import DEFAULT_PG_URL, fresh_schema, postgres_available
from bot.channels.telegram_inbound import to_event
from bot.context import AppContext, open_context
from bot.core.engine import Engine
from bot.core.forms.loader import load_form
from bot.settings import load_settings
from storage.db import transaction
from storage.models import Commune, Member, Unit

FORM = Path(__file__).with_name("bench_form.yaml")
ANSWERS = ["12", "30", "có", "Bến đò thôn Trà Xinh", "4", "Không có gì thêm", "gửi"]
TOKEN = "123:bench"


# --- identical raw updates ------------------------------------------------------------------
def raw_updates(dialogs: int) -> list[dict[str, Any]]:
    """For each user: press 'go:bench_form', answer six questions, type 'gửi' to submit."""
    updates: list[dict[str, Any]] = []
    uid = 0
    now = int(time.time())
    for user in range(1, dialogs + 1):
        chat = {"id": user, "type": "private", "first_name": f"U{user}"}
        sender = {"id": user, "is_bot": False, "first_name": f"U{user}"}
        uid += 1
        updates.append(
            {
                "update_id": uid,
                "callback_query": {
                    "id": f"cb{uid}",
                    "from": sender,
                    "chat_instance": str(user),
                    "data": "go:bench_form",
                    "message": {"message_id": 1, "date": now, "chat": chat, "text": "menu"},
                },
            }
        )
        for text in ANSWERS:
            uid += 1
            updates.append(
                {
                    "update_id": uid,
                    "message": {
                        "message_id": uid,
                        "date": now,
                        "chat": chat,
                        "from": sender,
                        "text": text,
                    },
                }
            )
    return updates


# --- (a) the baseline -----------------------------------------------------------------------
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
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
            }
        return 200, json.dumps({"ok": True, "result": result}).encode()


def _valid_int(text: str) -> bool:
    return text.isdigit() and 0 <= int(text) <= 1000


async def run_baseline(updates: list[dict[str, Any]]) -> tuple[list[float], float]:
    validators: list[Callable[[str], bool]] = [
        _valid_int,
        _valid_int,
        lambda t: t.lower() in ("có", "co", "không", "khong"),
        lambda t: 0 < len(t) <= 200,
        _valid_int,
        lambda t: 0 < len(t) <= 200,
    ]
    store: dict[int, dict[str, str]] = {}

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
    conversation = ConversationHandler(
        entry_points=[CallbackQueryHandler(start, pattern="^go:bench_form$")],
        states=states,  # type: ignore[arg-type]
        fallbacks=[],
        per_message=False,
    )
    app = Application.builder().token(TOKEN).request(InProcessRequest()).updater(None).build()
    app.add_handler(conversation)
    await app.initialize()
    latencies = []
    cpu_start = time.process_time()
    for data in updates:
        start_at = time.perf_counter()
        await app.process_update(Update.de_json(data, app.bot))
        latencies.append(time.perf_counter() - start_at)
    cpu = time.process_time() - cpu_start
    await app.shutdown()
    assert len(store) == len(updates) // 8, "baseline did not finish every dialog"
    return latencies, cpu


# --- (b, c) our engine -----------------------------------------------------------------------
def _seed(ctx: AppContext, dialogs: int) -> None:
    with transaction(ctx.engine) as s:
        commune = Commune(
            code=21154,
            name="Xã Tây Trà",
            short_name="Tây Trà",
            province_code=51,
            province_name="Quảng Ngãi",
        )
        s.add(commune)
        s.flush()
        unit = Unit(commune_id=commune.id or 0, name="Thôn Trà Xinh", kind="village")
        s.add(unit)
        s.flush()
        for user in range(1, dialogs + 1):
            s.add(
                Member(
                    unit_id=unit.id or 0,
                    full_name=f"Người {user}",
                    phone=f"09{user:08d}",
                    roles=["village_head"],
                    telegram_user_id=str(user),
                    telegram_chat_id=str(user),
                )
            )


def run_engine(ctx: AppContext, updates: list[dict[str, Any]]) -> tuple[list[float], float]:
    form = load_form(FORM)
    engine = Engine(ctx, forms={form.id: form})
    bot = Bot(TOKEN)
    latencies = []
    cpu_start = time.process_time()
    for data in updates:
        start_at = time.perf_counter()
        event = to_event(Update.de_json(data, bot))
        assert event is not None
        engine.handle(event)
        latencies.append(time.perf_counter() - start_at)
    return latencies, time.process_time() - cpu_start


def summarise(
    name: str, measured: tuple[list[float], float], baseline: float | None
) -> dict[str, Any]:
    """Wall-clock rate and latencies, plus CPU time per update (steadier on a shared VM, where
    disk flushes make wall time noisy)."""
    latencies, cpu = measured
    total = sum(latencies)
    ordered = sorted(latencies)
    rate = len(latencies) / total
    return {
        "variant": name,
        "updates": len(latencies),
        "updates_per_s": round(rate, 1),
        "p50_ms": round(statistics.median(ordered) * 1000, 3),
        "p99_ms": round(ordered[int(len(ordered) * 0.99) - 1] * 1000, 3),
        "cpu_ms_per_update": round(cpu / len(latencies) * 1000, 3),
        "vs_baseline": round(rate / baseline, 3) if baseline else 1.0,
    }


def run(dialogs: int = 300, pg_url: str | None = DEFAULT_PG_URL) -> list[dict[str, Any]]:
    updates = raw_updates(dialogs)
    base = asyncio.run(run_baseline(updates))
    rows = [summarise("PTB ConversationHandler (memory)", base, None)]
    base_rate = rows[0]["updates_per_s"]
    with tempfile.TemporaryDirectory() as tmp:
        ctx = open_context(load_settings(_env_file=None, data_dir=Path(tmp)))
        _seed(ctx, dialogs)
        rows.append(
            summarise("Tin Báo engine, SQLite (durable)", run_engine(ctx, updates), base_rate)
        )
        ctx.close()
    if pg_url and postgres_available(pg_url):
        with fresh_schema(pg_url) as url:
            ctx = open_context(load_settings(_env_file=None, database_url=url))
            _seed(ctx, dialogs)
            measured = run_engine(ctx, updates)
            rows.append(summarise("Tin Báo engine, PostgreSQL (durable)", measured, base_rate))
            ctx.close()
    return rows


if __name__ == "__main__":
    from bench.report import markdown_table

    print(markdown_table(run(int(os.environ.get("BENCH_DIALOGS", "300")))))
