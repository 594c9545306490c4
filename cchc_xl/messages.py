"""Problem messages in Vietnamese (default) and English, each saying how to fix it."""

from __future__ import annotations

import string

# code: (Vietnamese, English). Fields: {value} and the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    # files and structure
    "file-missing": (
        "Không có tệp {file}: kiểm tra tên tệp và thư mục (có thể tệp đã được đổi tên hoặc "
        "chuyển đi).",
        "There is no file {file}: check its name and folder (it may have been renamed or "
        "moved).",
    ),
    "file-unreadable": (
        "Không mở được tệp: {reason}. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi chạy lại.",
        "Cannot open the file: {reason}. Open it in Excel, save it as .xlsx and run again.",
    ),
    "sheet-missing": (
        "Thiếu sheet «{sheet_name}». Hãy lấy lại sheet này từ bản sao lưu hoặc từ mẫu "
        "workbooks/template.xlsx.",
        "Sheet '{sheet_name}' is missing. Restore it from a backup or from "
        "workbooks/template.xlsx.",
    ),
    "column-missing": (
        "Không tìm thấy cột «{label}» ở dòng tiêu đề. Đặt lại đúng tên cột như trong mẫu.",
        "Column '{label}' not found in the header row. Restore the column title as in the "
        "template.",
    ),
    # a run that cannot go on (failures.py)
    "master-exists": (
        "Tệp {path} đã có. Chọn tên khác, hoặc thêm --force để ghi đè (bản cũ được sao lưu vào "
        "thư mục sao-luu).",
        "{path} already exists. Choose another name, or add --force to overwrite it (the old "
        "file is backed up into the sao-luu folder).",
    ),
    "master-locked": (
        "Sổ đang mở trong Excel hoặc LibreOffice, hoặc đang được một lần chạy khác ghi ({lock}): "
        "không ghi gì. Đóng sổ ở cửa sổ hoặc máy kia (hoặc chờ lần chạy kia xong) rồi chạy lại.",
        "The master is open in Excel or LibreOffice, or another run is writing it ({lock}): "
        "nothing was written. Close it in the other window or on the other PC (or wait for "
        "that run to end) and run again.",
    ),
    "demo-folder-not-empty": (
        "Thư mục {dir} không trống (có thể đang chứa sổ hoặc phiếu thật): ví dụ chỉ chạy trong "
        "thư mục mới hoặc thư mục trống, để không ghi đè hay xóa gì. Chọn một thư mục mới, ví dụ "
        "«cchc-xl demo cchc-demo-2», hoặc làm trống thư mục này rồi chạy lại. Không có tệp nào "
        "bị ghi.",
        "Folder {dir} is not empty (it may hold a real master or returns): the demo runs only "
        "in a new or empty folder, so that it overwrites or deletes nothing. Choose a new "
        "folder, e.g. 'cchc-xl demo cchc-demo-2', or empty this one and run again. Nothing was "
        "written.",
    ),
    "libreoffice-missing": (
        "Không tìm thấy LibreOffice để xuất PDF. Cài LibreOffice (hoặc đặt biến CCHC_SOFFICE là "
        "đường dẫn soffice) rồi chạy lại, hoặc bỏ --pdf.",
        "LibreOffice was not found, so no PDF can be made. Install LibreOffice (or set "
        "CCHC_SOFFICE to the soffice path) and run again, or leave out --pdf.",
    ),
    "rename-refused": (
        "Không đổi tên được: đã có {path} (hoặc sổ đang mở trong Excel). Đóng Excel, chọn tên "
        "khác rồi đổi tên bằng tay.",
        "Cannot rename: {path} exists (or the master is open in Excel). Close Excel, pick "
        "another name and rename it by hand.",
    ),
    "companion-exists": (
        "Đã có tệp {path} không do cchc-xl tạo. Đổi tên tệp đó, hoặc chạy lại với --force để "
        "ghi đè.",
        "{path} exists and was not written by cchc-xl. Rename it, or run again with --force to "
        "overwrite it.",
    ),
    "master-name-unusable": (
        "Tên tệp «{file}» không dùng được với nút Run main: Excel chạy «import {stem}», nên tên "
        "sổ phải là một tên module Python, {why}.\nĐổi tên tệp thành «{suggestion}» (đóng Excel "
        "trước), bằng chuột phải > Đổi tên, hoặc bằng lệnh:\n    {command}\nhoặc chạy lại lệnh "
        "này với --rename để công cụ tự đổi tên.",
        "The file name '{file}' cannot work with the Run main button: Excel runs 'import "
        "{stem}', so the name must be a Python module name, {why}.\nRename the file to "
        "'{suggestion}' (close Excel first), or with:\n    {command}\nor run this command "
        "again with --rename to rename it.",
    ),
    "master-not-xlsx": (
        "Sổ phải là tệp .xlsx (không phải {suffix}): mở trong Excel, chọn Lưu thành «Excel "
        "Workbook (*.xlsx)» với tên {suggestion}.",
        "The master must be an .xlsx file (not {suffix}): in Excel, Save As 'Excel Workbook "
        "(*.xlsx)' named {suggestion}.",
    ),
    "cannot-read": ("Không đọc được {path}: {reason}", "Cannot read {path}: {reason}"),
    "save-failed": (
        "Không ghi được {path} ({why}): tệp cũ vẫn nguyên. Giải phóng chỗ trống hoặc kiểm tra "
        "quyền ghi của thư mục rồi chạy lại.",
        "Cannot write {path} ({why}): the old file is unchanged. Free some space or check the "
        "folder's permissions, then run again.",
    ),
    "master-read-only": (
        "Sổ {path} chỉ đọc (hoặc thư mục của sổ không ghi được): không ghi gì. Bỏ thuộc tính "
        "chỉ đọc (Properties › Read-only) hoặc chép sổ vào thư mục ghi được rồi chạy lại.",
        "The master {path} is read-only (or its folder cannot be written): nothing was "
        "written. Clear its read-only attribute or copy it into a folder you can write, then "
        "run again.",
    ),
    "unexpected-error": (
        "Lỗi không lường trước: {error}. Chạy lại lệnh với --debug để xem chi tiết, rồi gửi cho "
        "người hỗ trợ.",
        "Unexpected error: {error}. Run the command again with --debug for the details and "
        "send them to support.",
    ),
    # formulas
    "formula-missing": (
        "Ô này phải là công thức {expected} nhưng đang để trống. Chạy «cchc-xl validate --fix» "
        "để đặt lại công thức.",
        "This cell must hold the formula {expected} but is empty. Run 'cchc-xl validate --fix' "
        "to restore it.",
    ),
    "formula-overwritten": (
        "Công thức {expected} đã bị gõ đè bằng giá trị «{value}». Chạy «cchc-xl validate --fix» "
        "để đặt lại công thức (giá trị cũ được ghi vào chú thích ô).",
        "The formula {expected} was typed over with the value '{value}'. Run "
        "'cchc-xl validate --fix' to restore it (the old value is kept in a cell comment).",
    ),
    "formula-wrong": (
        "Công thức {value} không đúng; ô này phải là {expected} (có thể do chèn, xóa hoặc sắp "
        "xếp dòng). Chạy «cchc-xl validate --fix» để sửa.",
        "Formula {value} is wrong; this cell must be {expected} (rows were probably inserted, "
        "deleted or sorted). Run 'cchc-xl validate --fix' to repair it.",
    ),
    "formula-error": (
        "Công thức cho kết quả lỗi {error}. Kiểm tra các ô mà công thức tham chiếu.",
        "The formula gives the error {error}. Check the cells it refers to.",
    ),
    "total-row-missing": (
        "Không tìm thấy dòng «{label}» cuối bảng kế hoạch. Chạy «cchc-xl validate --fix» để "
        "thêm lại dòng tổng và công thức của nó.",
        "The '{label}' row at the end of the plan is missing. Run 'cchc-xl validate --fix' to "
        "add the total row and its formulas back.",
    ),
    "recalc-mismatch": (
        "LibreOffice tính ra {other}, công cụ tính ra {expected}. Hãy báo lỗi này cho nhóm phát "
        "triển kèm tệp.",
        "LibreOffice computes {other} here, the tool computes {expected}. Please report this "
        "with the file.",
    ),
    "recalc-unavailable": (
        "Không tìm thấy LibreOffice nên không thể tính lại bằng LibreOffice (--recalc). Cài "
        "LibreOffice rồi chạy lại.",
        "LibreOffice not found, so --recalc could not run. Install LibreOffice and run again.",
    ),
    # numbers
    "not-a-number": (
        "«{value}» là chữ, không phải số. Gõ lại con số như Excel của máy này ghi số thập phân "
        "(Excel đặt tiếng Việt dùng dấu phẩy: 0,5; đặt tiếng Anh dùng dấu chấm: 0.5){hint}: "
        "công cụ đọc con số trong ô, không đọc chữ.",
        "'{value}' is text, not a number. Type the number again as this computer's Excel "
        "writes decimals (a Vietnamese-locale Excel uses a comma: 0,5; an English one a dot: "
        "0.5){hint}: the tool reads the number in the cell, not text.",
    ),
    "number-missing": (
        "Thiếu {label}. Nhập số điểm.",
        "{label} is missing. Enter the points.",
    ),
    "appraised-out-of-range": (
        "Điểm thẩm định {value} nằm ngoài khoảng 0 đến điểm chuẩn {max_points}.",
        "Appraised points {value} are outside 0 to the maximum {max_points}.",
    ),
    "max-not-positive": (
        "Điểm chuẩn {value} phải lớn hơn 0.",
        "Maximum points {value} must be greater than 0.",
    ),
    "children-max-exceeds-parent": (
        "Tổng điểm chuẩn của các tiêu chí con ({children}) lớn hơn điểm chuẩn của mục {code} "
        "({value}). Kiểm tra lại điểm chuẩn.",
        "The maximum points of the criteria under item {code} add up to {children}, more than "
        "its own maximum of {value}. Check the maximum points.",
    ),
    "lost-children-mismatch": (
        "Điểm bị mất của mục {code} là {value} nhưng tổng điểm bị mất của các tiêu chí con là "
        "{children} (chênh {difference}). Kiểm tra điểm thẩm định hoặc bổ sung tiêu chí còn "
        "thiếu.",
        "Points lost by item {code}: {value}; by the criteria under it: {children} in total "
        "(difference {difference}). Check the appraised points or add the missing criteria.",
    ),
    "lost-differs-from-document": (
        "Văn bản ghi điểm bị mất là {stated} nhưng điểm chuẩn − điểm thẩm định = {computed}. "
        "Sổ giữ công thức; hãy kiểm tra lại với văn bản gốc.",
        "The document states {stated} points lost but maximum − appraised = {computed}. The "
        "master keeps the formula; check against the original document.",
    ),
    # tree
    "code-missing": (
        "Dòng có nội dung nhưng không có mã (STT). Nhập mã tiêu chí, ví dụ 1.2.",
        "The row has content but no code (STT). Enter the criterion code, e.g. 1.2.",
    ),
    "code-not-text": (
        "Mã {value} đang lưu dạng số; mã phải là chữ (7.10 khác 7.1). Định dạng ô là Text rồi gõ "
        "lại mã.",
        "Code {value} is stored as a number; codes must be text (7.10 is not 7.1). Format the "
        "cell as Text and type the code again.",
    ),
    "code-malformed": (
        "Mã «{value}» không đúng dạng (ví dụ đúng: 3, 3.2, 3.2.1).",
        "Code '{value}' is malformed (valid: 3, 3.2, 3.2.1).",
    ),
    "code-duplicate": (
        "Mã {value} bị trùng với dòng {other_row}. Mỗi tiêu chí chỉ có một dòng.",
        "Code {value} duplicates row {other_row}. Each criterion has one row.",
    ),
    "parent-missing": (
        "Không có dòng của tiêu chí cha {parent} cho mã {value}. Thêm dòng {parent} phía trên.",
        "There is no row for the parent {parent} of code {value}. Add row {parent} above it.",
    ),
    "code-order": (
        "Mã {value} đứng sau {previous}: các dòng phải theo thứ tự mã. Di chuyển dòng về đúng "
        "chỗ (rồi chạy --fix để sửa công thức).",
        "Code {value} comes after {previous}: rows must be in code order. Move the row back "
        "(then run --fix to repair formulas).",
    ),
    # plan
    "action-missing": (
        "Tiêu chí {code} bị mất điểm nhưng chưa có giải pháp.",
        "Criterion {code} lost points but has no action.",
    ),
    "lead-missing": (
        "Tiêu chí {code} bị mất điểm nhưng chưa có cơ quan chủ trì.",
        "Criterion {code} lost points but has no lead.",
    ),
    "timeframe-missing": (
        "Tiêu chí {code} bị mất điểm nhưng chưa có thời gian thực hiện.",
        "Criterion {code} lost points but has no time frame.",
    ),
    "timeframe-unparsed": (
        "Không đọc được thời hạn từ «{value}», nên dòng này không có hạn hoàn thành. Viết dạng "
        "«Trong năm 2021», «Quý II/2021», «Tháng 6/2021» hoặc «30/6/2021» (hạn hoàn thành "
        "được tính từ thời gian thực hiện), hoặc chuyển nội dung này sang cột Ghi chú và nhập "
        "ngày vào cột Hạn hoàn thành.",
        "Cannot read a deadline from '{value}', so this row has no deadline. Write e.g. "
        "'Trong năm 2021', 'Quý II/2021', 'Tháng 6/2021' or '30/6/2021' (the deadline is "
        "computed from the time frame), or move this text to the note column (Ghi chú) and "
        "enter a date in the deadline column.",
    ),
    # deadlines kept in step with the time frame (cchc_xl/master/deadlines.py)
    "deadline-stale": (
        "Hạn hoàn thành không khớp với thời gian thực hiện «{timeframe}»: hạn đúng là "
        "{expected}. Chạy «cchc-xl validate --fix» để đặt lại hạn theo thời gian thực hiện "
        "(mỗi lần tổng hợp và tạo phiếu cũng tự đặt lại). Nếu hạn phải là ngày khác, hãy sửa "
        "thời gian thực hiện, ví dụ «30/6/2021».",
        "The deadline does not match the time frame '{timeframe}': it should be {expected}. "
        "Run 'cchc-xl validate --fix' to set it again from the time frame (every "
        "consolidation and fill does so too). If the deadline must be another date, change "
        "the time frame instead, e.g. '30/6/2021'.",
    ),
    "not-a-date": (
        "«{value}» không phải ngày. Nhập ngày dạng dd/mm/yyyy.",
        "'{value}' is not a date. Enter a date as dd/mm/yyyy.",
    ),
    "role-unknown": (
        "«{part}» không khớp vai trò nào trong sheet Cán bộ. Thêm cách viết này vào cột «Cách "
        "viết trong kế hoạch» của đúng vai trò.",
        "'{part}' matches no role in the roster. Add this spelling to the aliases column of the "
        "right role.",
    ),
    "alias-ambiguous": (
        "Cách viết «{value}» có ở cả vai trò {roles}. Mỗi cách viết chỉ thuộc một vai trò.",
        "The spelling '{value}' belongs to several roles: {roles}. Each spelling must belong to "
        "one role.",
    ),
    "roster-role-duplicate": (
        "Vai trò «{value}» bị trùng với dòng {other_row}.",
        "Role '{value}' duplicates row {other_row}.",
    ),
    "roster-person-missing": (
        "Vai trò «{role}» chưa có họ tên cán bộ.",
        "Role '{role}' has no person.",
    ),
    "roster-email-missing": (
        "Vai trò «{role}» chưa có email. Nhập email để gửi phiếu.",
        "Role '{role}' has no email. Enter one so its workbook can be sent.",
    ),
    "roster-email-invalid": (
        "Email «{value}» của vai trò «{role}» không hợp lệ.",
        "Email '{value}' of role '{role}' is not valid.",
    ),
    "status-invalid": (
        "Trạng thái «{value}» không hợp lệ; chọn một trong: {allowed}.",
        "Status '{value}' is not allowed; choose one of: {allowed}.",
    ),
    "progress-out-of-range": (
        "Tiến độ {value} phải từ 0 đến 100.",
        "Progress {value} must be between 0 and 100.",
    ),
    "expected-out-of-range": (
        "Điểm dự kiến {value} phải từ 0 đến điểm chuẩn {max_points}.",
        "Expected points {value} must be between 0 and the maximum {max_points}.",
    ),
    "setting-invalid": (
        "Giá trị «{value}» của «{label}» không hợp lệ: {reason}.",
        "Value '{value}' of '{label}' is not valid: {reason}.",
    ),
    "rating-thresholds-invalid": (
        "Thang xếp loại phải là số từ 0 đến 100, giảm dần từ trên xuống.",
        "Rating thresholds must be numbers from 0 to 100, decreasing downwards.",
    ),
    # the inbox and returned workbooks
    # the inbox: what is not read, and bounds on what is
    "file-not-regular": (
        "Bỏ qua {file}: đây là {kind}, không phải tệp thông thường, nên không đọc. Xóa nó khỏi "
        "thư mục phiếu nhận; nếu cần tổng hợp phiếu, chép chính tệp phiếu vào thư mục.",
        "Ignored {file}: it is {kind}, not a regular file, so it was not read. Remove it from "
        "the inbox; to consolidate a return, copy the workbook itself into the folder.",
    ),
    "folder-too-deep": (
        "Thư mục {file} nằm sâu quá {limit} cấp trong thư mục phiếu nhận: không đọc gì trong "
        "đó. Chuyển các phiếu trong đó lên gần thư mục phiếu nhận hơn rồi chạy lại.",
        "Folder {file} lies more than {limit} levels deep in the inbox: nothing in it was "
        "read. Move the returns in it closer to the inbox folder and run again.",
    ),
    "folder-backups": (
        "Không đọc thư mục {file}: «sao-luu» là tên thư mục công cụ dùng để giữ các bản sao "
        "lưu của sổ theo dõi, không phải phiếu. Nếu trong đó có phiếu cán bộ gửi về, chuyển "
        "chúng ra thư mục phiếu nhận (hoặc đổi tên thư mục) rồi chạy lại.",
        "Folder {file} was not read: 'sao-luu' is the name of the folder where the tool keeps "
        "the master's backups, which are not returns. If returns the officers sent are in it, "
        "move them into the inbox folder (or rename the folder) and run again.",
    ),
    "eml-too-complex": (
        "Thư {file} có cấu trúc bất thường ({reason}): không mở để bảo vệ máy. Mở thư, lưu "
        "các tệp phiếu đính kèm vào thư mục phiếu nhận rồi chạy lại.",
        "The e-mail {file} is built unusually ({reason}): not opened, to protect this "
        "computer. Open it, save the attached workbooks into the inbox folder and run again.",
    ),
    "members-not-read": (
        "{kind} {file} có {count} tệp không phải phiếu nên không đọc ({names}). {advice}",
        "{kind} {file} holds {count} file(s) that are not returns and were not read ({names}). "
        "{advice}",
    ),
    "zip-too-many-workbooks": (
        "Tệp nén {file} chứa {count} tệp phiếu, quá giới hạn {limit} cho một tệp nén: không "
        "đọc tệp nào trong đó. Kiểm tra lại tệp nén (có thể gửi nhầm), hoặc giải nén vào thư "
        "mục phiếu nhận rồi chạy lại.",
        "The archive {file} holds {count} workbooks, more than the {limit} one archive may "
        "hold: none of them was read. Check the archive (it may have been sent by mistake), "
        "or extract it into the inbox folder and run again.",
    ),
    "container-changed": (
        "Không đọc {file}: tệp chứa phiếu này đã thay đổi trong lúc tổng hợp (đang được chép "
        "hoặc lưu lại). Chạy lại lệnh tổng hợp khi tệp đã chép xong.",
        "{file} was not read: the file holding it changed during the consolidation (it was "
        "still being copied or saved). Run the consolidation again once it is complete.",
    ),
    "ods-too-large": (
        "Tệp {file} (.ods) có sheet «{sheet_name}» dùng tới dòng {rows}, cột {columns}: quá "
        "lớn để đọc an toàn (phiếu chỉ vài chục dòng), nên không đọc. Đề nghị cán bộ xóa các "
        "dòng và cột thừa cuối sheet rồi lưu (hoặc nhập vào tệp phiếu .xlsx đã nhận) và gửi "
        "lại.",
        "{file} (.ods) has a sheet, '{sheet_name}', used down to row {rows} and across to "
        "column {columns}: too large to read safely (a return has a few dozen rows), so it was "
        "not read. Ask the officer to delete the extra rows and columns at the end of the "
        "sheet and save (or fill in the .xlsx workbook they were sent), and send it again.",
    ),
    "inbox-missing": (
        "Không có thư mục {file}: không đọc phiếu nào, sổ không thay đổi. Kiểm tra lại đường "
        "dẫn thư mục phiếu gửi về.",
        "Folder {file} does not exist: no return was read and the master is unchanged. Check "
        "the path of the inbox folder.",
    ),
    "inbox-holds-master": (
        "Thư mục phiếu nhận {file} chứa cả sổ theo dõi {master} (cùng phiếu đã tạo, báo cáo, "
        "bản sao lưu cạnh sổ): không đọc phiếu nào. Để các phiếu cán bộ gửi về trong một thư "
        "mục riêng, ví dụ «phieu-nhan» cạnh sổ, rồi chạy lại.",
        "The inbox {file} holds the master {master} itself (with the workbooks issued, the "
        "reports and the backups beside it): no return was read. Keep the returns the officers "
        "send back in a folder of their own, e.g. 'phieu-nhan' beside the master, and run "
        "again.",
    ),
    "folder-unreadable": (
        "Không mở được thư mục {file} ({reason}): các phiếu trong đó chưa được đọc. Kiểm tra "
        "quyền truy cập thư mục (hoặc chép các phiếu sang thư mục mở được) rồi chạy lại lệnh "
        "tổng hợp.",
        "Folder {file} cannot be opened ({reason}): the returns in it were not read. Check the "
        "folder's permissions (or copy the returns to a folder you can open) and run the "
        "consolidation again.",
    ),
    "file-empty": (
        "Tệp {file} rỗng (0 byte). Đề nghị cán bộ gửi lại tệp.",
        "{file} is empty (0 bytes). Ask the officer to send it again.",
    ),
    "file-too-large": (
        "Tệp {file} quá lớn ({size} byte, giới hạn {limit}). Phiếu cập nhật chỉ vài chục KB: "
        "đề nghị cán bộ gửi lại đúng tệp phiếu.",
        "{file} is too large ({size} bytes, limit {limit}). An officer's workbook is a few "
        "dozen KB: ask for the right file.",
    ),
    "file-encrypted": (
        "Tệp {file} có đặt mật khẩu nên không đọc được. Đề nghị cán bộ bỏ mật khẩu (File > "
        "Info > Protect Workbook) rồi gửi lại.",
        "{file} is password-protected and cannot be read. Ask the officer to remove the "
        "password (File > Info > Protect Workbook) and send it again.",
    ),
    "file-old-xls": (
        "Tệp {file} là định dạng Excel cũ (.xls). Mở bằng Excel, chọn Save As > Excel "
        "Workbook (.xlsx) rồi gửi lại.",
        "{file} is an old Excel file (.xls). Open it in Excel, Save As > Excel Workbook "
        "(.xlsx), and send it again.",
    ),
    "file-ods": (
        "Tệp {file} là định dạng OpenDocument (.ods). Mở bằng LibreOffice, chọn Save As > "
        "Excel 2007-365 (.xlsx) rồi gửi lại.",
        "{file} is an OpenDocument spreadsheet (.ods). Open it in LibreOffice, Save As > "
        "Excel 2007-365 (.xlsx), and send it again.",
    ),
    "file-zip-bomb": (
        "Tệp {file} giải nén ra quá lớn ({size} byte, tỉ lệ nén {ratio}): không mở để bảo vệ "
        "máy. Đề nghị cán bộ gửi lại đúng tệp phiếu.",
        "{file} would unpack to too much ({size} bytes, ratio {ratio}): not opened, to protect "
        "this computer. Ask for the right file.",
    ),
    "file-not-workbook": (
        "Tệp {file} không phải phiếu Excel (.xlsx) nên không đọc.",
        "{file} is not an Excel workbook (.xlsx): not read.",
    ),
    "file-vanished": (
        "Tệp {file} không còn trong thư mục lúc được đọc (đã bị xóa hoặc chuyển đi trong khi "
        "tổng hợp). Chạy lại lệnh tổng hợp nếu tệp được đặt lại.",
        "{file} was no longer in the folder when it was read (deleted or moved during the "
        "consolidation). Run the consolidation again if the file is put back.",
    ),
    "file-corrupt": (
        "Tệp {file} bị hỏng, không mở được ({reason}). Đề nghị cán bộ mở lại phiếu, lưu và "
        "gửi lại.",
        "{file} is damaged and cannot be opened ({reason}). Ask the officer to open, save and "
        "send it again.",
    ),
    "file-temporary": (
        "Bỏ qua {file}: tệp tạm của Excel/LibreOffice, không phải phiếu.",
        "Ignored {file}: a temporary file of Excel/LibreOffice, not a return.",
    ),
    "eml-no-workbook": (
        "Thư {file} không đính kèm phiếu .xlsx nào.",
        "E-mail {file} has no .xlsx workbook attached.",
    ),
    "zip-no-workbook": (
        "Tệp nén {file} không chứa phiếu .xlsx nào.",
        "The archive {file} holds no .xlsx workbook.",
    ),
    "archive-unsupported": (
        "Tệp nén {file} không mở được tự động (công cụ chỉ mở tệp .zip, và .zip nằm trong một "
        ".zip khác): giải nén vào thư mục phiếu nhận rồi chạy lại.",
        "The archive {file} cannot be opened automatically (the tool opens .zip files, and a "
        ".zip within another): extract it into the inbox folder and run again.",
    ),
    "not-a-return": (
        "Tệp {file} không phải phiếu do cchc-xl tạo (không có phần nhận dạng ẩn). Nếu là phiếu "
        "đã chép sang tệp mới, đề nghị cán bộ nhập lại vào đúng tệp phiếu đã được gửi.",
        "{file} is not a workbook issued by cchc-xl (it has no hidden identity sheet). If the "
        "officer copied it into a new file, ask them to fill in the workbook they were sent.",
    ),
    "stamp-damaged": (
        "Phần nhận dạng ẩn của {file} bị hỏng ({reason}): không áp dụng. Tạo lại phiếu cho cán "
        "bộ bằng «cchc-xl fill».",
        "The hidden identity sheet of {file} is damaged ({reason}): not applied. Issue a new "
        "workbook with 'cchc-xl fill'.",
    ),
    "other-master": (
        "Tệp {file} là phiếu của sổ khác ({master_file}, xã {commune}), không phải sổ này.",
        "{file} belongs to another master ({master_file}, commune {commune}), not this one.",
    ),
    "stamp-tampered": (
        "Phần nhận dạng ẩn của {file} đã bị sửa: không áp dụng. Tạo lại phiếu bằng "
        "«cchc-xl fill».",
        "The hidden identity sheet of {file} was edited: not applied. Issue a new workbook "
        "with 'cchc-xl fill'.",
    ),
    "officer-sheet-missing": (
        "Tệp {file} không còn sheet «{sheet_name}».",
        "{file} no longer has the sheet '{sheet_name}'.",
    ),
    "officer-header-missing": (
        "Không tìm thấy dòng tiêu đề (cột «{label}»).",
        "The header row (column '{label}') was not found.",
    ),
    "officer-column-missing": (
        "Thiếu cột «{label}»; các cột còn lại vẫn được đọc.",
        "Column '{label}' is missing; the other columns are still read.",
    ),
    "too-many-rows": (
        "Quá {limit} dòng, chỉ đọc {limit} dòng đầu.",
        "More than {limit} rows; only the first {limit} are read.",
    ),
    "row-duplicated": (
        "Mã {value} xuất hiện nhiều lần; không dòng nào của mã này được áp dụng.",
        "Code {value} appears more than once; none of its rows is applied.",
    ),
    "unknown-code": (
        "Dòng mã {value} không có trong phiếu đã gửi (dòng thêm vào): không áp dụng.",
        "Code {value} was not in the workbook as issued (an added row): not applied.",
    ),
    "row-missing": (
        "Dòng mã {code} đã bị xóa khỏi phiếu; dòng này không được cập nhật.",
        "The row of code {code} was deleted from the workbook; it is not updated.",
    ),
    "code-not-in-master": (
        "Mã {value} không còn trong sổ: không áp dụng.",
        "Code {value} is no longer in the master: not applied.",
    ),
    "row-tampered": (
        "Nội dung khóa của dòng {code} (tiêu chí, điểm, giải pháp, hạn) đã bị sửa: "
        "không áp dụng dòng này.",
        "The locked content of row {code} (criterion, points, action, deadline) was "
        "changed: the row is not applied.",
    ),
    "formula-in-input": (
        "Dòng {code}: ô chứa công thức «{value}»; chỉ nhập giá trị. Không áp dụng.",
        "Row {code}: the cell holds the formula '{value}'; type a value. Not applied.",
    ),
    "formula-kept-as-text": (
        "Dòng {code}: «{value}» được lưu nguyên văn dạng chữ, không phải công thức.",
        "Row {code}: '{value}' is stored literally as text, not as a formula.",
    ),
    "progress-invalid": (
        "Dòng {code}: tiến độ «{value}» không phải số (ví dụ đúng: 80, 80%, 0.8).",
        "Row {code}: progress '{value}' is not a number (valid: 80, 80%, 0.8).",
    ),
    "expected-invalid": (
        "Dòng {code}: điểm dự kiến «{value}» không phải số (ví dụ đúng: 0,75).",
        "Row {code}: expected points '{value}' is not a number (valid: 0.75).",
    ),
    "progress-percent-out-of-range": (
        "Dòng {code}: tiến độ {percent}% phải từ 0% đến 100%. Gõ phần trăm, ví dụ 30% hoặc "
        "100%, rồi gửi lại.",
        "Row {code}: progress {percent}% must be between 0% and 100%. Type a percentage such "
        "as 30% or 100%, and send it again.",
    ),
    "number-not-finite": (
        "Dòng {code}: «{field}» không phải một số (NaN hoặc vô cực). Nhập lại một số rồi gửi lại.",
        "Row {code}: '{field}' is not a number (NaN or infinity). Type a number and send it "
        "again.",
    ),
    "progress-tiny-when-done": (
        "Dòng {code}: trạng thái «Hoàn thành» nhưng tiến độ chỉ {value}%. Nếu ý là 100% (ô "
        "cũ không có định dạng phần trăm), hãy gõ 100% rồi gửi lại.",
        "Row {code}: the status is 'Hoàn thành' (done) but progress is only {value}%. If you "
        "meant 100% (an older cell without a percentage format), type 100% and send it again.",
    ),
    "officer-input-column-missing": (
        "Thiếu cột nhập «{label}» trong sheet phiếu (có thể đã bị xóa sau khi bỏ khóa sheet): "
        "không áp dụng gì từ tệp này, để sổ không bị xóa nhầm. Đề nghị cán bộ điền lại trên "
        "phiếu đã phát rồi gửi lại.",
        "The input column '{label}' is missing from the workbook's sheet (probably deleted "
        "after unprotecting it): nothing from this file is applied, so nothing in the master "
        "is erased by mistake. Ask the officer to fill in the workbook as issued and send it "
        "again.",
    ),
    "text-too-long": (
        "Dòng {code}: nội dung dài {length} ký tự, quá giới hạn {limit} của Excel.",
        "Row {code}: the text is {length} characters, over Excel's limit of {limit}.",
    ),
    "conflict": (
        "Xung đột ở dòng {code}, cột «{field}»: phiếu {file} ghi «{value}», sổ đã đổi thành "
        "«{ours}» (lúc gửi là «{base}»). Sổ giữ giá trị của mình; hãy xem lại với cán bộ.",
        "Conflict in row {code}, '{field}': {file} says '{value}', the master changed it to "
        "'{ours}' (issued as '{base}'). The master keeps its value; check with the officer.",
    ),
    "stale-return": (
        "Tệp {file} là phiếu đợt cũ «{round}» (đã có đợt «{latest}»): chỉ áp dụng các ô sổ "
        "chưa thay đổi kể từ đợt đó.",
        "{file} is from an older round '{round}' (round '{latest}' was issued since): only "
        "fields unchanged since then are applied.",
    ),
    "stale-field-skipped": (
        "Phiếu cũ {file}: dòng {code}, cột «{field}» không áp dụng vì đã có báo cáo hoặc giá "
        "trị mới hơn («{held}») sau đợt đó.",
        "Older return {file}: row {code}, '{field}' not applied: a later report or value "
        "('{held}') came since.",
    ),
    "already-consolidated": (
        "Tệp {file} đã được tổng hợp trước đây: bỏ qua.",
        "{file} was consolidated before: skipped.",
    ),
    "duplicate-superseded": (
        "Tệp {file} là một bản khác của cùng một phiếu; cả hai được áp dụng theo thứ tự lưu, "
        "ô nào khác nhau thì theo bản sau ({winner}).",
        "{file} is another copy of the same workbook; both are applied in the order they "
        "were saved, and where they differ the later one ({winner}) wins.",
    ),
    "issued-copy": (
        "Tệp {file} là phiếu {round} của {role} y nguyên như lúc phát (chưa mở và lưu lại): "
        "không tính là cán bộ đã gửi lại.",
        "{file} is the workbook of {role} for {round} exactly as issued (never opened and "
        "saved): it does not count as the officer's reply.",
    ),
    "inbox-empty": (
        "Thư mục {file} không có tệp nào: không có gì để tổng hợp, sổ không thay đổi. Kiểm "
        "tra lại thư mục phiếu gửi về (hoặc dùng «Chấm điểm» để chỉ tô màu lại theo ngày).",
        "Folder {file} holds no file: nothing to consolidate, the master is unchanged. Check "
        "the inbox folder (or use «Chấm điểm», rescore, to recolour as of a date only).",
    ),
    # importing a plan and a roster (cchc_xl/plan/document.py, plan_import.py, roster_file.py,
    # master.py)
    "plan-format-unsupported": (
        "{file} là tệp {kind}: công cụ đọc kế hoạch từ tệp Word .docx, hoặc văn bản .txt "
        "(Word: Tệp > Lưu thành > Văn bản thuần). Mở tệp, lưu thành .docx (bảng Excel: chép "
        "bảng sang một tài liệu Word rồi lưu .docx) rồi chạy lại.",
        "{file} is a {kind} file: the tool reads the plan from a Word .docx, or from text "
        "(Word: File > Save as > Plain text). Open it and save it as .docx (an Excel table: "
        "copy it into a Word document and save that as .docx), then run again.",
    ),
    "plan-not-docx": (
        "{file} không phải tài liệu Word .docx ({reason}). Nếu là tệp .doc cũ, mở bằng Word "
        "và lưu thành .docx (hoặc «soffice --headless --convert-to docx TỆP.doc») rồi chạy "
        "lại.",
        "{file} is not a Word .docx document ({reason}). If it is an old .doc file, save it as "
        ".docx in Word (or 'soffice --headless --convert-to docx FILE.doc') and run again.",
    ),
    "plan-text-unreadable": (
        "{at}: không đọc được chữ (byte {byte} không hợp lệ trong {encoding}). Mở tệp trong "
        "Word hoặc Notepad, lưu lại dạng UTF-8 rồi chạy lại.",
        "{at}: the text cannot be read (byte {byte} is not valid {encoding}). Open the file in "
        "Word or Notepad, save it as UTF-8 and run again.",
    ),
    "plan-no-table": (
        "{file} không có bảng kế hoạch: kế hoạch phải là một bảng Word (STT, Nội dung/Tiêu "
        "chí, Điểm chuẩn, …), hoặc bản «Lưu thành văn bản» của bảng đó (mỗi ô một dòng bắt "
        "đầu bằng phím Tab). Nếu kế hoạch đang là chữ cách nhau bằng Tab, chọn nó trong Word "
        "rồi dùng Chèn > Bảng > Chuyển văn bản thành bảng.",
        "{file} holds no plan table: the plan must be a Word table (STT, Nội dung/Tiêu chí, "
        "Điểm chuẩn, …), or Word's 'save as text' of it (each cell on a line starting with a "
        "tab). If the plan is tab-separated text, select it in Word and use Insert > Table > "
        "Convert Text to Table.",
    ),
    "plan-header-not-found": (
        "{at}: không tìm thấy dòng tiêu đề của bảng kế hoạch. Dòng đầu của bảng là «{value}»; "
        "cần có các cột {expected} (tên cột có thể viết khác, ví dụ TT, Nội dung, Điểm tối "
        "đa, Điểm đạt, Điểm bị trừ, Nhiệm vụ, Đơn vị chủ trì, Thời hạn). Đặt tên cột như vậy ở "
        "dòng tiêu đề rồi chạy lại; công cụ không đoán cột theo vị trí.",
        "{at}: the plan table's header row was not found. The table's first row reads "
        "'{value}'; the columns {expected} are needed (under other names too, e.g. TT, Nội "
        "dung, Điểm tối đa, Điểm đạt, Điểm bị trừ, Nhiệm vụ, Đơn vị chủ trì, Thời hạn). Name "
        "the columns so in the header row and run again; the tool never guesses columns by "
        "their position.",
    ),
    "plan-columns-missing": (
        "{at}: dòng tiêu đề «{value}» thiếu cột {missing}. Các tên được hiểu là: {labels}. "
        "Sửa tên cột trong văn bản (hoặc thêm cột còn thiếu) rồi chạy lại.",
        "{at}: the header row '{value}' lacks the column(s) {missing}. Names understood: "
        "{labels}. Rename the column in the document (or add the missing one) and run again.",
    ),
    "plan-numbers-inconsistent": (
        "Điểm của {value}/{total} dòng trong {file} không khớp nhau (điểm đạt ngoài 0..điểm chuẩn, "
        "điểm bị mất khác điểm chuẩn − điểm đạt, hoặc chữ ở cột điểm: {rows}). Có thể cột bị "
        "hiểu nhầm: {columns}. Không tạo sổ. Kiểm tra tên các cột điểm ở dòng tiêu đề rồi "
        "chạy lại.",
        "The points of {value} of {total} rows in {file} do not add up (appraised outside "
        "0..maximum, lost other than maximum − appraised, or text in a points column: "
        "{rows}). Columns were probably taken for others: {columns}. No master was built. "
        "Check the names of the points columns in the header row and run again.",
    ),
    "plan-no-rows": (
        "{at}: bảng kế hoạch không có dòng nào dưới dòng tiêu đề. Kiểm tra lại tệp.",
        "{at}: the plan table has no row below its header. Check the file.",
    ),
    "plan-column-twice": (
        "{at}: cột này cũng có thể là «{field}», nhưng sổ lấy «{field}» từ cột «{taken}»; cột "
        "«{value}» được giữ nguyên như một cột thêm. Nếu sai, đổi tên cột trong văn bản rồi "
        "tạo lại sổ.",
        "{at}: this column could also be '{field}', but the master takes '{field}' from the "
        "column '{taken}'; '{value}' is kept as an extra column. If that is wrong, rename the "
        "column in the document and build the master again.",
    ),
    "plan-tables-skipped": (
        "Kế hoạch trong {file} là bảng {table}; {count} bảng khác (bảng {value}) không phải "
        "bảng kế hoạch nên không đọc.",
        "The plan in {file} is table {table}; {count} other table(s) (table {value}) are not "
        "the plan's and were not read.",
    ),
    "plan-area-renumbered": (
        "Lĩnh vực «{value}» trong {file} có các tiêu chí mã {code}.x nên được ghi là lĩnh vực "
        "{code} (mã gốc vẫn in trong phụ lục). Nếu sai, sửa mã trong văn bản rồi tạo lại sổ.",
        "Area '{value}' in {file} holds criteria coded {code}.x, so it is area {code} (its "
        "written code is still printed in the appendix). If that is wrong, correct the codes "
        "in the document and build the master again.",
    ),
    "plan-appraised-from-lost": (
        "{value} dòng trong {file} không ghi điểm thẩm định; sổ lấy điểm chuẩn − điểm bị mất "
        "({rows}).",
        "{value} row(s) in {file} give no appraised points; the master takes maximum − lost "
        "({rows}).",
    ),
    "plan-row-skipped": (
        "{at}: dòng chỉ có «{value}», không có mã hay điểm: không phải tiêu chí nên không đọc. "
        "Nếu là một tiêu chí, ghi mã (STT) cho dòng đó rồi tạo lại sổ.",
        "{at}: the row only says '{value}', with no code or points: not a criterion, so not "
        "read. If it is one, give it a code (STT) and build the master again.",
    ),
    "plan-code-missing": (
        "{at}: dòng «{value}» không có mã (STT). Ghi mã tiêu chí vào sổ (cột STT) hoặc vào văn "
        "bản rồi tạo lại sổ.",
        "{at}: the row '{value}' has no code (STT). Enter the criterion's code in the master "
        "(column STT) or in the document and build the master again.",
    ),
    "plan-code-unreadable": (
        "{at}: không hiểu mã «{value}» (mã đúng: 1, 1.2, 3.2.1, I, II, A, a). Sổ giữ nguyên "
        "mã này; sửa lại trong sổ (cột STT) hoặc trong văn bản.",
        "{at}: the code '{value}' cannot be read (valid: 1, 1.2, 3.2.1, I, II, A, a). The "
        "master keeps it as written; correct it there (column STT) or in the document.",
    ),
    "plan-rows-joined": (
        "{value} dòng trong {file} không có mã, tiêu chí và điểm được ghép vào dòng tiêu chí "
        "phía trên (thêm giải pháp, chủ trì, thời gian): {rows}.",
        "{value} row(s) in {file} without code, criterion or points were joined to the "
        "criterion above (more actions, leads or time frames): {rows}.",
    ),
    "plan-rows-merged": (
        "{at}: tiêu chí {value} viết trên nhiều dòng (ô gộp) được ghép thành một dòng; các "
        "giải pháp, chủ trì và thời gian của nó được nối lại.",
        "{at}: criterion {value}, written over several rows (merged cells), is one row; its "
        "actions, leads and time frames are joined.",
    ),
    "plan-number-unreadable": (
        "{at}: «{value}» không phải số điểm ({label}); sổ để trống ô này. Nhập số điểm vào sổ, "
        "ví dụ 0,5.",
        "{at}: '{value}' is not a number of points ({label}); the master leaves it empty. "
        "Enter the points in the master, e.g. 0.5.",
    ),
    "plan-appraised-out-of-range": (
        "{at}: điểm thẩm định {value} nằm ngoài 0 đến điểm chuẩn {max_points}. Kiểm tra lại "
        "với văn bản gốc.",
        "{at}: appraised points {value} are outside 0 to the maximum {max_points}. Check "
        "against the original document.",
    ),
    "plan-area-points-missing": (
        "{at}: lĩnh vực «{value}» (mã {code}) không ghi điểm trong văn bản (dòng gộp ô). Nhập "
        "điểm chuẩn và điểm thẩm định của cả lĩnh vực vào sổ (sheet Kế hoạch); các tiêu chí "
        "của nó mất {lost} điểm.",
        "{at}: area '{value}' (code {code}) has no points in the document (a merged row). "
        "Enter the whole area's maximum and appraised points in the master (sheet Kế hoạch); "
        "its criteria lose {lost} points.",
    ),
    "plan-total-differs": (
        "{at}: dòng tổng ghi {label} là {value}, nhưng cộng các lĩnh vực được {computed}. "
        "Kiểm tra lại với văn bản gốc (sổ tự tính tổng bằng công thức).",
        "{at}: the total row gives {label} {value}, but the areas add up to {computed}. Check "
        "against the original document (the master computes its total by formula).",
    ),
    "role-unknown-in-plan": (
        "«{value}» trong {file} ({rows}) không khớp vai trò nào trong danh sách cán bộ{closest}. "
        "Thêm cách viết này vào cột «Cách viết trong kế hoạch» của đúng vai trò (sheet Cán "
        "bộ), hoặc vào danh sách cán bộ (--roster) rồi tạo lại sổ; còn vai trò lạ thì chưa "
        "tạo phiếu được.",
        "'{value}' in {file} ({rows}) matches no role of the roster{closest}. Add this "
        "spelling to the aliases column of the right role (sheet Cán bộ), or to the roster "
        "(--roster) and build the master again; workbooks cannot be issued while a role is "
        "unknown.",
    ),
    "roster-format-unsupported": (
        "{file} là tệp {kind}: danh sách cán bộ phải là bảng tính .xlsx hoặc tệp .csv. Mở tệp "
        "trong Excel, lưu thành .xlsx (hoặc CSV UTF-8) rồi chạy lại.",
        "{file} is a {kind} file: the roster must be an .xlsx workbook or a .csv file. Open it "
        "in Excel, save it as .xlsx (or CSV UTF-8) and run again.",
    ),
    "roster-unreadable": (
        "{at}: không đọc được chữ (byte {byte} không hợp lệ trong {encoding}). Mở tệp trong "
        "Excel, chọn Lưu thành > CSV UTF-8 (hoặc Sổ làm việc Excel .xlsx) rồi chạy lại.",
        "{at}: the text cannot be read (byte {byte} is not valid {encoding}). Open the file "
        "in Excel, Save As > CSV UTF-8 (or Excel Workbook .xlsx) and run again.",
    ),
    "roster-not-workbook": (
        "{file} không mở được như bảng tính Excel ({reason}). Mở tệp trong Excel, lưu lại "
        "dạng .xlsx rồi chạy lại.",
        "{file} cannot be opened as an Excel workbook ({reason}). Open it in Excel, save it "
        "as .xlsx and run again.",
    ),
    "roster-header-not-found": (
        "{at}: không tìm thấy dòng tiêu đề của danh sách cán bộ (đọc được «{value}»). Cần "
        "các cột {expected}; thêm cột «Phòng» nếu vai trò thuộc một phòng. Sửa dòng tiêu đề "
        "rồi chạy lại.",
        "{at}: the roster's header row was not found (read '{value}'). The columns "
        "{expected} are needed; add a 'Phòng' column when roles belong to a department. Fix "
        "the header row and run again.",
    ),
    "roster-row-without-role": (
        "{at}: dòng có «{value}» nhưng không có vai trò (hoặc phòng): bỏ qua. Ghi vai trò cho "
        "dòng đó rồi chạy lại.",
        "{at}: the row holds '{value}' but no role (or department): skipped. Give it a role "
        "and run again.",
    ),
    "roster-empty": (
        "{file} không có cán bộ nào dưới dòng tiêu đề. Kiểm tra lại tệp.",
        "{file} holds no officer below its header. Check the file.",
    ),
    # fidelity of the master, hostile returns (cchc_xl/files/fidelity.py, inbox.py, returns.py)
    "master-not-preservable": (
        "Sổ {file} có {feature}: công cụ không giữ được nội dung này khi ghi sổ, nên đã "
        "dừng trước khi ghi; tệp giữ nguyên từng byte. Chuyển nội dung đó sang một tệp khác "
        "(hoặc xóa đi), lưu lại rồi chạy lại.",
        "{file} holds {feature}: the tool cannot keep them when it writes the master, so it "
        "stopped before writing; the file is unchanged, byte for byte. Move them to another "
        "workbook (or delete them), save, and run again.",
    ),
    "file-renamed": (
        "Tệp {file} mang đuôi bảng tính nhưng thực ra là {kind}, không phải phiếu Excel. Đề "
        "nghị cán bộ gửi lại đúng tệp phiếu .xlsx đã nhận.",
        "{file} has a spreadsheet's extension but is really {kind}, not an Excel workbook. Ask "
        "the officer to send the .xlsx workbook they were sent.",
    ),
    "file-xlsb": (
        "Tệp {file} là định dạng Excel nhị phân (.xlsb). Mở bằng Excel, chọn Save As > Excel "
        "Workbook (.xlsx) rồi gửi lại.",
        "{file} is a binary Excel workbook (.xlsb). Open it in Excel, Save As > Excel Workbook "
        "(.xlsx), and send it again.",
    ),
    "file-unsafe-xml": (
        "Tệp {file} có phần {part} khai báo DTD/ENTITY, điều Excel không bao giờ ghi: không mở "
        "để bảo vệ máy. Đề nghị cán bộ gửi lại đúng tệp phiếu đã nhận.",
        "{file} has a part, {part}, that declares a DTD or entities, which Excel never writes: "
        "not opened, to protect this computer. Ask for the workbook the officer was sent.",
    ),
    "file-symlink": (
        "Bỏ qua {file}: đây là liên kết tượng trưng (symlink), không đọc theo. Chép chính tệp "
        "phiếu vào thư mục nếu cần tổng hợp.",
        "Ignored {file}: a symbolic link, not followed. Copy the workbook itself into the "
        "folder to consolidate it.",
    ),
    "stamp-missing": (
        "Tệp {file} có sheet phiếu nhưng mất phần nhận dạng ẩn (sheet ẩn bị xóa, hoặc nội dung "
        "được chép sang tệp mới): không áp dụng. Đề nghị cán bộ nhập vào đúng tệp phiếu đã "
        "nhận, hoặc tạo lại phiếu bằng «cchc-xl fill».",
        "{file} has the officer's sheet but lost its hidden identity sheet (deleted, or the "
        "content was copied into a new file): not applied. Ask the officer to fill in the "
        "workbook they were sent, or issue a new one with 'cchc-xl fill'.",
    ),
    "ods-stamp-missing": (
        "Tệp {file} (.ods) không còn phần nhận dạng ẩn của phiếu: không áp dụng. Đề nghị cán bộ "
        "mở lại tệp phiếu .xlsx đã nhận, nhập rồi lưu giữ nguyên định dạng .xlsx (LibreOffice: "
        "chọn «Use Excel 2007-365!») và gửi lại.",
        "{file} (.ods) no longer has the hidden identity sheet: not applied. Ask the officer to "
        "open the .xlsx workbook they were sent, fill it in, keep the .xlsx format when saving "
        "(LibreOffice: 'Use Excel 2007-365!') and send it again.",
    ),
    "macros-ignored": (
        "Tệp {file} có macro: macro không được chạy (chỉ đọc giá trị trong ô).",
        "{file} contains macros: they were not run (only cell values were read).",
    ),
    "cells-merged": (
        "Các ô {cell} đã bị gộp (merge), chỉ ô đầu giữ giá trị; các ô nhập bị gộp "
        "({fields}) không được đọc và sổ giữ nguyên. Bỏ gộp ô, nhập lại rồi gửi lại.",
        "Cells {cell} were merged, so only the first keeps a value; the merged input "
        "cells ({fields}) are not read and the master keeps its values. Unmerge, fill them in "
        "and send it again.",
    ),
    "row-without-code": (
        "Dòng {row} có nội dung nhưng không có mã STT (dòng chèn thêm): không áp "
        "dụng. Nhập vào dòng có mã của tiêu chí.",
        "Row {row} has content but no code (an inserted row): not applied. Type it "
        "into the row of the criterion's code.",
    ),
}

