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
    "demo-outbox": ("  Phiếu đã tạo cho cán bộ: {path}", "  Officer workbooks issued: {path}"),
    "demo-inbox": ("  Phiếu gửi về (giả lập, có lỗi thường gặp): {path}",
                   "  Returns (simulated, with common mistakes): {path}"),
    "demo-step-validate": ("== Bước 1: kiểm tra sổ ==", "== Step 1: validate the master =="),
    "demo-step-consolidate": ("== Bước 2–3: tạo phiếu, nhận phiếu, tổng hợp ==",
                              "== Steps 2–3: issue, receive, consolidate ==")
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
    from .consolidate import MasterUnusable
    from .master import MasterExists
    from .plan_import import PlanFormatError
    from .workbook_io import MasterLocked, WorkbookUnreadable

    if isinstance(exc, MasterUnusable):
        return "; ".join(f"{p.where}: {p.message(lang)}" for p in exc.problems)
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
    """Chạy ví dụ có sẵn (kế hoạch xã Sơn Giang 2021) trong thư mục DIRECTORY: tạo sổ, kiểm
    tra, tạo phiếu, giả lập phiếu gửi về (có lỗi thường gặp) và tổng hợp."""
    from .demo import run_demo

    result = run_demo(directory, cycle=True)
    click.echo(say("demo-files", lang, dir=result.directory))
    click.echo(say("demo-plan", lang, path=result.plan))
    click.echo(say("demo-master", lang, path=result.master))
    click.echo(say("demo-outbox", lang, path=result.outbox))
    click.echo(say("demo-inbox", lang, path=result.inbox))
    click.echo("")
    click.echo(say("demo-step-validate", lang))
    render_report(result.report, lang)
    click.echo("")
    click.echo(say("demo-step-consolidate", lang))
    render_consolidation(result.consolidation, lang)


TEXTS.update({
    "fill-done": ("Đã tạo {n} phiếu đợt «{round}» trong {dir} (hạn gửi lại {due}):",
                  "Wrote {n} workbooks for round '{round}' into {dir} (return by {due}):"),
    "fill-file": ("  {file}  {role} – {person} <{email}>: {rows} dòng ({lead} chủ trì, "
                  "{support} phối hợp)",
                  "  {file}  {role} – {person} <{email}>: {rows} rows ({lead} lead, "
                  "{support} support)"),
    "fill-eml": ("      thư nháp: {file}", "      draft email: {file}"),
    "fill-sent": ("      đã gửi email lúc {when}", "      emailed at {when}"),
    "fill-not-sent": ("      CHƯA GỬI được: {reason}", "      NOT SENT: {reason}"),
    "fill-none": ("Không vai trò nào được giao dòng nào: không tạo phiếu.",
                  "No role leads or supports any row: no workbook written."),
    "fill-idle": ("Không có dòng nào giao cho: {roles} (không tạo phiếu).",
                  "No rows for: {roles} (no workbook written)."),
    "fill-already-sent": ("Đã gửi email phiếu đợt «{round}» trước đó, bỏ qua: {roles}.",
                          "Round '{round}' was already emailed to: {roles} (skipped)."),
    "fill-recorded": ("Đã ghi đợt gửi vào sheet «{sheet}» của sổ; bản sao lưu: {backup}",
                      "Recorded in the master's '{sheet}' sheet; backup: {backup}"),
    "fill-send-failed": ("{n} thư chưa gửi được. Sửa theo hướng dẫn trên rồi chạy lại với "
                         "--round \"{round}\" --send: các thư đã gửi được sẽ bỏ qua.",
                         "{n} emails were not sent. Fix the cause above and run again with "
                         "--round \"{round}\" --send: those already sent are skipped."),
    "fill-refused": ("Không tạo phiếu nào: sổ {file} có {n} lỗi phải sửa trước.",
                     "No workbook written: {file} has {n} errors to fix first."),
    "fill-refused-end": ("Sửa các lỗi trên rồi chạy lại (kiểm tra: cchc-xl validate {file}).",
                         "Fix them and run again (check with: cchc-xl validate {file})."),
    "unknown-role": ("Không có vai trò «{names}» trong sheet Cán bộ. Các vai trò: {roles}.",
                     "No role '{names}' in the roster. Roles: {roles}."),
    "smtp-sender-missing": ("Chưa có địa chỉ người gửi: đặt CCHC_SMTP_FROM (hoặc dùng "
                            "--smtp-user là một địa chỉ email).",
                            "No sender address: set CCHC_SMTP_FROM (or use an email address "
                            "as --smtp-user)."),
})


