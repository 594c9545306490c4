"""The `cchc-xl` command: parses arguments, calls one library function, renders its result."""

from __future__ import annotations

import functools
import os
import sys

import click

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


TEXTS = {
    "created": ("Đã tạo sổ theo dõi: {path} ({rows} dòng kế hoạch).",
                "Master created: {path} ({rows:~plan row})."),
    "import-note": ("Lưu ý khi nhập kế hoạch:", "Noted while importing the plan:"),
    "summary": ("Kết quả kiểm tra {file}: {errors} lỗi, {warnings} cảnh báo, {infos} thông tin.",
                "Checked {file}: {errors:~error}, {warnings:~warning}, {infos:~note}."),
    "clean": ("Không có vấn đề nào.", "No problems found."),
    "fixed": ("Đã sửa {fixed} ô công thức; bản sao lưu: {backup}",
              "Repaired {fixed:~formula cell}; backup: {backup}"),
    "fixed-mark": ("[đã sửa]", "[fixed]"),
    "exists": ("Tệp {path} đã có. Chọn tên khác, hoặc thêm --force để ghi đè (bản cũ được sao "
               "lưu vào thư mục sao-luu).",
               "{path} already exists. Choose another name, or add --force to overwrite it (the "
               "old file is backed up into the sao-luu folder)."),
    "locked": ("Sổ đang mở trong Excel hoặc LibreOffice, hoặc đang được một lần chạy khác ghi "
               "({lock}): không ghi gì. Đóng sổ ở cửa sổ hoặc máy kia (hoặc chờ lần chạy kia "
               "xong) rồi chạy lại.",
               "The master is open in Excel or LibreOffice, or another run is writing it "
               "({lock}): nothing was written. Close it in the other window or on the other "
               "PC (or wait for that run to end) and run again."),
    "unreadable": ("Không đọc được {path}: {reason}", "Cannot read {path}: {reason}"),
    "demo-files": ("Các tệp ví dụ nằm trong thư mục: {dir}", "The example files are in: {dir}"),
    "demo-master": ("  Sổ theo dõi (master): {path}", "  Master workbook: {path}"),
    "demo-plan": ("  Kế hoạch gốc (văn bản): {path}", "  Source plan (text): {path}"),
    "demo-outbox": ("  Phiếu đã tạo cho cán bộ: {path}", "  Officer workbooks issued: {path}"),
    "demo-inbox": ("  Phiếu gửi về (giả lập, có lỗi thường gặp): {path}",
                   "  Returns (simulated, with common mistakes): {path}"),
    "demo-step-validate": ("== Bước 1: kiểm tra sổ ==", "== Step 1: validate the master =="),
    "demo-step-consolidate": ("== Bước 2–3: tạo phiếu, nhận phiếu, tổng hợp ==",
                              "== Steps 2–3: issue, receive, consolidate =="),
    "demo-step-remind": ("== Bước 4: thư nhắc việc (nháp .eml, cạnh phiếu đã tạo) ==",
                         "== Step 4: reminders (draft .eml, beside the issued workbooks) ==")
}


def say(key: str, lang: str, **fields) -> str:
    from ..messages import pick

    return pick(TEXTS[key], lang, **fields)


LANG_KEY = "cchc_xl.lang"  # (click's ctx.meta, shared by the group and its command)


def _default_lang() -> str:
    """A command's language when it is not given after the command: `cchc-xl --lang en
    validate …` (given before it), else CCHC_LANG, else Vietnamese."""
    context = click.get_current_context(silent=True)
    chosen = context.meta.get(LANG_KEY) if context is not None else None
    return chosen or os.environ.get("CCHC_LANG", "vi")


def common_options(func):
    """--lang, --json and --debug, defined once for every command."""

    @click.option("--lang", type=click.Choice(["vi", "en"]), default=_default_lang,
                  show_default="vi", help="Ngôn ngữ thông báo / message language.")
    @click.option("--debug", is_flag=True, help="Hiện traceback khi có lỗi / show tracebacks.")
    @functools.wraps(func)
    def wrapper(*args, lang: str, debug: bool, **kwargs):
        try:
            return func(*args, lang=lang, **kwargs)
        except (click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:
            if debug:
                raise
            raise click.ClickException(_explain(exc, lang)) from exc

    return wrapper


def _explain(exc: Exception, lang: str) -> str:
    from ..files.open_save import MasterLocked, SaveFailed, WorkbookUnreadable
    from ..master.create import MasterExists
    from ..master.unit import MasterReadOnly
    from ..plan.appendix import PlanFormatError
    from ..problems import MasterUnusable

    if isinstance(exc, (SaveFailed, MasterReadOnly)):
        from ..messages import localise

        return str(localise(exc.reason, lang))
    if isinstance(exc, MasterUnusable):
        return "; ".join(p.line(lang) for p in exc.problems)
    if isinstance(exc, MasterExists):
        return say("exists", lang, path=exc)
    if isinstance(exc, MasterLocked):
        return say("locked", lang, lock=exc)
    if isinstance(exc, (WorkbookUnreadable, PlanFormatError, FileNotFoundError)):
        path = getattr(exc, "filename", None) or getattr(exc, "path", None) or ""
        return say("unreadable", lang, path=path, reason=exc)
    return f"{type(exc).__name__}: {exc}"


click.ClickException.exit_code = EXIT_USAGE


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="cchc-xl")
@click.option("--lang", type=click.Choice(["vi", "en"]), expose_value=False, is_eager=True,
              callback=lambda ctx, _, value: ctx.meta.__setitem__(LANG_KEY, value),
              help="Ngôn ngữ thông báo (trước hoặc sau tên lệnh) / message language (before "
                   "or after the command).")
def cli() -> None:
    """cchc-xl: theo dõi Kế hoạch cải cách hành chính (Chỉ số CCHC) của xã trong Excel."""


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
