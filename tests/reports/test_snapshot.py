from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from agencies.models import Agency
from performance.models import Realization
from reports.compare import compare_snapshots
from reports.excel import bab3_workbook
from reports.models import ReportVariant
from reports.snapshot import build_snapshot, snapshot_hash
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


@pytest.fixture
def bekasi():
    assert workbook_import(source=BEKASI).ok
    return Agency.objects.get(code="bekasi-disnaker")


def test_snapshot_is_json_and_its_hash_is_stable(bekasi):
    first = build_snapshot(agency=bekasi, year=2025)
    second = build_snapshot(agency=bekasi, year=2025)
    assert json.loads(json.dumps(first)) == first
    assert snapshot_hash(first) == snapshot_hash(second)
    reordered = json.loads(json.dumps(first, sort_keys=True))
    assert snapshot_hash(reordered) == snapshot_hash(first)


def test_snapshot_hash_changes_with_any_figure(bekasi):
    before = build_snapshot(agency=bekasi, year=2025)
    Realization.objects.filter(indicator__code="TPT", year=2025).update(value=Decimal("7.30"))
    after = build_snapshot(agency=bekasi, year=2025)
    assert snapshot_hash(before) != snapshot_hash(after)


def test_snapshot_holds_the_computed_figures_at_full_precision(bekasi):
    snapshot = build_snapshot(agency=bekasi, year=2025)
    tpt = next(i for g in snapshot["measurement"]["groups"] for i in g["indicators"] if i["code"] == "TPT")
    assert tpt["target"] == "7.3200" and tpt["target_document"] == "PK"
    assert Decimal(tpt["achievement"]["value"]).quantize(Decimal("0.01")) == Decimal("99.86")
    renstra = next(t for t in tpt["other_targets"] if t["document"] == "Renstra")
    assert renstra["achievement"]["value"].startswith("105.1746")
    assert snapshot["budget"]["spent"] == "17745401889.00"
    assert snapshot["variant"]["title"] == "LKjIP" and snapshot["variant"]["five_chapters"] is False


def test_variant_is_configuration(bekasi):
    ReportVariant.objects.create(government=bekasi.government, title="LKIP", sections={"appendix": False})
    variant = build_snapshot(agency=bekasi, year=2025)["variant"]
    assert variant["short"] == "LKIP" and variant["sections"]["appendix"] is False
    assert variant["sections"]["ikhtisar"] is True
    ReportVariant.objects.create(agency=bekasi, title="Laporan Kinerja", five_chapters=True)
    variant = build_snapshot(agency=bekasi, year=2025)["variant"]  # the agency's own wins
    assert variant["long"] == "Laporan Kinerja" and variant["five_chapters"] is True


def test_variant_rejects_unknown_sections():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="tidak dikenal"):
        ReportVariant(title="LKjIP", sections={"lampiran_x": False}).clean()
    with pytest.raises(ValidationError, match="true atau false"):
        ReportVariant(title="LKjIP", sections={"appendix": "tidak"}).clean()


def test_compare_lists_every_changed_figure(bekasi):
    before = build_snapshot(agency=bekasi, year=2025)
    Realization.objects.filter(indicator__code="TPT", year=2025).update(value=Decimal("7.30"))
    changes = compare_snapshots(before, build_snapshot(agency=bekasi, year=2025))
    figures = {(c.where.split()[1], c.figure) for c in changes if c.where.startswith("Indikator")}
    assert ("TPT", "Realisasi") in figures and ("TPT", "Capaian") in figures
    assert ("TPT", "Capaian terhadap Renstra") in figures  # the 105,17 against the Renstra moves too
    realisasi = next(c for c in changes if c.where.startswith("Indikator TPT") and c.figure == "Realisasi")
    assert (realisasi.before, realisasi.after) == ("7.3300", "7.3000")
    assert compare_snapshots(before, before) == []


def test_bab3_workbook_has_the_measurement_and_budget_tables(bekasi):
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(bab3_workbook(build_snapshot(agency=bekasi, year=2025))))
    assert book.sheetnames == ["Pengukuran kinerja", "Realisasi anggaran", "Efisiensi"]
    rows = list(book["Pengukuran kinerja"].iter_rows(values_only=True))
    tpt = next(r for r in rows if r[0] == "TPT")
    assert tpt[3] == pytest.approx(7.32) and round(tpt[10], 2) == 99.86
    total = list(book["Realisasi anggaran"].iter_rows(values_only=True))[-1]
    assert total[1] == "JUMLAH" and total[4] == 17745401889 and round(total[5], 2) == 97.97


def test_history_carries_each_years_target_and_capaian(bekasi):
    snapshot = build_snapshot(agency=bekasi, year=2025)
    ikm = next(i for g in snapshot["measurement"]["groups"] for i in g["indicators"] if i["code"] == "IKM")
    by_year = {point["year"]: point for point in ikm["history"]}
    assert by_year[2024]["target"] == "80.0000" and by_year[2024]["target_document"] == "Renja"
    assert Decimal(by_year[2024]["achievement"]["value"]).quantize(Decimal("0.01")) == Decimal("106.79")
    assert Decimal(by_year[2023]["achievement"]["value"]) == 100


def test_snapshot_carries_the_latest_components():
    from tests import factories

    agency = factories.agency("dinas-komponen")
    indicator = factories.measured_indicator(agency, actual=None, polarity="positif", target="80")
    Realization.objects.create(indicator=indicator, year=2025, quarter=3, value=Decimal("75"),
                               numerator=Decimal(75), denominator=Decimal(100))
    Realization.objects.create(indicator=indicator, year=2025, quarter=4, value=Decimal("86.05"),
                               numerator=Decimal(74), denominator=Decimal(86))
    tpt = build_snapshot(agency=agency, year=2025)["measurement"]["groups"][0]["indicators"][0]
    assert (tpt["numerator"], tpt["denominator"]) == ("74.0000", "86.0000")
