"""Laying the document out with WeasyPrint and writing a reproducible PDF.

Stylesheet and fonts are read from the project's static files through a URL fetcher that
refuses anything else, so rendering never goes to the network. Same HTML and generated_at
give the same PDF bytes: the PDF dates come from generated_at and the embedded fonts' own
"modified" date is set to generated_at too (without HarfBuzz-Subset, WeasyPrint subsets with
fontTools, which stamps the wall clock into each font's head table).
"""

from __future__ import annotations

import datetime
import mimetypes
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.contrib.staticfiles import finders
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

STYLESHEET = "/static/reports/lkjip.css"
BASE_URL = "file:///"
STATIC_PREFIX = "/static/"
TIMEZONE = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def layout(text: str) -> Any:
    """The laid-out WeasyPrint document of the HTML (its pages are counted before writing)."""
    return HTML(string=text, base_url=BASE_URL, url_fetcher=StaticFetcher()).render(font_config=FontConfiguration())


def write_pdf(document: Any, generated_at: datetime.datetime) -> bytes:
    modified = _font_timestamp(generated_at)
    return document.write_pdf(finisher=lambda _document, pdf: _pin_font_dates(pdf, modified))


# ---------------------------------------------------------------- embedded fonts

FONT_EPOCH = datetime.datetime(1904, 1, 1, tzinfo=datetime.UTC)  # OpenType LONGDATETIME counts from here
SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
CHECKSUM_MAGIC = 0xB1B0AFBA


def _utc(value: datetime.datetime) -> datetime.datetime:
    """generated_at in UTC; a naive value is read as Jakarta time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=TIMEZONE)
    return value.astimezone(datetime.UTC)


def _font_timestamp(generated_at: datetime.datetime) -> int:
    return int((_utc(generated_at).replace(microsecond=0) - FONT_EPOCH).total_seconds())


def _pin_font_dates(pdf: Any, modified: int) -> None:
    """WeasyPrint finisher: give every embedded font program the same head.modified.

    WeasyPrint subsets fonts while writing the PDF. With HarfBuzz-Subset the subset keeps
    the source font's date; without it (the library is optional) fontTools does the work and
    sets head.modified to the current second, so two renders of one snapshot differed in
    their font streams whenever they did not fall in the same second."""
    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/FontDescriptor":
            continue
        for key in ("FontFile2", "FontFile3"):
            reference = obj.get(key)
            if not reference:
                continue
            stream = pdf.objects[int(reference.split()[0])]
            if all(isinstance(part, bytes) for part in stream.stream):
                stream.stream = [_with_modified(b"".join(stream.stream), modified)]


def _with_modified(font: bytes, modified: int) -> bytes:
    """The font file with head.modified set (seconds since 1904) and its checksums redone;
    anything that is not a single sfnt font with a head table is returned unchanged."""
    if font[:4] not in SFNT_VERSIONS or len(font) < 12:
        return font
    (count,) = struct.unpack_from(">H", font, 4)
    for index in range(count):
        entry = 12 + 16 * index
        if entry + 16 > len(font):
            return font
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", font, entry)
        if tag == b"head":
            break
    else:
        return font
    if length < 54 or offset + length > len(font):
        return font
    data = bytearray(font)
    struct.pack_into(">I", data, offset + 8, 0)  # checkSumAdjustment counts as 0 in the sums
    struct.pack_into(">q", data, offset + 28, modified)
    struct.pack_into(">I", data, entry + 4, _sfnt_checksum(data[offset:offset + length]))
    struct.pack_into(">I", data, offset + 8, (CHECKSUM_MAGIC - _sfnt_checksum(data)) & 0xFFFFFFFF)
    return bytes(data)


def _sfnt_checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


# ---------------------------------------------------------------- resources


class StaticFetcher(URLFetcher):
    """Serves /static/… from the project's static files (staticfiles finders) and data: URLs;
    refuses every other URL, so a document never loads anything over the network."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _static_path(url)
        if path is None:
            raise ValueError(f"URL tidak diizinkan dalam dokumen: {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def _static_path(url: str) -> Path | None:
    if not url.startswith("file://"):
        return None
    local = url[len("file://"):].split("?")[0].split("#")[0]
    if not local.startswith(STATIC_PREFIX):
        return None
    relative = local[len(STATIC_PREFIX):]
    if ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return Path(found) if found else None


def css_string(text: str) -> str:
    """A CSS string literal that cannot close its <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{escaped}"'


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=1, border=0, dark="#000000", omitsize=True, svgclass="qr-code")
