"""The access matrix across two communes, for every button that names a directive.

A button's data is untrusted: anyone can send ``sum:<id>``, ``ans!:<id>:once`` or
``psum:<id>`` with any id. Each cell below is one member of Sơn Mai (or the province's
officer) pressing one button that names Sơn Mai's copy of 1949/UBND-NC, Tây Trà's copy, or
the province's own directive; what happens comes from the roster only.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from storage.cascade import save_province_directive, with_commune_lead
from storage.db import transaction
from storage.models import CommuneReport, Directive
from storage.sample import SAMPLE_DIRECTIVES
from tests.engine.harness import Harness
from tests.engine.two_communes import add_son_mai, campaign_of, person

ACTORS = {
    "head": "0905311401",  # Sơn Mai's village head
    "police": "0905311402",  # Sơn Mai's commune police
    "office": "0905311405",  # Sơn Mai's office
    "leader": "0905311406",  # Sơn Mai's leader
    "province": "0905311501",  # Công an tỉnh: sees every commune, files nothing
}
ALLOWED = "allowed"
NOT_ALLOWED = "Xin lỗi, anh/chị không có quyền dùng chức năng này."
UNKNOWN = "Nút này đã cũ, không còn tác dụng. Vui lòng dùng tin nhắn mới nhất."
SIGNS_OF_SUCCESS = {
    "sum": "Đang tổng hợp số liệu",  # the commune summary is being built
    "ans": "Gửi báo cáo 1949/UBND-NC của xã lên tỉnh?",  # asked to confirm
    "ans!": "Đã gửi báo cáo 1949/UBND-NC lên tỉnh",
    "psum": "Tổng hợp toàn tỉnh 1949/UBND-NC",  # the province roll-up
}

# (button, target) → outcome per actor. Targets: "own" is Sơn Mai's copy, "other" Tây Trà's,
# "province" the province's directive itself.
MATRIX: dict[tuple[str, str], dict[str, str]] = {
    ("sum", "own"): {
        "head": NOT_ALLOWED,
        "police": NOT_ALLOWED,
        "office": ALLOWED,
        "leader": ALLOWED,
        "province": UNKNOWN,  # a commune's copy is the commune's; the province has psum
    },
    ("sum", "other"): dict.fromkeys(("office", "leader", "province"), UNKNOWN)
    | dict.fromkeys(("head", "police"), NOT_ALLOWED),
    ("ans", "own"): {
        "head": NOT_ALLOWED,
        "police": NOT_ALLOWED,
        "office": ALLOWED,
        "leader": ALLOWED,
        "province": NOT_ALLOWED,
    },
    ("ans", "other"): dict.fromkeys(("office", "leader"), UNKNOWN)
    | dict.fromkeys(("head", "police", "province"), NOT_ALLOWED),
    ("ans!", "other"): dict.fromkeys(("office", "leader"), UNKNOWN)
    | dict.fromkeys(("head", "police", "province"), NOT_ALLOWED),
    ("ans!", "province"): dict.fromkeys(("office", "leader"), UNKNOWN)
    | dict.fromkeys(("head", "police", "province"), NOT_ALLOWED),
    ("psum", "province"): dict.fromkeys(("head", "police", "office", "leader"), NOT_ALLOWED)
    | {"province": ALLOWED},
    ("psum", "own"): dict.fromkeys(("head", "police", "office", "leader"), NOT_ALLOWED)
    | {"province": UNKNOWN},
}
CELLS = [
    (button, target, actor, outcome)
    for (button, target), row in MATRIX.items()
    for actor, outcome in row.items()
]


@pytest.fixture
def province(harness: Harness, tmp_path: Path) -> Harness:
    add_son_mai(harness.db, tmp_path)
    fields = replace(SAMPLE_DIRECTIVES[0], unit_deadline=None)
    with transaction(harness.db) as s:
        save_province_directive(s, with_commune_lead(fields))
    return harness


def _target_id(h: Harness, target: str) -> int:
    if target == "province":
        with Session(h.db) as s:
            found = s.exec(select(Directive).where(Directive.commune_id == None)).one()  # noqa: E711
        return found.id or 0
    return campaign_of(h.db, "Sơn Mai" if target == "own" else "Tây Trà").id or 0


@pytest.mark.parametrize(("button", "target", "actor", "outcome"), CELLS)
def test_a_button_naming_a_directive_obeys_the_roster(
    province: Harness, button: str, target: str, actor: str, outcome: str
) -> None:
    someone = province.link(person(province.db, ACTORS[actor]), f"{actor}-chat")
    directive_id = _target_id(province, target)
    data = (
        f"{button}:{directive_id}:once" if button.startswith("ans") else f"{button}:{directive_id}"
    )
    someone.press(data)
    said = "\n".join(someone.texts())
    if outcome == ALLOWED:
        assert SIGNS_OF_SUCCESS[button] in said, said
        assert NOT_ALLOWED not in said and UNKNOWN not in said
    else:
        assert outcome in said, said
        assert SIGNS_OF_SUCCESS[button] not in said
    with Session(province.db) as s:
        reports = s.exec(select(CommuneReport)).all()
    assert reports == [], "only a confirmed send of one's own copy records an answer"


def test_the_office_s_confirmed_send_records_its_own_commune_only(province: Harness) -> None:
    clerk = province.link(person(province.db, ACTORS["office"]), "office-chat")
    own = campaign_of(province.db, "Sơn Mai")
    clerk.press(f"ans!:{own.id}:once")
    assert any(SIGNS_OF_SUCCESS["ans!"] in text for text in clerk.texts())
    with Session(province.db) as s:
        [report] = s.exec(select(CommuneReport)).all()
    assert (report.directive_id, report.commune_id) == (own.id, own.commune_id)
