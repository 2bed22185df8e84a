"""The Pernyataan Telah Direviu of the Inspektorat, printed after the closing chapter."""

from __future__ import annotations

from typing import Any

from reviews import wording as reviu_wording

from .formatting import tanggal
from .numbering import Numbering
from .prose import prose
from .source import Source


def build(doc: Source, numbering: Numbering, review: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """The statement of the latest reviu: the standard wording, the matters left open, the
    reviewed version and whether the data changed since, the Inspektur's block."""
    numbering.entry("reviu", (), id="pernyataan-reviu", title=reviu_wording.TITLE, level=1)
    agency = doc.s["agency"].get("name", "")
    return {
        "title": reviu_wording.TITLE,
        "assurance": reviu_wording.assurance(title=titles["long"], agency=agency, year=doc.year,
                                             qualified=bool(review.get("qualified"))),
        "matters_lead": reviu_wording.MATTERS_LEAD,
        "matters": list(review.get("open_matters") or []),
        "additional": prose(review.get("additional")),
        "version": reviu_wording.version_sentence(number=review["reviewed_number"], code=review["reviewed_code"],
                                                  data_sha256=review["reviewed_data_sha256"]),
        "change": reviu_wording.change_sentence(data_changed=bool(review.get("data_changed")),
                                                number=review["reviewed_number"]),
        "place": review.get("place") or "",
        "date": tanggal(review.get("date")),
        "position": review.get("signer_position") or "",
        "name": review.get("signer_name") or "",
        "nip": review.get("signer_nip") or "",
    }
