"""Every text the user reads that is not a problem's message (messages.py), in Vietnamese and
English, keyed by stable codes: command line, control sheet, reminders, e-mail failures."""

from __future__ import annotations

from .messages import pick

# What the command line prints: key -> (Vietnamese, English).
CLI: dict[str, tuple[str, str]] = {
    "created": ("Đã tạo sổ theo dõi: {path} ({rows} dòng kế hoạch).",
                "Master created: {path} ({rows:~plan row})."),
    "import-note": ("Lưu ý khi nhập kế hoạch:", "Noted while importing the plan:"),
    "summary": ("Kết quả kiểm tra {file}: {errors} lỗi, {warnings} cảnh báo, {infos} thông tin.",
                "Checked {file}: {errors:~error}, {warnings:~warning}, {infos:~note}."),
    "clean": ("Không có vấn đề nào.", "No problems found."),
    "fixed": ("Đã sửa {fixed} ô công thức; bản sao lưu: {backup}",
              "Repaired {fixed:~formula cell}; backup: {backup}"),
    "fixed-mark": ("[đã sửa]", "[fixed]"),
    "demo-files": ("Các tệp ví dụ nằm trong thư mục: {dir}", "The example files are in: {dir}"),
    "demo-master": ("  Sổ theo dõi (master): {path}", "  Master workbook: {path}"),
    "demo-plan": ("  Kế hoạch gốc (văn bản): {path}", "  Source plan (text): {path}"),
    "demo-outbox": ("  Phiếu đã tạo cho cán bộ: {path}", "  Officer workbooks issued: {path}"),
    "demo-inbox": ("  Phiếu gửi về (giả lập, có lỗi thường gặp): {path}",
                   "  Returns (simulated, with common mistakes): {path}"),
    "demo-step-validate": ("== Bước 1: kiểm tra sổ ==", "== Step 1: validate the master =="),
    "demo-step-consolidate": ("== Bước 2–3: tạo phiếu, nhận phiếu, tổng hợp ==",
                              "== Steps 2–3: issue, receive, consolidate =="),
    "demo-step-remind": ("== Bước 4: thư nhắc việc (nháp .eml, cạnh phiếu đã tạo) ==",
                         "== Step 4: reminders (draft .eml, beside the issued workbooks) =="),
    # cchc-xl consolidate
    "cons-head": ("Tổng hợp vào sổ {master} (tính đến ngày {as_of}){dry}",
                  "Consolidating into {master} (as of {as_of}){dry}"),
    "cons-dry": (" – CHẠY THỬ, không ghi gì", " – DRY RUN, nothing written"),
    "cons-files": ("Tệp đã đọc: {n}", "Files read: {n}"),
    "cons-changes": ("Thay đổi {verb}: {n}", "Changes {verb}: {n}"),
    "cons-applied": ("đã áp dụng", "applied"),
    "cons-would": ("sẽ áp dụng", "that would apply"),
    "cons-conflicts": ("Xung đột (sổ giữ giá trị của mình): {n}",
                       "Conflicts (the master keeps its value): {n}"),
    "cons-problems": ("Từ chối và cảnh báo: {n}", "Rejected and warnings: {n}"),
    "cons-missing": ("Chưa gửi lại: {names}", "Not returned yet: {names}"),
    "cons-evidence": ("Chưa đủ tài liệu kiểm chứng: {n}", "Without enough evidence: {n}"),
    "cons-none-missing": ("Tất cả cán bộ đã gửi lại phiếu đợt mới nhất.",
                          "Every officer has returned the latest round."),
    "cons-scores": ("Điểm (chuẩn / thẩm định / mất / dự kiến đạt / chỉ số % / dự kiến % / "
                    "xếp loại):",
                    "Scores (max / appraised / lost / projected / index % / projected % / "
                    "rating):"),
    "cons-officers": ("Theo cán bộ (chủ trì: chưa / đang / hoàn thành / quá hạn):",
                      "By officer (leads: not started / in progress / done / overdue):"),
    "cons-deadlines": ("Hạn hoàn thành tính lại theo thời gian thực hiện: {codes}",
                       "Deadlines derived again from their time frames: {codes}"),
    "cons-formulas": ("Công thức đặt lại theo cây tiêu chí (dòng thêm bằng tay): {cells}",
                      "Formulas put back as the tree of criteria calls for (rows typed in by "
                      "hand): {cells}"),
    "cons-open": ("Giá trị bị từ chối còn chờ cán bộ gửi lại: {n}",
                  "Refused values still waiting for the officer to send again: {n}"),
    "cons-recoloured": ("Sổ tô màu và ghi ngày theo ngày {as_of} (đổi màu {n} dòng).",
                        "The master is coloured and dated as of {as_of} ({n:~row} changed "
                        "colour)."),
    "cons-saved": ("Đã lưu sổ; bản sao lưu: {backup}", "Master saved; backup: {backup}"),
    "cons-unchanged": ("Sổ không thay đổi.", "The master is unchanged."),
    "cons-report": ("Báo cáo đầy đủ: {path}", "Full report: {path}"),
    "cons-reading": ("Đang đọc {i}/{n}: {name}", "Reading {i}/{n}: {name}"),
    # cchc-xl demo
    # cchc-xl excel-setup
    "xs-why-not-ascii": ("không có chữ có dấu hay ký tự ngoài a–z, 0–9 và dấu gạch dưới",
                         "without accented or other non-ASCII letters"),
    "xs-why-not-identifier": ("chỉ gồm chữ a–z, chữ số và dấu gạch dưới (_), không có dấu cách "
                              "hay dấu gạch ngang, không bắt đầu bằng chữ số",
                              "only letters, digits and underscores (_), no spaces or dashes, "
                              "not starting with a digit"),
    "xs-why-keyword": ("không trùng từ khóa của Python", "not a Python keyword"),
    "xs-why-shadows": ("không trùng module «{shadows}» sẵn có (Excel sẽ nạp module đó thay cho "
                       "sổ)", "not the name of the existing module '{shadows}' (Excel would "
                       "import that one instead)"),
    "xs-renamed": ("Đã đổi tên «{old}» thành «{new}».", "Renamed '{old}' to '{new}'."),
    "xs-control-added": ("Đã thêm sheet «{sheet}» vào sổ {master}; bản sao lưu: {backup}",
                         "Added the '{sheet}' sheet to {master}; backup: {backup}"),
    "xs-control-kept": ("Sheet «{sheet}» đã có: đã làm mới, giữ nguyên các ô đã điền; bản sao "
                        "lưu: {backup}",
                        "The '{sheet}' sheet was there: rebuilt, keeping what was typed; "
                        "backup: {backup}"),
    "xs-module": ("Tệp nút bấm (module Python, để cạnh sổ): {path}",
                  "Button module (Python, beside the master): {path}"),
    "xs-addin-installed": ("Đã cài add-in xlwings cho Excel; Python dùng cho nút bấm: {python} "
                           "(ghi trong {config}).",
                           "Installed the xlwings add-in; the button runs {python} (set in "
                           "{config})."),
    "xs-addin-skipped-platform": ("Máy này không có Excel (chỉ Windows và macOS): bỏ qua cài "
                                  "add-in. Chạy thử nút bấm không cần Excel: python {module}",
                                  "No Excel on this system (Windows and macOS only): add-in "
                                  "not installed. Try the button without Excel: python {module}"),
    "xs-addin-skipped": ("Không cài add-in (--no-addin). Cài sau bằng lệnh: xlwings addin "
                         "install", "Add-in not installed (--no-addin). Install it later with: "
                         "xlwings addin install"),
    "xs-addin-failed": ("CHƯA cài được add-in xlwings: {detail}. Đóng Excel rồi chạy lệnh: "
                        "xlwings addin install",
                        "The xlwings add-in could NOT be installed: {detail}. Close Excel and "
                        "run: xlwings addin install"),
    "xs-next": ("Cách dùng: mở {master} trong Excel, chọn sheet «{sheet}», chọn thao tác ở ô "
                "B4, rồi bấm Run main trên thẻ xlwings.",
                "Next: open {master} in Excel, go to the '{sheet}' sheet, pick the action in "
                "B4 and click Run main on the xlwings tab."),
    # cchc-xl export
    "export-done": ("Đã xuất phụ lục kế hoạch ({rows} dòng): {path}",
                    "Plan appendix exported ({rows:~row}): {path}"),
    "export-pdf": ("Bản PDF: {path}", "PDF: {path}"),
    # cchc-xl fill
    "fill-done": ("Đã tạo {n} phiếu đợt «{round}» trong {dir} (hạn gửi lại {due}):",
                  "Wrote {n:~workbook} for round '{round}' into {dir} (return by {due}):"),
    "fill-file": ("  {file}  {role} – {person} <{email}>: {rows} dòng ({lead} chủ trì, "
                  "{support} phối hợp)",
                  "  {file}  {role} – {person} <{email}>: {rows:~row} ({lead} lead, "
                  "{support} support)"),
    "fill-eml": ("      thư nháp: {file}", "      draft email: {file}"),
    "fill-sent": ("      đã gửi email lúc {when}", "      emailed at {when}"),
    "fill-not-sent": ("      CHƯA GỬI được: {reason}", "      NOT SENT: {reason}"),
    "fill-none": ("Không vai trò nào được giao dòng nào: không tạo phiếu.",
                  "No role leads or supports any row: no workbook written."),
    "fill-idle": ("Không có dòng nào giao cho: {roles} (không tạo phiếu).",
                  "No rows for: {roles} (no workbook written)."),
    "fill-already-sent": ("Đã gửi email phiếu đợt «{round}» trước đó, bỏ qua: {roles}.",
                          "Round '{round}' was already emailed to: {roles} (skipped)."),
    "fill-recorded": ("Đã ghi đợt gửi vào sheet «{sheet}» của sổ; bản sao lưu: {backup}",
                      "Recorded in the master's '{sheet}' sheet; backup: {backup}"),
    "fill-send-failed": ("{n} thư chưa gửi được. Sửa theo hướng dẫn trên rồi chạy lại với "
                         "--round \"{round}\" --send: các thư đã gửi được sẽ bỏ qua.",
                         "{n:~email} not sent. Fix the cause above and run again with "
                         "--round \"{round}\" --send: those already sent are skipped."),
    "fill-refused": ("Không tạo phiếu nào: sổ {file} có {n} lỗi phải sửa trước.",
                     "No workbook written: {file} has {n:~error} to fix first."),
    "fill-refused-end": ("Sửa các lỗi trên rồi chạy lại (kiểm tra: cchc-xl validate {file}).",
                         "Fix them and run again (check with: cchc-xl validate {file})."),
    "unknown-role": ("Không có vai trò «{names}» trong sheet Cán bộ. Các vai trò: {roles}.",
                     "No role '{names}' in the roster. Roles: {roles}."),
    "smtp-sender-missing": ("Chưa có địa chỉ người gửi: đặt CCHC_SMTP_FROM (hoặc dùng "
                            "--smtp-user là một địa chỉ email).",
                            "No sender address: set CCHC_SMTP_FROM (or use an email address "
                            "as --smtp-user)."),
    # cchc-xl new
    "new-table": ("Bảng kế hoạch: {where} (dòng tiêu đề: {header}).",
                  "Plan table: {where} (header: {header})."),
    "new-table-of": ("bảng {table}/{tables} của {file}", "table {table} of {tables} in {file}"),
    "new-columns": ("Cột của sổ lấy từ văn bản:", "Master columns taken from the document:"),
    "new-column": ("  {field} ← cột {n} «{label}»", "  {field} ← column {n} '{label}'"),
    "new-extras": ("Cột không có trong sổ, giữ nguyên sau các cột của sổ (sheet Kế hoạch) và in "
                   "lại trong phụ lục: {labels}.",
                   "Columns the master has no field for, kept after its own columns (sheet Kế "
                   "hoạch) and printed in the appendix: {labels}."),
    "new-codes": ("Mã theo văn bản (I, II, A, …) được đổi sang mã của cây tiêu chí (1, 1.2, …) ở "
                  "cột STT; mã gốc giữ ở cột «{label}» và in lại trong phụ lục.",
                  "Codes as the document writes them (I, II, A, …) became the tree's codes (1, "
                  "1.2, …) in column STT; the written codes are kept in column '{label}' and "
                  "printed in the appendix."),
    "new-roster": ("Danh sách cán bộ: {file}{encoding}, {count} vai trò.",
                   "Roster: {file}{encoding}, {count:~role}."),
    "new-department": ("  Phòng «{name}» chủ trì, phối hợp như nhóm gồm: {members}.",
                       "  Department '{name}' leads and supports as the group of: {members}."),
    # cchc-xl remind
    "remind-none": ("Không có ai cần nhắc việc tính đến {as_of} (hạn trong {within} ngày tới).",
                    "Nobody to remind as of {as_of} (deadlines within {within} days)."),
    "remind-head": ("Nhắc việc tính đến {as_of} (hạn trong {within} ngày tới): {n} cán bộ.",
                    "Reminders as of {as_of} (deadlines within {within} days): "
                    "{n:~officer}."),
    "remind-dry-run": ("Chưa gửi gì (chạy thử): thêm --eml để ghi thư nháp, --send để gửi.",
                       "Nothing sent (a dry run): add --eml to write drafts, --send to send."),
    "remind-officer": ("  {role} – {person} <{email}>: {outcome}",
                       "  {role} – {person} <{email}>: {outcome}"),
    "remind-not-returned": ("      chưa gửi lại phiếu {round} ({file}){attached}",
                            "      has not returned {round} ({file}){attached}"),
    "remind-attached": (", gửi kèm lại", ", attached again"),
    "remind-not-attached": (", KHÔNG gửi kèm được (không còn tệp)",
                            ", NOT attached (the file is gone)"),
    "remind-codes": ("      {label}: {codes}", "      {label}: {codes}"),
    "remind-subject": ("      Tiêu đề: {subject}", "      Subject: {subject}"),
    "remind-eml": ("      thư nháp: {file}", "      draft: {file}"),
    "remind-error": ("      CHƯA GỬI được: {reason}", "      NOT SENT: {reason}"),
    "remind-recorded": ("Đã ghi vào sheet «{sheet}» của sổ; bản sao lưu: {backup}",
                        "Recorded in the master's '{sheet}' sheet; backup: {backup}"),
    # cchc-xl report
    "report-charts": ("Đã vẽ {n} biểu đồ vào sheet «{sheet}» của sổ; bản sao lưu: {backup}",
                      "Drew {n:~chart} on the master's '{sheet}' sheet; backup: {backup}"),
    "report-as-of": ("Sổ được tô màu và ghi ngày theo ngày {as_of} (đổi màu {n} dòng).",
                     "The master is coloured and dated as of {as_of} ({n:~row} changed "
                     "colour)."),
    "report-deadlines": ("Đã tính lại hạn hoàn thành của {n} dòng theo thời gian thực hiện "
                         "(ghi trong Nhật ký).",
                         "Deadlines of {n:~row} derived again from their time frames (see "
                         "the change log)."),
    "report-docx": ("Báo cáo Word: {path}", "Word report: {path}"),
    "report-pdf": ("Báo cáo PDF: {path}", "PDF report: {path}"),
    "report-overdue": ("Nội dung quá hạn (tính đến ngày {as_of}): {n}",
                       "Overdue rows (as of {as_of}): {n}"),
    # cchc-xl validate
    "deadlines-refreshed": ("Đã đặt lại {n} hạn hoàn thành theo thời gian thực hiện (ghi vào "
                            "sheet «{sheet}»).",
                            "Set {n:~deadline} again from the time frame (logged in the "
                            "'{sheet}' sheet)."),
    "validate-backup": ("Bản sao lưu: {backup}", "Backup: {backup}"),
}

