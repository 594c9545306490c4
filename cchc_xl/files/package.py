"""The .xlsx package below openpyxl: where each sheet's part is, the values its formula cells
cache (read, and written in after a save), and Excel 2010's data validations put back."""

from __future__ import annotations

import datetime as dt
import functools
import os
import zipfile
from pathlib import Path, PurePosixPath

from lxml import etree

from .failpoint import failpoint

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"

# The worksheet extension holding Excel 2010 data validations (lists on another sheet).
X14_DATA_VALIDATIONS = "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}"
# Never expand entities nor fetch anything while reading a package's XML.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False)


def restore_x14_validations(wb, path: Path) -> int:
    """Data validations Excel stores as 2010 extensions (a list that points at another
    sheet), which openpyxl drops, added back as ordinary validations (Excel 2010 and later
    read those the same). Returns how many."""
    from openpyxl.worksheet.datavalidation import DataValidation

    x14 = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
    xm = "http://schemas.microsoft.com/office/excel/2006/main"
    count = 0
    raws = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, part in sheet_parts(zf).items():
                raw = zf.read(part) if part in zf.namelist() else b""
                if X14_DATA_VALIDATIONS.encode() in raw:
                    raws[name] = raw
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError):
        return 0
    for name, raw in raws.items():
        if name not in wb.sheetnames:
            continue
        ws = wb[name]
        root = etree.fromstring(raw, SAFE_PARSER)
        for dv in root.iter(f"{{{x14}}}dataValidation"):
            f1 = dv.find(f"{{{x14}}}formula1/{{{xm}}}f")
            f2 = dv.find(f"{{{x14}}}formula2/{{{xm}}}f")
            sqref = dv.find(f"{{{xm}}}sqref")
            if sqref is None or not (sqref.text or "").strip():
                continue
            flags = {k: dv.get(k) in ("1", "true") for k in (
                "allowBlank", "showDropDown", "showInputMessage", "showErrorMessage")}
            ws.add_data_validation(DataValidation(
                type=dv.get("type"), operator=dv.get("operator"),
                errorStyle=dv.get("errorStyle"), error=dv.get("error"),
                errorTitle=dv.get("errorTitle"), prompt=dv.get("prompt"),
                promptTitle=dv.get("promptTitle"),
                formula1=f1.text if f1 is not None else None,
                formula2=f2.text if f2 is not None else None,
                sqref=sqref.text.strip(), **flags))
            count += 1
    return count


def cached_values(path: Path, keys) -> dict[tuple[str, str], object]:
    """The values a file caches for some formula cells ((sheet, 'C5') keys), as Python values."""
    from .formula_eval import ExcelError

    wanted: dict[str, set[str]] = {}
    for sheet, cell in keys:
        wanted.setdefault(sheet, set()).add(cell)
    out: dict[tuple[str, str], object] = {}
    if not wanted:
        return out
    with zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
        strings = None
        for sheet, cells in wanted.items():
            if parts.get(sheet) not in zf.namelist():
                continue
            root = etree.fromstring(zf.read(parts[sheet]), SAFE_PARSER)
            for c in root.iter(f"{{{MAIN_NS}}}c"):
                ref = c.get("r")
                v = c.find(f"{{{MAIN_NS}}}v")
                if ref not in cells or v is None or v.text is None:
                    continue
                kind, text = c.get("t"), v.text
                if kind == "s":
                    if strings is None:
                        strings = _shared_strings(zf)
                    value: object = strings[int(text)] if int(text) < len(strings) else None
                elif kind in ("str", "inlineStr"):
                    value = text
                elif kind == "b":
                    value = text.strip() in ("1", "true")
                elif kind == "e":
                    value = ExcelError(text)
                else:
                    try:
                        value = float(text)
                    except ValueError:
                        value = None
                out[(sheet, ref)] = value
    return out


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = etree.fromstring(zf.read("xl/sharedStrings.xml"), SAFE_PARSER)
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t"))
            for si in root.iter(f"{{{MAIN_NS}}}si")]


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet name -> its part name in the package (via workbook.xml and its rels)."""
    return dict(parts_of_sheets(zf.read("xl/workbook.xml"),
                                zf.read("xl/_rels/workbook.xml.rels")))


@functools.lru_cache(maxsize=8)  # (the same template's in every return of a round)
def parts_of_sheets(book: bytes, rels_xml: bytes) -> dict[str, str]:
    """sheet_parts from the two parts' bytes (a mapping not to be changed)."""
    wb_xml = etree.fromstring(book, SAFE_PARSER)
    rels = etree.fromstring(rels_xml, SAFE_PARSER)
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{{{PKG_REL_NS}}}Relationship")}
    parts = {}
    for sheet in wb_xml.iter(f"{{{MAIN_NS}}}sheet"):
        target = targets.get(sheet.get(f"{{{REL_NS}}}id"), "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = str(PurePosixPath("xl") / target)
        parts[sheet.get("name")] = part
    return parts


def write_cached_values(path: Path, values: dict[tuple[str, str], object]) -> int:
    """Put computed values into the <v> of formula cells, rewriting the package in place."""
    by_sheet: dict[str, dict[str, object]] = {}
    for (sheet, cell), value in values.items():
        by_sheet.setdefault(sheet, {})[cell] = value
    with zipfile.ZipFile(path) as zin:
        parts = {part: by_sheet.get(name, {}) for name, part in sheet_parts(zin).items()}
        items = [(info, zin.read(info.filename)) for info in zin.infolist()]
    count = 0
    tmp = path.with_suffix(".cached")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for i, (info, data) in enumerate(items):
            if info.filename in parts and parts[info.filename]:
                data, n = _patch_sheet(data, parts[info.filename])
                count += n
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
            if i == len(items) // 2:
                zout.fp.flush()
                failpoint("caching")
    os.replace(tmp, path)
    return count


def _patch_sheet(data: bytes, values: dict[str, object]) -> tuple[bytes, int]:
    root = etree.fromstring(data, SAFE_PARSER)
    count = 0
    for c in root.iter(f"{{{MAIN_NS}}}c"):
        ref = c.get("r")
        if ref not in values or c.find(f"{{{MAIN_NS}}}f") is None:
            continue
        v = c.find(f"{{{MAIN_NS}}}v")
        if v is None:
            v = etree.SubElement(c, f"{{{MAIN_NS}}}v")
        kind, text = cached_xml(values[ref])
        if kind:
            c.set("t", kind)
        elif "t" in c.attrib:
            del c.attrib["t"]
        v.text = text
        count += 1
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), count


def cached_xml(value: object) -> tuple[str | None, str]:
    """(cell type attribute, <v> text) for a computed value, as Excel stores it."""
    from .formula_eval import ExcelError

    if isinstance(value, ExcelError):
        return "e", str(value)
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if value is None:
        return None, "0"
    if isinstance(value, (int, float)):
        if isinstance(value, float) and value.is_integer():
            return None, str(int(value))
        return None, repr(value)
    if isinstance(value, (dt.datetime, dt.date)):
        from openpyxl.utils.datetime import to_excel

        return None, repr(to_excel(value))
    return "str", str(value)
