"""Shared by the history tests: the edited workbook and small page helpers."""

from __future__ import annotations

import re

from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

CODE = "uji-disnaker"
OTHER = "lain-disnaker"


def edited_data():
    """minimal_data() with TPT 2025 7,33 → 6,12 and edits elsewhere that must not leak onto its page."""
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = "6,12"  # IKU1 2025 tahunan, was 7,33
    data["Realisasi"][1]["realisasi"] = "8,5"  # IKU1 2024, was 8,55: another year
    data["Realisasi"][2]["realisasi"] = "1.300"  # IKU2 TW I, was 1.234: another indicator
    data["Target"][1]["target"] = "7,4"  # IKU1 PK murni, was 7,5
    data["Pembanding"][0]["nilai"] = "4,8"  # IKU1 nasional, was 4,76
    data["Narasi"][1]["teks"] = "TPT turun tajam."
    data["Indikator"][0]["satuan"] = "persen"
    return data


def imported(data=None, **kwargs):
    report = workbook_import(source=as_file(build_workbook(data)), **kwargs)
    assert report.ok, [str(e) for e in report.errors]
    return report


def page_text(response) -> str:
    return response.content.decode()


def without_csrf(text: str) -> str:
    """The page minus its CSRF token, which is masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)
