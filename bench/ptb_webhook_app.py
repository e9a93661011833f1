"""The end-to-end baseline: python-telegram-bot answering webhook updates over HTTP.

A PTB ``Application`` without an updater, fed by a small Starlette webhook (PTB's documented
custom-webhook pattern: the endpoint puts the update in ``update_queue`` and answers 200),
running the bench form's ConversationHandler; replies go to the Bot API at ``api_url`` (the
benchmark's fake Telegram). State is in memory, nothing is durable: the 200 means "queued".

    python -m bench.ptb_webhook_app PORT API_URL TOKEN
"""

from __future__ import annotations

import asyncio
import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from telegram import Update
from telegram.ext import Application

from bench.ptb_conversation import conversation

WEBHOOK_PATH = "/telegram/webhook"


async def serve(port: int, api_url: str, token: str) -> None:
    # PTB's defaults throughout, as Tin Báo's own Bot (bot.channels.telegram_channel) has.
    app = (
        Application.builder()
        .token(token)
        .base_url(f"{api_url}/bot")
        .base_file_url(f"{api_url}/file/bot")
        .updater(None)
        .build()
    )
    app.add_handler(conversation({}))

    async def webhook(request: Request) -> Response:
        await app.update_queue.put(Update.de_json(await request.json(), app.bot))
        return PlainTextResponse("ok")

    web = Starlette(routes=[Route(WEBHOOK_PATH, webhook, methods=["POST"])])
    server = uvicorn.Server(
        uvicorn.Config(web, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    async with app:
        await app.start()
        await server.serve()
        await app.stop()


if __name__ == "__main__":
    asyncio.run(serve(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
