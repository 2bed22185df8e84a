"""BAB I Pendahuluan: latar belakang to sistematika, the staff tables and the budget overview."""

from __future__ import annotations

import string
from typing import Any

from django.utils.safestring import mark_safe

from .numbering import Numbering
from .prose import prose
from .source import Source
from .statistics import tables as statistics_tables

STAFF_DIMENSIONS = {
    "jabatan": "Jabatan",
    "eselon": "Eselon",
    "golongan": "Pangkat/Golongan",
    "pendidikan": "Tingkat Pendidikan",
}
PART = "bab1"
AFTER = 900  # a place after anything a section declares itself (the isu strategis narrative's tables)
NARRATIVE_TABLE = '<table class="narrative-table">'  # how prose() opens a table the agency wrote


def build(doc: Source, numbering: Numbering, follow_up_chapter: bool,
          org_chart: dict[str, Any] | None = None) -> dict[str, Any]:
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
    result["statistics"] = {
        name: statistics_tables(doc, numbering, name, PART, at)
        for name, at in (("latar_belakang", (1, 1)), ("dasar_hukum", (2, 1)), ("tugas_fungsi", (3, 1)),
                         ("struktur_organisasi", (4, 2)), ("sumber_daya", (5, 4)), ("isu_strategis", (6, AFTER)))
    }
    result["org_chart"] = _org_chart(doc, numbering, org_chart)
    staff = doc.s.get("staff") or {}
    result["staff"] = []
    if doc.on("staff"):
        for index, dimension in enumerate(doc.staff_figures["order"]):
            result["staff"].append(_staff_table(numbering, (5, 1, index), dimension, staff[dimension],
                                                doc.staff_figures["tables"][dimension]))
    result["staff_narrative"] = prose(narratives.get("sumber_daya"))
    budget = doc.budget_brief()
    result["budget"] = budget
    # Declared only when printed: an empty budget prints a sentence, and the daftar tabel listed a
    # table that was not there.
    result["budget_table"] = None if budget["empty"] else numbering.table(
        PART, (5, 2), f"Anggaran {doc.s['agency']['name']} Tahun {doc.year}"
        + (f" dan {budget['previous']['year']}" if budget["previous"] else ""))
    result["spending_by_type"] = _spending_by_type(doc, numbering)
    # No empty section; a statistics table of its own is something to print.
    if doc.on("strategic_issues") and ((narratives.get("isu_strategis") or "").strip()
                                       or result["statistics"]["isu_strategis"]):
        sec["isu"] = numbering.section(PART, (6,), "Isu Strategis")
        result["isu"] = _captioned(numbering, prose(narratives.get("isu_strategis")), "Isu Strategis")
    sec["sistematika"] = numbering.section(PART, (7,), "Sistematika Penulisan")
    return result


def _org_chart(doc: Source, numbering: Numbering, picture: dict[str, Any] | None) -> Any:
    """The organisation chart as Gambar 1.n in 1.4, when its picture could be read (images.py)."""
    if not picture:
        return None
    year = picture.get("year")
    title = f"Bagan Struktur Organisasi {doc.s['agency']['name']}" + (f" Tahun {year}" if year else "")
    return numbering.figure(PART, (4, 1), title, picture)


def _spending_by_type(doc: Source, numbering: Numbering) -> dict[str, Any] | None:
    """Belanja per jenis (budget/spending.py via the snapshot) under b. Anggaran: groups numbered,
    their kinds lettered under them; pagu murni and perubahan side by side only when they differ
    somewhere; realisasi and serapan only when realisasi is recorded."""
    spending = doc.s.get("spending_by_type")
    if not spending or not spending.get("rows"):
        return None
    rows = []
    group_no = kind_no = 0
    for row in spending["rows"]:
        if row.get("depth"):
            kind_no += 1
            marker = f"{string.ascii_lowercase[(kind_no - 1) % 26]}."
        else:
            group_no, kind_no = group_no + 1, 0
            marker = f"{group_no}."
        rows.append({**row, "marker": marker})
    has_spent = any(r.get("spent") is not None for r in spending["rows"])
    revised = bool(spending.get("revised"))
    title = ("Pagu dan Realisasi Belanja menurut Jenis Belanja" if has_spent else "Pagu Belanja menurut Jenis Belanja")
    return {
        "s": spending,
        "rows": rows,
        "revised": revised,
        "has_spent": has_spent,
        "computed": [r["label"] for r in spending["rows"] if r.get("computed")],
        "table": numbering.table(PART, (5, 3), f"{title} Tahun {spending.get('year') or doc.year}"),
    }


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
