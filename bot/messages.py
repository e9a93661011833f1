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
    "cli.init.already": "{name} ({province}, mã {code}) đã có sẵn, không thay đổi gì.",
    "cli.init.done_many": "Đã thiết lập {count} xã/phường của {province} ({added} mới).",
    "cli.init.pick_one": "Hãy chọn --commune (có thể lặp lại) hoặc --all, không dùng cả hai.",
    "cli.init.other_province": (
        "Cài đặt này đang phục vụ {province}: mỗi cài đặt chỉ phục vụ một tỉnh. Không thay đổi gì."
    ),
    "cli.init.sample_present": (
        "⚠️ Cơ sở dữ liệu {database} đang chứa dữ liệu mẫu ({communes}) với người bịa ra. "
        "Không thêm xã thật vào chung với dữ liệu mẫu. Hãy xoá dữ liệu mẫu bằng "
        "«tinbao db reset --yes» rồi chạy lại «tinbao init», hoặc đặt DATA_DIR/DATABASE_URL "
        "khác cho xã thật."
    ),
    "cli.init.ambiguous": "Tên «{query}» khớp nhiều đơn vị, không thay đổi gì. Các ứng viên:",
    "cli.init.unknown": "Không tìm thấy «{query}», không thay đổi gì. Gần giống:",
    "cli.init.unknown_province": "Không tìm thấy tỉnh/thành «{query}». Gần giống:",
    "cli.init.candidate": "  - {name} (mã {code}, {province})",
    "cli.commune.none": "Chưa thiết lập xã nào. Hãy chạy: tinbao init --province … --commune …",
    "cli.commune.choose": (
        "Cài đặt này có {count} xã/phường: hãy chọn một bằng --commune (tên hoặc mã), ví dụ:"
    ),
    "cli.commune.unknown": "Không có xã/phường «{query}» trong cài đặt này. Các xã đã thiết lập:",
    "cli.commune.ambiguous": "«{query}» khớp nhiều xã/phường, không làm gì. Hãy ghi rõ hơn:",
    "cli.commune.candidate": "  - {name} (mã {code})",
    "cli.commune.more": "  … và {count} xã/phường khác.",
    "cli.commune.set.nothing": "Không có gì để thay đổi: hãy cho --signer-name và/hoặc --signer-title.",
    "cli.commune.set.done": "Báo cáo của {commune} sẽ do {title} {name} ký.",
    "cli.commune.no_signer": "(chưa có tên: để trống, Văn phòng bổ sung khi ký)",
    "cli.commune.line": "{commune} (mã {code}) — người ký báo cáo: {title} {name}",
    "cli.db.upgraded": "Cơ sở dữ liệu đã ở phiên bản mới nhất ({revision}).",
    "cli.db.reset_confirm": (
        "Lệnh này XOÁ HẾT dữ liệu trong {database}: {communes} xã/phường, {members} người, mọi "
        "báo cáo, tin báo và tệp đính kèm. Không lấy lại được. Nếu chắc chắn, chạy lại với --yes."
    ),
    "cli.db.reset_done": "Đã xoá hết dữ liệu; {database} là cơ sở dữ liệu trống. Chạy «tinbao init» để bắt đầu.",
    "cli.db.no_commune": "Chưa thiết lập xã. Hãy chạy: tinbao init --province … --commune …",
    "cli.run.channels": "Kênh đang chạy: {channels}.",
    "cli.run.playground": (
        "Chưa có token bot: chạy sân thử với dữ liệu mẫu Xã Tây Trà. Mở http://{host}:{port}"
    ),
    "cli.run.playground_data": (
        "Dữ liệu mẫu nằm riêng trong {folder}; dữ liệu thật (sau «tinbao init») không bị trộn."
    ),
    "cli.run.playground_real": (
        "Chưa có token bot: trang thử trò chuyện chạy trên danh sách thật của các xã đã thiết lập."
        " Mở http://{host}:{port}"
    ),
    "cli.run.web": "Trang điều hành: http://{host}:{port}/dashboard (Ctrl+C để dừng).",
    # --- roster file: headers and values (they are also what the importer recognises) --------
    "roster.header.unit": "Đơn vị",
    "roster.header.kind": "Loại đơn vị",
    "roster.header.name": "Họ và tên",
    "roster.header.phone": "Số điện thoại",
    "roster.header.roles": "Vai trò",
    "roster.header.commune": "Xã/phường",
    "roster.sheet_title": "Danh sách",
    "roster.kind.village": "thôn",
    "roster.kind.police": "công an",
    "roster.kind.military": "quân sự",
    "roster.kind.agency": "cơ quan",
    "roster.kind.office": "văn phòng",
    "roster.kind.province": "cấp tỉnh",
    "roster.role.village_head": "trưởng thôn",
    "roster.role.police": "công an",
    "roster.role.militia": "dân quân",
    "roster.role.agency_staff": "cán bộ",
    "roster.role.office_staff": "văn phòng",
    "roster.role.leader": "lãnh đạo",
    "roster.role.admin": "quản trị",
    "roster.role.province_police": "công an tỉnh",
    "roster.role.province_leader": "lãnh đạo tỉnh",
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
    "roster.error.province_role": (
        "vai trò «{role}» chỉ dành cho đơn vị loại «{kind}» (Công an tỉnh, UBND tỉnh)."
    ),
    "roster.error.province_commune": "đơn vị cấp tỉnh không thuộc xã nào: để trống cột Xã/phường.",
    "roster.error.unknown_commune": (
        "không có xã/phường «{value}» trong cài đặt này (đã thiết lập: {choices})."
    ),
    "roster.error.no_commune": (
        "chưa rõ thuộc xã/phường nào: thêm cột «Xã/phường» vào tệp hoặc chọn --commune."
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
    "directive.error.own_instruction_format": (
        "Văn bản của xã «{value}» cần có số, ký hiệu và ngày ban hành, "
        "ví dụ: 180/UBND-VP 03/09/2025."
    ),
    "directive.error.own_instruction_date": "Ở --own-instruction (văn bản của xã): {reason}",
    "directive.error.own_instruction_before": (
        "Văn bản của xã ngày {own} không được trước ngày ban hành văn bản cấp trên ({issued})."
    ),
    "directive.error.own_summary_alone": (
        "Đã có trích yếu văn bản của xã nhưng thiếu số và ngày văn bản (--own-instruction)."
    ),
    "directive.error.own_summary_long": "Trích yếu văn bản của xã dài quá {limit} ký tự.",
    "directive.error.recipient_empty": "Có một dòng Nơi nhận để trống.",
    "directive.error.recipient_long": (
        "Dòng Nơi nhận «{value}…» dài quá {limit} ký tự; hãy tách thành nhiều dòng."
    ),
    "directive.error.recipients_many": "Nơi nhận có quá {limit} dòng.",
    # --- roster, invite, directive and sample commands ----------------------------------------
    "cli.roster.progress": "Đang nhập danh sách",
    "cli.roster.imported": (
        "Đã nhập danh sách: {created} người mới, {updated} người cập nhật, "
        "{unchanged} người không đổi; {units_created} đơn vị mới."
    ),
    "cli.roster.rejected": "Không nhập gì: {count} dòng có lỗi. Hãy sửa tệp rồi nhập lại.",
    "cli.roster.template_written": "Đã tạo tệp mẫu danh sách: {path}",
    "cli.roster.exported": "Đã xuất {count} người ra tệp {path}",
    "cli.roster.status_title": "Nhận tin báo khẩn — {commune}",
    "cli.roster.col.name": "Họ và tên",
    "cli.roster.col.title": "Chức danh",
    "cli.roster.col.phone": "Số điện thoại",
    "cli.roster.col.channels": "Kênh",
    "cli.roster.col.state": "Tình trạng",
    "cli.roster.all_reachable": "Mọi đơn vị và mọi cấp nhận tin báo khẩn đều có người liên lạc được.",
    "cli.roster.no_units": (
        "⚠️ Danh sách chưa có đơn vị nào: không ai nhận được tin báo khẩn (xem: tinbao roster import)."
    ),
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
    "cli.directive.bad_level": "Cấp «{value}» không hợp lệ: chọn commune (xã) hoặc province (tỉnh).",
    "cli.directive.cascaded": "Đã giao cho {count} xã/phường ({created} xã mới nhận).",
    "cli.directive.item_copies": "  Đã giao cho {count} xã/phường.",
    "cli.directive.item_own": "  Văn bản của xã: {number} ngày {issued} — {summary}.",
    "cli.directive.item_recipients": "  Nơi nhận: {lines}.",
    "cli.directive.item_completeness": "  Thân báo cáo ghi tiến độ gửi báo cáo của các đơn vị.",
    "cli.directive.count": "Có {count} chỉ đạo.",
    "cli.sample.seeded": (
        "Đã nạp dữ liệu mẫu {commune}: {created} người mới, {updated} người cập nhật, "
        "{directives} chỉ đạo mới, {history} báo cáo mẫu của các tuần gần đây."
    ),
    "cli.sample.refused": (
        "Không nạp dữ liệu mẫu: cơ sở dữ liệu này đang phục vụ xã thật ({communes}). "
        "Người trong dữ liệu mẫu là bịa ra, không được trộn vào danh sách thật. "
        "Hãy dùng một thư mục dữ liệu khác (DATA_DIR) để chạy thử."
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
    "dialog.urgent_intro": (
        "🚨 Báo tin khẩn. Trả lời nhanh các câu sau; khi anh/chị bấm gửi, Tin Báo gửi ngay "
        "cảnh báo tới Công an xã (không liên lạc được thì tới cấp trên) và báo anh/chị biết "
        "đã báo được ai."
    ),
    "dialog.word_not_here": (
        "«{word}» không dùng được ở bước này. Vui lòng làm theo câu hỏi dưới đây:"
    ),
    "dialog.resumed": "Tiếp tục báo cáo đang làm dở:",
    "dialog.confirm_replace": (
        "Anh/chị đang làm dở «{draft}». Tiếp tục báo cáo đó, hay bỏ nó để bắt đầu «{new}»?"
    ),
    "dialog.cancelled": "Đã huỷ «{title}». Gõ /baocao để bắt đầu lại.",
    "dialog.nothing_to_cancel": "Không có báo cáo nào đang làm. Gõ /baocao để bắt đầu.",
    "dialog.filed": "✅ Đã gửi «{title}» lúc {at} (số {number}). Cảm ơn anh/chị!",
    "dialog.amended": "✅ Đã cập nhật «{title}» lúc {at} (số {number}). Bản cũ vẫn được lưu.",
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
    # --- the alert ladder: who is alerted, escalation, delivery, acknowledgement ----------------
    "alert.level.0": "Công an xã",
    "alert.level.1": "Trưởng Công an xã",
    "alert.level.2": "Ban Chỉ huy quân sự xã",
    "alert.level.3": "Văn phòng và lãnh đạo UBND xã",
    "alert.title.police_head": "Trưởng {unit}",
    "alert.title.military_head": "Chỉ huy trưởng {unit}",
    "alert.title.leader": "lãnh đạo, {unit}",
    "alert.person": "{name} ({title})",
    "alert.phone": "{name} ({title}): {phone}",
    "alert.more_names": "{names} và {count} người khác",
    "alert.nobody": "chưa ai",
    "incident.sending": (
        "🚨 Sự việc số {id}: đang gửi cảnh báo tới {names}. "
        "Tin Báo sẽ báo anh/chị khi cảnh báo đến nơi."
    ),
    "incident.nobody_at": (
        "⚠️ Sự việc số {id}: hiện <b>không liên lạc được với ai ở {level}</b> qua Tin Báo."
    ),
    "incident.call": "📞 Vui lòng gọi ngay: {phones}.",
    "incident.call_nobody": (
        "📞 Danh sách của xã không có số điện thoại của Công an xã: vui lòng báo trực tiếp "
        "cho Công an xã hoặc UBND xã."
    ),
    "incident.told_instead": "Tin Báo đang gửi cảnh báo tới {level}: {names}.",
    "incident.told_nobody": (
        "Tin Báo cũng không liên lạc được với ai khác (Ban CHQS xã, Văn phòng, lãnh đạo xã)."
    ),
    "incident.arrived": "✅ Cảnh báo sự việc số {id} đã đến {channel} của {who} lúc {at}.",
    "incident.escalation.timeout": (
        "⏰ <b>CHƯA AI TIẾP NHẬN</b> tin báo khẩn #{id} sau {minutes} phút "
        "(đã báo: {alerted}). Tin Báo chuyển tới anh/chị.\n"
    ),
    "incident.escalation.unreachable": (
        "⚠️ <b>Không liên lạc được với {levels}</b> về tin báo khẩn #{id}. "
        "Tin Báo chuyển tới anh/chị.\n"
    ),
    "incident.reporter_escalated": (
        "⏰ Sự việc số {id}: sau {minutes} phút chưa ai bấm «Đã tiếp nhận». "
        "Tin Báo đã báo tiếp cho {level}: {names}."
    ),
    "incident.reporter_failed": "⚠️ Sự việc số {id}: cảnh báo <b>không gửi được</b> tới {names}.",
    "incident.reporter_exhausted": (
        "⚠️ Sự việc số {id}: Tin Báo đã báo tất cả các cấp nhưng sau {minutes} phút "
        "<b>chưa ai tiếp nhận</b>."
    ),
    "incident.acknowledged": "✅ Tin báo khẩn #{id} đã được {who} tiếp nhận lúc {at}.",
    "alert.history.step": "Cảnh báo {level}",
    "alert.history.step_timeout": "Chuyển {level} (quá hạn tiếp nhận)",
    "alert.history.step_unreachable": "Chuyển {level} (cấp trước không liên lạc được)",
    "alert.history.nobody": "không liên lạc được với ai",
    "alert.history.delivered": "Cảnh báo đã đến",
    "alert.history.delivered_to": "{name} ({channel})",
    "alert.state.ok": "Liên lạc được",
    "alert.state.blocked": "Đã chặn bot",
    "alert.state.unlinked": "Chưa liên kết",
    "alert.reach.unit_nobody": (
        "⚠️ {unit}: không ai nhận được cảnh báo khẩn ({count} người, chưa ai liên kết "
        "Telegram, Zalo hay trang web, hoặc đã chặn bot)."
    ),
    "alert.reach.level_nobody": "⚠️ {level} ({names}) không nhận được cảnh báo khẩn.",
    "alert.reach.level_missing": "⚠️ Danh sách chưa có {level}: cấp này của cảnh báo bị bỏ qua.",
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
        "hoặc chưa ai ở đơn vị chưa báo cáo liên kết Telegram, Zalo hay trang web (xem "
        "/tiendo và trang điều hành)."
    ),
    "progress.remind_quiet": (
        "Đang trong giờ nghỉ ({hours}): Tin Báo không gửi tin nhắc ban đêm. Vui lòng gõ "
        "/nhacnho lại sau giờ nghỉ."
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
    "report.status.not_expected": "Không giao báo cáo",
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
    "report.recipients.default": (
        "Công an tỉnh (Phòng Quản lý xuất nhập cảnh)\nTT. Đảng ủy, HĐND xã\nCT, các PCT UBND xã\n"
        "Lưu: VT"
    ),
    "report.recipients.archive": "Lưu: VT",
    "report.authority": "UBND {name}",
    "report.proposal": "Đề nghị {addressee} {request}",
    "report.ask": "Đề nghị {text}",
    "report.addressee.police": "Công an tỉnh",
    "report.addressee.military": "Bộ Chỉ huy Quân sự tỉnh",
    "report.addressee.province": "UBND tỉnh",
    "report.outcome": "{count} {label}",
    # The report's body sentences (reports/narrative.py); each is said only when its figures
    # were reported. A placeholder is highlighted in the DOCX for the office to complete.
    "report.body.placeholder": "[Văn phòng bổ sung: {text}]",
    "report.body.no_own_instruction": "số, ngày văn bản chỉ đạo của UBND xã",
    "report.body.no_signer": "họ tên người ký",
    "report.closing.to_province": "Nay UBND {commune} báo cáo để Công an tỉnh nắm, chỉ đạo./.",
    "report.closing.own": "Trên đây là báo cáo của UBND {commune}./.",
    "report.body.no_reports": (
        "chưa có đơn vị nào gửi báo cáo kết quả thực hiện nên chưa có số liệu tổng hợp"
    ),
    "report.body.no_assessment": "đánh giá chung (chưa có số liệu để lập đoạn này)",
    "report.body.no_difficulties": "khó khăn, hạn chế (các đơn vị không nêu khó khăn nào)",
    "report.body.no_proposals": "kiến nghị, đề xuất (các đơn vị không nêu kiến nghị nào)",
    "report.body.footnote": "{kind} số {number} ngày {day} tháng {month} năm {year} của {issuer}",
    "report.body.footnote_about": " về {summary}",
    "report.body.completeness": (
        "Tính đến ngày {as_of}, có {submitted}/{expected} cơ quan, đơn vị, thôn gửi báo cáo kết "
        "quả thực hiện (đạt {pct}), trong đó {on_time} đơn vị gửi đúng hạn, {late} đơn vị gửi "
        "sau hạn ngày {deadline}{missing}."
    ),
    "report.body.completeness_missing": "; còn {count} đơn vị chưa gửi báo cáo ({names})",
    "report.body.completeness_kinds": "Theo loại đơn vị: {kinds}.",
    "report.body.completeness_kind": "{label} {submitted}/{expected}",
    "report.body.completeness_nobody": (
        "Tính đến ngày {as_of}, chưa có đơn vị nào gửi báo cáo kết quả thực hiện "
        "(0/{expected} cơ quan, đơn vị, thôn)."
    ),
    "report.body.residing": "trên địa bàn có {n} người nước ngoài cư trú, làm việc",
    "report.body.residing_none": "trên địa bàn không có người nước ngoài cư trú, làm việc",
    "report.body.residence_checks": "các lực lượng đã kiểm tra cư trú {n} lượt",
    "report.body.propaganda": (
        "Tổ chức {sessions} buổi tuyên truyền trực tiếp tại các thôn{attendees}, góp phần nâng "
        "cao nhận thức, tinh thần cảnh giác của cán bộ, đảng viên và Nhân dân."
    ),
    "report.body.propaganda_attendees": " với {n} lượt người tham dự",
    "report.body.propaganda_none": "Trong kỳ, các đơn vị chưa tổ chức buổi tuyên truyền trực tiếp.",
    "report.body.grassroots": (
        "Phát huy hiệu quả hoạt động của {items} trong việc cung cấp thông tin, phát hiện sớm "
        "các dấu hiệu nghi vấn."
    ),
    "report.body.item.security_teams": "{n} tổ tự quản an ninh",
    "report.body.item.cameras": "{n} camera an ninh",
    "report.body.item.zalo_groups": "{n} nhóm Zalo cộng đồng",
    "report.body.and": " và ",
    "report.body.patrol": "Trong kỳ, tổ chức {patrols} lượt tuần tra, kiểm soát{forces}{checks}.",
    "report.body.patrol_forces": " với {total} lượt người tham gia ({parts})",
    "report.body.patrol_part.patrol_police": "Công an {n}",
    "report.body.patrol_part.patrol_militia": "dân quân {n}",
    "report.body.patrol_part.patrol_security": "an ninh cơ sở {n}",
    "report.body.patrol_checks": "; kiểm tra {items}",
    "report.body.checked.persons_checked": "{n} người",
    "report.body.checked.vehicles_checked": "{n} phương tiện",
    "report.body.checked_foreigners": ", trong đó có {n} người nước ngoài",
    "report.body.tips": "Tiếp nhận {total} tin báo về người, phương tiện khả nghi: {outcomes}.",
    "report.body.tips_false": (
        "Tiếp nhận {total} tin báo về người, phương tiện khả nghi: {outcomes}; qua xác minh, "
        "{false} tin không chính xác."
    ),
    "report.body.tips_all_false": (
        "Tiếp nhận {total} tin báo về người, phương tiện khả nghi; qua xác minh, các tin báo "
        "đều không chính xác."
    ),
    "report.body.tip_count.new": "{n} tin chưa được tiếp nhận",
    "report.body.tip_count.received": "{n} tin đã tiếp nhận, đang xử lý",
    "report.body.tip_count.verifying": "{n} tin đang xác minh",
    "report.body.tip_count.handled": "{n} tin đã xử lý",
    "report.body.tip_line": "- Ngày {date}, {unit} báo tin {what}; {status}.",
    "report.body.tip_what.doi_tuong_kha_nghi": "phát hiện {n} người khả nghi",
    "report.body.tip_what.nhat_ky_tuan_tra": "qua tuần tra phát hiện {n} người có dấu hiệu nghi vấn",
    "report.body.tip_what.other": "có {n} người có dấu hiệu nghi vấn",
    "report.body.tip_what_unknown.doi_tuong_kha_nghi": "phát hiện người khả nghi",
    "report.body.tip_what_unknown.nhat_ky_tuan_tra": "qua tuần tra phát hiện dấu hiệu nghi vấn",
    "report.body.tip_what_unknown.other": "có dấu hiệu nghi vấn",
    "report.body.tip_status.new": "chưa được tiếp nhận, xác minh",
    "report.body.tip_status.received": "đã tiếp nhận, đang xử lý",
    "report.body.tip_status.verifying": "đang xác minh",
    "report.body.tip_status.handled": "đã xử lý",
    "report.body.cases": "Các đơn vị phát hiện {detected} vụ việc liên quan đến xuất nhập cảnh trái phép{handled}.",
    "report.body.cases_handled": ", đã xử lý {n} vụ việc",
    "report.body.no_cases": "Chưa phát hiện trường hợp xuất, nhập cảnh trái phép{propaganda}.",
    "report.body.no_cases_propaganda": (
        "; tổ chức tuyên truyền, phổ biến dấu hiệu nhận biết hành vi vi phạm cho người dân"
    ),
    "report.body.assess.all_on_time": (
        "Các cơ quan, đơn vị, thôn đã triển khai thực hiện và báo cáo kết quả đầy đủ, đúng "
        "thời hạn."
    ),
    "report.body.assess.all_some_late": (
        "Các cơ quan, đơn vị, thôn đã triển khai thực hiện và báo cáo kết quả đầy đủ; một số "
        "đơn vị báo cáo chưa đúng thời hạn."
    ),
    "report.body.assess.most": (
        "Phần lớn các cơ quan, đơn vị, thôn đã triển khai thực hiện và báo cáo kết quả; một số "
        "đơn vị chưa báo cáo, cần tiếp tục đôn đốc."
    ),
    "report.body.assess.few": (
        "Việc báo cáo kết quả thực hiện còn chậm, nhiều cơ quan, đơn vị, thôn chưa báo cáo; cần "
        "tiếp tục đôn đốc."
    ),
    "report.body.assess.propaganda": "Công tác tuyên truyền được triển khai với {sessions} buổi{attendees}.",
    "report.body.assess.propaganda_attendees": ", {n} lượt người tham dự",
    "report.body.assess.joint_patrol": (
        "Công an xã, Ban CHQS xã và lực lượng an ninh cơ sở phối hợp duy trì tuần tra, kiểm "
        "soát ({patrols} lượt trong kỳ)."
    ),
    "report.body.assess.patrol": "Duy trì tuần tra, kiểm soát với {patrols} lượt trong kỳ.",
    "report.body.assess.calm": (
        "Tình hình an ninh, trật tự liên quan đến xuất nhập cảnh trên địa bàn cơ bản ổn định; "
        "chưa phát hiện trường hợp xuất, nhập cảnh trái phép."
    ),
    "report.body.assess.tips_done": "Các tin báo của Nhân dân đều đã được tiếp nhận, xác minh, xử lý.",
    "report.body.assess.tips_open": (
        "Còn {n} tin báo về người, phương tiện khả nghi chưa xử lý xong, đang tiếp tục xác "
        "minh, làm rõ."
    ),
    "report.body.assess.cases_open": "Còn {n} vụ việc liên quan đến xuất nhập cảnh trái phép đang tiếp tục xử lý.",
    "report.body.assess.cases_done": "Các vụ việc phát hiện trong kỳ đều đã được xử lý.",
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
    "report.xlsx.sheet.info": "Thông tin chung",
    "report.xlsx.annex.label": "Phụ lục",
    "report.xlsx.annex.title": "Số liệu {title} theo từng đơn vị",
    "report.xlsx.annex.attached": (
        "(Kèm theo Báo cáo số        /BC-UBND ngày {day} tháng {month} năm {year} của {authority})"
    ),
    "report.xlsx.annex.period": "Kỳ báo cáo: {period}; số liệu tính đến {as_of}.",
    "report.xlsx.annex.empty_note": (
        "Ô để trống: đơn vị chưa báo cáo số liệu đó (không phải số 0). Tổng cộng chỉ cộng "
        "số liệu các đơn vị đã báo cáo."
    ),
    "report.xlsx.group.results": "Kết quả thực hiện",
    "report.xlsx.group.patrol": "Tuần tra, kiểm soát (theo nhật ký tuần tra)",
    "report.xlsx.total": "Tổng cộng",
    "report.xlsx.col.report_status": "Tình trạng báo cáo",
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
    "report.summary.propaganda": "• Tuyên truyền: {items}",
    "report.summary.propaganda.sessions": "{value} buổi",
    "report.summary.propaganda.attendees": "{value} lượt người dự",
    "report.summary.grassroots": "• Cơ sở: {items}",
    "report.summary.grassroots.teams": "{value} tổ tự quản",
    "report.summary.grassroots.cameras": "{value} camera",
    "report.summary.grassroots.zalo": "{value} nhóm Zalo",
    "report.summary.patrol": "• Tuần tra: {items}",
    "report.summary.patrol.patrols": "{value} lượt",
    "report.summary.patrol.forces": "{value} lượt người",
    "report.summary.patrol.persons": "kiểm tra {value} người",
    "report.summary.patrol.vehicles": "{value} phương tiện",
    "report.summary.cases": "• Vụ việc đơn vị báo: {items}",
    "report.summary.cases.detected": "phát hiện {value}",
    "report.summary.cases.handled": "đã xử lý {value}",
    "report.no_data": "chưa có số liệu",
    "report.summary.incidents": "• Tin báo: {total} ({outcomes})",
    "report.summary.no_incidents": "• Tin báo: chưa có",
    "report.summary.remarks": "• Khó khăn: {difficulties} ý kiến · đề xuất: {proposals} ý kiến",
    "report.summary.overdue": "<b>Quá hạn, chưa gửi ({count}):</b> {names}",
    "report.summary.missing": "<b>Chưa gửi ({count}):</b> {names}",
    "report.summary.more": "… và {count} đơn vị khác",
    # --- the province roll-up (Công an tỉnh, UBND tỉnh) ---------------------------------------
    "province.summary.title": "🏛 <b>Tổng hợp toàn tỉnh {number}</b>",
    "province.summary.period": "Kỳ: {period} · hạn xã, phường gửi báo cáo: {deadline}",
    "province.summary.communes": (
        "<b>Xã, phường đã gửi báo cáo:</b> {submitted}/{expected} ({pct}) — {on_time} đúng hạn, "
        "{late} trễ hạn; còn {missing} chưa gửi."
    ),
    "province.summary.units": (
        "<b>Đơn vị cơ sở đã báo cáo xã:</b> {submitted}/{expected} ({pct})."
    ),
    "province.summary.figures": "<b>Số liệu từ {count} báo cáo xã đã gửi:</b>",
    "province.summary.no_figures": (
        "<b>Số liệu:</b> chưa có xã, phường nào gửi báo cáo nên chưa có số liệu tổng hợp."
    ),
    "province.summary.waiting": "<b>Chưa gửi báo cáo ({count}):</b> {names}",
    "province.summary.overdue": "<b>Quá hạn, chưa gửi báo cáo ({count}):</b> {names}",
    "province.summary.waiting_item": "{name} ({submitted}/{expected} đơn vị)",
    "province.summary.more": "… và {count} xã, phường khác",
    "province.report.authority": "tỉnh {name}",
    "province.report.title": "Tổng hợp {subject} của các xã, phường",
    "province.report.addressee": "Bộ Công an",
    "province.report.recipients": (
        "Bộ Công an (b/c)\nThường trực Tỉnh ủy (b/c)\nThường trực HĐND tỉnh (b/c)\n"
        "CT, các PCT UBND tỉnh\nCông an tỉnh\nUBND các xã, phường\nLưu: VT"
    ),
    "province.report.more": " và {count} xã, phường khác",
    "province.report.nobody": (
        "Đến ngày {as_of}, chưa có xã, phường nào trong tổng số {expected} xã, phường gửi báo "
        "cáo kết quả thực hiện."
    ),
    "province.report.answered": (
        "Đến ngày {as_of}, có {submitted}/{expected} xã, phường ({pct}) gửi báo cáo kết quả "
        "thực hiện, trong đó {on_time} đúng hạn, {late} trễ hạn."
    ),
    "province.report.missing": "Còn {count} xã, phường chưa gửi báo cáo: {names}.",
    "province.report.units": (
        "Tại các xã, phường, {submitted}/{expected} cơ quan, đơn vị, thôn ({pct}) đã báo cáo kết"
        " quả về UBND xã, phường."
    ),
    "province.report.tips_in": "{commune} {n} tin",
    "province.report.tips": (
        "Các xã, phường tiếp nhận {total} tin báo về người, phương tiện khả nghi tại {communes} "
        "xã, phường ({where}); còn {open} tin đang xác minh, xử lý."
    ),
    "province.report.tips_false": "Ngoài ra có {n} tin báo được xác minh là không chính xác.",
    "province.report.assess.all": (
        "Các xã, phường đã triển khai thực hiện và báo cáo kết quả đầy đủ."
    ),
    "province.report.assess.most": (
        "Phần lớn các xã, phường đã triển khai thực hiện và báo cáo kết quả; một số xã, phường"
        " chưa báo cáo, cần tiếp tục đôn đốc."
    ),
    "province.report.assess.few": (
        "Việc báo cáo kết quả của các xã, phường còn chậm, nhiều xã, phường chưa báo cáo; cần "
        "tiếp tục đôn đốc."
    ),
    "province.report.assess.propaganda": (
        "Công tác tuyên truyền được các xã, phường triển khai với {sessions} buổi."
    ),
    "province.report.assess.patrol": (
        "Lực lượng các xã, phường duy trì tuần tra, kiểm soát với {patrols} lượt trong kỳ."
    ),
    "province.report.assess.tips_open": (
        "Còn {n} tin báo về người, phương tiện khả nghi đang được xác minh, xử lý."
    ),
    "province.xlsx.title": "Tổng hợp kết quả báo cáo của các xã, phường",
    "province.xlsx.attached": "(Kèm theo Báo cáo số      /BC-UBND ngày {day} tháng {month} năm {year} của UBND {authority})",
    "province.xlsx.col.commune": "Xã, phường",
    "province.xlsx.col.sent_at": "Ngày gửi",
    "province.xlsx.col.units_expected": "Đơn vị phải báo cáo",
    "province.xlsx.col.units_submitted": "Đơn vị đã báo cáo",
    "province.xlsx.col.units_on_time": "Đơn vị đúng hạn",
    "province.xlsx.col.tips": "Tin báo (đến nay)",
    "province.xlsx.sheet.tips": "Tin báo",
    "province.xlsx.sheet.remarks": "Khó khăn - Đề xuất",
    "province.status.on_time": "Đã gửi, đúng hạn",
    "province.status.late": "Đã gửi, trễ hạn",
    "province.status.missing": "Chưa gửi",
    "answers.before": (
        "📤 Ngày mai ({deadline}) là hạn gửi báo cáo {number} lên tỉnh; xã chưa gửi. Bấm để xem"
        " tổng hợp và gửi."
    ),
    "answers.due": (
        "📤 Hôm nay ({deadline}) là hạn gửi báo cáo {number} lên tỉnh; xã chưa gửi. Bấm để xem"
        " tổng hợp và gửi."
    ),
    "answers.overdue": (
        "⏰ Báo cáo {number} đã quá hạn gửi lên tỉnh ({deadline}); xã vẫn chưa gửi. Bấm để xem"
        " tổng hợp và gửi."
    ),
    "answers.button": "📊 Tổng hợp và gửi",
    "answers.province_late": (
        "⏰ Còn {count}/{total} xã, phường chưa gửi báo cáo {number} (hạn {deadline}): {names}."
    ),
    "province.none_open": "Hiện không có chỉ đạo nào của tỉnh đang cần tổng hợp.",
    "province.docx_caption": "📄 Dự thảo báo cáo tổng hợp các xã, phường (DOCX)",
    "province.xlsx_caption": "📊 Phụ lục tổng hợp theo từng xã, phường (XLSX)",
    "province.send.offer": "Báo cáo này trả lời chỉ đạo của tỉnh. Khi đã kiểm tra xong:",
    "province.send.button": "📤 Gửi báo cáo lên tỉnh",
    "province.send.confirm": (
        "Gửi báo cáo {number} của xã lên tỉnh? Tỉnh sẽ nhận số liệu như đang tổng hợp lúc này."
    ),
    "province.send.confirm_again": (
        "Xã đã gửi báo cáo {number}. Gửi lại bản cập nhật (lần {version})? Tỉnh sẽ nhận số liệu"
        " như đang tổng hợp lúc này; ngày gửi đầu tiên vẫn được giữ."
    ),
    "province.send.yes": "📤 Gửi lên tỉnh",
    "province.send.no": "✖️ Chưa gửi",
    "province.send.not_now": "Chưa gửi. Gõ /summary để xem lại và gửi khi sẵn sàng.",
    "province.send.toast": "Đã gửi lên tỉnh",
    "province.send.done": "📤 Đã gửi báo cáo {number} lên tỉnh lúc {at} (lần {version}).",
    "province.send.late": "Lần gửi đầu tiên sau hạn của tỉnh: tỉnh ghi nhận là trễ hạn.",
    "province.send.told": "Đã báo tới: {names}.",
    "province.send.nobody": (
        "Cấp tỉnh chưa có ai liên kết Tin Báo nên chưa ai được nhắn; báo cáo đã được ghi nhận"
        " và hiện trên trang tổng hợp của tỉnh."
    ),
    "province.send.news": (
        "📥 <b>{commune}</b> đã gửi báo cáo {number} lúc {at} (lần {version}); "
        "{submitted}/{expected} đơn vị của xã đã báo cáo."
    ),
    "province.send.news_late": (
        "📥 <b>{commune}</b> đã gửi báo cáo {number} lúc {at} (lần {version}, trễ hạn); "
        "{submitted}/{expected} đơn vị của xã đã báo cáo."
    ),
    "cli.report.no_directive": "{commune} không có văn bản «{number}» (xem: tinbao directive list).",
    "cli.report.not_a_copy": (
        "Văn bản {number} không phải chỉ đạo của tỉnh giao cho xã: không có gì để gửi lên tỉnh."
    ),
    "cli.report.sent": "Đã gửi báo cáo lên tỉnh (lần {version}).",
    "cli.report.told": "Đã báo tới: {names}.",
    "cli.report.told_nobody": "chưa ai ở cấp tỉnh liên kết Tin Báo",
    "cli.report.no_province_directive": (
        "Không có chỉ đạo cấp tỉnh số «{number}» (xem: tinbao directive list --province)."
    ),
    "cli.report.province_done": (
        "Đã lập báo cáo tổng hợp {number}: {submitted}/{expected} xã, phường đã gửi báo cáo. "
        "{docx} và {xlsx}"
    ),
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
