"""The message catalog: every user-facing Vietnamese text lives here, nowhere else.

Texts use ``str.format`` placeholders. Chat texts may contain the HTML tags ``<b>`` and
``<i>`` only; whatever a user typed is escaped before it is put in (see
:func:`bot.render.esc`). Adapters without formatting (Zalo) strip the tags.
Sections are marked; keep keys grouped by the part of the product that says them.
"""

from __future__ import annotations

from typing import Any

CATALOG: dict[str, str] = {
    # --- settings and CLI -------------------------------------------------------------------
    "cli.init.done": "Đã thiết lập {name} ({province}), mã {code}.",
    "cli.init.ambiguous": "Tên «{query}» khớp nhiều đơn vị, không thay đổi gì. Các ứng viên:",
    "cli.init.unknown": "Không tìm thấy «{query}», không thay đổi gì. Gần giống:",
    "cli.init.unknown_province": "Không tìm thấy tỉnh/thành «{query}». Gần giống:",
    "cli.init.candidate": "  - {name} (mã {code}, {province})",
    "cli.db.upgraded": "Cơ sở dữ liệu đã ở phiên bản mới nhất ({revision}).",
    "cli.db.no_commune": "Chưa thiết lập xã. Hãy chạy: tinbao init --province … --commune …",
    "cli.run.channels": "Kênh đang chạy: {channels}.",
    "cli.run.playground": "Không có token bot: mở sân thử tại http://{host}:{port}",
    # --- generic chat ----------------------------------------------------------------------
    "chat.unknown_person": (
        "Xin chào! Tài khoản này chưa có trong danh sách của xã.\n"
        "Để dùng Tin Báo, vui lòng bấm vào đường link mời (hoặc gửi mã mời) mà Văn phòng "
        "UBND xã đã gửi cho anh/chị, hoặc chia sẻ số điện thoại đã đăng ký."
    ),
    "chat.group_not_supported": (
        "Tin Báo chỉ nhận báo cáo trong tin nhắn riêng. Vui lòng nhắn riêng cho bot."
    ),
    "chat.unsupported_message": (
        "Xin lỗi, Tin Báo chưa đọc được loại tin nhắn này. Vui lòng trả lời bằng chữ hoặc bấm nút."
    ),
    "chat.edited_ignored": (
        "Tin Báo không nhận tin nhắn đã sửa. Nếu muốn đổi câu trả lời, hãy gửi tin mới "
        "hoặc chọn «Sửa» ở bước xem lại."
    ),
    "chat.stale_button": "Nút này đã cũ, không còn tác dụng. Vui lòng dùng tin nhắn mới nhất.",
    "chat.not_allowed": "Xin lỗi, anh/chị không có quyền dùng chức năng này.",
    "chat.unknown_command": "Không có lệnh «{command}». Gõ /help để xem các lệnh.",
    "chat.error": "Xin lỗi, có lỗi khi xử lý. Vui lòng thử lại sau ít phút.",
}


def t(key: str, **params: Any) -> str:
    """Look up ``key`` and fill its placeholders. A missing key is a bug: it raises."""
    return CATALOG[key].format(**params) if params else CATALOG[key]
