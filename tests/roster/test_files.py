"""Roster files written by us: the template (headers, drop-downs) and the export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import select

from storage.commune import resolve_commune, save_commune
from storage.db import make_engine, transaction
from storage.migrate import upgrade
from storage.models import AuditLog, Member, Unit
from storage.roster import RosterError, export_roster, import_roster, read_roster
from storage.roster_io import write_template
from storage.sample import SAMPLE_ROSTER
from tests.roster.conftest import HEADERS


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
    assert kinds.formula1 == '"thôn,công an,quân sự,cơ quan,văn phòng"'
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


def _snapshot(engine: Engine) -> set[tuple[str, str, str, str, tuple[str, ...], bool]]:
    """Every member as (unit, kind, name, phone, roles, heads-the-unit)."""
    with transaction(engine) as s:
        units = {u.id: u for u in s.exec(select(Unit)).all()}
        return {
            (
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
        assert export_roster(s, out, actor="cli") == 32
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
        export_roster(s, tmp_path / "x.csv", actor="cli")
    with transaction(commune_engine) as s:
        log = s.exec(select(AuditLog)).one()
    assert (log.actor, log.action, log.target) == ("cli", "roster.export", str(tmp_path / "x.csv"))
    assert log.details == {"members": 32, "format": "csv"}


def test_exported_csv_opens_in_excel_with_diacritics(
    commune_engine: Engine, tmp_path: Path
) -> None:
    with transaction(commune_engine) as s:
        import_roster(s, SAMPLE_ROSTER)
        export_roster(s, tmp_path / "x.csv", actor="cli")
    raw = (tmp_path / "x.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    assert "Văn phòng HĐND&UBND xã,văn phòng,Nguyễn Văn Thành,0914721701,lãnh đạo" in raw.decode(
        "utf-8-sig"
    )
