"""A second commune beside the sample Tây Trà, and the province level above both.

Xã Sơn Mai gets a small roster and its own copy of directive 1949/UBND-NC (the same number
as Tây Trà's: both answer the province's order). The province level has Công an tỉnh with
one officer. Phones and chat ids differ from the sample's, so nobody is on two rosters.
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.commune import find_commune, resolve_commune, save_commune
from storage.db import transaction
from storage.directives import find_directive, save_directive
from storage.models import Directive, Member
from storage.roster import import_roster
from storage.roster_io import headers
from storage.sample import SAMPLE_DIRECTIVES

SON_MAI_ROSTER = [
    ("Thôn Mai Lãnh", "thôn", "Phạm Văn Lãnh", "0905311401", "trưởng thôn"),
    ("Công an xã", "công an", "Trần Văn Sơn", "0905311402", "công an"),
    ("Công an xã", "công an", "Lê Thị Mai", "0905311403", "công an"),
    ("Ban CHQS xã", "quân sự", "Đinh Văn Quân", "0905311404", "dân quân"),
    ("Văn phòng HĐND&UBND xã", "văn phòng", "Võ Thị Văn", "0905311405", "văn phòng"),
    ("Văn phòng HĐND&UBND xã", "văn phòng", "Nguyễn Anh Tuấn", "0905311406", "lãnh đạo"),
]
PROVINCE_ROSTER = [
    ("Công an tỉnh Quảng Ngãi", "cấp tỉnh", "Hà Văn Tỉnh", "0905311501", "công an tỉnh"),
]


def _write(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers())
        writer.writerows(rows)
    return path


def add_son_mai(engine: Engine, folder: Path) -> int:
    """Xã Sơn Mai with its roster and its 1949/UBND-NC; returns the commune id."""
    with transaction(engine) as s:
        commune = save_commune(s, resolve_commune("Quảng Ngãi", "Sơn Mai"))
        assert commune.id is not None
        import_roster(s, _write(folder / "son_mai.csv", SON_MAI_ROSTER), commune_id=commune.id)
        import_roster(s, _write(folder / "tinh.csv", PROVINCE_ROSTER))
        save_directive(s, SAMPLE_DIRECTIVES[0], commune.id)
        return commune.id


def commune_id(session: Session, name: str) -> int:
    return find_commune(session, name).id or 0


def campaign_of(engine: Engine, name: str) -> Directive:
    with Session(engine) as s:
        found = find_directive(s, commune_id(s, name), SAMPLE_DIRECTIVES[0].number)
    assert found is not None
    return found


def person(engine: Engine, phone: str) -> Member:
    with Session(engine) as s:
        found = s.exec(select(Member).where(Member.phone == phone)).first()
    assert found is not None
    return found
