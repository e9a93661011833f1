"""The words people type for unit kinds, roles and dates — and how we write them back.

A roster is typed by an office clerk, so the importer is forgiving: case, diacritics and a few
common synonyms ('tổ dân phố', 'Ban CHQS', 'công an viên') are accepted. What we *write* back
(export, template drop-downs) is always the catalog label, which in turn always parses.
"""

from __future__ import annotations

import re
from datetime import date

from bot.messages import t
from bot.text import calendar_problem, fold
from storage.enums import Role, UnitKind

# Synonyms beyond the catalog labels, already folded (see bot.text.fold).
_KIND_SYNONYMS: dict[str, UnitKind] = {
    "to dan pho": UnitKind.VILLAGE,
    "lang": UnitKind.VILLAGE,
    "cong an xa": UnitKind.POLICE,
    "ban chqs": UnitKind.MILITARY,
    "ban chqs xa": UnitKind.MILITARY,
    "ban chi huy quan su": UnitKind.MILITARY,
    "ban chi huy quan su xa": UnitKind.MILITARY,
    "quan su xa": UnitKind.MILITARY,
    "ban nganh": UnitKind.AGENCY,
    "doan the": UnitKind.AGENCY,
    "van phong hdnd&ubnd": UnitKind.OFFICE,
    "van phong hdnd va ubnd": UnitKind.OFFICE,
    "tinh": UnitKind.PROVINCE,
    "cong an tinh": UnitKind.PROVINCE,
    "ubnd tinh": UnitKind.PROVINCE,
}

_ROLE_SYNONYMS: dict[str, Role] = {
    "truong to dan pho": Role.VILLAGE_HEAD,
    "to truong to dan pho": Role.VILLAGE_HEAD,
    "cong an vien": Role.POLICE,
    "cong an xa": Role.POLICE,
    "quan su": Role.MILITIA,
    "dan quan tu ve": Role.MILITIA,
    "can bo co quan": Role.AGENCY_STAFF,
    "can bo van phong": Role.OFFICE_STAFF,
    "admin": Role.ADMIN,
    "ca tinh": Role.PROVINCE_POLICE,
    "phong quan ly xuat nhap canh": Role.PROVINCE_POLICE,
    "ubnd tinh": Role.PROVINCE_LEADER,
}

_ROLE_SEPARATORS = re.compile(r"[,;]")
_DATE = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")


def kind_label(kind: UnitKind | str) -> str:
    return t(f"roster.kind.{UnitKind(kind).value}")


def role_label(role: Role | str) -> str:
    return t(f"roster.role.{Role(role).value}")


def roles_label(roles: list[str] | tuple[str, ...]) -> str:
    """'trưởng thôn, dân quân' — the form a spreadsheet cell holds."""
    return ", ".join(role_label(r) for r in roles)


def kind_choices() -> str:
    return ", ".join(kind_label(k) for k in UnitKind)


def role_choices() -> str:
    return ", ".join(role_label(r) for r in Role)


def parse_unit_kind(text: str) -> UnitKind | None:
    """'Thôn', 'THON', 'tổ dân phố', 'village' → UnitKind.VILLAGE; unknown → None."""
    key = fold(text)
    for kind in UnitKind:
        if key in (kind.value, fold(kind_label(kind))):
            return kind
    return _KIND_SYNONYMS.get(key)


def parse_role(text: str) -> Role | None:
    key = fold(text)
    for role in Role:
        if key in (role.value, fold(role_label(role))):
            return role
    return _ROLE_SYNONYMS.get(key)


def parse_roles(text: str) -> tuple[list[Role], list[str]]:
    """Split a cell on commas/semicolons: (known roles in canonical order, unknown pieces).

    Canonical (enum) order makes 'dân quân, trưởng thôn' and 'trưởng thôn, dân quân' the
    same value, so a re-import that only reorders roles changes nothing.
    """
    found: set[Role] = set()
    unknown: list[str] = []
    for piece in _ROLE_SEPARATORS.split(text):
        if not piece.strip():
            continue
        role = parse_role(piece)
        if role is None:
            unknown.append(piece.strip())
        else:
            found.add(role)
    return [r for r in Role if r in found], unknown


def parse_date(text: str) -> date | None:
    """'28/08/2025' (also '28-08-2025', '28.8.2025') → date; anything else → None
    (:func:`date_problem` says why a well-shaped one such as '31/02/2025' is not a date)."""
    match = _DATE.match(text)
    if not match or date_problem(text) is not None or int(match[3]) < 1:
        return None
    return date(int(match[3]), int(match[2]), int(match[1]))


def date_problem(text: str) -> str | None:
    """Why a dd/mm/yyyy text is not on the calendar ('31/02/2025': February has 28 days);
    None when it is a date, or not written as dd/mm/yyyy at all."""
    match = _DATE.match(text)
    if not match or int(match[3]) < 1:
        return None
    return calendar_problem(int(match[1]), int(match[2]), int(match[3]))


def format_date(day: date | None) -> str:
    """dd/mm/yyyy, the only way dates are shown to people; '' for no date."""
    return "" if day is None else day.strftime("%d/%m/%Y")
