"""``tinbao outbox …``: what is waiting, what failed, and sending failed messages again."""

from __future__ import annotations

import typer
from rich.table import Table

from bot.cli.base import app, cli_context, console
from bot.messages import t
from bot.outbox.admin import retry_dead, status_counts
from storage.enums import OutboxStatus
from storage.types import utcnow

outbox_app = typer.Typer(help="Hộp thư đi / the outbox of outgoing messages.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")

_COLUMNS = [
    OutboxStatus.QUEUED,
    OutboxStatus.SENDING,
    OutboxStatus.RETRYING,
    OutboxStatus.SENT,
    OutboxStatus.DEAD,
]


@outbox_app.command("status")
def outbox_status() -> None:
    """Đếm tin nhắn đi theo kênh: đang chờ, đang gửi, thử lại, đã gửi, hỏng.

    Count messages per channel: queued, sending, retrying, sent, dead."""
    with cli_context() as ctx:
        counts = status_counts(ctx.engine)
    if not counts:
        console.print(t("cli.outbox.empty"))
        return
    table = Table(title=t("cli.outbox.title"))
    table.add_column(t("cli.outbox.channel"))
    for status in _COLUMNS:
        table.add_column(t(f"cli.outbox.{status.value}"), justify="right")
    for channel, per in counts.items():
        table.add_row(channel, *(str(per.get(status.value, 0)) for status in _COLUMNS))
    console.print(table)


@outbox_app.command("retry-dead")
def outbox_retry_dead(
    channel: str | None = typer.Option(None, help="Only this channel (telegram, zalo, web)."),
) -> None:
    """Gửi lại mọi tin nhắn hỏng (đếm lại số lần thử từ đầu).

    Queue every dead message again (attempts start from zero)."""
    with cli_context() as ctx:
        count = retry_dead(ctx.engine, utcnow(), channel)
    console.print(t("cli.outbox.retried", count=count))
