"""cchc_xl.files.libreoffice against the real soffice (LibreOffice 7.4.7 when written)."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from cchc_xl.files import libreoffice as lo

pytestmark = pytest.mark.libreoffice

VIET = "Điểm bị mất"


def _cells(path: Path) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()


def _stale_workbook(path: Path, a1: int = 2, a2: int = 3, stale: str = "99") -> Path:
    """A1=a1, A2=a2, A3="=A1*A2" whose cached value is the stale `stale`, B1=VIET."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"], ws["B1"] = a1, a2, "=A1*A2", VIET
    wb.save(path)
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb"<f>A1\*A2</f><v\s*/>|<f>A1\*A2</f><v></v>",
                                  b"<f>A1*A2</f><v>" + stale.encode() + b"</v>", data)  # fmt: skip
                assert n == 1, data
            z.writestr(info, data)
    assert _cells(path)[2][0] == float(stale)  # the stale value really is what readers see
    return path


def _require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} (poppler-utils) not found; CI=true, so not skipping")
        pytest.skip(f"{name} (poppler-utils) not found")
    return path


def test_recalculate_replaces_stale_cached_value(soffice: str, tmp_path: Path) -> None:
    src = _stale_workbook(tmp_path / "stale.xlsx")
    [out] = lo.recalculate([src], tmp_path / "out")
    assert out == tmp_path / "out" / "stale.xlsx"
    rows = _cells(out)
    assert rows[0][0] == 2 and rows[1][0] == 3
    assert rows[2][0] == 6
    assert unicodedata.normalize("NFC", rows[0][1]) == unicodedata.normalize("NFC", VIET)
    assert _cells(src)[2][0] == 99  # the input is left alone


def test_without_recalc_libreoffice_keeps_the_stale_value(soffice: str, tmp_path: Path) -> None:
    """Measured on 7.4.7: with recalc off, soffice writes the stale 99 back, even though openpyxl
    marked the workbook fullCalcOnLoad="1". LibreOffice's own default profile does the same
    (OOXMLRecalcMode defaults to 1, "never"): this is the trap recalculate() exists for."""
    src = _stale_workbook(tmp_path / "stale.xlsx")
    [out] = lo.convert([src], tmp_path / "out", "xlsx", recalc=False)
    assert _cells(out)[2][0] == 99


def test_pdf_of_a4_landscape_sheet(soffice: str, tmp_path: Path) -> None:
    pdfinfo, pdftotext = _require_tool("pdfinfo"), _require_tool("pdftotext")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "Cải cách hành chính"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    wb.save(tmp_path / "a4.xlsx")
    [pdf] = lo.convert([tmp_path / "a4.xlsx"], tmp_path / "out", "pdf")
    assert pdf == tmp_path / "out" / "a4.pdf"
    info = subprocess.run([pdfinfo, pdf], capture_output=True, text=True, check=True).stdout
    size = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info)
    assert size is not None, info
    assert abs(float(size[1]) - 842) <= 1 and abs(float(size[2]) - 595) <= 1, info
    assert re.search(r"Pages:\s+1\n", info), info
    text = subprocess.run([pdftotext, pdf, "-"], capture_output=True, text=True, check=True).stdout
    assert "Cải cách hành chính" in unicodedata.normalize("NFC", text)


