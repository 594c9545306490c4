"""Deadlines read from the time frames plans are written with."""

from __future__ import annotations

import datetime
import unicodedata

import pytest

from cchc_xl.plan.timeframe import format_date, parse_timeframe

D = datetime.date

# (time frame, default_year, expected deadline)
CASES = [
    # whole year
    ("Trong năm 2021", None, D(2021, 12, 31)),
    ("Năm 2021", None, D(2021, 12, 31)),
    ("Cả năm 2021", None, D(2021, 12, 31)),
    ("trong NĂM 2021", None, D(2021, 12, 31)),
    ("  Trong   năm 2021.  ", None, D(2021, 12, 31)),
    ("Trong năm 2021;", None, D(2021, 12, 31)),
    ("Trong năm 2021", 2030, D(2021, 12, 31)),
    ("2021", None, D(2021, 12, 31)),
    ("Năm 2021 - 2022", None, D(2022, 12, 31)),
    ("Đến hết năm 2021", None, D(2021, 12, 31)),
    ("Cuối năm 2021", None, D(2021, 12, 31)),
    # quarters
    ("Quý I/2021", None, D(2021, 3, 31)),
    ("Quý II/2021", None, D(2021, 6, 30)),
    ("Quý III/2021", None, D(2021, 9, 30)),
    ("Quý IV/2021", None, D(2021, 12, 31)),
    ("Quý 2/2021", None, D(2021, 6, 30)),
    ("Quý II năm 2021", None, D(2021, 6, 30)),
    ("Quý II, năm 2021", None, D(2021, 6, 30)),
    ("quý 4 - 2021", None, D(2021, 12, 31)),
    ("quý 4 – 2021", None, D(2021, 12, 31)),
    ("quý 4 — 2021", None, D(2021, 12, 31)),
    ("QUÝ III/2021", None, D(2021, 9, 30)),
    ("Qúy II/2021", None, D(2021, 6, 30)),  # old tone placement
    ("Trong quý II/2021", None, D(2021, 6, 30)),
    ("Quý Ⅱ/2021", None, D(2021, 6, 30)),  # Unicode Roman numeral
    # months
    ("Tháng 6/2021", None, D(2021, 6, 30)),
    ("tháng 06 năm 2021", None, D(2021, 6, 30)),
    ("Tháng 6 - 2021", None, D(2021, 6, 30)),
    ("6/2021", None, D(2021, 6, 30)),
    ("06/2021", None, D(2021, 6, 30)),
    ("Tháng 1/2021", None, D(2021, 1, 31)),
    ("Tháng 4/2021", None, D(2021, 4, 30)),
    ("Tháng 12/2021", None, D(2021, 12, 31)),
    ("Tháng 2/2021", None, D(2021, 2, 28)),
    ("Tháng 2/2024", None, D(2024, 2, 29)),
    ("Tháng 2/2000", None, D(2000, 2, 29)),
    ("Tháng 2/1900", None, D(1900, 2, 28)),
    ("02/2024", None, D(2024, 2, 29)),
    ("Đến hết tháng 9/2021", None, D(2021, 9, 30)),
    # exact dates
    ("Trước 30/6/2021", None, D(2021, 6, 30)),
    ("Trước ngày 30/6/2021", None, D(2021, 6, 30)),
    ("Chậm nhất 15/7/2021", None, D(2021, 7, 15)),
    ("Chậm nhất ngày 15/7/2021", None, D(2021, 7, 15)),
    ("Đến 30/6/2021", None, D(2021, 6, 30)),
    ("30/6/2021", None, D(2021, 6, 30)),
    ("30/06/2021", None, D(2021, 6, 30)),
    ("30-6-2021", None, D(2021, 6, 30)),
    ("30.6.2021", None, D(2021, 6, 30)),
    ("30.6.2021.", None, D(2021, 6, 30)),
    ("1/2/2021", None, D(2021, 2, 1)),  # 1 February: dd/mm, never mm/dd
    ("12/1/2021", None, D(2021, 1, 12)),
    ("29/02/2024", None, D(2024, 2, 29)),
    ("Trước ngày 30 tháng 6 năm 2021", None, D(2021, 6, 30)),
    ("ngày 15 tháng 7 năm 2021", None, D(2021, 7, 15)),
    ("Trước 30/6", 2021, D(2021, 6, 30)),
    ("Trước ngày 30 tháng 6", 2021, D(2021, 6, 30)),
    # parts of the year
    ("6 tháng đầu năm 2021", None, D(2021, 6, 30)),
    ("6 tháng cuối năm 2021", None, D(2021, 12, 31)),
    ("9 tháng đầu năm 2021", None, D(2021, 9, 30)),
    ("3 tháng đầu năm 2021", None, D(2021, 3, 31)),
    ("Nửa đầu năm 2021", None, D(2021, 6, 30)),
    ("6 tháng đầu năm", 2022, D(2022, 6, 30)),
    # ranges: the deadline is the end
    ("Từ tháng 3 đến tháng 6/2021", None, D(2021, 6, 30)),
    ("Từ tháng 3 đến tháng 6 năm 2021", None, D(2021, 6, 30)),
    ("Tháng 3 - 6/2021", None, D(2021, 6, 30)),
    ("Tháng 3 – 6/2021", None, D(2021, 6, 30)),
    ("Tháng 3-6/2021", None, D(2021, 6, 30)),
    ("03 - 06/2021", None, D(2021, 6, 30)),
    ("Tháng 11/2021 - tháng 2/2022", None, D(2022, 2, 28)),
    ("Quý I - II/2021", None, D(2021, 6, 30)),
    ("Quý I đến quý III/2021", None, D(2021, 9, 30)),
    ("Quý IV/2021 - Quý I/2022", None, D(2022, 3, 31)),
    ("01/3/2021 - 30/6/2021", None, D(2021, 6, 30)),
    ("Từ 01/3/2021 đến 30/6/2021", None, D(2021, 6, 30)),
    ("01/3/2021 — 30/6/2021", None, D(2021, 6, 30)),
    # recurring work: the end of the plan's year
    ("Thường xuyên", 2021, D(2021, 12, 31)),
    ("Thường xuyên", None, None),
    ("Hằng năm", 2021, D(2021, 12, 31)),
    ("Hằng năm", None, None),
    ("Hàng năm", 2021, D(2021, 12, 31)),
    ("Hàng tháng", 2021, D(2021, 12, 31)),
    ("Hàng tháng", None, None),
    ("Hằng quý", 2021, D(2021, 12, 31)),
    ("Định kỳ", 2021, D(2021, 12, 31)),
    ("Thường xuyên, trong năm 2021", 2030, D(2021, 12, 31)),
    # no year written: the default year, or nothing
    ("Quý II", 2021, D(2021, 6, 30)),
    ("Quý II", None, None),
    ("Tháng 6", 2021, D(2021, 6, 30)),
    ("Tháng 6", None, None),
    ("Trong tháng 2", 2024, D(2024, 2, 29)),
    ("Trước 30/6", None, None),
    # unreadable or invalid
    ("31/2/2021", None, None),
    ("29/2/2021", None, None),
    ("32/1/2021", None, None),
    ("30/13/2021", None, None),
    ("Quý V/2021", None, None),
    ("Quý 5/2021", None, None),
    ("Quý 0/2021", None, None),
    ("Quý V", 2021, None),
    ("Tháng 13/2021", None, None),
    ("Tháng 0/2021", None, None),
    ("13/2021", None, None),
    ("30/6/21", None, None),  # two-digit years are refused
    ("30/6/21", 2021, None),
    ("Tháng 6/21", 2021, None),
    ("Quý II/21", 2021, None),
    ("Năm 21", 2021, None),
    ("6/21", 2021, None),
    ("", None, None),
    ("   ", 2021, None),
    ("Chưa xác định", 2021, None),
    (None, 2021, None),
]


