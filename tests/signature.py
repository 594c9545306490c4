"""A workbook's content as plain data, to compare two files by meaning rather than bytes."""

from __future__ import annotations

import warnings

import openpyxl


def _style(cell) -> tuple:
    font, fill = cell.font, cell.fill
    return (font.name, bool(font.b), bool(font.i), font.sz, fill.fill_type,
            fill.fgColor.rgb if fill.fill_type else None, cell.number_format,
            cell.alignment.wrap_text, cell.protection.locked)


def workbook_signature(path) -> dict:
    """Sheets, states, cell values and formulas, styles, merges, widths, validations,
    defined names, freeze panes and print setup."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path)
    sig: dict = {
        "sheets": wb.sheetnames,
        "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
    }
    for ws in wb.worksheets:
        cells = {c.coordinate: (c.value, c.data_type, _style(c))
                 for row in ws.iter_rows() for c in row
                 if c.value is not None or c.has_style}
        sig[ws.title] = {
            "state": ws.sheet_state,
            "cells": cells,
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "widths": {k: d.width for k, d in ws.column_dimensions.items() if d.width},
            "validations": sorted((dv.type, dv.formula1, dv.formula2, str(dv.sqref), dv.error)
                                  for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
            "print": (ws.page_setup.orientation, ws.page_setup.paperSize,
                      ws.page_setup.fitToWidth, ws.page_setup.fitToHeight,
                      ws.print_title_rows, ws.oddHeader.center.text),
            "protected": ws.protection.sheet,
        }
    return sig