# A file's outcome as `consolidate` lists it.
FILE_OUTCOMES: dict[str, tuple[str, str]] = {
    "applied": ("áp dụng", "applied"), "unchanged": ("không đổi", "unchanged"),
    "rejected": ("TỪ CHỐI", "REJECTED"), "duplicate": ("bản trùng", "duplicate"),
    "stale": ("đợt cũ", "older round"), "already": ("đã tổng hợp trước", "done before"),
    "ignored": ("bỏ qua (tệp tạm)", "ignored (temporary)"),
    "issued": ("phiếu phát chưa sửa", "as issued, no reply"),
    "not-read": ("có tệp không phải phiếu", "holds files not read"),
}

# A file's outcome as the master's received sheet stores it (and the report book shows it):
# data read back by later runs, so in the master's one language.
RECEIVED_OUTCOMES: dict[str, str] = {
    "applied": "Đã áp dụng", "unchanged": "Không thay đổi", "rejected": "Từ chối",
    "duplicate": "Bản trùng", "stale": "Phiếu đợt cũ", "already": "Đã tổng hợp trước",
    "ignored": "Bỏ qua (tệp tạm)", "issued": "Phiếu phát chưa sửa",
    "not-read": "Có tệp không phải phiếu",
}

# What to do about the files of an inbox that are not read (inbox.py), by kind.
INBOX_ADVICE: dict[str, tuple[str, str]] = {
    "excel": ("Tệp Excel cũ (.xls) hoặc nhị phân (.xlsb): mở bằng Excel, chọn Save As > Excel "
              "Workbook (.xlsx) rồi gửi lại.",
              "Old (.xls) or binary (.xlsb) Excel files: open them in Excel, Save As > Excel "
              "Workbook (.xlsx), and send them again."),
    "archive-unsupported": (
        "Tệp nén khác .zip (hoặc .zip nằm trong .zip của một .zip): giải nén vào thư mục "
        "phiếu nhận rồi chạy lại.",
        "Archives other than .zip (or a .zip within a .zip within a .zip): extract them into "
        "the inbox folder and run again."),
    "file-not-workbook": (
        "Chỉ đọc phiếu .xlsx, .xlsm, .ods (kể cả trong tệp .zip và thư .eml); nếu trong đó có "
        "phiếu, đề nghị cán bộ gửi lại đúng tệp phiếu.",
        "Only .xlsx, .xlsm and .ods workbooks are read (also in .zip files and .eml e-mails); "
        "if a return is among these, ask the officer to send the workbook itself."),
    "file-not-regular": (
        "Tệp đặc biệt (ống dẫn, thiết bị, socket) không bao giờ được đọc: xóa khỏi thư mục "
        "phiếu nhận.",
        "Special files (pipes, devices, sockets) are never read: remove them from the inbox."),
    "file-symlink": (
        "Liên kết tượng trưng không được đọc theo: chép chính tệp phiếu vào thư mục nếu cần.",
        "Symbolic links are not followed: copy the workbook itself into the folder if needed."),
    "file-temporary": (
        "Tệp tạm và tệp hệ thống (của Excel, LibreOffice, macOS, Windows) không phải phiếu: "
        "không cần làm gì với chúng.",
        "Temporary and system files (of Excel, LibreOffice, macOS, Windows) are not returns: "
        "nothing to do about them."),
}

