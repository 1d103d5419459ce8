"""A minimal Word 97 (.doc) writer for tests: an OLE compound file holding a FIB, the text as
one UTF-16 piece and its piece table. Enough for antiword; no formatting."""

from __future__ import annotations

import struct
from pathlib import Path

_SECTOR = 512
_STREAM = 4096  # streams this size or larger live in ordinary sectors (no mini stream)
_END, _FREE, _FATSECT, _NONE = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
_TEXT_AT = 1024


def _word_document(text: str) -> bytes:
    fib = bytearray(_TEXT_AT)
    # FibBase: wIdent, nFib (Word 97), unused, lid (Vietnamese), pnNext, flags (1Table, fExtChar), nFibBack
    struct.pack_into("<HHHHHHH", fib, 0, 0xA5EC, 0x00C1, 0, 0x042A, 0, 0x1200, 0x00BF)
    struct.pack_into("<H", fib, 32, 14)  # csw
    struct.pack_into("<H", fib, 62, 22)  # cslw
    struct.pack_into("<I", fib, 64, _TEXT_AT + 2 * len(text))  # cbMac
    struct.pack_into("<I", fib, 76, len(text))  # ccpText
    struct.pack_into("<H", fib, 152, 93)  # cbRgFcLcb
    for index, (offset, size) in _TABLE_PARTS.items():  # fc, lcb of each part of the 1Table stream
        struct.pack_into("<II", fib, 154 + index * 8, offset, size)
    body = bytes(fib) + text.encode("utf-16-le")
    return body.ljust(max(_STREAM, -(-len(body) // _SECTOR) * _SECTOR), b"\0")


_FONT = "Times New Roman"
# FibRgFcLcb97 index → (offset in 1Table, size): 1 stylesheet, 15 font table, 33 piece table (Clx).
_TABLE_PARTS = {1: (32, 20), 15: (64, 4 + 40 + 2 * (len(_FONT) + 1)), 33: (0, 21)}


def _table(text: str) -> bytes:
    table = bytearray(_STREAM)
    pieces = struct.pack("<II", 0, len(text)) + struct.pack("<HIH", 0, _TEXT_AT, 0)  # one uncompressed piece
    table[0:21] = struct.pack("<BI", 2, len(pieces)) + pieces
    # A stylesheet without styles: cbStshi, cstd, cbSTDBaseInFile, flags, stiMax, istdMaxFixed, nVer, 3 ftc.
    table[32:52] = struct.pack("<HHHHHHHHHH", 18, 0, 10, 0, 0, 0, 0, 0, 0, 0)
    name = (_FONT + "\0").encode("utf-16-le")
    font = struct.pack("<BBHBB10s24s", 40 + len(name) - 1, 0x26, 400, 0, 0, b"", b"") + name
    table[64 : 64 + 4 + len(font)] = struct.pack("<HH", 1, 0) + font
    return bytes(table)


def _entry(
    name: str, kind: int, left: int = _NONE, right: int = _NONE, child: int = _NONE, start: int = _END, size: int = 0
) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (
        struct.pack("<64sHBBIII16sIQQII", encoded, len(encoded), kind, 1, left, right, child, b"", 0, 0, 0, start, size)
        + b"\0" * 4
    )


def write_doc(path: Path, paragraphs: list[str]) -> Path:
    """Write the paragraphs as a Word 97 document."""
    text = "\r".join(paragraphs) + "\r"
    streams = [_word_document(text), _table(text)]
    fat: list[int] = []
    starts = []
    for stream in streams:
        count = len(stream) // _SECTOR
        starts.append(len(fat))
        fat += list(range(len(fat) + 1, len(fat) + count)) + [_END]
    directory_sector = len(fat)
    fat.append(_END)
    fat_sector = len(fat)
    fat.append(_FATSECT)
    fat += [_FREE] * (_SECTOR // 4 - len(fat))
    directory = (
        _entry("Root Entry", 5, child=1)
        + _entry("WordDocument", 2, left=2, start=starts[0], size=len(streams[0]))
        + _entry("1Table", 2, start=starts[1], size=len(streams[1]))
        + _entry("", 0)
    )
    header = bytearray(_SECTOR)
    struct.pack_into(
        "<8s16sHHHHH6sIIIIIIIII",
        header,
        0,
        bytes.fromhex("D0CF11E0A1B11AE1"),
        b"",
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"",
        0,
        1,
        directory_sector,
        0,
        _STREAM,
        _END,
        0,
        _END,
        0,
    )
    struct.pack_into("<109I", header, 76, fat_sector, *([_FREE] * 108))
    data = bytes(header) + b"".join(streams) + directory + struct.pack(f"<{_SECTOR // 4}I", *fat)
    path.write_bytes(data)
    return path
