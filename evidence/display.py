"""How an evidence file is named and described to people (pure: no ORM).

The name a browser sends is kept for display only: the stored file has a random name
(models.evidence_path), and the name offered on download carries the extension of what the
file really is.
"""

from __future__ import annotations

import posixpath
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from lkjip.numbers import format_id

from .sniff import EXTENSIONS

MAX_NAME = 150
FALLBACK = "bukti-dukung"
# Control characters, and the format characters (bidi overrides, zero-width) that make
# "laporan‮fdp.exe" display as something it is not.
_HIDDEN = {"Cc", "Cf", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")


def clean_name(name: str | None) -> str:
    """The last path segment of `name`, without control or invisible characters, with runs of
    whitespace made one space and at most MAX_NAME characters (the extension kept). Never empty."""
    text = unicodedata.normalize("NFC", str(name or ""))
    text = posixpath.basename(text.replace("\\", "/"))
    text = "".join(" " if ch.isspace() else ch for ch in text)  # tabs and line breaks first: they separate words
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _HIDDEN)
    text = _SPACES.sub(" ", text).strip().lstrip(".").strip()
    if not text:
        return FALLBACK
    if len(text) > MAX_NAME:
        stem, dot, extension = text.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            text = stem[: MAX_NAME - len(extension) - 1].rstrip() + "." + extension
        else:
            text = text[:MAX_NAME].rstrip()
    return text


def download_name(name: str, content_type: str) -> str:
    """The display name with the extension of the file's real type: a PDF sent as "scan.png"
    downloads as "scan.pdf", one sent as "scan" as "scan.pdf"."""
    extensions = EXTENSIONS.get(content_type)
    if not extensions:
        return name
    stem, dot, extension = name.rpartition(".")
    if dot and "." + extension.lower() in extensions:
        return name
    if dot and stem and "." + extension.lower() in {e for group in EXTENSIONS.values() for e in group}:
        return stem + extensions[0]  # another evidence type's extension: replace it
    return name + extensions[0]


def format_size(size: int) -> str:
    """Bytes the Indonesian way: 0,5 KB · 12,3 KB · 350 KB · 1,5 MB · 10 MB."""
    kilobytes = Decimal(size) / 1024
    if kilobytes < 1024:
        places = 1 if kilobytes < 100 else 0
        shown = kilobytes.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        return f"{format_id(max(shown, Decimal('0.1')))} KB"
    megabytes = (kilobytes / 1024).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{format_id(megabytes)} MB"
