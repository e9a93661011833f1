"""The dashboard on an installation with two communes: each office sees only its own.

A Sơn Mai office account must not see, download or act on Tây Trà's data, whatever it puts
in the URL or the form; the playground's owner (loopback) picks the commune to look at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.context import AppContext
from storage.models import Incident
from tests.engine.two_communes import add_son_mai, campaign_of, person
from tests.web.client import WebClient
from tests.web.conftest import add_account, login, member


@pytest.fixture
def son_mai_clerk(
    web_ctx: AppContext, tmp_path: Path, make_client: Callable[..., WebClient]
) -> WebClient:
    add_son_mai(web_ctx.engine, tmp_path)
    add_account(web_ctx, person(web_ctx.engine, "0905311405"), "vp.sonmai")
    client = make_client(local_mode=False)
    assert login(client, "vp.sonmai") == 303
    return client


def test_the_dashboard_shows_the_viewers_commune_whatever_the_url_says(
    son_mai_clerk: WebClient, web_ctx: AppContext, local: WebClient
) -> None:
    head = member(web_ctx, "village_head")
    local.report_suspicious(head.id or 0)  # a tip in Tây Trà
    tay_tra = campaign_of(web_ctx.engine, "Tây Trà")
    page = son_mai_clerk.open(f"/dashboard?commune={tay_tra.commune_id}&directive={tay_tra.id}")
    assert "Xã Sơn Mai" in page and "Thôn Mai Lãnh" in page
    assert "Trà Xinh" not in page and "Bãi đất trống" not in page
    assert 'id="commune-select"' not in page  # one commune: nothing to pick


def test_another_communes_report_cannot_be_downloaded(
    son_mai_clerk: WebClient, web_ctx: AppContext
) -> None:
    theirs = campaign_of(web_ctx.engine, "Tây Trà")
    refused = son_mai_clerk.form_post(
        "/dashboard/report.docx", {"directive_id": str(theirs.id), "period": "once"}
    )
    assert refused.status_code == 404
    own = campaign_of(web_ctx.engine, "Sơn Mai")
    taken = son_mai_clerk.form_post(
        "/dashboard/report.docx", {"directive_id": str(own.id), "period": "once"}
    )
    assert taken.status_code == 200 and taken.content[:2] == b"PK"


def test_another_communes_incident_cannot_be_changed_from_the_dashboard(
    son_mai_clerk: WebClient, web_ctx: AppContext, local: WebClient
) -> None:
    local.report_suspicious(member(web_ctx, "village_head").id or 0)
    with Session(web_ctx.engine) as s:
        [incident] = s.exec(select(Incident)).all()
    son_mai_clerk.form_post(
        f"/dashboard/incidents/{incident.id}/status", {"status": "handled", "uuid": ""}
    )
    with Session(web_ctx.engine) as s:
        after = s.get(Incident, incident.id)
    assert after is not None and after.status == "new"


def test_the_playground_owner_picks_the_commune(
    web_ctx: AppContext, tmp_path: Path, local: WebClient
) -> None:
    add_son_mai(web_ctx.engine, tmp_path)
    son_mai = campaign_of(web_ctx.engine, "Sơn Mai").commune_id
    page = local.open(f"/dashboard?commune={son_mai}")
    assert 'id="commune-select"' in page and "Thôn Mai Lãnh" in page
    chat = local.open(f"/?commune={son_mai}")
    assert "Phạm Văn Lãnh" in chat and "Hồ Văn Mên" not in chat
