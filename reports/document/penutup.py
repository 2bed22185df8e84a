"""The closing chapter (BAB IV or V): kesimpulan, permasalahan, saran."""

from __future__ import annotations

from typing import Any

from .numbering import Numbering
from .prose import prose
from .source import Source
from .statistics import tables as statistics_tables

PART = "penutup"


def build(doc: Source, numbering: Numbering) -> dict[str, Any]:
    chapter = numbering.chapter(PART, "Penutup")
    narratives = doc.narratives
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    sec["kesimpulan"] = numbering.section(PART, (1,), "Kesimpulan")
    sec["permasalahan"] = numbering.section(PART, (2,), "Permasalahan dan Kendala")
    sec["saran"] = numbering.section(PART, (3,), "Saran dan Langkah Perbaikan")
    result["statistics"] = {"kesimpulan": statistics_tables(doc, numbering, "kesimpulan", PART, (1, 1)),
                            "saran": statistics_tables(doc, numbering, "saran", PART, (3, 1))}
    strategic = [g for g in doc.groups if g.get("strategic")]
    result["strategic"] = strategic
    result["counts"] = (doc.s.get("measurement") or {}).get("counts") or {}
    result["budget"] = doc.budget_brief()
    result["kesimpulan"] = prose(narratives.get("kesimpulan"))
    result["saran"] = prose(narratives.get("saran"))
    result["hambatan"] = [
        {"code": f["code"], "name": f["name"], "show_code": f["show_code"], "html": prose(f["narratives"]["penghambat"])}
        for f in doc.figures.values() if (f.get("narratives") or {}).get("penghambat")
    ]
    result["upaya"] = [
        {"code": f["code"], "name": f["name"], "show_code": f["show_code"], "html": prose(f["narratives"]["upaya"])}
        for f in doc.figures.values() if (f.get("narratives") or {}).get("upaya")
    ]
    result["below"] = [doc.brief(code) for code in doc.measured["below"] if code in doc.figures]
    if result["below"]:
        result["below_table"] = numbering.table(PART, (2, 1), f"Indikator yang Belum Mencapai Target Tahun {doc.year}")
    result["not_measured"] = doc.measured["not_measured"]
    return result
