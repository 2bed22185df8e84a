"""The closing chapter (BAB IV or V): kesimpulan, permasalahan, saran."""

from __future__ import annotations

from typing import Any

from .formatting import arabic, below
from .numbering import Numbering
from .prose import prose
from .source import Source


def build(doc: Source, numbering: Numbering, numeral: str) -> dict[str, Any]:
    chapter = numbering.start_chapter("penutup", numeral, "Penutup")
    narratives = doc.narratives
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    n = arabic(numeral)
    sec["kesimpulan"] = numbering.section(f"{n}.1", "Kesimpulan")
    sec["permasalahan"] = numbering.section(f"{n}.2", "Permasalahan dan Kendala")
    sec["saran"] = numbering.section(f"{n}.3", "Saran dan Langkah Perbaikan")
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
    result["below"] = [doc.brief(code) for code, f in doc.figures.items() if below(f)]
    result["not_measured"] = result["counts"].get("indicators", 0) - result["counts"].get("measured", 0)
    return result
