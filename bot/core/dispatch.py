"""Route one event: registration, commands, buttons, or the open dialog.

Roles are checked here for every command and every button press; the member and unit come
from the roster (:mod:`bot.core.identity`), never from the message.
"""

from __future__ import annotations

import re

from sqlmodel import col, select

from bot.core.dialog import Dialog
from bot.core.events import EventKind, Reply, RequestKind
from bot.core.forms.schema import Form
from bot.core.identity import mark_reachable, register_by_code, register_by_contact
from bot.core.turn import Turn
from bot.messages import t
from bot.text import fold, fold_label, small_int
from handlers import basic, province
from handlers.incidents import change_status
from handlers.registry import find_command, load_all, typed_command
from handlers.summary import summary_picked
from storage.models import OutboxMessage, Unit

_CODE_LIKE = re.compile(r"^[A-Za-z0-9_-]{6,16}$")
_CANCEL_WORDS = {"huy", "huy bo", "thoi"}
#: Buttons a number typed right after them may stand for (text channels have no buttons):
#: an alert's statuses, the /summary list of directives.
_TYPED_BUTTONS = ("inc", "sum", "psum", "ans", "ans!", "ans-")


def dispatch(turn: Turn) -> None:
    """Route the event. The engine has already looked the sender up in the roster
    (``turn.member`` and ``turn.unit``, None for a stranger)."""
    load_all()
    event = turn.event
    if turn.member is not None and turn.member.unreachable:
        mark_reachable(turn.session, turn.member)  # they blocked the bot; writing unblocks it
    if not event.private_chat:
        if event.command is not None:
            turn.say(Reply(t("chat.group_not_supported")))
        return
    if turn.member is None:
        _register(turn)
        return
    if event.kind is EventKind.EDITED:
        turn.say(Reply(t("chat.edited_ignored")))
        return
    if event.kind is EventKind.BUTTON:
        _on_button(turn, event.data or "")
        return
    cmd = event.command
    if cmd is not None:
        _run_command(turn, *cmd)
        return
    if event.kind is EventKind.CONTACT:
        turn.say(Reply(t("chat.already_registered"), remove_keyboard=True))
        return
    dialog = Dialog(turn)
    if event.kind is EventKind.TEXT and fold(event.text or "") in _CANCEL_WORDS:
        dialog.cancel()
        return
    if dialog.active:
        # A form's title typed mid-dialog (Zalo: /baocao, then the menu line's words) starts
        # it, as its button would; everything else is the dialog's to read. No query here:
        # this is the path every answer takes.
        titled = _typed_title(turn, event.text) if event.kind is EventKind.TEXT else None
        if titled is not None:
            dialog.start(titled.id, None)
        else:
            dialog.on_typed_or_shared()
        return
    _idle_input(turn, dialog)


def _run_command(turn: Turn, name: str, args: str) -> None:
    spec = find_command(name)
    if spec is None:
        turn.say(Reply(t("chat.unknown_command", command=name[:32])))
        return
    if not spec.allowed(turn.roles):
        turn.say(Reply(t("chat.not_allowed")))
        return
    spec.handler(turn, args)


def _on_button(turn: Turn, data: str) -> None:
    parts = data.split(":")
    head = parts[0]
    if data == "resume":
        dialog = Dialog(turn)
        if dialog.active:
            dialog.navigate("resume")
        else:
            basic.show_menu(turn)
        return
    if head == "go" and len(parts) in (2, 3):
        directive_id = small_int(parts[2]) if len(parts) == 3 else None
        if len(parts) == 3 and directive_id is None:
            _stale(turn)
            return
        Dialog(turn).start(parts[1], directive_id)
        return
    if head in ("a", "n") and len(parts) >= 3 and (step := small_int(parts[1])) is not None:
        dialog = Dialog(turn)
        if not dialog.active or step != dialog.row.step:
            turn.toast(t("chat.stale_button"))
            dialog.show_current(prefix=t("chat.stale_button")) if dialog.active else _stale(turn)
            return
        value = ":".join(parts[2:])
        if head == "a":
            dialog.on_button_answer(value)
        else:
            dialog.navigate(value)
        return
    if head == "inc" and len(parts) == 3 and (incident_id := small_int(parts[1])) is not None:
        change_status(turn, incident_id, parts[2])
        return
    if head == "sum" and len(parts) == 2 and (directive_id := small_int(parts[1])) is not None:
        summary_picked(turn, directive_id)
        return
    if head == "psum" and len(parts) == 2 and (directive_id := small_int(parts[1])) is not None:
        province.province_picked(turn, directive_id)
        return
    if head in ("ans", "ans!") and len(parts) == 3 and (directive_id := small_int(parts[1])):
        (province.ask_send if head == "ans" else province.send)(turn, directive_id, parts[2])
        return
    if data == "ans-":
        province.not_now(turn)
        return
    _stale(turn)


