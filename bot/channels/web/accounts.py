"""Office accounts for the dashboard (WebAccount rows): create one, or reset its password.

Only members whose roster roles may open the dashboard get an account; the login checks
the roles again each time, so a later roster change still wins.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from sqlmodel import Session, select

from bot.channels.web.access import may_open_dashboard
from bot.channels.web.passwords import MIN_LENGTH, hash_password
from bot.messages import t
from bot.text import normalise_phone
from storage.models import AuditLog, Member, WebAccount

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,31}$")


class AccountError(Exception):
    """The account cannot be saved; the message (Vietnamese) says why."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(t(key, **params))


def save_account(
    session: Session, phone: str, username: str, password: str, *, actor: str = "cli"
) -> tuple[Member, Literal["created", "updated"]]:
    """Create the member's account, or give an existing one this username and password."""
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError("cli.web.bad_username", username=username)
    if len(password) < MIN_LENGTH:
        raise AccountError("cli.web.short_password", length=MIN_LENGTH)
    normal = normalise_phone(phone)
    member = session.exec(select(Member).where(Member.phone == normal)).first() if normal else None
    if member is None or not member.active:
        raise AccountError("cli.web.unknown_member", phone=phone)
    if not may_open_dashboard(member):
        raise AccountError("cli.web.not_office", name=member.full_name)
    taken = session.exec(select(WebAccount).where(WebAccount.username == username)).first()
    if taken is not None and taken.member_id != member.id:
        raise AccountError("cli.web.username_taken", username=username)
    account = session.exec(select(WebAccount).where(WebAccount.member_id == member.id)).first()
    outcome: Literal["created", "updated"] = "updated" if account else "created"
    if account is None:
        account = WebAccount(member_id=member.id or 0, username=username, password_hash="")
    account.username = username
    account.password_hash = hash_password(password)
    session.add(account)
    session.add(
        AuditLog(member_id=member.id, actor=actor, action=f"web.account.{outcome}", target=username)
    )
    return member, outcome
