"""``tinbao invite``: single-use codes (and Telegram links) for members not yet linked."""

from __future__ import annotations

import csv
from pathlib import Path

import typer
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select

from bot.cli.base import app, cli_context, console
from bot.cli.communes import commune_option, pick_commune
from bot.cli.ui import progress, say, table, warn
from bot.messages import t
from bot.text import fold, normalise_phone
from storage.db import transaction
from storage.invites import deep_link, issue_codes, unlinked_members
from storage.models import AuditLog, Member, Unit
from storage.vocab import roles_label

_COLUMNS = ("name", "phone", "unit", "roles", "code", "link")


def _select(
    session: Session, where: ColumnElement[bool], unit: str | None, phone: str | None
) -> list[Member]:
    """Unlinked members of the units ``where`` picks (one commune, or the province level),
    narrowed to one unit and/or one phone; bad filters end the command."""
    units = session.exec(select(Unit).where(col(Unit.active)).where(where)).all()
    in_scope = {u.id for u in units}
    members = [m for m in unlinked_members(session) if m.unit_id in in_scope]
    if unit is not None:
        wanted = fold(unit)
        unit_ids = {u.id for u in units if fold(u.name) == wanted}
        if not unit_ids:
            warn(t("cli.invite.unknown_unit", unit=unit))
            raise typer.Exit(code=1)
        members = [m for m in members if m.unit_id in unit_ids]
    if phone is not None:
        normal = normalise_phone(phone)
        person = (
            session.exec(select(Member).where(Member.phone == normal)).first() if normal else None
        )
        if person is None or person.unit_id not in in_scope:
            warn(t("cli.invite.unknown_member", phone=phone))
            raise typer.Exit(code=1)
        if person not in members and (person.telegram_user_id or person.zalo_user_id):
            say(t("cli.invite.already_linked", name=person.full_name))
            raise typer.Exit(code=0)
        members = [m for m in members if m.id == person.id]
    return members


def _write_csv(path: Path, rows: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # BOM: Excel and Word's mail merge read the diacritics correctly only with it.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([t(f"cli.invite.col.{c}") for c in _COLUMNS])
        writer.writerows([[row[c] for c in _COLUMNS] for row in rows])


def _print_table(rows: list[dict[str, str]], with_links: bool) -> None:
    columns = [c for c in _COLUMNS if with_links or c != "link"]
    headers = [t(f"cli.invite.col.{c}") for c in columns]
    cells = [[r[c] for c in columns] for r in rows]
    keep_whole = {columns.index(c) for c in ("phone", "code", "link") if c in columns}
    console.print(table(t("cli.invite.title"), headers, cells, no_wrap=keep_whole))


@app.command("invite")
def invite(
    unit: str | None = typer.Option(None, "--unit", help="Chỉ đơn vị này (tên đơn vị)"),
    member: str | None = typer.Option(None, "--member", help="Chỉ người có số điện thoại này"),
    csv_path: Path | None = typer.Option(None, "--csv", help="Ghi thêm ra tệp CSV để trộn thư"),
    commune: str | None = commune_option(),
    province: bool = typer.Option(
        False, "--province", help="Đơn vị cấp tỉnh (Công an tỉnh, UBND tỉnh) / province units"
    ),
) -> None:
    """Cấp mã mời dùng một lần cho người chưa liên kết Telegram/Zalo.

    Issue single-use invite codes to members without a linked chat account.

    Re-running gives those members new codes; their older unused codes stop working.
    """
    with cli_context() as ctx:
        username = ctx.settings.telegram_bot_username
        with transaction(ctx.engine) as session:
            commune_id = None if province else pick_commune(session, commune).id
            where = (
                col(Unit.commune_id).is_(None) if province else col(Unit.commune_id) == commune_id
            )
            members = _select(session, where, unit, member)
            if not members:
                say(t("cli.invite.none"))
                return
            units = {u.id: u.name for u in session.exec(select(Unit))}
            with progress(t("cli.invite.progress"), len(members)) as advance:
                codes = []
                for person in members:
                    codes.extend(issue_codes(session, [person]))
                    advance()
            session.add(
                AuditLog(
                    actor="cli",
                    commune_id=commune_id,
                    action="invite.issue",
                    target=str(csv_path or ""),
                    details={"count": len(codes), "member_ids": [m.id for m in members]},
                )
            )
    rows = [
        {
            "name": person.full_name,
            "phone": person.phone,
            "unit": units.get(person.unit_id, ""),
            "roles": roles_label(person.roles),
            "code": code.code,
            "link": deep_link(username, code.code) or "",
        }
        for person, code in zip(members, codes, strict=True)
    ]
    _print_table(rows, with_links=bool(username))
    if not username:
        warn(t("cli.invite.no_username"))
    if csv_path is not None:
        _write_csv(csv_path, rows)
        say(t("cli.invite.issued_csv", count=len(rows), path=csv_path))
    else:
        say(t("cli.invite.issued", count=len(rows)))
