"""A small agency whose 2025 data leaves no blocking finding (the minimal workbook with its
fourth quarter filled in and its PK approved), for the draft/final and signing tests."""

from __future__ import annotations

from agencies.models import Agency
from performance.models import PerformanceAgreement
from reports.findings import findings_for
from reports.gate import DEFAULT_BLOCKING
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

CODE = "uji-disnaker"
YEAR = 2025


def clean_data() -> dict:
    data = minimal_data()
    data["Realisasi"] += [
        {"kode_indikator": "IKU2", "tahun": 2025, "triwulan": 3, "realisasi": "100"},
        {"kode_indikator": "IKU2", "tahun": 2025, "triwulan": 4, "realisasi": "50"},
    ]
    return data


def clean_agency() -> Agency:
    report = workbook_import(source=as_file(build_workbook(clean_data())), file_name="uji.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    factories.approve_agreement(PerformanceAgreement.objects.get(agency__code=CODE, year=YEAR, number=0))
    found = {f.code for f in findings_for(agency_code=CODE, year=YEAR)}
    assert not found & set(DEFAULT_BLOCKING), found  # the world must stay free of blockers
    return Agency.objects.select_related("government").get(code=CODE)
