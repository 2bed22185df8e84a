"""The lampiran: each printed PK version again (unnumbered tables) and the Formulir
Pengukuran Kinerja."""

from __future__ import annotations

from typing import Any

from .bab2 import agreement_view
from .numbering import Numbering
from .source import Source


def build(doc: Source, numbering: Numbering) -> dict[str, Any]:
    numbering.part("lampiran", "LAMPIRAN")
    agreements = []
    for agreement in doc.s.get("agreements") or []:
        item = agreement_view(doc, numbering, agreement, numbered=False)
        item["entry"] = numbering.entry({"level": 2, "id": f"lampiran-{len(agreements) + 1}",
                                         "label": f"Lampiran {len(agreements) + 1}", "title": item["title"]})
        agreements.append(item)
    form_entry = numbering.entry({"level": 2, "id": "lampiran-formulir", "label": f"Lampiran {len(agreements) + 1}",
                                  "title": f"Formulir Pengukuran Kinerja Tahun {doc.year}"})
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
