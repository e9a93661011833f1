"""The Xã Tây Trà sample data: what it loads, and that loading it twice changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import select

from storage.db import transaction
from storage.models import Commune, Directive, Member, Unit
from storage.sample import seed_sample


def test_seed_sample_loads_commune_roster_and_directives(engine: Engine) -> None:
    with transaction(engine) as s:
        result = seed_sample(s)
    assert result.commune_created and result.commune_name == "Xã Tây Trà"
    assert (result.roster.created, result.directives_created) == (32, 3)
    with transaction(engine) as s:
        commune = s.exec(select(Commune)).one()
        directives = {d.number: d for d in s.exec(select(Directive)).all()}
        roles = [r for m in s.exec(select(Member)).all() for r in m.roles]
    assert commune.code == 21154
    assert roles.count("village_head") == 8
    assert roles.count("leader") == 2 and roles.count("admin") == 1
    campaign = directives["1949/UBND-NC"]
    assert campaign.issued_on == date(2025, 8, 28)
    assert campaign.starts_on == date(2025, 9, 5)
    assert (campaign.unit_deadline, campaign.report_deadline) == (
        date(2025, 9, 14),
        date(2025, 9, 15),
    )
    assert campaign.target_unit_kinds == ["village", "police", "military", "agency"]
    assert campaign.form_ids == ["ket_qua_thuc_hien"] and campaign.recurrence == "none"
    weekly = [d for d in directives.values() if d.recurrence == "weekly"]
    assert sorted(tuple(d.form_ids) for d in weekly) == [
        ("khong_phat_hien", "doi_tuong_kha_nghi"),
        ("nhat_ky_tuan_tra",),
    ]


def test_seed_sample_twice_changes_nothing(engine: Engine) -> None:
    with transaction(engine) as s:
        seed_sample(s)
    with transaction(engine) as s:
        before = (
            [(m.id, m.updated_at) for m in s.exec(select(Member)).all()],
            [(u.id, u.head_member_id) for u in s.exec(select(Unit)).all()],
            len(s.exec(select(Directive)).all()),
        )
    with transaction(engine) as s:
        again = seed_sample(s)
    assert not again.changed
    assert again.roster.unchanged == 32
    with transaction(engine) as s:
        after = (
            [(m.id, m.updated_at) for m in s.exec(select(Member)).all()],
            [(u.id, u.head_member_id) for u in s.exec(select(Unit)).all()],
            len(s.exec(select(Directive)).all()),
        )
    assert after == before
