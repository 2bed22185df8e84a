"""Decide whether an upload is a logo or chart the document can print: a whole PNG or JPEG image of
bounded size, judged by its content, never by its name or the browser's claim. Pure: no ORM.

SVG is refused, not sanitised: it is a program as much as a picture (scripts, external references,
entity expansion), and a raster copy serves a printed report as well. The magic bytes say PNG or
JPEG; Pillow then decodes the whole image, so a truncated or corrupted file is refused here, not in
the renderer, and the pixel dimensions are read from the file itself.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from typing import BinaryIO

import filetype
from PIL import Image, UnidentifiedImageError

PNG = "image/png"
JPEG = "image/jpeg"
EXTENSIONS = {PNG: ".png", JPEG: ".jpg"}
PILLOW_FORMAT = {"PNG": PNG, "JPEG": JPEG}
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MIN_SIDE = 16
MAX_SIDE = 6000
MAX_PIXELS = 24_000_000  # 4 bytes a pixel decoded: under 100 MB whatever the file claims
HEAD_BYTES = 8192
SVG_RE = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype\s+svg[^>]*>\s*)?<svg[\s>]", re.I | re.S)

WANTED = "gambar harus berupa PNG atau JPG"
EMPTY = "berkas kosong"
SVG = ("berkas SVG tidak diterima (dapat memuat skrip dan rujukan ke luar); simpan gambarnya sebagai PNG "
       "atau JPG")
NOT_IMAGE = f"jenis berkas tidak diterima: {WANTED} (jenisnya dibaca dari isi berkas, bukan dari namanya)"
BROKEN = "gambar rusak atau terpotong dan tidak dapat dibuka; simpan ulang sebagai PNG atau JPG"


class Refused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    content_type: str
    width: int
    height: int


def check_image(stream: BinaryIO) -> Checked:
    """The type and pixel size of an acceptable image, else Refused with the reason in Indonesian.
    `stream` must be seekable; it is left at position 0."""
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not head:
        raise Refused(EMPTY)
    if head.startswith(PNG_MAGIC):
        content_type = PNG
    elif head.startswith(JPEG_MAGIC):
        content_type = JPEG
    elif SVG_RE.match(head.lstrip(b"\xef\xbb\xbf")):
        raise Refused(SVG)
    else:
        kind = filetype.guess(head)
        if kind is not None:
            raise Refused(f"berkas ini berisi {kind.extension.upper()}, bukan PNG atau JPG; {WANTED}")
        raise Refused(NOT_IMAGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream) as image:
                width, height = image.size
                _bounded(width, height)
                if PILLOW_FORMAT.get(image.format or "") != content_type:
                    raise Refused(BROKEN)
                image.verify()
            stream.seek(0)
            with Image.open(stream) as image:
                image.load()  # a truncated file fails here, not when the document is rendered
    except Refused:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        raise Refused(BROKEN) from exc
    finally:
        stream.seek(0)
    return Checked(content_type, width, height)


def _bounded(width: int, height: int) -> None:
    if width < MIN_SIDE or height < MIN_SIDE:
        raise Refused(f"gambar terlalu kecil ({width} × {height} piksel); paling kecil {MIN_SIDE} × {MIN_SIDE} piksel")
    if width > MAX_SIDE or height > MAX_SIDE or width * height > MAX_PIXELS:
        raise Refused(f"gambar terlalu besar ({width} × {height} piksel); paling besar {MAX_SIDE} piksel "
                      f"per sisi dan {MAX_PIXELS // 1_000_000} juta piksel")
