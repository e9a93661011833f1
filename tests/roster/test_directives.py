"""Directives: parsing what the CLI is typed, validation, upsert by number."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import Engine

from storage.cascade import (
    cascade_to_commune,
    copies,
    save_province_directive,
    with_commune_lead,
)
from storage.commune import resolve_commune, save_commune
from storage.db import transaction
from storage.directives import (
    DirectiveError,
    DirectiveFields,
    OwnInstruction,
    list_directives,
    parse_recurrence,
    parse_targets,
    save_directive,
    validate,
)
from storage.enums import Recurrence, UnitKind
from storage.scope import Reach
from storage.vocab import format_date, parse_date

FIELDS = DirectiveFields(
    number="1949/UBND-NC",
    issued_on=date(2025, 8, 28),
    issuer="UBND tỉnh Quảng Ngãi",
    summary="Tăng cường đấu tranh phòng, chống xuất nhập cảnh trái phép",
    target_unit_kinds=(UnitKind.VILLAGE, UnitKind.POLICE),
    form_ids=("ket_qua_thuc_hien",),
    starts_on=date(2025, 9, 5),
    unit_deadline=date(2025, 9, 14),
    report_deadline=date(2025, 9, 15),
)


def test_dates_are_typed_day_first() -> None:
    assert parse_date("28/08/2025") == date(2025, 8, 28)
    assert parse_date("5.9.2025") == date(2025, 9, 5)
    assert parse_date("2025-08-28") is None
    assert parse_date("31/02/2025") is None
    assert format_date(date(2025, 9, 5)) == "05/09/2025"


def test_targets_and_recurrence_accept_vietnamese_in_any_form() -> None:
    assert parse_targets("cơ quan, THON,cong an;quân sự") == (
        UnitKind.VILLAGE,
        UnitKind.POLICE,
        UnitKind.MILITARY,
        UnitKind.AGENCY,
    )
    with pytest.raises(DirectiveError, match="«chợ»"):
        parse_targets("thôn, chợ")
    assert parse_recurrence("weekly") is Recurrence.WEEKLY
    assert parse_recurrence("Hằng tháng") is Recurrence.MONTHLY
    with pytest.raises(DirectiveError):
        parse_recurrence("yearly")


def _communes(engine: Engine, *names: str) -> list[int]:
    with transaction(engine) as s:
        return [save_commune(s, resolve_commune("Quảng Ngãi", n)).id or 0 for n in names]


def test_save_creates_then_updates_by_number(engine: Engine) -> None:
    [tay_tra] = _communes(engine, "Tây Trà")
    with transaction(engine) as s:
        row, outcome = save_directive(s, FIELDS, tay_tra)
    assert outcome == "created"
    assert row.target_unit_kinds == ["village", "police"]
    with transaction(engine) as s:
        assert save_directive(s, FIELDS, tay_tra)[1] == "unchanged"
        later = replace(FIELDS, report_deadline=date(2025, 9, 16))
        assert save_directive(s, later, tay_tra)[1] == "updated"
    with transaction(engine) as s:
        [saved] = list_directives(s, Reach.of(tay_tra))
    assert saved.report_deadline == date(2025, 9, 16)
    assert saved.starts_on == date(2025, 9, 5)


def test_the_same_number_in_two_communes_is_two_directives(engine: Engine) -> None:
    tay_tra, son_mai = _communes(engine, "Tây Trà", "Sơn Mai")
    with transaction(engine) as s:
        a, _ = save_directive(s, FIELDS, tay_tra)
        b, outcome = save_directive(s, replace(FIELDS, unit_deadline=date(2025, 9, 13)), son_mai)
    assert outcome == "created" and a.id != b.id
    with transaction(engine) as s:
        assert [d.id for d in list_directives(s, Reach.of(tay_tra))] == [a.id]
        assert [d.unit_deadline for d in list_directives(s, Reach.of(son_mai))] == [
            date(2025, 9, 13)
        ]
        assert len(list_directives(s, Reach.everywhere())) == 2


def test_a_province_directive_cascades_with_the_commune_deadline_a_day_earlier(
    engine: Engine,
) -> None:
    """As in the seed: the province wants reports by 15/9, the units report by 14/9."""
    communes = _communes(engine, "Tây Trà", "Sơn Mai")
    province_fields = replace(FIELDS, unit_deadline=None)
    with transaction(engine) as s:
        result = save_province_directive(s, with_commune_lead(province_fields))
    assert (result.outcome, result.communes, result.created) == ("created", 2, 2)
    with transaction(engine) as s:
        children = copies(s, result.province.id or 0)
        assert sorted(c.commune_id or 0 for c in children) == sorted(communes)
        assert {(c.unit_deadline, c.report_deadline) for c in children} == {
            (date(2025, 9, 14), date(2025, 9, 15))
        }
        assert {c.parent_id for c in children} == {result.province.id}
        # Saving again changes nothing; a commune set up later gets its copy.
        again = save_province_directive(s, with_commune_lead(province_fields))
        assert (again.outcome, again.created) == ("unchanged", 0)
        # A commune adds its own instruction to its copy; the next province save keeps it.
        own = OwnInstruction("180/UBND-VP", date(2025, 9, 3), "triển khai trên địa bàn xã")
        mine = replace(with_commune_lead(province_fields), own_instruction=own)
        copy, _ = save_directive(s, mine, communes[0])
        assert copy.parent_id == result.province.id  # still the province's copy
        later = replace(province_fields, report_deadline=date(2025, 9, 16))
        save_province_directive(s, with_commune_lead(later))
        s.refresh(copy)
        assert copy.own_instruction_number == "180/UBND-VP"
        assert (copy.unit_deadline, copy.report_deadline) == (date(2025, 9, 15), date(2025, 9, 16))
        late = save_commune(s, resolve_commune("Quảng Ngãi", "Trà Bồng"))
        assert cascade_to_commune(s, late) == 1
        assert len(copies(s, result.province.id or 0)) == 3


def test_start_defaults_to_the_issue_date(engine: Engine) -> None:
    [tay_tra] = _communes(engine, "Tây Trà")
    fields = replace(FIELDS, starts_on=None, recurrence=Recurrence.WEEKLY)
    with transaction(engine) as s:
        row, _ = save_directive(s, fields, tay_tra)
    assert row.starts_on == date(2025, 8, 28)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"unit_deadline": date(2025, 9, 16)}, "Hạn đơn vị (16/09/2025) phải trước"),
        ({"report_deadline": date(2025, 9, 1), "unit_deadline": None}, "không được trước"),
        ({"target_unit_kinds": ()}, "ít nhất một loại đơn vị"),
        ({"form_ids": ("Kết quả",)}, "Mã biểu mẫu «Kết quả»"),
        ({"summary": "  "}, "Thiếu trích yếu"),
    ],
)
def test_invalid_directives_are_refused(change: dict[str, object], message: str) -> None:
    with pytest.raises(DirectiveError, match=re.escape(message)):
        validate(replace(FIELDS, **change))  # type: ignore[arg-type]
