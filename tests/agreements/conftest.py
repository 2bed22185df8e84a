from __future__ import annotations

import pytest

from agencies.models import Agency, Government
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

NEXT = 2026  # the year the planner drafts: the Renstra has targets, no PK exists yet


def data_with_next_year() -> dict:
    data = minimal_data()
    data["Target"] += [
        {"kode_indikator": "IKU1", "tahun": NEXT, "dokumen": "renstra", "target": "7,50"},
        {"kode_indikator": "IKU2", "tahun": NEXT, "dokumen": "renstra", "target": "1.300"},
    ]
    for row in list(data["Anggaran"]):
        if row.get("pagu_murni") is not None:
            data["Anggaran"].append({**row, "tahun": NEXT, "pagu_murni": 2_000_000, "realisasi_tw4": None})
    return data


@pytest.fixture
def agency(db) -> Agency:
    report = workbook_import(source=as_file(build_workbook(data_with_next_year())), file_name="uji.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code="uji-disnaker")


@pytest.fixture
def planner(agency):
    return factories.user("perencana", agency=agency, role="planner")


@pytest.fixture
def head(agency):
    return factories.user("kepala", agency=agency, role="head")


@pytest.fixture
def operator(agency):
    return factories.user("operator", agency=agency, role="staff")


@pytest.fixture
def bappeda(agency):
    return factories.user("bappeda", government=agency.government, gov_role="planner")


@pytest.fixture
def outsider(db):
    other = Government.objects.create(name="Pemerintah Kota Lain", kind="kota")
    return factories.user("bappeda-lain", government=other, gov_role="planner")
