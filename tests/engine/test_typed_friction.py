"""What new users trip on in the chat, end to end through the engine (SQLite and PostgreSQL).

Typed labels without emoji or diacritics, command words («tổng hợp», /tonghop), /summary
with no number, a question counter that never jumps, end times before start times, phone
numbers that are not phone numbers, and dates that do not exist.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlmodel import Session, select

from storage.db import transaction
from storage.models import AuditLog, Directive, Submission
from tests.engine.flows import PATROL, RESULTS, SUSPICIOUS
from tests.engine.harness import Harness, Person


def village_head(h: Harness, channel: str = "telegram") -> Person:
    return h.link(h.members_with_role("village_head", "village")[0], "1001", channel=channel)


def police(h: Harness) -> Person:
    return h.link(h.members_with_role("police", "police")[0], "2001")


def office(h: Harness, channel: str = "telegram") -> Person:
    return h.link(h.members_with_role("office_staff")[0], "3001", channel=channel)


def counters(person: Person) -> list[tuple[int, int]]:
    """Every 'câu N/M' the person was shown, in order."""
    found = [re.search(r"câu (\d+)/(\d+)", r.text) for r in person.inbox]
    return [(int(m[1]), int(m[2])) for m in found if m]


def test_a_menu_label_typed_without_emoji_or_diacritics_starts_that_form(
    harness: Harness,
) -> None:
    head = village_head(harness, channel="zalo")
    head.text("/baocao")
    menu = head.last()
    assert any(c.label == "🚨 Báo tin đối tượng khả nghi" for c in menu.choices)
    head.text("bao tin doi tuong kha nghi")
    shown = "\n".join(head.texts())
    assert "Báo tin khẩn" in shown and "ở <b>đâu</b>" in shown


def test_command_words_and_the_tonghop_command(harness: Harness) -> None:
    clerk = office(harness)
    clerk.text("tiến độ")
    assert "Tiến độ báo cáo" in clerk.texts()[-1]
    clerk.text("Bao cao")
    assert clerk.last().choices  # the menu of forms
    clerk.text("/tonghop")
    assert any("Tổng hợp 1949/UBND-NC" in t for t in clerk.texts())
    clerk.text("tổng hợp 45/KH-UBND")
    assert any("Tổng hợp 45/KH-UBND" in t for t in clerk.texts())
    head = village_head(harness)
    head.text("tổng hợp")  # the words obey the roster like the command does
    assert any("không có quyền" in t for t in head.texts())


def test_help_names_the_words_of_each_command(harness: Harness) -> None:
    clerk = office(harness)
    clerk.text("/help")
    help_text = clerk.texts()[-1]
    assert "/summary — Tổng hợp số liệu, kèm báo cáo DOCX và phụ lục XLSX (hoặc gõ «tổng hợp»)" in (
        help_text
    )
    assert "/tiendo — Tiến độ: đơn vị nào đã/chưa báo cáo (hoặc gõ «tiến độ»)" in help_text


def test_summary_without_a_number_lists_the_open_directives_when_no_campaign_runs(
    harness: Harness,
) -> None:
    # Weeks after the 1949/UBND-NC campaign closed (report deadline 15/09/2025), two
    # weekly duties are open: /summary cannot guess, so it lists them, numbered.
    harness.clock.now = datetime(2025, 10, 1, 2, 0, tzinfo=UTC)
    clerk = office(harness, channel="zalo")
    clerk.text("/summary")
    listing = clerk.last()
    assert "Có 2 văn bản đang cần báo cáo" in listing.text
    assert [(c.number, c.data.split(":")[0]) for c in listing.choices] == [(1, "sum"), (2, "sum")]
    labels = [c.label for c in listing.choices]
    assert labels[0].startswith("46/KH-UBND — ") and labels[1].startswith("45/KH-UBND — ")
    clerk.text("2")  # typed on Zalo: the second directive of the list, not the second form
    texts = clerk.texts()
    assert any("Tổng hợp 45/KH-UBND" in t for t in texts)
    assert any("Kỳ: 29/09/2025–05/10/2025" in t for t in texts)
    with Session(harness.db) as s:
        assert s.exec(select(Submission)).all() == []  # no form was started by the "2"
        audit = s.exec(select(AuditLog).where(AuditLog.action == "summary.view")).one()
    assert audit.target == "45/KH-UBND"


def test_summary_picked_by_button_checks_roles_and_the_directive(harness: Harness) -> None:
    harness.clock.now = datetime(2025, 10, 1, 2, 0, tzinfo=UTC)
    clerk = office(harness)
    clerk.text("/summary")
    picked = clerk.button(clerk.last(), "46/KH-UBND")
    head = village_head(harness)
    head.press(picked)  # a village head replaying the office's button: refused
    assert any("không có quyền" in t for t in head.texts())
    clerk.press("sum:999")
    assert any("Nút này đã cũ" in t for t in clerk.texts())
    clerk.press(picked)
    assert any("Tổng hợp 46/KH-UBND" in t for t in clerk.texts())


def test_summary_with_no_open_directive_says_so(harness: Harness) -> None:
    with transaction(harness.db) as s:
        for directive in s.exec(select(Directive)).all():
            directive.active = False
            s.add(directive)
    clerk = office(harness)
    clerk.text("/summary")
    assert "Hiện không có văn bản nào đang cần báo cáo" in clerk.texts()[-1]
    clerk.text("/summary 9/XX")
    assert clerk.texts()[-1] == "Không tìm thấy văn bản «9/XX»."


def test_summary_refuses_a_period_listing_the_forms_it_takes(harness: Harness) -> None:
    clerk = office(harness)
    clerk.text("/summary 45/KH-UBND tuần 37")
    refusal = clerk.texts()[-1]
    assert "Kỳ «tuần» không hợp lệ" in refusal or "Kỳ «tuần 37» không hợp lệ" in refusal
    assert "2025-W37 (tuần 37 năm 2025)" in refusal and "Kỳ hiện tại: 2025-W37" in refusal
    clerk.text("/summary 45/KH-UBND 09/09/2025")  # a day in the wanted week works
    assert any("Kỳ: 08/09/2025–14/09/2025" in t for t in clerk.texts())


def test_the_patrol_counter_never_jumps(harness: Harness) -> None:
    cop = police(harness)
    cop.text("/baocao")
    cop.tap("tuần tra")
    cop.run(PATROL[:-1])
    cop.tap("Có")  # the finding opens three more questions
    cop.text("Hai người lạ ở bến đò")
    cop.text("2")
    cop.replies()
    shown = counters(cop)
    assert shown[0] == (1, 14)
    assert [n for n, _ in shown] == list(range(1, len(shown) + 1))  # one step at a time
    assert all(total == 14 for _, total in shown)  # never more than first announced
    other = harness.link(harness.members_with_role("police", "police")[1], "2002")
    other.text("/baocao")
    other.tap("tuần tra")
    other.run(PATROL)  # "Không": the three are dropped, straight to the review
    assert counters(other)[-1] == (11, 14) and "Xem lại" in other.inbox[-1].text


def test_the_results_counter_shrinks_but_never_grows(harness: Harness) -> None:
    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "kết quả"), ("say", "0")])  # no sessions held
    head.replies()
    assert counters(head) == [(1, 11), (2, 10)]  # the attendees question is ruled out


def test_an_end_time_equal_to_the_start_is_refused(harness: Harness) -> None:
    cop = police(harness)
    cop.text("/baocao")
    cop.tap("tuần tra")
    cop.tap("Hôm nay")
    cop.text("6:00")
    cop.text("6h")
    refusal = cop.texts()[-1]
    assert refusal.startswith("Giờ kết thúc (06:00) phải sau giờ bắt đầu (06:00)")
    cop.text("2h")  # 20 hours "overnight" after 06:00: a typing mistake, refused too
    assert "phải sau giờ bắt đầu" in cop.texts()[-1]
    cop.text("8h30")
    assert "Tuyến đường" in cop.texts()[-1]


def test_a_night_patrol_ends_the_next_morning_and_an_edited_start_re_asks_the_end(
    harness: Harness,
) -> None:
    cop = police(harness)
    cop.text("/baocao")
    cop.tap("tuần tra")
    cop.run([("tap", "Hôm qua"), ("say", "22:00"), ("say", "2h"), *PATROL[3:]])
    assert "Xem lại" in cop.inbox[-1].text and "02:00" in cop.inbox[-1].text
    cop.tap("Sửa một câu")
    cop.tap("Giờ bắt đầu")
    cop.text("3h")  # now 02:00 would be 23 hours later: the end is asked again
    assert "Kết thúc lúc mấy giờ" in cop.texts()[-1]
    cop.text("5h")
    cop.tap("Gửi báo cáo")
    with Session(harness.db) as s:
        sub = s.exec(select(Submission)).one()
    assert (sub.answers["gio_bat_dau"], sub.answers["gio_ket_thuc"]) == ("03:00", "05:00")


def test_a_contact_phone_that_is_not_a_phone_number_is_refused(harness: Harness) -> None:
    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS[:-1]])
    head.text("3")
    assert "«3» không phải số điện thoại Việt Nam" in head.texts()[-1]
    head.text("+84 935 123 456")
    assert "Xem lại" in head.texts()[-1]
    head.tap("Gửi báo cáo")
    with Session(harness.db) as s:
        sub = s.exec(select(Submission)).one()
    assert sub.answers["lien_he"] == "0935123456"


def test_an_impossible_date_in_the_chat_says_it_does_not_exist(harness: Harness) -> None:
    head = village_head(harness)
    head.run([("say", "/baocao"), ("tap", "khả nghi"), SUSPICIOUS[0]])
    head.text("31/02/2025")
    refusal = head.texts()[-1]
    assert refusal.startswith("Ngày 31/02/2025 không có trên lịch (tháng 2 năm 2025 có 28 ngày)")
    head.text("9/9")
    assert "mấy giờ" in head.texts()[-1]


def test_navigation_typed_as_shown_on_zalo(harness: Harness) -> None:
    head = village_head(harness, channel="zalo")
    head.run([("say", "/baocao"), ("tap", "kết quả"), *RESULTS])
    head.text("sua mot cau")  # the label of «✏️ Sửa một câu» without its emoji
    assert "Chọn câu cần sửa" in head.texts()[-1]
    head.text("quay lại")  # what the edit list says to type to go back to the review
    assert "Xem lại" in head.texts()[-1]
    head.text("/baocao")
    head.text("bao tin doi tuong kha nghi")
    assert "đang làm dở" in head.texts()[-1]
    head.text("làm mới")  # the typed word of «🆕 Bỏ bản cũ, làm mới»
    assert "ở <b>đâu</b>" in "\n".join(head.texts())


def test_a_navigation_word_typed_where_it_means_nothing_is_not_called_a_stale_button(
    harness: Harness,
) -> None:
    head = village_head(harness, channel="zalo")
    head.run([("say", "/baocao"), ("tap", "khả nghi"), *SUSPICIOUS[:4]])
    head.text("noi tieng nuoc ngoai")  # a typed option answers the multiple choice at once
    head.replies()
    head.text("xong")  # «Xong» belongs to a multiple choice; this is the description
    texts = head.texts()
    assert texts[0] == ("«xong» không dùng được ở bước này. Vui lòng làm theo câu hỏi dưới đây:")
    assert not any("Nút này đã cũ" in t for t in texts)
    assert "Mô tả thêm" in texts[-1]  # the same question again, nothing skipped
    head.text("gửi")  # the review is not reached yet
    assert head.texts()[0].startswith("«gửi» không dùng được")
    head.text("Ba người mang ba lô")
    assert "Gửi ảnh hoặc ghi âm" in head.texts()[-1]
    head.text("xong")  # «Xong» ends a media question: nothing sent, none required
    assert "liên hệ lại anh/chị qua số nào" in head.texts()[-1]


def test_remind_now_with_nobody_to_remind_says_why_instead_of_failing(harness: Harness) -> None:
    clerk = office(harness)  # no village head has a chat: there is nobody to send a reminder to
    clerk.text("/nhacnho")
    [said] = clerk.texts()
    assert said.startswith("Không có tin nhắc nào cần gửi lúc này") and "liên kết" in said
    harness.clock.now = datetime(2025, 9, 10, 16, 0, tzinfo=UTC)  # 23:00 in Hà Nội
    village_head(harness)  # now someone could be reminded, but not at night
    clerk.text("/nhacnho")
    [night] = clerk.texts()
    assert night.startswith("Đang trong giờ nghỉ (21:00-06:30)")
    assert not any("Xin lỗi" in t for t in (said, night))
