"""Resolve a commune by name from the official post-2025 list (``vietnam-provinces``)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from sqlmodel import Session, col, select
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


def resolve_province(province: str) -> Province:
    """The one province named ``province``; raise :class:`ResolveError` with close names."""
    provinces = list(Province.iter_all())
    wanted = _bare(province)
    found = [p for p in provinces if _bare(p.name) == wanted]
    if len(found) != 1:
        names = {_bare(p.name): p.name for p in provinces}
        close = difflib.get_close_matches(wanted, list(names), n=5, cutoff=0.5)
        raise ResolveError("unknown_province", province, [names[c] for c in close])
    return found[0]


def _match(ward: Ward, prov: Province) -> CommuneMatch:
    return CommuneMatch(
        code=int(ward.code),
        name=ward.name,
        short_name=_short(ward.name),
        province_code=int(prov.code),
        province_name=prov.name,
    )


def province_communes(province: str) -> list[CommuneMatch]:
    """Every commune, ward and special zone of ``province`` in the official list."""
    prov = resolve_province(province)
    return [_match(w, prov) for w in Ward.iter_by_province(prov.code)]


def resolve_commune(province: str, commune: str) -> CommuneMatch:
    """Find exactly one commune; raise :class:`ResolveError` with candidates otherwise.

    Matching ignores case, diacritics and the type word ('Xã', 'Tỉnh'); an exact name wins
    over names that merely contain it ('Tây Trà' is not 'Tây Trà Bồng').
    """
    prov = resolve_province(province)
    wards = list(Ward.iter_by_province(prov.code))

    def as_match(ward: Ward) -> CommuneMatch:
        return _match(ward, prov)

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


def save_commune(session: Session, match: CommuneMatch, *, sample: bool = False) -> Commune:
    """Add the commune, or bring the one with the same official code up to date (idempotent).

    The caller checks that it belongs to the installation's province
    (:func:`installation_province`).
    """
    row = session.exec(select(Commune).where(Commune.code == match.code)).first()
    if row is None:
        row = Commune(
            code=match.code,
            name=match.name,
            short_name=match.short_name,
            province_code=match.province_code,
            province_name=match.province_name,
            sample=sample,
        )
    row.name, row.short_name = match.name, match.short_name
    row.province_code, row.province_name = match.province_code, match.province_name
    session.add(row)
    session.flush()
    return row


def installation_province(session: Session) -> tuple[int, str] | None:
    """(code, name) of the province the installation serves, once a commune is saved."""
    found = session.exec(
        select(Commune.province_code, Commune.province_name).order_by(col(Commune.id))
    ).first()
    return (int(found[0]), str(found[1])) if found is not None else None


def communes(session: Session) -> list[Commune]:
    """The installation's communes, by name."""
    rows = session.exec(select(Commune)).all()
    return sorted(rows, key=lambda c: _bare(c.name))


class CommuneChoiceError(Exception):
    """No single commune of the installation matches; ``kind`` is ``none`` (nothing set up),
    ``choose`` (several, none named), ``unknown`` or ``ambiguous``; ``candidates`` lists them."""

    def __init__(self, kind: str, query: str, candidates: list[Commune]):
        super().__init__(f"{kind}: {query}")
        self.kind = kind
        self.query = query
        self.candidates = candidates


def find_commune(session: Session, query: str | None) -> Commune:
    """The installation's commune named (or numbered) ``query``; with no query, the only one.

    Matching ignores case, diacritics and the type word, as :func:`resolve_commune` does.
    """
    rows = communes(session)
    if not rows:
        raise CommuneChoiceError("none", query or "", [])
    if query is None or not query.strip():
        if len(rows) == 1:
            return rows[0]
        raise CommuneChoiceError("choose", "", rows)
    text = query.strip()
    if text.isdigit():
        by_code = [c for c in rows if c.code == int(text)]
        if by_code:
            return by_code[0]
    wanted = _bare(text)
    exact = [c for c in rows if _bare(c.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [c for c in rows if wanted and wanted in _bare(c.name)]
    if len(partial) == 1:
        return partial[0]
    raise CommuneChoiceError("ambiguous" if partial else "unknown", text, partial or rows)
