"""Belanja per jenis, statistics tables and their workbook sheets: the rules, the services with
their audit entries, the importer's errors by sheet/row/column, export and import again."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from agencies.models import Agency
from audit.models import AuditEntry
from audit.services import AuditContext
from budget.models import SpendingByType
from budget.services import SpendingTypeInput, spending_by_type_replace
from budget.spending import spending_summary
from performance.rules import RuleViolation
from sectorstats.grid import grid_from_paste, parse_cell
from sectorstats.models import StatisticsCell, StatisticsTable
from sectorstats.services import (
    TableInput,
    statistics_table_delete,
    statistics_table_move,
    statistics_table_save,
    table_contents,
)
from tests.workbook.helpers import as_file, assert_rejected, build_workbook, excel_row, minimal_data
from workbook.exporter import workbook_export
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
CTX = AuditContext()


def imported(data: dict | None = None) -> Agency:
    report = workbook_import(source=as_file(build_workbook(data or minimal_data())))
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code="uji-disnaker")


def with_sections() -> dict:
    data = minimal_data()
    data["Belanja"] = [
        {"tahun": 2025, "jenis": "pegawai", "pagu_murni": "Rp 300.000.000", "realisasi": 290000000},
        {"tahun": 2025, "jenis": "barang_jasa", "pagu_murni": 200000000, "pagu_perubahan": "218.000.000,25",
         "realisasi": "150.000.000"},
        {"tahun": 2025, "jenis": "modal", "pagu_murni": 0},
    ]
    data["Statistik"] = [
        {"kode": "3.9", "judul": "Perselisihan per bulan", "bagian": "analisis", "kode_indikator": "IKU2",
         "sumber": "Bidang HI", "kolom_1": "Bulan", "kolom_2": "Hasil / PB", "kolom_3": "Hasil / Anjuran"},
        {"kode": "lpk", "judul": "Lembaga pelatihan", "bagian": "sumber_daya", "kolom_1": "Bidang", "kolom_2": "2023"},
    ]
    data["Statistik_Isi"] = [
        {"kode_tabel": "3.9", "kolom_1": "Januari", "kolom_2": 1, "kolom_3": "-"},
        {"kode_tabel": "3.9", "kolom_1": "JUMLAH", "kolom_2": "1.117", "kolom_3": 2.5},
        {"kode_tabel": "lpk", "kolom_1": "Bahasa", "kolom_2": "7.33"},
    ]
    return data


# ---- belanja per jenis ----


def test_group_is_summed_from_its_kinds_and_shares_add_up():
    agency = imported(with_sections())
    spending = spending_summary(agency=agency, year=2025)
    operating = spending.rows[0]
    assert (operating.kind, operating.computed) == ("operasi", True)
    assert operating.ceiling_original == Decimal("500000000")
    # One kind revised: the group's pagu in force is each kind's pagu in force.
    assert operating.ceiling_amended == Decimal("518000000.25")
    assert operating.spent == Decimal("440000000")
    modal = next(r for r in spending.rows if r.kind == "modal")
    assert modal.absorption.value is None and modal.share.value == 0
    assert sum(r.share.value for r in spending.rows if r.depth == 0) == 100


def test_group_beside_its_kinds_is_refused_and_nothing_is_written():
    agency = imported()
    rows = {"operasi": SpendingTypeInput(Decimal(10)), "pegawai": SpendingTypeInput(Decimal(5))}
    with pytest.raises(RuleViolation) as refused:
        spending_by_type_replace(agency=agency, year=2025, rows=rows, ctx=CTX)
    assert "kosongkan Belanja Operasi" in refused.value.violations[0].message
    assert not SpendingByType.objects.exists()


def test_replace_audits_and_removes_what_is_not_named_and_refuses_a_stale_save():
    agency = imported()
    spending_by_type_replace(agency=agency, year=2025, ctx=CTX,
                             rows={"operasi": SpendingTypeInput(Decimal(10)), "modal": SpendingTypeInput(Decimal(2))})
    result = spending_by_type_replace(agency=agency, year=2025, rows={"modal": SpendingTypeInput(Decimal(3))}, ctx=CTX)
    assert (result.updated, result.deleted) == (1, 1)
    entries = AuditEntry.objects.filter(object_type="spendingbytype")
    assert sorted(entries.values_list("action", flat=True)) == ["create", "create", "delete", "update"]
    with pytest.raises(RuleViolation) as stale:
        spending_by_type_replace(agency=agency, year=2025, rows={}, ctx=CTX, revisions={"modal": 0})
    assert stale.value.violations[0].field == "conflict"


def test_database_refuses_a_negative_amount_and_a_second_row_of_a_kind():
    agency = imported()
    SpendingByType.objects.create(agency=agency, year=2025, kind="modal", ceiling_original=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingByType.objects.create(agency=agency, year=2025, kind="modal", ceiling_original=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        SpendingByType.objects.create(agency=agency, year=2025, kind="pegawai", ceiling_original=1, spent=-1)


def test_a_total_that_differs_from_the_program_tree_is_a_finding():
    from reports.findings import findings_for

    data = with_sections()
    imported(data)
    found = [f for f in findings_for(agency_code="uji-disnaker", year=2025) if f.code == "belanja_jenis_berbeda"]
    # The tree's pagu in force is 18.000.000.000 + 500.000.000; the by-type table says 518.000.000,25. Its
    # realisasi is not compared: modal's is not recorded, so the table has no total realisasi.
    assert [f.severity for f in found] == ["galat"]
    assert "Rp 518.000.000,25" in found[0].message and "Rp 18.500.000.000" in found[0].message


# ---- statistics tables ----


def test_cells_keep_their_text_and_get_a_number_only_in_indonesian_notation():
    assert parse_cell("1.117") == parse_cell(1117) and parse_cell("1.117").number == Decimal(1117)
    assert parse_cell("7.33").number is None and parse_cell("7.33").text == "7.33"  # ambiguous: text only
    assert parse_cell("30 Orang").number is None
    assert parse_cell(2.5).text == "2,5" and parse_cell("  ") is None
    grid = grid_from_paste("No\tSemester I / Laki-laki\n1\t35,5\n\n")
    assert grid.columns == [("", "No"), ("Semester I", "Laki-laki")] and len(grid.rows) == 1 and not grid.problems
    assert grid_from_paste("A|B\n1|2|3").problems == ["baris 1: 3 isian, tabel hanya punya 2 kolom"]


def test_statistics_table_save_move_delete_with_audit():
    agency = imported()
    grid = grid_from_paste("Bulan\tKasus\nJanuari\t2\nFebruari\t-")
    first = statistics_table_save(agency=agency, year=2025, ctx=CTX, data=TableInput(
        code="a", title="Kasus", section="analisis", columns=grid.columns, rows=grid.rows))
    second = statistics_table_save(agency=agency, year=2025, ctx=CTX, data=TableInput(
        code="b", title="Lain", section="sumber_daya", columns=[("", "X")], rows=[[parse_cell("1")]]))
    assert (first.order, second.order) == (1, 2)
    assert StatisticsCell.objects.filter(table=first).count() == 4
    with pytest.raises(RuleViolation) as twin:
        statistics_table_save(agency=agency, year=2025, ctx=CTX, data=TableInput(
            code="a", title="Ganda", section="analisis", columns=[("", "X")], rows=[]))
    assert "sudah dipakai" in twin.value.violations[0].message
    # Changing a cell changes the table's revision (its contents' fingerprint).
    changed = grid_from_paste("Bulan\tKasus\nJanuari\t3\nFebruari\t-")
    statistics_table_save(agency=agency, year=2025, ctx=CTX, table=first, revision=first.revision, data=TableInput(
        code="a", title="Kasus", section="analisis", columns=changed.columns, rows=changed.rows))
    first.refresh_from_db()
    assert first.revision == 1 and table_contents(first)[1][0][1].number == 3
    with pytest.raises(RuleViolation) as stale:
        statistics_table_save(agency=agency, year=2025, ctx=CTX, table=first, revision=0, data=TableInput(
            code="a", title="Kasus", section="analisis", columns=changed.columns, rows=changed.rows))
    assert stale.value.violations[0].field == "conflict"
    assert statistics_table_move(table=second, step=-1, ctx=CTX)
    assert list(StatisticsTable.objects.order_by("order").values_list("code", flat=True)) == ["b", "a"]
    assert not statistics_table_move(table=second, step=-1, ctx=CTX)
    statistics_table_delete(table=first, ctx=CTX)
    assert not StatisticsCell.objects.filter(table_id=first.pk).exists()
    deleted = AuditEntry.objects.filter(action="delete").values_list("object_type", flat=True)
    assert {"statisticstable", "statisticscolumn", "statisticscell"} <= set(deleted)


def test_a_table_needs_an_indicator_of_its_own_agency():
    agency = imported()
    with pytest.raises(RuleViolation) as refused:
        statistics_table_save(agency=agency, year=2025, ctx=CTX, data=TableInput(
            code="a", title="Kasus", section="analisis", columns=[("", "X")], rows=[], indicator_id=10**6))
    assert refused.value.violations[0].field == "indicator"


# ---- the workbook ----


def test_sheets_import_and_round_trip(tmp_path):
    agency = imported(with_sections())
    tables = {t.code: t for t in StatisticsTable.objects.filter(agency=agency)}
    assert tables["3.9"].indicator.code == "IKU2"
    columns, rows = table_contents(tables["3.9"])
    assert columns[1] == ("Hasil", "PB") and rows[1][1].number == Decimal(1117) and rows[1][1].text == "1.117"
    assert rows[1][2].text == "2,5" and rows[1][2].number == Decimal("2.5")
    assert table_contents(tables["lpk"])[1][0][1].number is None  # "7.33" stays text
    again = workbook_import(source=as_file(workbook_export(agency=agency, year=2025)))
    assert again.ok, [str(e) for e in again.errors]
    for key in ("spending_by_type", "statistics_table"):
        assert (again.counts[key].created, again.counts[key].updated, again.counts[key].deleted) == (0, 0, 0), key


def test_sheet_statistik_replaces_the_years_tables():
    agency = imported(with_sections())
    data = with_sections()
    data["Statistik"] = data["Statistik"][1:]
    data["Statistik_Isi"] = data["Statistik_Isi"][2:]
    report = workbook_import(source=as_file(build_workbook(data)))
    assert report.ok and report.counts["statistics_table"].deleted == 1
    assert list(StatisticsTable.objects.filter(agency=agency).values_list("code", flat=True)) == ["lpk"]


@pytest.mark.parametrize(("edit", "sheet", "row", "column", "words"), [
    (lambda d: d["Belanja"].append({"tahun": 2025, "jenis": "operasi", "pagu_murni": 5}),
     "Belanja", 5, "jenis", ("kosongkan", "Belanja Operasi")),
    (lambda d: d["Belanja"].append({"tahun": 2025, "jenis": "modal", "pagu_murni": 5}),
     "Belanja", 5, "jenis", ("tidak boleh ganda",)),
    (lambda d: d["Belanja"][0].update(jenis="gaji"), "Belanja", 2, "jenis", ("salah satu dari",)),
    (lambda d: d["Belanja"][0].update(pagu_murni="7.33"), "Belanja", 2, "pagu_murni", ("notasi Indonesia",)),
    (lambda d: d["Belanja"][0].update(pagu_murni=None), "Belanja", 2, "pagu_murni", ("wajib diisi",)),
    (lambda d: d["Statistik"][0].update(kode_indikator="XX"), "Statistik", 2, "kode_indikator", ("Indikator",)),
    (lambda d: d["Statistik"][0].update(bagian="bab9"), "Statistik", 2, "bagian", ("salah satu dari",)),
    (lambda d: d["Statistik"][0].update(kolom_2=None), "Statistik", 2, "kolom_2", ("judul kolom",)),
    (lambda d: d["Statistik_Isi"][0].update(kode_tabel="zz"), "Statistik_Isi", 2, "kode_tabel", ("sheet Statistik",)),
    (lambda d: d["Statistik_Isi"][2].update(kolom_3="lebih"), "Statistik_Isi", 4, "kolom_3", ("hanya punya 2 kolom",)),
    (lambda d: d["Statistik"].append(dict(d["Statistik"][1])), "Statistik", 4, "kode", ("tidak boleh ganda",)),
])
def test_bad_sheets_name_the_cell_and_write_nothing(edit, sheet, row, column, words):
    data = with_sections()
    edit(data)
    report = workbook_import(source=as_file(build_workbook(data)))
    assert_rejected(report, sheet, row, column, *words)
    assert not Agency.objects.exists()
    assert excel_row(0) == 2