def _smtp_settings(host, port, starttls, user):
    """SMTP settings from the options and CCHC_SMTP_*; the password from the environment or
    asked on the terminal, never stored. Raises ValueError with the Vietnamese reason."""
    from .mail import SmtpSettings, prompt_password

    settings = SmtpSettings.from_env(host=host, port=port, starttls=starttls, user=user)
    if not settings.sender:
        raise ValueError("sender")
    if settings.user and settings.password is None:
        settings.password = prompt_password(settings.user)
    return settings


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Thư mục ghi các phiếu (tạo nếu chưa có).")
@click.option("--round", "round_name", help="Tên đợt (mặc định «Đợt N», N tiếp theo).")
@click.option("--only", multiple=True, metavar="ROLE",
              help="Chỉ tạo phiếu cho vai trò này (tên hoặc cách viết; lặp lại được).")
@click.option("--eml", is_flag=True,
              help="Ghi thêm thư nháp .eml (kèm phiếu) cạnh mỗi phiếu, mở bằng Outlook để gửi.")
@click.option("--send", is_flag=True, help="Gửi email phiếu cho từng cán bộ qua SMTP.")
@click.option("--smtp-host", help="Máy chủ SMTP (hoặc biến CCHC_SMTP_HOST).")
@click.option("--smtp-port", type=int, help="Cổng SMTP (hoặc CCHC_SMTP_PORT; mặc định 587).")
@click.option("--starttls/--no-starttls", default=None,
              help="Mã hóa bằng STARTTLS (mặc định bật; hoặc CCHC_SMTP_STARTTLS).")
@click.option("--smtp-user", help="Tài khoản SMTP (hoặc CCHC_SMTP_USER); mật khẩu lấy từ "
              "CCHC_SMTP_PASSWORD hoặc được hỏi khi chạy, không bao giờ lưu lại.")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@common_options
def fill(master: Path, out_dir: Path, round_name: str | None, only: tuple[str, ...],
         eml: bool, send: bool, smtp_host: str | None, smtp_port: int | None,
         starttls: bool | None, smtp_user: str | None, as_json: bool, lang: str) -> None:
    """Tạo phiếu cập nhật (.xlsx) cho từng cán bộ từ sổ MASTER và ghi đợt gửi vào sổ."""
    from .fill import FillRefused, UnknownRole
    from .fill import fill as run

    smtp = None
    if send:
        try:
            smtp = _smtp_settings(smtp_host, smtp_port, starttls, smtp_user)
        except ValueError as exc:
            click.echo(say("smtp-sender-missing", lang) if str(exc) == "sender" else str(exc),
                       err=True)
            sys.exit(EXIT_USAGE)
    try:
        result = run(master, out_dir, round_name=round_name, only=list(only) or None,
                     eml=eml, smtp=smtp)
    except UnknownRole as exc:
        click.echo(say("unknown-role", lang, names="», «".join(exc.names) if lang == "vi"
                       else "', '".join(exc.names), roles="; ".join(exc.valid)), err=True)
        sys.exit(EXIT_USAGE)
    except FillRefused as exc:
        if as_json:
            click.echo(json.dumps({"refused": True,
                                   "problems": [p.to_dict(lang) for p in exc.problems]},
                                  ensure_ascii=False, indent=2))
        idx = 1 if lang == "en" else 0
        click.echo(say("fill-refused", lang, file=master, n=len(exc.problems)), err=True)
        for p in exc.problems:
            click.echo(f"{p.where:<22} {SEVERITY_LABELS[p.severity][idx]:<10} {p.code}",
                       err=True)
            click.echo(f"    {p.message(lang)}", err=True)
        click.echo(say("fill-refused-end", lang, file=master), err=True)
        sys.exit(EXIT_PROBLEMS)
    render_fill(result, out_dir, lang, as_json)
    if result.send_failed:
        click.echo(say("fill-send-failed", lang, n=len(result.send_failed),
                       round=result.round), err=True)
        sys.exit(EXIT_PROBLEMS)


