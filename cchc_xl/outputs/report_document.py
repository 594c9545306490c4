"""The progress report as an administrative document of Nghị định 30/2020/NĐ-CP (Word/PDF)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .. import layout
from ..text import printed_number

P, S = layout.PLAN, layout.SUMMARY
_SCORE_KEYS = ("code", "title", "max_points", "appraised", "lost", "projected", "index",
               "projected_index", "rating", "projected_rating")
_SCORE_WIDTHS_MM = (12, 64, 20, 20, 20, 20, 18, 20, 28, 28)
_OFFICER_WIDTHS_MM = (52, 50, 26, 28, 28, 28, 28)
_FINDING_WIDTHS_MM = (14, 54, 40, 28, 62, 52)
_OVERDUE_KEYS = ("code", "title", "lead", "deadline", "status", "progress")
_OVERDUE_WIDTHS_MM = (14, 78, 38, 40, 26, 30, 24)
_CHART_WIDTH_MM = 235
# The two columns of the heading and of the signature (NĐ 30/2020, Phụ lục I): the issuing
# body on the left, the national heading on the right.
_HEADING_WIDTHS_MM = (100, 152)
_NATIONAL = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")


@dataclass
class Finding:
    """What one officer reported on one row: their result and their obstacles."""

    code: str
    title: str
    officer: str  # "person (role, part)"
    status: str
    result: str
    obstacles: str


def issuing_body(settings: dict) -> tuple[str, str]:
    """('ỦY BAN NHÂN DÂN', 'XÃ SƠN GIANG'): the issuing body in the heading's two lines."""
    commune = str(settings.get("commune") or "").strip()
    return "ỦY BAN NHÂN DÂN", f"XÃ {commune.upper()}" if commune else "XÃ …"


def report_number(settings: dict) -> str:
    """'Số: 25/BC-UBND', or a blank for the number the office writes in by hand."""
    number = str(settings.get("report_number") or "").strip()
    return f"Số: {number}" if number else "Số:        /BC-UBND"


