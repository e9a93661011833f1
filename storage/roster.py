"""The commune roster: validate a spreadsheet, import it idempotently, export it.

Import is all-or-nothing: every row is checked first and, if any row is bad, every problem is
reported with its spreadsheet row number and nothing is written. Members are keyed by phone
number, so importing the same file twice changes nothing and a changed name updates the
existing member instead of adding a second one. Members missing from a file are left alone
(a file may cover only part of the commune).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlmodel import Session, col, select

from bot.messages import t
from bot.text import nfc, normalise_phone
from storage.enums import Role, UnitKind
from storage.models import AuditLog, Commune, Member, Unit
from storage.roster_io import FIELDS, RawSheet, RosterFileError, read_sheet, write_sheet
from storage.types import utcnow
from storage.vocab import (
    kind_choices,
    kind_label,
    parse_roles,
    parse_unit_kind,
    role_choices,
    roles_label,
)

Advance = Callable[[], None]
_KIND_ORDER = {kind.value: i for i, kind in enumerate(UnitKind)}


@dataclass(frozen=True)
class Problem:
    """One reason a file cannot be imported; ``row`` is None for the file as a whole."""

    row: int | None
    key: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        text = t(self.key, **self.params)
        return text if self.row is None else t("roster.problem.row", row=self.row, text=text)


class RosterError(Exception):
    """The file was refused; ``problems`` lists every reason (nothing was imported)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(p.message for p in problems))
        self.problems = problems

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row is not None})


class NoCommuneError(Exception):
    """The roster needs the commune saved first (``tinbao init``)."""

    def __init__(self) -> None:
        super().__init__(t("cli.db.no_commune"))


@dataclass(frozen=True)
class RosterRow:
    """One validated line of the roster."""

    row: int
    unit: str
    kind: UnitKind
    full_name: str
    phone: str
    roles: tuple[Role, ...]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    units_created: int = 0
    units_updated: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.units_created or self.units_updated)


def unit_key(name: str) -> str:
    """Units match ignoring case and spacing but *not* diacritics: 'Trà Lãnh' ≠ 'Trà Lạnh'."""
    return " ".join(nfc(name).split()).casefold()


def _check_row(
    number: int, cells: dict[str, str]
) -> tuple[str | None, UnitKind | None, list[Problem]]:
    """Problems of one row on its own; also its phone and kind when those parse."""
    problems: list[Problem] = []
    if not cells["name"]:
        problems.append(Problem(number, "roster.error.no_name"))
    if not cells["unit"]:
        problems.append(Problem(number, "roster.error.no_unit"))
    phone = normalise_phone(cells["phone"]) if cells["phone"] else None
    if not cells["phone"]:
        problems.append(Problem(number, "roster.error.no_phone"))
    elif phone is None:
        problems.append(Problem(number, "roster.error.bad_phone", {"value": cells["phone"]}))
    kind = parse_unit_kind(cells["kind"]) if cells["kind"] else None
    if not cells["kind"]:
        problems.append(Problem(number, "roster.error.no_kind", {"choices": kind_choices()}))
    elif kind is None:
        params = {"value": cells["kind"], "choices": kind_choices()}
        problems.append(Problem(number, "roster.error.unknown_kind", params))
    roles, unknown = parse_roles(cells["roles"])
    for piece in unknown:
        params = {"value": piece, "choices": role_choices()}
        problems.append(Problem(number, "roster.error.unknown_role", params))
    if not roles and not unknown:
        problems.append(Problem(number, "roster.error.no_roles", {"choices": role_choices()}))
    return phone, kind, problems


def validate(sheet: RawSheet) -> list[RosterRow]:
    """Check every row; raise :class:`RosterError` listing all problems, or return the rows.

    Cross-row checks (a phone listed twice, a unit given two kinds) run even on rows that
    have other problems, so one pass shows the clerk everything to fix.
    """
    problems: list[Problem] = []
    rows: list[RosterRow] = []
    phone_row: dict[str, int] = {}
    unit_kind: dict[str, tuple[UnitKind, int]] = {}
    for number, raw in sheet.rows:
        cells = {f: raw.get(f, "") for f in FIELDS}
        phone, kind, row_problems = _check_row(number, cells)
        problems.extend(row_problems)
        if phone is not None:
            first = phone_row.setdefault(phone, number)
            if first != number:
                params = {"phone": phone, "first_row": first}
                problems.append(Problem(number, "roster.error.duplicate_phone", params))
        if kind is not None and cells["unit"]:
            first_kind, first_row = unit_kind.setdefault(unit_key(cells["unit"]), (kind, number))
            if first_kind is not kind:
                params = {
                    "unit": cells["unit"],
                    "kind": kind_label(kind),
                    "first_row": first_row,
                    "first_kind": kind_label(first_kind),
                }
                problems.append(Problem(number, "roster.error.kind_conflict", params))
        if not row_problems and phone is not None and kind is not None:
            roles, _ = parse_roles(cells["roles"])
            rows.append(RosterRow(number, cells["unit"], kind, cells["name"], phone, tuple(roles)))
    if problems:
        raise RosterError(problems)
    return rows


def read_roster(path: Path) -> list[RosterRow]:
    """Read and validate a roster file; raise :class:`RosterError` on any problem."""
    try:
        sheet = read_sheet(path)
    except RosterFileError as exc:
        raise RosterError([Problem(None, exc.key, exc.params)]) from exc
    return validate(sheet)