SEVERITY_LABELS = {
    "error": ("Lỗi", "error"),
    "warning": ("Cảnh báo", "warning"),
    "info": ("Thông tin", "info"),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


class Bilingual(str):
    """A text that is Vietnamese as a str (what logs and JSON keep) and carries its English
    (`en`): a reason built deep in the library, shown in the language of the message."""

    def __new__(cls, vi: str, en: str):
        text = super().__new__(cls, vi)
        text.en = en
        return text

    def __getnewargs__(self) -> tuple[str, str]:  # copies and pickles keep the English
        return str(self), self.en


def localise(value: object, lang: str) -> object:
    """A field in the message's language: a Bilingual text, or an exception whose str() is
    one, becomes its English with lang "en"; anything else is left as it is."""
    text = value if isinstance(value, Bilingual) else (
        value.args[0] if isinstance(value, Exception) and len(value.args) == 1
        and isinstance(value.args[0], Bilingual) else None)
    if text is None:
        return value
    return text.en if lang == "en" else str(text)


class _Counts(string.Formatter):
    """str.format, and a count with its noun: '{n:~error}' gives '1 error', '2 errors' (for
    English templates; Vietnamese nouns do not change)."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("~"):
            return f"{value} {format_spec[1:]}{'' if value == 1 else 's'}"
        return super().format_field(value, format_spec)


_COUNTS = _Counts()


def pick(texts: tuple[str, str], lang: str, **fields: object) -> str:
    """One of a (Vietnamese, English) pair of templates, filled in that language."""
    vi, en = texts
    return _COUNTS.vformat(en if lang == "en" else vi, (),
                           {k: localise(v, lang) for k, v in fields.items()})


def render(problem_code: str, lang: str = "vi", /, **fields: object) -> str:
    """The message of a problem code in a language, with its fields filled in."""
    templates = MESSAGES.get(problem_code)
    if templates is None:
        return problem_code
    template = templates[1] if lang == "en" else templates[0]
    values = _Blank({k: "" if v is None else localise(v, lang) for k, v in fields.items()})
    return template.format_map(values)


# The control sheet of the Excel button (cchc_xl/excel/control.py).
MESSAGES.update({
    "control-sheet-missing": (
        "Sổ chưa có sheet «{sheet_name}». Chạy một lần lệnh «cchc-xl excel-setup {file}» để "
        "thêm sheet điều khiển.",
        "The master has no '{sheet_name}' sheet. Run 'cchc-xl excel-setup {file}' once to add "
        "the control sheet.",
    ),
    "control-action-unknown": (
        "Thao tác «{value}» không có trong danh sách. Chọn một trong: {choices}.",
        "Action '{value}' is not in the list. Choose one of: {choices}.",
    ),
    "control-date-invalid": (
        "«{value}» không phải ngày. Gõ ngày dạng dd/mm/yyyy, ví dụ 30/06/2021, hoặc để trống "
        "để tính đến hôm nay.",
        "'{value}' is not a date. Type it as dd/mm/yyyy, e.g. 30/06/2021, or leave it empty "
        "for today.",
    ),
    "control-yes-no-invalid": (
        "«{value}» không hợp lệ: chọn Có hoặc Không.",
        "'{value}' is not valid: choose Có (yes) or Không (no).",
    ),
    "control-folder-missing": (
        "Chưa có thư mục {folder}. Tạo thư mục đó và chép các phiếu cán bộ gửi về vào, hoặc "
        "sửa tên thư mục ở ô này.",
        "Folder {folder} does not exist. Create it and copy the officers' returns into it, or "
        "change the folder in this cell.",
    ),
    "control-plan-missing": (
        "Không thấy tệp kế hoạch «{value}» ({file}). Gõ tên tệp .docx hoặc .txt của kế hoạch, "
        "đặt cạnh sổ này (hoặc gõ đường dẫn đầy đủ).",
        "Plan file '{value}' not found ({file}). Type the name of the plan's .docx or .txt "
        "file, kept beside this master (or its full path).",
    ),
    "control-new-master-name": (
        "«{value}» không phải tên tệp sổ mới: gõ một tên tệp kết thúc bằng .xlsx, ví dụ "
        "so-theo-doi-2022.xlsx.",
        "'{value}' is not a name for the new master: type a file name ending in .xlsx, e.g. "
        "so-theo-doi-2022.xlsx.",
    ),
    "control-new-is-this-master": (
        "Sổ mới «{value}» trùng với chính sổ đang mở: gõ một tên tệp khác.",
        "The new master '{value}' is this very master: type another file name.",
    ),
    "control-new-exists": (
        "Tệp {file} đã có: không ghi đè. Gõ tên tệp khác, hoặc chọn «Có» ở ô {cell} nếu thật "
        "sự muốn thay tệp đó (có sao lưu trước).",
        "{file} already exists: it is not overwritten. Type another name, or choose «Có» in "
        "cell {cell} if you really mean to replace it (a backup is kept).",
    ),
})

# The progress report (cchc_xl/outputs/progress_report.py).
MESSAGES.update({
    "chart-images-unavailable": (
        "Không vẽ được biểu đồ vào báo cáo Word ({reason}); hai biểu đồ vẫn có trong sheet "
        "«Tổng hợp» của sổ. Cài LibreOffice và poppler-utils (pdftoppm) rồi chạy lại để có "
        "biểu đồ trong báo cáo.",
        "The charts could not be drawn into the Word report ({reason}); both charts are in the "
        "master's 'Tổng hợp' sheet. Install LibreOffice and poppler-utils (pdftoppm) and run "
        "again to have them in the report.",
    ),
})

# Reminders (cchc_xl/cycle/remind.py).
MESSAGES.update({
    "remind-email-missing": (
        "Không gửi được thư nhắc việc cho «{role}» ({person}): vai trò chưa có email. Nhập "
        "email vào ô này rồi chạy lại.",
        "No reminder can go to '{role}' ({person}): the role has no e-mail. Enter one in this "
        "cell and run again.",
    ),
    "remind-email-invalid": (
        "Không gửi được thư nhắc việc cho «{role}» ({person}): email «{value}» không hợp lệ. "
        "Sửa email ở ô này rồi chạy lại.",
        "No reminder can go to '{role}' ({person}): the e-mail '{value}' is not valid. "
        "Correct it in this cell and run again.",
    ),
    "remind-workbook-missing": (
        "Không còn tệp phiếu {file} của «{role}» trong thư mục {folder}: thư nhắc việc không "
        "kèm phiếu (thư có ghi rõ). Chép lại tệp phiếu vào thư mục đó, hoặc chỉ đúng thư mục "
        "phiếu bằng --out, rồi chạy lại.",
        "The workbook {file} of '{role}' is no longer in {folder}: the reminder goes without "
        "it (and says so). Copy the workbook back into that folder, or give the right folder "
        "with --out, and run again.",
    ),
    "remind-workbook-changed": (
        "Tệp phiếu {file} của «{role}» trong thư mục {folder} đã bị sửa sau khi phát (không "
        "còn đúng bản đã gửi): thư nhắc việc không kèm tệp này (thư có ghi rõ). Tạo lại phiếu "
        "cho cán bộ này bằng «cchc-xl fill --only».",
        "The workbook {file} of '{role}' in {folder} was changed after it was issued (it is "
        "not the copy sent): the reminder goes without it (and says so). Issue a new one with "
        "'cchc-xl fill --only'.",
    ),
    "remind-send-failed": (
        "Chưa gửi được thư nhắc việc cho «{role}» <{email}>: {reason} Chạy lại lệnh: các thư "
        "đã gửi hôm nay được bỏ qua.",
        "The reminder to '{role}' <{email}> was not sent: {reason} Run again: those sent "
        "today are skipped.",
    ),
})

# Evidence documents (cchc_xl/master/evidence.py, evidence_return.py).
MESSAGES.update({
    "evidence-sheet-missing": (
        "Phiếu {file} thiếu sheet «{sheet_name}» (phiếu được phát có sheet này): không áp dụng "
        "gì từ tệp này, để tài liệu kiểm chứng trong sổ không bị xóa nhầm. Đề nghị cán bộ điền "
        "lại trên phiếu đã phát rồi gửi lại.",
        "Workbook {file} has no '{sheet_name}' sheet (it was issued with one): nothing from this "
        "file is applied, so no evidence in the master is erased by mistake. Ask the officer to "
        "fill in the workbook as issued and send it again.",
    ),
    "evidence-header-missing": (
        "Không tìm thấy dòng tiêu đề (cột «{label}») trong sheet tài liệu kiểm chứng của phiếu "
        "{file}: không áp dụng gì từ tệp này. Đề nghị cán bộ điền lại trên phiếu đã phát.",
        "The header row (column '{label}') of the evidence sheet of {file} is not found: "
        "nothing from this file is applied. Ask the officer to fill in the workbook as issued.",
    ),
    "evidence-column-missing": (
        "Thiếu cột «{label}» trong sheet tài liệu kiểm chứng của phiếu {file}: không áp dụng gì "
        "từ tệp này, để sổ không bị xóa nhầm. Đề nghị cán bộ điền lại trên phiếu đã phát.",
        "Column '{label}' is missing from the evidence sheet of {file}: nothing from this file "
        "is applied, so nothing in the master is erased by mistake. Ask the officer to fill in "
        "the workbook as issued.",
    ),
    "evidence-code-missing": (
        "Dòng tài liệu kiểm chứng không có STT: chọn STT của nội dung mà văn bản này chứng minh.",
        "This evidence line has no STT: choose the code of the row this document supports.",
    ),
    "evidence-code-not-yours": (
        "STT «{value}» không phải nội dung của {role} trong phiếu này; chỉ ghi tài liệu kiểm "
        "chứng cho các STT: {codes}.",
        "Code '{value}' is not one of {role}'s rows in this workbook; evidence can be given "
        "for: {codes}.",
    ),
    "evidence-unidentified": (
        "Tài liệu kiểm chứng của STT {code} không có số, ký hiệu văn bản và cũng không có tên "
        "tệp hoặc đường dẫn: ghi ít nhất một trong hai.",
        "The evidence for {code} has neither a document number nor a file name or link: give "
        "at least one.",
    ),
    "evidence-date-invalid": (
        "Ngày ban hành «{value}» (STT {code}) không phải một ngày hợp lệ: gõ dạng dd/mm/yyyy, "
        "ví dụ 05/03/2021.",
        "Issue date '{value}' ({code}) is not a valid date: type it as dd/mm/yyyy, e.g. "
        "05/03/2021.",
    ),
    "evidence-points-invalid": (
        "Điểm chứng minh «{value}» (STT {code}) phải là số từ 0 đến {max_points}; để trống nếu "
        "văn bản chứng minh cả nội dung.",
        "Points supported '{value}' ({code}) must be a number from 0 to {max_points}; leave it "
        "empty when the document supports the whole row.",
    ),
    "evidence-formula": (
        "Ô «{field}» (STT {code}) chứa công thức «{value}»: gõ giá trị, không dùng công thức.",
        "Cell '{field}' ({code}) holds the formula '{value}': type the value, not a formula.",
    ),
    "stale-evidence-skipped": (
        "Phiếu {file} thuộc đợt cũ ({round}); tài liệu kiểm chứng của {role} đã được cập nhật "
        "từ phiếu mới hơn nên danh sách trong phiếu này không được áp dụng.",
        "{file} is from an older round ({round}); {role}'s evidence was updated since from a "
        "newer workbook, so this workbook's list is not applied.",
    ),
    "done-without-evidence": (
        "Nội dung {code} đã «Hoàn thành» nhưng chưa có tài liệu kiểm chứng nào: khi thẩm định, "
        "nội dung không có minh chứng sẽ không được tính điểm. Đề nghị cán bộ ghi tài liệu "
        "kiểm chứng trong phiếu.",
        "Row {code} is done but has no evidence document: an appraisal gives no points "
        "without evidence. Ask the officer to list the evidence in their workbook.",
    ),
    "expected-exceeds-evidence": (
        "Nội dung {code} dự kiến thu hồi {value} điểm nhưng tài liệu kiểm chứng ({entries} văn "
        "bản) chỉ chứng minh {covered} điểm: bổ sung minh chứng hoặc giảm điểm dự kiến.",
        "Row {code} expects to win back {value} points but its evidence ({entries} documents) "
        "supports only {covered}: add evidence or lower the expected points.",
    ),
})
