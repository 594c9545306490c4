"""The Excel button: xlwings' «Run main» calls main() through the module named like the workbook.

Every decision is in control.py; this glue only moves the workbook between Excel and the file,
with xlwings' open-source API alone (Book.caller, Book.save, Book.close, App.books.open,
Range.value, Range.color, Sheet.activate):
1. save the master in Excel, so nothing typed is lost and the file holds the request;
2. an action that writes the master (Tạo phiếu, Tổng hợp, Chấm điểm, Báo cáo tiến độ: those
   control.ACTIONS marks `writes`): close it in Excel, so Windows' file lock and Excel's ~$
   owner file are gone, run the library on the file exactly as the CLI does, then open it
   again; the others (Kiểm tra, Xuất phụ lục, Tạo sổ mới) only read it, so it stays open;
3. write the outcome on the control sheet in Excel and save.
"""

from __future__ import annotations

from pathlib import Path

from .. import layout
from . import control


def main(book=None) -> control.Outcome:
    """Run the action chosen on the control sheet of the calling workbook (or of `book`)."""
    if book is None:
        import xlwings as xw

        book = xw.Book.caller()
    path = Path(book.fullname)
    if not path.is_file():  # never saved, or a OneDrive/SharePoint address
        outcome = control.failed("not-local", file=book.fullname)
        show(book, outcome)
        return outcome
    book.save()
    request = control.read_request(path)
    if request.changes_master:
        app = book.app
        book.close()
        try:
            control.wait_for_excel_to_release(path)
            outcome = control.run_request(request)
        finally:
            book = app.books.open(str(path))
    else:
        outcome = control.run_request(request)
    show(book, outcome)
    book.save()
    return outcome


def show(book, outcome: control.Outcome) -> None:
    """The outcome on the workbook's control sheet, which is brought to the front."""
    if layout.CONTROL_SHEET not in [sheet.name for sheet in book.sheets]:
        return
    sheet = book.sheets[layout.CONTROL_SHEET]
    for address, value in control.result_cells(outcome, for_excel=True).items():
        sheet.range(address).value = value
    status = next(c.cell for c in layout.CONTROL_RESULTS if c.key == "status")
    sheet.range(status).color = "#" + control.status_colour(outcome)[-6:]
    sheet.activate()
