"""`cchc-xl report`: charts on the master's summary sheet and a Word/PDF progress report."""

from __future__ import annotations

import json
from pathlib import Path

import click

from .app import TEXTS, cli, common_options, say
from .export import open_errors
from .progress_bar import progress_bar, quiet_option

TEXTS.update({
    "report-charts": ("Đã vẽ {n} biểu đồ vào sheet «{sheet}» của sổ; bản sao lưu: {backup}",
                      "Drew {n:~chart} on the master's '{sheet}' sheet; backup: {backup}"),
    "report-as-of": ("Sổ được tô màu và ghi ngày theo ngày {as_of} (đổi màu {n} dòng).",
                     "The master is coloured and dated as of {as_of} ({n:~row} changed "
                     "colour)."),
    "report-deadlines": ("Đã tính lại hạn hoàn thành của {n} dòng theo thời gian thực hiện "
                         "(ghi trong Nhật ký).",
                         "Deadlines of {n:~row} derived again from their time frames (see "
                         "the change log)."),
    "report-docx": ("Báo cáo Word: {path}", "Word report: {path}"),
    "report-pdf": ("Báo cáo PDF: {path}", "PDF report: {path}"),
    "report-overdue": ("Nội dung quá hạn (tính đến ngày {as_of}): {n}",
                       "Overdue rows (as of {as_of}): {n}"),
})


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", type=click.Path(path_type=Path),
              help="Tệp .docx, hoặc thư mục để ghi báo cáo (mặc định: cạnh sổ).")
@click.option("--as-of", "as_of", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]),
              help="Ngày tính quá hạn (dd/mm/yyyy), mặc định hôm nay.")
@click.option("--pdf", is_flag=True, help="Xuất thêm bản PDF (cần LibreOffice).")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@quiet_option
@common_options
def report(master: Path, out: Path | None, as_of, pdf: bool, as_json: bool, quiet: bool,
           lang: str) -> None:
    """Báo cáo tiến độ: vẽ biểu đồ vào sheet Tổng hợp của sổ MASTER và lập báo cáo Word
    (bảng điểm theo lĩnh vực, tiến độ theo cán bộ, nội dung quá hạn, biểu đồ)."""
    from ..layout import SUMMARY
    from ..outputs.progress_report import write_progress_report

    with open_errors(master, lang), progress_bar(
            "report", lang, quiet=quiet or as_json, opening=master) as progress:
        result = write_progress_report(master, out, as_of=as_of.date() if as_of else None,
                                       pdf=pdf, progress=progress)
    if as_json:
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(say("report-charts", lang, n=result.charts_added, sheet=SUMMARY.name,
                       backup=result.backup))
        click.echo(say("report-as-of", lang, as_of=f"{result.as_of:%d/%m/%Y}",
                       n=result.recoloured))
        if result.deadlines:
            click.echo(say("report-deadlines", lang, n=len(result.deadlines)))
        click.echo(say("report-docx", lang, path=result.docx))
        if result.pdf:
            click.echo(say("report-pdf", lang, path=result.pdf))
        click.echo(say("report-overdue", lang, as_of=f"{result.as_of:%d/%m/%Y}",
                       n=len(result.overdue)))
        for row in result.overdue:
            click.echo(f"  {row.code:<7} {_short(row.title)}  – {row.lead} ({row.persons})")
    for note in result.notes:
        click.echo(note.message(lang), err=True)


def _short(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
