"""/province: the roll-up page for province accounts; a commune's account cannot open it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from bot.context import AppContext
from storage.cascade import save_province_directive, with_commune_lead
from storage.db import transaction
from storage.models import AuditLog
from storage.sample import SAMPLE_DIRECTIVES
from tests.engine.two_communes import add_son_mai, person
from tests.web.client import WebClient
from tests.web.conftest import add_account, login, member


@pytest.fixture
def province_web(web_ctx: AppContext, tmp_path: Path) -> AppContext:
    add_son_mai(web_ctx.engine, tmp_path)
    with transaction(web_ctx.engine) as s:
        save_province_directive(
            s, with_commune_lead(replace(SAMPLE_DIRECTIVES[0], unit_deadline=None))
        )
    return web_ctx


def test_a_province_account_sees_every_commune_and_downloads_the_report(
    province_web: AppContext, make_client: Callable[..., WebClient]
) -> None:
    add_account(province_web, person(province_web.engine, "0905311501"), "ca.tinh")
    client = make_client(local_mode=False)
    assert login(client, "ca.tinh") == 303
    page = client.open("/province")
    assert "Xã Sơn Mai" in page and "Xã Tây Trà" in page
    assert "Đã gửi: 0/2 xã, phường" in page
    assert 'href="/province"' in page  # the nav shows the province page to province viewers
    with Session(province_web.engine) as s:
        from storage.models import Directive

        [own] = s.exec(select(Directive).where(col(Directive.commune_id).is_(None))).all()
    got = client.form_post("/province/report.docx", {"directive_id": str(own.id), "period": "once"})
    assert got.status_code == 200 and got.content[:2] == b"PK"
    with Session(province_web.engine) as s:
        actions = s.exec(select(AuditLog.action)).all()
    assert "report.province.docx" in actions


def test_a_commune_account_cannot_open_the_province_page(
    province_web: AppContext, make_client: Callable[..., WebClient]
) -> None:
    clerk = member(province_web, "office_staff")
    add_account(province_web, clerk, "vp.taytra")
    client = make_client(local_mode=False)
    assert login(client, "vp.taytra") == 303
    assert client.http.get("/province").status_code == 403
    assert 'href="/province"' not in client.open("/dashboard")
    refused = client.form_post("/province/report.xlsx", {"directive_id": "1", "period": "once"})
    assert refused.status_code == 403
