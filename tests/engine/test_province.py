"""The province chain through the engine: a province order cascaded to two communes, one
commune compiling and sending its report, the province's roll-up and consolidated files.

Tây Trà (the sample) and Sơn Mai both get a copy of the province's 1949/UBND-NC (units'
deadline 14/9, communes' 15/9). Tây Trà's village heads file results, its office sends the
compiled report up; Sơn Mai files nothing. The province officer (Công an tỉnh) is told,
and his /summary and files say exactly that: 1 of 2 communes, Tây Trà's figures only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, col, select

from storage.cascade import save_province_directive, with_commune_lead
from storage.db import transaction
from storage.models import AuditLog, CommuneReport, Directive
from storage.sample import SAMPLE_DIRECTIVES
from tests.engine.flows import RESULTS
from tests.engine.harness import Harness, Person
from tests.engine.two_communes import add_son_mai, campaign_of, person
from tests.reports.docx_reading import all_text, open_docx

TAY_TRA_HEADS = ("0905211301", "0935211303")  # trưởng thôn Trà Xinh, Trà Lãnh
OFFICER = "0905311501"  # Công an tỉnh


@pytest.fixture
def province(harness: Harness, tmp_path: Path) -> Harness:
    add_son_mai(harness.db, tmp_path)
    fields = replace(SAMPLE_DIRECTIVES[0], unit_deadline=None)
    with transaction(harness.db) as s:
        result = save_province_directive(s, with_commune_lead(fields))
    assert result.communes == 2
    return harness


def _clerk_phone(h: Harness) -> str:
    office = [m for m in h.members_with_role("office_staff", "office") if m.phone != "0905311405"]
    return office[0].phone


def _link(h: Harness, phone: str, user_id: str) -> Person:
    return h.link(person(h.db, phone), user_id)


def _file_results(h: Harness) -> None:
    for i, phone in enumerate(TAY_TRA_HEADS):
        head = _link(h, phone, f"head-{i}")
        head.run([("say", "/baocao"), ("tap", "kết quả"), *RESULTS, ("tap", "Gửi báo cáo")])


def _send_up(h: Harness, clerk: Person) -> list[str]:
    clerk.text("/summary")
    clerk.tap("Gửi báo cáo lên tỉnh")
    clerk.tap("Gửi lên tỉnh")
    return clerk.texts()


def test_a_commune_sends_its_report_and_the_province_is_told(province: Harness) -> None:
    officer = _link(province, OFFICER, "tinh-ca")
    _file_results(province)
    clerk = _link(province, _clerk_phone(province), "tt-office")
    said = _send_up(province, clerk)
    assert any("Đã gửi báo cáo 1949/UBND-NC lên tỉnh" in text for text in said)
    assert any("Đã báo tới: Hà Văn Tỉnh" in text for text in said)
    news = officer.texts()
    assert any("Xã Tây Trà" in text and "đã gửi báo cáo 1949/UBND-NC" in text for text in news)
    assert any("2/12 đơn vị của xã đã báo cáo" in text for text in news)
    with Session(province.db) as s:
        [report] = s.exec(select(CommuneReport)).all()
        sent = s.exec(select(AuditLog).where(col(AuditLog.action) == "report.send")).all()
    assert report.version == 1 and report.answer["figures"]["propaganda_sessions"] == 8
    assert report.commune_id == campaign_of(province.db, "Tây Trà").commune_id
    assert len(sent) == 1
    # Sending again is a new version; the first time stays what counts for "on time".
    clerk.text("/summary")
    clerk.tap("Gửi báo cáo lên tỉnh")
    assert any("lần 2" in text for text in clerk.texts())
    clerk.tap("Gửi lên tỉnh")
    with Session(province.db) as s:
        [again] = s.exec(select(CommuneReport)).all()
    assert (again.version, again.first_sent_at) == (2, report.first_sent_at)


def test_only_the_communes_office_may_send_its_report(province: Harness) -> None:
    tay_tra = campaign_of(province.db, "Tây Trà")
    head = _link(province, TAY_TRA_HEADS[0], "head")
    head.press(f"ans!:{tay_tra.id}:once")
    assert any("không có quyền" in text for text in head.texts())
    other_clerk = _link(province, "0905311405", "sm-office")  # Sơn Mai's office
    other_clerk.press(f"ans!:{tay_tra.id}:once")
    assert any("Nút này đã cũ" in text for text in other_clerk.texts())
    with Session(province.db) as s:
        assert s.exec(select(CommuneReport)).all() == []


def test_the_province_roll_up_counts_only_what_communes_sent(
    province: Harness, tmp_path: Path
) -> None:
    officer = _link(province, OFFICER, "tinh-ca")
    _file_results(province)
    _send_up(province, _link(province, _clerk_phone(province), "tt-office"))
    officer.replies()
    officer.text("/summary")
    replies = officer.replies()
    text = "\n".join(r.text for r in replies)
    assert "Tổng hợp toàn tỉnh 1949/UBND-NC" in text
    assert "Xã, phường đã gửi báo cáo:</b> 1/2" in text
    assert "Số liệu từ 1 báo cáo xã đã gửi" in text
    assert "8 buổi" in text  # Tây Trà's two heads: 4 sessions each
    assert "Xã Sơn Mai (0/3 đơn vị)" in text
    docs = [Path(r.document_path) for r in replies if r.document_path]
    docx = next(p for p in docs if p.suffix == ".docx")
    xlsx = next(p for p in docs if p.suffix == ".xlsx")
    body = all_text(open_docx(docx))
    assert "có 1/2 xã, phường (50,0%) gửi báo cáo" in body
    assert "Còn 1 xã, phường chưa gửi báo cáo: Xã Sơn Mai." in body
    assert "TỈNH QUẢNG NGÃI" in body and "{{" not in body
    sheet = load_workbook(xlsx).active
    assert sheet is not None
    by_name = {row[1].value: row for row in sheet.iter_rows(min_row=7) if row[1].value}
    tay_tra, son_mai = by_name["Xã Tây Trà"], by_name["Xã Sơn Mai"]
    assert tay_tra[2].value == "Đã gửi, đúng hạn" and son_mai[2].value == "Chưa gửi"
    sessions_col = next(
        c.column - 1 for c in sheet[6] if c.value == "Buổi tuyên truyền"
    )  # the figure row of the header
    assert tay_tra[sessions_col].value == 8
    assert son_mai[sessions_col].value is None  # not answered: empty, never 0
    [total] = [row for row in sheet.iter_rows(min_row=7) if row[0].value == "Tổng cộng"]
    letter = tay_tra[sessions_col].column_letter
    assert total[sessions_col].value == f"=SUM({letter}7:{letter}8)"
    assert total[4].value == "=SUM(E7:E8)"  # the units' counts add up too


def test_a_province_directive_is_not_the_communes_to_send(province: Harness) -> None:
    """The province's own row cannot be 'sent' by a commune with a crafted button."""
    clerk = _link(province, _clerk_phone(province), "tt-office")
    with Session(province.db) as s:
        [own] = s.exec(select(Directive).where(col(Directive.commune_id).is_(None))).all()
    clerk.press(f"ans!:{own.id}:once")
    assert any("Nút này đã cũ" in text for text in clerk.texts())


def test_province_progress_lists_the_communes_still_to_answer(province: Harness) -> None:
    officer = _link(province, OFFICER, "tinh-ca")
    officer.text("/tiendo")
    text = "\n".join(officer.texts())
    assert "0/2" in text and "Xã Sơn Mai (0/3 đơn vị)" in text and "Xã Tây Trà (0/12" in text
    # A commune's office keeps its own /tiendo: its units, not the province's communes.
    clerk = _link(province, _clerk_phone(province), "tt-office")
    clerk.text("/tiendo")
    own = "\n".join(clerk.texts())
    assert "Thôn Trà Xinh" in own and "Xã Sơn Mai" not in own
