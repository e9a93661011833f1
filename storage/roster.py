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

from sqlalchemy import or_
from sqlmodel import Session, col, select

from bot.messages import t
from bot.text import fold, nfc, normalise_phone
from storage.commune import CommuneChoiceError, find_commune
from storage.enums import PROVINCE_ROLES, Role, UnitKind
from storage.models import AuditLog, Commune, Member, Unit
from storage.roster_io import COMMUNE, FIELDS, RawSheet, RosterFileError, read_sheet, write_sheet
from storage.scope import Reach
from storage.types import utcnow
from storage.vocab import (
    kind_choices,
    kind_label,
    parse_roles,
    parse_unit_kind,
    role_choices,
    role_label,
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
    """One validated line of the roster; ``commune`` is the file's commune cell ('' if none)."""

    row: int
    unit: str
    kind: UnitKind
    full_name: str
    phone: str
    roles: tuple[Role, ...]
    commune: str = ""


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
    province_roles = [r for r in roles if r.value in PROVINCE_ROLES]
    if province_roles and kind is not None and kind is not UnitKind.PROVINCE:
        # A province role sees every commune: only a province-level unit may carry it.
        params = {"role": role_label(province_roles[0]), "kind": kind_label(UnitKind.PROVINCE)}
        problems.append(Problem(number, "roster.error.province_role", params))
    if kind is UnitKind.PROVINCE and cells.get(COMMUNE, ""):
        problems.append(Problem(number, "roster.error.province_commune"))
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
        cells = {f: raw.get(f, "") for f in (*FIELDS, COMMUNE)}
        phone, kind, row_problems = _check_row(number, cells)
        problems.extend(row_problems)
        if phone is not None:
            first = phone_row.setdefault(phone, number)
            if first != number:
                params = {"phone": phone, "first_row": first}
                problems.append(Problem(number, "roster.error.duplicate_phone", params))
        if kind is not None and cells["unit"]:
            key = f"{unit_key(cells[COMMUNE])}|{unit_key(cells['unit'])}"
            first_kind, first_row = unit_kind.setdefault(key, (kind, number))
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
            rows.append(
                RosterRow(
                    number,
                    cells["unit"],
                    kind,
                    cells["name"],
                    phone,
                    tuple(roles),
                    cells[COMMUNE],
                )
            )
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


def _communes_of(
    session: Session, rows: list[RosterRow], commune_id: int | None
) -> dict[int, int | None]:
    """Row number → the commune id each row belongs to (None: a province-level unit).

    A row's own commune cell wins; otherwise ``commune_id`` (``--commune``), or the
    installation's only commune. Every row that cannot be placed is reported at once.
    """
    if not session.exec(select(Commune.id)).first():
        raise NoCommuneError()
    default: int | None = commune_id
    problems: list[Problem] = []
    placed: dict[int, int | None] = {}
    cache: dict[str, int | Problem] = {}
    for row in rows:
        if row.kind is UnitKind.PROVINCE:
            placed[row.row] = None
            continue
        if row.commune:
            found = cache.get(fold(row.commune))
            if found is None:
                try:
                    found = find_commune(session, row.commune).id or 0
                except CommuneChoiceError as exc:
                    names = ", ".join(c.name for c in exc.candidates[:5])
                    found = Problem(
                        None,
                        "roster.error.unknown_commune",
                        {"value": row.commune, "choices": names},
                    )
                cache[fold(row.commune)] = found
            if isinstance(found, Problem):
                problems.append(Problem(row.row, found.key, found.params))
                continue
            placed[row.row] = found
            continue
        if default is None:
            try:
                default = find_commune(session, None).id
            except CommuneChoiceError:
                problems.append(Problem(row.row, "roster.error.no_commune"))
                continue
        placed[row.row] = default
    if problems:
        raise RosterError(problems)
    return placed


def _sync_units(
    session: Session, rows: list[RosterRow], placed: dict[int, int | None], changed: set[str]
) -> tuple[dict[str, Unit], set[str]]:
    """Units named in the file, created or brought up to date, by key; also the keys of the
    ones created. Keys of existing units that changed are added to ``changed``.

    A unit is its commune plus its name: two communes may both have a 'Thôn 1'.
    """
    commune_ids = {c for c in placed.values() if c is not None}
    query = select(Unit).where(
        or_(col(Unit.commune_id).in_(commune_ids), col(Unit.commune_id).is_(None))
    )
    existing = {_key(u.commune_id, u.name): u for u in session.exec(query).all()}
    units: dict[str, Unit] = {}
    created: set[str] = set()
    for row in rows:
        commune_id = placed[row.row]
        key = _key(commune_id, row.unit)
        if key in units:
            continue
        unit = existing.get(key)
        if unit is None:
            unit = Unit(commune_id=commune_id, name=row.unit, kind=row.kind.value)
            created.add(key)
        elif (unit.name, unit.kind, unit.active) != (row.unit, row.kind.value, True):
            unit.name, unit.kind, unit.active = row.unit, row.kind.value, True
            changed.add(key)
        session.add(unit)
        units[key] = unit
    session.flush()
    return units, created


def _key(commune_id: int | None, unit_name: str) -> str:
    return f"{commune_id or ''}|{unit_key(unit_name)}"


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
    session: Session,
    rows: list[RosterRow],
    advance: Advance | None = None,
    *,
    commune_id: int | None = None,
) -> ImportResult:
    """Create or update units and members from validated rows (in the caller's transaction).

    Rows go to their own commune cell's commune, else to ``commune_id``, else to the
    installation's only commune; province-level rows to no commune.
    """
    placed = _communes_of(session, rows, commune_id)
    result = ImportResult()
    changed_units: set[str] = set()
    units, created_units = _sync_units(session, rows, placed, changed_units)
    result.units_created = len(created_units)
    phones = [r.phone for r in rows]
    by_phone = {
        m.phone: m for m in session.exec(select(Member).where(col(Member.phone).in_(phones))).all()
    }
    members_of: dict[str, list[tuple[RosterRow, Member]]] = {}
    for row in rows:
        unit_id_key = _key(placed[row.row], row.unit)
        unit = units[unit_id_key]
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
        members_of.setdefault(unit_id_key, []).append((row, member))
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


