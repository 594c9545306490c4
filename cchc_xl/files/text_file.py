"""Text files as Windows offices save them: UTF-8 (with or without BOM), UTF-16, or cp1258."""

from __future__ import annotations

import codecs
from dataclasses import dataclass


@dataclass
class Undecodable(ValueError):
    """No encoding reads the file: the first line that cannot be read, and its bad byte."""

    line: int
    byte: int
    encoding: str

    def __str__(self) -> str:
        return f"line {self.line}: byte 0x{self.byte:02X} is not {self.encoding}"


def decode(raw: bytes) -> tuple[str, str]:
    """(text, encoding): a byte-order mark decides; else UTF-16 without one (every other byte
    zero); else UTF-8; else the Windows Vietnamese code page (what Excel's plain "CSV" and
    Notepad's "ANSI" write on a Vietnamese Windows). A file that is mostly UTF-8 but has a
    damaged sequence is not taken for cp1258 (that would turn every Vietnamese letter into
    two wrong ones): Undecodable names its line."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return _strict(raw, encoding), encoding
    if raw and b"\x00" in raw[:200]:
        zeros_even = raw[0:200:2].count(0)
        zeros_odd = raw[1:200:2].count(0)
        encoding = "utf-16-be" if zeros_even > zeros_odd else "utf-16-le"
        return _strict(raw, encoding), encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _has_utf8_sequences(raw):
            raise _where(raw, error.start, "UTF-8") from error
    return _strict(raw, "cp1258"), "cp1258"


def _strict(raw: bytes, encoding: str) -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        raise _where(raw, error.start, encoding.upper().replace("-SIG", "")) from error


def _has_utf8_sequences(raw: bytes) -> bool:
    """Whether the bytes hold valid multi-byte UTF-8 letters (so the file is UTF-8)."""
    text = raw.decode("utf-8", errors="replace")
    return any(ord(ch) > 0x7F and ch != "\ufffd" for ch in text)


def _where(raw: bytes, offset: int, encoding: str) -> Undecodable:
    return Undecodable(raw.count(b"\n", 0, offset) + 1, raw[offset], encoding)