# A reminder's outcome as `remind` lists it.
REMINDER_OUTCOMES: dict[str, tuple[str, str]] = {
    "would-send": ("sẽ gửi", "would be sent"), "drafted": ("đã ghi thư nháp", "drafted"),
    "sent": ("đã gửi", "sent"),
    "skipped-already-sent": ("bỏ qua, hôm nay đã gửi đúng thư này",
                             "skipped, this very reminder went today"),
    "failed": ("CHƯA GỬI được", "NOT SENT"), "no-address": ("không có email", "no e-mail"),
}

# Why a reminder goes, as `remind` counts them.
REMINDER_REASONS: dict[str, tuple[str, str]] = {
    "overdue": ("quá hạn", "overdue"), "due-soon": ("sắp đến hạn", "due soon"),
    "rejected": ("giá trị bị từ chối", "refused values"),
}

# The outcome of the Excel button on the «Điều khiển» sheet.
CONTROL: dict[str, tuple[str, str]] = {
    "request-invalid": ("Chưa chạy: sửa {cells} trên sheet «{sheet}» rồi bấm lại (xem danh sách "
                        "vấn đề bên dưới).",
                        "Not run: correct {cells} on the '{sheet}' sheet and run again (see the "
                        "problems below)."),
    "validate-clean": ("Sổ không có vấn đề nào.", "No problems found in the master."),
    "validate-problems": ("Kiểm tra xong: {errors} lỗi, {warnings} cảnh báo, {infos} thông tin. "
                          "Xem các ô trong danh sách bên dưới.",
                          "Checked: {errors:~error}, {warnings:~warning}, {infos:~note}. See the "
                          "cells listed below."),
    "fill-done": ("Đã tạo {n} phiếu đợt «{round}» trong thư mục {dir} (hạn gửi lại {due}). Gửi "
                  "mỗi phiếu cho cán bộ có tên trong tên tệp{eml}.",
                  "Wrote {n:~workbook} for round '{round}' into {dir} (return by {due}). Send "
                  "each to the officer its file is named after{eml}."),
    "fill-eml": (" (thư nháp .eml nằm cạnh phiếu, mở bằng Outlook để gửi)",
                 " (draft .eml emails are beside them, open them in Outlook to send)"),
    "fill-none": ("Không vai trò nào được giao dòng nào: không tạo phiếu.",
                  "No role leads or supports any row: no workbook written."),
    "fill-refused": ("Không tạo phiếu nào: sổ có {n} lỗi phải sửa trước (xem bên dưới), rồi "
                     "bấm lại.",
                     "No workbook written: the master has {n:~error} to fix first (see below)."),
    "consolidate-done": ("Đã tổng hợp {files} tệp: {changes} thay đổi được áp dụng, {conflicts} "
                         "xung đột, {problems} từ chối hoặc cảnh báo. {missing}",
                         "Consolidated {files:~file}: {changes:~change} applied, "
                         "{conflicts:~conflict}, {problems} rejected or warnings. {missing}"),
    "missing": ("Chưa gửi lại: {names}.", "Not returned yet: {names}."),
    "none-missing": ("Tất cả cán bộ đã gửi lại phiếu đợt mới nhất.",
                     "Every officer has returned the latest round."),
    "rescore-done": ("Chỉ số toàn bộ {index} % ({rating}), dự kiến {projected} % khi xong các "
                     "việc đã báo. Tính đến {as_of}: {overdue} dòng quá hạn.",
                     "Whole index {index} % ({rating}), {projected} % projected once the "
                     "reported work is done. As of {as_of}: {overdue:~row} overdue."),
    "export-done": ("Đã xuất phụ lục kế hoạch ({rows} dòng) ra tệp Word {path}.",
                    "Exported the plan appendix ({rows:~row}) to the Word file {path}."),
    "report-done": ("Đã lập báo cáo tiến độ {path} (tính đến {as_of}: {overdue} dòng quá hạn); "
                    "bảng tóm tắt và biểu đồ ở sheet «{sheet}» của sổ.",
                    "Wrote the progress report {path} (as of {as_of}: {overdue:~row} "
                    "overdue); the dashboard and charts are on the master's '{sheet}' sheet."),
    "new-done": ("Đã tạo sổ mới {path} ({rows} dòng kế hoạch) từ {plan}. Mở sổ mới, kiểm tra "
                 "sheet «Cán bộ», rồi chạy «cchc-xl excel-setup» cho sổ đó.",
                 "Created the new master {path} ({rows:~plan row}) from {plan}. Open it, check "
                 "the 'Cán bộ' sheet, then run 'cchc-xl excel-setup' on it."),
    "more": (" Còn {n} vấn đề khác không hiện ở đây.", " {n:~more problem} not shown here."),
    "remind-done": ("Đã ghi {n} thư nhắc việc (.eml) vào thư mục {dir}, mở bằng Outlook để gửi: "
                    "{names}.",
                    "Wrote {n:~reminder} (.eml) into {dir}, open them in Outlook to send: "
                    "{names}."),
    "remind-none": ("Không có ai cần nhắc việc (hoặc hôm nay đã nhắc đúng những việc này).",
                    "Nobody to remind (or these very reminders were written today)."),
    "locked": ("Sổ đang mở ở nơi khác hoặc đang được ghi ({lock}). Đóng sổ ở máy/cửa sổ kia "
               "rồi bấm lại.",
               "The master is open elsewhere or being written ({lock}). Close it there and run "
               "again."),
    "unreadable": ("Không đọc được sổ {file}: {reason}", "Cannot read the master {file}: {reason}"),
    "unusable": ("Không dùng được sổ này để chạy: {reason}",
                 "This master cannot be used: {reason}"),
    "unexpected": ("Lỗi không lường trước: {error}. Chạy lệnh «{command} --debug» trong cửa sổ "
                   "lệnh để xem chi tiết, rồi gửi cho người hỗ trợ.",
                   "Unexpected error: {error}. Run '{command} --debug' in a terminal for the "
                   "details and send them to support."),
    "not-local": ("Sổ phải được lưu thành tệp .xlsx trong một thư mục trên máy này (không phải "
                  "trên OneDrive/SharePoint trực tuyến) để chạy được: {file}",
                  "Save the master as an .xlsx file in a folder on this computer (not online on "
                  "OneDrive/SharePoint) to run it: {file}"),
    "not-recorded": (" (Không ghi được kết quả vào sổ: {reason}.)",
                     " (The outcome could not be written into the master: {reason}.)"),
}

