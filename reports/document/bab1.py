"""BAB I Pendahuluan: latar belakang to sistematika, the staff tables and the budget overview."""

from __future__ import annotations

import string
from typing import Any

from .numbering import Numbering
from .prose import prose
from .source import Source
from .statistics import number as statistics_tables

STAFF_DIMENSIONS = {
    "jabatan": "Jabatan",
    "eselon": "Eselon",
    "golongan": "Pangkat/Golongan",
    "pendidikan": "Tingkat Pendidikan",
}
STATUS_ORDER = ("PNS", "PPPK", "Non-ASN")


def build(doc: Source, numbering: Numbering, numerals: dict[str, str], follow_up_chapter: bool,
          org_chart: dict[str, Any] | None = None) -> dict[str, Any]:
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
    result["statistics"] = statistics_tables(doc, numbering, "latar_belakang", "dasar_hukum", "tugas_fungsi",
                                             "struktur_organisasi")
    result["org_chart"] = _org_chart(doc, numbering, org_chart)
    sec["sumber_daya"] = numbering.section(next_no(), "Sumber Daya")
    staff = doc.s.get("staff") or {}
    result["staff"] = []
    if doc.on("staff"):
        for dimension, rows in staff.items():
            result["staff"].append(_staff_table(numbering, dimension, rows))
    result["staff_narrative"] = prose(narratives.get("sumber_daya"))
    budget = doc.budget_brief()
    result["budget"] = budget
    # Numbered only when printed: an empty budget prints a sentence, and the daftar tabel listed a
    # table that was not there.
    result["budget_table"] = None if budget["empty"] else numbering.table(
        f"Anggaran {doc.s['agency']['name']} Tahun {doc.year}"
        + (f" dan {budget['previous']['year']}" if budget["previous"] else ""))
    result["spending_by_type"] = _spending_by_type(doc, numbering)
    result["statistics"] |= statistics_tables(doc, numbering, "sumber_daya")
    if doc.on("strategic_issues"):
        sec["isu"] = numbering.section(next_no(), "Isu Strategis")
    sec["sistematika"] = numbering.section(next_no(), "Sistematika Penulisan")
    outline = [
        ("BAB I", "Pendahuluan", "latar belakang, dasar hukum, tugas dan fungsi, struktur organisasi, "
         "sumber daya" + (" serta isu strategis" if doc.on("strategic_issues") else "") + "."),
        ("BAB II", "Perencanaan Kinerja", "visi dan misi, Rencana Strategis, Indikator Kinerja Utama dan "
         f"Perjanjian Kinerja Tahun {doc.year}."),
        ("BAB III", "Akuntabilitas Kinerja", "metodologi pengukuran, capaian kinerja per tujuan, sasaran dan "
         "indikator beserta analisisnya, serta realisasi anggaran."),
    ]
    if follow_up_chapter:
        outline.append((f"BAB {numerals['rekomendasi']}", "Tindak Lanjut Rekomendasi Hasil Evaluasi",
                        "rekomendasi hasil evaluasi akuntabilitas kinerja dan tindak lanjutnya."))
    outline.append((f"BAB {numerals['penutup']}", "Penutup",
                    "kesimpulan atas capaian kinerja, permasalahan yang dihadapi dan langkah perbaikan ke depan."))
    if doc.on("appendix"):
        outline.append(("Lampiran", "", "Perjanjian Kinerja dan Formulir Pengukuran Kinerja."))
    result["outline"] = outline
    if doc.on("strategic_issues"):  # last: after the tables of the isu strategis narrative itself
        result["statistics"] |= statistics_tables(doc, numbering, "isu_strategis")
    return result


def _org_chart(doc: Source, numbering: Numbering, picture: dict[str, Any] | None) -> Any:
    """The organisation chart as Gambar 1.n, when its picture could be read (images.py)."""
    if not picture:
        return None
    year = picture.get("year")
    title = f"Bagan Struktur Organisasi {doc.s['agency']['name']}" + (f" Tahun {year}" if year else "")
    return numbering.figure(title, picture)


def _spending_by_type(doc: Source, numbering: Numbering) -> dict[str, Any] | None:
    """Belanja per jenis (budget/spending.py via the snapshot): groups numbered, their kinds
    lettered under them; pagu murni and perubahan side by side only when they differ somewhere;
    realisasi and serapan only when realisasi is recorded."""
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
        "columns": 3 + (1 if revised else 0) + (2 if has_spent else 0),
        "table": numbering.table(f"{title} Tahun {spending.get('year') or doc.year}"),
    }


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
