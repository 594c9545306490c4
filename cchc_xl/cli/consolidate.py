"""`cchc-xl consolidate`: merge the returns of an inbox into the master."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..texts import text
from . import usage
from .options import command, common_options, say
from .progress_bar import progress_bar, quiet_option


@command()
@click.argument("master", type=usage.Path(dir_okay=False, path_type=Path))
@click.argument("inbox", type=usage.Path(file_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True)
@click.option("--as-of", "as_of", type=usage.DateTime(["%d/%m/%Y", "%Y-%m-%d"]))
@click.option("--json", "as_json", is_flag=True)
@quiet_option
@common_options
def consolidate(master: Path, inbox: Path, dry_run: bool, as_of, as_json: bool, quiet: bool,
                lang: str) -> None:
    """The `consolidate` command (its help: texts.HELP)."""
    from ..cycle.consolidate import consolidate as run

    with progress_bar("consolidate", lang, quiet=quiet or as_json,
                      opening=master) as progress:
        report = run(master, inbox, dry_run=dry_run, as_of=as_of.date() if as_of else None,
                     progress=progress)
    if as_json:
        click.echo(json.dumps(report.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        render_consolidation(report, lang)
    sys.exit(report.exit_code())


def render_consolidation(report, lang: str) -> None:
    """The consolidation report on the terminal: files, changes, problems, scores, officers."""
    from ..text import format_number

    dry = say("cons-dry", lang) if report.dry_run else ""
    click.echo(say("cons-head", lang, master=report.master, as_of=f"{report.as_of:%d/%m/%Y}",
                   dry=dry))
    click.echo(say("cons-files", lang, n=len(report.files)))
    # (one column for the names, as wide as the longest up to 60: a longer one runs over)
    width = min(max((len(f.name) for f in report.files), default=0), 60)
    for f in report.files:
        who = f"{f.role} ({f.person})" if f.role else ""
        outcome = text("file-outcome", f.outcome, lang)
        click.echo(f"  {f.name:<{width}} {outcome:<18} {who} {f.round}".rstrip())
    verb = say("cons-would" if report.dry_run else "cons-applied", lang)
    click.echo(say("cons-changes", lang, verb=verb, n=len(report.changes)))
    for c in report.changes:
        old, new = ("" if v is None else format_number(v) if isinstance(v, float) else v
                    for v in (c.old, c.new))  # (a value cleared: shown empty)
        label = _field_label(c.field)
        click.echo(f"  {c.code:<7} {label}: {_short(old)} → {_short(new)}  [{c.role}]")
    others = [p for p in report.problems if p.code != "conflict" and p.severity != "info"]
    click.echo(say("cons-conflicts", lang, n=len(report.conflicts)))
    for p in report.conflicts:
        click.echo(f"  {p.message(lang)}")
    click.echo(say("cons-problems", lang, n=len(others)))
    for p in others:
        click.echo(f"  {p.line(lang)}")
    earlier = [r for r in report.open_rejections
               if not any(p.file == r["file"] for p in report.problems)]
    if earlier:  # (this run's are listed above)
        click.echo(say("cons-open", lang, n=len(earlier)))
        for r in earlier:
            click.echo(f"  {r['file']} › {r['code']} {_field_label(r['field'])}: "
                       f"{r['message']}")
    if report.deadlines:
        click.echo(say("cons-deadlines", lang, codes=", ".join(
            f"{d.code} ({d.new:%d/%m/%Y})" if d.new else f"{d.code} (?)"
            for d in report.deadlines)))
    if report.formulas:
        click.echo(say("cons-formulas", lang, cells=", ".join(
            e["field"] for e in report.formulas)))
    if report.recoloured:
        click.echo(say("cons-recoloured", lang, as_of=f"{report.as_of:%d/%m/%Y}",
                       n=max(report.recoloured, 0)))
    if report.not_returned:
        click.echo(say("cons-missing", lang, names="; ".join(
            f"{n['role']} ({n['person']}, {n['round']})" for n in report.not_returned)))
    else:
        click.echo(say("cons-none-missing", lang))
    if report.evidence:
        click.echo(say("cons-evidence", lang, n=len(report.evidence)))
        for p in report.evidence:
            click.echo(f"  {p.line(lang)}")
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
        from .validate import echo_needs_action

        click.echo(say("cons-saved", lang, backup=report.backup) if report.backup
                   else say("cons-unchanged", lang))
        click.echo(say("cons-report", lang, path=report.report_path))
        echo_needs_action(report.needs, lang)


def _field_label(key: str) -> str:
    from ..layout import field_label

    return field_label(key)


def _short(value: object, width: int = 40) -> str:
    text = str(value).replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"
