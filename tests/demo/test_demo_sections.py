"""The report's own sections in the demo: penanggung jawab (Banjar), belanja per jenis (Banjar,
Pontianak) and Pontianak's statistics tables, as the seeds print them, through the importer, in
the snapshot, and a total that differs from the program tree reported, not repaired."""

from __future__ import annotations

from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from agencies.models import Agency
from budget.models import SpendingByType
from budget.spending import spending_summary
from lkjip.numbers import round2
from performance.models import Indicator
from reports.findings import findings_for
from reports.snapshot import build_snapshot
from sectorstats.models import StatisticsTable
from workbook.exporter import workbook_export
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo"


def load(code: str) -> Agency:
    report = workbook_import(source=DEMO / "workbooks" / f"{code}.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code=code)


def test_banjar_penanggung_jawab_belanja_and_snapshot():
    agency = load("banjar-disnakertrans")
    responsible = dict(Indicator.objects.filter(plan__agency=agency).values_list("code", "responsible"))
    assert responsible["PK01"] == "Kepala Dinas" and responsible["PK04"] == "Plt Sekretaris"
    assert sum(1 for value in responsible.values() if value) == 24  # the 24 PK rows; TPT has none
    spending = spending_summary(agency=agency, year=2025)
    by_kind = {row.kind: row for row in spending.rows}
    operating = by_kind["operasi"]
    assert operating.computed and operating.ceiling == Decimal("11973794858") and operating.spent == Decimal("9960400792")
    assert [row.kind for row in spending.rows] == ["operasi", "pegawai", "barang_jasa", "modal"]
    assert round2(operating.absorption.value) == Decimal("83.18")  # 001:L2404
    assert round2(by_kind["pegawai"].absorption.value) == Decimal("88.53")
    assert spending.ceiling == Decimal("12081204858") and spending.spent == Decimal("10066484952")
    assert not [f for f in findings_for(agency_code=agency.code, year=2025) if f.code == "belanja_jenis_berbeda"]
    snapshot = build_snapshot(agency=agency, year=2025)
    assert snapshot["spending_by_type"]["rows"][0] == {
        "kind": "operasi", "label": "Belanja Operasi", "depth": 0, "computed": True,
        "ceiling_original": "11973794858.00", "ceiling_amended": None, "ceiling": "11973794858.00", "change": None,
        "change_percent": {"value": None, "reason": "Tidak ada pagu perubahan"}, "spent": "9960400792.00",
        "absorption": snapshot["spending_by_type"]["rows"][0]["absorption"],
        "share": snapshot["spending_by_type"]["rows"][0]["share"],
    }
    assert {i["code"]: i["responsible"] for i in snapshot["plan"]["indicators"]}["PK23"] == (
        "Plt Kasi Persyaratan Kerja Dan Jaminan Sosial")
    assert "statistics_tables" not in snapshot and "images" not in snapshot  # nothing recorded: nothing to print


def test_pontianak_belanja_differs_by_one_rupiah_and_its_tables_are_as_printed():
    agency = load("pontianak-disnaker")
    spending = spending_summary(agency=agency, year=2023)
    assert spending.ceiling_original == Decimal("4440896428")  # Tabel 1.4 SEBELUM
    assert spending.ceiling == Decimal("4521330527")  # the SESUDAH rows; the printed total says …526
    shares = {row.kind: round2(row.share.value) for row in spending.rows}
    assert shares == {"operasi": Decimal("89.98"), "modal": Decimal("10.02")}  # 003:L216
    assert spending.spent is None and spending.absorption.value is None
    found = [f for f in findings_for(agency_code=agency.code, year=2023) if f.code == "belanja_jenis_berbeda"]
    assert len(found) == 1 and "Rp 4.521.330.527" in found[0].message and "Rp 4.521.330.526" in found[0].message
    assert "selisih Rp 1" in found[0].message
    tables = list(StatisticsTable.objects.filter(agency=agency, year=2023).order_by("order"))
    assert [t.code for t in tables] == ["3.5", "3.6", "3.9"]
    snapshot = build_snapshot(agency=agency, year=2023)
    printed = {t["code"]: t for t in snapshot["statistics_tables"]}
    mediation = printed["3.9"]
    assert mediation["indicator"] == "IKU2" and mediation["section"] == "analisis"
    assert [c["group"] for c in mediation["columns"]][3:] == ["Hasil"] * 5
    assert mediation["rows"][-1][0] == {"text": "JUMLAH", "number": None}
    assert mediation["rows"][-1][5] == {"text": "9", "number": "9.0000"}  # PB: the 9 of the PB indicator
    assert mediation["rows"][0][3] == {"text": "-", "number": None}
    training = printed["3.5"]
    assert training["rows"][0][2] == {"text": "30 Orang", "number": None}  # as printed, unit in the cell
    assert len(printed["3.6"]["rows"]) == 14 and printed["3.6"]["rows"][3][1]["text"] == "PERAWAT BABY SITTTER"


def test_pontianak_sections_round_trip(tmp_path):
    agency = load("pontianak-disnaker")
    before = build_snapshot(agency=agency, year=2023)
    exported = tmp_path / "pontianak.xlsx"
    exported.write_bytes(workbook_export(agency=agency, year=2023))
    again = workbook_import(source=exported)
    assert again.ok, [str(e) for e in again.errors]
    for key in ("spending_by_type", "statistics_table"):
        counts = again.counts[key]
        assert counts.created == counts.updated == counts.deleted == 0 and counts.unchanged > 0, key
    after = build_snapshot(agency=agency, year=2023)
    assert after["statistics_tables"] == before["statistics_tables"]
    assert after["spending_by_type"] == before["spending_by_type"]


def test_load_demo_has_the_sections(settings):
    settings.EMBEDDED = True
    call_command("load_demo", stdout=StringIO())
    assert SpendingByType.objects.filter(agency__code="banjar-disnakertrans", year=2025).count() == 3
    assert SpendingByType.objects.filter(agency__code="pontianak-disnaker", year=2023).count() == 2
    assert StatisticsTable.objects.filter(agency__code="pontianak-disnaker", year=2023).count() == 3
    assert Indicator.objects.filter(plan__agency__code="banjar-disnakertrans").exclude(responsible="").count() == 24
