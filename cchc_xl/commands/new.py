"""`cchc-xl new`: create a master from a plan document."""

from __future__ import annotations

from pathlib import Path

import click

from ..cli import cli, common_options, say


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
    from ..master import create_master

    result = create_master(master, plan, roster_csv=roster, force=force)
    click.echo(say("created", lang, path=result.path, rows=result.rows))
    if result.notes:
        click.echo(say("import-note", lang), err=True)
        for note in result.notes:
            click.echo(f"  {note.cell}: {note.message(lang)}", err=True)