def import_roster(
    session: Session,
    path: Path,
    advance: Advance | None = None,
    *,
    commune_id: int | None = None,
) -> ImportResult:
    """Read, validate and import a roster file; nothing is written if any row is bad."""
    return import_rows(session, read_roster(path), advance, commune_id=commune_id)


def roster_rows(session: Session, reach: Reach) -> list[tuple[str, ...]]:
    """Active members of the communes in ``reach`` as file rows: communes by name, units by
    kind, each unit's head first; a province-wide reach adds a first commune column and the
    province-level units.

    Putting the head first means a re-import of the export elects the same head.
    """
    scoped = reach.clause(Unit.commune_id)
    if reach.province_wide:
        scoped = or_(scoped, col(Unit.commune_id).is_(None))
    names = {c.id: c.name for c in session.exec(select(Commune)).all()}
    units = sorted(
        session.exec(select(Unit).where(col(Unit.active)).where(scoped)).all(),
        key=lambda u: (fold(names.get(u.commune_id, "")), _KIND_ORDER.get(u.kind, 99), u.id or 0),
    )
    members = session.exec(select(Member).where(col(Member.active)).order_by(col(Member.id))).all()
    by_unit: dict[int, list[Member]] = {}
    for member in members:
        by_unit.setdefault(member.unit_id, []).append(member)
    rows: list[tuple[str, ...]] = []
    for unit in units:
        assert unit.id is not None
        listed = sorted(by_unit.get(unit.id, []), key=lambda m: m.id != unit.head_member_id)
        for m in listed:
            row: tuple[str, ...] = (
                unit.name,
                kind_label(unit.kind),
                m.full_name,
                m.phone,
                roles_label(m.roles),
            )
            if reach.province_wide:
                row = (names.get(unit.commune_id, ""), *row)
            rows.append(row)
    return rows


def export_roster(
    session: Session,
    path: Path,
    reach: Reach,
    *,
    actor: str,
    member_id: int | None = None,
) -> int:
    """Write the roster of ``reach`` to ``path`` (.xlsx or .csv) and record who exported it."""
    rows = roster_rows(session, reach)
    try:
        write_sheet(path, rows, with_commune=reach.province_wide)
    except RosterFileError as exc:
        raise RosterError([Problem(None, exc.key, exc.params)]) from exc
    session.add(
        AuditLog(
            member_id=member_id,
            actor=actor,
            action="roster.export",
            target=str(path),
            commune_id=reach.single,
            details={"members": len(rows), "format": path.suffix.lower().lstrip(".")},
        )
    )
    session.flush()
    return len(rows)
