"""Answer sequences that complete each shipped form (shared by engine and channel tests)."""

from __future__ import annotations

# Each step: ("say", text) types; ("tap", label part) presses a button / types its number.
SUSPICIOUS = [
    ("say", "Bãi đất trống cuối thôn"),
    ("tap", "Hôm nay"),
    ("say", "7h15"),
    ("say", "3"),
    ("tap", "Nói tiếng nước ngoài"),
    ("tap", "Không có giấy tờ"),
    ("tap", "Xong"),
    ("say", "Ba người mang ba lô lớn, đi về phía suối"),
    ("tap", "Bỏ qua"),
    ("tap", "09"),  # the registered phone offered as a button
]
PATROL = [
    ("tap", "Hôm nay"),
    ("say", "6:00"),
    ("say", "8h30"),
    ("say", "Đường liên xã Trà Xinh - Trà Lãnh"),
    ("say", "2"),
    ("say", "3"),
    ("say", "1"),
    ("say", "12"),
    ("say", "5"),
    ("say", "0"),
    ("tap", "Không"),
]
RESULTS = [
    ("say", "4"),
    ("say", "180"),
    ("say", "2"),
    ("say", "3"),
    ("say", "1"),
    ("say", "0"),
    ("say", "6"),
    ("say", "0"),
    ("say", "Địa hình đồi núi, đi lại khó khăn"),
    ("tap", "Bỏ qua"),
]
