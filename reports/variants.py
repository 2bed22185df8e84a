"""The document variant in force for an agency: its own, else its Pemda's, else the default."""

from __future__ import annotations

from typing import Any

from agencies.models import Agency

from .models import OPTIONAL_SECTIONS, ReportVariant

TITLES = {
    "LKjIP": ("LKjIP", "Laporan Kinerja Instansi Pemerintah"),
    "LKIP": ("LKIP", "Laporan Kinerja Instansi Pemerintah"),
    "Laporan Kinerja": ("", "Laporan Kinerja"),
}


def variant_for(*, agency: Agency) -> dict[str, Any]:
    variant = (
        ReportVariant.objects.filter(agency=agency).first()
        or ReportVariant.objects.filter(government_id=agency.government_id).first()
        or ReportVariant()
    )
    short, long = TITLES[variant.title]
    sections = {key: bool(variant.sections.get(key, True)) for key in OPTIONAL_SECTIONS}
    return {"title": variant.title, "short": short, "long": long, "five_chapters": variant.five_chapters,
            "sections": sections}
