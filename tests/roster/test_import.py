"""Roster import: validation of every row, all-or-nothing, idempotent re-import by phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import select

from storage.db import transaction
from storage.models import Member, Unit
from storage.roster import NoCommuneError, RosterError, import_roster, read_roster
from storage.sample import SAMPLE_ROSTER
from tests.roster.conftest import HEADERS, write_csv, write_xlsx

GOOD = [
    ["Thôn Trà Xinh", "thôn", "Hồ Văn Mên", "0905211301", "trưởng thôn"],
    ["Thôn Trà Xinh", "thôn", "Đinh Văn Tới", "0383411302", "dân quân"],
    ["Công an xã", "công an", "Phạm Văn Dũng", "0914321401", "công an"],
    ["Văn phòng", "văn phòng", "Nguyễn Văn Thành", "0914721701", "lãnh đạo"],
]


def members(engine: Engine) -> dict[str, Member]:
    with transaction(engine) as s:
        return {m.phone: m for m in s.exec(select(Member)).all()}


def units(engine: Engine) -> dict[str, Unit]:
    with transaction(engine) as s:
        return {u.name: u for u in s.exec(select(Unit)).all()}


def test_sample_roster_imports_every_unit_and_member(commune_engine: Engine) -> None:
    with transaction(commune_engine) as s:
        result = import_roster(s, SAMPLE_ROSTER)
    assert (result.created, result.updated, result.unchanged) == (32, 0, 0)
    assert result.units_created == 13
    by_name = units(commune_engine)
    kinds = [u.kind for u in by_name.values()]
    assert kinds.count("village") == 8
    assert {kinds.count(k) for k in ("police", "military", "office")} == {1}
    assert kinds.count("agency") == 2
    people = members(commune_engine)
    heads = {name: people_by_id(people)[u.head_member_id].full_name for name, u in by_name.items()}
    assert heads["Thôn Trà Xinh"] == "Hồ Văn Mên"  # the trưởng thôn, listed first or not
    assert heads["Công an xã Tây Trà"] == "Phạm Văn Dũng"  # no leader role: first listed
    assert heads["Văn phòng HĐND&UBND xã"] == "Nguyễn Văn Thành"  # the Chủ tịch (lãnh đạo)
    assert people["0972721705"].roles == ["office_staff", "admin"]


def people_by_id(people: dict[str, Member]) -> dict[int | None, Member]:
    return {m.id: m for m in people.values()}


def test_headers_and_values_without_diacritics_in_any_case(
    commune_engine: Engine, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["To 1", "TO DAN PHO", "Lê Văn A", "0905000001", "Truong Thon; DAN QUAN"],
            ["Ban CHQS", "ban chqs", "Lê Văn B", "0905000002", "dân quân"],
            ["Ban CHQS", "Quân Sự Xã", "Lê Văn C", "0905000003", "DÂN QUÂN,lanh dao"],
            ["UB", "VAN PHONG", "Lê Văn D", "0905000004", "quan tri"],
        ],
        headers=["DON VI", "loai don vi", "HO VA TEN", "so dien thoai", "Vai Tro"],
    )
    with transaction(commune_engine) as s:
        assert import_roster(s, path).created == 4
    people = members(commune_engine)
    assert people["0905000001"].roles == ["village_head", "militia"]
    assert people["0905000003"].roles == ["militia", "leader"]
    assert people["0905000004"].roles == ["admin"]
    assert {u.name: u.kind for u in units(commune_engine).values()} == {
        "To 1": "village",
        "Ban CHQS": "military",
        "UB": "office",
    }


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("912345678", "0912345678"),
    ],
)
def test_phone_numbers_are_normalised(
    commune_engine: Engine, tmp_path: Path, typed: str, stored: str
) -> None:
    path = write_csv(tmp_path / "r.csv", [["Thôn A", "thôn", "Lê Văn A", typed, "trưởng thôn"]])
    with transaction(commune_engine) as s:
        import_roster(s, path)
    assert list(members(commune_engine)) == [stored]


def test_xlsx_phone_typed_as_a_number_keeps_its_leading_zero(
    commune_engine: Engine, tmp_path: Path
) -> None:
    # Excel turns 0912345678 into the number 912345678 unless the column is text.
    path = write_xlsx(
        tmp_path / "r.xlsx", [["Thôn A", "thôn", "Lê Văn A", 912345678, "trưởng thôn"]]
    )
    with transaction(commune_engine) as s:
        import_roster(s, path)
    assert list(members(commune_engine)) == ["0912345678"]


def test_one_bad_row_among_many_imports_nothing_and_names_the_row(
    commune_engine: Engine, tmp_path: Path
) -> None:
    rows = [list(r) for r in GOOD] + [
        ["Thôn B", "thôn", f"Người {i}", f"09050000{i:02d}", "dân quân"] for i in range(20)
    ]
    rows[10][3] = "12345"  # spreadsheet row 12 (header is row 1)
    path = write_csv(tmp_path / "r.csv", rows)
    with pytest.raises(RosterError) as info, transaction(commune_engine) as s:
        import_roster(s, path)
    assert info.value.bad_rows == [12]
    assert "Dòng 12: số điện thoại «12345» không hợp lệ" in info.value.problems[0].message
    assert members(commune_engine) == {}
    assert units(commune_engine) == {}


def test_every_bad_row_is_listed_with_its_reason(commune_engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [
            ["Thôn A", "thôn", "Lê Văn A", "0905000001", "trưởng thôn"],  # row 2, fine
            ["Thôn A", "thôn", "", "0905000002", "dân quân"],  # 3: no name
            ["Thôn A", "thôn", "Lê Văn C", "0905000001", "dân quân"],  # 4: phone of row 2
            ["Thôn A", "công an", "Lê Văn D", "0905000004", "công an"],  # 5: kind ≠ row 2
            ["Thôn E", "chợ", "Lê Văn E", "0905000005", "dân quân"],  # 6: unknown kind
            ["Thôn A", "thôn", "Lê Văn F", "0905000006", "trưởng thôn, thủ quỹ"],  # 7: role
            ["Thôn A", "thôn", "Lê Văn G", "0905000007", ""],  # 8: no role
        ],
    )
    with pytest.raises(RosterError) as info, transaction(commune_engine) as s:
        import_roster(s, path)
    assert info.value.bad_rows == [3, 4, 5, 6, 7, 8]
    messages = [p.message for p in info.value.problems]
    assert "Dòng 3: thiếu họ và tên." in messages
    assert "Dòng 4: số điện thoại 0905000001 đã có ở dòng 2." in messages
    assert "Dòng 5: đơn vị «Thôn A» ghi là «công an» nhưng dòng 2 ghi là «thôn»." in messages
    assert any(m.startswith("Dòng 6: không hiểu loại đơn vị «chợ»") for m in messages)
    assert any(m.startswith("Dòng 7: không hiểu vai trò «thủ quỹ»") for m in messages)
    assert any(m.startswith("Dòng 8: thiếu vai trò") for m in messages)
    assert members(commune_engine) == {}


def test_row_numbers_follow_the_spreadsheet_when_a_title_is_above_the_headers(
    commune_engine: Engine, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH CÁN BỘ XÃ TÂY TRÀ"])  # row 1: a title
    sheet.append(HEADERS)  # row 2
    sheet.append(["Thôn A", "thôn", "Lê Văn A", "0905000001", "trưởng thôn"])  # row 3
    sheet.append([])  # row 4: blank, skipped
    sheet.append(["Thôn A", "thôn", "Lê Văn B", "không có", "dân quân"])  # row 5
    book.save(tmp_path / "r.xlsx")
    with pytest.raises(RosterError) as info, transaction(commune_engine) as s:
        import_roster(s, tmp_path / "r.xlsx")
    assert info.value.bad_rows == [5]


def test_missing_header_is_named(commune_engine: Engine, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "r.csv",
        [["Thôn A", "thôn", "Lê Văn A", "0905000001"]],
        headers=["Đơn vị", "Loại đơn vị", "Họ và tên", "Số điện thoại"],
    )
    with pytest.raises(RosterError) as info, transaction(commune_engine) as s:
        import_roster(s, path)
    assert info.value.problems[0].message.startswith("Không tìm thấy cột: Vai trò.")


def test_clean_reimport_changes_nothing(commune_engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", GOOD)
    with transaction(commune_engine) as s:
        import_roster(s, path)
    before = {p: (m.id, m.updated_at, m.full_name) for p, m in members(commune_engine).items()}
    heads = {n: u.head_member_id for n, u in units(commune_engine).items()}
    with transaction(commune_engine) as s:
        again = import_roster(s, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert not again.changed
    assert {
        p: (m.id, m.updated_at, m.full_name) for p, m in members(commune_engine).items()
    } == before
    assert {n: u.head_member_id for n, u in units(commune_engine).items()} == heads


def test_reimport_with_changes_updates_by_phone_not_duplicates(
    commune_engine: Engine, tmp_path: Path
) -> None:
    with transaction(commune_engine) as s:
        import_roster(s, write_csv(tmp_path / "a.csv", GOOD))
    old_id = members(commune_engine)["0383411302"].id
    changed = [list(r) for r in GOOD]
    changed[1] = ["Công an xã", "công an", "Đinh Văn Tới (sửa)", "+84383411302", "công an"]
    with transaction(commune_engine) as s:
        result = import_roster(s, write_csv(tmp_path / "b.csv", changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    people = members(commune_engine)
    assert len(people) == 4
    moved = people["0383411302"]
    assert moved.id == old_id
    assert moved.full_name == "Đinh Văn Tới (sửa)"
    assert moved.roles == ["police"]
    assert moved.unit_id == units(commune_engine)["Công an xã"].id


def test_village_without_a_village_head_has_no_head(commune_engine: Engine, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "r.csv", [["Thôn A", "thôn", "Lê Văn A", "0905000001", "dân quân"]])
    with transaction(commune_engine) as s:
        import_roster(s, path)
    assert units(commune_engine)["Thôn A"].head_member_id is None


def test_import_needs_a_commune(engine: Engine) -> None:
    with pytest.raises(NoCommuneError, match="tinbao init"), transaction(engine) as s:
        import_roster(s, SAMPLE_ROSTER)


def test_csv_with_bom_and_semicolons_is_read(commune_engine: Engine, tmp_path: Path) -> None:
    # What Excel's "CSV UTF-8" writes in a locale where the list separator is ';'.
    path = tmp_path / "r.csv"
    path.write_bytes(
        "Đơn vị;Loại đơn vị;Họ và tên;Số điện thoại;Vai trò\r\n"
        "Thôn A;thôn;Lê Văn A;0905000001;trưởng thôn, dân quân\r\n".encode("utf-8-sig")
    )
    with transaction(commune_engine) as s:
        assert import_roster(s, path).created == 1
    assert members(commune_engine)["0905000001"].roles == ["village_head", "militia"]


def test_csv_not_in_utf8_gets_a_clear_message(tmp_path: Path) -> None:
    # An old Windows "CSV" saved in the Vietnamese code page instead of UTF-8.
    path = tmp_path / "r.csv"
    text = "Đơn vị,Loại đơn vị,Họ và tên,Số điện thoại,Vai trò\n"
    path.write_bytes(text.encode("cp1258", errors="replace"))
    with pytest.raises(RosterError, match="UTF-8"):
        read_roster(path)


def test_csv_rows_are_counted_as_records_not_lines(tmp_path: Path) -> None:
    # A cell with a line break (Alt+Enter in Excel) is still one spreadsheet row.
    path = tmp_path / "r.csv"
    path.write_text(
        "Đơn vị,Loại đơn vị,Họ và tên,Số điện thoại,Vai trò\n"
        'Thôn A,thôn,"Lê Văn\nA",0905000001,trưởng thôn\n'
        "Thôn A,thôn,Lê Văn B,sai,dân quân\n",
        encoding="utf-8",
    )
    with pytest.raises(RosterError) as info:
        read_roster(path)
    assert info.value.bad_rows == [3]