def current_commune(session: Session) -> Commune:
    commune = session.exec(select(Commune).order_by(col(Commune.id))).first()
    if commune is None:
        raise NoCommuneError()
    return commune


def _sync_units(
    session: Session, commune: Commune, rows: list[RosterRow], changed: set[str]
) -> tuple[dict[str, Unit], set[str]]:
    """Units named in the file, created or brought up to date, by key; also the keys of the
    ones created. Keys of existing units that changed are added to ``changed``."""
    existing = {
        unit_key(u.name): u
        for u in session.exec(select(Unit).where(Unit.commune_id == commune.id)).all()
    }
    units: dict[str, Unit] = {}
    created: set[str] = set()
    for row in rows:
        key = unit_key(row.unit)
        if key in units:
            continue
        unit = existing.get(key)
        if unit is None:
            assert commune.id is not None
            unit = Unit(commune_id=commune.id, name=row.unit, kind=row.kind.value)
            created.add(key)
        elif (unit.name, unit.kind, unit.active) != (row.unit, row.kind.value, True):
            unit.name, unit.kind, unit.active = row.unit, row.kind.value, True
            changed.add(key)
        session.add(unit)
        units[key] = unit
    session.flush()
    return units, created


def _head_of(kind: UnitKind, members: list[tuple[RosterRow, Member]]) -> Member | None:
    """The village head for villages; elsewhere the first leader, else the first listed.

    'First listed' lets a unit without a leader role (the police chief is plain 'công an')
    be headed by whoever the office puts on top of it in the file.
    """
    wanted = Role.VILLAGE_HEAD if kind is UnitKind.VILLAGE else Role.LEADER
    for row, member in members:
        if wanted in row.roles:
            return member
    if kind is UnitKind.VILLAGE or not members:
        return None
    return members[0][1]


def import_rows(
    session: Session, rows: list[RosterRow], advance: Advance | None = None
) -> ImportResult:
    """Create or update units and members from validated rows (in the caller's transaction)."""
    commune = current_commune(session)
    result = ImportResult()
    changed_units: set[str] = set()
    units, created_units = _sync_units(session, commune, rows, changed_units)
    result.units_created = len(created_units)
    phones = [r.phone for r in rows]
    by_phone = {
        m.phone: m for m in session.exec(select(Member).where(col(Member.phone).in_(phones))).all()
    }
    members_of: dict[str, list[tuple[RosterRow, Member]]] = {}
    for row in rows:
        unit = units[unit_key(row.unit)]
        assert unit.id is not None
        wanted = (row.full_name, unit.id, [r.value for r in row.roles], True)
        member = by_phone.get(row.phone)
        if member is None:
            member = Member(
                unit_id=unit.id, full_name=row.full_name, phone=row.phone, roles=wanted[2]
            )
            session.add(member)
            result.created += 1
        elif (member.full_name, member.unit_id, list(member.roles), member.active) != wanted:
            member.full_name, member.unit_id, member.roles, member.active = wanted
            member.updated_at = utcnow()
            session.add(member)
            result.updated += 1
        else:
            result.unchanged += 1
        members_of.setdefault(unit_key(row.unit), []).append((row, member))
        if advance is not None:
            advance()
    session.flush()
    for key, members in members_of.items():
        unit = units[key]
        head = _head_of(UnitKind(unit.kind), members)
        head_id = head.id if head is not None else None
        if unit.head_member_id != head_id:
            unit.head_member_id = head_id
            session.add(unit)
            changed_units.add(key)
    session.flush()
    result.units_updated = len(changed_units - created_units)
    return result


def import_roster(session: Session, path: Path, advance: Advance | None = None) -> ImportResult:
    """Read, validate and import a roster file; nothing is written if any row is bad."""
    return import_rows(session, read_roster(path), advance)


def roster_rows(session: Session) -> list[tuple[str, str, str, str, str]]:
    """Active members as file rows: units by kind, each unit's head first.

    Putting the head first means a re-import of the export elects the same head.
    """
    units = sorted(
        session.exec(select(Unit).where(col(Unit.active))).all(),
        key=lambda u: (_KIND_ORDER.get(u.kind, 99), u.id or 0),
    )
    members = session.exec(select(Member).where(col(Member.active)).order_by(col(Member.id))).all()
    by_unit: dict[int, list[Member]] = {}
    for member in members:
        by_unit.setdefault(member.unit_id, []).append(member)
    rows: list[tuple[str, str, str, str, str]] = []
    for unit in units:
        assert unit.id is not None
        listed = sorted(by_unit.get(unit.id, []), key=lambda m: m.id != unit.head_member_id)
        for m in listed:
            rows.append(
                (unit.name, kind_label(unit.kind), m.full_name, m.phone, roles_label(m.roles))
            )
    return rows


def export_roster(session: Session, path: Path, *, actor: str, member_id: int | None = None) -> int:
    """Write the roster to ``path`` (.xlsx or .csv) and record who exported it."""
    rows = roster_rows(session)
    try:
        write_sheet(path, rows)
    except RosterFileError as exc:
        raise RosterError([Problem(None, exc.key, exc.params)]) from exc
    session.add(
        AuditLog(
            member_id=member_id,
            actor=actor,
            action="roster.export",
            target=str(path),
            details={"members": len(rows), "format": path.suffix.lower().lstrip(".")},
        )
    )
    session.flush()
    return len(rows)