def place_and_date(settings: dict, day: dt.date) -> str:
    """'Sơn Giang, ngày 05 tháng 02 năm 2022': a zero before a day below 10 and before the
    months 1 and 2 (NĐ 30/2020), none before the other months ('tháng 6')."""
    place = str(settings.get("report_place") or settings.get("commune") or "").strip() or "…"
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def write_report_docx(result, settings: dict, images: list[Path], reason: str,
                      master_name: str, now: dt.datetime) -> Path:
    """The report (a progress_report.ReportResult) in Word, in the form of NĐ 30/2020: the
    issuing body and the national heading, number, place and date, title, the body (scores,
    each officer's progress, their results and obstacles, overdue rows, charts), recipients
    and the signature block; Times New Roman, A4 landscape, numbers written 7,95."""
    import docx
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    from ..files.docx_table import HEADING_PT, add_text, set_default_font, set_up_page
    from ..master.build import plan_heading

    document = docx.Document()
    set_default_font(document)
    set_up_page(document)

    def paragraph(text: str, *, bold: bool = False, italic: bool = False, centred: bool = False,
                  before: float = 0, after: float = 0, container=None, size: float = HEADING_PT,
                  indent: bool = False):
        para = (container or document).add_paragraph()
        para.paragraph_format.keep_with_next = bold  # a heading stays with what it heads
        if centred:
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif indent:
            para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            para.paragraph_format.first_line_indent = Mm(10)
        para.paragraph_format.space_before, para.paragraph_format.space_after = (
            Pt(before), Pt(after))
        add_text(para, text, size, bold=bold, italic=italic)
        return para

    # heading: issuing body and number | national heading, place and date
    body, nation = _two_columns(document)
    for i, line in enumerate(issuing_body(settings)):
        target = body.add_paragraph() if i else body.paragraphs[0]
        target.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(target, line, HEADING_PT, bold=True)
    paragraph("———", centred=True, container=body, size=8)
    paragraph(report_number(settings), centred=True, container=body, before=4)
    top = nation.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(top, _NATIONAL[0], 12, bold=True)
    paragraph(_NATIONAL[1], bold=True, centred=True, container=nation)
    paragraph("—————————————", centred=True, container=nation, size=8)
    paragraph(place_and_date(settings, now.date()), italic=True, centred=True,
              container=nation, before=4)

    year = settings.get("year") or result.as_of.year
    paragraph("BÁO CÁO", bold=True, centred=True, before=12, size=14)
    paragraph(layout.REPORT_SUBJECT.format(year=year), bold=True, centred=True, size=14)
    paragraph(layout.REPORT_AS_OF.format(as_of=result.as_of), italic=True, centred=True,
              after=6)
    plan = plan_heading(settings)[1].strip("()").replace("Kèm theo kế hoạch", "Kế hoạch")
    paragraph(layout.REPORT_OPENING.format(plan=plan, commune=settings.get("commune") or "…"),
              indent=True, after=6)

    paragraph(layout.REPORT_SCORES, bold=True, before=6, after=6)
    rows = [[s.code, s.title, *(printed_number(getattr(s, k)) for k in _SCORE_KEYS[2:8]),
             s.rating, projected] for s, projected in zip(result.scores, result.projected_ratings)]
    _table(document, [S.column(k).label for k in _SCORE_KEYS], rows, _SCORE_WIDTHS_MM,
           bold={i for i, s in enumerate(result.scores) if not s.code}, numbers=range(2, 8))

    from ..master.standing import OFFICER_HEADER

    paragraph(layout.REPORT_OFFICERS, bold=True, before=12, after=6)
    rows = [[o.role, o.person, str(o.rows), *(str(o.counts[k]) for k in OFFICER_HEADER[3:])]
            for o in result.officers]
    _table(document, list(OFFICER_HEADER), rows, _OFFICER_WIDTHS_MM, numbers=range(2, 7))

    paragraph(layout.REPORT_FINDINGS, bold=True, before=12, after=6)
    if result.findings:
        rows = [[f.code, f.title, f.officer, f.status, f.result, f.obstacles]
                for f in result.findings]
        _table(document, list(layout.REPORT_FINDINGS_HEADER), rows, _FINDING_WIDTHS_MM,
               numbers=(0,))
    else:
        paragraph(layout.REPORT_NO_FINDINGS)

    paragraph(f"{layout.REPORT_OVERDUE} ({layout.REPORT_AS_OF.format(as_of=result.as_of)[1:-1]})",
              bold=True, before=12, after=6)
    if result.overdue:
        header = [P.column(k).label for k in _OVERDUE_KEYS]
        header.insert(3, layout.REPORT_PERSONS)
        rows = [[o.code, o.title, o.lead, o.persons,
                 f"{o.deadline:%d/%m/%Y}" if o.deadline else "",
                 f"{layout.STATUS_OVERDUE} – {o.status}", printed_number(o.progress)]
                for o in result.overdue]
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

    # recipients | signature
    recipients, signature = _two_columns(document, keep=True)
    label = recipients.paragraphs[0]
    add_text(label, "Nơi nhận:", 12, bold=True, italic=True)
    for line in str(settings.get("recipients") or layout.REPORT_RECIPIENTS).split("\n"):
        if line.strip():
            paragraph(line.strip(), container=recipients, size=11)
    signer = str(settings.get("signer") or layout.REPORT_SIGNER).split("\n")
    top = signature.paragraphs[0]
    top.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_text(top, signer[0], HEADING_PT, bold=True)
    for line in signer[1:]:
        paragraph(line, bold=True, centred=True, container=signature)
    name = str(settings.get("chairman") or "").strip()
    paragraph(name or "", bold=True, centred=True, container=signature, before=60)
    paragraph(layout.REPORT_FOOTER.format(now=now, file=master_name), italic=True, before=18,
              size=10)
    for table in document.tables:
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
    document.save(str(result.docx))
    return result.docx


def _two_columns(document, keep: bool = False):
    """A borderless table of one row and two cells (the heading, the signature block)."""
    from ..files.docx_table import set_widths

    table = document.add_table(rows=1, cols=2)
    set_widths(table, list(_HEADING_WIDTHS_MM))
    if keep:  # (the recipients and the signature on one page)
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        cant = OxmlElement("w:cantSplit")
        cant.set(qn("w:val"), "true")
        table.rows[0]._tr.get_or_add_trPr().append(cant)
    left, right = table.rows[0].cells
    return left, right


def _table(document, header: list[str], rows: list[list[str]], widths_mm, *,
           bold: set[int] | frozenset[int] = frozenset(), numbers=()) -> None:
    """A bordered table, header row bold, centred and repeated on each page, rows kept whole."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from ..files.docx_table import TABLE_PT, add_text, mark_header_row, set_borders, set_widths

    table = document.add_table(rows=1 + len(rows), cols=len(header))
    set_borders(table)
    set_widths(table, list(widths_mm))
    mark_header_row(table.rows[0]._tr)
    centred = set(numbers)
    for r, texts in enumerate([header, *rows]):
        row = table.rows[r]
        if r:
            keep = OxmlElement("w:cantSplit")
            keep.set(qn("w:val"), "true")
            row._tr.get_or_add_trPr().append(keep)
        for c, (cell, text) in enumerate(zip(row.cells, texts)):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            lines = str(text).split("\n")
            para = cell.paragraphs[0]
            for i, line in enumerate(lines):
                if i:
                    para = cell.add_paragraph()
                if r == 0 or c in centred:
                    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
                add_text(para, line, TABLE_PT, bold=r == 0 or (r - 1) in bold)
