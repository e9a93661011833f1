"""Roster files written by us: the template (headers, drop-downs) and the export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.commune import find_commune, resolve_commune, save_commune
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import AuditLog, Commune, Member, Unit
from storage.roster import RosterError, export_roster, import_roster, read_roster
from storage.roster_io import write_template
from storage.sample import SAMPLE_ROSTER
from storage.scope import Reach
from tests.roster.conftest import HEADERS, write_csv


def test_template_has_headers_frozen_row_and_drop_downs(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    write_template(path)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == HEADERS
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["C"].width >= 20
    validations = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    kinds, roles = validations["B2:B2001"], validations["E2:E2001"]
    assert kinds.type == roles.type == "list"
    assert kinds.formula1 == '"thôn,công an,quân sự,cơ quan,văn phòng,cấp tỉnh"'
    assert kinds.errorStyle == "stop"
    assert "trưởng thôn" in roles.formula1 and "quản trị" in roles.formula1
    # Several roles in one cell must stay possible, so the roles list only informs.
    assert roles.errorStyle == "information"


def test_empty_template_is_refused_as_empty_not_as_malformed(tmp_path: Path) -> None:
    path = tmp_path / "mau.xlsx"
    write_template(path)
    with pytest.raises(RosterError, match="không có dòng dữ liệu"):
        read_roster(path)


def test_template_must_be_xlsx(tmp_path: Path) -> None:
    with pytest.raises(Exception, match=r"\.xlsx"):
        write_template(tmp_path / "mau.ods")


def _tay_tra(s: Session) -> Reach:
    return Reach.of(find_commune(s, "Tây Trà").id or 0)


def _snapshot(engine: Engine) -> set[tuple[str, str, str, str, str, tuple[str, ...], bool]]:
    """Every member as (commune, unit, kind, name, phone, roles, heads-the-unit)."""
    with transaction(engine) as s:
        units = {u.id: u for u in s.exec(select(Unit)).all()}
        communes = {c.id: c.name for c in s.exec(select(Commune)).all()}
        return {
            (
                communes.get(units[m.unit_id].commune_id, ""),
                units[m.unit_id].name,
                units[m.unit_id].kind,
                m.full_name,
                m.phone,
                tuple(m.roles),
                units[m.unit_id].head_member_id == m.id,
            )
            for m in s.exec(select(Member)).all()
        }


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_into_a_fresh_database_gives_the_same_roster(
    commune_engine: Engine, tmp_path: Path, suffix: str
) -> None:
    with transaction(commune_engine) as s:
        import_roster(s, SAMPLE_ROSTER)
    out = tmp_path / f"xuat{suffix}"
    with transaction(commune_engine) as s:
        assert export_roster(s, out, _tay_tra(s), actor="cli") == 32
    with transaction(commune_engine) as s:
        assert not import_roster(s, out).changed  # re-importing our own export is a no-op

    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    with transaction(fresh) as s:
        save_commune(s, resolve_commune("Quảng Ngãi", "Tây Trà"))
        assert import_roster(s, out).created == 32
    assert _snapshot(fresh) == _snapshot(commune_engine)
    fresh.dispose()


def test_export_is_audited(commune_engine: Engine, tmp_path: Path) -> None:
    with transaction(commune_engine) as s:
        import_roster(s, SAMPLE_ROSTER)
        export_roster(s, tmp_path / "x.csv", _tay_tra(s), actor="cli")
    with transaction(commune_engine) as s:
        log = s.exec(select(AuditLog)).one()
        tay_tra = _tay_tra(s).single
    assert (log.actor, log.action, log.target) == ("cli", "roster.export", str(tmp_path / "x.csv"))
    assert log.details == {"members": 32, "format": "csv"}
    assert log.commune_id == tay_tra


def test_a_province_wide_export_reimports_into_the_same_communes(
    commune_engine: Engine, tmp_path: Path
) -> None:
    """`roster export --all` writes a Xã/phường column; importing it places every row back
    into its commune (and the province-level units into none)."""
    with transaction(commune_engine) as s:
        son_mai = save_commune(s, resolve_commune("Quảng Ngãi", "Sơn Mai"))
        import_roster(s, SAMPLE_ROSTER, commune_id=_tay_tra(s).single)
    rows = [
        ("Thôn 1", "thôn", "Phạm Văn Một", "0905999001", "trưởng thôn"),
        ("Công an xã", "công an", "Lê Văn Hai", "0905999002", "công an"),
    ]
    write_csv(tmp_path / "sm.csv", rows)
    province = [("Công an tỉnh", "cấp tỉnh", "Trần Tỉnh", "0905999003", "công an tỉnh")]
    write_csv(tmp_path / "tinh.csv", province)
    with transaction(commune_engine) as s:
        import_roster(s, tmp_path / "sm.csv", commune_id=son_mai.id)
        import_roster(s, tmp_path / "tinh.csv", commune_id=son_mai.id)  # province rows: none
        out = tmp_path / "ca_tinh.xlsx"
        assert export_roster(s, out, Reach.everywhere(), actor="cli") == 35
        place = {u.name: u.commune_id for u in s.exec(select(Unit)).all()}
    assert place["Công an tỉnh"] is None and place["Thôn 1"] == son_mai.id

    fresh = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    upgrade(fresh)
    with transaction(fresh) as s:
        save_commune(s, resolve_commune("Quảng Ngãi", "Sơn Mai"))
        save_commune(s, resolve_commune("Quảng Ngãi", "Tây Trà"))
        assert import_roster(s, out).created == 35  # no --commune needed: the column says
    assert _snapshot(fresh) == _snapshot(commune_engine)
    fresh.dispose()


def test_exported_csv_opens_in_excel_with_diacritics(
    commune_engine: Engine, tmp_path: Path
) -> None:
    with transaction(commune_engine) as s:
        import_roster(s, SAMPLE_ROSTER)
        export_roster(s, tmp_path / "x.csv", _tay_tra(s), actor="cli")
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert "Văn phòng HĐND&UBND xã,văn phòng,Nguyễn Văn Thành,0914721701,lãnh đạo" in raw.decode(
        "utf-8-sig"
    )
