"""Resolve a commune by name from the official post-2025 list (``vietnam-provinces``)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlmodel import Session, select
from vietnam_provinces import Province, Ward

from bot.text import fold
from storage.models import Commune

_PREFIXES = ("tinh ", "thanh pho ", "xa ", "phuong ", "dac khu ")


@dataclass(frozen=True)
class CommuneMatch:
    code: int
    name: str
    short_name: str
    province_code: int
    province_name: str


class ResolveError(Exception):
    """No single commune matches; ``candidates`` lists what was close or ambiguous."""

    def __init__(self, kind: str, query: str, candidates: list[CommuneMatch] | list[str]):
        super().__init__(f"{kind}: {query}")
        self.kind = kind  # "unknown_province", "unknown", "ambiguous"
        self.query = query
        self.candidates = candidates


def _bare(name: str) -> str:
    folded = fold(name)
    for prefix in _PREFIXES:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _short(name: str) -> str:
    for prefix in ("Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def resolve_commune(province: str, commune: str) -> CommuneMatch:
    """Find exactly one commune; raise :class:`ResolveError` with candidates otherwise.

    Matching ignores case, diacritics and the type word ('Xã', 'Tỉnh'); an exact name wins
    over names that merely contain it ('Tây Trà' is not 'Tây Trà Bồng').
    """
    provinces = list(Province.iter_all())
    wanted_province = _bare(province)
    found = [p for p in provinces if _bare(p.name) == wanted_province]
    if len(found) != 1:
        names = {_bare(p.name): p.name for p in provinces}
        close = difflib.get_close_matches(wanted_province, list(names), n=5, cutoff=0.5)
        raise ResolveError("unknown_province", province, [names[c] for c in close])
    prov = found[0]
    wards = list(Ward.iter_by_province(prov.code))

    def as_match(ward: Ward) -> CommuneMatch:
        return CommuneMatch(
            code=int(ward.code),
            name=ward.name,
            short_name=_short(ward.name),
            province_code=int(prov.code),
            province_name=prov.name,
        )

    wanted = _bare(commune)
    exact = [w for w in wards if _bare(w.name) == wanted]
    if len(exact) == 1:
        return as_match(exact[0])
    if len(exact) > 1:
        raise ResolveError("ambiguous", commune, [as_match(w) for w in exact])
    partial = [w for w in wards if wanted and wanted in _bare(w.name)]
    if len(partial) == 1:
        return as_match(partial[0])
    if len(partial) > 1:
        raise ResolveError("ambiguous", commune, [as_match(w) for w in partial])
    by_bare = {_bare(w.name): w for w in wards}
    close = difflib.get_close_matches(wanted, list(by_bare), n=5, cutoff=0.6)
    raise ResolveError("unknown", commune, [as_match(by_bare[c]) for c in close])


def save_commune(session: Session, match: CommuneMatch) -> Commune:
    """Create or update the installation's commune row (idempotent)."""
    existing = session.exec(select(Commune)).first()
    row = existing or Commune(
        code=match.code,
        name=match.name,
        short_name=match.short_name,
        province_code=match.province_code,
        province_name=match.province_name,
    )
    row.code, row.name, row.short_name = match.code, match.name, match.short_name
    row.province_code, row.province_name = match.province_code, match.province_name
    session.add(row)
    session.flush()
    return row
