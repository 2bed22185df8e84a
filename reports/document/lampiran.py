"""The lampiran: each printed PK version again (unnumbered tables) and the Formulir
Pengukuran Kinerja."""

from __future__ import annotations

from typing import Any

from .bab2 import agreement_view
from .numbering import Numbering
from .source import Source

PART = "lampiran"


def build(doc: Source, numbering: Numbering) -> dict[str, Any]:
    numbering.entry(PART, (), id="lampiran", title="LAMPIRAN", level=1)
    agreements = []
    for agreement in doc.s.get("agreements") or []:
        item = agreement_view(doc, numbering, agreement, at=None)
        number = len(agreements) + 1
        item["entry"] = numbering.entry(PART, (number,), id=f"lampiran-{number}", label=f"Lampiran {number}",
                                        title=item["title"], level=2)
        agreements.append(item)
    number = len(agreements) + 1
    form_entry = numbering.entry(PART, (number,), id="lampiran-formulir", label=f"Lampiran {number}",
                                 title=f"Formulir Pengukuran Kinerja Tahun {doc.year}", level=2)
    strategic = [g for g in doc.groups if g.get("strategic")] or doc.groups
    form_rows = []
    for group in strategic:
        form_rows.append({"group": group, "rows": [doc.indicator_row(f) for f in group["indicators"]]})
    programs = [r for r in (doc.s.get("budget") or {}).get("rows", []) if r["kind"] == "program"]
    return {
        "agreements": agreements,
        "form_entry": form_entry,
        "form": form_rows,
        "programs": programs,
        "budget": doc.budget_brief(),
    }
