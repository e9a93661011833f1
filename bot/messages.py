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
    "cli.run.playground": (
        "Chưa có token bot: chạy sân thử với dữ liệu mẫu Xã Tây Trà. Mở http://{host}:{port}"
    ),
    "cli.run.web": "Trang điều hành: http://{host}:{port}/dashboard (Ctrl+C để dừng).",
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
    "directive.error.unknown_form": (
        "Không có biểu mẫu «{value}». Các mã biểu mẫu dùng được: {choices}."
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
    "cli.directive.no_such_date": "Ở {option}: {reason}",
    "cli.directive.created": "Đã thêm chỉ đạo số {number}.",
    "cli.directive.updated": "Đã cập nhật chỉ đạo số {number}.",
    "cli.directive.unchanged": "Chỉ đạo số {number} đã có, không thay đổi gì.",
    "cli.directive.item": (
        "{number} — ban hành {issued}, {issuer}\n"
        "  {summary}\n"
        "  Đơn vị thực hiện: {targets}. Biểu mẫu: {forms}. Lặp lại: {recurrence}, từ {starts}."
    ),
    "cli.directive.item_deadlines": "  Hạn đơn vị: {unit_deadline}. Hạn báo cáo: {report_deadline}.",
    "cli.directive.count": "Có {count} chỉ đạo.",
    "cli.sample.seeded": (
        "Đã nạp dữ liệu mẫu {commune}: {created} người mới, {updated} người cập nhật, "
        "{directives} chỉ đạo mới, {history} báo cáo mẫu của các tuần gần đây."
    ),
    "cli.sample.unchanged": "Dữ liệu mẫu {commune} đã có sẵn, không thay đổi gì.",
    # --- web accounts (tinbao web add-user) ----------------------------------------------------
    "cli.web.password": "Mật khẩu cho {username}",
    "cli.web.created": "Đã tạo tài khoản web «{username}» cho {name}.",
    "cli.web.updated": "Đã đổi tài khoản web của {name} thành «{username}» với mật khẩu mới.",
    "cli.web.unknown_member": "Không có ai đang hoạt động với số điện thoại «{phone}».",
    "cli.web.not_office": (
        "{name} không phải văn phòng, lãnh đạo hay quản trị: chỉ những vai trò này được vào "
        "trang điều hành."
    ),
    "cli.web.bad_username": (
        "Tên đăng nhập «{username}» không hợp lệ (3–32 ký tự: chữ thường không dấu, số, . _ -)."
    ),
    "cli.web.username_taken": "Tên đăng nhập «{username}» đã có người dùng.",
    "cli.web.short_password": "Mật khẩu cần ít nhất {length} ký tự.",
    # --- web app errors (pages, form posts, the chat page's calls): web.error.<code> -----------
    "web.error.title": "Có lỗi",
    "web.error.home": "Về trang chính",
    "web.error.unknown": "Có lỗi khi xử lý yêu cầu. Vui lòng tải lại trang rồi thử lại.",
    "web.error.server_error": (
        "Xin lỗi, máy chủ gặp lỗi khi xử lý. Không phải do anh/chị; vui lòng thử lại sau ít phút."
    ),
    "web.error.not_found": "Không có trang này. Vui lòng kiểm tra lại đường dẫn.",
    "web.error.method_not_allowed": "Trang này không nhận thao tác đó. Vui lòng mở lại trang.",
    "web.error.bad_host": (
        "Sân thử chỉ mở được trên chính máy này, bằng địa chỉ http://127.0.0.1 (hoặc localhost)."
    ),
    "web.error.csrf": (
        "Trang đã cũ hoặc phiên làm việc đã hết hạn. Vui lòng tải lại trang rồi thử lại."
    ),
    "web.error.login_required": "Vui lòng đăng nhập lại.",
    "web.error.forbidden": "Anh/chị không có quyền làm việc này.",
    "web.error.unknown_member": "Không tìm thấy người này trong danh sách (có thể đã bị xoá).",
    "web.error.no_actor": "Vui lòng chọn người cập nhật («Cập nhật với tư cách») trước.",
    "web.error.no_directive": "Vui lòng chọn một chỉ đạo.",
    "web.error.no_report": "Không có báo cáo này cho chỉ đạo và kỳ đã chọn.",
    "web.error.no_file": "Không còn tệp này. Vui lòng gõ lại /summary để lập tệp mới.",
    "web.error.bad_uuid": "Tin nhắn không hợp lệ. Vui lòng tải lại trang rồi gửi lại.",
    "web.error.bad_json": "Tin nhắn không hợp lệ. Vui lòng tải lại trang rồi gửi lại.",
    "web.error.too_large": "Nội dung gửi lên quá lớn.",
    "web.error.empty_text": "Vui lòng gõ nội dung trước khi gửi.",
    "web.error.text_too_long": "Tin nhắn dài quá (tối đa 4000 ký tự). Vui lòng gõ ngắn hơn.",
    "web.error.bad_data": "Nút này không hợp lệ. Vui lòng dùng tin nhắn mới nhất.",
    "web.error.bad_location": "Vị trí không hợp lệ (vĩ độ từ -90 đến 90, kinh độ từ -180 đến 180).",
    "web.error.bad_after": "Yêu cầu không hợp lệ. Vui lòng tải lại trang.",
    "web.error.no_photo": "Chưa chọn ảnh nào để gửi.",
    "web.error.photo_too_large": "Ảnh lớn quá (tối đa 10 MB). Vui lòng chọn ảnh nhỏ hơn.",
    "web.error.not_an_image": (
        "Tệp này không phải ảnh. Vui lòng chọn ảnh JPG, PNG, GIF, WEBP hoặc HEIC."
    ),
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
    "cmd.tiendo": "Tiến độ: đơn vị nào đã/chưa báo cáo",
    "cmd.nhacnho": "Gửi ngay tin nhắc các đơn vị chưa báo cáo",
    "cmd.summary": "Tổng hợp số liệu, kèm báo cáo DOCX và phụ lục XLSX",
    # Commands typed as words, the one table of them: the words, any case, with or without
    # diacritics, run the command; so do they written as a command (/tonghop).
    "cmd.words.summary": "tổng hợp",
    "cmd.words.tiendo": "tiến độ",
    "cmd.words.baocao": "báo cáo",
    "help.line_words": "{command} — {description} (hoặc gõ «{words}»)",
    # --- /summary ----------------------------------------------------------------------------
    "summary.working": "⏳ Đang tổng hợp số liệu và lập báo cáo, vui lòng chờ trong giây lát…",
    "summary.no_directive": "Không tìm thấy văn bản «{number}».",
    "summary.pick": "Có {count} văn bản đang cần báo cáo. Chọn văn bản cần tổng hợp:",
    "summary.none_open": (
        "Hiện không có văn bản nào đang cần báo cáo. Để tổng hợp một văn bản cũ, gõ số của "
        "nó, ví dụ: /summary 1949/UBND-NC"
    ),
    "summary.chart_caption": "📈 Biểu đồ tiến độ và tin báo",
    "summary.docx_caption": "📄 Dự thảo báo cáo (DOCX) — Văn phòng kiểm tra, bổ sung trước khi trình ký.",
    "summary.xlsx_caption": "📊 Phụ lục số liệu (XLSX)",
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
    # --- dates people typed (chat answers and CLI options alike) ------------------------------
    "date.no_such_day": "Ngày {date} không có trên lịch (tháng {month} năm {year} có {days} ngày).",
    "date.no_such_month": "Ngày {date} không có trên lịch (không có tháng {month}: tháng từ 1 đến 12).",
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
    "answer.date_impossible": "{reason} Vui lòng gõ lại, ví dụ 12/9.",
    "answer.date_future": "Ngày này chưa tới (hôm nay là {today}). Vui lòng gõ lại.",
    "answer.date_too_old": "Ngày này đã quá một năm. Vui lòng kiểm tra lại.",
    "answer.time": "Vui lòng gõ giờ, ví dụ 14:30 hoặc 8h.",
    "answer.time_future": "Giờ này chưa tới. Vui lòng gõ lại giờ đã xảy ra, ví dụ 8h.",
    "answer.time_order": (
        "{label} ({end}) phải sau {start_label} ({start}); ca qua đêm tính sang hôm sau, "
        "tối đa 12 tiếng. Vui lòng gõ lại."
    ),
    "answer.phone": (
        "«{value}» không phải số điện thoại Việt Nam. Vui lòng gõ số di động 10 chữ số "
        "(ví dụ 0912345678 hoặc +84912345678) hoặc số máy bàn 11 chữ số (ví dụ 02553822123)."
    ),
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
    "answer.wrong_kind.phone": "Câu này cần một số điện thoại, ví dụ 0912345678.",
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
    # --- outbox, channels (delivery), reminders, progress ----------------------------------
    "channel.telegram": "Telegram",
    "channel.zalo": "Zalo",
    "channel.web": "trang web",
    "outbox.alert.dead": (
        "⚠️ <b>Không gửi được tin nhắn</b> tới {who} qua {channel} sau {attempts} lần thử.\n"
        "Lỗi: {error}\nNội dung: «{preview}»\n"
        "Xem: tinbao outbox status — gửi lại: tinbao outbox retry-dead."
    ),
    "outbox.alert.blocked": (
        "⚠️ {who} đã chặn bot trên {channel}: không gửi tin nhắn được nữa. Đã đánh dấu "
        "«không liên lạc được». Vui lòng liên hệ trực tiếp để người này mở chặn và nhắn lại bot."
    ),
    "cli.outbox.title": "Hộp thư đi (outbox)",
    "cli.outbox.channel": "Kênh",
    "cli.outbox.queued": "Chờ gửi",
    "cli.outbox.sending": "Đang gửi",
    "cli.outbox.retrying": "Chờ thử lại",
    "cli.outbox.sent": "Đã gửi",
    "cli.outbox.dead": "Hỏng",
    "cli.outbox.empty": "Hộp thư đi trống.",
    "cli.outbox.retried": "Đã đưa {count} tin nhắn hỏng trở lại hàng đợi.",
    "telegram.share_location": "📍 Gửi vị trí hiện tại",
    "telegram.share_contact": "📱 Chia sẻ số điện thoại",
    "zalo.choice_numbered": "{number}. {label}",
    "zalo.choice_alias": "Gõ «{alias}» để {action}",
    "zalo.choice_plain": "• {label}",
    "zalo.type_location": (
        "📍 Zalo không gửi được vị trí cho bot: vui lòng gõ địa điểm "
        "(thôn, xóm, địa danh gần nhất)."
    ),
    "zalo.type_contact": "📱 Vui lòng gõ số điện thoại của anh/chị (ví dụ 0912345678).",
    "zalo.file_elsewhere": (
        "📎 Tệp «{name}» không gửi được qua Zalo. Vui lòng xem và tải tệp trên trang quản lý "
        "của Văn phòng UBND xã hoặc trên Telegram."
    ),
    "zalo.photo_elsewhere": (
        "🖼 Ảnh «{name}» không gửi được qua Zalo. Vui lòng xem ảnh trên trang quản lý "
        "của Văn phòng UBND xã hoặc trên Telegram."
    ),
    "remind.button_report": "Báo cáo ngay",
    "remind.button_report_form": "Báo cáo: {title}",
    "remind.button_nothing": "Không phát hiện gì",
    "remind.period": " (kỳ {label})",
    "remind.announce": (
        "📢 <b>Văn bản {number}</b> của {issuer}\n{summary}\n"
        "Đơn vị <b>{unit}</b> cần báo cáo{period}. Hạn: <b>{deadline}</b>."
    ),
    "remind.announce_no_deadline": (
        "📢 <b>Văn bản {number}</b> của {issuer}\n{summary}\nĐơn vị <b>{unit}</b> cần báo cáo{period}."
    ),
    "remind.before": (
        "⏰ <b>Nhắc báo cáo</b> theo văn bản {number}\n{summary}\n"
        "Đơn vị <b>{unit}</b> chưa gửi báo cáo{period}. Hạn: <b>{deadline}</b> (còn {days} ngày)."
    ),
    "remind.before_today": (
        "⏰ <b>Hôm nay là hạn báo cáo</b> theo văn bản {number}\n{summary}\n"
        "Đơn vị <b>{unit}</b> chưa gửi báo cáo{period}. Hạn: <b>{deadline}</b>."
    ),
    "remind.overdue": (
        "❗ <b>Quá hạn báo cáo</b> theo văn bản {number}\n{summary}\n"
        "Đơn vị <b>{unit}</b> chưa gửi báo cáo{period}; hạn là {deadline} "
        "(đã quá {days} ngày). Vui lòng báo cáo ngay."
    ),
    "remind.escalate": (
        "⚠️ <b>Đơn vị chưa báo cáo</b> theo văn bản {number}{period}\n{summary}\n"
        "Hạn {deadline}, đã quá {days} ngày. Còn {count} đơn vị chưa báo cáo:\n{units}"
    ),
    "remind.escalate_unit": "• {name}",
    "progress.title": "📊 <b>Tiến độ báo cáo</b> — {date}",
    "progress.none": "Hiện không có văn bản nào đang cần báo cáo.",
    "progress.directive": "<b>{number}</b> — {summary}",
    "progress.deadline": "Hạn: {deadline}{late}",
    "progress.period_deadline": "Kỳ {period}, hạn: {deadline}{late}",
    "progress.no_deadline": "Không có hạn",
    "progress.late": " (đã quá hạn)",
    "progress.done": "Đã báo cáo ({count}/{total}): {units}",
    "progress.missing": "Chưa báo cáo ({count}/{total}): {units}",
    "progress.nobody": "không có",
    "progress.own_done": "Đơn vị của anh/chị: đã báo cáo.",
    "progress.own_missing": "Đơn vị của anh/chị: <b>chưa báo cáo</b>.",
    "progress.reminded": "Đã xếp lịch gửi {count} tin nhắc báo cáo.",
    "progress.nothing_to_remind": (
        "Không có tin nhắc nào cần gửi lúc này: các đơn vị đã báo cáo, đã được nhắc hôm nay, "
        "hoặc đang trong giờ nghỉ ({quiet})."
    ),
    # --- reporting periods (keys: once, 2025-09-10, 2025-W37, 2025-09) -------------------------
    "period.once": "cả đợt",
    "period.week": "tuần {week}/{year}",
    "period.month": "tháng {month}/{year}",
    "period.day": "ngày {date}",
    "period.forms.none": "văn bản một lần chỉ có một kỳ: «once» (cả đợt), hoặc bỏ trống",
    "period.forms.daily": "một ngày, dạng 2025-09-10 hoặc 10/09/2025",
    "period.forms.weekly": (
        "một tuần, dạng 2025-W37 (tuần 37 năm 2025), hoặc một ngày trong tuần đó, ví dụ 10/09/2025"
    ),
    "period.forms.monthly": (
        "một tháng, dạng 2025-09, hoặc một ngày trong tháng đó, ví dụ 10/09/2025"
    ),
    "period.error.bad": (
        "Kỳ «{period}» không hợp lệ cho văn bản {number} ({recurrence}). Kỳ hợp lệ: {forms}. "
        "Kỳ hiện tại: {current}."
    ),
    # --- reports: /summary, DOCX report, XLSX annex, chart, `tinbao report/export` ------------
    "report.kind.village": "Thôn",
    "report.kind.police": "Công an xã",
    "report.kind.military": "Ban CHQS xã",
    "report.kind.agency": "Cơ quan, ban ngành",
    "report.kind.office": "Văn phòng",
    "report.status.on_time": "Đúng hạn",
    "report.status.late": "Trễ hạn",
    "report.status.missing": "Chưa gửi",
    "report.submission.submitted": "Đã gửi",
    "report.submission.amended": "Đã sửa",
    "report.doctype.default": "Công văn",
    "report.doctype.KH": "Kế hoạch",
    "report.doctype.CT": "Chỉ thị",
    "report.doctype.QĐ": "Quyết định",
    "report.doctype.CĐ": "Công điện",
    "report.doctype.HD": "Hướng dẫn",
    "report.doctype.TB": "Thông báo",
    "report.doctype.NQ": "Nghị quyết",
    "report.doctype.CTr": "Chương trình",
    "report.doctype.PA": "Phương án",
    "report.title": "Kết quả thực hiện công tác {subject}",
    "report.outcome": "{count} {label}",
    "report.figure.propaganda_sessions": "Buổi tuyên truyền",
    "report.figure.propaganda_attendees": "Lượt người dự tuyên truyền",
    "report.figure.security_teams": "Tổ tự quản an ninh",
    "report.figure.cameras": "Camera an ninh",
    "report.figure.zalo_groups": "Nhóm Zalo cộng đồng",
    "report.figure.foreigners_residing": "Người nước ngoài cư trú",
    "report.figure.residence_checks": "Lượt kiểm tra cư trú",
    "report.figure.cases_detected": "Vụ việc phát hiện",
    "report.figure.cases_handled": "Vụ việc đã xử lý",
    "report.figure.patrols": "Lượt tuần tra",
    "report.figure.patrol_police": "Lượt công an tuần tra",
    "report.figure.patrol_militia": "Lượt dân quân tuần tra",
    "report.figure.patrol_security": "Lượt an ninh cơ sở tuần tra",
    "report.figure.persons_checked": "Người được kiểm tra",
    "report.figure.vehicles_checked": "Phương tiện được kiểm tra",
    "report.figure.foreigners_checked": "Người nước ngoài được kiểm tra",
    "report.figure.findings": "Ca tuần tra có phát hiện",
    "report.figure.suspects_reported": "Người khả nghi được báo",
    "report.figure.no_incident": "Báo cáo không phát hiện",
    "report.xlsx.sheet.summary": "Tổng hợp",
    "report.xlsx.sheet.progress": "Tiến độ",
    "report.xlsx.sheet.incidents": "Sự việc",
    "report.xlsx.sheet.remarks": "Khó khăn - Đề xuất",
    "report.xlsx.sheet.export": "Dữ liệu",
    "report.xlsx.col.no": "STT",
    "report.xlsx.col.item": "Nội dung",
    "report.xlsx.col.value": "Giá trị",
    "report.xlsx.col.unit": "Đơn vị",
    "report.xlsx.col.kind": "Loại đơn vị",
    "report.xlsx.col.status": "Tình trạng",
    "report.xlsx.col.member": "Người gửi",
    "report.xlsx.col.first": "Gửi lần đầu",
    "report.xlsx.col.last": "Cập nhật lần cuối",
    "report.xlsx.col.version": "Phiên bản",
    "report.xlsx.col.expected": "Phải báo cáo",
    "report.xlsx.col.submitted": "Đã gửi",
    "report.xlsx.col.on_time": "Đúng hạn",
    "report.xlsx.col.late": "Trễ hạn",
    "report.xlsx.col.missing": "Chưa gửi",
    "report.xlsx.col.submitted_pct": "Tỷ lệ đã gửi",
    "report.xlsx.col.on_time_pct": "Tỷ lệ đúng hạn",
    "report.xlsx.col.id": "Mã",
    "report.xlsx.col.reported_at": "Thời điểm báo",
    "report.xlsx.col.occurred_at": "Thời điểm xảy ra",
    "report.xlsx.col.reporter": "Người báo",
    "report.xlsx.col.summary": "Nội dung",
    "report.xlsx.col.location": "Địa điểm",
    "report.xlsx.col.lat": "Vĩ độ",
    "report.xlsx.col.lon": "Kinh độ",
    "report.xlsx.col.people": "Số người",
    "report.xlsx.col.incident_status": "Kết quả xử lý",
    "report.xlsx.col.changed_by": "Người cập nhật",
    "report.xlsx.col.changed_at": "Cập nhật lúc",
    "report.xlsx.col.remark_kind": "Loại ý kiến",
    "report.xlsx.col.units": "Đơn vị nêu",
    "report.xlsx.col.form": "Biểu mẫu",
    "report.xlsx.col.period": "Kỳ báo cáo",
    "report.xlsx.col.submission_status": "Trạng thái",
    "report.xlsx.col.submitted_at": "Gửi lúc",
    "report.xlsx.col.updated_at": "Sửa lúc",
    "report.xlsx.info.directive": "Văn bản",
    "report.xlsx.info.period": "Kỳ báo cáo",
    "report.xlsx.info.deadline": "Hạn đơn vị gửi báo cáo",
    "report.xlsx.info.generated": "Lập lúc",
    "report.xlsx.info.all_units": "Tất cả đơn vị",
    "report.xlsx.info.incidents": "Tin báo: {status}",
    "report.xlsx.remark.difficulty": "Khó khăn, hạn chế",
    "report.xlsx.remark.proposal": "Kiến nghị, đề xuất",
    "report.chart.title": "{number} — kỳ {period}",
    "report.chart.completeness": "Tiến độ báo cáo theo loại đơn vị",
    "report.chart.units": "Số đơn vị",
    "report.chart.incidents": "Tin báo sự việc theo ngày",
    "report.chart.tips": "Số tin báo",
    "report.summary.title": "📊 <b>Tổng hợp {number}</b>",
    "report.summary.period": "Kỳ: {period} · hạn đơn vị gửi: {deadline}",
    "report.summary.completeness": (
        "<b>Tiến độ:</b> {submitted}/{expected} đơn vị đã gửi ({pct}): {on_time} đúng hạn, "
        "{late} trễ hạn, {missing} chưa gửi."
    ),
    "report.summary.nobody": "<b>Tiến độ:</b> chưa có đơn vị nào gửi báo cáo (0/{expected}).",
    "report.summary.kind": "• {label}: {submitted}/{expected}",
    "report.summary.figures": "<b>Số liệu chính:</b>",
    "report.summary.propaganda": "• Tuyên truyền: {sessions} buổi, {attendees} lượt người dự",
    "report.summary.grassroots": "• Tổ tự quản: {teams} · camera: {cameras} · nhóm Zalo: {zalo}",
    "report.summary.patrol": (
        "• Tuần tra: {patrols} lượt, {forces} lượt người; kiểm tra {persons} người, "
        "{vehicles} phương tiện"
    ),
    "report.summary.cases": "• Vụ việc đơn vị báo: phát hiện {detected}, đã xử lý {handled}",
    "report.summary.incidents": "• Tin báo: {total} ({outcomes})",
    "report.summary.no_incidents": "• Tin báo: chưa có",
    "report.summary.remarks": "• Khó khăn: {difficulties} ý kiến · đề xuất: {proposals} ý kiến",
    "report.summary.overdue": "<b>Quá hạn, chưa gửi ({count}):</b> {names}",
    "report.summary.missing": "<b>Chưa gửi ({count}):</b> {names}",
    "report.summary.more": "… và {count} đơn vị khác",
    "cli.report.no_directive": "Không tìm thấy văn bản «{number}».",
    "cli.report.step.aggregate": "Tổng hợp số liệu",
    "cli.report.step.docx": "Lập báo cáo DOCX",
    "cli.report.step.xlsx": "Lập phụ lục XLSX",
    "cli.report.step.read": "Đọc dữ liệu",
    "cli.report.step.write": "Ghi tệp",
    "cli.report.done": "Đã lập báo cáo {number} ({period}): {docx} và {xlsx}",
    "cli.export.bad_suffix": "Tệp xuất phải có đuôi .csv hoặc .xlsx, không phải «{path}».",
    "cli.export.done": "Đã xuất {rows} bản báo cáo của {number} ({period}) ra {path}",
}


def t(key: str, **params: Any) -> str:
    """Look up ``key`` and fill its placeholders. A missing key is a bug: it raises."""
    return CATALOG[key].format(**params) if params else CATALOG[key]