def render_fill(result, out_dir: Path, lang: str, as_json: bool) -> None:
    """The issued files on stdout (or the result as JSON); notes on stderr."""
    from .layout import LEAD, ROUNDS

    if as_json:
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if result.idle:
        click.echo(say("fill-idle", lang, roles="; ".join(result.idle)), err=True)
    if result.already_sent:
        click.echo(say("fill-already-sent", lang, round=result.round,
                       roles="; ".join(result.already_sent)), err=True)
    if not result.files:
        click.echo(say("fill-none", lang))
        return
    click.echo(say("fill-done", lang, n=len(result.files), round=result.round, dir=out_dir,
                   due=f"{result.due:%d/%m/%Y}"))
    for f in result.files:
        click.echo(say("fill-file", lang, file=f.path.name, role=f.role, person=f.person,
                       email=f.email, rows=len(f.codes), lead=f.parts.count(LEAD),
                       support=len(f.parts) - f.parts.count(LEAD)))
        if f.eml:
            click.echo(say("fill-eml", lang, file=f.eml.name))
        if f.sent_at:
            click.echo(say("fill-sent", lang, when=f"{f.sent_at:%d/%m/%Y %H:%M}"))
        if f.send_error:
            click.echo(say("fill-not-sent", lang, reason=f.send_error))
    click.echo(say("fill-recorded", lang, sheet=ROUNDS.name, backup=result.master_backup),
               err=True)


TEXTS.update({
    "cons-head": ("Tổng hợp vào sổ {master} (tính đến ngày {as_of}){dry}",
                  "Consolidating into {master} (as of {as_of}){dry}"),
    "cons-dry": (" – CHẠY THỬ, không ghi gì", " – DRY RUN, nothing written"),
    "cons-files": ("Tệp đã đọc: {n}", "Files read: {n}"),
    "cons-changes": ("Thay đổi {verb}: {n}", "Changes {verb}: {n}"),
    "cons-applied": ("đã áp dụng", "applied"),
    "cons-would": ("sẽ áp dụng", "that would apply"),
    "cons-conflicts": ("Xung đột (sổ giữ giá trị của mình): {n}",
                       "Conflicts (the master keeps its value): {n}"),
    "cons-problems": ("Từ chối và cảnh báo: {n}", "Rejected and warnings: {n}"),
    "cons-missing": ("Chưa gửi lại: {names}", "Not returned yet: {names}"),
    "cons-none-missing": ("Tất cả cán bộ đã gửi lại phiếu đợt mới nhất.",
                          "Every officer has returned the latest round."),
    "cons-scores": ("Điểm (chuẩn / thẩm định / mất / dự kiến đạt / chỉ số % / dự kiến % / "
                    "xếp loại):",
                    "Scores (max / appraised / lost / projected / index % / projected % / "
                    "rating):"),
    "cons-officers": ("Theo cán bộ (chủ trì: chưa / đang / hoàn thành / quá hạn):",
                      "By officer (leads: not started / in progress / done / overdue):"),
    "cons-saved": ("Đã lưu sổ; bản sao lưu: {backup}", "Master saved; backup: {backup}"),
    "cons-unchanged": ("Sổ không thay đổi.", "The master is unchanged."),
    "cons-report": ("Báo cáo đầy đủ: {path}", "Full report: {path}"),
    "cons-reading": ("Đang đọc {i}/{n}: {name}", "Reading {i}/{n}: {name}"),
})
OUTCOME_WORDS = {
    "applied": ("áp dụng", "applied"), "unchanged": ("không đổi", "unchanged"),
    "rejected": ("TỪ CHỐI", "REJECTED"), "duplicate": ("bản trùng", "duplicate"),
    "stale": ("đợt cũ", "older round"), "already": ("đã tổng hợp trước", "done before"),
    "ignored": ("bỏ qua (tệp tạm)", "ignored (temporary)"),
}


