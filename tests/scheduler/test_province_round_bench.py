"""The province reminder-round benchmark still measures a real round (a tiny province)."""

from __future__ import annotations


def test_province_round_reaches_each_member_once_within_their_commune() -> None:
    from bench.reminder_round import run

    row = run(60, communes=3)
    assert (row["enqueued"], row["delivered"], row["chats_reached"]) == (60, 60, 60)
    assert row["misdirected"] == 0 and row["count_429"] == 0
