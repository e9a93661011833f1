"""Office, police and leader commands: progress (/tiendo) and reminders now (/nhacnho).

Roles are checked by the registry before these run. Work that opens its own transactions
(a reminder round) runs after the event's transaction has committed.
"""

from __future__ import annotations

from bot.core.events import Reply
from bot.core.turn import Turn
from bot.messages import t
from bot.scheduler.quiet import in_quiet
from handlers.progress import progress_text, remind_now
from handlers.province import PROVINCE_VIEW_ROLES, province_progress
from handlers.registry import command
from storage.enums import Role


@command(
    "/tiendo",
    "cmd.tiendo",
    (Role.OFFICE_STAFF, Role.POLICE, Role.LEADER, Role.ADMIN, *PROVINCE_VIEW_ROLES),
)
def progress(turn: Turn, args: str) -> None:
    assert turn.member is not None
    if turn.commune_id is None:
        if turn.reach.province_wide:
            province_progress(turn)  # which communes have answered, and how far the rest are
        else:
            turn.say(Reply(t("chat.not_allowed")))
        return
    turn.say(
        Reply(progress_text(turn.session, turn.member, turn.commune_id, turn.settings, turn.now))
    )


@command("/nhacnho", "cmd.nhacnho", (Role.OFFICE_STAFF, Role.ADMIN))
def remind(turn: Turn, args: str) -> None:
    engine, settings, now, commune_id = turn.db, turn.settings, turn.now, turn.commune_id
    if commune_id is None:
        turn.say(Reply(t("chat.not_allowed")))
        return

    def run_round() -> list[Reply]:
        count = remind_now(engine, settings, now, commune_id)
        if count:
            return [Reply(t("progress.reminded", count=count))]
        if in_quiet(now.astimezone(settings.tz), settings.quiet_window):
            return [Reply(t("progress.remind_quiet", hours=settings.quiet_hours.strip()))]
        return [Reply(t("progress.nothing_to_remind"))]

    turn.after_commit.append(run_round)