def _stale(turn: Turn) -> None:
    turn.toast(t("chat.stale_button"))
    turn.say(Reply(t("chat.stale_button")))


def _idle_input(turn: Turn, dialog: Dialog) -> None:
    """Input with no dialog open: on text channels, a menu number or title typed, a
    command's words («tổng hợp»); otherwise a nudge to the menu."""
    event = turn.event
    if event.kind is EventKind.TEXT and event.text:
        typed = _typed_button(turn, event.text)
        if typed is not None:
            _on_button(turn, typed)
            return
        folded = fold(event.text).removeprefix("so ").rstrip(".")
        forms = basic.usable_forms(turn)
        picked = small_int(folded)
        if picked is not None and 1 <= picked <= len(forms):
            dialog.start(forms[picked - 1].id, None)
            return
        titled = _typed_title(turn, event.text)
        if titled is not None:
            dialog.start(titled.id, None)
            return
        if folded == fold(t("alias.resume")):
            dialog.navigate("resume")
            return
        words = typed_command(event.text)
        if words is not None:
            _run_command(turn, words[0].name, words[1])
            return
    elif event.kind is EventKind.UNSUPPORTED:
        turn.say(Reply(t("chat.unsupported_message")))
    basic.show_menu(turn)


def _typed_title(turn: Turn, text: str | None) -> Form | None:
    """The menu form whose title was typed, without emoji or diacritics («bao tin doi tuong
    kha nghi» for «🚨 Báo tin đối tượng khả nghi»)."""
    label = fold_label(text or "")
    if not label:
        return None
    return next((f for f in basic.usable_forms(turn) if fold_label(f.title) == label), None)


def _typed_button(turn: Turn, text: str) -> str | None:
    """With no dialog open, a button of the last message sent to this chat, typed instead of
    pressed (text channels have no buttons): its label without emoji or diacritics, or the
    number of an alert's status or of a directive in the /summary list.

    Only the last message counts: an older list is not meant.
    """
    label = fold_label(text)
    if not label:
        return None
    last = turn.session.exec(
        select(OutboxMessage.payload)
        .where(OutboxMessage.channel == turn.event.channel)
        .where(OutboxMessage.chat_id == turn.event.chat_id)
        .where(OutboxMessage.kind == "message")
        .order_by(col(OutboxMessage.id).desc())
        .limit(1)
    ).first()
    number = small_int(fold(text).removeprefix("so ").rstrip("."))
    for choice in (last or {}).get("choices", []):
        data = str(choice.get("data", ""))
        head = data.split(":")[0]
        if head in ("a", "n"):
            continue
        if fold_label(str(choice.get("label", ""))) == label:
            return data
        if number is not None and head in _TYPED_BUTTONS and choice.get("number") == number:
            return data
    return None


def _register(turn: Turn) -> None:
    """Someone not (yet) on the roster: an invite code, their own contact, or a polite no."""
    event = turn.event
    code: str | None = None
    cmd = event.command
    if cmd is not None and cmd[0] == "/start" and cmd[1]:
        code = cmd[1]
    elif event.kind is EventKind.TEXT and event.text and _CODE_LIKE.match(event.text.strip()):
        code = event.text.strip()
    if code is not None:
        result = register_by_code(turn.session, event, code, turn.now)
        if result == "throttled":
            turn.say(Reply(t("register.throttled")))
            return
        if result is None or isinstance(result, str):
            turn.say(Reply(t("register.wrong_code")))
            return
        _registered(turn, result)
        return
    if event.kind is EventKind.CONTACT:
        if event.contact_user_id != event.user_id:
            turn.say(Reply(t("register.contact_not_own")))
            return
        member = register_by_contact(turn.session, event)
        if member is None:
            turn.say(Reply(t("register.phone_unknown"), remove_keyboard=True))
            return
        _registered(turn, member)
        return
    turn.say(Reply(t("chat.unknown_person"), request=RequestKind.CONTACT))


def _registered(turn: Turn, member: object) -> None:
    from storage.models import Member

    assert isinstance(member, Member)
    turn.member = member
    turn.unit = turn.session.get(Unit, member.unit_id)
    basic.welcome(turn)
