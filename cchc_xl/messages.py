"""Problem messages in Vietnamese (default) and English, each saying how to fix it."""

from __future__ import annotations

# code: (Vietnamese, English). Fields: {value} and the problem's params.
MESSAGES: dict[str, tuple[str, str]] = {
    # files and structure
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
        "«{value}» là chữ, không phải số. Gõ lại bằng số{hint}.",
        "'{value}' is text, not a number. Type it again as a number{hint}.",
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
        "Tổng điểm chuẩn của các tiêu chí con ({children}) lớn hơn điểm chuẩn của {code} "
        "({value}). Kiểm tra lại điểm chuẩn.",
        "The children's maximum points ({children}) exceed the maximum of {code} ({value}). "
        "Check the maximum points.",
    ),
    "lost-children-mismatch": (
        "Điểm bị mất của {code} là {value} nhưng tổng điểm bị mất của các tiêu chí con là "
        "{children} (chênh {difference}). Kiểm tra điểm thẩm định hoặc bổ sung tiêu chí còn "
        "thiếu.",
        "{code} lost {value} points but its children lost {children} in total (difference "
        "{difference}). Check the appraised points or add the missing criteria.",
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
        "Không đọc được thời hạn từ «{value}». Viết dạng «Trong năm 2021», «Quý II/2021», "
        "«Tháng 6/2021» hoặc «30/6/2021», hoặc nhập ngày vào cột Hạn hoàn thành.",
        "Cannot read a deadline from '{value}'. Write e.g. 'Trong năm 2021', 'Quý II/2021', "
        "'Tháng 6/2021' or '30/6/2021', or enter a date in the deadline column.",
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
}

SEVERITY_LABELS = {
    "error": ("Lỗi", "error"),
    "warning": ("Cảnh báo", "warning"),
    "info": ("Thông tin", "info"),
}


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "?"


def render(problem_code: str, lang: str = "vi", /, **fields: object) -> str:
    """The message of a problem code in a language, with its fields filled in."""
    templates = MESSAGES.get(problem_code)
    if templates is None:
        return problem_code
    template = templates[1] if lang == "en" else templates[0]
    values = _Blank({k: "" if v is None else v for k, v in fields.items()})
    return template.format_map(values)
