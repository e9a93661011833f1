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
    # --- roster file: headers and values (they are also what the importer recognises) --------
    "roster.header.unit": "Đơn vị",
    "roster.header.kind": "Loại đơn vị",
    "roster.header.name": "Họ và tên",
    "roster.header.phone": "Số điện thoại",
    "roster.header.roles": "Vai trò",
    "roster.sheet_title": "Danh sách",
    "roster.kind.village": "thôn",
    "roster.kind.police": "công an",
    "roster.kind.military": "quân sự",
    "roster.kind.agency": "cơ quan",
    "roster.kind.office": "văn phòng",
    "roster.role.village_head": "trưởng thôn",
    "roster.role.police": "công an",
    "roster.role.militia": "dân quân",
    "roster.role.agency_staff": "cán bộ",
    "roster.role.office_staff": "văn phòng",
    "roster.role.leader": "lãnh đạo",
    "roster.role.admin": "quản trị",
    "roster.template.kind_prompt": "Chọn loại đơn vị trong danh sách.",
    "roster.template.kind_error": "Loại đơn vị phải là một trong: {choices}.",
    "roster.template.roles_prompt": "Chọn vai trò; nhiều vai trò thì cách nhau bằng dấu phẩy.",
    "roster.template.roles_error": "Vai trò nên là: {choices} (nhiều vai trò cách nhau bằng dấu phẩy).",
    # --- roster import problems (one line each, prefixed with the row) -----------------------
    "roster.problem.row": "Dòng {row}: {text}",
    "roster.error.no_name": "thiếu họ và tên.",
    "roster.error.no_unit": "thiếu tên đơn vị.",
    "roster.error.no_phone": "thiếu số điện thoại.",
    "roster.error.bad_phone": (
        "số điện thoại «{value}» không hợp lệ (cần dạng 0912345678 hoặc +84912345678)."
    ),
    "roster.error.no_kind": "thiếu loại đơn vị (chọn một trong: {choices}).",
    "roster.error.unknown_kind": "không hiểu loại đơn vị «{value}» (chọn một trong: {choices}).",
    "roster.error.no_roles": "thiếu vai trò (chọn trong: {choices}).",
    "roster.error.unknown_role": "không hiểu vai trò «{value}» (chọn trong: {choices}).",
    "roster.error.duplicate_phone": "số điện thoại {phone} đã có ở dòng {first_row}.",
    "roster.error.kind_conflict": (
        "đơn vị «{unit}» ghi là «{kind}» nhưng dòng {first_row} ghi là «{first_kind}»."
    ),
    "roster.error.missing_headers": (
        "Không tìm thấy cột: {headers}. Dòng tiêu đề cần có các cột: {expected}."
    ),
    "roster.error.empty": "Tệp không có dòng dữ liệu nào.",
    "roster.error.format": "Chỉ đọc được tệp .xlsx hoặc .csv (tệp đã cho: {name}).",
    "roster.error.encoding": (
        "Tệp CSV không phải mã UTF-8. Trong Excel hãy chọn Lưu thành «CSV UTF-8 (Comma delimited)»."
    ),
    "roster.error.unreadable": "Không đọc được tệp {name}: {reason}",
    "roster.error.not_found": "Không tìm thấy tệp {name}.",
    # --- directives ----------------------------------------------------------------------------
    "directive.recurrence.none": "một lần",
    "directive.recurrence.daily": "hằng ngày",
    "directive.recurrence.weekly": "hằng tuần",
    "directive.recurrence.monthly": "hằng tháng",
    "directive.error.no_number": "Thiếu số, ký hiệu văn bản.",
    "directive.error.no_issuer": "Thiếu cơ quan ban hành.",
    "directive.error.no_summary": "Thiếu trích yếu.",
    "directive.error.no_targets": "Cần ít nhất một loại đơn vị thực hiện (chọn trong: {choices}).",
    "directive.error.unknown_kind": "Không hiểu loại đơn vị «{value}» (chọn trong: {choices}).",
    "directive.error.no_forms": "Cần ít nhất một biểu mẫu.",
    "directive.error.bad_form": (
        "Mã biểu mẫu «{value}» không hợp lệ (chỉ gồm chữ thường không dấu, số và dấu _)."
    ),
    "directive.error.unknown_recurrence": (
        "Kiểu lặp lại «{value}» không hợp lệ (none, daily, weekly hoặc monthly)."
    ),
    "directive.error.deadline_order": (
        "Hạn đơn vị ({unit_deadline}) phải trước hoặc cùng ngày hạn báo cáo ({report_deadline})."
    ),
    "directive.error.deadline_before_start": (
        "Hạn {deadline} không được trước ngày bắt đầu {starts}."
    ),
    # --- roster, invite, directive and sample commands ----------------------------------------
    "cli.roster.progress": "Đang nhập danh sách",
    "cli.roster.imported": (
        "Đã nhập danh sách: {created} người mới, {updated} người cập nhật, "
        "{unchanged} người không đổi; {units_created} đơn vị mới."
    ),
    "cli.roster.rejected": "Không nhập gì: {count} dòng có lỗi. Hãy sửa tệp rồi nhập lại.",
    "cli.roster.template_written": "Đã tạo tệp mẫu danh sách: {path}",
    "cli.roster.exported": "Đã xuất {count} người ra tệp {path}",
    "cli.invite.progress": "Đang cấp mã mời",
    "cli.invite.title": "Mã mời (mỗi mã chỉ dùng được một lần)",
    "cli.invite.col.name": "Họ và tên",
    "cli.invite.col.phone": "Số điện thoại",
    "cli.invite.col.unit": "Đơn vị",
    "cli.invite.col.roles": "Vai trò",
    "cli.invite.col.code": "Mã mời",
    "cli.invite.col.link": "Đường link mời",
    "cli.invite.issued": "Đã cấp {count} mã mời.",
    "cli.invite.issued_csv": "Đã cấp {count} mã mời và ghi vào tệp {path}",
    "cli.invite.no_username": (
        "Chưa đặt TELEGRAM_BOT_USERNAME nên chỉ có mã mời: người dùng gửi mã này cho bot."
    ),
    "cli.invite.none": "Không có ai cần mã mời: mọi người đã liên kết tài khoản.",
    "cli.invite.unknown_unit": "Không có đơn vị «{unit}».",
    "cli.invite.unknown_member": "Không có ai với số điện thoại «{phone}».",
    "cli.invite.already_linked": "{name} đã liên kết tài khoản, không cần mã mời.",
    "cli.directive.bad_date": (
        "Ngày «{value}» ở {option} không hợp lệ (cần dạng dd/mm/yyyy, ví dụ 28/08/2025)."
    ),
    "cli.directive.created": "Đã thêm chỉ đạo số {number}.",
    "cli.directive.updated": "Đã cập nhật chỉ đạo số {number}.",
    "cli.directive.unchanged": "Chỉ đạo số {number} đã có, không thay đổi gì.",
    "cli.directive.col.number": "Số, ký hiệu",
    "cli.directive.col.issued": "Ngày ban hành",
    "cli.directive.col.issuer": "Cơ quan ban hành",
    "cli.directive.col.summary": "Trích yếu",
    "cli.directive.col.targets": "Đơn vị thực hiện",
    "cli.directive.col.forms": "Biểu mẫu",
    "cli.directive.col.recurrence": "Lặp lại",
    "cli.directive.col.unit_deadline": "Hạn đơn vị",
    "cli.directive.col.report_deadline": "Hạn báo cáo",
    "cli.directive.count": "Có {count} chỉ đạo.",
    "cli.sample.seeded": (
        "Đã nạp dữ liệu mẫu {commune}: {created} người mới, {updated} người cập nhật, "
        "{directives} chỉ đạo mới."
    ),
    "cli.sample.unchanged": "Dữ liệu mẫu {commune} đã có sẵn, không thay đổi gì.",
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
    "chat.already_registered": "Anh/chị đã đăng ký rồi. Gõ /baocao để báo cáo.",
    # --- registration ------------------------------------------------------------------------
    "register.welcome": (
        "Xin chào <b>{name}</b> ({unit})! Anh/chị đã được kết nối với Tin Báo của {commune}.\n"
        "Gõ /baocao bất cứ lúc nào để gửi báo cáo."
    ),
    "register.share_contact": "📱 Chia sẻ số điện thoại",
    "register.wrong_code": (
        "Mã mời không đúng hoặc đã được dùng. Vui lòng kiểm tra lại, hoặc liên hệ Văn phòng "
        "UBND xã để được cấp mã mới."
    ),
    "register.throttled": (
        "Anh/chị đã nhập sai mã quá nhiều lần. Vui lòng thử lại sau 15 phút hoặc liên hệ "
        "Văn phòng UBND xã."
    ),
    "register.contact_not_own": (
        "Vui lòng chia sẻ số điện thoại của chính mình (bấm nút «Chia sẻ số điện thoại»)."
    ),
    "register.phone_unknown": (
        "Số điện thoại này chưa có trong danh sách của xã. Vui lòng liên hệ Văn phòng UBND xã "
        "để được thêm vào danh sách, hoặc dùng mã mời."
    ),
    # --- menu and help -----------------------------------------------------------------------
    "menu.greeting": "Chào {name}.",
    "menu.pick": "Chọn loại báo cáo:",
    "menu.none": "Hiện chưa có loại báo cáo nào dành cho anh/chị.",
    "menu.resume": "▶️ Tiếp tục: {title}",
    "help.text": (
        "<b>Tin Báo</b> — báo cáo nhanh cho xã.\n"
        "Các lệnh anh/chị dùng được:\n{commands}\n"
        "Khi đang trả lời, gõ «huỷ» để dừng, «quay lại» để về câu trước."
    ),
    "help.line": "{command} — {description}",
    "cmd.start": "Bắt đầu, xem hướng dẫn",
    "cmd.help": "Hướng dẫn sử dụng",
    "cmd.baocao": "Gửi báo cáo (chọn loại)",
    "cmd.huy": "Huỷ báo cáo đang làm",
    # --- dialog ------------------------------------------------------------------------------
    "dialog.progress": "<b>{title}</b> — câu {number}/{total}",
    "dialog.multi_hint": "Bấm để chọn/bỏ chọn (hoặc gõ các số, ví dụ: 1,3).",
    "dialog.location_hint": "(Trên điện thoại: bấm nút «📍 Gửi vị trí» bên dưới.)",
    "dialog.media_received": "Đã nhận {count} tệp. Gửi thêm hoặc bấm «Xong».",
    "dialog.urgent_intro": "🚨 Báo tin khẩn. Trả lời nhanh các câu sau; Công an xã sẽ nhận ngay khi gửi.",
    "dialog.resumed": "Tiếp tục báo cáo đang làm dở:",
    "dialog.confirm_replace": (
        "Anh/chị đang làm dở «{draft}». Tiếp tục báo cáo đó, hay bỏ nó để bắt đầu «{new}»?"
    ),
    "dialog.cancelled": "Đã huỷ «{title}». Gõ /baocao để bắt đầu lại.",
    "dialog.nothing_to_cancel": "Không có báo cáo nào đang làm. Gõ /baocao để bắt đầu.",
    "dialog.filed": "✅ Đã gửi «{title}» lúc {at} (số {number}). Cảm ơn anh/chị!",
    "dialog.amended": "✅ Đã cập nhật «{title}» lúc {at} (số {number}). Bản cũ vẫn được lưu.",
    "dialog.alert_sent": "🚨 Đã báo ngay cho Công an xã và Ban CHQS xã (sự việc số {id}).",
    "dialog.already_filed": "Đơn vị đã gửi «{title}» kỳ này lúc {at}. Không cần gửi lại.",
    "dialog.filed_closed": "«{title}» kỳ này đã quá hạn sửa. Vui lòng liên hệ Văn phòng UBND xã.",
    "dialog.amend_intro": "Đơn vị đã gửi «{title}» kỳ này. Anh/chị có thể sửa trước hạn:",
    "dialog.draft_reminder": (
        "📝 Anh/chị còn báo cáo «{title}» chưa gửi xong. Bấm «Tiếp tục» để hoàn thành."
    ),
    # --- buttons and typed aliases -------------------------------------------------------------
    "button.done": "✔️ Xong",
    "button.skip": "⏭ Bỏ qua",
    "button.back": "↩️ Quay lại",
    "button.cancel": "✖️ Huỷ",
    "button.submit": "✅ Gửi báo cáo",
    "button.edit": "✏️ Sửa một câu",
    "button.back_to_review": "↩️ Về trang xem lại",
    "button.today": "Hôm nay",
    "button.yesterday": "Hôm qua",
    "button.now": "Bây giờ",
    "button.resume_draft": "▶️ Tiếp tục bản đang làm",
    "button.replace_draft": "🆕 Bỏ bản cũ, làm mới",
    "alias.done": "xong",
    "alias.skip": "bỏ qua",
    "alias.back": "quay lại",
    "alias.cancel": "huỷ",
    "alias.submit": "gửi",
    "alias.edit": "sửa",
    "alias.resume": "tiếp tục",
    "alias.replace": "làm mới",
    # --- answers -----------------------------------------------------------------------------
    "answer.yes": "Có",
    "answer.no": "Không",
    "answer.choice": "Vui lòng bấm một lựa chọn, hoặc gõ số từ 1 đến {count}.",
    "answer.multi": "Vui lòng bấm các lựa chọn, hoặc gõ các số từ 1 đến {count} (ví dụ: 1,3).",
    "answer.yes_no": "Vui lòng bấm «Có» hoặc «Không» (hoặc gõ có / không).",
    "answer.integer": "Vui lòng gõ một số, ví dụ: 3.",
    "answer.integer_range": "Vui lòng gõ một số từ {low} đến {high}.",
    "answer.text_empty": "Vui lòng gõ nội dung bằng chữ.",
    "answer.text_too_long": "Nội dung dài quá ({length} ký tự). Vui lòng gõ ngắn hơn {limit} ký tự.",
    "answer.date": "Vui lòng gõ ngày theo dạng ngày/tháng, ví dụ 12/9 hoặc 12/9/2025, hoặc bấm «Hôm nay».",
    "answer.date_future": "Ngày này chưa tới (hôm nay là {today}). Vui lòng gõ lại.",
    "answer.date_too_old": "Ngày này đã quá một năm. Vui lòng kiểm tra lại.",
    "answer.time": "Vui lòng gõ giờ, ví dụ 14:30 hoặc 8h.",
    "answer.time_future": "Giờ này chưa tới. Vui lòng gõ lại giờ đã xảy ra, ví dụ 8h.",
    "answer.location": "Vui lòng gửi vị trí hoặc gõ tên địa điểm.",
    "answer.media": "Vui lòng gửi ảnh hoặc ghi âm, rồi bấm «Xong» (hoặc «Bỏ qua»).",
    "answer.media_full": "Đã đủ {limit} tệp. Bấm «Xong» để tiếp tục.",
    "answer.required": "Câu này cần trả lời, không bỏ qua được.",
    "answer.pick_first": "Vui lòng chọn ít nhất một mục rồi bấm «Xong».",
    "answer.wrong_kind.single_choice": "Câu này cần chọn một lựa chọn.",
    "answer.wrong_kind.multi_choice": "Câu này cần chọn các lựa chọn.",
    "answer.wrong_kind.yes_no": "Câu này cần trả lời «Có» hoặc «Không».",
    "answer.wrong_kind.integer": "Câu này cần gõ một số.",
    "answer.wrong_kind.short_text": "Câu này cần gõ chữ.",
    "answer.wrong_kind.long_text": "Câu này cần gõ chữ.",
    "answer.wrong_kind.date": "Câu này cần một ngày, ví dụ 12/9.",
    "answer.wrong_kind.time": "Câu này cần một giờ, ví dụ 14:30.",
    "answer.wrong_kind.location": "Câu này cần vị trí hoặc tên địa điểm.",
    "answer.wrong_kind.media": "Câu này cần ảnh hoặc ghi âm.",
    # --- review ------------------------------------------------------------------------------
    "review.title": "<b>Xem lại: {title}</b>",
    "review.line": "{number}. {label}: {value}",
    "review.hint": "Kiểm tra lại rồi bấm «Gửi báo cáo», hoặc «Sửa một câu».",
    "review.amend_hint": "Sửa câu cần sửa rồi bấm «Gửi báo cáo» để cập nhật.",
    "review.typed_hint": "Gõ «gửi» để gửi, «sửa» để sửa một câu, hoặc «huỷ».",
    "review.pick_edit": "Chọn câu cần sửa:",
    "review.pick_edit_typed": "Vui lòng gõ số câu cần sửa, từ 1 đến {count}.",
    "review.skipped": "(bỏ qua)",
    "review.location_shared": "vị trí đã gửi ({lat}, {lon})",
    "review.media_count": "{count} tệp",
    # --- incidents ---------------------------------------------------------------------------
    "incident.alert": (
        "🚨 <b>TIN BÁO KHẨN #{id}</b>\n"
        "Đơn vị: {unit}\nNgười báo: {reporter} ({phone})\n"
        "Địa điểm: {where}\nThời gian: {when}\nSố người: {people}\n"
        "Dấu hiệu, mô tả: {summary}\n"
        "Bấm để cập nhật tình hình xử lý:"
    ),
    "incident.status.new": "Mới",
    "incident.status.received": "Đã tiếp nhận",
    "incident.status.verifying": "Đang xác minh",
    "incident.status.handled": "Đã xử lý",
    "incident.status.false_report": "Tin không chính xác",
    "incident.already": "Sự việc đã ở trạng thái «{status}».",
    "incident.changed_toast": "Đã cập nhật: {status}",
    "incident.changed": "Sự việc #{id}: {status} (cập nhật bởi {who}).",
    "incident.reporter_told": (
        "ℹ️ Tin báo #{id} của anh/chị: <b>{status}</b> — {who}, lúc {at}. Cảm ơn anh/chị!"
    ),
}


def t(key: str, **params: Any) -> str:
    """Look up ``key`` and fill its placeholders. A missing key is a bug: it raises."""
    return CATALOG[key].format(**params) if params else CATALOG[key]
