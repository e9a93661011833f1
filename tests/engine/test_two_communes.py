"""Two communes in one installation: nothing a member does reaches another commune.

Tây Trà (the sample) and Sơn Mai both answer 1949/UBND-NC; each has its own police, office
and village heads. Every check here is something a member could try with a crafted button
or a typed command; the roster decides, never the message.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from storage.models import Incident, IncidentEvent, Submission
from tests.engine.flows import RESULTS, SUSPICIOUS
from tests.engine.harness import Harness, Person
from tests.engine.two_communes import add_son_mai, campaign_of, person

TAY_TRA_HEAD = "0905211301"  # Hồ Văn Mên, trưởng thôn Trà Xinh (sample roster)


@pytest.fixture
def two(harness: Harness, tmp_path: Path) -> Harness:
    add_son_mai(harness.db, tmp_path)
    return harness


def _link(h: Harness, phone: str, user_id: str) -> Person:
    return h.link(person(h.db, phone), user_id)


def test_a_unit_files_only_against_its_own_communes_directive(two: Harness) -> None:
    head = _link(two, "0905311401", "sm-head")  # Sơn Mai's village head
    theirs = campaign_of(two.db, "Tây Trà")
    head.press(f"go:ket_qua_thuc_hien:{theirs.id}")
    assert any("không có quyền" in text for text in head.texts())
    head.press(f"go:ket_qua_thuc_hien:{campaign_of(two.db, 'Sơn Mai').id}")
    head.run([*RESULTS, ("tap", "Gửi báo cáo")])
    with Session(two.db) as s:
        [filed] = s.exec(select(Submission).where(Submission.form_id == "ket_qua_thuc_hien"))
    assert filed.directive_id == campaign_of(two.db, "Sơn Mai").id
    assert filed.commune_id == campaign_of(two.db, "Sơn Mai").commune_id


def test_an_alert_reaches_only_the_police_of_the_reporters_commune(two: Harness) -> None:
    tay_tra_cop = two.link(two.members_with_role("police", "police")[0], "tt-cop")
    son_mai_cop = _link(two, "0905311402", "sm-cop")
    reporter = _link(two, TAY_TRA_HEAD, "tt-head")
    reporter.run([("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")])
    assert any("TIN BÁO KHẨN" in r.text for r in tay_tra_cop.replies())
    assert son_mai_cop.replies() == []  # nothing since the welcome
    with Session(two.db) as s:
        [incident] = s.exec(select(Incident)).all()
    assert incident.commune_id == campaign_of(two.db, "Tây Trà").commune_id


def test_another_communes_police_cannot_change_an_incident(two: Harness) -> None:
    reporter = _link(two, TAY_TRA_HEAD, "tt-head")
    reporter.run([("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")])
    with Session(two.db) as s:
        [incident] = s.exec(select(Incident)).all()
    outsider = _link(two, "0905311402", "sm-cop")
    outsider.press(f"inc:{incident.id}:received")
    outsider.text("1")  # the typed form of the first status button
    with Session(two.db) as s:
        after = s.get(Incident, incident.id)
        events = s.exec(
            select(IncidentEvent).where(col(IncidentEvent.incident_id) == incident.id)
        ).all()
    assert after is not None and after.status == "new"
    assert [e.status for e in events] == ["new"]
    assert reporter.replies() == []  # the reporter was told nothing happened, truly


def test_office_progress_and_summary_stay_in_the_office_commune(two: Harness) -> None:
    clerk = _link(two, "0905311405", "sm-office")
    clerk.text("/tiendo")
    text = "\n".join(clerk.texts())
    assert "Thôn Mai Lãnh" in text
    assert "Trà Xinh" not in text and "Trà Lãnh" not in text
    # Tây Trà's results filed; Sơn Mai's summary of the same number must not count them.
    head = _link(two, TAY_TRA_HEAD, "tt-head")
    head.run([("say", "/baocao"), ("tap", "kết quả"), *RESULTS, ("tap", "Gửi báo cáo")])
    clerk.text("/summary 1949/UBND-NC")
    summary = "\n".join(clerk.texts())
    assert "chưa có đơn vị nào gửi báo cáo (0/3)" in summary  # Sơn Mai's three units
    assert "Thôn Mai Lãnh" in summary and "Trà Xinh" not in summary


def test_a_province_officer_files_no_commune_forms(two: Harness) -> None:
    officer = _link(two, "0905311501", "tinh-ca")
    officer.text("/baocao")
    assert any("chưa có loại báo cáo" in t for t in officer.texts())
    officer.press(f"go:ket_qua_thuc_hien:{campaign_of(two.db, 'Tây Trà').id}")
    assert any("không có quyền" in t for t in officer.texts())
