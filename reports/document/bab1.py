"""BAB I Pendahuluan: latar belakang to sistematika, the staff tables and the budget overview."""

from __future__ import annotations

from typing import Any

from .numbering import Numbering
from .prose import prose
from .source import Source

STAFF_DIMENSIONS = {
    "jabatan": "Jabatan",
    "eselon": "Eselon",
    "golongan": "Pangkat/Golongan",
    "pendidikan": "Tingkat Pendidikan",
}
STATUS_ORDER = ("PNS", "PPPK", "Non-ASN")


def build(doc: Source, numbering: Numbering, numerals: dict[str, str], follow_up_chapter: bool) -> dict[str, Any]:
    """The chapter's sections and tables; its sentences (the sistematika too) are bab1.html's."""
    chapter = numbering.start_chapter("bab1", "I", "Pendahuluan")
    narratives = doc.narratives
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    n = 0

    def next_no() -> str:
        nonlocal n
        n += 1
        return f"1.{n}"

    sec["latar"] = numbering.section(next_no(), "Latar Belakang")
    sec["dasar"] = numbering.section(next_no(), "Dasar Hukum")
    sec["tugas"] = numbering.section(next_no(), "Tugas dan Fungsi")
    sec["struktur"] = numbering.section(next_no(), "Struktur Organisasi")
    sec["sumber_daya"] = numbering.section(next_no(), "Sumber Daya")
    staff = doc.s.get("staff") or {}
    result["staff"] = []
    if doc.on("staff"):
        for dimension, rows in staff.items():
            result["staff"].append(_staff_table(numbering, dimension, rows))
    result["staff_narrative"] = prose(narratives.get("sumber_daya"))
    budget = doc.budget_brief()
    result["budget"] = budget
    result["budget_table"] = numbering.table(f"Anggaran {doc.s['agency']['name']} Tahun {doc.year}"
                                             + (f" dan {budget['previous']['year']}" if budget["previous"] else ""))
    if doc.on("strategic_issues") and (narratives.get("isu_strategis") or "").strip():  # no empty section
        sec["isu"] = numbering.section(next_no(), "Isu Strategis")
    sec["sistematika"] = numbering.section(next_no(), "Sistematika Penulisan")
    return result


def _staff_table(numbering: Numbering, dimension: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    present = {status for row in rows for status in row["counts"]}
    statuses = [x for x in STATUS_ORDER if x in present] + sorted(present - set(STATUS_ORDER))
    body = []
    totals = dict.fromkeys(statuses, 0)
    for row in rows:
        counts = [row["counts"].get(status) for status in statuses]
        for status, value in zip(statuses, counts, strict=True):
            totals[status] += value or 0
        body.append({"category": row["category"], "counts": counts, "total": sum(c or 0 for c in counts)})
    label = STAFF_DIMENSIONS.get(dimension, dimension.replace("_", " ").title())
    return {
        "dimension": dimension,
        "label": label,
        "table": numbering.table(f"Jumlah Pegawai Menurut {label}"),
        "statuses": statuses,
        "rows": body,
        "totals": [totals[s] for s in statuses],
        "grand_total": sum(totals.values()),
        "composition": [{"status": s, "count": totals[s]} for s in statuses if totals[s]],
    }
