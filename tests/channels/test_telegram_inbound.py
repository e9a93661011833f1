"""Reading Telegram updates straight from the Bot API's JSON (no PTB objects)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram_inbound import to_event
from bot.core.events import EventKind
from tests.fakes.telegram_api import FakeTelegram

USER = {"id": 42, "is_bot": False, "first_name": "Lan", "last_name": "Nguyễn"}
CHAT = {"id": 42, "type": "private", "first_name": "Lan"}


def message(**fields: Any) -> dict[str, Any]:
    return {
        "update_id": 7,
        "message": {"message_id": 3, "date": 1_757_470_000, "chat": CHAT, "from": USER, **fields},
    }


def test_what_the_fake_telegram_sends_reads_as_the_events_the_engine_expects() -> None:
    fake = FakeTelegram()  # builds updates only; no server started
    text = to_event(fake.text_update(501, "/start ABC123"))
    assert text is not None and text.kind is EventKind.TEXT and text.command == ("/start", "ABC123")
    assert (text.chat_id, text.user_id, text.private_chat) == ("501", "501", True)
    press = to_event(fake.callback_update(501, "a:3:yes", message_id=9))
    assert press is not None and press.kind is EventKind.BUTTON
    assert (press.data, press.message_id) == ("a:3:yes", "9")
    assert press.callback_id is not None


def test_each_kind_of_message() -> None:
    photo = to_event(message(photo=[{"file_id": "small"}, {"file_id": "large"}], caption="cầu"))
    assert photo is not None and (photo.kind, photo.file_ref, photo.text) == (
        EventKind.PHOTO,
        "large",
        "cầu",
    )
    voice = to_event(message(voice={"file_id": "v1", "duration": 3}))
    assert voice is not None and (voice.kind, voice.file_ref) == (EventKind.VOICE, "v1")
    place = to_event(message(location={"latitude": 15.1, "longitude": 108.5}))
    assert place is not None and (place.latitude, place.longitude) == (15.1, 108.5)
    card = to_event(message(contact={"phone_number": "0912345678", "user_id": 42}))
    assert card is not None and (card.contact_phone, card.contact_user_id) == ("0912345678", "42")
    sticker = to_event(message(sticker={"file_id": "s"}))
    assert sticker is not None and sticker.kind is EventKind.UNSUPPORTED
    edited = to_event({"update_id": 8, "edited_message": message(text="x")["message"]})
    assert edited is not None and edited.kind is EventKind.EDITED
    group = to_event(message(text="hi", chat={"id": -100, "type": "group", "title": "Thôn"}))
    assert group is not None and not group.private_chat
    text = to_event(message(text="chào"))
    assert text is not None
    assert text.display_name == "Lan Nguyễn"
    assert text.received_at == datetime.fromtimestamp(1_757_470_000, UTC)


def test_what_cannot_be_read_is_ignored_or_absent() -> None:
    assert to_event({"update_id": 1, "channel_post": {"text": "x"}}) is None
    assert to_event({"message": {"text": "no update id"}}) is None
    assert to_event(message(text="x", chat={"type": "private"})) is None  # no chat id
    assert to_event({"update_id": 1, "message": {"text": "x", "chat": CHAT}}) is None  # no sender
    assert to_event({"update_id": True, "message": {}}) is None  # a bool is not an id
    odd = to_event(message(photo=[{"width": 1}]))  # a photo without a file: unreadable
    assert odd is not None and odd.kind is EventKind.UNSUPPORTED
    press = to_event({"update_id": 2, "callback_query": {"id": "q", "from": USER, "data": 5}})
    assert press is None  # no message, so no chat to answer in


JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "update_id",
                    "message",
                    "callback_query",
                    "edited_message",
                    "chat",
                    "from",
                    "id",
                    "text",
                    "data",
                    "photo",
                    "file_id",
                    "voice",
                    "location",
                    "contact",
                    "date",
                    "type",
                ]
            ),
            inner,
            max_size=6,
        )
    ),
    max_leaves=20,
)


@given(JSONISH)
def test_any_json_gives_an_event_or_none_never_an_error(data: object) -> None:
    if isinstance(data, dict):
        event = to_event(data)
        assert event is None or (event.chat_id and event.user_id and event.update_key)
