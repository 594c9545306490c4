"""What a master holds that a save through openpyxl would lose: found before any write, named.

openpyxl keeps (tested in tests/test_fidelity.py): sheets, values, formulas, styles, widths,
freeze panes, merged cells, legacy comments, conditional formatting and data validation of the
main schema, defined names, print settings, tables, charts, images (with Pillow), protection.
Data validations stored as Excel 2010 extensions (lists pointing at another sheet) are turned
into ordinary validations when the master is loaded (workbook_io.load), so they are kept too.
Everything listed in FEATURES is lost: a master holding any of it is refused before writing.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from lxml import etree

from ..problems import ERROR, MasterUnusable, Problem
from ..texts import bilingual
from .package import X14_DATA_VALIDATIONS, sheet_parts

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"
SVG_BLIP_URI = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
# Worksheet extensions openpyxl drops (x14 data validations are not: load() converts them).
SHEET_EXTENSIONS = {
    "{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "x14-conditional-formatting",
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "sparkline",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "slicer",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "slicer",
    "{7E03D99C-DC04-49d9-9315-930204A7B6E9}": "timeline",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "web-extension",
}

# Package folders whose mere presence means a feature openpyxl does not carry over.
PART_FEATURES = (
    ("xl/slicers/", "slicer"), ("xl/slicerCaches/", "slicer"),
    ("xl/timelines/", "timeline"), ("xl/timelineCaches/", "timeline"),
    ("xl/threadedComments/", "threaded-comment"), ("xl/persons/", "threaded-comment"),
    ("xl/vbaProject.bin", "vba"), ("xl/activeX/", "activex"), ("xl/ctrlProps/", "form-control"),
    ("xl/embeddings/", "ole-object"), ("xl/connections.xml", "data-connection"),
    ("xl/queryTables/", "data-connection"), ("xl/model/", "data-model"),
    ("xl/richData/", "rich-data"), ("xl/metadata.xml", "dynamic-array"),
    ("xl/webextensions/", "web-extension"), ("customXml/", "custom-xml"),
)
MAX_INSPECTED_PART = 64 * 1024 * 1024  # a master's parts are far smaller; beyond, only names


@dataclass(frozen=True)
class Finding:
    """One thing in the package a save would lose: which feature, in which sheet or part."""

    feature: str  # a key of FEATURES
    where: str  # a sheet name, or a package part when no sheet owns it


class MasterNotPreservable(MasterUnusable):
    """The master holds things the tool cannot write back; nothing was written."""

    def __init__(self, path: str | Path, findings: list[Finding]):
        self.path = str(path)
        self.findings = findings
        grouped: dict[str, list[str]] = {}
        for f in findings:
            places = grouped.setdefault(f.feature, [])
            if f.where not in places:
                places.append(f.where)
        super().__init__([
            Problem("master-not-preservable", ERROR, ", ".join(places), "", None,
                    {"file": Path(path).name, "feature": bilingual("feature", feature)},
                    file=Path(path).name)
            for feature, places in grouped.items()])


_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
_OBJECT_TYPE_RE = re.compile(rb'ObjectType\s*=\s*"(\w+)"')


def inspect(source: str | Path | bytes) -> list[Finding]:
    """Everything in an .xlsx package that openpyxl would drop on a save, in package order."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    findings: list[Finding] = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        infos = {i.filename: i for i in zf.infolist()}

        def read(part: str) -> bytes | None:
            info = infos.get(part)
            if info is None or info.file_size > MAX_INSPECTED_PART:
                return None
            return zf.read(part)

        for prefix, feature in PART_FEATURES:
            hits = [n for n in names if n.startswith(prefix) and not n.endswith("/")]
            if hits:
                findings.append(Finding(feature, hits[0]))
        owners = _part_owners(zf, names, read)
        for part in names:
            if part.startswith("xl/worksheets/") and part.endswith(".xml") and "/_rels/" \
                    not in part:
                findings += _sheet_findings(read(part), owners.get(part, part))
            elif part.startswith("xl/drawings/") and part.endswith(".xml") and "/_rels/" \
                    not in part:
                findings += _drawing_findings(read(part), owners.get(part, part))
            elif part.startswith("xl/drawings/") and part.endswith(".vml"):
                findings += _vml_findings(read(part), owners.get(part, part))
        strings = read("xl/sharedStrings.xml")
        if strings is not None and _has_rich_text(strings):
            findings.append(Finding("rich-text", "xl/sharedStrings.xml"))
    unique: list[Finding] = []
    for f in findings:
        if f not in unique:
            unique.append(f)
    return unique


def ensure_preservable(path: str | Path) -> None:
    """Raise MasterNotPreservable, naming each thing, when a save would lose part of `path`."""
    findings = inspect(path)
    if findings:
        raise MasterNotPreservable(path, findings)


