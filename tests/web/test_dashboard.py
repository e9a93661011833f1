"""The office dashboard: completeness grid, incidents and their status buttons, downloads."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import date

from sqlmodel import Session, col, select

from bot.channels.web.completeness import Cell, build_grid, recent_periods
from bot.context import AppContext
from reports.aggregate import aggregate
from storage.db import transaction
from storage.models import AuditLog, Directive, Incident, IncidentEvent, Member, Submission
from tests.engine.harness import Clock
from tests.web.client import WebClient
from tests.web.conftest import add_account, login, member


def directive(ctx: AppContext, number: str) -> Directive:
    with Session(ctx.engine) as s:
        return s.exec(select(Directive).where(Directive.number == number)).one()


def the_incident(ctx: AppContext) -> Incident:
    with Session(ctx.engine) as s:
        return s.exec(select(Incident)).one()


def status_form(page: str, incident_id: int) -> dict[str, str]:
    """The hidden fields of an incident's status form, as the browser would send them."""
    start = page.index(f'action="/dashboard/incidents/{incident_id}/status"')
    form = page[start : page.index("</form>", start)]
    fields = dict(re.findall(r'name="(csrf|uuid)" value="([^"]+)"', form))
    assert set(fields) == {"csrf", "uuid"}
    return fields


