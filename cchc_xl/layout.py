"""The workbook layout, declared once: sheets, columns, labels, formats, lists and colours."""

from __future__ import annotations

from dataclasses import dataclass

from . import fields

FONT_NAME = "Times New Roman"
FONT_SIZE = 11


@dataclass(frozen=True)
class Column:
    """One column of a table sheet: its key in code, its label in Excel, how it looks."""

    key: str
    label: str
    width: float
    kind: str = "text"  # text | code | number | formula | date | status | percent
    number_format: str | None = None
    officer_input: bool = False  # officers type into it in their own workbooks
    list_name: str | None = None  # defined name of the dropdown list
    wrap: bool = True
    # printed on paper (False: a machine column, such as a file's digest, left off the print)
    printed: bool = True


class EachField:
    """In a table's columns: one column per reported field (fields.FIELDS), made by `make`
    from the field, read when the table is used (so a field declared later is in it)."""

    def __init__(self, make):
        self.make = make


class TableSheet:
    """A sheet holding a header row then one record per row."""

    def __init__(self, name: str, columns: tuple, header_row: int,
                 title_rows: tuple[int, ...] = (), freeze: str | None = None):
        self.name, self.header_row, self.title_rows, self.freeze = (
            name, header_row, title_rows, freeze)
        self._parts = tuple(columns)
        self._made: tuple = (None, ())  # (the fields declared, the columns made of them)

    def __repr__(self) -> str:
        return f"TableSheet({self.name!r})"

    @property
    def columns(self) -> tuple[Column, ...]:
        declared = fields.FIELDS
        if self._made[0] is not declared:
            made = []
            for part in self._parts:
                made += ([part.make(f) for f in declared] if isinstance(part, EachField)
                         else [part])
            self._made = (declared, tuple(made))
        return self._made[1]

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def index(self, key: str) -> int:
        """1-based column number of a key in the declared layout."""
        for i, col in enumerate(self.columns, start=1):
            if col.key == key:
                return i
        raise KeyError(key)

    def letter(self, key: str) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(self.index(key))

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(col.key for col in self.columns)


def _plan_column(f: fields.Field) -> Column:
    """A reported field as the plan sheet and «Báo cáo cán bộ» show it."""
    return Column(f.key, f.label, f.width, kind=f.column_kind, number_format=f.number_format,
                  officer_input=True, list_name=f.list_name)


def _officer_column(f: fields.Field) -> Column:
    return Column(f.key, f.label, f.officer_width, kind=f.column_kind,
                  number_format=f.officer_format, officer_input=True, list_name=f.list_name)


POINTS = "0.00"
DATE = "dd/mm/yyyy"
DATETIME = "dd/mm/yyyy hh:mm"

# The statuses (fields.STATUSES) the code tells apart; "Quá hạn" (overdue) is derived by the
# tool, never typed. STATUSES (those officers choose), STATUS_COLOURS (the fills of the status
# bands, readable in Excel and LibreOffice alike) and the like are read from the declaration
# when used (__getattr__ below).
STATUS_NOT_STARTED = fields.status("not_started").label
STATUS_IN_PROGRESS = fields.status("in_progress").label
STATUS_DONE = fields.status("done").label
STATUS_OVERDUE = fields.status("overdue").label

HEADER_FILL = "FFD9E1F2"
AREA_FILL = "FFF2F2F2"
TOTAL_FILL = "FFDDEBF7"