def test_several_files_one_process_outputs_in_input_order(
    soffice: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    values = {"zeta": (4, 5), "alpha": (7, 11), "mid": (-3, 2), "beta": (0, 9)}
    srcs = [_stale_workbook(tmp_path / f"{name}.xlsx", a, b) for name, (a, b) in values.items()]
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(cmd: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        calls.append(cmd)
        return real_popen(cmd, **kwargs)  # type: ignore[call-overload,no-any-return]

    monkeypatch.setattr(lo.subprocess, "Popen", counting_popen)
    outs = lo.recalculate(srcs, tmp_path / "out")
    assert len(calls) == 1
    assert outs == [tmp_path / "out" / f"{name}.xlsx" for name in values]
    assert [_cells(p)[2][0] for p in outs] == [20, 77, -6, 0]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in outs)


def test_not_a_spreadsheet_raises_conversion_failed(soffice: str, tmp_path: Path) -> None:
    """Measured on 7.4.7 (Linux):
    - random bytes named x.xlsx: soffice takes them for plain text, opens them in Writer and
      aborts (SIGABRT, exit 134, "Fatal exception: Signal 6") when the Calc xlsx filter tries to
      export a Writer document. No output; files later in the same call are never converted
      (files before it are), so the whole call fails and lists both.
    - a zip that is not a workbook: "Error: source file could not be loaded", exit 0, no output.
    - an EMPTY file named .xlsx is NOT an error: soffice writes an empty workbook.
    """
    good1 = _stale_workbook(tmp_path / "a_good.xlsx")
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(random.Random(0).randbytes(4096))
    good2 = _stale_workbook(tmp_path / "z_good.xlsx")
    out = tmp_path / "out"
    with pytest.raises(lo.ConversionFailed) as exc:
        lo.recalculate([good1, bad, good2], out)
    assert exc.value.inputs == [bad, good2]
    assert "x.xlsx" in str(exc.value) and "a_good" not in str(exc.value)
    if sys.platform.startswith("linux"):
        assert "exit 134" in str(exc.value) and "Signal 6" in str(exc.value)
    assert [p.name for p in out.iterdir()] == []  # all or nothing: no partial output, no junk

    fake = tmp_path / "fake.xlsx"
    with zipfile.ZipFile(fake, "w") as z:
        z.writestr("a.txt", "hi")
    with pytest.raises(lo.ConversionFailed, match=r"(?s)exit 0.*fake\.xlsx.*could not be loaded"):
        lo.recalculate([fake], out)

    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    [made] = lo.recalculate([empty], out)
    assert _cells(made) == []


def test_pdf_of_random_bytes_succeeds(soffice: str, tmp_path: Path) -> None:
    """Measured trap on 7.4.7: converting random bytes named .xlsx to pdf does NOT fail; Writer
    renders the bytes as text and a multi-page PDF comes out. Callers must check their inputs."""
    bad = tmp_path / "x.xlsx"
    bad.write_bytes(random.Random(0).randbytes(4096))
    [pdf] = lo.convert([bad], tmp_path / "out", "pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_refuses_to_overwrite_inputs(tmp_path: Path) -> None:
    src = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(src)
    with pytest.raises(ValueError, match="overwrite"):
        lo.recalculate([src], tmp_path)
    with pytest.raises(ValueError, match="overwrite"):
        lo.convert([src], tmp_path, "XLSX")
    (tmp_path / "sub").mkdir()
    openpyxl.Workbook().save(tmp_path / "sub" / "a.xlsx")
    with pytest.raises(ValueError, match="collide"):
        lo.recalculate([src, tmp_path / "sub" / "a.xlsx"], tmp_path / "out")
    with pytest.raises(FileNotFoundError):
        lo.recalculate([tmp_path / "missing.xlsx"], tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "sub"]


def test_unavailable_when_override_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    src = tmp_path / "a.xlsx"
    openpyxl.Workbook().save(src)
    monkeypatch.setenv("CCHC_SOFFICE", str(tmp_path / "no-such-soffice"))
    monkeypatch.setenv("PATH", "")
    assert lo.find_soffice() is None  # strict: no fallback to /usr/bin/soffice
    with pytest.raises(lo.LibreOfficeUnavailable):
        lo.recalculate([src], tmp_path / "out")
    fake = tmp_path / "my-soffice"
    fake.write_text("")
    monkeypatch.setenv("CCHC_SOFFICE", str(fake))
    assert lo.find_soffice() == str(fake)


def test_two_calls_run_concurrently(soffice: str, tmp_path: Path) -> None:
    a = _stale_workbook(tmp_path / "a.xlsx", 5, 6)
    b = _stale_workbook(tmp_path / "b.xlsx", 7, 8)
    with ThreadPoolExecutor(2) as pool:
        fa = pool.submit(lo.recalculate, [a], tmp_path / "out")
        fb = pool.submit(lo.recalculate, [b], tmp_path / "out")
        [oa], [ob] = fa.result(), fb.result()
    assert (_cells(oa)[2][0], _cells(ob)[2][0]) == (30, 56)


def test_timeout_kills_soffice_and_leaves_nothing(soffice: str, tmp_path: Path) -> None:
    src = _stale_workbook(tmp_path / "a.xlsx")
    out = tmp_path / "out"
    with pytest.raises(lo.ConversionFailed, match=r"timed out after 0\.2 s converting a\.xlsx"):
        lo.recalculate([src], out, timeout=0.2)
    assert list(out.iterdir()) == []
