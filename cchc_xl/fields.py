"""What an officer reports on a row, and the states a row can be in: each declared once here."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Status:
    """One state of a plan row: what officers choose (`chosen`), or what the tool derives."""

    key: str  # stable, in code and JSON (dashboard counts)
    label: str  # as the workbooks show it (and officers choose it)
    label_en: str
    fill: str  # ARGB of the row's band on the plan sheet
    chart: str  # RGB of its bars in the charts: darker, same hue
    rank: int  # how advanced: a group's status is its least advanced member's
    legend: str = ""  # its line in the legend below the plan (empty: its label)
    chosen: bool = True  # False: derived by the tool, never typed (overdue)

    @property
    def legend_text(self) -> str:
        return self.legend or self.label


STATUSES: tuple[Status, ...] = (
    Status("not_started", "Chưa thực hiện", "Not started", "FFE7E6E6", "A6A6A6", 0),
    Status("in_progress", "Đang thực hiện", "In progress", "FFFFEB9C", "E2A800", 1),
    Status("done", "Hoàn thành", "Done", "FFC6EFCE", "4E9A3A", 2),
    Status("overdue", "Quá hạn", "Overdue", "FFFFC7CE", "C00000", 0,
           legend="Quá hạn: đã qua hạn hoàn thành, chưa hoàn thành (cột Trạng thái ghi "
                  "«Quá hạn – …» trước trạng thái cán bộ báo cáo)", chosen=False),
)


def status(key: str) -> Status:
    return next(s for s in STATUSES if s.key == key)


def status_of(label: str) -> Status | None:
    return next((s for s in STATUSES if s.label == label), None)


def chosen_statuses() -> tuple[Status, ...]:
    """What an officer may choose, least advanced first (the dropdown's order)."""
    return tuple(sorted((s for s in STATUSES if s.chosen), key=lambda s: s.rank))


def legend_statuses() -> tuple[Status, ...]:
    """The order of the legend and the dashboard: most advanced first, then the derived."""
    chosen = sorted((s for s in STATUSES if s.chosen), key=lambda s: -s.rank)
    return (*chosen, *(s for s in STATUSES if not s.chosen))


@dataclass(frozen=True)
class Check:
    """The data validation of a reported field's cells in the officer workbook: a dropdown of
    the statuses, or a number between `minimum` and `maximum` ("max_points": the row's own)."""

    validate: str  # list | decimal
    prompt_title: str
    prompt: str
    error_title: str
    error: str  # {statuses}: the statuses to choose; {max_points}: the row's maximum
    minimum: float | None = None
    maximum: float | str | None = None


@dataclass(frozen=True)
class Field:
    """A column an officer reports in their workbook, merged into their report and the plan.

    kind: how a value is typed, checked and stored (values.normalise): status (one of the
    chosen statuses), percent (0–100 in the master, a fraction in the officer's percentage
    cell), points (0 to the row's maximum), text.
    aggregation: how a group's members' reports make the row's (merge.aggregate): least
    advanced (status), mean (a member not reporting counts 0), lowest (of those reported),
    by_member (one "[role] value" line each)."""

    key: str
    label: str
    label_en: str
    kind: str  # status | percent | points | text
    aggregation: str  # least_advanced | mean | lowest | by_member
    width: float  # on the plan sheet and in «Báo cáo cán bộ»
    officer_width: float
    number_format: str | None = None  # on the plan sheet
    officer_format: str | None = None  # in the officer workbook
    check: Check | None = None
    lead_only: bool = False  # only the row's lead reports it (a supporter's cell is locked)
    list_name: str | None = None  # the dropdown's defined name (status)

    @property
    def numeric(self) -> bool:
        return self.kind in ("percent", "points")

    @property
    def column_kind(self) -> str:
        return {"points": "number"}.get(self.kind, self.kind)


POINTS = "0.00"
STATUS_LIST = "DS_TrangThai"

FIELDS: tuple[Field, ...] = (
    Field("status", "Trạng thái", "Status", "status", "least_advanced", 15, 15,
          list_name=STATUS_LIST,
          check=Check("list", "Trạng thái", "Chọn trạng thái trong danh sách.",
                      "Trạng thái không hợp lệ",
                      "Chỉ chọn một trạng thái có trong danh sách: {statuses}.")),
    # In the officer workbook a percentage cell holding a fraction: "100%" typed in Excel,
    # LibreOffice or WPS is 1 there, "30" typed in Excel 30 %; a plain number format would
    # make 100% and 1 alike.
    Field("progress", "Tiến độ (%)", "Progress (%)", "percent", "mean", 8, 9,
          number_format="0", officer_format="0%",
          check=Check("decimal", "Tiến độ (%)",
                      "Nhập phần trăm từ 0% đến 100%, ví dụ 30% hoặc 100%.",
                      "Tiến độ không hợp lệ",
                      "Tiến độ phải là phần trăm từ 0% đến 100% (gõ 30% hoặc 100%).",
                      minimum=0, maximum=1)),
    Field("result", "Kết quả / minh chứng", "Result / evidence", "text", "by_member", 27, 28),
    Field("expected", "Điểm dự kiến", "Expected points", "points", "lowest", 8, 9,
          number_format=POINTS, officer_format=POINTS, lead_only=True,
          check=Check("decimal", "Điểm dự kiến",
                      "Nhập số điểm dự kiến đạt được, từ 0 đến {max_points}.",
                      "Điểm dự kiến không hợp lệ",
                      "Điểm dự kiến phải là số từ 0 đến {max_points} (điểm chuẩn của tiêu chí).",
                      minimum=0, maximum="max_points")),
    Field("obstacles", "Khó khăn, kiến nghị", "Obstacles, proposals", "text", "by_member",
          22, 22),
)


_keys: tuple = (None, ())  # (the fields declared, their keys): read for every cell of a return


def keys() -> tuple[str, ...]:
    global _keys
    if _keys[0] is not FIELDS:
        _keys = (FIELDS, tuple(f.key for f in FIELDS))
    return _keys[1]


_index: tuple = (None, {})  # (the fields declared, key -> field)


def get(key: str) -> Field | None:
    """The reported field of that key, None when the key is not one."""
    global _index
    if _index[0] is not FIELDS:
        _index = (FIELDS, {f.key: f for f in FIELDS})
    return _index[1].get(key)


def field(key: str) -> Field:
    found = get(key)
    if found is None:
        raise KeyError(key)
    return found


def of_kind(kind: str) -> tuple[str, ...]:
    """The keys of the fields of a kind, in declared order."""
    return tuple(f.key for f in FIELDS if f.kind == kind)


def shared() -> tuple[str, ...]:
    """What every officer on a row reports (supporters too), then what only its lead does:
    the order a supporter's note and the others' reports are written in."""
    return (*(f.key for f in FIELDS if not f.lead_only), *(f.key for f in FIELDS if f.lead_only))
