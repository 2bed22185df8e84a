"""The pictures a document prints: the logo on the cover and the organisation chart in BAB I.

The snapshot keeps references (images.services.image_reference), not bytes. They are resolved
here, once, while the context is built and before anything is laid out: the bytes become data:
URLs, which the static fetcher already serves, so WeasyPrint reads no file and no URL of its own.
A reference whose file is gone, or is no longer the file the snapshot saw (another sha256), prints
no picture: the document renders without it, it does not fail.
"""

from __future__ import annotations

import base64
import logging
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import SuspiciousOperation

logger = logging.getLogger(__name__)

PRINTABLE = ("image/png", "image/jpeg")  # what images.checks accepts on upload
# Boxes in millimetres the pictures are fitted into, keeping their proportions. The chart takes the
# width of the text block (A4 less the margins, 165 mm) and leaves room on its page for the
# heading and the caption; the logo sits in the space above the Pemda's name on the cover.
CHART_BOX = (Decimal(165), Decimal(200))
LOGO_BOX = (Decimal(32), Decimal(30))
MM = Decimal("0.1")


def embedded(snapshot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{"logo": picture, "org_chart": picture} for the references whose bytes are there; a
    picture is its src (data: URL), width and height (CSS lengths) and the reference's year and
    owner. Empty for a snapshot without the key (every snapshot made before pictures existed)."""
    references = snapshot.get("images") or {}
    result = {}
    for key, box in (("logo", LOGO_BOX), ("org_chart", CHART_BOX)):
        reference = references.get(key)
        if not isinstance(reference, dict) or reference.get("content_type") not in PRINTABLE:
            continue
        data = _bytes(reference)
        if data is None:
            continue
        width, height = fit(reference.get("width"), reference.get("height"), box)
        result[key] = {
            "src": f"data:{reference['content_type']};base64,{base64.b64encode(data).decode('ascii')}",
            "width": f"{width}mm",
            "height": f"{height}mm",
            "year": reference.get("year"),
            "owner": reference.get("owner"),
        }
    return result


def _bytes(reference: dict[str, Any]) -> bytes | None:
    from images.services import image_bytes

    try:
        return image_bytes(reference)
    except (OSError, ValueError, SuspiciousOperation):
        # image_bytes answers None for a missing or changed file; a storage that fails otherwise
        # costs the picture, not the document.
        logger.warning("Gambar %s tidak dapat dibaca; dokumen dicetak tanpa gambar", reference.get("storage"))
        return None


def fit(width: Any, height: Any, box: tuple[Decimal, Decimal]) -> tuple[Decimal, Decimal]:
    """The size in millimetres of a width × height picture scaled to fill the box's width, or its
    height when it is the taller shape, without distortion (to 0,1 mm). A reference without
    dimensions takes the box's width and a square's height within the box."""
    box_width, box_height = box
    try:
        ratio = Decimal(int(height)) / Decimal(int(width))
    except (TypeError, ValueError, ArithmeticError):
        ratio = Decimal(1)
    if ratio <= 0:
        ratio = Decimal(1)
    printed_width, printed_height = box_width, box_width * ratio
    if printed_height > box_height:
        printed_width, printed_height = box_height / ratio, box_height
    return (printed_width.quantize(MM, rounding=ROUND_HALF_UP), printed_height.quantize(MM, rounding=ROUND_HALF_UP))