# Labels of the counts written in «Số liệu» on the control sheet.
COUNT_LABELS: dict[str, tuple[str, str]] = {
    "errors": ("lỗi", "errors"), "warnings": ("cảnh báo", "warnings"),
    "infos": ("thông tin", "notes"), "workbooks": ("phiếu đã tạo", "workbooks written"),
    "files": ("tệp đã đọc", "files read"), "changes": ("thay đổi", "changes"),
    "conflicts": ("xung đột", "conflicts"), "rejected": ("từ chối hoặc cảnh báo",
                                                         "rejected or warnings"),
    "not_returned": ("cán bộ chưa gửi lại", "officers not returned"),
    "not_started": ("dòng chưa thực hiện", "rows not started"),
    "in_progress": ("dòng đang thực hiện", "rows in progress"),
    "done": ("dòng hoàn thành", "rows done"), "overdue": ("dòng quá hạn", "rows overdue"),
    "reminders": ("thư nhắc việc", "reminders"),
    "rows": ("dòng kế hoạch", "plan rows"),
}

# What still needs the office's action (needs_action.py), one phrase each.
NEEDS: dict[str, tuple[str, str]] = {
    "none": ("Xong, không còn việc nào cần làm.", "Done, nothing left to act on."),
    "some": ("Xong. Còn việc cần làm: {items}.", "Done. Still to act on: {items}."),
    "not-returned": ("{n} cán bộ chưa gửi lại ({names})", "{n:~officer} not returned ({names})"),
    "overdue": ("{n} dòng quá hạn ({codes})", "{n:~row} overdue ({codes})"),
    "rejected": ("{n} giá trị bị từ chối chưa được gửi lại", "{n:~refused value} still open"),
    "flagged": ("{n} {label}", "{n} {label}"),
}

# Validator problems that are work for the office, counted under these labels
# (keyed by problem code).
NEEDS_LABELS: dict[str, tuple[str, str]] = {
    "done-without-evidence": ("dòng hoàn thành chưa có minh chứng",
                              "rows done without evidence"),
    "expected-exceeds-evidence": ("dòng dự kiến thu hồi nhiều điểm hơn minh chứng",
                                  "rows expecting more points than their evidence supports"),
}

