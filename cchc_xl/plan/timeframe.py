"""Read the deadline out of a plan's Vietnamese time frame ("Quý II/2021", "Trước 30/6/2021")."""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata

__all__ = ["format_date", "parse_timeframe"]

_DASHES = dict.fromkeys(
    map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_SLASHES = dict.fromkeys(map(ord, "\u2044\u2215\uff0f"), "/")
_EDGE_PUNCTUATION = " .,;:!?…"

# A range continues with a dash or "đến"/"tới"; the unit word may be repeated ("đến tháng 6").
_RANGE = r"\s*(?:-|đến|tới)\s*(?:{unit}\s+)?"
# The year after a month or quarter: "/2021", "- 2021", "năm 2021", ", năm 2021".
_YEAR_SUFFIX = r"(?:\s*[/-]\s*|\s*,?\s*năm\s+)(\d+)(?!\d)"

# "ngày 30 tháng 6 năm 2021", the way dates are written in the body of official documents.
_WORDED_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?!\d)(?:\s*,?\s*năm\s+(\d+))?")
# dd/mm/yyyy with one separator used twice, so "tháng 3-6/2021" is not the 3rd of June.
_DATE = re.compile(r"(?<!\d)(\d{1,2})([/.-])(\d{1,2})\2(\d+)(?!\d)")
# dd/mm without a year ("Trước 30/6"); the lookarounds keep "6/2021" and "30/6/2021" out.
_DAY_MONTH = re.compile(r"(?<![\d/.-])(\d{1,2})[/.](\d{1,2})(?![\d/.-])")
# "6 tháng đầu năm", "9 tháng đầu năm", "6 tháng cuối năm", "nửa đầu năm".
_PART_OF_YEAR = re.compile(r"(?:(?<!\d)(\d{1,2})\s+tháng|nửa)\s+(đầu|cuối)\s+năm")
_QUARTER_WORD = r"q(?:uý|úy)"  # "Qúy" is the old tone placement, still typed.
_QUARTER_TOKEN = r"([ivxl]+|\d{1,2})(?![^\W\d_])(?!\d)"
_QUARTER = re.compile(
    _QUARTER_WORD + r"\s+" + _QUARTER_TOKEN
    + "(?:" + _RANGE.format(unit=_QUARTER_WORD) + _QUARTER_TOKEN + ")?"
    + "(?:" + _YEAR_SUFFIX + ")?"
)
_MONTH = re.compile(
    r"tháng\s+(\d{1,2})(?!\d)"
    + "(?:" + _RANGE.format(unit="tháng") + r"(\d{1,2})(?!\d))?"
    + "(?:" + _YEAR_SUFFIX + ")?"
)
# "6/2021", "06/2021", and the end of "03 - 06/2021".
_MONTH_YEAR = re.compile(r"(?<![\d/.-])(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
_SHORT_YEAR = re.compile(r"năm\s+(\d{1,3})(?!\d)")
_RECURRING = re.compile(
    r"thường xuyên|liên tục|định kỳ|(?:hằng|hàng)\s+(?:năm|quý|tháng|tuần|ngày)"
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def parse_timeframe(
    text: str | datetime.date | None, default_year: int | None = None
) -> datetime.date | None:
    """Deadline (the last day the work may be done) from a Vietnamese time frame, or None if
    it cannot be read."""
    if isinstance(text, datetime.datetime):
        return text.date()
    if isinstance(text, datetime.date):
        return text
    if isinstance(text, int) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        return None
    s = _normalise(text)
    if not s:
        return None

    if m := _WORDED_DATE.search(s):
        return _date(_year(m.group(3), default_year), m.group(2), m.group(1))

    dates = _DATE.findall(s)
    if dates:
        day, _sep, month, year = dates[-1]  # a range ends on its last date
        return _date(_year(year, None), month, day)

    if m := _PART_OF_YEAR.search(s):
        year = _any_year(s, default_year)
        if m.group(2) == "cuối":
            return _date(year, 12, 31)
        months = int(m.group(1)) if m.group(1) else 6
        return _month_end(year, months) if 1 <= months <= 12 else None

    quarters = list(_QUARTER.finditer(s))
    if quarters:
        last = quarters[-1]
        quarter = _quarter_number(last.group(2) or last.group(1))
        if quarter is None:
            return None
        return _month_end(_unit_year(last.group(3), s, default_year), quarter * 3)

    months = list(_MONTH.finditer(s))
    if months:
        last = months[-1]
        month = int(last.group(2) or last.group(1))
        return _month_end(_unit_year(last.group(3), s, default_year), month)

    month_years = _MONTH_YEAR.findall(s)
    if month_years:
        month, year = month_years[-1]
        return _month_end(int(year), int(month))

    if day_months := _DAY_MONTH.findall(s):
        day, month = day_months[-1]
        return _date(default_year, month, day)

    if _SHORT_YEAR.search(s):
        return None  # "năm 21": two-digit years are refused, not guessed
    if years := _YEAR.findall(s):
        return _date(int(years[-1]), 12, 31)

    if _RECURRING.search(s):
        return _date(default_year, 12, 31)
    return None


def format_date(d: datetime.date) -> str:
    """The date as Vietnamese documents write it: dd/mm/yyyy."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def _normalise(text: str) -> str:
    s = unicodedata.normalize("NFKC", text).translate(_DASHES).translate(_SLASHES).lower()
    return " ".join(s.split()).strip(_EDGE_PUNCTUATION)


def _year(digits: str | None, default_year: int | None) -> int | None:
    """A four-digit year, the default when none is written, None when it is not four digits."""
    if digits is None:
        return default_year
    return int(digits) if len(digits) == 4 else None


def _any_year(s: str, default_year: int | None) -> int | None:
    years = _YEAR.findall(s)
    return int(years[-1]) if years else default_year


def _unit_year(digits: str | None, s: str, default_year: int | None) -> int | None:
    # "Quý II/21" must fail rather than fall back to another year.
    return _year(digits, None) if digits is not None else _any_year(s, default_year)


def _quarter_number(token: str) -> int | None:
    number = _ROMAN.get(token) if not token.isdigit() else int(token)
    return number if number is not None and 1 <= number <= 4 else None


def _month_end(year: int | None, month: int) -> datetime.date | None:
    if year is None or not 1 <= month <= 12:
        return None
    return _date(year, month, calendar.monthrange(year, month)[1])


def _date(year: int | None, month: int | str, day: int | str) -> datetime.date | None:
    if year is None:
        return None
    try:
        return datetime.date(year, int(month), int(day))
    except ValueError:
        return None
