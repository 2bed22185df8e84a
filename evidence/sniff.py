"""Decide an evidence file's type from its bytes: PDF, JPG, PNG or XLSX, and nothing else.

Neither the file's name nor the browser's Content-Type is asked: `filetype` reads the magic
bytes, so a PDF renamed .png is a PDF and a text file renamed .pdf is refused. An XLSX is a zip,
and so are DOCX, XLSM, ODS and any plain archive, so a zip counts as XLSX only when its
`[Content_Types].xml` declares a spreadsheetml workbook and no macros. The zip is opened under
bounds first (member count, total uncompressed size, compression ratio, no encryption) and the
XML is read with defusedxml, a bounded number of bytes, so a hostile archive costs nothing.

Pure: no Django, no ORM. Every refusal is a `Refused` with an Indonesian message for the user.
"""

from __future__ import annotations

import posixpath
import zipfile
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

import filetype
from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = (PDF, JPEG, PNG, XLSX)
# The extensions a file of each type is saved with (the first is the one given when none fits).
EXTENSIONS = {PDF: (".pdf",), JPEG: (".jpg", ".jpeg"), PNG: (".png",), XLSX: (".xlsx",)}

# filetype's own window: enough for every signature it knows.
HEAD_BYTES = 8192
ZIP_LOCAL_HEADER = b"PK\x03\x04"
# Compound File Binary: .xls/.doc of old, and any OOXML file saved with a password.
OLE_HEADER = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# An evidence workbook is small; these are far above any real one and far below harm.
MAX_MEMBERS = 2_000
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CONTENT_TYPES_BYTES = 256 * 1024

CONTENT_TYPES = "[Content_Types].xml"
CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORKBOOK_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"

WANTED = "bukti dukung harus berupa PDF, JPG, PNG atau XLSX"
EMPTY = "berkas kosong"
NOT_ACCEPTED = f"jenis berkas tidak diterima: {WANTED} (jenisnya dibaca dari isi berkas, bukan dari namanya)"
OLE = (
    "berkas Office lama (.xls, .doc) atau berkas Office yang dilindungi kata sandi tidak diterima; "
    "simpan sebagai PDF atau .xlsx tanpa kata sandi"
)
NOT_WORKBOOK = f"berkas zip ini bukan workbook Excel .xlsx (misalnya .docx, .ods atau arsip zip); {WANTED}"
MACROS = "workbook bermakro (.xlsm) tidak diterima; simpan sebagai .xlsx tanpa makro"
TEMPLATE = "templat Excel (.xltx) tidak diterima; simpan sebagai workbook .xlsx"
ENCRYPTED = "arsip yang dienkripsi tidak diterima"
BOMB = "isi berkas terlalu besar setelah dibuka (kemungkinan zip bomb)"
MEMBERS = f"terlalu banyak bagian di dalam berkas (paling banyak {MAX_MEMBERS:,})".replace(",", ".")
CORRUPT = "berkas .xlsx rusak atau tidak dapat dibaca; simpan ulang dari Excel"
DTD = "berkas .xlsx dengan definisi entitas XML (DTD/ENTITY) ditolak demi keamanan"


class Refused(ValueError):
    """The content is not an accepted evidence file; `message` says why, in Indonesian."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def sniff(stream: BinaryIO) -> str:
    """The MIME type of the file's content: one of ACCEPTED, else Refused.

    `stream` must be seekable (an upload, a file, BytesIO); it is read from the start and left
    at position 0.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise Refused(EMPTY)
    if head.startswith(OLE_HEADER):
        raise Refused(OLE)
    if head.startswith(ZIP_LOCAL_HEADER):
        try:
            return _workbook(stream)
        finally:
            stream.seek(0)
    kind = filetype.guess(head)
    if kind is not None and kind.mime in (PDF, JPEG, PNG):
        return kind.mime
    if kind is not None:
        raise Refused(f"berkas ini berisi {kind.extension.upper()}, bukan PDF, JPG, PNG atau XLSX; {WANTED}")
    raise Refused(NOT_ACCEPTED)


def _workbook(stream: BinaryIO) -> str:
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        raise Refused(CORRUPT) from exc
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise Refused(MEMBERS)
        if any(member.flag_bits & 0x1 for member in members):
            raise Refused(ENCRYPTED)
        if sum(member.file_size for member in members) > MAX_UNCOMPRESSED_BYTES:
            raise Refused(BOMB)
        for member in members:
            if member.file_size / max(member.compress_size, 1) > MAX_COMPRESSION_RATIO:
                raise Refused(BOMB)
        names = {member.filename for member in members}
        if any(posixpath.basename(name.lower()) == "vbaproject.bin" for name in names):
            raise Refused(MACROS)
        if CONTENT_TYPES not in names:
            raise Refused(NOT_WORKBOOK)
        overrides, defaults = _content_types(archive)
    declared = [*overrides.values(), *defaults]
    if any("macroenabled" in kind.lower() or "vbaproject" in kind.lower() for kind in declared):
        raise Refused(MACROS)
    workbooks = [part for part, kind in overrides.items() if kind == WORKBOOK_MAIN]
    if not workbooks:
        if any("spreadsheetml.template.main" in kind for kind in declared):
            raise Refused(TEMPLATE)
        raise Refused(NOT_WORKBOOK)
    if any(part.lstrip("/") not in names for part in workbooks):
        raise Refused(CORRUPT)  # the workbook part it declares is missing
    return XLSX


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], list[str]]:
    """Part name → content type of the Override entries, and the Default entries' types."""
    try:
        with archive.open(CONTENT_TYPES) as part:
            data = part.read(MAX_CONTENT_TYPES_BYTES + 1)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise Refused(CORRUPT) from exc
    if len(data) > MAX_CONTENT_TYPES_BYTES:
        raise Refused(BOMB)
    try:
        root = ElementTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise Refused(DTD) from exc
    except (ParseError, ValueError) as exc:
        raise Refused(CORRUPT) from exc
    overrides = {
        element.get("PartName", ""): element.get("ContentType", "")
        for element in root.iter(f"{CONTENT_TYPES_NS}Override")
    }
    defaults = [element.get("ContentType", "") for element in root.iter(f"{CONTENT_TYPES_NS}Default")]
    return overrides, defaults