# The text of a reminder e-mail (remind_message.py).
REMINDER: dict[str, tuple[str, str]] = {
    "subject": ("Nhắc việc: {round}Kế hoạch CCHC năm {year} – {role}",
                "Reminder: {round}CCHC plan {year} – {role}"),
    "greeting": ("Kính gửi {person},", "Dear {person},"),
    "intro": ("Văn phòng UBND xã {commune} nhắc đồng chí ({role}) những việc còn phải làm "
              "trong Kế hoạch cải cách hành chính năm {year}, tính đến ngày {as_of}:",
              "The office of the People's Committee of {commune} reminds you ({role}) of what "
              "is still to be done in the {year} administrative reform plan, as of {as_of}:"),
    "not-returned": ("Đồng chí chưa gửi lại phiếu cập nhật {round} (tệp {file}, phát ngày "
                     "{issued}, hạn gửi lại {due}).",
                     "You have not returned the update workbook of {round} (file {file}, "
                     "issued on {issued}, to be returned by {due})."),
    "attached": ("Phiếu được gửi kèm lại thư này: đồng chí cập nhật các ô màu vàng rồi gửi lại "
                 "cho Văn phòng.",
                 "The workbook is attached again: fill in its yellow cells and send it back "
                 "to the office."),
    "not-attached": ("Tệp phiếu không còn trong thư mục của Văn phòng nên không gửi kèm được: "
                     "đồng chí dùng tệp đã nhận trong thư trước, hoặc báo Văn phòng để gửi lại.",
                     "The workbook is no longer in the office's folder, so it is not attached: "
                     "use the file of the earlier e-mail, or ask the office to send it again."),
    "overdue-head": ("Nội dung quá hạn (đồng chí chủ trì):",
                     "Overdue (you lead):"),
    "due-soon-head": ("Nội dung sắp đến hạn, trong {within} ngày tới (đồng chí chủ trì):",
                      "Due within the next {within} days (you lead):"),
    "rejected-head": ("Giá trị bị từ chối, chưa gửi lại đúng:",
                      "Values refused and not yet sent again correctly:"),
    "row": ("- {code} {title} (hạn {deadline}, trạng thái {status}): {why}",
            "- {code} {title} (deadline {deadline}, status {status}): {why}"),
    "overdue": ("quá hạn {days} ngày.", "{days:~day} overdue."),
    "due-today": ("đến hạn hôm nay.", "due today."),
    "due-in": ("còn {days} ngày.", "{days:~day} left."),
    "no-deadline": ("chưa có hạn", "none"),
    "rejected": ("«{label}» gửi về «{value}» bị từ chối ({round}): {message}",
                 "'{label}' sent as '{value}' was refused ({round}): {message}"),
    "closing": ("Đồng chí cập nhật các nội dung trên trong phiếu và gửi lại cho Văn phòng.",
                "Please update these in your workbook and send it back to the office."),
    "regards": ("Trân trọng.\nVăn phòng UBND xã {commune}",
                "Kind regards,\nThe office of the People's Committee of {commune}"),
}

# Excel features the tool cannot keep (fidelity.py): Vietnamese and English names.
FEATURES: dict[str, tuple[str, str]] = {
    "shape": ("hình vẽ / hộp chữ / mũi tên (shape)", "shapes, text boxes or arrows"),
    "smartart": ("SmartArt hoặc đối tượng đồ họa khác", "SmartArt or other graphic objects"),
    "svg-image": ("ảnh SVG", "SVG images"),
    "slicer": ("slicer (bộ lọc trực quan)", "slicers"),
    "timeline": ("timeline (bộ lọc thời gian)", "timelines"),
    "threaded-comment": ("bình luận dạng hội thoại (threaded comment)", "threaded comments"),
    "vba": ("macro VBA", "VBA macros"),
    "activex": ("điều khiển ActiveX", "ActiveX controls"),
    "form-control": ("nút bấm / ô đánh dấu (form control)", "form controls (buttons, checkboxes)"),
    "ole-object": ("đối tượng nhúng (OLE)", "embedded (OLE) objects"),
    "sparkline": ("biểu đồ thu nhỏ trong ô (sparkline)", "sparklines"),
    "x14-conditional-formatting": (
        "định dạng có điều kiện kiểu Excel 2010+ (thanh dữ liệu, bộ biểu tượng, tham chiếu sheet "
        "khác)", "Excel 2010+ conditional formatting (data bars, icon sets, other-sheet refs)"),
    "web-extension": ("phần bổ trợ web (web add-in)", "web add-ins"),
    "background-image": ("ảnh nền sheet", "sheet background pictures"),
    "header-image": ("ảnh trong đầu trang / chân trang", "pictures in headers or footers"),
    "rich-text": ("chữ định dạng từng phần trong một ô (rich text)",
                  "cells with partly formatted text (rich text)"),
    "dynamic-array": ("công thức mảng động (dynamic array)", "dynamic array formulas"),
    "data-connection": ("kết nối dữ liệu / Power Query", "data connections / Power Query"),
    "data-model": ("mô hình dữ liệu (Power Pivot)", "the data model (Power Pivot)"),
    "rich-data": ("ảnh trong ô / kiểu dữ liệu liên kết", "pictures in cells / linked data types"),
    "custom-xml": ("dữ liệu customXml (thuộc tính tài liệu của SharePoint…)",
                   "customXml data (SharePoint document properties…)"),
    "extension": ("phần mở rộng của Excel không rõ loại", "an unknown Excel extension"),
}