PLAN = TableSheet(
    name="Kế hoạch",
    header_row=4,
    title_rows=(1, 2, 3),
    freeze="C5",
    columns=(
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        Column("title", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", 32),
        Column("max_points", "Điểm chuẩn", 9, kind="number", number_format=POINTS),
        Column("appraised", "Điểm thẩm định", 9, kind="number", number_format=POINTS),
        Column("lost", "Điểm bị mất", 9, kind="formula", number_format=POINTS),
        Column("action", "Giải pháp", 40),
        Column("lead", "Cơ quan chủ trì thực hiện", 18),
        Column("support", "Cơ quan phối hợp", 21),
        Column("timeframe", "Thời gian thực hiện", 12),
        Column("note", "Ghi chú", 11),
        Column("deadline", "Hạn hoàn thành", 12, kind="date", number_format=DATE, wrap=False),
        EachField(_plan_column),
        Column("updated_at", "Cập nhật lần cuối", 15, kind="date", number_format=DATETIME,
               wrap=False),
        Column("updated_by", "Người cập nhật", 13),
        Column("projected", "Điểm dự kiến đạt", 9, kind="formula", number_format=POINTS),
        Column("support_notes", "Ý kiến phối hợp", 28),
    ),
)

# Columns the plan text occupies (what the Word appendix has), in the appendix's order.
PLAN_DOCUMENT_KEYS = (
    "code", "title", "max_points", "appraised", "lost",
    "action", "lead", "support", "timeframe", "note",
)
# --- Reading a plan appendix (cchc-xl new): columns found by what their header says ----------
# The labels real plans use for each document field, most usual first. A header matches a
# label when the label's words stand together in it, folded for case, diacritics, spacing and
# punctuation ("Cơ quan chủ trì thực hiện" holds "chủ trì"); a label starting with "=" only
# matches a whole header ("Đạt" under a merged "Điểm"). When several fields match, the label
# standing later in the header wins ("Nội dung giải pháp" is an action, "Nội dung tiêu chí" a
# criterion); when two columns match one field, the earlier label of this list wins and the
# other column is kept as an extra one.
PLAN_IMPORT_LABELS = {
    # (a criterion's own code wins over a row counter when a table has both)
    "code": ("mã tiêu chí", "mã số tiêu chí", "stt", "tt", "số tt", "số thứ tự", "thứ tự",
             "mã số", "=mã", "=số"),
    "title": ("lĩnh vực/tiêu chí/tiêu chí thành phần", "tiêu chí", "lĩnh vực", "nội dung",
              "tên tiêu chí", "tiêu chí thành phần", "chỉ số thành phần", "nội dung đánh giá",
              "tồn tại", "hạn chế"),
    "max_points": ("điểm chuẩn", "điểm tối đa", "số điểm tối đa", "thang điểm", "=tối đa",
                   "=chuẩn"),
    "appraised": ("điểm thẩm định", "điểm đạt", "điểm đánh giá", "điểm đạt được",
                  "điểm thực tế", "kết quả thẩm định", "=thẩm định", "=đạt", "=đạt được"),
    "lost": ("điểm bị mất", "điểm bị trừ", "điểm trừ", "điểm mất", "số điểm bị mất",
             "số điểm bị trừ", "điểm bị giảm", "=bị mất", "=bị trừ", "=mất", "=trừ"),
    "action": ("giải pháp", "nhiệm vụ", "biện pháp", "giải pháp khắc phục",
               "nội dung thực hiện", "nội dung khắc phục", "nội dung công việc", "công việc"),
    "lead": ("chủ trì", "cơ quan chủ trì", "đơn vị chủ trì", "bộ phận chủ trì", "phụ trách",
             "chịu trách nhiệm", "người thực hiện", "đơn vị thực hiện", "cơ quan thực hiện",
             "bộ phận thực hiện", "cán bộ thực hiện"),
    "support": ("phối hợp", "cơ quan phối hợp", "đơn vị phối hợp", "bộ phận phối hợp"),
    "timeframe": ("thời gian", "thời hạn", "thời gian thực hiện", "thời gian hoàn thành",
                  "thời hạn hoàn thành", "hạn hoàn thành", "thời điểm hoàn thành",
                  "tiến độ thực hiện", "tiến độ hoàn thành"),
    "note": ("ghi chú",),
}
# Without these a table is not a plan this tool can track (appraised points may also come
# from maximum − lost, when the plan gives the lost points instead).
PLAN_IMPORT_REQUIRED = ("code", "title", "max_points", "action", "lead")
PLAN_IMPORT_POINTS = ("appraised", "lost")
# A row whose code or criterion cell says one of these is the table's total, not a criterion.
PLAN_TOTAL_LABELS = ("tổng cộng", "tổng", "cộng", "tổng số", "tổng điểm", "tổng cộng điểm")
# A paragraph starting so, between two tables of a text export, starts another table.
PLAN_TABLE_TITLE_WORDS = ("phụ lục", "biểu", "bảng", "danh mục")
# The code as the document wrote it (I, II., A …) when it is not the tree's own ("1"): a
# column after the plan sheet's declared ones, printed in the exported appendix.
PLAN_SOURCE_CODE = Column("source_code", "STT theo văn bản", 9, kind="code", number_format="@",
                          wrap=False)
# Columns of the document the master has no field for ("Nguyên nhân", "Sản phẩm"): kept after
# the source code column, with the document's own labels, and printed in the appendix. The
# defined name spans the header cells of the source code column and those columns (Excel and
# LibreOffice move it when columns are inserted), so the office's own columns are never
# taken for the document's.
PLAN_DOCUMENT_EXTRA_NAME = "CCHC_CotVanBan"
PLAN_EXTRA_WIDTH = 24
PLAN_EXTRA_NOTE = ("Cột này có trong bảng kế hoạch gốc ({file}); sổ giữ nguyên để in lại trong "
                   "phụ lục (cchc-xl export). Không dùng để tính điểm.")
PLAN_SOURCE_CODE_NOTE = ("Mã tiêu chí như văn bản gốc ({file}) ghi (I, II, …), in lại trong phụ "
                         "lục (cchc-xl export). Cột STT giữ mã của cây tiêu chí (1, 1.2) để "
                         "tính điểm: sửa mã ở cột STT, không ở cột này.")
# The printed plan (plan_print.py): the document's columns up to this one, then the code
# again with the tracking columns, each band legible on A4 landscape.
PLAN_PRINT_BREAK_AFTER = "note"
PLAN_PRINT_TITLE_COLUMNS = ("code",)
TOTAL_LABEL = "TỔNG CỘNG"
LEGEND_LABEL = "Chú thích (màu của cả dòng; trên giấy đen trắng, cột Trạng thái ghi chữ):"
# An overdue row's status as it shows and prints: the status typed stays the cell's value
# (what officers report and merging reads), the number format adds the words
# (master/status_colours.py).
OVERDUE_FORMAT = '"Quá hạn – "@'
STATUS_FORMAT = "General"

ROSTER = TableSheet(
    name="Cán bộ",
    header_row=1,
    freeze="A2",
    columns=(
        Column("role", "Vai trò", 26),
        Column("aliases", "Cách viết trong kế hoạch (cách nhau bởi ;)", 44),
        Column("specialist", "Công chức chuyên môn (Có/Không)", 16, list_name="DS_CoKhong"),
        Column("person", "Họ và tên", 24),
        Column("email", "Email", 30),
    ),
)
YES, NO = "Có", "Không"
# A roster given to `cchc-xl new --roster` (.xlsx or .csv): its columns, found by their header
# as the plan's are. «Phòng» names the department (phòng) a role belongs to: the department's
# name then leads or supports as a group of its officers (written into their spellings).
ROSTER_INPUT_LABELS = {
    "role": ("vai trò", "role", "chức danh", "chức vụ", "vị trí việc làm", "=vị trí"),
    "person": ("họ và tên", "họ tên", "tên cán bộ", "person", "name", "=cán bộ",
               "=công chức", "=người"),
    "email": ("email", "e mail", "thư điện tử", "địa chỉ email", "=mail"),
    "aliases": ("cách viết trong kế hoạch", "cách viết khác", "tên gọi khác", "aliases"),
    "department": ("=phòng", "phòng ban", "phòng chuyên môn", "=đơn vị", "=bộ phận",
                   "department", "=cơ quan"),
    "specialist": ("công chức chuyên môn", "specialist"),
}

SUMMARY = TableSheet(
    name="Tổng hợp",
    header_row=3,
    title_rows=(1,),
    freeze="A4",
    columns=(
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        Column("title", "Lĩnh vực", 34),
        Column("max_points", "Điểm chuẩn", 10, kind="formula", number_format=POINTS),
        Column("appraised", "Điểm thẩm định", 10, kind="formula", number_format=POINTS),
        Column("lost", "Điểm bị mất", 10, kind="formula", number_format=POINTS),
        Column("index", "Chỉ số (%)", 10, kind="formula", number_format="0.00"),
        Column("rating", "Xếp loại", 12, kind="formula"),
        Column("projected", "Điểm dự kiến đạt", 10, kind="formula", number_format=POINTS),
        Column("projected_index", "Chỉ số dự kiến (%)", 10, kind="formula",
               number_format="0.00"),
        Column("projected_rating", "Xếp loại dự kiến", 12, kind="formula"),
        # Values (not formulas) written by every run that saves the master (evidence.py):
        # leaf rows of the area done without any evidence entry, and the projected points
        # the evidence does not cover.
        Column("undocumented", "Dòng hoàn thành chưa có minh chứng", 10, kind="number",
               number_format="0"),
        Column("uncovered", "Điểm dự kiến chưa có minh chứng", 10, kind="number",
               number_format=POINTS),
    ),
)
SUMMARY_TOTAL_LABEL = "Cộng các lĩnh vực trong kế hoạch"
SUMMARY_WHOLE_LABEL = "Toàn bộ Chỉ số (phần không có trong kế hoạch tính đủ điểm)"

CHANGELOG = TableSheet(
    name="Nhật ký",
    header_row=1,
    freeze="A2",
    columns=(
        Column("when", "Thời điểm", 16, kind="date", number_format=DATETIME, wrap=False),
        Column("kind", "Loại", 13),
        Column("file", "Tệp", 21),
        Column("officer", "Cán bộ", 20),
        Column("code", "STT", 8, kind="code", number_format="@"),
        Column("field", "Trường", 15),
        Column("old", "Giá trị cũ", 20),
        Column("new", "Giá trị mới", 20),
        Column("note", "Ghi chú", 32),
        # the field's key in code (status, progress, …): what a program reads, not the label
        Column("field_key", "Mã trường", 12, wrap=False, printed=False),
    ),
)


@dataclass(frozen=True)
class Setting:
    """One row of the settings sheet: key in code, label in Excel, default value."""

    key: str
    label: str
    default: object = None
    number_format: str | None = None


SETTINGS_SHEET = "Cài đặt"
SETTINGS = (
    Setting("master_id", "Mã định danh sổ (không sửa)", ""),
    Setting("commune", "Tên xã", ""),
    Setting("district", "Huyện", ""),
    Setting("province", "Tỉnh", ""),
    Setting("plan_number", "Số kế hoạch", ""),
    Setting("plan_date", "Ngày kế hoạch", None, DATE),
    Setting("year", "Năm thực hiện", None, "0"),
    Setting("title", "Tên kế hoạch", ""),
    Setting("total_max", "Điểm tối đa của Chỉ số", 100, POINTS),
    Setting("return_days", "Số ngày để cán bộ gửi lại phiếu", 7, "0"),
    Setting("email_subject", "Tiêu đề email",
            "[CCHC {year}] Phiếu cập nhật tiến độ – {role} – {round}"),
    Setting("email_body", "Nội dung email",
            "Kính gửi {person},\n\nVăn phòng UBND xã {commune} gửi đồng chí phiếu cập nhật "
            "tiến độ thực hiện Kế hoạch CCHC năm {year} ({round}). Đồng chí vui lòng cập "
            "nhật các ô màu vàng trong tệp đính kèm và gửi lại trước ngày {due}.\n\nTrân trọng."),
)
# What the progress report's form needs (cchc-xl report), below the rating table: rows added
# after it, so the settings and ratings of masters built before keep their places (a master
# without them gets a blank number and name, written in by hand, and these defaults).
REPORT_SETTINGS_TITLE = "Báo cáo tiến độ (cchc-xl report)"
REPORT_RECIPIENTS = "- UBND tỉnh (Sở Nội vụ);\n- TT Đảng ủy, TT HĐND xã;\n- Lưu: VT."
REPORT_SIGNER = "TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH"
REPORT_SETTINGS = (
    Setting("report_number", "Số báo cáo (ví dụ 25/BC-UBND)", ""),
    Setting("report_place", "Địa danh ghi trước ngày báo cáo (trống: tên xã)", ""),
    Setting("signer", "Thẩm quyền ký (mỗi dòng một dòng)", REPORT_SIGNER),
    Setting("chairman", "Họ và tên người ký báo cáo", ""),
    Setting("recipients", "Nơi nhận báo cáo (mỗi dòng một nơi)", REPORT_RECIPIENTS),
)
SETTINGS_FIRST_ROW = 2  # row 1 is the header "Thông số | Giá trị"
SETTINGS_HEADER = ("Thông số", "Giá trị", "Ghi chú")

# Rating thresholds: the index (%) at or above which a rating applies, highest first.
RATINGS_TITLE = "Xếp loại theo Chỉ số (%)"
RATINGS_HEADER = ("Xếp loại", "Chỉ số từ (%)")
DEFAULT_RATINGS = (("Xuất sắc", 90), ("Tốt", 80), ("Khá", 70), ("Trung bình", 50), ("Yếu", 0))
RATINGS_NAME = "DS_XepLoai"


def settings_row(key: str) -> int:
    for i, setting in enumerate(SETTINGS):
        if setting.key == key:
            return SETTINGS_FIRST_ROW + i
    raise KeyError(key)


def ratings_first_row() -> int:
    """First data row of the rating table, two rows below the settings."""
    return SETTINGS_FIRST_ROW + len(SETTINGS) + 2


def report_settings_first_row() -> int:
    """First row of the report's settings, two rows below the rating table (its title above)."""
    return ratings_first_row() + len(DEFAULT_RATINGS) + 2


INSTRUCTIONS_SHEET = "Hướng dẫn"
INSTRUCTIONS = (
    "HƯỚNG DẪN SỬ DỤNG SỔ THEO DÕI KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH",
    "",
    "1. Sheet «Kế hoạch»: mỗi dòng là một lĩnh vực, tiêu chí hoặc tiêu chí thành phần bị mất điểm.",
    "   • Cột «STT» là mã tiêu chí, lưu dạng chữ (7.10 khác 7.1). Không sắp xếp lại các dòng.",
    "   • Cột «Điểm bị mất» và dòng «TỔNG CỘNG» là công thức: không gõ đè số vào.",
    "   • Các cột Trạng thái, Tiến độ (%), Kết quả / minh chứng, Điểm dự kiến, Khó khăn, kiến nghị",
    "     do cán bộ phụ trách cập nhật qua phiếu cá nhân; Văn phòng tổng hợp bằng lệnh cchc-xl.",
    "2. Sheet «Cán bộ»: mỗi vai trò (công chức) một dòng, kèm các cách viết tên vai trò",
    "   trong kế hoạch, họ tên và email. Đánh dấu «Có» ở cột Công chức chuyên môn để vai trò",
    "   được tính trong nhóm «Các công chức chuyên môn thuộc UBND xã».",
    "3. Sheet «Cài đặt»: tên xã, số và ngày kế hoạch, năm, thang xếp loại, mẫu email.",
    "4. Sheet «Tổng hợp»: điểm theo lĩnh vực và Chỉ số (%), tự tính bằng công thức.",
    "5. Sheet «Nhật ký»: mọi thay đổi do công cụ ghi vào sổ (thời điểm, tệp, cán bộ,",
    "   giá trị cũ/mới).",
    "",
    "Kiểm tra sổ:   cchc-xl validate <tệp sổ>.xlsx",
    "Sửa công thức bị hỏng (có sao lưu trước):   cchc-xl validate <tệp sổ>.xlsx --fix",
)

# Defined names of the dropdown lists, and the values they hold (LISTS, with the statuses
# officers choose: __getattr__ below).
YES_NO_LIST = "DS_CoKhong"
LISTS_SHEET = "Danh mục"


# Every round of officer workbooks issued: which file went to whom, when.
ROUNDS = TableSheet(
    name="Đợt gửi",
    header_row=1,
    freeze="A2",
    columns=(
        Column("round", "Đợt", 10),
        Column("role", "Vai trò", 24),
        Column("person", "Cán bộ", 21),
        Column("email", "Email", 26),
        Column("file", "Tệp phiếu", 30),
        Column("rows", "Số dòng", 8, kind="number", number_format="0"),
        Column("issued_at", "Thời điểm tạo", 17, kind="date", number_format=DATETIME),
        Column("due", "Hạn gửi lại", 12, kind="date", number_format=DATE),
        Column("sent_at", "Đã gửi email lúc", 17, kind="date", number_format=DATETIME),
        # The issued file's own bytes: that file sent back untouched is not a reply.
        Column("digest", "Mã tệp (SHA-256)", 20, wrap=False, printed=False),
    ),
)

# The officer's workbook ("phiếu"): a header block, then only that officer's rows.
LEAD, SUPPORT = "Chủ trì", "Phối hợp"
OFFICER = TableSheet(
    name="Phiếu cập nhật",
    header_row=10,
    title_rows=(1, 2, 3, 4, 5, 6, 7, 8),
    freeze="C11",
    columns=(
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        Column("title", "Tiêu chí", 30),
        Column("max_points", "Điểm chuẩn", 8, kind="number", number_format=POINTS),
        Column("lost", "Điểm bị mất", 8, kind="number", number_format=POINTS),
        Column("action", "Giải pháp", 34),
        Column("part", "Phần việc của đồng chí", 11),
        Column("deadline", "Hạn hoàn thành", 12, kind="date", number_format=DATE, wrap=False),
        EachField(_officer_column),
        # What the others on the row (lead, group members, supporters) last reported: shown,
        # locked, never read back.
        Column("others", "Các cán bộ khác đã báo cáo (chỉ xem)", 24),
    ),
)
INPUT_FILL = "FFFFF2CC"  # the cells an officer types into
# Every return consolidation has read (applied or not), so a second run changes nothing.
RECEIVED = TableSheet(
    name="Phiếu đã nhận",
    header_row=1,
    freeze="A2",
    columns=(
        Column("received_at", "Thời điểm tổng hợp", 16, kind="date", number_format=DATETIME),
        Column("file", "Tệp", 30),
        Column("round", "Đợt", 10),
        Column("role", "Vai trò", 20),
        Column("saved_at", "Cán bộ lưu lúc", 16, kind="date", number_format=DATETIME),
        Column("outcome", "Kết quả", 14),
        Column("changes", "Số thay đổi", 9, kind="number", number_format="0"),
        # (hidden: a machine's check that the same file is not read twice)
        Column("digest", "Mã tệp (SHA-256)", 20, wrap=False, printed=False),
        Column("issued_at", "Phiếu phát lúc", 16, kind="date", number_format=DATETIME),
    ),
)
# Kinds of change-log entries.
LOG_APPLIED, LOG_CONFLICT, LOG_REJECTED = "Cập nhật", "Xung đột", "Từ chối"
LOG_STALE, LOG_MEMBER, LOG_SUPPORT, LOG_FIX = ("Phiếu cũ", "Báo cáo thành viên",
                                               "Ý kiến phối hợp", "Sửa công thức")
# An officer's own report changed (kept in «Báo cáo cán bộ»), and a plan value the tool
# derived again without a return (the roster, a lead or the tree changed).
LOG_REPORT, LOG_DERIVED = "Báo cáo cán bộ", "Tính lại"

# Each officer's latest report on each of their rows: the record the plan's tracking columns
# are derived from (the lead's values, a group's aggregate, the supporters' notes).
REPORTS = TableSheet(
    name="Báo cáo cán bộ",
    header_row=1,
    freeze="C2",
    columns=(
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        Column("role", "Vai trò", 18),
        Column("person", "Cán bộ", 16),
        Column("part", "Phần việc", 9),
        EachField(_plan_column),
        Column("round", "Đợt", 8),
        # (where each report came from: on screen, not on paper)
        Column("issued_at", "Phiếu phát lúc", 16, kind="date", number_format=DATETIME,
               wrap=False, printed=False),
        Column("file", "Tệp", 22, printed=False),
        Column("received_at", "Tổng hợp lúc", 16, kind="date", number_format=DATETIME,
               wrap=False, printed=False),
        # (each field: when the workbook whose return last changed it was issued, as JSON:
        # an older round's copy never brings back what a later round changed, even back)
        Column("changed_at", "Ô sửa theo phiếu phát lúc", 24, wrap=False, printed=False),
    ),
)
# In «Báo cáo cán bộ», a field the officer emptied (an empty cell there is one they have not
# reported yet, which changes nothing in the plan).
CLEARED = "(đã xóa)"

# --- Evidence documents (tài liệu kiểm chứng), one entry per line (evidence.py) -------------
# The officer workbook's sheet: the officer's entries as issued, then empty lines to add more.
EVIDENCE_COLUMNS = (
    Column("code", "STT", 9, kind="code", number_format="@", officer_input=True, wrap=False),
    Column("number", "Số, ký hiệu văn bản", 16, officer_input=True),
    Column("date", "Ngày ban hành", 13, kind="date", number_format=DATE, officer_input=True,
           wrap=False),
    Column("issuer", "Cơ quan ban hành", 18, officer_input=True),
    Column("summary", "Trích yếu / nội dung", 30, officer_input=True),
    Column("file", "Tệp hoặc đường dẫn", 24, officer_input=True),
    # Points of the row this document supports; empty: it supports the whole row.
    Column("points", "Điểm chứng minh", 10, kind="number", number_format=POINTS,
           officer_input=True),
)
EVIDENCE_KEYS = tuple(c.key for c in EVIDENCE_COLUMNS)
EVIDENCE_OFFICER = TableSheet(name="Tài liệu kiểm chứng", header_row=3, title_rows=(1, 2),
                              freeze="B4", columns=EVIDENCE_COLUMNS)
# The master's sheet: every officer's entries, with who reported them and from which file.
EVIDENCE = TableSheet(
    name="Tài liệu kiểm chứng",
    header_row=1,
    freeze="B2",
    columns=(
        *EVIDENCE_COLUMNS,
        Column("role", "Vai trò/Cán bộ", 20),
        Column("person", "Cán bộ", 16),
        Column("round", "Đợt", 8),
        Column("return_file", "Tệp phiếu", 30, printed=False),
        Column("received_at", "Tổng hợp lúc", 16, kind="date", number_format=DATETIME,
               wrap=False, printed=False),
    ),
)
EVIDENCE_FIELD = "evidence"  # the field key of evidence in the log and «Việc còn mở»
EVIDENCE_TITLE = "TÀI LIỆU KIỂM CHỨNG (MINH CHỨNG) CỦA CÁC NỘI DUNG ĐỒNG CHÍ THỰC HIỆN"
EVIDENCE_HELP = (
    "Mỗi văn bản một dòng: chọn STT của nội dung, ghi số ký hiệu, ngày ban hành (dd/mm/yyyy), "
    "cơ quan ban hành, trích yếu, tên tệp hoặc đường dẫn (cần ít nhất số ký hiệu hoặc tệp). "
    "«Điểm chứng minh»: số điểm văn bản chứng minh; để trống nếu chứng minh cả nội dung. Sửa "
    "hoặc xóa dòng đã có nếu cần.")


def field_label(key: str) -> str:
    """The label a reported field is shown with (evidence: its sheet's name); the key itself
    when it is none of them."""
    if key == EVIDENCE_FIELD:
        return EVIDENCE.name
    return next((col.label for col in PLAN.columns if col.key == key), key)


def field_key(label: object) -> str:
    """The key of a field shown by its label (field_label's inverse; a key stays itself)."""
    from .text import clean_cell

    text = clean_cell(label)
    if text in (EVIDENCE.name, EVIDENCE_FIELD):
        return EVIDENCE_FIELD
    return next((col.key for col in PLAN.columns if text in (col.label, col.key)), text)


# Empty lines an officer workbook offers: twice its rows, at least and at most these.
EVIDENCE_LINES_MIN, EVIDENCE_LINES_MAX = 20, 200

# What the tool last wrote into each plan row's derived columns (hidden): a plan value that
# differs from it was typed by the office, and is kept (a conflict when a report changes it).
WRITTEN = TableSheet(
    name="_cchc_da_ghi",
    header_row=1,
    columns=(
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        EachField(lambda f: Column(f.key, f.key, 16)),
        Column("support_notes", "support_notes", 16),
    ),
)

# What still needs the office's attention, rewritten by every consolidation: officers who
# have not returned their latest workbook, values refused and not yet sent again correctly.
PENDING = TableSheet(
    name="Việc còn mở",
    header_row=1,
    freeze="A2",
    columns=(
        Column("kind", "Loại", 14),
        Column("role", "Vai trò", 18),
        Column("person", "Cán bộ", 16),
        Column("round", "Đợt", 8),
        Column("code", "STT", 8, kind="code", number_format="@", wrap=False),
        Column("field", "Trường", 12),
        Column("value", "Giá trị gửi về", 14),
        Column("file", "Tệp", 19),
        Column("since", "Từ lúc", 16, kind="date", number_format=DATETIME, wrap=False),
        Column("message", "Nội dung", 42),
    ),
)
PENDING_NOT_RETURNED, PENDING_REJECTED = "Chưa gửi lại", "Giá trị bị từ chối"

# Every reminder drafted or sent (cchc-xl remind), so a re-run never sends the same one twice
# a day: created when the first is recorded.
REMINDERS = TableSheet(
    name="Nhắc việc đã gửi",
    header_row=1,
    freeze="A2",
    columns=(
        Column("sent_at", "Thời điểm", 17, kind="date", number_format=DATETIME, wrap=False),
        Column("how", "Cách gửi", 10),
        Column("role", "Vai trò", 20),
        Column("person", "Cán bộ", 16),
        Column("email", "Email", 22),
        Column("round", "Đợt", 10),
        Column("reasons", "Lý do", 30),
        Column("codes", "Các dòng", 18),
        Column("attachment", "Phiếu gửi kèm", 22),
        Column("digest", "Mã nội dung (SHA-256)", 20, wrap=False, printed=False),
    ),
)
# The master's table sheets printed as tables (styles.print_tables): header row repeated, the
# columns a reader needs, fitted to the page's width, down to the last row.
PRINTED_TABLES = (CHANGELOG, ROUNDS, RECEIVED, REPORTS, PENDING, ROSTER, EVIDENCE, REMINDERS)
REMINDER_SENT, REMINDER_DRAFTED = "Email", "Thư nháp"

# The very hidden sheet of an officer workbook, read back by consolidation.
STAMP_SHEET = "_cchc"

# All sheets of a master, in workbook order.
MASTER_SHEETS = (PLAN.name, SUMMARY.name, ROSTER.name, SETTINGS_SHEET, CHANGELOG.name,
                 ROUNDS.name, RECEIVED.name, REPORTS.name, EVIDENCE.name, PENDING.name,
                 INSTRUCTIONS_SHEET, LISTS_SHEET, WRITTEN.name)
HIDDEN_SHEETS = (LISTS_SHEET, WRITTEN.name)


# --- The officer workbook's header block, help text and input checks (cchc-xl fill) ---------
OFFICER_TITLE = "PHIẾU CẬP NHẬT TIẾN ĐỘ THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH NĂM {year}"
# Rows 3–5: (label, key) pairs, left and right, in the order they appear.
OFFICER_FACTS = (
    (("Xã:", "commune"), ("Đợt:", "round")),
    (("Cán bộ:", "person"), ("Ngày phát phiếu:", "issued_at")),
    (("Vai trò:", "role"), ("Hạn gửi lại:", "due")),
)
# (each line fits the first printed band, columns B to G, at 9 pt: officer_workbook.py)
OFFICER_HELP = (
    "Cách điền: đồng chí chỉ nhập vào các ô màu vàng (các ô khác đã khóa). Không thêm, xóa hay "
    "sắp xếp lại dòng.",
    "• Trạng thái: chọn trong danh sách. • Tiến độ (%): gõ phần trăm, ví dụ 30%. • Điểm dự "
    "kiến (việc chủ trì): 0 đến điểm chuẩn.",
    "• Kết quả: việc đã làm; văn bản kiểm chứng: sheet «Tài liệu kiểm chứng». • Lưu tệp (giữ "
    "tên, .xlsx), gửi lại trước hạn.",
)
# An input column's cell that is not this officer's to fill (expected points of a row they
# only support): locked and grey.
OFFICER_NOT_YOURS_FILL = "FFD9D9D9"
ROUND_DEFAULT = "Đợt {n}"


# --- Official outputs: the plan appendix in Word (cchc-xl export), the progress report -------
APPENDIX_HEADING = "PHỤ LỤC"
# Widths (mm) of the appendix's columns: 252 mm, the text width of A4 landscape (NĐ 30/2020).
APPENDIX_WIDTHS_MM = {
    "code": 12, "title": 50, "max_points": 16, "appraised": 16, "lost": 15,
    "action": 60, "lead": 24, "support": 27, "timeframe": 18, "note": 14,
}
# Each extra column of the document (PLAN_DOCUMENT_EXTRA_NAME) before rescaling to the width.
APPENDIX_EXTRA_MM = 30
APPENDIX_TEXT_MM = 252
# The two native charts on the summary sheet, found again by their titles on every run.
CHART_LOST_TITLE = "Điểm bị mất và điểm dự kiến thu hồi theo lĩnh vực"
CHART_STATUS_TITLE = "Số dòng theo trạng thái của từng cán bộ"
CHART_LOST_SERIES = ("Điểm bị mất", "Điểm dự kiến thu hồi")
CHART_LOST_COLOURS = ("C0504D", "4F81BD")
# The chart data on the summary sheet, beside the officer table (columns no rewrite clears).
CHART_DATA_TITLE = "Số liệu cho biểu đồ điểm theo lĩnh vực"
CHART_DATA_HEADER = ("Lĩnh vực", *CHART_LOST_SERIES)
# The dashboard for the chairman on the summary sheet (cchc_xl/master/dashboard.py): a block the
# first printed page holds, then the score table again for the pages after it.
DASHBOARD_TITLE = "TÌNH HÌNH THỰC HIỆN KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH – UBND XÃ {commune}"
DASHBOARD_AS_OF = ("Số liệu tính đến ngày {as_of:%d/%m/%Y} (cập nhật lúc {now:%H:%M} ngày "
                   "{now:%d/%m/%Y}).")
# Figures of the whole index, live formulas over the score table: (summary column, label).
DASHBOARD_FIGURES = (
    ("index", "Chỉ số CCHC hiện tại (%)"), ("rating", "Xếp loại hiện tại"),
    ("projected_index", "Chỉ số dự kiến (%)"), ("projected_rating", "Xếp loại dự kiến"),
    ("lost", "Điểm bị mất"),
)
DASHBOARD_INDEX_FORMAT = '0.00" %"'
# Rows by state as of the run's date, and the officers who are late: values of that day.
DASHBOARD_STATE_LABEL = "Số dòng {state}"
DASHBOARD_LATE_COUNT = "Cán bộ chậm"
DASHBOARD_LATE_TITLE = "Cán bộ chậm (chưa gửi lại phiếu hoặc có việc quá hạn):"
DASHBOARD_LATE_NONE = "Không có cán bộ nào chậm."
DASHBOARD_LATE_NOT_RETURNED = "chưa gửi lại phiếu {round}"
DASHBOARD_LATE_OVERDUE = "{n} dòng quá hạn ({codes})"
DASHBOARD_OVERDUE_CODES = "Các dòng quá hạn: {codes}."
DASHBOARD_OFFICERS_TITLE = ("Tiến độ theo cán bộ (số dòng chủ trì theo trạng thái, tính đến "
                            "{as_of:%d/%m/%Y})")
DASHBOARD_LINK = "Bảng tóm tắt cho lãnh đạo (trang in đầu tiên của sheet này): ô {cell} →"
DASHBOARD_TITLE_PT, DASHBOARD_LABEL_PT, DASHBOARD_FIGURE_PT, DASHBOARD_TEXT_PT = 16, 12, 24, 12
# The progress report (Word/PDF).
REPORT_AS_OF = "(Số liệu tính đến ngày {as_of:%d/%m/%Y})"
# The document's form (Nghị định 30/2020/NĐ-CP): its title under «BÁO CÁO», the opening
# sentence, the recipients and the signer when the settings name none (report_document.py).
REPORT_SUBJECT = "Tiến độ thực hiện Kế hoạch cải cách hành chính năm {year}"
REPORT_OPENING = ("Thực hiện {plan}, Ủy ban nhân dân xã {commune} báo cáo tiến độ thực hiện "
                  "như sau:")

REPORT_SCORES = "1. Điểm và Chỉ số theo lĩnh vực"
REPORT_OFFICERS = "2. Tiến độ theo cán bộ (số dòng chủ trì theo trạng thái)"
REPORT_FINDINGS = "3. Kết quả thực hiện và khó khăn, kiến nghị của các cán bộ"
# (the report's form: what each officer did and what holds them, by their reported fields)
REPORT_FINDINGS_KEYS = ("status", "result", "obstacles")
REPORT_FINDINGS_HEADER = ("STT", "Tiêu chí", "Cán bộ báo cáo",
                          *(fields.field(k).label for k in REPORT_FINDINGS_KEYS))
REPORT_NO_FINDINGS = "Chưa cán bộ nào báo cáo kết quả hay khó khăn."
REPORT_OVERDUE = "4. Các nội dung quá hạn"
REPORT_NO_OVERDUE = "Không có nội dung nào quá hạn."
REPORT_CHARTS = "5. Biểu đồ"
REPORT_CHARTS_IN_MASTER = ("Không vẽ được biểu đồ vào báo cáo này ({reason}); xem hai biểu đồ "
                           "trong sheet «{sheet}» của sổ theo dõi.")
REPORT_PERSONS = "Cán bộ phụ trách"
REPORT_FOOTER = "Báo cáo do cchc-xl lập lúc {now:%H:%M ngày %d/%m/%Y} từ sổ theo dõi {file}."


# --- The control sheet of the Excel button (cchc-xl excel-setup; read by cchc_xl/excel/control.py)
CONTROL_SHEET = "Điều khiển"
CONTROL_TITLE = "ĐIỀU KHIỂN – CHẠY CCHC-XL NGAY TRONG EXCEL"
CONTROL_HELP = (
    "Cách dùng: chọn thao tác ở ô B4, sửa các ô màu vàng nếu cần, rồi bấm nút «Run main» trên "
    "thẻ xlwings của Excel.",
    "Công cụ tự lưu sổ, chạy thao tác rồi mở lại sổ; kết quả lần chạy gần nhất hiện ở phần dưới. "
    "Thư mục viết tương đối so với thư mục chứa sổ.",
)
# The actions of the dropdown and what each runs (the CLI command it equals), one entry each:
# «Chấm điểm» is `cchc-xl consolidate` with an empty inbox (see control.py).
ACTION_VALIDATE, ACTION_FILL, ACTION_CONSOLIDATE, ACTION_RESCORE = (
    "Kiểm tra", "Tạo phiếu", "Tổng hợp", "Chấm điểm")
ACTION_REMIND = "Nhắc việc"  # `cchc-xl remind --eml` into the outbox folder
ACTION_EXPORT, ACTION_REPORT, ACTION_NEW = "Xuất phụ lục", "Báo cáo tiến độ", "Tạo sổ mới"
CONTROL_ACTIONS = {ACTION_VALIDATE: "validate", ACTION_FILL: "fill",
                   ACTION_CONSOLIDATE: "consolidate", ACTION_RESCORE: "rescore",
                   ACTION_REMIND: "remind", ACTION_EXPORT: "export", ACTION_REPORT: "report",
                   ACTION_NEW: "new"}
# openpyxl drops list validations that point at another sheet, so the dropdown reads a defined
# name, over a hidden column of the control sheet itself.
CONTROL_ACTIONS_NAME = "DS_ThaoTac"
CONTROL_ACTIONS_COLUMN = "H"


@dataclass(frozen=True)
class ControlCell:
    """One line of the control sheet: label in column A, value in `cell`, a note in column C."""

    key: str
    label: str
    cell: str
    default: object = None
    note: str = ""
    number_format: str | None = None
    list_name: str | None = None


CONTROL_INPUTS = (
    ControlCell("action", "Thao tác", "B4", ACTION_VALIDATE,
                "Chọn trong danh sách: Kiểm tra, Tạo phiếu, Tổng hợp, Chấm điểm, Nhắc việc, "
                "Xuất phụ lục, Báo cáo tiến độ, Tạo sổ mới.",
                list_name=CONTROL_ACTIONS_NAME),
    ControlCell("outbox", "Thư mục ghi phiếu (Tạo phiếu, Nhắc việc)", "B5", "phieu-gui",
                "Phiếu của từng cán bộ được ghi vào đây."),
    ControlCell("inbox", "Thư mục phiếu gửi về (Tổng hợp)", "B6", "phieu-nhan",
                "Chép các phiếu cán bộ gửi lại (.xlsx, hoặc thư .eml) vào đây."),
    ControlCell("round", "Tên đợt (Tạo phiếu)", "B7", None,
                "Để trống: «Đợt N» tiếp theo."),
    ControlCell("as_of", "Tính đến ngày (Tổng hợp, Chấm điểm, Nhắc việc, Báo cáo tiến độ)", "B8",
                None,
                "Dạng dd/mm/yyyy; để trống: hôm nay. Dùng để tính quá hạn.", DATE),
    ControlCell("eml", "Tạo thư nháp email .eml (Tạo phiếu)", "B9", NO,
                "Có: ghi thêm thư nháp kèm phiếu, mở bằng Outlook để gửi.", list_name="DS_CoKhong"),
    ControlCell("plan", "Tệp kế hoạch (Tạo sổ mới)", "B10", None,
                "Văn bản kế hoạch .docx hoặc .txt, ví dụ ke-hoach-2022.docx."),
    ControlCell("new_master", "Tệp sổ mới (Tạo sổ mới)", "B11", None,
                "Tên tệp .xlsx của sổ mới, ví dụ so-theo-doi-2022.xlsx; không được trùng sổ này."),
    ControlCell("overwrite", "Ghi đè sổ mới nếu đã có (Tạo sổ mới)", "B12", NO,
                "Không: không bao giờ ghi đè. Có: thay tệp sổ mới đã có (sao lưu trước).",
                list_name="DS_CoKhong"),
)
CONTROL_RESULT_TITLE = ("KẾT QUẢ LẦN CHẠY GẦN NHẤT", "A14")
CONTROL_RESULTS = (
    ControlCell("ran_at", "Thời điểm chạy", "B15", number_format=DATETIME),
    ControlCell("ran_action", "Thao tác đã chạy", "B16"),
    ControlCell("status", "Kết quả", "B17"),
    ControlCell("counts", "Số liệu", "B18"),
    ControlCell("report", "Báo cáo / thư mục kết quả", "B19"),
    ControlCell("message", "Thông báo", "B20"),
    ControlCell("todo", "Còn việc cần làm", "B21"),
)
# The first problems found, one per row from CONTROL_PROBLEMS_ROW: where, severity, message.
CONTROL_PROBLEMS_TITLE = ("Các vấn đề đầu tiên (xem đủ bằng «Kiểm tra» hoặc trong báo cáo)", "A23")
CONTROL_PROBLEMS_HEADER = ("Vị trí", "Mức", "Nội dung")
CONTROL_PROBLEMS_ROW = 25
CONTROL_PROBLEMS_MAX = 10
CONTROL_WIDTHS = {"A": 38, "B": 48, "C": 90}
# Outcome of a run: (label on the sheet, fill colour of the «Kết quả» cell).
CONTROL_STATUSES = {
    "ok": ("Xong, không có vấn đề", fields.status("done").fill),
    "todo": ("Xong, còn việc cần làm", fields.status("in_progress").fill),
    "problems": ("Xong, có vấn đề cần xem", fields.status("in_progress").fill),
    "failed": ("Không chạy được", fields.status("overdue").fill),
}


def _officer_checks() -> dict:
    statuses = ", ".join(s.label for s in fields.chosen_statuses())
    return {f.key: (f.check.prompt_title, f.check.prompt, f.check.error_title,
                    f.check.error.replace("{statuses}", statuses))
            for f in fields.FIELDS if f.check is not None}


# Names read from the declarations of fields.py each time they are used, so a field or a
# status declared there is everywhere at once.
_DECLARED = {
    # the keys of the fields an officer reports, the same on the plan and officer sheets
    "REPORT_FIELDS": fields.keys,
    # the statuses officers choose, least advanced first
    "STATUSES": lambda: tuple(s.label for s in fields.chosen_statuses()),
    "STATUS_COLOURS": lambda: {s.label: s.fill for s in fields.STATUSES},
    # darker than the status fills of the sheet, same hues, so bars stand out on white
    "CHART_STATUS_COLOURS": lambda: {s.label: s.chart for s in fields.STATUSES},
    # rows by state on the dashboard, in the legend's order
    "DASHBOARD_STATES": lambda: tuple(s.label for s in fields.legend_statuses()),
    "LISTS": lambda: {fields.STATUS_LIST: tuple(s.label for s in fields.chosen_statuses()),
                      YES_NO_LIST: (YES, NO)},
    # (prompt title, prompt, error title, error) of each input column's data validation
    "OFFICER_CHECKS": _officer_checks,
}


def __getattr__(name: str):
    if name in _DECLARED:
        return _DECLARED[name]()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
