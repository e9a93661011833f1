"""Single-use invite codes that link a chat identity to a roster member.

A code is 8 characters from an alphabet without look-alikes (no 0/O, 1/I/L), upper case so
it can be read over the phone and typed in any case. It is also a valid Telegram deep-link
payload (``/start <code>``: A-Z a-z 0-9 _ -, at most 64). 31⁸ ≈ 8.5·10¹¹ codes, and the
engine rate-limits guesses (:mod:`storage.ratelimit`).
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from storage.models import InviteCode, Member
from storage.types import utcnow

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
_CODE = re.compile(rf"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(raw: str) -> str | None:
    """The stored form of what someone typed ('ab cd-EF gh' is not a code; ' abcdefgh ' is)."""
    code = raw.strip().upper()
    return code if _CODE.match(code) else None


def issue_codes(session: Session, members: Iterable[Member]) -> list[InviteCode]:
    """One fresh code per member; older unused codes of those members stop working."""
    issued: list[InviteCode] = []
    for member in members:
        assert member.id is not None, "members must be flushed before codes are issued"
        session.exec(
            delete(InviteCode)
            .where(col(InviteCode.member_id) == member.id)
            .where(col(InviteCode.used_at).is_(None))
        )
        code = new_code()
        while session.get(InviteCode, code) is not None:  # astronomically rare
            code = new_code()
        row = InviteCode(code=code, member_id=member.id)
        session.add(row)
        issued.append(row)
    session.flush()
    return issued


def redeem(session: Session, code: str, channel: str) -> Member | None:
    """Use a code once: the active member it was issued to, or None (unknown, used, retired).

    The conditional UPDATE is what makes it single-use across processes: of two workers
    redeeming the same code at once, only one sees its row change.
    """
    normal = normalise_code(code)
    if normal is None:
        return None
    invite = session.get(InviteCode, normal)
    if invite is None or invite.used_at is not None:
        return None
    member = session.get(Member, invite.member_id)
    if member is None or not member.active:
        return None
    result = session.exec(
        update(InviteCode)
        .where(col(InviteCode.code) == normal)
        .where(col(InviteCode.used_at).is_(None))
        .values(used_at=utcnow(), used_channel=str(channel))
    )
    if result.rowcount != 1:
        return None
    session.expire(invite)
    return member


def unlinked_members(session: Session) -> list[Member]:
    """Active members with no Telegram or Zalo identity yet: the ones who need a code."""
    return list(
        session.exec(
            select(Member)
            .where(col(Member.active))
            .where(col(Member.telegram_user_id).is_(None))
            .where(col(Member.zalo_user_id).is_(None))
            .order_by(col(Member.unit_id), col(Member.id))
        ).all()
    )


def deep_link(bot_username: str, code: str) -> str | None:
    """``https://t.me/<bot>?start=<code>``: opening it sends ``/start <code>`` to the bot."""
    name = bot_username.strip().removeprefix("@")
    return f"https://t.me/{name}?start={code}" if name else None
