"""Drawing core replies for Telegram (kwargs) and Zalo (plain texts); splitting long text."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove

from bot.channels.chat_text import split_text, strip_html
from bot.channels.telegram_render import (
    RenderError,
    attachment_parts,
    edit_kwargs,
    message_parts,
    reply_markup,
)
from bot.channels.zalo_render import render_texts
from bot.core.events import Choice, Reply, RequestKind
from tests.fakes.telegram_html import plain_text


def test_inline_buttons_in_rows_of_columns() -> None:
    reply = Reply(
        "Chọn:", choices=[Choice(str(i), f"a:1:{i}", number=i) for i in range(1, 6)], columns=2
    )
    markup = reply_markup(reply)
    assert isinstance(markup, InlineKeyboardMarkup)
    rows = markup.inline_keyboard
    assert [len(r) for r in rows] == [2, 2, 1]
    assert rows[0][1].callback_data == "a:1:2"


def test_callback_data_over_64_bytes_is_refused() -> None:
    with pytest.raises(RenderError):
        reply_markup(Reply("x", choices=[Choice("x", "đ" * 33)]))  # 66 bytes in UTF-8


def test_location_request_is_a_one_time_reply_keyboard() -> None:
    reply = Reply("Vị trí?", request=RequestKind.LOCATION, choices=[Choice("Bỏ qua", "n:3:skip")])
    markup = reply_markup(reply)
    assert isinstance(markup, ReplyKeyboardMarkup)
    assert markup.one_time_keyboard and markup.resize_keyboard
    assert markup.keyboard[0][0].request_location
    assert markup.keyboard[1][0].text == "Bỏ qua"


def test_contact_request_and_keyboard_removal() -> None:
    contact = reply_markup(Reply("SĐT?", request=RequestKind.CONTACT))
    assert isinstance(contact, ReplyKeyboardMarkup)
    assert contact.keyboard[0][0].request_contact
    assert isinstance(reply_markup(Reply("ok", remove_keyboard=True)), ReplyKeyboardRemove)
    assert reply_markup(Reply("ok")) is None


def test_long_text_splits_at_line_breaks_with_buttons_on_the_last_part() -> None:
    line = "<b>Thôn An</b>: " + "x" * 80
    reply = Reply("\n".join([line] * 100), choices=[Choice("OK", "n:1:done")])
    parts = message_parts(reply)
    assert len(parts) == 3
    assert all(len(p["text"]) <= 4096 and p["parse_mode"] == "HTML" for p in parts)
    assert "reply_markup" not in parts[0] and "reply_markup" in parts[-1]
    assert all(p["text"].startswith("<b>") for p in parts)  # cut at a line break
    for p in parts:
        plain_text(p["text"])  # every part is valid Telegram HTML
    assert message_parts(reply, skip=2) == parts[2:]


def test_bold_across_a_cut_is_closed_and_reopened() -> None:
    text = "<b>" + " ".join(["chữ"] * 3000) + "</b>"
    parts = split_text(text, 4096, html=True)
    assert len(parts) > 1
    for part in parts:
        assert len(part) <= 4096
        plain_text(part)  # raises on unbalanced tags
    assert "".join(strip_html(p) + " " for p in parts).split() == ["chữ"] * 3000


def test_a_line_without_spaces_is_cut_hard_but_not_inside_an_entity() -> None:
    text = "a" * 4090 + "&amp;" + "b" * 10
    parts = split_text(text, 4096, html=True)
    assert all(len(p) <= 4096 for p in parts)
    for part in parts:
        plain_text(part)


def test_caption_or_messages_before_a_document() -> None:
    assert attachment_parts(Reply("Báo cáo tuần", document_path="/x.docx")) == ([], "Báo cáo tuần")
    texts, caption = attachment_parts(Reply("y" * 2000, document_path="/x.docx"))
    assert caption is None and texts == ["y" * 2000]


def test_edit_only_for_plain_single_messages() -> None:
    reply = Reply("Đã chọn", choices=[Choice("Có", "a:2:yes")], edit_message_id="17")
    kwargs = edit_kwargs(reply)
    assert kwargs is not None and kwargs["message_id"] == 17
    assert isinstance(kwargs["reply_markup"], InlineKeyboardMarkup)
    assert edit_kwargs(Reply("x")) is None
    assert edit_kwargs(Reply("x", edit_message_id="3", request=RequestKind.LOCATION)) is None


def test_zalo_gets_plain_text_with_numbered_and_typed_choices() -> None:
    reply = Reply(
        "<b>Câu 1/3</b> Có phát hiện &amp; báo tin không?",
        choices=[
            Choice("Có", "a:1:yes", number=1),
            Choice("Không", "a:1:no", number=2),
            Choice("Xong", "n:1:done", alias="xong"),
        ],
    )
    (text,) = render_texts(reply)
    assert text.startswith("Câu 1/3 Có phát hiện & báo tin không?")
    assert "1. Có\n2. Không" in text
    assert "Gõ «xong» để xong" in text
    assert "<b>" not in text


def test_zalo_asks_for_a_typed_place_and_points_to_files_elsewhere() -> None:
    (loc,) = render_texts(Reply("Ở đâu?", request=RequestKind.LOCATION))
    assert "gõ địa điểm" in loc
    (doc,) = render_texts(Reply("Báo cáo tuần", document_path="/data/bao_cao_tuan.docx"))
    assert "bao_cao_tuan.docx" in doc and "Telegram" in doc


def test_zalo_splits_long_text_at_two_thousand() -> None:
    texts = render_texts(Reply("\n".join(["dòng " + "z" * 95] * 50)))
    assert len(texts) == 3
    assert all(len(t) <= 2000 for t in texts)
