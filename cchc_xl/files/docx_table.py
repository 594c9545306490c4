"""Read a plan's table out of a Word document; write one as an official appendix (NĐ 30/2020)."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import IO

import docx
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.exceptions import OpcError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.table import CT_Row
from docx.oxml.text.font import CT_RPr
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from .table_grid import GridCell, GridTable

__all__ = ["DocxPlan", "NotADocx", "read_docx_plan", "read_docx_tables", "write_docx_plan"]

FONT = "Times New Roman"
HEADING_PT = 13
TABLE_PT = 11
PAGE_NUMBER_PT = 13
# A4 landscape and the margins NĐ 30/2020 allows (top/bottom 20-25, left 30-35, right 15-20 mm).
PAGE_MM = (297, 210)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
HEADER_DISTANCE_MM = 10
_FONT_SLOTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")
# A theme font attribute wins over the named font, so they must go.
_THEME_SLOTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# Schema order of the elements that may follow the ones inserted here.
_AFTER_SZCS = ("w:highlight", "w:u", "w:effect", "w:bdr", "w:shd", "w:fitText", "w:vertAlign",
               "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
_AFTER_TBLBORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
                     "w:tblDescription", "w:tblPrChange")

Source = str | os.PathLike[str] | IO[bytes]


@dataclass
class DocxPlan:
    """The paragraphs before a Word document's first table, and that table's rows."""

    paragraphs: list[str]
    rows: list[list[str]]


class NotADocx(ValueError):
    """The file is not a Word .docx document (an old .doc, a renamed or damaged file)."""


def _open(path: Source) -> DocxDocument:
    if isinstance(path, (str, os.PathLike)) and not os.path.exists(path):
        raise FileNotFoundError(f"No such file: {os.fspath(path)}")
    try:
        return docx.Document(path)
    except (OpcError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise NotADocx(
            f"{_name(path)} is not a Word .docx document ({error}). If it is an old .doc file, "
            "save it as .docx in Word, or convert it with "
            "'soffice --headless --convert-to docx FILE.doc'."
        ) from error


def read_docx_tables(path: Source) -> list[GridTable]:
    """Every top-level table of a Word document as its grid (merged cells kept as merges),
    each with the non-empty paragraphs between it and the table before it."""
    document = _open(path)
    tables: list[GridTable] = []
    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            tables.append(GridTable(_grid(block), paragraphs, len(tables) + 1))
            paragraphs = []
            continue
        text = block.text.rstrip()
        if text:
            paragraphs.append(text)
    return tables


def _grid(table: Table) -> list[list[GridCell]]:
    """Rows of grid cells: a cell merged across repeats its text (not as its origin), a cell
    merged down gives its text to each row it spans."""
    rows: list[list[GridCell]] = []
    for tr in table._tbl.tr_lst:
        above = rows[-1] if rows else []
        cells = [GridCell("")] * tr.grid_before
        for tc in tr.tc_lst:
            column = len(cells)
            if tc.vMerge == "continue":
                top = above[column] if column < len(above) else GridCell("")
                text = top.text
                below = True
            else:
                text = _cell_text(_Cell(tc, table))
                below = False
            for offset in range(max(1, tc.grid_span)):
                cells.append(GridCell(text, origin=offset == 0, below=below))
        cells += [GridCell("")] * tr.grid_after
        rows.append(cells)
    return rows


_TEXT_TAGS = {qn("w:t"): None, qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n"}


def _cell_text(cell: _Cell) -> str:
    """A cell's paragraphs, one a line: text in content controls, fields and tracked
    insertions counted, deleted text not, tables nested in the cell left out."""
    lines = []
    for p in cell._tc.iter(qn("w:p")):
        if _nested(p, cell._tc):
            continue
        parts = []
        for node in p.iter(*_TEXT_TAGS):
            if node.tag == qn("w:t"):
                parts.append(node.text or "")
            else:
                parts.append(_TEXT_TAGS[node.tag])
        lines.append("".join(parts))
    return "\n".join(lines)


def _nested(node, tc) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not tc:
        if parent.tag == qn("w:tbl"):
            return True
        parent = parent.getparent()
    return False


def read_docx_plan(path: Source) -> DocxPlan:
    """The non-empty paragraphs before the first table, and every row of that table as texts."""
    document = _open(path)

    paragraphs: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            rows = [_row_texts(row.cells) for row in block.rows]
            return DocxPlan(paragraphs=paragraphs, rows=rows)
        text = block.text.rstrip()
        if text:
            paragraphs.append(text)
    raise ValueError(
        f"{_name(path)} has no table: the plan must be a Word table "
        "(STT, Lĩnh vực/Tiêu chí/Tiêu chí thành phần, Điểm chuẩn, …). "
        "If the plan is in the document as tab-separated text, select it in Word and use "
        "Insert > Table > Convert Text to Table."
    )


def write_docx_plan(
    path: Source,
    *,
    heading: list[str],
    header: list[str],
    rows: list[list[str]],
    bold_rows: AbstractSet[int] = frozenset(),
    column_widths_mm: list[float] | None = None,
) -> None:
    r"""Write a plan appendix in the official form of Nghị định 30/2020/NĐ-CP: Times New Roman
    everywhere (set both w:ascii/w:hAnsi AND w:eastAsia/w:cs on runs and on the Normal style
    so Vietnamese renders in TNR), A4 landscape (297 x 210 mm), margins top 20 mm, bottom 20
    mm, left 30 mm, right 15 mm; heading paragraphs centred and bold (first one e.g. "PHỤ
    LỤC"; a paragraph starting with "(" is italic, not bold); then the table with borders,
    the header row bold, centred and marked to repeat on each page (w:tblHeader), the rows
    listed in bold_rows (indexes into rows) bold; cells with "\n" become several paragraphs;
    page numbers centred in the top margin (a PAGE field in the header), 13 pt heading, 11
    pt table text. As NĐ 30/2020 asks, the first page shows no page number; numbering starts
    at 1.
    """
    columns = len(header)
    if columns == 0:
        raise ValueError("header is empty: the table needs at least one column.")
    for index, row in enumerate(rows):
        if len(row) != columns:
            raise ValueError(
                f"rows[{index}] has {len(row)} cells but the header has {columns} columns."
            )
    outside = sorted(i for i in bold_rows if not 0 <= i < len(rows))
    if outside:
        raise ValueError(f"bold_rows {outside} are not indexes into rows (0 to {len(rows) - 1}).")
    if column_widths_mm is not None and len(column_widths_mm) != columns:
        raise ValueError(
            f"column_widths_mm has {len(column_widths_mm)} widths but the header has "
            f"{columns} columns."
        )

    document = docx.Document()
    set_default_font(document)
    set_up_page(document)

    for index, text in enumerate(heading):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if index == len(heading) - 1:
            paragraph.paragraph_format.space_after = Pt(12)
        italic = text.lstrip().startswith("(")
        add_text(paragraph, text, HEADING_PT, bold=not italic, italic=italic)

    table = document.add_table(rows=1 + len(rows), cols=columns)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    set_borders(table)
    if column_widths_mm is not None:
        set_widths(table, column_widths_mm)

    header_row = table.rows[0]
    mark_header_row(header_row._tr)
    for cell, text in zip(header_row.cells, header):
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _fill_cell(cell.paragraphs[0], text, bold=True, centred=True)
    for index, (row, texts) in enumerate(zip(table.rows[1:], rows)):
        for cell, text in zip(row.cells, texts):
            _fill_cell(cell.paragraphs[0], text, bold=index in bold_rows, centred=False)

    document.save(path)


def _row_texts(cells: Iterable[_Cell]) -> list[str]:
    # python-docx yields a horizontally merged cell once per grid column it spans.
    texts: list[str] = []
    previous = None
    for cell in cells:
        if cell._tc is not previous:
            texts.append("\n".join(paragraph.text for paragraph in cell.paragraphs))
        previous = cell._tc
    return texts


def _name(path: Source) -> str:
    if isinstance(path, (str, os.PathLike)):
        return os.fspath(path)
    return getattr(path, "name", "The document")


def _set_fonts(rpr: CT_RPr, size_pt: float) -> None:
    """Times New Roman in every font slot of a w:rPr, so Vietnamese marks render in it too."""
    fonts = rpr.get_or_add_rFonts()
    for slot in _THEME_SLOTS:
        fonts.attrib.pop(qn(slot), None)
    for slot in _FONT_SLOTS:
        fonts.set(qn(slot), FONT)
    half_points = str(round(size_pt * 2))
    rpr.get_or_add_sz().set(qn("w:val"), half_points)
    complex_size = rpr.find(qn("w:szCs"))
    if complex_size is None:
        complex_size = OxmlElement("w:szCs")
        rpr.insert_element_before(complex_size, *_AFTER_SZCS)
    complex_size.set(qn("w:val"), half_points)


def set_default_font(document: DocxDocument) -> None:
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
    rpr = defaults.find(qn("w:rPr"))
    _set_fonts(rpr, HEADING_PT)
    language = rpr.find(qn("w:lang"))
    if language is not None:
        language.set(qn("w:val"), "vi-VN")
    normal = document.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), HEADING_PT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0


def set_up_page(document: DocxDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(HEADER_DISTANCE_MM)
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False  # an empty header on page 1
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_page_field(paragraph)


def _add_page_field(paragraph: Paragraph) -> None:
    for kind, text in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"),
                       ("end", None)):
        run = paragraph.add_run()
        _set_fonts(run._r.get_or_add_rPr(), PAGE_NUMBER_PT)
        if kind == "text":
            run.text = text
        elif kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            run._r.append(instr)
        else:
            field = OxmlElement("w:fldChar")
            field.set(qn("w:fldCharType"), kind)
            run._r.append(field)


def add_text(paragraph: Paragraph, text: str, size_pt: float, *, bold: bool,
              italic: bool = False) -> None:
    run = paragraph.add_run(text)
    run.bold = bold
    run.italic = italic
    _set_fonts(run._r.get_or_add_rPr(), size_pt)


def _fill_cell(first: Paragraph, text: str, *, bold: bool, centred: bool) -> None:
    """One paragraph per line of text, the first one being the cell's own."""
    paragraph = first
    for index, line in enumerate(text.split("\n")):
        if index:
            paragraph = _append_after(paragraph)
        if centred:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_text(paragraph, line, TABLE_PT, bold=bold)


def _append_after(paragraph: Paragraph) -> Paragraph:
    new_p = OxmlElement("w:p")
    paragraph._p.addnext(new_p)
    return Paragraph(new_p, paragraph._parent)


def mark_header_row(tr: CT_Row) -> None:
    properties = tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        element = OxmlElement(tag)
        element.set(qn("w:val"), "true")
        properties.append(element)


def set_borders(table: Table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")  # eighths of a point
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    table._tbl.tblPr.insert_element_before(borders, *_AFTER_TBLBORDERS)


def set_widths(table: Table, widths_mm: Sequence[float]) -> None:
    table.autofit = False  # w:tblLayout fixed, so Word and LibreOffice keep the widths
    for column, width in zip(table.columns, widths_mm):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)
