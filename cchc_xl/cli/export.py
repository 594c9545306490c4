"""`cchc-xl export`: the plan appendix as an official Word document (and PDF)."""

from __future__ import annotations

from pathlib import Path

import click

from . import usage
from .options import command, common_options, say
from .progress_bar import progress_bar, quiet_option


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.option("--docx", "out", type=usage.Path(dir_okay=False, path_type=Path),
              help="Tệp Word cần ghi (mặc định: <tên sổ>_phu-luc.docx cạnh sổ).")
@click.option("--pdf", is_flag=True, help="Xuất thêm bản PDF (cần LibreOffice).")
@quiet_option
@common_options
def export(master: Path, out: Path | None, pdf: bool, quiet: bool, lang: str) -> None:
    """Xuất phụ lục kế hoạch từ số liệu hiện tại của sổ MASTER ra Word, đúng thể thức
    Nghị định 30/2020/NĐ-CP (A4 ngang, Times New Roman, lặp tiêu đề bảng, số trang)."""
    from ..outputs.export_docx import export_plan_docx

    with progress_bar(
            "export", lang, quiet=quiet, opening=master) as progress:
        result = export_plan_docx(master, out, pdf=pdf, progress=progress)
    click.echo(say("export-done", lang, rows=result.rows, path=result.docx))
    if result.pdf:
        click.echo(say("export-pdf", lang, path=result.pdf))
