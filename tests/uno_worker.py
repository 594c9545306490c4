"""Type into workbooks the way a LibreOffice Calc user does, over UNO, and save them.

Run with Debian's /usr/bin/python3 (the only interpreter that has the `uno` module), never
imported by pytest; it has no project imports. tests/libreoffice_ui.py starts it.

    /usr/bin/python3 tests/uno_worker.py --port N [--timeout SECONDS]

It connects to an `soffice --accept="socket,host=127.0.0.1,port=N;urp;"` (retrying until the
timeout), prints one line `{"ready": true, "version": ...}`, then reads one JSON job per line on
stdin and answers one JSON line per job on stdout:

    {"open": "/abs/in.xlsx", "sheet": "Phiếu cập nhật",
     "edits": [{"cell": "I11", "typed": "100%"}, {"sheet": "Other", "cell": "B2", "typed": "x"}],
     "save": "/abs/out.xlsx", "filter": "xlsx" | "ods", "via": "dispatch" | "setFormula"}
    -> {"ok": true, "edits": [{"sheet": ..., "cell": "I11", "typed": "100%", "accepted": true,
        "value": 1.0, "string": "100%", "format": "0%", "type": "VALUE", "formula": "1"}]}
    {"inspect": "/abs/file", "sheet": "...", "cells": ["B2", ...]}
    -> {"ok": true, "cells": [{"sheet": ..., "cell": "B2", "value": ..., ...}]}
    {"quit": true}            -> {"ok": true}, then the worker exits
    {"quit": true, "terminate": true} also ends soffice (Desktop.terminate)

A failing job answers {"ok": false, "error": "..."} and the worker goes on with the next one.
An edit's "sheet" defaults to the job's "sheet", which defaults to the active sheet.

Documents are opened with Hidden=True, MacroExecutionMode=NEVER_EXECUTE and
UpdateDocMode=NO_UPDATE (no macros, no link updates), saved with storeToURL (filter
"Calc MS Excel 2007 XML" or "calc8", Overwrite=True) and closed.

What the two typing paths do (LibreOffice 7.4.7, Debian's libreoffice-calc-nogui, measured):

- "dispatch" (the default): select the cell in the document's own (hidden) view, then
  dispatch `.uno:EnterString` with StringName=typed. This is ScViewFunc::EnterData, the code
  the UI runs when the user commits a typed cell: input parsing in the document's locale
  (en-US unless the profile says otherwise), the number format detected from the input is
  applied to a General cell ("100%" into General -> 1.0 shown "100.00%", format "0.00%"), a
  cell that already has a number format keeps it ("100%" into "0" -> 1.0 shown "1"; "30" into
  "0%" -> 30.0 shown "3000%"), and **sheet protection is enforced**: a locked cell of a
  protected sheet is left unchanged. `accepted` is measured, not guessed: the document's
  modified flag is cleared before each edit and read after it (EnterData sets it on any stored
  input, even an unchanged one; a refused edit leaves it clear).
- "setFormula": XCell.setFormula(typed). It parses numbers, percentages and formulas the same
  way, but it is the API, not the UI: it does **not** enforce sheet protection (it writes into
  a locked cell of a protected sheet) and it applies no detected number format ("100%" into
  General -> 1.0 shown "1", format stays "General"). Kept for comparison only.

Data validation is enforced by **neither** path: "30" typed into a cell whose validation is
"decimal between 0 and 1", error style STOP, is stored as 30.0 (XCellRangeFormula's
setFormulaArray stores it too; XCellRangeData's setDataArray into a locked cell of a protected
sheet raises instead, so that API does check protection, but it parses nothing). In
LibreOffice the validation check and its STOP/WARNING/INFO message belong to the interactive
cell editor (ScInputHandler), which only a view the user types into reaches. Tried and failed:
- the UI-test service org.libreoffice.uitest.UITest (it ships in this build): its
  top window is the hidden document's, with a "grid_window" child, but "SELECT" + "TYPE"
  {"TEXT": ...} + {"KEYCODE": "RETURN"} on that grid window change nothing, not even the
  cursor position (a hidden view is presumably never the current SfxViewShell, which the cell
  editor needs), also after frame.activate() and a "FOCUS" action;
- a visible view: libreoffice-calc-nogui ships no Calc .ui files
  (share/config/soffice.cfg/modules/scalc/ui is empty), so loadComponentFromURL with
  Hidden=False (or of private:factory/scalc) fails while building the view (VclBuilder throws
  NoSuchElementException for a child window's .ui file) and returns None, or soffice crashes
  (SIGSEGV, seen both in a drawing-layer overlay timer calling vcl::Window::GetCursor and in
  ScTabViewShell::GetClipData while the half-built view is closed); making a hidden frame
  visible (getContainerWindow().setVisible(True)) crashes soffice as well. Writer documents
  open visible without trouble. The full libreoffice-calc package (with libreoffice-core,
  which replaces libreoffice-core-nogui) was not tried.
So a test of "the user's typing is refused by validation" cannot be driven here; the answer
says what LibreOffice stored, and each row carries the cell's validation ("validation") so the
caller can judge the value itself.

For the same reason (they belong to the cell editor, not to EnterData) the answers never show
AutoInput (completion from the column's values) or AutoCorrect (quotes, capitals).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

FILTERS = {"xlsx": "Calc MS Excel 2007 XML", "ods": "calc8"}
NEVER_EXECUTE = 0  # com.sun.star.document.MacroExecMode.NEVER_EXECUTE
NO_UPDATE = 0  # com.sun.star.document.UpdateDocMode.NO_UPDATE


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def connect(port: int, timeout: float):
    """(context, desktop, dispatch helper) of the soffice listening on 127.0.0.1:port."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext(
        "com.sun.star.bridge.UnoUrlResolver", local
    )
    url = f"uno:socket,host=127.0.0.1,port={port};urp;StarOffice.ComponentContext"
    deadline = time.monotonic() + timeout
    while True:
        try:
            ctx = resolver.resolve(url)
            break
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    return ctx, desktop, dispatcher