# Why an e-mail was not sent (mail.py), as the user reads it: what happened, then what to do.
MAIL: dict[str, tuple[str, str]] = {
    "recipient-refused": ("Máy chủ thư từ chối người nhận {address}: {code} {text}. Kiểm tra lại "
                          "địa chỉ email của người này.",
                          "The mail server refused the recipient {address}: {code} {text}. "
                          "Check this person's e-mail address."),
    "no-recipient": ("Thư không có người nhận. Điền địa chỉ email của người nhận.",
                     "The message has no recipient. Enter the recipient's e-mail address."),
    "sender-refused": ("Máy chủ thư từ chối địa chỉ gửi {address}: {code} {text}. Đặt "
                       "CCHC_SMTP_FROM là địa chỉ của chính tài khoản đăng nhập.",
                       "The mail server refused the sender {address}: {code} {text}. Set "
                       "CCHC_SMTP_FROM to the address of the account you log in with."),
    "data-refused": ("Máy chủ thư không nhận nội dung thư: {code} {text}. Tệp đính kèm có thể "
                     "quá lớn hoặc thư bị coi là thư rác.",
                     "The mail server did not accept the message: {code} {text}. The "
                     "attachment may be too large or the message taken for spam."),
    "auth-failed": ("Đăng nhập máy chủ thư bằng tài khoản {user} không thành công: {code} "
                    "{text}. Kiểm tra tên đăng nhập và mật khẩu (Gmail cần «mật khẩu ứng "
                    "dụng»).",
                    "Logging in to the mail server as {user} failed: {code} {text}. Check the "
                    "user name and password (Gmail needs an 'app password')."),
    "auth-unsupported": ("Máy chủ thư {host}:{port} không cho đăng nhập ({detail}). Kiểm tra "
                         "cổng (thường là 587 với STARTTLS hoặc 465) hoặc bỏ CCHC_SMTP_USER.",
                         "The mail server {host}:{port} does not allow logging in ({detail}). "
                         "Check the port (usually 587 with STARTTLS, or 465) or unset "
                         "CCHC_SMTP_USER."),
    "password-missing": ("Chưa có mật khẩu của tài khoản {user}. Đặt CCHC_SMTP_PASSWORD hoặc "
                         "nhập mật khẩu khi được hỏi.",
                         "There is no password for the account {user}. Set CCHC_SMTP_PASSWORD "
                         "or type the password when asked."),
    "password-not-ascii": ("Mật khẩu của tài khoản {user} có ký tự có dấu hoặc ký tự đặc biệt "
                           "ngoài ASCII, không gửi được qua SMTP. Đổi sang mật khẩu không dấu.",
                           "The password of the account {user} has accented or other non-ASCII "
                           "characters, which SMTP cannot send. Change it to one without."),
    "password-in-clear": ("Không gửi mật khẩu qua kết nối không mã hóa tới {host}:{port}. Bật "
                          "STARTTLS (CCHC_SMTP_STARTTLS=1) hoặc dùng cổng 465.",
                          "The password is not sent over an unencrypted connection to "
                          "{host}:{port}. Turn STARTTLS on (CCHC_SMTP_STARTTLS=1) or use port "
                          "465."),
    "starttls-unsupported": ("Máy chủ thư {host}:{port} không hỗ trợ STARTTLS nên thư không "
                             "được gửi. Dùng cổng 465, hoặc đặt CCHC_SMTP_STARTTLS=0 nếu đây là "
                             "máy chủ nội bộ tin cậy.",
                             "The mail server {host}:{port} does not support STARTTLS, so "
                             "nothing was sent. Use port 465, or set CCHC_SMTP_STARTTLS=0 if "
                             "this is a trusted internal server."),
    "certificate-invalid": ("Chứng chỉ TLS của máy chủ thư {host} không hợp lệ ({detail}). "
                            "Kiểm tra CCHC_SMTP_HOST có đúng tên máy chủ thư không.",
                            "The TLS certificate of the mail server {host} is not valid "
                            "({detail}). Check that CCHC_SMTP_HOST is the mail server's name."),
    "tls-failed": ("Không thiết lập được kết nối mã hóa với {host}:{port} ({detail}). Cổng 465 "
                   "dùng SMTPS, cổng 587 dùng STARTTLS: kiểm tra CCHC_SMTP_PORT.",
                   "No encrypted connection could be made to {host}:{port} ({detail}). Port "
                   "465 uses SMTPS, port 587 STARTTLS: check CCHC_SMTP_PORT."),
    "host-not-found": ("Không tìm thấy máy chủ thư {host}. Kiểm tra CCHC_SMTP_HOST và mạng.",
                       "The mail server {host} was not found. Check CCHC_SMTP_HOST and the "
                       "network."),
    "connection-refused": ("Không kết nối được tới máy chủ thư {host}:{port} (máy chủ từ chối "
                           "kết nối). Kiểm tra CCHC_SMTP_HOST và CCHC_SMTP_PORT.",
                           "Cannot connect to the mail server {host}:{port} (it refused the "
                           "connection). Check CCHC_SMTP_HOST and CCHC_SMTP_PORT."),
    "timeout": ("Máy chủ thư {host}:{port} không trả lời sau {timeout:g} giây. Kiểm tra mạng, "
                "tường lửa và CCHC_SMTP_PORT.",
                "The mail server {host}:{port} did not answer within {timeout:g} seconds. "
                "Check the network, the firewall and CCHC_SMTP_PORT."),
    "disconnected": ("Máy chủ thư {host}:{port} ngắt kết nối ({detail}). Chạy lại lệnh để gửi "
                     "các thư còn lại.",
                     "The mail server {host}:{port} closed the connection ({detail}). Run "
                     "again to send the rest."),
    "server-busy": ("Máy chủ thư {host}:{port} tạm ngừng nhận thư: {code} {text}. Chạy lại lệnh "
                    "sau ít phút để gửi các thư còn lại.",
                    "The mail server {host}:{port} is not taking mail for now: {code} {text}. "
                    "Run again in a few minutes to send the rest."),
    "gave-up": ("Chưa gửi: máy chủ thư {host}:{port} ngắt kết nối hai lần liên tiếp. Chạy lại "
                "lệnh sau ít phút để gửi các thư còn lại.",
                "Not sent: the mail server {host}:{port} closed the connection twice in a row. "
                "Run again in a few minutes to send the rest."),
    "network": ("Lỗi mạng khi gửi thư qua {host}:{port}: {detail}.",
                "Network error while sending through {host}:{port}: {detail}."),
    "server-error": ("Máy chủ thư báo lỗi: {code} {text}.",
                     "The mail server reports an error: {code} {text}."),
    "smtp-error": ("Lỗi SMTP: {detail}.", "SMTP error: {detail}."),
    "sender-missing": ("Thư chưa có địa chỉ người gửi. Đặt CCHC_SMTP_FROM.",
                       "The message has no sender address. Set CCHC_SMTP_FROM."),
    "message-invalid": ("Thư không hợp lệ: {detail}.", "The message is not valid: {detail}."),
    "partly-refused": ("Đã gửi, nhưng máy chủ thư từ chối {addresses}.",
                       "Sent, but the mail server refused {addresses}."),
}

