"""Saved e-mails (.eml): where each attached file lies in the message, found without recursion
and within bounds, so that a message nested a thousand deep is refused at once and each
attachment is decoded only when it is read, one at a time.

The parts are found as the e-mail package's parser finds them (tests/test_inbox_bounds.py
compares both on varied messages): a multipart's parts lie between its delimiter lines
("--boundary", the last "--boundary--"), the line break before a delimiter belonging to it; a
message/* part (a forwarded e-mail) holds a whole message; headers end at the first empty
line. Only the headers of each part are parsed, by the e-mail package itself."""

from __future__ import annotations

import binascii
import re
from typing import NamedTuple

from ..messages import Bilingual

MAX_DEPTH = 16  # parts within parts (an e-mail forwarded a few times is 4 or 5 deep)
MAX_PARTS = 1000  # an e-mail with a few returns attached has a handful
MAX_HEADER_BYTES = 256 * 1024  # the headers of one part (tens of KB in real mail)

_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


class TooComplex(Exception):
    """A message beyond the bounds: its reason (Bilingual) is args[0]."""


class Attachment(NamedTuple):
    """A named leaf part: its encoded body is message[start:end]."""

    filename: str  # as the e-mail names it (it may hold a path: never used as one)
    start: int
    end: int
    encoding: str  # its Content-Transfer-Encoding, lower case ('' for none)


def attachments(message: bytes) -> list[Attachment]:
    """Every part of a saved e-mail that names a file, in the order of the message (the
    order the e-mail package's walk() gives); TooComplex past MAX_DEPTH, MAX_PARTS or
    MAX_HEADER_BYTES."""
    found: list[Attachment] = []
    stack = [(0, len(message), 0, "text/plain")]  # (start, end, depth, default type)
    seen = 0
    while stack:
        start, end, depth, default = stack.pop()
        seen += 1
        if seen > MAX_PARTS:
            raise TooComplex(Bilingual(f"hơn {MAX_PARTS} phần", f"more than {MAX_PARTS} parts"))
        headers_end, body = _split(message, start, end)
        if headers_end - start > MAX_HEADER_BYTES:
            raise TooComplex(Bilingual(f"phần đầu thư dài hơn {MAX_HEADER_BYTES} byte",
                                       f"headers longer than {MAX_HEADER_BYTES} bytes"))
        headers = _headers(message[start:headers_end], default)
        kind = headers.get_content_type()
        inner: list[tuple[int, int, int, str]] = []
        if headers.get_content_maintype() == "multipart" and headers.get_boundary():
            boundary = headers.get_boundary().encode("ascii", "surrogateescape")
            child = "message/rfc822" if kind == "multipart/digest" else "text/plain"
            inner = [(s, e, depth + 1, child) for s, e in _parts(message, body, end, boundary)]
        elif kind.startswith("message/") and kind != "message/delivery-status":
            inner = [(body, end, depth + 1, "text/plain")]
        else:
            filename = headers.get_filename()
            if filename:
                encoding = str(headers.get("content-transfer-encoding", "")).strip().lower()
                found.append(Attachment(filename, body, end, encoding))
            continue
        if inner and depth + 1 > MAX_DEPTH:
            raise TooComplex(Bilingual(f"các phần lồng nhau quá {MAX_DEPTH} cấp",
                                       f"parts nested more than {MAX_DEPTH} deep"))
        stack.extend(reversed(inner))
    return found


def decode(message: bytes, part: Attachment | tuple) -> bytes:
    """An attachment's bytes (part: its place in the message, and its encoding), decoded as
    the e-mail package decodes it. Base64, what attachments are sent in, is decoded straight
    from the message (no copy of the encoded text: an e-mail of 80 MB costs what its
    attachment decodes to); quoted-printable and uuencode through the e-mail package."""
    start, end, encoding = part[-3:]
    if encoding == "base64":
        encoded = memoryview(message)[start:end]
        try:  # (characters outside base64, line breaks among them, are skipped)
            return binascii.a2b_base64(encoded)
        except binascii.Error:  # padding missing: what the e-mail package adds
            try:
                return binascii.a2b_base64(bytes(encoded) + b"==")
            except binascii.Error:  # (a length no padding mends: given back as it is)
                return b"".join(bytes(encoded).splitlines())
    if encoding in ("quoted-printable", "x-uuencode", "uuencode", "uue", "x-uue"):
        from email.message import Message

        holder = Message()
        holder["Content-Transfer-Encoding"] = encoding
        holder.set_payload(message[start:end].decode("ascii", "surrogateescape"))
        return holder.get_payload(decode=True) or b""
    return message[start:end]


def _split(message: bytes, start: int, end: int) -> tuple[int, int]:
    """(end of the headers, start of the body) of the part message[start:end]."""
    if message.startswith(b"\n", start, end):
        return start, start + 1
    if message.startswith(b"\r\n", start, end):
        return start, start + 2
    blank = _BLANK_LINE.search(message, start, end)
    if blank is None:
        return end, end
    return blank.start() + (2 if message[blank.start()] == 13 else 1), blank.end()


def _headers(block: bytes, default: str):
    from email import policy
    from email.parser import BytesHeaderParser

    headers = BytesHeaderParser(policy=policy.default).parsebytes(block)
    if default != "text/plain":
        headers.set_default_type(default)
    return headers


def _parts(message: bytes, body: int, end: int, boundary: bytes) -> list[tuple[int, int]]:
    """The (start, end) of each part of a multipart body message[body:end]: between delimiter
    lines ('--boundary', spaces or tabs after it allowed), until the closing one
    ('--boundary--') or the end."""
    delimiter = b"--" + boundary
    marks: list[tuple[int, int]] = []  # (start of the delimiter's line break, end of its line)
    closed = False
    at = body
    while True:
        found = message.find(delimiter, at, end)
        if found < 0:
            break
        at = found + len(delimiter)
        if found != body and message[found - 1] != 10:  # not at the start of a line
            continue
        closing = message.startswith(b"--", at, end)
        rest = at + 2 if closing else at
        line_end = message.find(b"\n", rest, end)
        line_end = end if line_end < 0 else line_end
        if message[rest:line_end].rstrip(b"\r").strip(b" \t"):
            continue  # ('--boundary2' or text after the boundary: not this delimiter)
        before = found
        if found != body:
            before = found - 2 if message[found - 2:found] == b"\r\n" else found - 1
        marks.append((before, min(line_end + 1, end)))
        if closing:
            closed = True
            break
        at = line_end
    parts = []
    for (_, start), (stop, _) in zip(marks, marks[1:]):
        parts.append((start, max(start, stop)))
    if marks and not closed:
        parts.append((marks[-1][1], end))  # no closing delimiter: the last part runs to the end
    return parts
