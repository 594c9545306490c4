"""The progress report: native charts on the master's summary sheet, and a Word/PDF report."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import layout
from .charts import ChartTable
from .dashboard import add_summary_charts, chart_tables  # noqa: F401 (moved there)
from .master_read import MasterView
from .plan import codes_with_children
from .problems import WARNING, Problem
from .scoring import OFFICER_HEADER, OfficerStatus, ScoreRow, state_of
from .text import format_number

P, S = layout.PLAN, layout.SUMMARY


@dataclass
class OverdueRow:
    """A row past its deadline and not done, with who leads it."""

    code: str
    title: str
    lead: str
    persons: str
    deadline: dt.date | None
    status: str
    progress: float | None


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
            "notes": [n.to_dict(lang) for n in self.notes],
        }


def overdue_rows(view: MasterView, as_of: dt.date) -> list[OverdueRow]:
    """Rows someone leads (not parents) whose deadline passed before `as_of`, not done."""
    from .master_read import to_plan_row
    from .roster import RoleResolver

    resolver = RoleResolver(view.roles())
    persons = {role.name: role.person or role.name for role in view.roles()}
    parents = codes_with_children(r.code for r in view.rows)
    out = []
    for sheet_row in view.rows:
        row = to_plan_row(sheet_row)
        if row.code in parents or not row.lead:
            continue
        if state_of(row.status, row.deadline, as_of) != layout.STATUS_OVERDUE:
            continue
        members = resolver.members(resolver.resolve(row.lead))
        out.append(OverdueRow(row.code, row.title, row.lead,
                              "; ".join(persons[m] for m in members), row.deadline,
                              row.status or layout.STATUS_NOT_STARTED, row.progress))
    return out


def default_report_path(master: Path, out: str | Path | None, as_of: dt.date) -> Path:
    """`out` if a .docx, else <master>_bao-cao-tien-do_<date>.docx in `out` or beside it."""
    name = f"{master.stem}_bao-cao-tien-do_{as_of:%Y%m%d}.docx"
    if out is None:
        return master.with_name(name)
    out = Path(out)
    return out if out.suffix.lower() == ".docx" else out / name


def write_progress_report(master: str | Path, out_dir_or_path: str | Path | None = None, *,
                          as_of: dt.date | None = None, pdf: bool = False,
                          now: dt.datetime | None = None) -> ReportResult:
    """Charts into the master (saved, backed up), then the Word report and, with pdf, PDF."""
    from .consolidate import MasterUnusable
    from .master_file import Master
    from .master_read import read_master
    from .repair import keep_derived
    from .scoring import officer_statuses, read_scores

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
    scores = read_scores(wb)
    result = ReportResult(default_report_path(master, out_dir_or_path, as_of), None, added,
                          as_of, saved.backup, scores, officer_statuses(view, as_of),
                          overdue_rows(view, as_of), _projected_ratings(wb, len(scores)),
                          recoloured=wb._cchc_recoloured, deadlines=deadlines)
    result.docx.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="cchc-report-") as tmp:
        images, reason = _chart_images(chart_tables(result.scores, result.officers), Path(tmp))
        if reason:
            result.notes.append(Problem("chart-images-unavailable", WARNING, file=master.name,
                                        params={"reason": reason}))
        write_report_docx(result, view.settings, images, reason, master.name, now)
    if pdf:
        from .libreoffice import convert

        (result.pdf,) = convert([result.docx], result.docx.parent, "pdf", recalc=False)
    return result


def _projected_ratings(wb, count: int) -> list[str]:
    """The summary's projected rating of each score row (ScoreRow does not carry it)."""
    from .formula_eval import WorkbookEvaluator

    evaluator = WorkbookEvaluator(wb)
    column = S.letter("projected_rating")
    return [str(evaluator.value(S.name, f"{column}{S.first_row + i}") or "")
            for i in range(count)]


def _chart_images(tables: list[ChartTable], folder: Path) -> tuple[list[Path], str]:
    from .charts import ChartsNotDrawn, render_pngs

    try:
        return render_pngs(tables, folder), ""
    except ChartsNotDrawn as exc:
        return [], str(exc)


# --- The Word report ---------------------------------------------------------------------

_SCORE_KEYS = ("code", "title", "max_points", "appraised", "lost", "projected", "index",
               "projected_index", "rating", "projected_rating")
_SCORE_WIDTHS_MM = (12, 64, 20, 20, 20, 20, 18, 20, 28, 28)
_OFFICER_WIDTHS_MM = (52, 50, 26, 28, 28, 28, 28)
_OVERDUE_KEYS = ("code", "title", "lead", "deadline", "status", "progress")
_OVERDUE_WIDTHS_MM = (14, 78, 38, 40, 26, 30, 24)
_CHART_WIDTH_MM = 235