def test_dashboard_shows_the_incident_with_its_history(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.report_suspicious(head.id or 0)
    incident = the_incident(web_ctx)
    page = local.open("/dashboard")
    assert f'id="incident-{incident.id}"' in page
    assert "Bãi đất trống cuối thôn" in page and head.full_name in page
    assert "Mới" in page  # the first history entry: opened by the reporter
    for label in ("Đã tiếp nhận", "Đang xác minh", "Đã xử lý", "Tin không chính xác"):
        assert label in page


def test_status_change_goes_through_the_engine_as_the_chosen_member(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    cop = member(web_ctx, "police", "police")
    local.report_suspicious(head.id or 0)
    incident = the_incident(web_ctx)
    local.open("/dashboard")
    assert local.form_post("/dashboard/act-as", {"member_id": str(cop.id)}).status_code == 303
    page = local.open("/dashboard")
    fields = status_form(page, incident.id or 0)
    res = local.form_post(
        f"/dashboard/incidents/{incident.id}/status", {**fields, "status": "received"}, csrf=False
    )
    assert res.status_code == 303 and res.headers["location"].endswith(f"#incident-{incident.id}")
    # The same form sent twice (a double click) is one press for the engine.
    local.form_post(
        f"/dashboard/incidents/{incident.id}/status", {**fields, "status": "received"}, csrf=False
    )
    with Session(web_ctx.engine) as s:
        events = s.exec(select(IncidentEvent).order_by(col(IncidentEvent.id))).all()
    assert [(e.status, e.member_id) for e in events] == [
        ("new", head.id),
        ("received", cop.id),
    ]
    page = local.open("/dashboard")
    assert "Đã cập nhật: Đã tiếp nhận" in page  # the engine's own answer, shown once
    assert cop.full_name in page
    assert "Đã cập nhật" not in local.open("/dashboard")
    # The police member's web chat got the engine's confirmation like any press.
    assert any("Sự việc #" in t for t in local.texts(cop.id or 0))


def test_a_village_head_cannot_change_a_status_even_by_forging_the_form(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.report_suspicious(head.id or 0)
    incident = the_incident(web_ctx)
    local.open("/dashboard")
    local.form_post("/dashboard/act-as", {"member_id": str(head.id)})  # not in the list
    res = local.form_post(
        f"/dashboard/incidents/{incident.id}/status",
        {"status": "handled", "uuid": str(uuid.uuid4())},
    )
    assert res.status_code == 303
    assert the_incident(web_ctx).status == "new"  # the engine said no
    assert "không có quyền" in local.open("/dashboard")


def file_nothing_found(client: WebClient, member_id: int) -> None:
    """The one-tap weekly 'nothing found' report."""
    client.send(member_id, "/baocao")
    client.tap(member_id, "Không phát hiện")


def test_completeness_grid_colours_on_time_late_and_missing(
    local: WebClient, web_ctx: AppContext, clock: Clock
) -> None:
    heads = [member(web_ctx, "village_head", "village", i) for i in range(3)]
    file_nothing_found(local, heads[0].id or 0)
    weekly = directive(web_ctx, "45/KH-UBND")
    with Session(web_ctx.engine) as s:
        grid = build_grid(s, weekly, now=clock(), tz=web_ctx.settings.tz)
    assert [p.key for p in grid.periods] == ["2025-W37"]  # it started on Monday 08/09
    cells = {row.unit_id: row.cells[0] for row in grid.rows}
    assert cells[heads[0].unit_id] is Cell.ON_TIME
    assert cells[heads[1].unit_id] is Cell.PENDING  # the week is not over yet
    assert grid.periods[0].on_time == 1 and grid.periods[0].expected == 8

    # Two weeks on: the second village files this week; the third files W37 after its end.
    clock.advance(days=14)
    file_nothing_found(local, heads[1].id or 0)
    with transaction(web_ctx.engine) as s:
        s.add(
            Submission(
                commune_id=weekly.commune_id or 0,
                form_id="khong_phat_hien",
                directive_id=weekly.id,
                period_key="2025-W37",
                unit_id=heads[2].unit_id,
                member_id=heads[2].id or 0,
                channel="web",
                status="submitted",
                submitted_at=clock(),
            )
        )
    with Session(web_ctx.engine) as s:
        grid = build_grid(s, weekly, now=clock(), tz=web_ctx.settings.tz)
    assert [p.key for p in grid.periods] == ["2025-W37", "2025-W38", "2025-W39"]
    rows = {row.unit_id: row.cells for row in grid.rows}
    assert rows[heads[0].unit_id] == (Cell.ON_TIME, Cell.MISSING, Cell.PENDING)
    assert rows[heads[1].unit_id] == (Cell.MISSING, Cell.MISSING, Cell.ON_TIME)
    assert rows[heads[2].unit_id][0] is Cell.LATE
    assert (grid.periods[0].on_time, grid.periods[0].late, grid.periods[0].missing) == (1, 1, 6)
    # The grid's own query and the report's aggregation agree on every cell.
    for index, period in enumerate(grid.periods):
        agg = aggregate(
            web_ctx.engine, weekly.id or 0, period.key, tz=web_ctx.settings.tz, now=clock()
        )
        from_report = {u.unit_id: u.status.value for u in agg.units}
        from_grid = {
            row.unit_id: "missing" if row.cells[index] is Cell.PENDING else row.cells[index].value
            for row in grid.rows
            if row.cells[index] is not Cell.NONE
        }
        assert from_grid == from_report, period.key
    page = local.open(f"/dashboard?directive={weekly.id}")
    for status in ("on_time", "late", "missing", "pending"):
        assert f'class="cell {status}"' in page
    assert "<svg" in page and 'class="seg on_time"' in page and 'class="seg late"' in page


def test_recent_periods_of_one_off_and_recurring_directives(web_ctx: AppContext) -> None:
    once = directive(web_ctx, "1949/UBND-NC")
    [only] = recent_periods(once, date(2025, 10, 1))
    assert only.key == "once" and only.last_day == date(2025, 9, 14)
    weekly = directive(web_ctx, "45/KH-UBND")
    keys = [p.key for p in recent_periods(weekly, date(2025, 12, 31))]
    assert len(keys) == 8 and keys[0] == "2025-W46" and keys[-1] == "2026-W01"
    assert [p.key for p in recent_periods(weekly, date(2025, 9, 1))] == ["2025-W37"]


def test_downloads_give_docx_and_xlsx_and_are_audited(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.report_suspicious(head.id or 0)
    weekly = directive(web_ctx, "45/KH-UBND")
    local.open("/dashboard")
    clerk: Member = member(web_ctx, "office_staff", "office")  # the playground's default actor
    for kind, media in (("docx", "wordprocessingml"), ("xlsx", "spreadsheetml")):
        res = local.form_post(
            f"/dashboard/report.{kind}", {"directive_id": str(weekly.id), "period": "2025-W37"}
        )
        assert res.status_code == 200, res.text
        assert media in res.headers["content-type"]
        assert res.content[:2] == b"PK"  # a zip container
        assert "attachment" in res.headers["content-disposition"]
        assert f".{kind}" in res.headers["content-disposition"]
    with Session(web_ctx.engine) as s:
        logs = s.exec(select(AuditLog).where(col(AuditLog.action).like("report.%"))).all()
    assert [(a.action, a.actor, a.member_id) for a in logs] == [
        ("report.docx", f"web:{clerk.id}", clerk.id),
        ("report.xlsx", f"web:{clerk.id}", clerk.id),
    ]
    assert logs[0].details == {"directive_id": weekly.id, "period": "2025-W37"}


def test_download_of_an_account_is_audited_under_its_username(
    make_client: Callable[..., WebClient], web_ctx: AppContext
) -> None:
    leader = member(web_ctx, "leader", "office")
    add_account(web_ctx, leader, "thanh")
    client = make_client(local_mode=False)
    assert login(client, "thanh") == 303
    once = directive(web_ctx, "1949/UBND-NC")
    res = client.form_post(
        "/dashboard/report.xlsx", {"directive_id": str(once.id), "period": "once"}
    )
    assert res.status_code == 200
    bad = client.form_post("/dashboard/report.xlsx", {"directive_id": str(once.id), "period": "x"})
    assert bad.status_code == 404
    with Session(web_ctx.engine) as s:
        log = s.exec(select(AuditLog).where(AuditLog.action == "report.xlsx")).one()
    assert log.actor == "web:thanh" and log.member_id == leader.id


def _reach_section(page: str) -> str:
    start = page.index('id="alert-reach"')
    return page[start : page.index("</section>", start)]


def test_the_dashboard_warns_in_red_where_nobody_receives_alerts(
    local: WebClient, web_ctx: AppContext
) -> None:
    nobody = _reach_section(local.open("/dashboard"))
    warnings = re.findall(r'<p class="reach-warning" role="alert">([^<]+)</p>', nobody)
    assert [w.split(":")[0] for w in warnings] == [
        "⚠️ Công an xã Tây Trà",
        "⚠️ Ban CHQS xã Tây Trà",
        "⚠️ Văn phòng HĐND&amp;UBND xã",
    ]
    assert 'class="reach-unit nobody"' in nobody and "Chưa liên kết" in nobody
    cop = member(web_ctx, "police", "police")  # Phạm Văn Dũng, the police chief
    local.send(cop.id or 0, "/start")  # he opens the web chat: reachable there
    reach = _reach_section(local.open("/dashboard"))
    assert "⚠️ Công an xã Tây Trà" not in reach and "⚠️ Ban CHQS xã Tây Trà" in reach
    row = reach[reach.index(cop.full_name) :]
    assert row.index("trang web") < row.index("Liên lạc được") < row.index("</tr>")


def _history(client: WebClient, incident_id: int) -> str:
    page = client.open("/dashboard")
    card = page[page.index(f'id="incident-{incident_id}"') :]
    return card[: card.index("</ol>")]


def test_the_incident_history_shows_whom_the_alert_went_to_and_when_it_arrived(
    local: WebClient, web_ctx: AppContext
) -> None:
    cop = member(web_ctx, "police", "police")
    local.send(cop.id or 0, "/start")
    local.texts(cop.id or 0)
    head = member(web_ctx, "village_head", "village")
    local.report_suspicious(head.id or 0)
    incident = the_incident(web_ctx)
    assert any(f"đang gửi cảnh báo tới {cop.full_name}" in t for t in local.texts(head.id or 0))
    history = _history(local, incident.id or 0)
    assert "Cảnh báo Công an xã" in history and cop.full_name in history
    assert "Cảnh báo đã đến" not in history  # his page has not fetched it yet
    assert any("TIN BÁO KHẨN" in t for t in local.texts(cop.id or 0))  # now it has
    arrived = [t for t in local.texts(head.id or 0) if t.startswith("✅ Cảnh báo")]
    assert arrived == [
        f"✅ Cảnh báo sự việc số {incident.id} đã đến trang web của {cop.full_name} "
        "(Trưởng Công an xã Tây Trà) lúc 09:00."
    ]
    history = _history(local, incident.id or 0)
    assert f"Cảnh báo đã đến</span> {cop.full_name} (trang web)" in history