@cli.command()
@click.argument("master", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("inbox", type=click.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Chỉ cho xem thay đổi, không ghi gì.")
@click.option("--as-of", "as_of", type=click.DateTime(["%d/%m/%Y", "%Y-%m-%d"]),
              help="Ngày tính quá hạn (dd/mm/yyyy), mặc định hôm nay.")
@click.option("--json", "as_json", is_flag=True, help="In báo cáo dạng JSON.")
@click.option("--quiet", is_flag=True, help="Không hiện tiến trình đọc tệp.")
@common_options
def consolidate(master: Path, inbox: Path, dry_run: bool, as_of, as_json: bool, quiet: bool,
                lang: str) -> None:
    """Tổng hợp các phiếu gửi về trong thư mục INBOX vào sổ MASTER, chấm lại điểm, tô màu."""
    from .consolidate import consolidate as run

    def progress(i: int, n: int, name: str) -> None:
        if n >= 10 and not quiet and not as_json and sys.stderr.isatty():
            click.echo("\r" + say("cons-reading", lang, i=i, n=n, name=name)[:78].ljust(78),
                       err=True, nl=i == n)

    report = run(master, inbox, dry_run=dry_run, as_of=as_of.date() if as_of else None,
                 progress=progress)
    if as_json:
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        render_consolidation(report, lang)
    sys.exit(report.exit_code())


def render_consolidation(report, lang: str) -> None:
    """The consolidation report on the terminal: files, changes, problems, scores, officers."""
    from .text import format_number

    i = 1 if lang == "en" else 0
    dry = say("cons-dry", lang) if report.dry_run else ""
    click.echo(say("cons-head", lang, master=report.master, as_of=f"{report.as_of:%d/%m/%Y}",
                   dry=dry))
    click.echo(say("cons-files", lang, n=len(report.files)))
    for f in report.files:
        who = f"{f.role} ({f.person})" if f.role else ""
        click.echo(f"  {f.name:<44} {OUTCOME_WORDS[f.outcome][i]:<18} {who} {f.round}".rstrip())
    verb = say("cons-would" if report.dry_run else "cons-applied", lang)
    click.echo(say("cons-changes", lang, verb=verb, n=len(report.changes)))
    for c in report.changes:
        old = "" if c.old is None else (format_number(c.old) if isinstance(c.old, float)
                                        else c.old)
        new = format_number(c.new) if isinstance(c.new, float) else c.new
        label = _field_label(c.field)
        click.echo(f"  {c.code:<7} {label}: {_short(old)} → {_short(new)}  [{c.role}]")
    others = [p for p in report.problems if p.code != "conflict" and p.severity != "info"]
    click.echo(say("cons-conflicts", lang, n=len(report.conflicts)))
    for p in report.conflicts:
        click.echo(f"  {p.message(lang)}")
    click.echo(say("cons-problems", lang, n=len(others)))
    for p in others:
        click.echo(f"  {p.where}: {p.message(lang)}")
    if report.not_returned:
        click.echo(say("cons-missing", lang, names="; ".join(
            f"{n['role']} ({n['person']}, {n['round']})" for n in report.not_returned)))
    else:
        click.echo(say("cons-none-missing", lang))
    click.echo(say("cons-scores", lang))
    for s in report.scores:
        nums = " / ".join(format_number(v) if v is not None else "-" for v in (
            s.max_points, s.appraised, s.lost, s.projected, s.index, s.projected_index))
        click.echo(f"  {s.code:<3} {_short(s.title, 46):<46} {nums} / {s.rating}")
    click.echo(say("cons-officers", lang))
    for o in report.officers:
        counts = " / ".join(str(v) for v in o.counts.values())
        click.echo(f"  {o.role:<26} {o.rows:>3}: {counts}")
    if not report.dry_run:
        click.echo(say("cons-saved", lang, backup=report.backup) if report.backup
                   else say("cons-unchanged", lang))
        click.echo(say("cons-report", lang, path=report.report_path))


def _field_label(key: str) -> str:
    from .layout import PLAN

    try:
        return PLAN.column(key).label
    except KeyError:
        return key


def _short(value: object, width: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


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
