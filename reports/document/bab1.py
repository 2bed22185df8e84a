"""BAB I Pendahuluan: latar belakang to sistematika, the staff tables and the budget overview."""

from __future__ import annotations

from typing import Any

from django.utils.safestring import mark_safe

from .numbering import Numbering
from .prose import prose
from .source import Source

STAFF_DIMENSIONS = {
    "jabatan": "Jabatan",
    "eselon": "Eselon",
    "golongan": "Pangkat/Golongan",
    "pendidikan": "Tingkat Pendidikan",
}
PART = "bab1"
NARRATIVE_TABLE = '<table class="narrative-table">'  # how prose() opens a table the agency wrote


def build(doc: Source, numbering: Numbering, follow_up_chapter: bool) -> dict[str, Any]:
    """The chapter's sections and tables; its sentences (the sistematika too) are bab1.html's."""
    chapter = numbering.chapter(PART, "Pendahuluan")
    narratives = doc.narratives
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    sec["latar"] = numbering.section(PART, (1,), "Latar Belakang")
    sec["dasar"] = numbering.section(PART, (2,), "Dasar Hukum")
    sec["tugas"] = numbering.section(PART, (3,), "Tugas dan Fungsi")
    sec["struktur"] = numbering.section(PART, (4,), "Struktur Organisasi")
    sec["sumber_daya"] = numbering.section(PART, (5,), "Sumber Daya")
    staff = doc.s.get("staff") or {}
    result["staff"] = []
    if doc.on("staff"):
        for index, dimension in enumerate(doc.staff_figures["order"]):
            result["staff"].append(_staff_table(numbering, (5, 1, index), dimension, staff[dimension],
                                                doc.staff_figures["tables"][dimension]))
    result["staff_narrative"] = prose(narratives.get("sumber_daya"))
    budget = doc.budget_brief()
    result["budget"] = budget
    result["budget_table"] = numbering.table(PART, (5, 2), f"Anggaran {doc.s['agency']['name']} Tahun {doc.year}"
                                             + (f" dan {budget['previous']['year']}" if budget["previous"] else ""))
    if doc.on("strategic_issues") and (narratives.get("isu_strategis") or "").strip():  # no empty section
        sec["isu"] = numbering.section(PART, (6,), "Isu Strategis")
        result["isu"] = _captioned(numbering, prose(narratives.get("isu_strategis")), "Isu Strategis")
    sec["sistematika"] = numbering.section(PART, (7,), "Sistematika Penulisan")
    return result


def _captioned(numbering: Numbering, html: str, title: str) -> list[dict[str, Any]]:
    """An agency narrative cut before each of its tables, so that every table it holds gets a
    numbered caption: [{"html": text before, "table": None}, {"html": table and what follows,
    "table": Numbered}, ...]."""
    parts = html.split(NARRATIVE_TABLE)
    pieces: list[dict[str, Any]] = [{"html": mark_safe(parts[0]), "table": None}]
    for i, rest in enumerate(parts[1:], start=1):
        name = title if len(parts) == 2 else f"{title} ({i})"
        pieces.append({"html": mark_safe(NARRATIVE_TABLE + rest), "table": numbering.table(PART, (6, i), name)})
    return pieces


def _staff_table(numbering: Numbering, at: tuple[int, ...], dimension: str, rows: list[dict[str, Any]],
                 figures: dict[str, Any]) -> dict[str, Any]:
    statuses = figures["statuses"]
    body = [{"category": row["category"], "counts": [row["counts"].get(status) for status in statuses], "total": total}
            for row, total in zip(rows, figures["row_totals"], strict=True)]
    label = STAFF_DIMENSIONS.get(dimension, dimension.replace("_", " ").title())
    return {
        "dimension": dimension,
        "label": label,
        "table": numbering.table(PART, at, f"Jumlah Pegawai Menurut {label}"),
        "statuses": statuses,
        "rows": body,
        "totals": figures["totals"],
        "grand_total": figures["total"],
        "composition": [{"status": s, "count": n} for s, n in zip(statuses, figures["totals"], strict=True) if n],
    }
