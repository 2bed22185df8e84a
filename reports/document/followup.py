"""The follow-up of the previous evaluation: the LHE AKIP (components, total, predikat, trend)
and the recommendations with their tindak lanjut. A section of BAB III, or its own chapter in
the five-chapter layout."""

from __future__ import annotations

from typing import Any

from .numbering import Numbering
from .source import Source


def _evaluation(doc: Source, numbering: Numbering, part: str, at: tuple[int, ...]) -> dict[str, Any] | None:
    """The LHE AKIP of the LKjIP of year - 1 (components, weights, values, the computed total
    and predikat) and the trend over the earlier years the snapshot holds."""
    evaluations = doc.s.get("evaluations") or []
    if not evaluations:
        return None
    latest = next((e for e in evaluations if e["evaluated_year"] == doc.year - 1), None)
    result: dict[str, Any] = {"latest": None, "trend": None}
    if latest is not None:
        result["latest"] = {
            "e": latest,
            "table": numbering.table(part, (*at, 1), f"Hasil Evaluasi AKIP Tahun {latest['follow_up_year']} atas LKjIP Tahun "
                                     f"{latest['evaluated_year']}") if latest["components"] else None,
        }
    if len(evaluations) > 1:
        result["trend"] = {
            "rows": sorted(evaluations, key=lambda e: e["evaluated_year"]),
            "table": numbering.table(part, (*at, 2), "Perkembangan Hasil Evaluasi AKIP"),
        }
    return result


def recommendations(doc: Source, numbering: Numbering, part: str, at: tuple[int, ...]) -> dict[str, Any]:
    """What the follow-up section or chapter prints, its tables declared at `at` in `part`."""
    evaluation = _evaluation(doc, numbering, part, at)  # its tables come first
    recs = doc.s.get("recommendations") or []
    years = sorted({r["year"] for r in recs}, reverse=True)
    blocks = []
    for index, year in enumerate(years):
        items = [r for r in recs if r["year"] == year]
        blocks.append({
            "year": year,
            "items": items,
            "has_component": any(r.get("component") for r in items),
            "table": numbering.table(part, (*at, 3, index), f"Rekomendasi Hasil Evaluasi Tahun {year} dan Tindak Lanjutnya"),
        })
    return {"blocks": blocks, "count": len(recs), "evaluation": evaluation}


def chapter(doc: Source, numbering: Numbering) -> dict[str, Any]:
    chapter = numbering.chapter("rekomendasi", "Tindak Lanjut Rekomendasi Hasil Evaluasi")
    return {"chapter": chapter, "follow_up": recommendations(doc, numbering, "rekomendasi", ())}
