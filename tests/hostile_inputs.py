"""Hostile inputs for the inbox, built where they are used (tests/test_inbox_bounds.py, and
tests/measure_hostile.py, which times them): each writes its file(s) and returns the path."""

from __future__ import annotations

import io
import os
import random
import stat
import zipfile
from email.message import EmailMessage
from pathlib import Path

from cchc_xl import layout


def nested_mime_eml(path: Path, depth: int = 1000, attachment: bytes = b"PK\x03\x04") -> Path:
    """A saved e-mail of `depth` multiparts each inside the last (68 KB for 1,000), a
    workbook-named attachment at the bottom."""
    lines = [b"From: a@example.com", b"Subject: phieu", b"MIME-Version: 1.0"]
    for level in range(depth):
        lines += [f'Content-Type: multipart/mixed; boundary="b{level}"'.encode(), b"",
                  f"--b{level}".encode()]
    lines += [b"Content-Type: application/octet-stream",
              b'Content-Disposition: attachment; filename="phieu.xlsx"',
              b"Content-Transfer-Encoding: base64", b"",
              __import__("base64").b64encode(attachment)]
    for level in reversed(range(depth)):
        lines.append(f"--b{level}--".encode())
    path.write_bytes(b"\r\n".join(lines) + b"\r\n")
    return path


def nested_folders(inbox: Path, depth: int = 1100, leaf: tuple[str, bytes] | None = None
                   ) -> Path:
    """`depth` folders one inside the other (named 'a'), `leaf` (name, bytes) in the last."""
    folder = inbox
    for _ in range(depth):
        folder = folder / "a"
        os.mkdir(folder)
    if leaf is not None:
        (folder / leaf[0]).write_bytes(leaf[1])
    return folder


def files_under(top: Path) -> list[Path]:
    """Every file under a folder, without following links (Path.rglob recurses, and fails
    1,000 folders deep)."""
    out, stack = [], [top]
    while stack:
        with os.scandir(stack.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                else:
                    out.append(Path(entry.path))
    return out


def remove_tree(top: Path) -> None:
    """shutil.rmtree without its recursion (which fails 1,000 folders deep), nor following
    links."""
    stack = [top]
    while stack:
        folder = stack[-1]
        with os.scandir(folder) as listing:
            inner = [e for e in listing if e.is_dir(follow_symlinks=False)]
        if inner:
            stack.extend(Path(e.path) for e in inner)
            continue
        with os.scandir(folder) as listing:
            for entry in listing:
                os.unlink(entry.path)
        os.rmdir(folder)
        stack.pop()


def fifo(path: Path) -> Path:
    """A named pipe: opening it to read waits for a writer that never comes."""
    os.mkfifo(path)
    return path


def zero_device(path: Path) -> Path:
    """A character device that reads as endless zeros, like /dev/zero (its size says 0);
    only root may make one."""
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    return path


_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"')


def padded_ods(path: Path, rows: int = 1_048_575, columns: int = 1024,
               sheet: str = layout.OFFICER.name) -> Path:
    """A small .ods (under 1 KB) whose sheet LibreOffice has padded, rows and columns
    repeated to its edges, with one more row holding a value in its last column: what a
    reader that expands repeated cells fills as rows × columns cells."""
    body = (f'<table:table table:name="{sheet}">'
            f'<table:table-column table:number-columns-repeated="{columns}"/>'
            '<table:table-row><table:table-cell office:value-type="string"><text:p>STT'
            f'</text:p></table:table-cell><table:table-cell table:number-columns-repeated='
            f'"{columns - 1}"/></table:table-row>'
            f'<table:table-row table:number-rows-repeated="{rows - 2}"><table:table-cell '
            f'table:number-columns-repeated="{columns}"/></table:table-row>'
            f'<table:table-row><table:table-cell table:number-columns-repeated="{columns - 1}"/>'
            '<table:table-cell office:value-type="float" office:value="1"><text:p>1</text:p>'
            '</table:table-cell></table:table-row></table:table>')
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS}>'
               f'<office:body><office:spreadsheet>{body}</office:spreadsheet></office:body>'
               '</office:document-content>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
        z.writestr("META-INF/manifest.xml",
                   '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return path


def emails_with_attachments(inbox: Path, emails: int, per_email: int, size: int) -> list[Path]:
    """`emails` saved e-mails, each with `per_email` attachments named .xlsx of `size` bytes
    (random: not workbooks, so each is refused when read, after being held)."""
    out = []
    for e in range(emails):
        msg = EmailMessage()
        msg["Subject"] = f"phiếu {e}"
        msg.set_content("gửi văn phòng")
        for a in range(per_email):
            msg.add_attachment(os.urandom(size), maintype="application",
                               subtype="octet-stream", filename=f"phieu {a}.xlsx")
        path = inbox / f"thu {e:02}.eml"
        path.write_bytes(bytes(msg))
        out.append(path)
    return out


_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/'
       'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
       '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
       'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
       '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
       'officedocument.spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
         'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
         'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
         'Target="xl/workbook.xml"/></Relationships>')
_BOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
              'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type='
              '"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
              'Target="worksheets/sheet1.xml"/></Relationships>')


def dimensionless_xlsx(path: Path, rows: int, sheet: str = "Sheet1",
                       row_number=lambda i: i + 1, cells: int = 1,
                       dimension: str | None = None) -> Path:
    """An .xlsx of one sheet of `rows` rows of `cells` random numbers each, written without
    the <dimension> Excel puts before the cells (as some programs write them; or with the
    one given): openpyxl's read-only loader then scans the whole sheet for its size.
    row_number(i): the r of the i-th row (all 1: rows out of order)."""
    from openpyxl.utils import get_column_letter

    book = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
            'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name='
            f'"{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>')
    letters = [get_column_letter(c) for c in range(1, min(cells, 16384) + 1)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", _CT)
        z.writestr("_rels/.rels", _RELS)
        z.writestr("xl/workbook.xml", book)
        z.writestr("xl/_rels/workbook.xml.rels", _BOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            fh.write(b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                     b'openxmlformats.org/spreadsheetml/2006/main">'
                     + (f'<dimension ref="{dimension}"/>'.encode() if dimension else b"")
                     + b"<sheetData>")
            rnd = random.Random(rows)  # (random: a sheet of one number repeated
            # compresses beyond the ratio a zip bomb is refused at)
            chunk = []
            for i in range(rows):
                r = row_number(i)
                chunk.append(f'<row r="{r}">')
                for c in range(cells):
                    ref = f' r="{letters[c]}{r}"' if c < len(letters) else ""
                    chunk.append(f'<c{ref}><v>{rnd.randrange(1000)}</v></c>')
                chunk.append("</row>")
                if len(chunk) >= 10_000:
                    fh.write("".join(chunk).encode())
                    chunk = []
            fh.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path


def late_doctype(src: Path, dst: Path, part: str = "xl/styles.xml", after: int = 5000,
                 encoding: str = "utf-8") -> Path:
    """A copy of a package whose `part` declares a DTD with entities after a comment of
    `after` bytes (valid XML: a comment may come before the DOCTYPE); in UTF-16 if asked."""
    laughs = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;'
              '&lol;&lol;&lol;&lol;&lol;&lol;">]>')
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                head, rest = data.decode("utf-8").split("?>", 1)
                filler = os.urandom(after // 2 + 1).hex()[:after]  # (random: no zip bomb)
                if encoding != "utf-8":
                    head = head.replace('encoding="UTF-8"', f'encoding="{encoding.upper()}"')
                text = f"{head}?><!--{filler}-->{laughs}{rest}"
                data = text.encode(encoding)
            zout.writestr(info.filename, data)
    return dst


def zip_of_empty_files(path: Path, count: int = 50_000) -> Path:
    """A .zip of `count` empty files that are not workbooks (5.6 MB for 50,000)."""
    with zipfile.ZipFile(path, "w") as z:
        for i in range(count):
            z.writestr(f"tep/{i:05}.txt", b"")
    return path


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()
