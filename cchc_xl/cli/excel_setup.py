"""`cchc-xl excel-setup`: make a master usable from Excel's «Run main» button."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from .app import EXIT_USAGE, TEXTS, cli, common_options, say

TEXTS.update({
    "xs-name": ("Tên tệp «{file}» không dùng được với nút Run main: Excel chạy "
                "«import {stem}», nên tên sổ phải là một tên module Python, {why}.",
                "The file name '{file}' cannot work with the Run main button: Excel runs "
                "'import {stem}', so the name must be a Python module name, {why}."),
    "xs-why-not-ascii": ("không có chữ có dấu hay ký tự ngoài a–z, 0–9 và dấu gạch dưới",
                         "without accented or other non-ASCII letters"),
    "xs-why-not-identifier": ("chỉ gồm chữ a–z, chữ số và dấu gạch dưới (_), không có dấu cách "
                              "hay dấu gạch ngang, không bắt đầu bằng chữ số",
                              "only letters, digits and underscores (_), no spaces or dashes, "
                              "not starting with a digit"),
    "xs-why-keyword": ("không trùng từ khóa của Python", "not a Python keyword"),
    "xs-why-shadows": ("không trùng module «{shadows}» sẵn có (Excel sẽ nạp module đó thay cho "
                       "sổ)", "not the name of the existing module '{shadows}' (Excel would "
                       "import that one instead)"),
    "xs-not-xlsx": ("Sổ phải là tệp .xlsx (không phải {suffix}): mở trong Excel, chọn Lưu thành "
                    "«Excel Workbook (*.xlsx)» với tên {suggestion}.",
                    "The master must be an .xlsx file (not {suffix}): in Excel, Save As "
                    "'Excel Workbook (*.xlsx)' named {suggestion}."),
    "xs-rename": ("Đổi tên tệp thành «{suggestion}» (đóng Excel trước), bằng chuột phải > Đổi "
                  "tên, hoặc bằng lệnh:\n    {command}\nhoặc chạy lại lệnh này với --rename để "
                  "công cụ tự đổi tên.",
                  "Rename the file to '{suggestion}' (close Excel first), or with:\n"
                  "    {command}\nor run this command again with --rename to rename it."),
    "xs-renamed": ("Đã đổi tên «{old}» thành «{new}».", "Renamed '{old}' to '{new}'."),
    "xs-rename-refused": ("Không đổi tên được: đã có {path} (hoặc sổ đang mở trong Excel). Đóng "
                          "Excel, chọn tên khác rồi đổi tên bằng tay.",
                          "Cannot rename: {path} exists (or the master is open in Excel). Close "
                          "Excel, pick another name and rename it by hand."),
    "xs-companion-exists": ("Đã có tệp {path} không do cchc-xl tạo. Đổi tên tệp đó, hoặc chạy "
                            "lại với --force để ghi đè.",
                            "{path} exists and was not written by cchc-xl. Rename it, or run "
                            "again with --force to overwrite it."),
    "xs-control-added": ("Đã thêm sheet «{sheet}» vào sổ {master}; bản sao lưu: {backup}",
                         "Added the '{sheet}' sheet to {master}; backup: {backup}"),
    "xs-control-kept": ("Sheet «{sheet}» đã có: đã làm mới, giữ nguyên các ô đã điền; bản sao "
                        "lưu: {backup}",
                        "The '{sheet}' sheet was there: rebuilt, keeping what was typed; "
                        "backup: {backup}"),
    "xs-module": ("Tệp nút bấm (module Python, để cạnh sổ): {path}",
                  "Button module (Python, beside the master): {path}"),
    "xs-addin-installed": ("Đã cài add-in xlwings cho Excel; Python dùng cho nút bấm: {python} "
                           "(ghi trong {config}).",
                           "Installed the xlwings add-in; the button runs {python} (set in "
                           "{config})."),
    "xs-addin-skipped-platform": ("Máy này không có Excel (chỉ Windows và macOS): bỏ qua cài "
                                  "add-in. Chạy thử nút bấm không cần Excel: python {module}",
                                  "No Excel on this system (Windows and macOS only): add-in "
                                  "not installed. Try the button without Excel: python {module}"),
    "xs-addin-skipped": ("Không cài add-in (--no-addin). Cài sau bằng lệnh: xlwings addin "
                         "install", "Add-in not installed (--no-addin). Install it later with: "
                         "xlwings addin install"),
    "xs-addin-failed": ("CHƯA cài được add-in xlwings: {detail}. Đóng Excel rồi chạy lệnh: "
                        "xlwings addin install",
                        "The xlwings add-in could NOT be installed: {detail}. Close Excel and "
                        "run: xlwings addin install"),
    "xs-next": ("Cách dùng: mở {master} trong Excel, chọn sheet «{sheet}», chọn thao tác ở ô "
                "B4, rồi bấm Run main trên thẻ xlwings.",
                "Next: open {master} in Excel, go to the '{sheet}' sheet, pick the action in "
                "B4 and click Run main on the xlwings tab."),
})


def rename_command(old: str, new: str, windows: bool) -> str:
    return f'ren "{old}" {new}' if windows else f'mv "{old}" {new}'


def name_message(check, lang: str, windows: bool = os.name == "nt") -> str:
    """Why the file name cannot work, and how to rename it (Vietnamese by default)."""
    if check.reason == "not-xlsx":
        return say("xs-not-xlsx", lang, suffix=Path(check.file).suffix or "?",
                   suggestion=check.suggestion)
    why = say(f"xs-why-{check.reason}", lang, shadows=check.shadows or "")
    head = say("xs-name", lang, file=check.file, stem=Path(check.file).stem, why=why)
    return head + "\n" + say("xs-rename", lang, suggestion=check.suggestion,
                             command=rename_command(check.file, check.suggestion, windows))


@cli.command("excel-setup")
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--rename", is_flag=True,
              help="Tự đổi tên sổ thành tên dùng được với nút bấm (nếu tên hiện tại không dùng "
                   "được).")
@click.option("--addin/--no-addin", default=True, show_default=True,
              help="Cài add-in xlwings cho Excel (chỉ trên Windows và macOS).")
@click.option("--force", is_flag=True, help="Ghi đè tệp .py cùng tên sổ dù không do cchc-xl tạo.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@common_options
def excel_setup(master: Path, rename: bool, addin: bool, force: bool, as_json: bool,
                lang: str) -> None:
    """Chuẩn bị sổ MASTER để chạy ngay trong Excel: thêm sheet «Điều khiển», tạo tệp .py cho
    nút «Run main» của xlwings, cài add-in xlwings (Windows, macOS)."""
    from ..excel.setup import CompanionExists, NameUnusable, RenameRefused
    from ..excel.setup import excel_setup as run

    try:
        result = run(master, rename=rename, addin=addin, force=force)
    except NameUnusable as exc:
        click.echo(name_message(exc.check, lang), err=True)
        sys.exit(EXIT_USAGE)
    except RenameRefused as exc:
        click.echo(say("xs-rename-refused", lang, path=exc), err=True)
        sys.exit(EXIT_USAGE)
    except CompanionExists as exc:
        click.echo(say("xs-companion-exists", lang, path=exc), err=True)
        sys.exit(EXIT_USAGE)
    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    from ..layout import CONTROL_SHEET

    if result.renamed_from:
        click.echo(say("xs-renamed", lang, old=result.renamed_from.name, new=result.master.name))
    key = "xs-control-added" if result.control_added else "xs-control-kept"
    click.echo(say(key, lang, sheet=CONTROL_SHEET, master=result.master,
                   backup=result.backup))
    click.echo(say("xs-module", lang, path=result.module))
    a = result.addin
    click.echo(say(f"xs-addin-{a.status}", lang, python=sys.executable, config=a.config,
                   detail=a.detail, module=result.module))
    click.echo(say("xs-next", lang, master=result.master.name, sheet=CONTROL_SHEET))