def write_report_docx(result: ReportResult, settings: dict, images: list[Path], reason: str,
                      master_name: str, now: dt.datetime) -> Path:
    """The report in Word: Times New Roman, A4 landscape, the NĐ 30/2020 margins."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from .docx_table import HEADING_PT, _add_text, _set_default_font, _set_up_page
    from .master_build import plan_heading

    document = docx.Document()
    _set_default_font(document)
    _set_up_page(document)

    def paragraph(text: str, *, bold: bool = False, italic: bool = False, centred: bool = False,
                  before: float = 0, after: float = 0):
        para = document.add_paragraph()
        para.paragraph_format.keep_with_next = bold  # a heading stays with what it heads
        if centred:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_before, para.paragraph_format.space_after = (
            Pt(before), Pt(after))
        _add_text(para, text, HEADING_PT, bold=bold, italic=italic)
        return para

    year = settings.get("year") or result.as_of.year
    paragraph(layout.REPORT_TITLE.format(year=year), bold=True, centred=True)
    paragraph(plan_heading(settings)[1], italic=True, centred=True)
    paragraph(layout.REPORT_AS_OF.format(as_of=result.as_of), italic=True, centred=True,
              after=6)

    paragraph(layout.REPORT_SCORES, bold=True, before=6, after=6)
    rows = [[s.code, s.title, *(_number(getattr(s, k)) for k in _SCORE_KEYS[2:8]), s.rating,
             projected] for s, projected in zip(result.scores, result.projected_ratings)]
    _table(document, [S.column(k).label for k in _SCORE_KEYS], rows, _SCORE_WIDTHS_MM,
           bold={i for i, s in enumerate(result.scores) if not s.code}, numbers=range(2, 8))

    paragraph(layout.REPORT_OFFICERS, bold=True, before=12, after=6)
    rows = [[o.role, o.person, str(o.rows), *(str(o.counts[k]) for k in OFFICER_HEADER[3:])]
            for o in result.officers]
    _table(document, list(OFFICER_HEADER), rows, _OFFICER_WIDTHS_MM, numbers=range(2, 7))

    paragraph(f"{layout.REPORT_OVERDUE} ({layout.REPORT_AS_OF.format(as_of=result.as_of)[1:-1]})",
              bold=True, before=12, after=6)
    if result.overdue:
        header = [P.column(k).label for k in _OVERDUE_KEYS]
        header.insert(3, layout.REPORT_PERSONS)
        rows = [[o.code, o.title, o.lead, o.persons,
                 f"{o.deadline:%d/%m/%Y}" if o.deadline else "", o.status,
                 format_number(o.progress)] for o in result.overdue]
        _table(document, header, rows, _OVERDUE_WIDTHS_MM, numbers=(0, 4, 6))
    else:
        paragraph(layout.REPORT_NO_OVERDUE)

    paragraph(layout.REPORT_CHARTS, bold=True, before=12, after=6)
    if reason:
        paragraph(layout.REPORT_CHARTS_IN_MASTER.format(reason=reason, sheet=S.name),
                  italic=True)
    for image in images:
        para = document.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.paragraph_format.space_after = Pt(12)
        para.paragraph_format.keep_together = True
        para.add_run().add_picture(str(image), width=Mm(_CHART_WIDTH_MM))
    paragraph(layout.REPORT_FOOTER.format(now=now, file=master_name), italic=True, before=6)
    for table in document.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    document.save(str(result.docx))
    return result.docx


def _number(value: float | None) -> str:
    return format_number(value) if value is not None else ""


def _table(document, header: list[str], rows: list[list[str]], widths_mm, *,
           bold: set[int] | frozenset[int] = frozenset(), numbers=()) -> None:
    """A bordered table, header row bold, centred and repeated on each page, rows kept whole."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from .docx_table import TABLE_PT, _add_text, _mark_header_row, _set_borders, _set_widths

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    _set_borders(table)
    _set_widths(table, list(widths_mm))
    _mark_header_row(table.rows[0]._tr)
    centred = set(numbers)
    for r, texts in enumerate([header, *rows]):
        row = table.rows[r]
        if r:
            keep = OxmlElement("w:cantSplit")
            keep.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(keep)
        for c, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            para = cell.paragraphs[0]
            if r == 0 or c in centred:
                para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add_text(para, text, TABLE_PT, bold=r == 0 or (r - 1) in bold)