def _version(ctx) -> str:
    try:
        provider = ctx.ServiceManager.createInstanceWithContext(
            "com.sun.star.configuration.ConfigurationProvider", ctx
        )
        access = provider.createInstanceWithArguments(
            "com.sun.star.configuration.ConfigurationAccess",
            (_prop("nodepath", "/org.openoffice.Setup/Product"),),
        )
        return f"{access.getByName('ooName')} {access.getByName('ooSetupVersionAboutBox')}"
    except Exception:  # noqa: BLE001 - the version is only informative
        return "unknown"


class Worker:
    def __init__(self, ctx, desktop, dispatcher) -> None:
        self.ctx = ctx
        self.desktop = desktop
        self.dispatcher = dispatcher

    # -- documents -----------------------------------------------------------------------
    def _open(self, path: str):
        if not os.path.isfile(path):
            raise FileNotFoundError(path)
        url = uno.systemPathToFileUrl(path)
        props = (
            _prop("Hidden", True),
            _prop("MacroExecutionMode", NEVER_EXECUTE),
            _prop("UpdateDocMode", NO_UPDATE),
            _prop("ReadOnly", False),
        )
        doc = self.desktop.loadComponentFromURL(url, "_blank", 0, props)
        if doc is None:
            raise RuntimeError(f"LibreOffice could not open {path} (loadComponentFromURL: None)")
        if not doc.supportsService("com.sun.star.sheet.SpreadsheetDocument"):
            doc.close(True)
            raise RuntimeError(f"{path} is not a spreadsheet")
        return doc

    @staticmethod
    def _sheet(doc, name: str | None):
        if name is None:
            return doc.CurrentController.ActiveSheet
        if not doc.Sheets.hasByName(name):
            names = list(doc.Sheets.ElementNames)
            raise KeyError(f"no sheet {name!r} (sheets: {names})")
        return doc.Sheets.getByName(name)

    @staticmethod
    def _describe(doc, sheet, address: str) -> dict:
        cell = sheet.getCellRangeByName(address)
        fmt = doc.NumberFormats.getByKey(cell.NumberFormat)
        out = {
            "sheet": sheet.Name,
            "cell": address,
            "value": cell.getValue(),
            "string": cell.getString(),
            "formula": cell.getFormula(),
            "format": fmt.FormatString if fmt is not None else None,
            "type": cell.Type.value,
            "locked": bool(cell.CellProtection.IsLocked),
            "sheet_protected": bool(sheet.isProtected()),
        }
        v = cell.Validation
        if v.Type.value != "ANY":
            out["validation"] = {
                "type": v.Type.value,
                "operator": v.Operator.value,
                "formula1": v.Formula1,
                "formula2": v.Formula2,
                "error_style": v.ErrorAlertStyle.value,
                "show_error": bool(v.ShowErrorMessage),
            }
        return out

    # -- typing ----------------------------------------------------------------------------
    def _type_dispatch(self, doc, sheet, address: str, typed: str) -> tuple[bool, str | None]:
        ctrl = doc.CurrentController
        ctrl.setActiveSheet(sheet)
        target = sheet.getCellRangeByName(address)
        ctrl.select(target)
        cur = ctrl.getSelection()
        got = getattr(cur, "CellAddress", None)
        want = target.CellAddress
        if (
            got is None
            or (got.Sheet, got.Column, got.Row) != (want.Sheet, want.Column, want.Row)
            or not cur.supportsService("com.sun.star.sheet.SheetCell")
        ):
            return False, "the cell could not be selected (as a user could not click it)"
        doc.setModified(False)
        self.dispatcher.executeDispatch(
            ctrl.Frame, ".uno:EnterString", "", 0, (_prop("StringName", typed),)
        )
        accepted = bool(doc.isModified())
        return accepted, None if accepted else "LibreOffice refused the input"

    @staticmethod
    def _type_set_formula(doc, sheet, address: str, typed: str) -> tuple[bool, str | None]:
        cell = sheet.getCellRangeByName(address)
        doc.setModified(False)
        try:
            cell.setFormula(typed)
        except Exception as exc:  # noqa: BLE001 - reported back to the caller
            return False, f"{type(exc).__name__}: {exc}"
        accepted = bool(doc.isModified())
        return accepted, None if accepted else "LibreOffice refused the input"

    # -- jobs ------------------------------------------------------------------------------
    def job_edit(self, job: dict) -> dict:
        via = job.get("via", "dispatch")
        typer = {"dispatch": self._type_dispatch, "setFormula": self._type_set_formula}[via]
        fmt = job.get("filter")
        if job.get("save") and fmt not in FILTERS:
            raise ValueError(f"filter must be one of {sorted(FILTERS)}, not {fmt!r}")
        doc = self._open(job["open"])
        saved = False
        try:
            results = []
            for edit in job.get("edits", []):
                sheet = self._sheet(doc, edit.get("sheet", job.get("sheet")))
                address = edit["cell"]
                accepted, why = typer(doc, sheet, address, str(edit["typed"]))
                row = {
                    "typed": edit["typed"],
                    "accepted": accepted,
                    **self._describe(doc, sheet, address),
                }
                if why and not accepted:
                    row["reason"] = why
                results.append(row)
            if job.get("save"):
                url = uno.systemPathToFileUrl(job["save"])
                props = (_prop("FilterName", FILTERS[fmt]), _prop("Overwrite", True))
                doc.storeToURL(url, props)
                saved = True
            return {"ok": True, "edits": results}
        finally:
            try:
                doc.close(True)
            except Exception as exc:  # noqa: BLE001 - see below
                if not saved:
                    raise
                # LibreOffice 7.4 (Debian 12) at times dies closing a document it has just
                # stored as .ods: the file is whole (storeToURL returned), the office is not.
                self.gone = f"{type(exc).__name__}: {exc}"

    def job_inspect(self, job: dict) -> dict:
        doc = self._open(job["inspect"])
        try:
            sheet = self._sheet(doc, job.get("sheet"))
            return {"ok": True, "cells": [self._describe(doc, sheet, a) for a in job["cells"]]}
        finally:
            doc.close(True)

    def run(self, stdin, stdout) -> None:
        for line in stdin:
            if not line.strip():
                continue
            try:
                job = json.loads(line)
                if job.get("quit"):
                    if job.get("terminate"):
                        try:
                            self.desktop.terminate()
                        except Exception:  # noqa: BLE001 - the bridge dies with soffice
                            pass
                    _answer(stdout, {"ok": True})
                    return
                if "inspect" in job:
                    answer = self.job_inspect(job)
                elif "open" in job:
                    answer = self.job_edit(job)
                    if getattr(self, "gone", None):
                        answer["office_gone"] = self.gone
                else:
                    answer = {"ok": False, "error": f"unknown job: {sorted(job)}"}
            except Exception as exc:  # noqa: BLE001 - one bad job must not end the worker
                answer = {
                    "ok": False,
                    "error": f"{type(exc).__name__}: {exc}",
                    "traceback": traceback.format_exc(limit=4),
                }
            _answer(stdout, answer)


def _answer(stdout, obj: dict) -> None:
    stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")
    stdout.flush()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for soffice")
    args = parser.parse_args(argv)
    sys.stdin.reconfigure(encoding="utf-8")
    sys.stdout.reconfigure(encoding="utf-8")
    t0 = time.monotonic()
    try:
        ctx, desktop, dispatcher = connect(args.port, args.timeout)
    except Exception as exc:  # noqa: BLE001 - told to the parent as one JSON line
        _answer(sys.stdout, {"ready": False, "error": f"{type(exc).__name__}: {exc}"})
        return 1
    ready = {"ready": True, "version": _version(ctx), "connect_s": time.monotonic() - t0}
    _answer(sys.stdout, ready)
    Worker(ctx, desktop, dispatcher).run(sys.stdin, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