def _part_owners(zf: zipfile.ZipFile, names: list[str], read) -> dict[str, str]:
    """Package part -> the name of the sheet it belongs to (sheets, their drawings, VML)."""
    owners: dict[str, str] = {}
    try:
        sheets = sheet_parts(zf)
    except (KeyError, etree.XMLSyntaxError):
        return owners
    for sheet, part in sheets.items():
        owners[part] = sheet
        rels = str(PurePosixPath(part).parent / "_rels" / (PurePosixPath(part).name + ".rels"))
        raw = read(rels) if rels in names else None
        if raw is None:
            continue
        try:
            root = etree.fromstring(raw, _PARSER)
        except etree.XMLSyntaxError:
            continue
        for rel in root:
            target = rel.get("Target") or ""
            if rel.get("TargetMode") == "External" or not target:
                continue
            resolved = _resolve(PurePosixPath(part).parent, target)
            owners.setdefault(resolved, sheet)
    return owners


def _resolve(base: PurePosixPath, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = list(base.parts)
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _parse(raw: bytes | None):
    if raw is None:
        return None
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
        return None


# What a sheet's XML must hold, as text, for _sheet_findings to find anything: an element or
# an attribute cannot be there without its name being there. A sheet holding none of it (a
# master's sheets, almost always) is not parsed: its tens of thousands of cells cost nothing.
_SHEET_HINTS = (b"extLst", b"picture", b"legacyDrawingHF", b"oleObjects", b"controls")
_CM_RE = re.compile(rb"\scm\s*=")  # the attribute, wherever it is (also in text: then parsed)
_RUN_RE = re.compile(rb"<(?:[^\s<>/:]+:)?r[\s/>]")  # a run's start tag (rich text), any prefix


def _ascii_compatible(raw: bytes) -> bool:
    """UTF-8 (with or without its mark) or ASCII: names are found as bytes."""
    head = raw[3:40] if raw.startswith(b"\xef\xbb\xbf") else raw[:40]
    return head.lstrip()[:1] == b"<"


def _sheet_findings(raw: bytes | None, sheet: str) -> list[Finding]:
    if raw is None:
        return []
    cells = inline = True
    if _ascii_compatible(raw):
        cells = _CM_RE.search(raw) is not None
        inline = _RUN_RE.search(raw) is not None
        if not cells and not inline and not any(hint in raw for hint in _SHEET_HINTS):
            return []
    root = _parse(raw)
    if root is None:
        return []
    out = []
    for ext in root.iterfind(f"{{{MAIN_NS}}}extLst/{{{MAIN_NS}}}ext"):
        uri = ext.get("uri") or ""
        if uri == X14_DATA_VALIDATIONS:
            continue
        out.append(Finding(SHEET_EXTENSIONS.get(uri, "extension"), sheet))
    if root.find(f"{{{MAIN_NS}}}picture") is not None:
        out.append(Finding("background-image", sheet))
    if root.find(f"{{{MAIN_NS}}}legacyDrawingHF") is not None:
        out.append(Finding("header-image", sheet))
    if root.find(f"{{{MAIN_NS}}}oleObjects") is not None:
        out.append(Finding("ole-object", sheet))
    if root.find(f"{{{MAIN_NS}}}controls") is not None:
        out.append(Finding("form-control", sheet))
    for cell in root.iter(f"{{{MAIN_NS}}}c") if cells else ():
        if cell.get("cm") is not None:
            out.append(Finding("dynamic-array", sheet))
            break
    for text in root.iter(f"{{{MAIN_NS}}}is") if inline else ():
        if text.find(f"{{{MAIN_NS}}}r") is not None:
            out.append(Finding("rich-text", sheet))
            break
    return out


def _drawing_findings(raw: bytes | None, sheet: str) -> list[Finding]:
    """Pictures and charts are kept; anything else anchored on a sheet is not."""
    root = _parse(raw)
    if root is None:
        return []
    out = []
    for anchor in root:
        if not isinstance(anchor.tag, str):
            continue
        for child in anchor:
            if not isinstance(child.tag, str):
                continue
            tag = etree.QName(child).localname
            if tag in ("sp", "cxnSp", "grpSp"):
                out.append(Finding("shape", sheet))
            elif etree.QName(child).namespace == MC_NS:
                # AlternateContent: slicers, timelines, form controls, ink, new chart kinds
                out.append(Finding(_alternate_feature(child), sheet))
            elif tag == "graphicFrame":
                uris = {g.get("uri") for g in child.iter(f"{{{A_NS}}}graphicData")}
                if uris - {CHART_URI}:
                    out.append(Finding("smartart", sheet))
            elif tag == "pic":
                if any(e.get("uri") == SVG_BLIP_URI for e in child.iter(f"{{{A_NS}}}ext")):
                    out.append(Finding("svg-image", sheet))
    return out


def _alternate_feature(element) -> str:
    text = etree.tostring(element)
    if b"slicer" in text:
        return "slicer"
    if b"timeslicer" in text or b"timeline" in text:
        return "timeline"
    return "shape"


def _vml_findings(raw: bytes | None, sheet: str) -> list[Finding]:
    """Legacy VML holds comment boxes (kept: openpyxl writes them anew) and form controls."""
    if raw is None:
        return []
    kinds = {m.decode("ascii", "replace") for m in _OBJECT_TYPE_RE.findall(raw)}
    return [Finding("form-control", sheet)] if kinds - {"Note"} else []


def _has_rich_text(raw: bytes) -> bool:
    # A run (<r>) of a shared string item; phonetic runs (<rPh>) are not formatting.
    return re.search(rb"<(?:\w+:)?r>", raw) is not None
