"""`cchc-xl export`: the plan appendix as an official Word document (and PDF)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

import click

from .app import EXIT_USAGE, TEXTS, cli, common_options, say
from .progress_bar import progress_bar, quiet_option

TEXTS.update({
    "export-done": ("Đã xuất phụ lục kế hoạch ({rows} dòng): {path}",
                    "Plan appendix exported ({rows:~row}): {path}"),
    "export-pdf": ("Bản PDF: {path}", "PDF: {path}"),
    "no-soffice": ("Không tìm thấy LibreOffice để xuất PDF. Cài LibreOffice (hoặc đặt biến "
                   "CCHC_SOFFICE là đường dẫn soffice) rồi chạy lại, hoặc bỏ --pdf.",
                   "LibreOffice was not found, so no PDF can be made. Install LibreOffice (or "
                   "set CCHC_SOFFICE to the soffice path) and run again, or leave out --pdf."),
})


@contextlib.contextmanager
def open_errors(master: Path, lang: str):
    """Turn an unreadable master or a missing LibreOffice into a clear message (exit 2)."""
    from ..files.libreoffice import LibreOfficeUnavailable
    from ..files.open_save import WorkbookUnreadable

    try:
        yield
    except WorkbookUnreadable as exc:
        click.echo(say("unreadable", lang, path=master, reason=exc), err=True)
        sys.exit(EXIT_USAGE)
    except LibreOfficeUnavailable:
        click.echo(say("no-soffice", lang), err=True)
        sys.exit(EXIT_USAGE)


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--docx", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Tệp Word cần ghi (mặc định: <tên sổ>_phu-luc.docx cạnh sổ).")
@click.option("--pdf", is_flag=True, help="Xuất thêm bản PDF (cần LibreOffice).")
@quiet_option
@common_options
def export(master: Path, out: Path | None, pdf: bool, quiet: bool, lang: str) -> None:
    """Xuất phụ lục kế hoạch từ số liệu hiện tại của sổ MASTER ra Word, đúng thể thức
    Nghị định 30/2020/NĐ-CP (A4 ngang, Times New Roman, lặp tiêu đề bảng, số trang)."""
    from ..outputs.export_docx import export_plan_docx

    with open_errors(master, lang), progress_bar(
            "export", lang, quiet=quiet, opening=master) as progress:
        result = export_plan_docx(master, out, pdf=pdf, progress=progress)
    click.echo(say("export-done", lang, rows=result.rows, path=result.docx))
    if result.pdf:
        click.echo(say("export-pdf", lang, path=result.pdf))
