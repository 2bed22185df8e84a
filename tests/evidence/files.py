"""Real, minimal files of every kind the evidence upload sees, made in memory."""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from PIL import Image

PDF = (
    b"%PDF-1.4\n1 0 obj <</Type /Catalog /Pages 2 0 R>> endobj\n"
    b"2 0 obj <</Type /Pages /Kids [] /Count 0>> endobj\n"
    b"trailer <</Root 1 0 R>>\n%%EOF\n"
)


def pdf(note: str = "") -> bytes:
    """A minimal PDF; `note` makes distinct files (distinct sha256) of the same kind."""
    return PDF + (f"% {note}\n".encode() if note else b"")


def image(kind: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (2, 2), (200, 30, 30)).save(out, kind)
    return out.getvalue()


def xlsx() -> bytes:
    book = Workbook()
    book.active["A1"] = "Daftar hadir pelatihan"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def content_types(*overrides: tuple[str, str], head: str = "") -> bytes:
    parts = "".join(f'<Override PartName="{part}" ContentType="{kind}"/>' for part, kind in overrides)
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{head}'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f"{parts}</Types>"
    ).encode()


def docx() -> bytes:
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    return zipped({
        "[Content_Types].xml": content_types(("/word/document.xml", main)),
        "word/document.xml": b"<w:document/>",
    })


def xlsm() -> bytes:
    """openpyxl's workbook with its content types rewritten as Excel writes a macro workbook's."""
    with zipfile.ZipFile(io.BytesIO(xlsx())) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    return zipped(members)


def encrypted_zip() -> bytes:
    """A zip whose members say they are encrypted (zipfile cannot write real ones)."""
    data = bytearray(xlsx())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (found := data.find(signature, start)) != -1:
            data[found + flag_offset] |= 0x1
            start = found + 4
    return bytes(data)
