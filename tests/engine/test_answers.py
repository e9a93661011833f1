"""Typed answers as the chat parses them: impossible dates, phone numbers, end times, labels.

Pure functions (no database): the same rules serve Telegram, Zalo and the web.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from bot.core.answers import Answer, Refusal, Today, parse_typed, pick_option, time_order_refusal
from bot.core.forms import load_forms
from bot.core.forms.schema import Option, Question
from bot.text import calendar_problem, fold_label
from storage.vocab import date_problem

TODAY = Today(date(2025, 9, 10), time(9, 0))
FORMS = load_forms()
TIP = FORMS["doi_tuong_kha_nghi"]
PATROL = FORMS["nhat_ky_tuan_tra"]
MEMBER_PHONE = "0905111222"


def answer(question: Question, typed: str) -> Answer | Refusal:
    return parse_typed(question, typed, TODAY, MEMBER_PHONE)


def test_an_impossible_date_says_it_is_not_on_the_calendar() -> None:
    day = TIP.question("ngay")
    refused = answer(day, "31/02/2025")
    assert isinstance(refused, Refusal)
    assert refused.message.startswith(
        "Ngày 31/02/2025 không có trên lịch (tháng 2 năm 2025 có 28 ngày)."
    )
    assert "dd/mm" not in refused.message and "ví dụ 12/9" in refused.message
    # Without a year the current one is meant; 2024 was a leap year, 2025 is not.
    assert "tháng 2 năm 2025 có 28 ngày" in refused_text(answer(day, "29/2"))
    assert "tháng 4 năm 2025 có 30 ngày" in refused_text(answer(day, "31.4.25"))
    assert "không có tháng 13" in refused_text(answer(day, "1/13"))
    assert "tháng 9 năm 2025 có 30 ngày" in refused_text(answer(day, "0/9"))
    # What was accepted before still is, and gibberish still gets the "how to type" hint.
    assert answer(day, "9/9") == Answer("2025-09-09")
    assert "quá một năm" in refused_text(answer(day, "29/02/2024"))  # real, just too old
    assert answer(day, "hôm qua") == Answer("2025-09-09")
    assert "ngày/tháng" in refused_text(answer(day, "thứ hai"))


def refused_text(result: Answer | Refusal) -> str:
    assert isinstance(result, Refusal), result
    return result.message


def test_calendar_problem_is_one_rule_for_chat_and_cli() -> None:
    assert calendar_problem(28, 2, 2025) is None and calendar_problem(29, 2, 2024) is None
    assert calendar_problem(29, 2, 2025) == (
        "Ngày 29/02/2025 không có trên lịch (tháng 2 năm 2025 có 28 ngày)."
    )
    assert date_problem("31/02/2025") == calendar_problem(31, 2, 2025)
    assert date_problem("28/02/2025") is None and date_problem("2025-02-31") is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912.345.678", "0912345678"),
        ("84387654321", "0387654321"),
        ("0255 3822 123", "02553822123"),  # a landline: 02xx, 11 digits
        ("1", MEMBER_PHONE),  # the registered number, offered as the first quick answer
        ("số đã đăng ký", MEMBER_PHONE),
    ],
)
def test_phone_answers_are_normalised(typed: str, stored: str) -> None:
    assert answer(TIP.question("lien_he"), typed) == Answer(stored)


@pytest.mark.parametrize("typed", ["3", "12345", "0123456789", "0912 345 67", "09123456789", "abc"])
def test_a_phone_answer_that_is_not_a_vietnamese_number_is_refused(typed: str) -> None:
    text = refused_text(answer(TIP.question("lien_he"), typed))
    assert f"«{typed}» không phải số điện thoại Việt Nam" in text
    assert "0912345678" in text


def test_an_end_time_must_come_after_the_start() -> None:
    end = PATROL.question("gio_ket_thuc")
    started = {"gio_bat_dau": "19:00"}
    same = time_order_refusal(PATROL, end, "19:00", started)
    assert same is not None
    assert same.message.startswith("Giờ kết thúc (19:00) phải sau giờ bắt đầu (19:00)")
    assert time_order_refusal(PATROL, end, "22:30", started) is None
    # A night patrol ends the next morning; half a day "earlier" is a typing mistake.
    assert time_order_refusal(PATROL, end, "02:00", {"gio_bat_dau": "22:00"}) is None
    assert time_order_refusal(PATROL, end, "10:00", started) is not None
    assert time_order_refusal(PATROL, PATROL.question("gio_bat_dau"), "19:00", started) is None


def test_a_label_typed_without_its_emoji_or_diacritics_picks_it() -> None:
    assert fold_label("🚨 Báo tin đối tượng khả nghi") == "bao tin doi tuong kha nghi"
    assert fold_label("✔️ Xong!") == "xong" and fold_label("👍") == ""
    options = [Option(value="a", label="🚨 Báo tin khẩn"), Option(value="b", label="📝 Nhật ký")]
    assert pick_option(options, "bao tin khan") == options[0]
    assert pick_option(options, "NHẬT KÝ") == options[1]
    assert pick_option(options, "bao tin") is None
