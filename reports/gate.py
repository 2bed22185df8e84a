"""Draft and final: which findings stop a final version, and the checklist of a version.

A version is a draft unless asked for as final. A final version can be made only when none of
the findings its Pemda (or the agency itself) counts as blocking remains. Which codes block is
configuration (ReportVariant.blocking_findings): the agency's own list if it has one, else its
Pemda's, else DEFAULT_BLOCKING. The checklist of a version is its snapshot's findings, each
marked blocking or not by the list in force when the version was requested (stored on it).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from agencies.models import Agency

# Every finding code reports.findings (and the narrative check) can give, with what it means.
# tests/reports/test_final_gate.py checks that every code written in reports/ is listed here.
FINDINGS = {
    "narasi_angka_bertentangan": "Angka dalam narasi bertentangan dengan angka yang dihitung",
    "narasi_placeholder_tidak_dikenal": "Narasi memuat penanda angka yang tidak dikenal",
    "narasi_placeholder_tanpa_nilai": "Narasi memuat penanda angka yang tidak dapat dihitung",
    "pk_belum_disetujui": "Perjanjian Kinerja belum disetujui",
    "pk_perubahan_belum_disetujui": "PK perubahan belum disetujui",
    "tw4_kosong": "Realisasi triwulan IV belum diisi",
    "capaian_tanpa_penjelasan": "Capaian di bawah target tanpa penjelasan",
    "skala_belum_ada": "Skala penilaian belum ditetapkan",
    "skala_bercelah": "Skala penilaian bercelah atau bertumpang tindih",
    "realisasi_melebihi_pagu": "Realisasi anggaran melebihi pagu",
    "kumulatif_menurun": "Realisasi kumulatif menurun",
    "belanja_jenis_berbeda": "Belanja per jenis tidak sama dengan data anggaran",
    "capaian_program_kegiatan_tidak_dilaksanakan": "Capaian program dengan kegiatan yang tidak dilaksanakan",
    "data_tahun_lalu_tidak_lengkap": "Data tahun pembanding tidak lengkap",
    "capaian_di_atas_150": "Capaian di atas 150 %",
    "target_pk_beda_renstra": "Target PK berbeda dari Renstra tanpa alasan",
    "tanpa_bukti": "Realisasi tanpa sumber atau bukti dukung",
    "lhe_tanpa_komponen": "Hasil evaluasi AKIP tanpa nilai komponen",
    "lhe_nilai_berbeda": "Nilai evaluasi AKIP tercetak berbeda dari jumlah komponen",
    "lhe_predikat_berbeda": "Predikat evaluasi AKIP tercetak berbeda dari hasil hitungan",
}

# What an evaluator would refuse in a submitted report: numbers in the prose that contradict
# the computed ones (or placeholders the document cannot fill), capaian measured against a PK nobody approved, a year without its fourth
# quarter, a shortfall left unexplained, no rating scale, and figures that are impossible
# (spending above the ceiling, a cumulative series going down, a scale with gaps, spending by
# type that does not add up to the budget).
DEFAULT_BLOCKING = (
    "narasi_angka_bertentangan",
    "narasi_placeholder_tidak_dikenal",
    "narasi_placeholder_tanpa_nilai",
    "pk_belum_disetujui",
    "pk_perubahan_belum_disetujui",
    "tw4_kosong",
    "capaian_tanpa_penjelasan",
    "skala_belum_ada",
    "skala_bercelah",
    "realisasi_melebihi_pagu",
    "kumulatif_menurun",
    "belanja_jenis_berbeda",
)

MISSING_EXPLANATION = "capaian_tanpa_penjelasan"


def unknown_codes(codes: Iterable[Any]) -> list[str]:
    return sorted({str(code) for code in codes if code not in FINDINGS})


def blocking_codes_for(*, agency: Agency) -> list[str]:
    """The codes that block a final version of the agency: its own list, else its Pemda's,
    else the default. An empty list is a choice (nothing blocks); no list (None) inherits."""
    from .models import ReportVariant

    variants = {
        "agency" if v.agency_id else "government": v.blocking_findings
        for v in ReportVariant.objects.filter(Q(agency=agency) | Q(government_id=agency.government_id))
    }
    for owner in ("agency", "government"):
        if variants.get(owner) is not None:
            return list(variants[owner])
    return list(DEFAULT_BLOCKING)


@dataclass(frozen=True)
class CheckItem:
    code: str
    label: str
    severity: str
    message: str
    blocking: bool


def checklist(findings: Sequence[dict[str, Any]], blocking: Iterable[str]) -> list[CheckItem]:
    """The findings of a snapshot, blocking ones first (then in their own order)."""
    codes = set(blocking)
    items = [
        CheckItem(f["code"], FINDINGS.get(f["code"], f["code"]), f.get("severity", ""), f["message"],
                  f["code"] in codes)
        for f in findings
    ]
    return sorted(items, key=lambda item: not item.blocking)


def blockers(findings: Sequence[dict[str, Any]], blocking: Iterable[str]) -> list[CheckItem]:
    return [item for item in checklist(findings, blocking) if item.blocking]


def blockers_summary(items: Sequence[CheckItem]) -> str:
    """'PK belum disetujui (1), Realisasi triwulan IV belum diisi (5)': which kinds block, how often."""
    counts = Counter(item.code for item in items)
    return ", ".join(f"{FINDINGS.get(code, code)} ({count})" for code, count in counts.items())
