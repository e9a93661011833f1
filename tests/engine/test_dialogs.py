"""The dialog engine end to end through core events, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from bot.core.engine import Outcome
from bot.core.events import EventKind
from storage.models import (
    DialogSession,
    Incident,
    IncidentEvent,
    OutboxMessage,
    Submission,
    SubmissionFigure,
    SubmissionRevision,
)
from tests.engine.flows import PATROL, RESULTS, SUSPICIOUS
from tests.engine.harness import Harness, Person


def village_head(h: Harness, user_id: str = "1001") -> Person:
    return h.link(h.members_with_role("village_head", "village")[0], user_id)


def police(h: Harness, user_id: str = "2001") -> Person:
    return h.link(h.members_with_role("police", "police")[0], user_id)


def submissions(h: Harness, form_id: str) -> list[Submission]:
    with Session(h.db) as s:
        return list(s.exec(select(Submission).where(Submission.form_id == form_id)).all())


def figures(h: Harness, submission_id: int | None) -> dict[str, int]:
    with Session(h.db) as s:
        rows = s.exec(
            select(SubmissionFigure).where(SubmissionFigure.submission_id == submission_id)
        ).all()
    return {r.key: r.value for r in rows}


def dialog_state(h: Harness, p: Person) -> tuple[int, dict[str, object]]:
    with Session(h.db) as s:
        row = s.exec(select(DialogSession).where(DialogSession.chat_id == p.user_id)).one()
    return row.step, dict(row.state)


def test_suspicious_report_alerts_police_and_tracks_status(harness: Harness) -> None:
    cop = police(harness)
    head = village_head(harness)
    head.text("/baocao")
    head.tap("khả nghi")
    head.run(SUSPICIOUS)
    review = head.shown
    assert review is not None and "Xem lại" in review.text
    assert "Bãi đất trống cuối thôn" in review.text and "07:15" in review.text
    head.tap("Gửi báo cáo")
    [filed] = [t for t in head.texts() if "Đã gửi «Báo tin" in t]
    # Only the one linked police member is named: the three others have no chat.
    assert "đang gửi cảnh báo tới Phạm Văn Dũng (Trưởng Công an xã Tây Trà)." in filed

    [sub] = submissions(harness, "doi_tuong_kha_nghi")
    assert sub.answers["so_nguoi"] == 3
    assert sub.answers["dau_hieu"] == ["tieng_nuoc_ngoai", "khong_giay_to"]
    assert figures(harness, sub.id) == {"suspects_reported": 3}
    with Session(harness.db) as s:
        [incident] = s.exec(select(Incident)).all()
    assert incident.status == "new" and incident.people_count == 3
    assert incident.location_text == "Bãi đất trống cuối thôn"

    alert = cop.replies()[-1]
    assert "TIN BÁO KHẨN" in alert.text and "Bãi đất trống cuối thôn" in alert.text
    assert [c.data for c in alert.choices] == [
        f"inc:{incident.id}:received",
        f"inc:{incident.id}:verifying",
        f"inc:{incident.id}:handled",
        f"inc:{incident.id}:false_report",
    ]
    cop.press(alert.choices[0].data)
    cop.press(alert.choices[0].data)  # pressing again records nothing new
    cop.press(alert.choices[2].data)
    with Session(harness.db) as s:
        events = s.exec(select(IncidentEvent).order_by(col(IncidentEvent.id))).all()
        assert [e.status for e in events] == ["new", "received", "handled"]
        assert s.get(Incident, incident.id).status == "handled"  # type: ignore[union-attr]
    told = [t for t in head.texts() if "Tin báo #" in t]
    assert len(told) == 2 and "Đã tiếp nhận" in told[0] and "Đã xử lý" in told[1]


def test_village_head_cannot_change_incident_status(harness: Harness) -> None:
    police(harness)
    head = village_head(harness)
    head.text("/baocao")
    head.tap("khả nghi")
    head.run(SUSPICIOUS)
    head.tap("Gửi báo cáo")
    with Session(harness.db) as s:
        incident = s.exec(select(Incident)).one()
    head.press(f"inc:{incident.id}:handled")
    assert any("không có quyền" in t for t in head.texts())
    with Session(harness.db) as s:
        assert s.get(Incident, incident.id).status == "new"  # type: ignore[union-attr]


def test_patrol_log_full_dialog_and_figures(harness: Harness) -> None:
    cop = police(harness)
    cop.text("/baocao")
    cop.tap("tuần tra")
    cop.run(PATROL)
    cop.tap("Gửi báo cáo")
    [sub] = submissions(harness, "nhat_ky_tuan_tra")
    assert figures(harness, sub.id) == {
        "patrols": 1,
        "patrol_police": 2,
        "patrol_militia": 3,
        "patrol_security": 1,
        "persons_checked": 12,
        "vehicles_checked": 5,
        "foreigners_checked": 0,
        "findings": 0,
    }
    with Session(harness.db) as s:
        assert s.exec(select(Incident)).all() == []  # no finding, no incident


def test_patrol_finding_opens_incident(harness: Harness) -> None:
    cop = police(harness)
    cop.text("/baocao")
    cop.tap("tuần tra")
    cop.run(PATROL[:-1])
    cop.tap("Có")
    cop.text("Hai người lạ không giấy tờ ở bến đò")
    cop.text("2")
    cop.photo("tg-photo-1")
    cop.tap("Xong")
    cop.tap("Gửi báo cáo")
    with Session(harness.db) as s:
        incident = s.exec(select(Incident)).one()
    assert incident.people_count == 2 and "bến đò" in incident.summary


def test_results_report_once_per_period_then_amend_keeps_history(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.run(RESULTS)
    head.tap("Gửi báo cáo")
    [sub] = submissions(harness, "ket_qua_thuc_hien")
    assert sub.directive_id is not None and sub.period_key == "once"
    assert figures(harness, sub.id)["propaganda_sessions"] == 4
    assert "cases_handled" not in figures(harness, sub.id)  # skipped: no case detected

    head.text("/baocao")
    head.tap("kết quả")
    assert any("có thể sửa" in t for t in head.texts() + [r.text for r in head.inbox[-3:]])
    head.tap("Sửa một câu")
    head.tap("Buổi tuyên truyền")
    head.text("5")
    head.tap("Gửi báo cáo")
    [sub] = submissions(harness, "ket_qua_thuc_hien")
    assert sub.version == 2 and sub.status == "amended"
    assert figures(harness, sub.id)["propaganda_sessions"] == 5
    with Session(harness.db) as s:
        history = s.exec(select(SubmissionRevision).order_by(col(SubmissionRevision.version))).all()
    assert [r.answers["buoi_tuyen_truyen"] for r in history] == [4, 5]


def test_amend_refused_after_deadline(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.run(RESULTS)
    head.tap("Gửi báo cáo")
    harness.clock.advance(days=10)  # 20/09, after the 14/09 deadline
    head.text("/baocao")
    head.tap("kết quả")
    assert any("quá hạn" in t for t in head.texts())


def test_no_incident_is_one_tap_and_once_per_period(harness: Harness) -> None:
    head = village_head(harness)
    head.press("go:khong_phat_hien")
    head.press("go:khong_phat_hien")
    texts = head.texts()
    assert "Đã gửi «Không phát hiện gì»" in texts[0]
    assert "Không cần gửi lại" in texts[1]
    [sub] = submissions(harness, "khong_phat_hien")
    assert figures(harness, sub.id) == {"no_incident": 1}
    harness.clock.advance(days=7)  # next week: a new period
    head.press("go:khong_phat_hien")
    assert len(submissions(harness, "khong_phat_hien")) == 2


BAD_INPUTS = ["abc", "999999", "x" * 5000, "😀😀😀", "<b>bold</b><script>", "*_[x](y)_*"]


@pytest.mark.parametrize("flow_name", ["suspicious", "patrol", "results"])
def test_bad_input_at_every_question_changes_nothing(harness: Harness, flow_name: str) -> None:
    flows = {
        "suspicious": ("khả nghi", SUSPICIOUS, village_head),
        "patrol": ("tuần tra", PATROL, police),
        "results": ("kết quả", RESULTS, village_head),
    }
    label, flow, who = flows[flow_name]
    p = who(harness)
    p.text("/baocao")
    p.tap(label)
    for action, value in flow:
        step, state = dialog_state(harness, p)
        for bad in BAD_INPUTS:
            p.text(bad)
            after_step, after_state = dialog_state(harness, p)
            reply = p.texts()
            if after_step != step:
                # Only free-text questions may accept it, and it is then echoed escaped.
                assert after_state["answers"] != state["answers"]
                assert "<script>" not in "".join(reply)
                p.text("quay lại")
                step, state = dialog_state(harness, p)
                continue
            assert after_state == state
            assert reply and all(r.strip() for r in reply)
        (p.text if action == "say" else p.tap)(value)
        p.replies()
    assert p.shown is not None and "Xem lại" in p.shown.text


def test_free_text_is_escaped_when_echoed(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("khả nghi")
    head.text("<b>nhà</b> & <script>x</script>")
    head.run(SUSPICIOUS[1:])
    assert head.shown is not None
    assert "&lt;b&gt;nhà&lt;/b&gt; &amp; &lt;script&gt;" in head.shown.text


def test_stale_button_is_answered_not_obeyed(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("khả nghi")
    head.text("Cầu treo")
    head.replies()
    assert head.shown is not None
    old_today = head.button(head.shown, "Hôm nay")
    head.tap("Hôm nay")
    step, state = dialog_state(harness, head)
    head.press(old_today)  # the same button again, from the old message
    assert any("đã cũ" in t for t in head.texts())
    assert dialog_state(harness, head) == (step, state)
    head.press("a:notanumber:zzz")
    head.press("inc:abc:handled")
    head.press("go:no_such_form")
    assert dialog_state(harness, head) == (step, state)


def test_edited_group_and_sticker_messages_change_nothing(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    step, state = dialog_state(harness, head)
    head.other(EventKind.EDITED, text="5")
    assert any("sửa" in t for t in head.texts())
    head.other(EventKind.UNSUPPORTED)
    assert any("chưa đọc được" in t for t in head.texts())
    head.location(15.1, 108.5)
    assert any("cần gõ một số" in t for t in head.texts())
    assert dialog_state(harness, head) == (step, state)
    group = Person(harness, head.user_id, chat_id="-100500", private=False)
    group.text("/baocao")
    group.text("4")
    assert [r.text for r in group.replies()] == [
        "Tin Báo chỉ nhận báo cáo trong tin nhắn riêng. Vui lòng nhắn riêng cho bot."
    ]
    assert dialog_state(harness, head) == (step, state)


def test_restart_resumes_at_the_same_question(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.run(RESULTS[:3])
    before = dialog_state(harness, head)
    harness.restart()
    head.text("3")  # answer to the 4th question (cameras)
    _, state = dialog_state(harness, head)
    assert state["answers"]["camera"] == 3
    assert before[1]["q"] == "camera"


def test_duplicate_update_is_handled_once(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    event = head._event(EventKind.TEXT, text="4")
    assert head.send(event) is Outcome.HANDLED
    assert head.send(event) is Outcome.DUPLICATE
    harness.restart()
    assert head.send(event) is Outcome.DUPLICATE
    _, state = dialog_state(harness, head)
    assert state["answers"] == {"buoi_tuyen_truyen": 4}


def test_roles_limit_forms_and_commands(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    menu = head.shown
    assert menu is not None
    labels = [c.label for c in menu.choices]
    assert not any("tuần tra" in label for label in labels)
    head.press("go:nhat_ky_tuan_tra")
    assert any("không có quyền" in t for t in head.texts())
    with Session(harness.db) as s:
        assert (
            s.exec(
                select(DialogSession.form_id).where(col(DialogSession.form_id).is_not(None))
            ).all()
            == []
        )


def test_cancel_and_draft_kept_when_starting_another(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.text("4")
    head.text("/baocao")
    head.replies()
    assert head.shown is not None and "Tiếp tục" in head.shown.choices[0].label
    head.tap("khả nghi")
    head.tap("Tiếp tục bản đang làm")
    _, state = dialog_state(harness, head)
    assert state["form"] == "ket_qua_thuc_hien" and state["answers"] == {"buoi_tuyen_truyen": 4}
    head.text("huỷ")
    assert any("Đã huỷ" in t for t in head.texts())
    _, state = dialog_state(harness, head)
    assert state == {}


def test_back_goes_to_previous_question(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.text("4")
    head.tap("Quay lại")
    _, state = dialog_state(harness, head)
    assert state["q"] == "buoi_tuyen_truyen" and state["answers"] == {}


def test_unknown_person_is_refused_politely_and_can_register(harness: Harness) -> None:
    stranger = Person(harness, "9999")
    stranger.text("/baocao")
    reply = stranger.replies()[-1]
    assert "chưa có trong danh sách" in reply.text and reply.request is not None
    stranger.contact("0900000000", own=False)
    assert any("của chính mình" in t for t in stranger.texts())
    member = harness.members_with_role("village_head")[1]
    stranger.contact(member.phone)
    assert any("Xin chào" in t for t in stranger.texts())
    assert harness.member(id=member.id).telegram_user_id == "9999"


def test_invite_guessing_is_throttled(harness: Harness) -> None:
    guesser = Person(harness, "7777")
    for i in range(5):
        guesser.text(f"/start WRONG{i}X")
    texts = guesser.texts()
    assert all("Mã mời không đúng" in t for t in texts)
    member = harness.members_with_role("village_head")[2]
    from storage.db import transaction
    from storage.invites import issue_codes

    with transaction(harness.db) as s:
        from storage.models import Member

        code = issue_codes(s, [s.get(Member, member.id)])[0].code  # type: ignore[list-item]
    guesser.text(f"/start {code}")
    assert any("quá nhiều lần" in t for t in guesser.texts())
    assert harness.member(id=member.id).telegram_user_id is None


def test_every_reply_is_an_outbox_row(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/help")
    head.press("go:khong_phat_hien")
    with Session(harness.db) as s:
        kinds = [r.kind for r in s.exec(select(OutboxMessage)).all()]
    assert "callback_answer" in kinds and kinds.count("message") >= 2


def test_unfinished_draft_is_kept_and_reminded_once(harness: Harness) -> None:
    from handlers.drafts import remind_stale_drafts

    head = village_head(harness)
    head.text("/baocao")
    head.tap("kết quả")
    head.text("4")
    head.replies()
    assert remind_stale_drafts(harness.db, harness.engine.forms, harness.clock.now) == 0
    harness.clock.advance(hours=3)
    later = harness.clock.now
    assert remind_stale_drafts(harness.db, harness.engine.forms, later) == 1
    assert remind_stale_drafts(harness.db, harness.engine.forms, later) == 0
    reminder = head.replies()[-1]
    assert "chưa gửi xong" in reminder.text
    head.tap("Tiếp tục")
    _, state = dialog_state(harness, head)
    assert state["answers"] == {"buoi_tuyen_truyen": 4}
    assert any("lượt người" in r.text for r in head.replies() + head.inbox[-2:])


def test_office_commands_check_roles(harness: Harness) -> None:
    head = village_head(harness)
    head.text("/tiendo")
    head.text("/nhacnho")
    assert [t for t in head.texts() if "không có quyền" in t] and len(head.inbox) >= 2
    office = harness.link(harness.members_with_role("office_staff")[0], "3001")
    office.text("/tiendo")
    progress = office.texts()[-1]
    assert "Tiến độ báo cáo" in progress and "1949/UBND-NC" in progress
    office.text("/nhacnho")
    assert any("tin nhắc" in t or "nhắc" in t for t in office.texts())
    cop = police(harness)
    cop.text("/nhacnho")
    assert any("không có quyền" in t for t in cop.texts())


def test_summary_for_office_with_files_and_refused_for_others(harness: Harness) -> None:
    from docx import Document

    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "kết quả"), *RESULTS, ("tap", "Gửi báo cáo")])
    head.text("/summary")
    assert any("không có quyền" in t for t in head.texts())
    leader = harness.link(harness.members_with_role("leader")[0], "3100")
    leader.text("/summary")
    replies = leader.replies()
    text = "\n".join(r.text for r in replies)
    assert "1949/UBND-NC" in text
    docs = [r.document_path for r in replies if r.document_path]
    assert len(docs) == 2 and docs[0].endswith(".docx") and docs[1].endswith(".xlsx")
    assert any(r.photo_path and r.photo_path.endswith(".png") for r in replies)
    body = "\n".join(p.text for p in Document(docs[0]).paragraphs)
    assert "BÁO CÁO" in body
    with Session(harness.db) as s:
        from storage.models import AuditLog

        actions = sorted(a.action for a in s.exec(select(AuditLog)).all())
    assert actions == ["report.docx", "report.xlsx", "summary.view"]


def test_alerts_reach_a_responder_who_uses_the_web_chat(harness: Harness) -> None:
    cop_member = harness.members_with_role("police", "police")[0]
    cop_web = Person(harness, str(cop_member.id), channel="web")
    cop_web.text("/start")  # the web channel knows members by id: no linking needed
    cop_web.replies()
    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS, ("tap", "Gửi báo cáo")])
    assert any("TIN BÁO KHẨN" in r.text for r in cop_web.replies())


def test_draft_reminders_wait_for_the_morning(harness: Harness) -> None:
    from datetime import UTC, datetime

    from handlers.drafts import remind_stale_drafts

    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "kết quả"), ("say", "4")])
    night = datetime(2025, 9, 10, 16, 0, tzinfo=UTC)  # 23:00 in Hà Nội
    settings = harness.ctx.settings
    assert remind_stale_drafts(harness.db, harness.engine.forms, night, settings) == 0
    morning = datetime(2025, 9, 11, 0, 0, tzinfo=UTC)  # 07:00
    assert remind_stale_drafts(harness.db, harness.engine.forms, morning, settings) == 1
