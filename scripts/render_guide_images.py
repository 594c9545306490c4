"""Render the pictures of the office guide (docs/huong-dan.md) from real outputs of the demo.

The demo's cycle is run the way an office runs it from Excel: the master is set up with
`excel-setup`, a round is issued, the simulated returns arrive, and the «Tổng hợp» button
(control.run_file) consolidates them. LibreOffice prints the master and one officer workbook to
PDF, pdftoppm turns the chosen pages into PNG, and Pillow trims the margins and reduces the
colours so each picture stays small. Run it again whenever a layout changes:

    python scripts/render_guide_images.py            # writes docs/hinh/*.png
    python scripts/render_guide_images.py OUTDIR

Needs LibreOffice (soffice), poppler-utils (pdftoppm, pdftotext) and Pillow.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cchc_xl import layout
from cchc_xl.cycle.demo import CONSOLIDATED_AT, ISSUED_AT, build_demo_master, simulate_returns
from cchc_xl.cycle.fill import fill
from cchc_xl.excel.control import INPUTS, run_file
from cchc_xl.excel.setup import excel_setup
from cchc_xl.files import libreoffice as lo
from cchc_xl.files.open_save import load, save

DOCS = Path(__file__).resolve().parent.parent / "docs" / "hinh"
DPI = 100
MAX_BYTES = 150_000
# the page number sits in the top margin, the sheet's name and "Trang n/N" in the bottom one;
# neither is part of the picture
HEADER_MM = 14
FOOTER_MM = 14


@dataclass(frozen=True)
class Picture:
    name: str  # file name in docs/hinh
    source: str  # "master" or "officer"
    marker: str  # text that identifies the page to take
    max_height: int | None = None  # keep only the top of a long page (pixels)
    dpi: int = DPI  # more for a page printed small (fitted to the page width)


PICTURES = (
    Picture("so-theo-doi.png", "master", "KẾ HOẠCH KHẮC PHỤC", max_height=620),
    Picture("phieu-can-bo.png", "officer", "PHIẾU CẬP NHẬT TIẾN ĐỘ", max_height=620),
    Picture("tong-hop.png", "master", "TỔNG HỢP ĐIỂM CHỈ SỐ CCHC", dpi=160),
    Picture("dieu-khien.png", "master", layout.CONTROL_TITLE),
)
OFFICER = "dot-1_tu-phap-ho-tich.xlsx"


def squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def demo_outputs(folder: Path) -> dict[str, Path]:
    """The demo's master after the «Tổng hợp» button, and one officer's workbook. Paths are
    relative to `folder` (the current directory), so the pictures show no temporary path."""
    os.chdir(folder)
    _, master = build_demo_master(Path("."))
    master = Path(master.name)
    issued = fill(master, Path("phieu-gui"), round_name="Đợt 1", now=ISSUED_AT)
    simulate_returns({f.role: f.path for f in issued.files}, Path("phieu-nhan"))
    excel_setup(master, addin=False)
    wb = load(master)
    wb[layout.CONTROL_SHEET][INPUTS["action"].cell] = layout.ACTION_CONSOLIDATE
    wb[layout.CONTROL_SHEET][INPUTS["as_of"].cell] = dt.datetime(2021, 6, 30)
    save(wb, master, backup=False)
    outcome = run_file(master, now=CONSOLIDATED_AT)
    print(f"Tổng hợp bằng nút bấm: {outcome.message}", file=sys.stderr)
    return {"master": folder / master, "officer": folder / "phieu-gui" / OFFICER}


def page_of(pdf: Path, marker: str) -> int:
    """1-based number of the first page whose text holds `marker`."""
    count = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout, re.M)[1])
    for n in range(1, count + 1):
        text = subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if squash(marker) in squash(text):
            return n
    raise LookupError(f"no page of {pdf.name} shows {marker!r}")


def render(pdf: Path, page: int, picture: Picture, out: Path) -> Path:
    """The page as a trimmed, palette PNG of at most MAX_BYTES."""
    from PIL import Image, ImageOps

    with tempfile.TemporaryDirectory() as tmp:
        stem = Path(tmp) / "page"
        subprocess.run(["pdftoppm", "-f", str(page), "-l", str(page), "-r", str(picture.dpi),
                        "-png",
                        "-singlefile", str(pdf), str(stem)], check=True)
        image = Image.open(f"{stem}.png").convert("RGB")
    skip = round(HEADER_MM / 25.4 * picture.dpi)
    foot = round(FOOTER_MM / 25.4 * picture.dpi)
    ink = ImageOps.invert(image.convert("L")).point(lambda v: 255 if v > 24 else 0)
    left, top, right, bottom = ink.crop((0, skip, image.width, image.height - foot)).getbbox()
    box = (max(0, left - 8), max(0, top + skip - 8), min(image.width, right + 8),
           min(image.height, bottom + skip + 8))
    image = image.crop(box)
    if picture.max_height and image.height > picture.max_height:
        image = image.crop((0, 0, image.width, picture.max_height))
    target = out / picture.name
    for colours in (64, 32, 16):
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT).save(
            target, optimize=True)
        if target.stat().st_size <= MAX_BYTES:
            break
    return target


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DOCS
    for tool in ("pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            print(f"Thiếu {tool} (cài poppler-utils).", file=sys.stderr)
            return 2
    out = out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    here = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="cchc-guide-") as tmp:
        (Path(tmp) / "demo").mkdir()
        try:
            files = demo_outputs(Path(tmp) / "demo")
        finally:
            os.chdir(here)
        pdfs = dict(zip(files, lo.convert(list(files.values()), Path(tmp) / "pdf", "pdf")))
        for picture in PICTURES:
            pdf = pdfs[picture.source]
            target = render(pdf, page_of(pdf, picture.marker), picture, out)
            print(f"{target} ({target.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
