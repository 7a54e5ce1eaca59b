"""Workbooks crafted to cost a careless reader dearly, for the tests of every XLSX import.

Each takes a real workbook (made with openpyxl) and rewrites parts of its zip archive, as
someone crafting a file by hand would.
"""

import io
import re
import struct
import zipfile
from collections.abc import Callable, Sequence

from openpyxl import Workbook

FAR_CELL = "XFD1048576"  # the last cell a sheet can have
WHOLE_SHEET = f"A1:{FAR_CELL}"


def workbook_bytes(rows: Sequence[Sequence[object]], title: str = "Sheet") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rewrite_parts(
    data: bytes, rewrite: Callable[[str, bytes], bytes], *, extra: dict[str, bytes] | None = None
) -> bytes:
    """The same archive with every part passed through ``rewrite(name, content)``, and the
    ``extra`` parts added."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            target.writestr(info.filename, rewrite(info.filename, source.read(info.filename)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def whole_sheet_dimension(data: bytes) -> bytes:
    """Every sheet declares the dimension A1:XFD1048576 and has a value in its last cell,
    so a reader trusting either pads each row to 16,384 columns, or returns a million rows.
    """

    def rewrite(name: str, content: bytes) -> bytes:
        if not _is_sheet(name):
            return content
        content = re.sub(rb'<dimension ref="[^"]*"\s*/>', b"", content)
        content = content.replace(
            b"<sheetViews>", f'<dimension ref="{WHOLE_SHEET}"/><sheetViews>'.encode(), 1
        )
        far_row = f'<row r="1048576"><c r="{FAR_CELL}" t="n"><v>1</v></c></row>'
        return content.replace(b"</sheetData>", far_row.encode() + b"</sheetData>", 1)

    return rewrite_parts(data, rewrite)


def padded_sheet(data: bytes, *, megabytes: int) -> bytes:
    """The first sheet padded with ``megabytes`` MB of spaces, which pack to almost nothing:
    a zip bomb."""

    def rewrite(name: str, content: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return content
        padding = b" " * (megabytes * 1024 * 1024)
        return content.replace(b"<sheetData>", b"<sheetData>" + padding, 1)

    return rewrite_parts(data, rewrite)


def many_parts(data: bytes, count: int) -> bytes:
    """The workbook with ``count`` more (tiny) parts."""
    return rewrite_parts(
        data,
        lambda _name, content: content,
        extra={f"xl/media/x{n}.bin": b"" for n in range(count)},
    )


def entity_bomb(data: bytes) -> bytes:
    """Shared strings whose one string is an entity expanding to a billion characters."""
    levels = ['<!ENTITY a0 "aaaaaaaaaa">'] + [
        f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 10)
    ]
    strings = (
        '<?xml version="1.0"?><!DOCTYPE sst [' + "".join(levels) + "]>"
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        'uniqueCount="1"><si><t>&a9;</t></si></sst>'
    ).encode()

    def rewrite(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(
                b"</Types>",
                b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
            )
        if name == "xl/_rels/workbook.xml.rels":
            return content.replace(
                b"</Relationships>",
                b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/'
                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                b"</Relationships>",
            )
        return content

    return rewrite_parts(data, rewrite, extra={"xl/sharedStrings.xml": strings})


def unknown_zip_version(data: bytes) -> bytes:
    """The archive with its first entry claiming a zip format version from the future."""
    directory = data.index(b"PK\x01\x02")
    return data[: directory + 6] + bytes([99]) + data[directory + 7 :]


def understated_sheet(data: bytes, size: int = 100) -> bytes:
    """The first sheet's unpacked size stated as ``size`` bytes, far less than it holds,
    in both the entry's own header and the archive's directory."""
    name = b"xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name.decode()).header_offset
    patched = bytearray(data)
    struct.pack_into("<I", patched, local + 22, size)
    start = 0
    while True:
        record = patched.index(b"PK\x01\x02", start)
        name_length = struct.unpack_from("<H", patched, record + 28)[0]
        if bytes(patched[record + 46 : record + 46 + name_length]) == name:
            struct.pack_into("<I", patched, record + 24, size)
            return bytes(patched)
        start = record + 4
