"""Putting values into cells so that text stays text: nothing typed becomes a formula."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@")


def put(cell, value: object):
    """Store a value; text that a spreadsheet could read as a formula, DDE or link is kept
    as literal text (string type plus Excel's quote prefix)."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
