"""The `cchc-xl` command: parses arguments, calls one library function, renders its result."""

from __future__ import annotations

import functools
import json
import os
import sys
from pathlib import Path

import click

from .messages import SEVERITY_LABELS

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

TEXTS = {
    "created": ("Đã tạo sổ theo dõi: {path} ({rows} dòng kế hoạch).",
                "Master created: {path} ({rows} plan rows)."),
    "import-note": ("Lưu ý khi nhập kế hoạch:", "Noted while importing the plan:"),
    "summary": ("Kết quả kiểm tra {file}: {errors} lỗi, {warnings} cảnh báo, {infos} thông tin.",
                "Checked {file}: {errors} errors, {warnings} warnings, {infos} notes."),
    "clean": ("Không có vấn đề nào.", "No problems found."),
    "fixed": ("Đã sửa {fixed} ô công thức; bản sao lưu: {backup}",
              "Repaired {fixed} formula cells; backup: {backup}"),
    "fixed-mark": ("[đã sửa]", "[fixed]"),
    "exists": ("Tệp {path} đã có. Chọn tên khác, hoặc thêm --force để ghi đè (bản cũ được sao "
               "lưu vào thư mục sao-luu).",
               "{path} already exists. Choose another name, or add --force to overwrite it (the "
               "old file is backed up into the sao-luu folder)."),
    "locked": ("Sổ đang mở trong Excel ({lock}). Đóng Excel rồi chạy lại.",
               "The master is open in Excel ({lock}). Close Excel and run again."),
    "unreadable": ("Không đọc được {path}: {reason}", "Cannot read {path}: {reason}"),
    "demo-files": ("Các tệp ví dụ nằm trong thư mục: {dir}", "The example files are in: {dir}"),
    "demo-master": ("  Sổ theo dõi (master): {path}", "  Master workbook: {path}"),
    "demo-plan": ("  Kế hoạch gốc (văn bản): {path}", "  Source plan (text): {path}"),
}


def say(key: str, lang: str, **fields) -> str:
    vi, en = TEXTS[key]
    return (en if lang == "en" else vi).format(**fields)


def common_options(func):
    """--lang, --json and --debug, defined once for every command."""

    @click.option("--lang", type=click.Choice(["vi", "en"]),
                  default=lambda: os.environ.get("CCHC_LANG", "vi"), show_default="vi",
                  help="Ngôn ngữ thông báo / message language.")
    @click.option("--debug", is_flag=True, help="Hiện traceback khi có lỗi / show tracebacks.")
    @functools.wraps(func)
    def wrapper(*args, lang: str, debug: bool, **kwargs):
        try:
            return func(*args, lang=lang, **kwargs)
        except click.exceptions.Exit:
            raise
        except Exception as exc:
            if debug:
                raise
            raise click.ClickException(_explain(exc, lang)) from exc

    return wrapper


def _explain(exc: Exception, lang: str) -> str:
    from .master import MasterExists
    from .plan_import import PlanFormatError
    from .workbook_io import MasterLocked, WorkbookUnreadable

    if isinstance(exc, MasterExists):
        return say("exists", lang, path=exc)
    if isinstance(exc, MasterLocked):
        return say("locked", lang, lock=exc)
    if isinstance(exc, (WorkbookUnreadable, PlanFormatError, FileNotFoundError)):
        return say("unreadable", lang, path=getattr(exc, "filename", "") or "", reason=exc)
    return f"{type(exc).__name__}: {exc}"


click.ClickException.exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-xl")
def cli() -> None:
    """cchc-xl: theo dõi Kế hoạch cải cách hành chính (Chỉ số CCHC) của xã trong Excel."""


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--from", "plan", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Kế hoạch: tệp .docx hoặc văn bản .txt (Word > Save as > Plain text).")
@click.option("--roster", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV danh sách cán bộ: Vai trò, Họ và tên, Email.")
@click.option("--force", is_flag=True, help="Ghi đè sổ đã có (sao lưu trước).")
@common_options
def new(master: Path, plan: Path, roster: Path | None, force: bool, lang: str) -> None:
    """Tạo sổ theo dõi MASTER từ kế hoạch (--from)."""
    from .master import create_master

    result = create_master(master, plan, roster_csv=roster, force=force)
    click.echo(say("created", lang, path=result.path, rows=result.rows))
    if result.notes:
        click.echo(say("import-note", lang), err=True)
        for note in result.notes:
            click.echo(f"  {note.cell}: {note.message(lang)}", err=True)


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="In báo cáo dạng JSON.")
@click.option("--recalc", is_flag=True, help="Tính lại bằng LibreOffice và so sánh.")
@click.option("--fix", is_flag=True, help="Đặt lại công thức bị hỏng (sao lưu trước).")
@common_options
def validate(master: Path, as_json: bool, recalc: bool, fix: bool, lang: str) -> None:
    """Kiểm tra sổ theo dõi MASTER: công thức, số liệu, cây tiêu chí, vai trò."""
    from .validate import validate as run

    report = run(master, recalc=recalc, fix=fix)
    if as_json:
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        render_report(report, lang)
    sys.exit(report.exit_code())


def render_report(report, lang: str) -> None:
    """The report as a readable list on the terminal: address, severity, code, message."""
    idx = 1 if lang == "en" else 0
    for p in report.problems:
        mark = f" {say('fixed-mark', lang)}" if p.fixed else ""
        click.echo(f"{p.where:<22} {SEVERITY_LABELS[p.severity][idx]:<10} {p.code}{mark}")
        click.echo(f"    {p.message(lang)}")
    stats = report.to_dict(lang)["stats"]
    if report.stats.get("fixed"):
        click.echo(say("fixed", lang, fixed=report.stats["fixed"],
                       backup=report.stats.get("backup")))
    click.echo(say("summary", lang, file=report.file, **stats) if report.problems
               else say("clean", lang))


@cli.command()
@click.argument("directory", required=False, default="cchc-demo",
                type=click.Path(file_okay=False, path_type=Path))
@common_options
def demo(directory: Path, lang: str) -> None:
    """Chạy ví dụ có sẵn (kế hoạch xã Sơn Giang 2021) trong thư mục DIRECTORY."""
    from .demo import run_demo

    result = run_demo(directory)
    click.echo(say("demo-files", lang, dir=result.directory))
    click.echo(say("demo-plan", lang, path=result.plan))
    click.echo(say("demo-master", lang, path=result.master))
    click.echo("")
    render_report(result.report, lang)


def main() -> None:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() != "utf-8":
            try:
                stream.reconfigure(encoding="utf-8")
            except (ValueError, OSError):
                pass
    cli(prog_name="cchc-xl")


if __name__ == "__main__":
    main()
