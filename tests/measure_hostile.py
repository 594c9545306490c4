"""Time and peak memory of a consolidation given each hostile input of tests/hostile_inputs.py
(beside one sound return), each run in a fresh process under a time limit and an address-space
limit (so that a case that would take the machine's memory fails instead).

    .venv/bin/python tests/measure_hostile.py [CASE ...]   (default: every case)

Prints one line per case: seconds, peak resident memory of the process (VmHWM), what the run
ended with (its problems by code, or the exception, or the signal that killed it), and for the
master: its size and rows of its log before → after."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
import hostile_inputs as H  # noqa: E402
from cycle import FILES, edit_return, log_rows, make_cycle, rezip  # noqa: E402

from cchc_xl import layout  # noqa: E402

TIMEOUT = float(os.environ.get("MEASURE_TIMEOUT", "120"))
MEMORY = int(os.environ.get("MEASURE_MEMORY_MB", "6000")) * 1024 * 1024

RUN = textwrap.dedent("""
    import collections, datetime as dt, json, resource, sys, time
    limit = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from cchc_xl.cycle.consolidate import consolidate
    def peak_mb():
        with open("/proc/self/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:")) / 1024
    start = time.perf_counter()
    out = {}
    try:
        report = consolidate(sys.argv[1], sys.argv[2], now=dt.datetime(2021, 6, 20, 9, 30),
                             as_of=dt.date(2021, 6, 30))
        out["problems"] = dict(collections.Counter(p.code for p in report.problems))
        out["changes"] = len(report.changes)
        out["named"] = sorted({p.file for p in report.problems})[:3]
    except BaseException as exc:
        out["raised"] = f"{type(exc).__name__}: {str(exc)[:120]}"
    out["seconds"] = round(time.perf_counter() - start, 2)
    out["peak_mb"] = round(peak_mb())
    print(json.dumps(out, ensure_ascii=False))
""")


def _cases(template_out: Path):
    tp = template_out / FILES["TP"]

    def eml_nested(inbox):
        H.nested_mime_eml(inbox / "long nhau.eml", 1000)

    def folders_nested(inbox):
        H.nested_folders(inbox, 1100, ("phieu.xlsx", b"PK"))

    def fifo(inbox):
        H.fifo(inbox / "ong.xlsx")

    def device(inbox):
        H.zero_device(inbox / "thiet bi.xlsx")

    def ods_padded_tall(inbox):
        H.padded_ods(inbox / "dem.ods", rows=1_048_575, columns=64)

    def ods_padded_wide(inbox):
        H.padded_ods(inbox / "dem.ods", rows=60_000, columns=1024)

    def emails_15x3x19mb(inbox):
        H.emails_with_attachments(inbox, 15, 3, 19 * 1024 * 1024)

    def xlsx_dimensionless_2_5m(inbox):
        H.dimensionless_xlsx(inbox / "khong dau.xlsx", 2_500_000)

    def xlsx_rows_out_of_order_stamp(inbox):
        H.dimensionless_xlsx(inbox / "lap dong.xlsx", 2_500_000, sheet=layout.STAMP_SHEET,
                             row_number=lambda i: 1)

    def doctype_after_4k(inbox):
        H.late_doctype(tp, inbox / "dtd muon.xlsx")
        H.late_doctype(tp, inbox / "dtd rat muon.xlsx", "xl/workbook.xml", after=2_000_000)

    def zip_50000_empty(inbox):
        H.zip_of_empty_files(inbox / "rong.zip", 50_000)

    def xlsx_sealed_wide(inbox):
        import re

        def widen(sheet):
            sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>',
                           sheet, count=1)
            rows = b"".join(b'<row r="%d"><c r="Z%d"><v>1</v></c></row>' % (r, r)
                            for r in range(40, 5100))
            return sheet.replace(b"</sheetData>", rows + b"</sheetData>", 1)

        src = edit_return(tp, inbox.parent / "tp.xlsx", {"2.5": {"status": layout.STATUSES[2]}})
        rezip(src, inbox / "rong.xlsx", replace={"xl/worksheets/sheet1.xml": widen})

    def sao_luu(inbox):
        (inbox / "sao-luu").mkdir()
        rezip(tp, inbox / "sao-luu" / "tu phap.xlsx")

    return {f.__name__: f for f in (eml_nested, folders_nested, fifo, device, ods_padded_tall,
                                     ods_padded_wide, emails_15x3x19mb, xlsx_dimensionless_2_5m,
                                     xlsx_rows_out_of_order_stamp, doctype_after_4k,
                                     zip_50000_empty, xlsx_sealed_wide, sao_luu)}


def main(names: list[str]) -> None:
    base = Path(tempfile.mkdtemp(prefix="cchc-measure-"))
    try:
        master, outbox, _ = make_cycle(base / "mau")
        cases = _cases(outbox)
        for name in names or list(cases):
            work = base / name
            shutil.copytree(master.parent, work / "so")
            inbox = work / "nhan"
            inbox.mkdir()
            edit_return(outbox / FILES["VH"], inbox / "van hoa.xlsx",
                        {"7.1.6": {"status": layout.STATUSES[2]}})
            before = set(H.files_under(inbox))
            cases[name](inbox)
            hostile = sum(p.lstat().st_size for p in H.files_under(inbox) if p not in before)
            copy = work / "so" / master.name
            size, logged = copy.stat().st_size, len(log_rows(copy))
            start = time.perf_counter()
            try:
                done = subprocess.run([sys.executable, "-c", RUN, str(copy), str(inbox),
                                       str(MEMORY)], capture_output=True, text=True,
                                      timeout=TIMEOUT)
                if done.returncode < 0:
                    got = {"killed by signal": -done.returncode,
                           "stderr": done.stderr.strip()[-160:]}
                else:
                    got = json.loads(done.stdout.strip().splitlines()[-1]) if (
                        done.stdout.strip()) else {"stderr": done.stderr.strip()[-300:]}
            except subprocess.TimeoutExpired:
                got = {"timeout": TIMEOUT}
            got.setdefault("seconds", round(time.perf_counter() - start, 2))
            got["input"] = f"{hostile / 1e6:.3f} MB"
            t0 = time.perf_counter()
            after = len(log_rows(copy))
            got["master"] = (f"{size / 1e3:.0f} KB → {copy.stat().st_size / 1e3:.0f} KB, "
                             f"log rows {logged} → {after}, loads in "
                             f"{time.perf_counter() - t0:.1f} s")
            print(f"{name}: {json.dumps(got, ensure_ascii=False)}", flush=True)
            H.remove_tree(work)
    finally:
        H.remove_tree(base)


if __name__ == "__main__":
    print(f"{dt.datetime.now():%Y-%m-%d %H:%M}, Python {sys.version.split()[0]}, "
          f"limits {TIMEOUT:.0f} s and {MEMORY >> 20} MB a run", flush=True)
    main(sys.argv[1:])