@pytest.mark.parametrize(("text", "default_year", "expected"), CASES)
def test_parse_timeframe(text: str | None, default_year: int | None, expected: D | None) -> None:
    assert parse_timeframe(text, default_year) == expected


@pytest.mark.parametrize(
    ("text", "default_year", "expected"),
    [case for case in CASES if case[0] and case[0] != unicodedata.normalize("NFD", case[0])],
)
def test_parse_timeframe_nfd(text: str, default_year: int | None, expected: D | None) -> None:
    # The Windows Vietnamese keyboard types decomposed marks.
    nfd = unicodedata.normalize("NFD", text)
    assert parse_timeframe(nfd, default_year) == expected


def test_nfd_cases_exist() -> None:
    nfd = unicodedata.normalize("NFD", "Quý II năm 2021")
    assert nfd != "Quý II năm 2021"
    assert parse_timeframe(nfd) == D(2021, 6, 30)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (D(2021, 6, 30), D(2021, 6, 30)),
        (datetime.datetime(2021, 6, 30, 14, 5), D(2021, 6, 30)),
    ],
)
def test_dates_pass_through(value: D, expected: D) -> None:
    result = parse_timeframe(value)
    assert result == expected
    assert type(result) is datetime.date


def test_integer_year_from_a_spreadsheet_cell() -> None:
    assert parse_timeframe(2021) == D(2021, 12, 31)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("d", "text"),
    [(D(2021, 6, 30), "30/06/2021"), (D(2021, 1, 5), "05/01/2021"), (D(999, 12, 31), "31/12/0999")],
)
def test_format_date(d: D, text: str) -> None:
    assert format_date(d) == text


def test_format_then_parse_round_trip() -> None:
    d = D(2024, 2, 29)
    assert parse_timeframe(format_date(d)) == d
