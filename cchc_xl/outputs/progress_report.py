"""The progress report: native charts on the master's summary sheet, and a Word/PDF report."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import layout
from ..master.charts import ChartTable
from ..master.dashboard import chart_tables
from ..master.reading import MasterView
from ..master.standing import OfficerStatus, OverdueRow, ScoreRow, overdue_rows
from ..master.status_colours import state_of
from ..master.summary import add_summary_charts
from ..problems import WARNING, Problem

P, S = layout.PLAN, layout.SUMMARY


# The step of a report that is not a file: the charts drawn as pictures (LibreOffice).
CHARTS_STEP = "charts"

@dataclass
class ReportResult:
    """What a report run wrote, and the figures it reported."""

    docx: Path
    pdf: Path | None
    charts_added: int
    as_of: dt.date
    backup: Path | None = None
    scores: list[ScoreRow] = field(default_factory=list)
    officers: list[OfficerStatus] = field(default_factory=list)
    overdue: list[OverdueRow] = field(default_factory=list)
    projected_ratings: list[str] = field(default_factory=list)  # one per score row
    recoloured: int = 0  # plan rows whose colour changed: the master is now as of as_of
    deadlines: list = field(default_factory=list)  # deadlines derived again from time frames
    notes: list[Problem] = field(default_factory=list)
    findings: list = field(default_factory=list)  # report_document.Finding, in plan order

    def to_dict(self, lang: str = "vi") -> dict:
        """The result as JSON-ready data (what `cchc-xl report --json` prints)."""
        from dataclasses import asdict

        def plain(value):
            return value if value is None or isinstance(value, (str, int, float)) else str(value)

        return {
            "docx": str(self.docx), "pdf": plain(self.pdf), "charts_added": self.charts_added,
            "as_of": self.as_of.isoformat(), "backup": plain(self.backup),
            "scores": [{**asdict(s), "projected_rating": rating}
                       for s, rating in zip(self.scores, self.projected_ratings)],
            "officers": [asdict(o) for o in self.officers],
            "overdue": [{k: plain(v) for k, v in asdict(o).items()} for o in self.overdue],
            "recoloured": self.recoloured, "deadlines": len(self.deadlines),
            "findings": [asdict(f) for f in self.findings],
            "notes": [n.to_dict(lang) for n in self.notes],
        }


def default_report_path(master: Path, out: str | Path | None, as_of: dt.date) -> Path:
    """`out` if a .docx, else <master>_bao-cao-tien-do_<date>.docx in `out` or beside it."""
    name = f"{master.stem}_bao-cao-tien-do_{as_of:%Y%m%d}.docx"
    if out is None:
        return master.with_name(name)
    out = Path(out)
    return out if out.suffix.lower() == ".docx" else out / name


def write_progress_report(master: str | Path, out_dir_or_path: str | Path | None = None, *,
                          as_of: dt.date | None = None, pdf: bool = False,
                          now: dt.datetime | None = None, progress=None) -> ReportResult:
    """Charts into the master (saved, backed up), then the Word report and, with pdf, PDF.
    progress(done, total, name) after each step: the master saved (its name), the chart
    pictures drawn by LibreOffice (CHARTS_STEP), the Word file, the PDF (their names)."""
    from ..master.reading import read_master
    from ..master.repair import keep_derived
    from ..master.standing import officer_statuses, read_scores
    from ..master.unit import Master
    from ..problems import MasterUnusable

    master = Path(master)
    now = (now or dt.datetime.now()).replace(microsecond=0)
    as_of = as_of or now.date()
    with Master.open(master) as m:
        wb = m.wb
        view = m.view
        if view.problems:
            raise MasterUnusable(view.problems)
        deadlines, formulas = keep_derived(wb, view, now, master.name)
        if deadlines or formulas:
            view = read_master(wb)
        added = add_summary_charts(wb, view, as_of, now)
        saved = m.save()
    steps = 4 if pdf else 3
    if progress:
        progress(1, steps, master.name)
    scores = read_scores(wb)
    result = ReportResult(default_report_path(master, out_dir_or_path, as_of), None, added,
                          as_of, saved.backup, scores, officer_statuses(view, as_of),
                          overdue_rows(view, as_of), _projected_ratings(wb, len(scores)),
                          recoloured=wb._cchc_recoloured, deadlines=deadlines,
                          findings=findings(wb, view, as_of))
    result.docx.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-report-") as tmp:
        images, reason = _chart_images(chart_tables(result.scores, result.officers), Path(tmp))
        if progress:
            progress(2, steps, CHARTS_STEP)
        if reason:
            result.notes.append(Problem("chart-images-unavailable", WARNING, file=master.name,
                                        params={"reason": reason}))
        from .report_document import write_report_docx

        write_report_docx(result, view.settings, images, reason, master.name, now)
    if progress:
        progress(3, steps, result.docx.name)
    if pdf:
        from ..files.libreoffice import convert

        (result.pdf,) = convert([result.docx], result.docx.parent, "pdf", recalc=False)
        if progress:
            progress(4, steps, result.pdf.name)
    return result


def findings(wb, view: MasterView, as_of: dt.date) -> list:
    """Each officer's result and obstacles on each row (their latest report, «Báo cáo cán
    bộ»), in plan order: what the report's body says the officers did and what holds them."""
    from ..master.officer_reports import read_reports
    from ..master.reading import to_plan_row
    from .report_document import Finding

    reports = read_reports(wb)
    by_code: dict[str, list] = {}
    for (code, _), report in reports.items():
        by_code.setdefault(code, []).append(report)
    out = []
    for sheet_row in view.rows:
        row = to_plan_row(sheet_row)
        if not reports and (row.result or row.obstacles):
            # (a master without officers' reports: what its plan columns say, by the lead)
            status = state_of(row.status, row.deadline, as_of)
            if status == layout.STATUS_OVERDUE:
                status = f"{status} – {row.status or layout.STATUS_NOT_STARTED}"
            out.append(Finding(row.code, row.title, row.lead, status or "",
                               str(row.result or "").strip(), str(row.obstacles or "").strip()))
        for report in by_code.get(row.code, []):
            result = str(report.values.get("result") or "").strip()
            obstacles = str(report.values.get("obstacles") or "").strip()
            if not (result or obstacles):
                continue
            status = str(report.values.get("status") or row.status or "")
            if report.part == layout.LEAD and state_of(
                    status, row.deadline, as_of) == layout.STATUS_OVERDUE:
                status = f"{layout.STATUS_OVERDUE} – {status or layout.STATUS_NOT_STARTED}"
            who = report.person or report.role
            out.append(Finding(row.code, row.title, f"{who} ({report.role}, {report.part})",
                               status, result, obstacles))
    return out


def _projected_ratings(wb, count: int) -> list[str]:
    """The summary's projected rating of each score row (ScoreRow does not carry it)."""
    from ..files.formula_eval import WorkbookEvaluator

    evaluator = WorkbookEvaluator(wb)
    column = S.letter("projected_rating")
    return [str(evaluator.value(S.name, f"{column}{S.first_row + i}") or "")
            for i in range(count)]


def _chart_images(tables: list[ChartTable], folder: Path) -> tuple[list[Path], str]:
    from ..master.charts import ChartsNotDrawn, render_pngs

    try:
        return render_pngs(tables, folder), ""
    except ChartsNotDrawn as exc:
        return [], str(exc)
