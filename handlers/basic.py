"""/start, /help, /baocao and /huy: what every registered member can do."""

from __future__ import annotations

from sqlmodel import select

from bot.core.dialog import Dialog
from bot.core.events import Choice, Outgoing, Reply
from bot.core.forms.schema import Form
from bot.core.render import esc, menu_reply
from bot.core.turn import Turn
from bot.messages import t
from bot.outbox.protocol import COMMAND_MENU
from handlers.registry import command, command_words, commands_for
from storage.models import Commune


def usable_forms(turn: Turn) -> list[Form]:
    dialog = Dialog(turn)
    return sorted((f for f in turn.forms.values() if dialog.may_use(f)), key=lambda f: f.order)


def show_menu(turn: Turn, greeting: str | None = None) -> None:
    assert turn.member is not None
    dialog = Dialog(turn)
    draft = dialog.form.title if dialog.active else None
    greeting = greeting or t("menu.greeting", name=esc(turn.member.full_name))
    turn.say(menu_reply(usable_forms(turn), draft_title=draft, greeting=greeting))


def publish_command_menu(turn: Turn) -> None:
    """The commands this member may use, as the chat's menu (where the channel has one)."""
    menu = [Choice(t(spec.help_key), spec.name) for spec in commands_for(turn.roles)]
    turn.outgoing.append(
        Outgoing(turn.event.channel, turn.event.chat_id, Reply("", choices=menu), kind=COMMAND_MENU)
    )


def welcome(turn: Turn) -> None:
    assert turn.member is not None and turn.unit is not None
    commune = turn.session.get(Commune, turn.commune_id) if turn.commune_id else None
    # A province-level member belongs to the installation's province, not to one commune.
    place = commune.name if commune else turn.session.exec(select(Commune.province_name)).first()
    turn.say(
        Reply(
            t(
                "register.welcome",
                name=esc(turn.member.full_name),
                unit=esc(turn.unit.name),
                commune=esc(place or ""),
            )
        )
    )
    show_menu(turn, greeting=t("menu.greeting", name=esc(turn.member.full_name)))
    publish_command_menu(turn)


@command("/start", "cmd.start")
def start(turn: Turn, args: str) -> None:
    show_menu(turn)
    publish_command_menu(turn)


@command("/help", "cmd.help")
def help_(turn: Turn, args: str) -> None:
    lines = []
    for spec in commands_for(turn.roles):
        words = command_words(spec)
        key = "help.line_words" if words else "help.line"
        lines.append(t(key, command=spec.name, description=t(spec.help_key), words=words))
    turn.say(Reply(t("help.text", commands="\n".join(lines))))


@command("/baocao", "cmd.baocao")
def report_menu(turn: Turn, args: str) -> None:
    show_menu(turn)


@command("/huy", "cmd.huy")
def cancel(turn: Turn, args: str) -> None:
    Dialog(turn).cancel()
