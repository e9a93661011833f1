"""Conversation scenarios, run on every channel from one parametrised suite.

Each driver goes through the channel's real adapter and the real outbox sender to a fake
Bot API server over HTTP; what the tests read is what that server received.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlmodel import Session, select

from bot.context import AppContext
from storage.models import Incident, Member, ProcessedUpdate, Submission, Unit
from tests.channels.driver import ChatDriver
from tests.engine.flows import PATROL, RESULTS, SUSPICIOUS


def roster_member(ctx: AppContext, role: str, unit_kind: str, index: int = 0) -> Member:
    with Session(ctx.engine) as s:
        rows = s.exec(select(Member, Unit).join(Unit, Unit.id == Member.unit_id)).all()  # type: ignore[arg-type]
    found = [m for m, u in rows if role in m.roles and u.kind == unit_kind]
    return sorted(found, key=lambda m: m.id or 0)[index]


async def run_flow(chat: ChatDriver, flow: list[tuple[str, str]]) -> None:
    for action, value in flow:
        if action == "say":
            await chat.say(value)
        else:
            await chat.choose(value)


async def test_full_suspicious_report_alerts_the_police(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    cop = make_chat()
    await cop.link(roster_member(channel_ctx, "police", "police"))
    head = make_chat()
    await head.link(roster_member(channel_ctx, "village_head", "village"))
    await head.say("/baocao")
    await head.choose("khả nghi")
    await run_flow(head, SUSPICIOUS)
    await head.choose("Gửi báo cáo")
    texts = "\n".join(await head.replies())
    assert "Đã gửi «Báo tin đối tượng khả nghi»" in texts
    cop_name = roster_member(channel_ctx, "police", "police").full_name
    assert f"đang gửi cảnh báo tới {cop_name} (Trưởng Công an xã Tây Trà)." in texts
    alerts = [t for t in await cop.replies() if "TIN BÁO KHẨN" in t]
    assert len(alerts) == 1 and "Bãi đất trống cuối thôn" in alerts[0]
    await cop.choose("Đã tiếp nhận")
    assert any("Đã tiếp nhận" in t for t in await head.replies())
    with Session(channel_ctx.engine) as s:
        assert s.exec(select(Incident)).one().status == "received"


async def test_patrol_and_results_forms_complete(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    cop = make_chat()
    await cop.link(roster_member(channel_ctx, "police", "police"))
    await cop.say("/baocao")
    await cop.choose("tuần tra")
    await run_flow(cop, PATROL)
    await cop.choose("Gửi báo cáo")
    head = make_chat()
    await head.link(roster_member(channel_ctx, "village_head", "village"))
    await head.say("/baocao")
    await head.choose("kết quả")
    await run_flow(head, RESULTS)
    await head.choose("Gửi báo cáo")
    await head.say("/baocao")
    await head.choose("Không phát hiện")
    with Session(channel_ctx.engine) as s:
        forms = sorted(sub.form_id for sub in s.exec(select(Submission)).all())
    assert forms == ["ket_qua_thuc_hien", "khong_phat_hien", "nhat_ky_tuan_tra"]


async def test_bad_input_gets_a_clear_message(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    head = make_chat()
    await head.link(roster_member(channel_ctx, "village_head", "village"))
    await head.say("/baocao")
    await head.choose("kết quả")
    await head.replies()
    for bad, expected in [
        ("mười", "Vui lòng gõ một số"),
        ("5000", "từ 0 đến 1000"),
        ("x" * 5000, "Vui lòng gõ một số"),
        ("😀", "Vui lòng gõ một số"),
        ("<b>1</b>", "Vui lòng gõ một số"),
    ]:
        await head.say(bad)
        replies = await head.replies()
        assert len(replies) == 1 and expected in replies[0], (bad, replies)
    await head.say("4")
    assert any("lượt người" in t for t in await head.replies())


async def test_restart_mid_dialog_resumes_and_duplicates_are_ignored(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    head = make_chat()
    await head.link(roster_member(channel_ctx, "village_head", "village"))
    await head.say("/baocao")
    await head.choose("kết quả")
    await head.say("4")
    await head.replies()
    await head.deliver_last_again()
    assert await head.replies() == []  # the redelivery is handled once: no new reply
    await head.restart()
    await head.say("150")
    replies = await head.replies()
    assert any("tổ tự quản" in t for t in replies)
    with Session(channel_ctx.engine) as s:
        assert len(s.exec(select(ProcessedUpdate)).all()) >= 4


async def test_html_typed_by_a_user_is_not_interpreted(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    head = make_chat()
    await head.link(roster_member(channel_ctx, "village_head", "village"))
    await head.say("/baocao")
    await head.choose("khả nghi")
    await head.say("<i>Nhà ông A</i> & <script>")
    await run_flow(head, SUSPICIOUS[1:])
    review = [t for t in await head.replies() if "Xem lại" in t][-1]
    # The user's tags reach the phone as the literal text they typed, never as formatting.
    assert "<i>Nhà ông A</i> & <script>" in review


async def test_unknown_person_is_refused_politely(
    make_chat: Callable[[], ChatDriver], channel_ctx: AppContext
) -> None:
    stranger = make_chat()
    await stranger.say("/baocao")
    replies = await stranger.replies()
    assert len(replies) == 1 and "chưa có trong danh sách" in replies[0]
    await stranger.say("/start SAIMA123")
    assert "Mã mời không đúng" in (await stranger.replies())[0]