# Each command's help and each option's (`--help`), by command, "command.option" (an option
# of one command) or "option" (one every command that has it shares); usage.Command shows it.
HELP: dict[str, tuple[str, str]] = {
    "cli": ("cchc-xl: theo dõi Kế hoạch cải cách hành chính (Chỉ số CCHC) của xã trong Excel.",
            "cchc-xl: a commune's administrative reform (PAR index) plan, tracked in Excel."),
    "cli.version": ("Hiện phiên bản rồi thoát.", "Show the version and exit."),
    "cli.lang": ("Ngôn ngữ thông báo (trước hoặc sau tên lệnh).",
                 "Message language (before or after the command)."),
    "lang": ("Ngôn ngữ thông báo.", "Message language."),
    "debug": ("Hiện traceback khi có lỗi.", "Show tracebacks on errors."),
    "quiet": ("Không hiện thanh tiến trình.", "No progress bar."),
    "smtp_host": ("Máy chủ SMTP (hoặc biến CCHC_SMTP_HOST).",
                  "SMTP server (or CCHC_SMTP_HOST)."),
    "smtp_port": ("Cổng SMTP (hoặc CCHC_SMTP_PORT; mặc định 587).",
                  "SMTP port (or CCHC_SMTP_PORT; 587 by default)."),
    "starttls": ("Mã hóa bằng STARTTLS (mặc định bật; hoặc CCHC_SMTP_STARTTLS).",
                 "Encrypt with STARTTLS (on by default; or CCHC_SMTP_STARTTLS)."),
    "smtp_user": ("Tài khoản SMTP (hoặc CCHC_SMTP_USER); mật khẩu lấy từ CCHC_SMTP_PASSWORD "
                  "hoặc được hỏi khi chạy, không bao giờ lưu lại.",
                  "SMTP account (or CCHC_SMTP_USER); the password comes from "
                  "CCHC_SMTP_PASSWORD or is asked for, and is never stored."),
    "consolidate": ("Tổng hợp các phiếu gửi về trong thư mục INBOX vào sổ MASTER, chấm lại điểm, "
                    "tô màu.",
                    "Merge the returns in folder INBOX into the master MASTER, score again, "
                    "colour."),
    "consolidate.dry_run": ("Chỉ cho xem thay đổi, không ghi gì.",
                            "Only show the changes, write nothing."),
    "consolidate.as_of": ("Ngày tính quá hạn (dd/mm/yyyy), mặc định hôm nay.",
                          "The day overdue is counted to (dd/mm/yyyy), today by default."),
    "consolidate.as_json": ("In báo cáo dạng JSON.", "Print the report as JSON."),
    "demo": ("Chạy ví dụ có sẵn (kế hoạch xã Sơn Giang 2021) trong thư mục DIRECTORY: tạo sổ, "
             "kiểm tra, tạo phiếu, giả lập phiếu gửi về (có lỗi thường gặp) và tổng hợp. "
             "DIRECTORY phải là thư mục mới hoặc trống.",
             "Run the built-in example (Sơn Giang commune's 2021 plan) in folder DIRECTORY: "
             "build the master, validate it, issue workbooks, simulate returns (with the usual "
             "mistakes) and consolidate. DIRECTORY must be new or empty."),
    "excel-setup": ("Chuẩn bị sổ MASTER để chạy ngay trong Excel: thêm sheet «Điều khiển», tạo "
                    "tệp .py cho nút «Run main» của xlwings, cài add-in xlwings (Windows, "
                    "macOS).",
                    "Make the master MASTER run from Excel: add the 'Điều khiển' sheet, write "
                    "the .py file for xlwings' 'Run main' button, install the xlwings add-in "
                    "(Windows, macOS)."),
    "excel-setup.rename": ("Tự đổi tên sổ thành tên dùng được với nút bấm (nếu tên hiện tại "
                           "không dùng được).",
                           "Rename the master to a name the button can use (when its name "
                           "cannot be used)."),
    "excel-setup.addin": ("Cài add-in xlwings cho Excel (chỉ trên Windows và macOS).",
                          "Install the xlwings add-in for Excel (Windows and macOS only)."),
    "excel-setup.force": ("Ghi đè tệp .py cùng tên sổ dù không do cchc-xl tạo.",
                          "Overwrite the .py file named as the master even if cchc-xl did not "
                          "write it."),
    "excel-setup.as_json": ("In kết quả dạng JSON.", "Print the result as JSON."),
    "export": ("Xuất phụ lục kế hoạch từ số liệu hiện tại của sổ MASTER ra Word, đúng thể thức "
               "Nghị định 30/2020/NĐ-CP (A4 ngang, Times New Roman, lặp tiêu đề bảng, số trang).",
               "Export the plan appendix from the master MASTER as it stands to Word, in the "
               "format of Decree 30/2020/NĐ-CP (A4 landscape, Times New Roman, repeated table "
               "header, page numbers)."),
    "export.out": ("Tệp Word cần ghi (mặc định: <tên sổ>_phu-luc.docx cạnh sổ).",
                   "The Word file to write (default: <master>_phu-luc.docx beside the master)."),
    "export.pdf": ("Xuất thêm bản PDF (cần LibreOffice).", "Also a PDF (needs LibreOffice)."),
    "fill": ("Tạo phiếu cập nhật (.xlsx) cho từng cán bộ từ sổ MASTER và ghi đợt gửi vào sổ.",
             "Write an update workbook (.xlsx) for each officer from the master MASTER and "
             "record the round in it."),
    "fill.out_dir": ("Thư mục ghi các phiếu (tạo nếu chưa có).",
                     "The folder to write the workbooks into (made if missing)."),
    "fill.round_name": ("Tên đợt (mặc định «Đợt N», N tiếp theo).",
                        "The round's name ('Đợt N' by default, the next N)."),
    "fill.only": ("Chỉ tạo phiếu cho vai trò này (tên hoặc cách viết; lặp lại được).",
                  "Only a workbook for this role (its name or a way of writing it; may be "
                  "repeated)."),
    "fill.eml": ("Ghi thêm thư nháp .eml (kèm phiếu) cạnh mỗi phiếu, mở bằng Outlook để gửi.",
                 "Also write a draft e-mail (.eml, the workbook attached) beside each workbook, "
                 "to open in Outlook and send."),
    "fill.send": ("Gửi email phiếu cho từng cán bộ qua SMTP.",
                  "E-mail each officer their workbook over SMTP."),
    "fill.as_json": ("In kết quả dạng JSON.", "Print the result as JSON."),
    "new": ("Tạo sổ theo dõi MASTER từ kế hoạch (--from).",
            "Build the master MASTER from the plan (--from)."),
    "new.plan": ("Kế hoạch: tệp .docx hoặc văn bản .txt (Word > Save as > Plain text).",
                 "The plan: a .docx file or a .txt text (Word > Save as > Plain text)."),
    "new.roster": ("Danh sách cán bộ (.xlsx, hoặc .csv UTF-8/UTF-16/Windows): Vai trò, Họ và "
                   "tên, Email, và Phòng nếu vai trò thuộc một phòng.",
                   "The roster (.xlsx, or .csv in UTF-8/UTF-16/Windows): role (Vai trò), name "
                   "(Họ và tên), e-mail, and department (Phòng) where the role is in one."),
    "new.force": ("Ghi đè sổ đã có (sao lưu trước).",
                  "Overwrite an existing master (backed up first)."),
    "remind": ("Nhắc việc: mỗi cán bộ chưa gửi lại phiếu, có dòng quá hạn hoặc sắp đến hạn, hoặc "
               "có giá trị bị từ chối nhận một thư (chạy thử nếu không có --eml hay --send).",
               "Reminders: one message to each officer who has not returned their workbook, "
               "leads rows overdue or due soon, or has refused values (a dry run without --eml "
               "or --send)."),
    "remind.out_dir": ("Thư mục các phiếu đã phát (mặc định: thư mục lần tạo phiếu gần nhất); "
                       "thư nháp .eml cũng ghi vào đây.",
                       "The folder of the issued workbooks (default: the last fill's); the "
                       ".eml drafts are written there too."),
    "remind.as_of": ("Tính quá hạn và sắp đến hạn đến ngày này (mặc định hôm nay).",
                     "Count overdue and due soon to this day (today by default)."),
    "remind.within_days": ("Sắp đến hạn: hạn trong số ngày tới này.",
                           "Due soon: due within this many days."),
    "remind.eml": ("Ghi thư nháp .eml cho từng cán bộ (mở bằng Outlook).",
                   "Write a draft e-mail (.eml) for each officer (to open in Outlook)."),
    "remind.send": ("Gửi email nhắc việc qua SMTP.", "Send the reminders over SMTP."),
    "remind.again": ("Gửi cả những thư hôm nay đã gửi với cùng nội dung.",
                     "Send again the messages already sent today with the same content."),
    "remind.as_json": ("In kết quả dạng JSON.", "Print the result as JSON."),
    "report": ("Báo cáo tiến độ: vẽ biểu đồ vào sheet Tổng hợp của sổ MASTER và lập báo cáo Word "
               "(bảng điểm theo lĩnh vực, tiến độ theo cán bộ, nội dung quá hạn, biểu đồ).",
               "Progress report: draw the charts on the master MASTER's summary sheet and write "
               "the Word report (scores by area, progress by officer, overdue items, charts)."),
    "report.out": ("Tệp .docx, hoặc thư mục để ghi báo cáo (mặc định: cạnh sổ).",
                   "A .docx file, or the folder to write the report into (default: beside the "
                   "master)."),
    "report.as_of": ("Ngày tính quá hạn (dd/mm/yyyy), mặc định hôm nay.",
                     "The day overdue is counted to (dd/mm/yyyy), today by default."),
    "report.pdf": ("Xuất thêm bản PDF (cần LibreOffice).", "Also a PDF (needs LibreOffice)."),
    "report.as_json": ("In kết quả dạng JSON.", "Print the result as JSON."),
    "validate": ("Kiểm tra sổ theo dõi MASTER: công thức, số liệu, cây tiêu chí, vai trò.",
                 "Check the master MASTER: formulas, figures, the tree of criteria, roles."),
    "validate.as_json": ("In báo cáo dạng JSON.", "Print the report as JSON."),
    "validate.recalc": ("Tính lại bằng LibreOffice và so sánh.",
                        "Recalculate with LibreOffice and compare."),
    "validate.fix": ("Đặt lại công thức bị hỏng và hạn hoàn thành theo thời gian thực hiện (sao "
                     "lưu trước).",
                     "Put back broken formulas and the deadlines from the time frames (backed "
                     "up first)."),
}

