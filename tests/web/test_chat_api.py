"""The web chat adapter: events into the engine, outbox rows back out, retries deduped."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.channels.web.inbox import safe_html
from bot.context import AppContext
from reports.aggregate import UnitStatus, aggregate
from storage.models import (
    Attachment,
    Directive,
    Incident,
    OutboxMessage,
    ProcessedUpdate,
    Submission,
)
from tests.engine.harness import Clock
from tests.web.client import WebClient
from tests.web.conftest import add_account, login, member

# The smallest valid PNG (1×1, transparent).
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


def outbox(ctx: AppContext, chat_id: int) -> list[OutboxMessage]:
    with Session(ctx.engine) as s:
        return list(
            s.exec(
                select(OutboxMessage)
                .where(OutboxMessage.channel == "web")
                .where(OutboxMessage.chat_id == str(chat_id))
                .order_by(col(OutboxMessage.id))
            ).all()
        )


def test_send_text_reply_appears_and_is_marked_sent(local: WebClient, web_ctx: AppContext) -> None:
    head = member(web_ctx, "village_head", "village")
    assert local.send(head.id or 0, "/baocao") == {"outcome": "handled", "toast": None}
    [menu] = local.messages(head.id or 0)
    assert "Chọn loại báo cáo" in menu["text"]
    assert any("khả nghi" in c["label"] for c in menu["choices"])
    assert all(c["data"].startswith("go:") for c in menu["choices"])
    assert [row.status for row in outbox(web_ctx, head.id or 0)] == ["sent"]
    assert local.messages(head.id or 0) == []  # nothing new after it


def test_retried_post_with_same_uuid_is_handled_once(local: WebClient, web_ctx: AppContext) -> None:
    head = member(web_ctx, "village_head", "village")
    key = str(uuid.uuid4())
    assert local.send(head.id or 0, "/baocao", key)["outcome"] == "handled"
    assert local.send(head.id or 0, "/baocao", key)["outcome"] == "duplicate"
    assert len(local.messages(head.id or 0)) == 1
    with Session(web_ctx.engine) as s:
        keys = s.exec(select(ProcessedUpdate).where(ProcessedUpdate.channel == "web")).all()
    assert [k.update_key for k in keys] == [f"{head.id}:{key}"]


def test_history_comes_back_after_a_reload(
    make_client: Callable[..., WebClient], local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.send(head.id or 0, "/baocao")
    local.messages(head.id or 0)
    reloaded = make_client(local_mode=True)
    reloaded.open(f"/?member={head.id}")
    assert len(reloaded.messages(head.id or 0)) == 1


def test_full_suspicious_report_opens_an_incident_and_counts_in_the_report(
    local: WebClient, web_ctx: AppContext, clock: Clock
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.report_suspicious(head.id or 0)
    texts = "\n".join(local.texts(head.id or 0))
    assert "Đã gửi «Báo tin đối tượng khả nghi»" in texts
    # In the playground nobody from the police uses a chat yet: the page says so, and whom
    # to call, instead of claiming an alert went out.
    assert "không liên lạc được với ai ở Công an xã</b>" in texts
    assert "Vui lòng gọi ngay: Phạm Văn Dũng (Trưởng Công an xã Tây Trà): 0914321401" in texts
    with Session(web_ctx.engine) as s:
        incident = s.exec(select(Incident)).one()
        sub = s.exec(select(Submission).where(Submission.form_id == "doi_tuong_kha_nghi")).one()
        weekly = s.exec(select(Directive).where(Directive.number == "45/KH-UBND")).one()
    assert incident.location_text == "Bãi đất trống cuối thôn" and incident.people_count == 3
    assert sub.channel == "web" and sub.status == "submitted" and sub.member_id == head.id
    # What the web submits is what the reports count.
    agg = aggregate(
        web_ctx.engine, weekly.id or 0, "2025-W37", tz=ZoneInfo("Asia/Ho_Chi_Minh"), now=clock()
    )
    mine = next(u for u in agg.units if u.unit_id == head.unit_id)
    assert mine.status is UnitStatus.ON_TIME and mine.member_name == head.full_name
    assert [i.id for i in agg.incidents] == [incident.id]


def test_multi_choice_toggle_redraws_the_same_message(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.send(head.id or 0, "/baocao")
    local.tap(head.id or 0, "khả nghi")
    for action, value in [("say", "Cuối thôn"), ("tap", "Hôm nay"), ("say", "7h"), ("say", "2")]:
        if action == "say":
            local.send(head.id or 0, value)
        else:
            local.tap(head.id or 0, value)
    question = local.messages(head.id or 0)[-1]
    assert "dấu hiệu" in question["text"]
    local.tap(head.id or 0, "Nói tiếng nước ngoài")
    [redrawn] = local.messages(head.id or 0)
    assert redrawn["replaces"] == local.seen[head.id or 0][-2]["id"]


def test_location_is_an_answer(local: WebClient, web_ctx: AppContext) -> None:
    head = member(web_ctx, "village_head", "village")
    hid = head.id or 0
    local.send(hid, "/baocao")
    local.tap(hid, "khả nghi")
    assert local.messages(hid)[-1]["request"] == "location"
    res = local.post_json(hid, "location", {"lat": 15.25, "lon": 108.41, "uuid": str(uuid.uuid4())})
    assert res.status_code == 200 and res.json()["outcome"] == "handled"
    assert "ngày nào" in local.messages(hid)[-1]["text"]
    bad = local.post_json(hid, "location", {"lat": 95, "lon": 1, "uuid": str(uuid.uuid4())})
    assert bad.status_code == 400


def test_photo_is_stored_and_attached(local: WebClient, web_ctx: AppContext) -> None:
    cop = member(web_ctx, "police", "police")
    cid = cop.id or 0
    local.send(cid, "/baocao")
    local.tap(cid, "khả nghi")
    for action, value in [
        ("say", "Bến đò"),
        ("tap", "Hôm nay"),
        ("say", "7h"),
        ("say", "2"),
        ("tap", "Không có giấy tờ"),
        ("tap", "Xong"),
        ("tap", "Bỏ qua"),
    ]:
        if action == "say":
            local.send(cid, value)
        else:
            local.tap(cid, value)
    assert "ảnh" in local.messages(cid)[-1]["text"]
    key = str(uuid.uuid4())
    res = local.http.post(
        f"/api/chat/{cid}/photo",
        data={"uuid": key},
        files={"photo": ("anh.png", PNG, "image/png")},
        headers={"X-CSRF-Token": local.csrf},
    )
    assert res.status_code == 200 and res.json()["outcome"] == "handled", res.text
    stored = web_ctx.settings.attachments_dir / "web" / f"{cid}-{key}.png"
    assert stored.read_bytes() == PNG
    with Session(web_ctx.engine) as s:
        [attachment] = s.exec(select(Attachment)).all()
    assert attachment.local_path == str(stored) and attachment.channel == "web"
    assert attachment.file_ref == stored.name


def test_photo_upload_refuses_what_is_not_an_image(local: WebClient, web_ctx: AppContext) -> None:
    cop = member(web_ctx, "police", "police")
    res = local.http.post(
        f"/api/chat/{cop.id}/photo",
        data={"uuid": str(uuid.uuid4())},
        files={"photo": ("x.png", b"<script>alert(1)</script>", "image/png")},
        headers={"X-CSRF-Token": local.csrf},
    )
    assert res.status_code == 415
    # The page shows the message, never the code: a person cannot act on "not_an_image".
    assert res.json() == {
        "error": "not_an_image",
        "message": "Tệp này không phải ảnh. Vui lòng chọn ảnh JPG, PNG, GIF, WEBP hoặc HEIC.",
    }
    assert not (web_ctx.settings.attachments_dir / "web").exists()


def test_button_answers_are_marked_sent_but_not_shown(
    local: WebClient, web_ctx: AppContext
) -> None:
    head = member(web_ctx, "village_head", "village")
    local.send(head.id or 0, "/baocao")
    local.messages(head.id or 0)
    result = local.press(head.id or 0, "inc:999:handled")  # a village head may not
    assert result["toast"] and "không có quyền" in result["toast"]
    shown = local.messages(head.id or 0)
    assert [m["text"] for m in shown] == ["Xin lỗi, anh/chị không có quyền dùng chức năng này."]
    rows = outbox(web_ctx, head.id or 0)
    assert {r.kind for r in rows} == {"message", "callback_answer"}
    assert all(r.status == "sent" for r in rows)


def test_bad_requests_are_refused(local: WebClient, web_ctx: AppContext) -> None:
    head = member(web_ctx, "village_head", "village")
    hid = head.id or 0
    assert (
        local.post_json(hid, "send", {"text": "xin chào", "uuid": "not-a-uuid"}).status_code == 400
    )
    assert local.post_json(hid, "send", {"text": " ", "uuid": str(uuid.uuid4())}).status_code == 400
    too_long = {"text": "a" * 5000, "uuid": str(uuid.uuid4())}
    assert local.post_json(hid, "send", too_long).status_code == 413
    big_data = {"data": "x" * 65, "uuid": str(uuid.uuid4())}
    assert local.post_json(hid, "press", big_data).status_code == 400
    assert (
        local.post_json(99999, "send", {"text": "hi", "uuid": str(uuid.uuid4())}).status_code == 404
    )


def test_an_account_talks_only_as_itself(
    make_client: Callable[..., WebClient], web_ctx: AppContext
) -> None:
    clerk = member(web_ctx, "office_staff", "office")
    head = member(web_ctx, "village_head", "village")
    add_account(web_ctx, clerk, "lan")
    client = make_client(local_mode=False)
    assert login(client, "lan") == 303
    page = client.open("/")
    assert "member-select" not in page  # no "talk as anyone" picker
    assert f'data-member-id="{clerk.id}"' in page
    assert client.send(clerk.id or 0, "/help")["outcome"] == "handled"
    res = client.post_json(head.id or 0, "send", {"text": "/baocao", "uuid": str(uuid.uuid4())})
    assert res.status_code == 403
    assert client.http.get(f"/api/chat/{head.id}/messages").status_code == 403


def test_safe_html_keeps_bold_and_italic_only() -> None:
    assert safe_html("<b>Tin</b> &amp; <i>báo</i>") == "<b>Tin</b> &amp; <i>báo</i>"
    assert safe_html('<script>x</script><b onclick="y">z</b>') == (
        '&lt;script&gt;x&lt;/script&gt;&lt;b onclick="y"&gt;z</b>'
    )
    assert safe_html("a &lt;img src=x&gt; b") == "a &lt;img src=x&gt; b"
