"""A valid workbook imports completely; header and layout leniency per WORKBOOK.md."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from agencies.models import Agency, AgencyYear, Government, StaffCount
from budget.models import BudgetItem, BudgetLine
from performance.models import (
    Benchmark,
    Indicator,
    Narrative,
    PerformanceAgreement,
    PlanNode,
    RatingScale,
    Realization,
    Recommendation,
    StrategicPlan,
    Target,
)
from tests.workbook.helpers import (
    BEKASI,
    as_file,
    build_workbook,
    db_counts,
    find_issue,
    minimal_data,
)
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def _import(data=None, **options):
    report = workbook_import(source=as_file(build_workbook(data, **options)))
    assert report.ok, [str(e) for e in report.errors]
    return report


def test_minimal_workbook_imports_every_sheet():
    report = _import()

    assert report.agency_code == "uji-disnaker"
    assert report.year == 2025
    assert report.errors == []
    assert report.warnings == []
    created = {key: counts.created for key, counts in report.counts.items()}
    assert created == {
        "government": 1,
        "agency": 1,
        "agency_year": 1,
        "plan": 1,
        "node": 3,
        "budget_item": 4,
        "budget_line": 2,
        "indicator": 3,
        "agreement": 1,
        "target": 4,
        "realization": 5,
        "benchmark": 2,
        "narrative": 2,
        "staff": 2,
        "recommendation": 1,
        "scale": 1,
    }
    assert db_counts() == {
        "Government": 1, "Agency": 1, "AgencyYear": 1, "StrategicPlan": 1, "PlanNode": 3, "BudgetItem": 4,
        "BudgetLine": 2, "Indicator": 3, "PerformanceAgreement": 1, "AgreementProgram": 0, "Target": 4,
        "Realization": 5, "Benchmark": 2, "Narrative": 2, "StaffCount": 2, "Recommendation": 1, "RatingScale": 1, "RatingBand": 3,
    }


def test_instansi_fields():
    _import()
    agency = Agency.objects.get(code="uji-disnaker")
    assert agency.name == "Dinas Tenaga Kerja Kota Uji"
    assert agency.short_name == "Disnaker"
    assert agency.email == "disnaker@ujikota.go.id"
    government = Government.objects.get()
    assert (government.name, government.kind, government.province) == ("Pemerintah Kota Uji", "kota", "Jawa Barat")
    assert government.head_title == "Wali Kota Uji"
    year = AgencyYear.objects.get(agency=agency)
    assert year.year == 2025
    assert year.head_title == "Plt. Kepala Dinas"
    assert year.head_is_acting
    assert year.head_nip == "197001012000031001"
    assert year.signature_date == dt.date(2026, 1, 31)
    plan = StrategicPlan.objects.get(agency=agency)
    assert (plan.start_year, plan.end_year, plan.vision) == (2025, 2029, "Kota Uji yang sejahtera")


def test_renstra_tree():
    _import()
    nodes = {n.code: n for n in PlanNode.objects.select_related("parent")}
    assert nodes["M1"].kind == "misi" and nodes["M1"].parent is None
    assert nodes["T1"].kind == "tujuan" and nodes["T1"].parent.code == "M1"
    assert nodes["T1.S1"].kind == "sasaran" and nodes["T1.S1"].parent.code == "T1"
    assert [n.code for n in PlanNode.objects.order_by("order")] == ["M1", "T1", "T1.S1"]


def test_indicator_fields():
    _import()
    iku1 = Indicator.objects.get(code="IKU1")
    assert iku1.owner_node.code == "T1" and iku1.owner_budget_item is None
    assert iku1.tags == ["IKU", "PK"]
    assert iku1.polarity == "negatif"
    assert iku1.baseline_year == 2024
    assert isinstance(iku1.baseline, Decimal) and iku1.baseline == Decimal("7.82")
    assert iku1.definition == "Penganggur / angkatan kerja × 100%"
    iku2 = Indicator.objects.get(code="IKU2")
    assert iku2.aggregation == "kumulatif"
    ikk1 = Indicator.objects.get(code="IKK1")
    assert ikk1.owner_budget_item.code == "2.07.03.2.01" and ikk1.owner_node is None
    assert ikk1.aggregation == "akhir"  # the documented default
    assert ikk1.tags == []


def test_targets_parse_text_and_numeric_cells():
    _import()
    renstra = Target.objects.get(indicator__code="IKU1", document="renstra")
    assert renstra.value == Decimal("7.73") and renstra.end_value == Decimal("6.98")
    assert renstra.agreement is None
    pk = Target.objects.get(indicator__code="IKU1", document="pk")
    assert pk.value == Decimal("7.5")  # numeric cell
    assert pk.quarters == [Decimal("7.9"), Decimal("7.8"), Decimal("7.6"), Decimal("7.5")]
    assert pk.agreement.year == 2025 and pk.agreement.version == "murni"
    assert Target.objects.get(indicator__code="IKU2").value == Decimal("1200")  # "1.200" is thousands
    assert Target.objects.get(indicator__code="IKK1").document == "renja"
    assert PerformanceAgreement.objects.get().status == "draft"


def test_realisasi_fields():
    _import()
    by_key = {(r.indicator.code, r.year, r.quarter): r for r in Realization.objects.select_related("indicator")}
    assert by_key[("IKU1", 2025, None)].value == Decimal("7.33")  # text "7,33"
    assert by_key[("IKU1", 2025, None)].source == "BPS"
    assert by_key[("IKU1", 2024, None)].value == Decimal("8.55")  # numeric cell 8.55
    assert by_key[("IKU2", 2025, 1)].value == Decimal("1234")  # "1.234"
    missing = by_key[("IKU2", 2025, 2)]
    assert (missing.value, missing.status, missing.note) == (None, "belum_tersedia", "Data belum dirilis")
    provisional = by_key[("IKK1", 2025, None)]
    assert provisional.value == Decimal("105.17")  # "105,17 %"
    assert provisional.status == "sementara"
    assert (provisional.numerator, provisional.denominator) == (Decimal(85), Decimal(100))
    assert by_key[("IKU1", 2025, None)].status == "final"  # the default


def test_budget_tree_and_money():
    _import()
    items = {i.code: i for i in BudgetItem.objects.select_related("parent", "objective")}
    assert items["2.07.03"].kind == "program" and items["2.07.03"].parent is None
    assert items["2.07.03"].objective.code == "T1.S1"
    assert items["2.07.03.2.01"].parent.code == "2.07.03"
    assert items["2.07.03.2.01.0001"].parent.code == "2.07.03.2.01"
    # Money only on leaves.
    assert set(BudgetLine.objects.values_list("item__code", flat=True)) == {"2.07.03.2.01.0001", "2.07.03.2.02"}
    line = BudgetLine.objects.get(item__code="2.07.03.2.01.0001")
    assert isinstance(line.ceiling_original, Decimal)
    assert line.ceiling_original == Decimal("18113307758")  # "Rp 18.113.307.758"
    assert line.ceiling_amended == Decimal("18000000000")  # numeric cell
    assert line.spent_q1 == Decimal("1000000")
    assert line.spent_q2 == Decimal("2500000.50")
    assert line.spent_q3 == Decimal(0)
    assert line.spent_q4 == Decimal("3000000.25")
    assert (line.year, line.funding_source, line.responsible) == (2025, "DAU", "Bidang Penempatan")
    other = BudgetLine.objects.get(item__code="2.07.03.2.02")
    assert other.ceiling_original == Decimal(500000000) and other.ceiling_amended is None
    assert other.spent == Decimal(450000000)


def test_optional_sheets():
    _import()
    national = Benchmark.objects.get(scope="nasional")
    assert national.value == Decimal("4.76") and national.source == "BPS"
    province = Benchmark.objects.get(scope="provinsi")
    assert province.value is None and province.note == "belum rilis"
    assert Narrative.objects.get(section="kata_pengantar").indicator is None
    assert Narrative.objects.get(section="analisis").indicator.code == "IKU1"
    assert {(s.dimension, s.category, s.count) for s in StaffCount.objects.all()} == {
        ("jabatan", "Kepala Dinas", 1), ("golongan", "III", 12)
    }
    rec = Recommendation.objects.get()
    assert (rec.year, rec.component, rec.text) == (2024, "Perencanaan", "Perbaiki indikator")
    scale = RatingScale.objects.get()
    assert scale.valid_from == 2025
    bands = [(b.label, b.lower, b.lower_inclusive, b.upper, b.upper_inclusive) for b in scale.bands.order_by("order")]
    assert bands == [
        ("Sangat Baik", Decimal(90), True, None, False),
        ("Baik", Decimal(70), True, Decimal(90), False),
        ("Kurang", None, True, Decimal(70), False),
    ]


def test_optional_sheets_may_be_absent():
    data = minimal_data()
    for name in ("Skala", "Pembanding", "Narasi", "Pegawai", "Rekomendasi"):
        del data[name]
    _import(data)
    assert Indicator.objects.count() == 3
    assert RatingScale.objects.count() == Benchmark.objects.count() == Narrative.objects.count() == 0


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("7,33", Decimal("7.33")),
        (7.33, Decimal("7.33")),
        ("1.234.567", Decimal("1234567")),
        (1234567, Decimal("1234567")),
        ("105,17 %", Decimal("105.17")),
        ("  7,5 ", Decimal("7.5")),
        ("-2,5", Decimal("-2.5")),
    ],
)
def test_number_cells_indonesian_text_and_numeric(cell, expected):
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = cell
    _import(data)
    assert Realization.objects.get(indicator__code="IKU1", year=2025).value == expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("Rp 18.113.307.758", Decimal("18113307758")),
        ("Rp. 18.113.307.758", Decimal("18113307758")),
        (18113307758, Decimal("18113307758")),
        ("33.417.070.609,32", Decimal("33417070609.32")),
        (33417070609.32, Decimal("33417070609.32")),
    ],
)
def test_money_cells_indonesian_text_and_numeric(cell, expected):
    data = minimal_data()
    data["Anggaran"][2]["pagu_murni"] = cell
    _import(data)
    assert BudgetLine.objects.get(item__code="2.07.03.2.01.0001").ceiling_original == expected


def test_realistic_demo_workbook_imports():
    report = workbook_import(source=BEKASI)
    assert report.ok, [str(e) for e in report.errors]
    agency = Agency.objects.get(code="bekasi-disnaker")
    assert report.year == 2025
    tpt = Indicator.objects.get(plan__agency=agency, code="TPT")
    assert tpt.polarity == "negatif" and tpt.baseline == Decimal("7.82")
    assert Realization.objects.get(indicator=tpt, year=2025, quarter=None).value == Decimal("7.33")
    assert BudgetLine.objects.get(item__code="2.07.01.2.02", year=2025).ceiling_original == Decimal(11918353000)


# ---- leniency: unknown columns/sheets, headers, order, empty rows (WORKBOOK.md) ----


def test_unknown_column_is_a_warning_and_ignored():
    data = minimal_data()
    data["Indikator"][0]["catatan_internal"] = "abaikan saya"
    report = _import(data)
    warning = find_issue(report.warnings, "Indikator", 1, "catatan_internal")
    assert "tidak dikenal" in warning.expected
    assert Indicator.objects.count() == 3


def test_unknown_sheet_is_a_warning_and_ignored():
    data = minimal_data()
    data["Catatan Saya"] = [{"apa": "saja"}]
    report = _import(data)
    warning = find_issue(report.warnings, "Catatan Saya", None, "")
    assert "sheet tidak dikenal" in warning.expected
    assert db_counts()["Indicator"] == 3


def test_unknown_instansi_key_is_a_warning():
    data = minimal_data()
    data["Instansi"]["warna_favorit"] = "biru"
    report = _import(data)
    warning = find_issue(report.warnings, "Instansi", list(data["Instansi"]).index("warna_favorit") + 2, "kunci")
    assert "tidak dikenal" in warning.expected


def test_headers_and_sheet_names_are_case_insensitive_and_trimmed():
    data = minimal_data()
    rename = {
        ("Target", "kode_indikator"): "  KODE_Indikator ",
        ("Target", "target"): "Target",
        ("Realisasi", "realisasi"): " REALISASI",
        ("Indikator", "polaritas"): "Polaritas  ",
        ("Instansi", "kunci"): " Kunci ",
        ("Instansi", "nilai"): "NILAI",
    }
    report = _import(
        data,
        rename_headers=rename,
        rename_sheets={"Target": "TARGET", "Realisasi": " realisasi ", "Renstra": "RenStra"},
    )
    assert report.warnings == []
    assert Target.objects.count() == 4
    assert Realization.objects.get(indicator__code="IKU1", year=2025).value == Decimal("7.33")
    assert Indicator.objects.get(code="IKU1").polarity == "negatif"


def test_column_order_is_free():
    data = minimal_data()
    target_columns = ["target_akhir", "tw4", "tw3", "tw2", "tw1", "target", "dokumen", "tahun", "kode_indikator"]
    anggaran_columns = ["realisasi_tw4", "pagu_murni", "tahun", "uraian", "jenis", "kode", "sasaran", "sumber_dana",
                        "pagu_perubahan", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "penanggung_jawab"]
    _import(data, headers={"Target": target_columns, "Anggaran": anggaran_columns})
    pk = Target.objects.get(indicator__code="IKU1", document="pk")
    assert pk.value == Decimal("7.5") and pk.q4 == Decimal("7.5")
    assert Target.objects.get(indicator__code="IKU1", document="renstra").end_value == Decimal("6.98")
    assert BudgetLine.objects.get(item__code="2.07.03.2.02").spent_q4 == Decimal(450000000)


def test_empty_rows_are_skipped():
    data = minimal_data()
    data["Target"].insert(2, {})  # an empty row in the middle
    data["Target"].insert(3, {"kode_indikator": "   ", "target": ""})  # whitespace only
    data["Target"].append({})
    data["Renstra"].insert(1, {})
    report = _import(data, blank_rows_after={"Realisasi": 2})
    assert Target.objects.count() == 4
    assert Realization.objects.count() == 5
    assert report.counts["target"].created == 4


def test_row_numbers_count_skipped_empty_rows():
    """An error after an empty row still names the row as Excel shows it."""
    data = minimal_data()
    data["Target"].insert(0, {})
    data["Target"][2]["target"] = "7.5"  # third data row (Excel row 4)
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok is False
    assert find_issue(report.errors, "Target", 4, "target")