# The progress bar (cli/progress_bar.py): its label by command, "opening" the master, and the
# steps the library names by a key rather than by a file ("step.<key>": demo.STEPS, charts).
PROGRESS: dict[str, tuple[str, str]] = {
    "consolidate": ("Đọc phiếu", "Reading returns"),
    "fill": ("Tạo phiếu", "Writing workbooks"),
    "report": ("Lập báo cáo", "Writing the report"),
    "export": ("Xuất phụ lục", "Exporting the appendix"),
    "demo": ("Chạy ví dụ", "Running the demo"),
    "opening": ("Mở sổ", "Opening the master"),
    "step.charts": ("đã vẽ biểu đồ", "charts drawn"),
    "step.master": ("đã tạo sổ", "master built"),
    "step.validate": ("đã kiểm tra sổ", "master checked"),
    "step.fill": ("đã tạo phiếu", "workbooks issued"),
    "step.returns": ("đã có phiếu gửi về", "returns written"),
    "step.consolidate": ("đã tổng hợp", "returns consolidated"),
    "step.remind": ("đã soạn thư nhắc", "reminders drafted"),
}

# click's own usage errors and help, said in the user's language (usage.py).
USAGE: dict[str, tuple[str, str]] = {
    "usage": ("Cách dùng:", "Usage:"),
    "try-help": ("Xem «{command} {option}» để biết cách dùng.",
                 "Try '{command} {option}' for help."),
    "error": ("Lỗi: {message}", "Error: {message}"),
    "default": ("mặc định: {value}", "default: {value}"),
    "required": ("bắt buộc", "required"),
    "missing-argument": ("Thiếu tham số {name}.", "Missing argument {name}."),
    "missing-option": ("Thiếu tùy chọn {name}.", "Missing option {name}."),
    "no-such-option": ("Không có tùy chọn {name}.", "No such option: {name}."),
    "did-you-mean": (" Có phải ý bạn là {names}?", " Did you mean {names}?"),
    "no-such-command": ("Không có lệnh «{name}». Các lệnh: {commands}.",
                        "No such command '{name}'. The commands: {commands}."),
    "needs-value": ("Tùy chọn {name} cần một giá trị.", "Option {name} requires a value."),
    "takes-no-value": ("Tùy chọn {name} không nhận giá trị.",
                       "Option {name} does not take a value."),
    "extra-arguments": ("Thừa tham số: {args}.", "Got unexpected extra arguments: {args}."),
    "bad-value": ("{name}: {message}", "{name}: {message}"),
    "bad-date": ("«{value}» không phải ngày: gõ ngày dạng {formats}, ví dụ 30/06/2021.",
                 "'{value}' is not a date: type it as {formats}, e.g. 30/06/2021."),
    "bad-choice": ("«{value}» không phải một trong {choices}.",
                   "'{value}' is not one of {choices}."),
    "bad-number": ("«{value}» không phải số nguyên.", "'{value}' is not a whole number."),
    "bad-number-min": ("«{value}» nhỏ hơn {low}: gõ một số từ {low} trở lên.",
                       "'{value}' is less than {low}: type a number of {low} or more."),
    "no-such-file": ("Không có tệp hoặc thư mục «{value}»: kiểm tra tên và thư mục.",
                     "There is no file or folder '{value}': check its name and folder."),
    "is-a-folder": ("«{value}» là thư mục, không phải tệp.",
                    "'{value}' is a folder, not a file."),
    "is-a-file": ("«{value}» là tệp, không phải thư mục.", "'{value}' is a file, not a folder."),
    "options": ("Tùy chọn", "Options"),
    "commands": ("Lệnh", "Commands"),
    "help": ("Hiện hướng dẫn này rồi thoát.", "Show this message and exit."),
    "version": ("Hiện phiên bản rồi thoát.", "Show the version and exit."),
    "aborted": ("Đã dừng.", "Aborted."),
}

SECTIONS = {
    "cli": CLI, "file-outcome": FILE_OUTCOMES, "reminder-outcome": REMINDER_OUTCOMES,
    "reminder-reason": REMINDER_REASONS, "control": CONTROL, "count": COUNT_LABELS,
    "needs": NEEDS, "needs-label": NEEDS_LABELS, "reminder": REMINDER, "feature": FEATURES,
    "mail": MAIL, "usage": USAGE, "inbox-advice": INBOX_ADVICE, "help": HELP,
    "progress": PROGRESS,
}


def text(section: str, key: str, lang: str = "vi", **fields: object) -> str:
    """The text `key` of a section of the catalogue, in a language, with its fields."""
    return pick(SECTIONS[section][key], lang, **fields)


def speaker(section: str):
    """say(key, lang, **fields) for one section: what a module that speaks from it imports."""

    def say(key: str, lang: str = "vi", **fields: object) -> str:
        return pick(SECTIONS[section][key], lang, **fields)

    return say


def bilingual(section: str, key: str, **fields: object):
    """The text in both languages at once (a messages.Bilingual), for a reason built deep in the
    library before anyone knows who reads it."""
    from .messages import Bilingual

    return Bilingual(text(section, key, "vi", **fields), text(section, key, "en", **fields))
