"""Export then import gives the same data (WORKBOOK.md): for every demo workbook and the minimal one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.db import models

from agencies.models import Agency, Government
from performance.models import AgreementProgram, Indicator, PerformanceAgreement
from tests.workbook.helpers import (
    DEMO_WORKBOOKS,
    WRITTEN_MODELS,
    as_file,
    assert_nothing_written,
    build_workbook,
    minimal_data,
    sheet_values,
)
from workbook.exporter import ExportError, workbook_export
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

# What identifies a row independently of primary keys, for the models others point at.
NATURAL_KEY = {
    "Government": lambda o: (o.name,),
    "Agency": lambda o: (o.code,),
    "StrategicPlan": lambda o: (o.agency.code, o.start_year, o.end_year),
    "PlanNode": lambda o: (o.plan.agency.code, o.code),
    "BudgetItem": lambda o: (o.agency.code, o.code),
    "Indicator": lambda o: (o.plan.agency.code, o.code),
    "PerformanceAgreement": lambda o: (o.agency.code, o.year, o.number),
    "RatingScale": lambda o: (o.agency.code if o.agency else o.government.name, o.valid_from),
}
IGNORED_FIELDS = {"id", "status_changed_at", "status_changed_by"}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.normalize()
    if isinstance(value, list):
        return tuple(value)
    return value


def snapshot() -> dict[str, list[tuple]]:
    """Every imported record as comparable data: primary keys replaced by natural keys."""
    result = {}
    for model in WRITTEN_MODELS:
        fields = [f for f in model._meta.concrete_fields if f.name not in IGNORED_FIELDS]
        rows = []
        for obj in model.objects.all():
            row = []
            for field in fields:
                if isinstance(field, models.ForeignKey):
                    related = getattr(obj, field.name)
                    row.append((field.name, NATURAL_KEY[type(related).__name__](related) if related else None))
                else:
                    row.append((field.name, _plain(getattr(obj, field.attname))))
            rows.append(tuple(row))
        result[model.__name__] = sorted(rows, key=repr)
    return result


def delete_everything() -> None:
    AgreementProgram.objects.all().delete()  # a PK's programs protect their budget items
    PerformanceAgreement.objects.filter(amends__isnull=False).delete()  # amendments protect what they amend
    Agency.objects.all().delete()  # cascades to everything the agency owns
    Government.objects.all().delete()
    assert_nothing_written()


def import_ok(source) -> Any:
    report = workbook_import(source=source)
    assert report.ok, [str(e) for e in report.errors][:20]
    return report


def changed(report) -> dict[str, tuple[int, int, int]]:
    return {
        k: (c.created, c.updated, c.deleted) for k, c in report.counts.items() if c.created or c.updated or c.deleted
    }


def assert_same_workbook(first: bytes, second: bytes) -> None:
    a, b = sheet_values(first), sheet_values(second)
    assert list(a) == list(b), "different sheets"
    for name in a:
        assert len(a[name]) == len(b[name]), f"sheet {name}: {len(a[name])} vs {len(b[name])} rows"
        for number, (row_a, row_b) in enumerate(zip(a[name], b[name], strict=True), start=1):
            assert row_a == row_b, f"sheet {name} row {number}: {row_a} != {row_b}"


def export_of(report) -> bytes:
    return workbook_export(agency=Agency.objects.get(code=report.agency_code), year=report.year)


@pytest.mark.parametrize("path", DEMO_WORKBOOKS, ids=[p.stem for p in DEMO_WORKBOOKS])
def test_demo_workbook_round_trip(path):
    original = import_ok(path)
    imported = snapshot()
    first_export = export_of(original)

    # The export, imported back into the same database, changes nothing.
    assert changed(import_ok(as_file(first_export))) == {}
    assert snapshot() == imported

    # Into an empty database it recreates exactly the same records ...
    delete_everything()
    again = import_ok(as_file(first_export))
    assert (again.agency_code, again.year) == (original.agency_code, original.year)
    assert snapshot() == imported

    # ... and exports to the same workbook, sheet by sheet, cell by cell.
    second_export = export_of(again)
    assert_same_workbook(first_export, second_export)
    assert changed(import_ok(as_file(second_export))) == {}


def test_demo_export_covers_the_required_sheets():
    report = import_ok(DEMO_WORKBOOKS[0])
    sheets = sheet_values(export_of(report))
    assert {"Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran"} <= set(sheets)
    assert sheets["Instansi"][0] == ("kunci", "nilai")


def test_minimal_workbook_round_trip_keeps_every_value():
    original = import_ok(as_file(build_workbook()))
    imported = snapshot()
    exported = export_of(original)
    delete_everything()
    import_ok(as_file(exported))
    assert snapshot() == imported
    assert_same_workbook(exported, export_of(original))


def test_export_writes_indonesian_values_as_numbers():
    original = import_ok(as_file(build_workbook()))
    sheets = sheet_values(export_of(original))
    header = sheets["Realisasi"][0]
    rows = [dict(zip(header, row, strict=True)) for row in sheets["Realisasi"][1:]]
    iku1 = next(r for r in rows if r["kode_indikator"] == "IKU1" and r["tahun"] == 2025)
    assert iku1["realisasi"] == 7.33 and iku1["triwulan"] is None
    header = sheets["Anggaran"][0]
    money = {row[0]: dict(zip(header, row, strict=True)) for row in sheets["Anggaran"][1:]}
    assert money["2.07.03.2.01.0001"]["pagu_murni"] == 18113307758
    assert money["2.07.03.2.01"]["pagu_murni"] is None  # parents carry no money


def test_export_of_a_year_outside_every_renstra_fails_cleanly():
    import_ok(as_file(build_workbook()))
    with pytest.raises(ExportError, match="Tidak ada Renstra uji-disnaker yang mencakup tahun 2035"):
        workbook_export(agency=Agency.objects.get(code="uji-disnaker"), year=2035)


def test_budget_items_without_money_survive_the_round_trip():
    """An item with no money in any year still owns indicators; the export must keep it, in a year
    where no ancestor carries money of its own."""
    data = minimal_data()
    data["Anggaran"] += [
        # a program the agency records no amounts for, owning an indicator
        {"kode": "2.07.04", "jenis": "program", "uraian": "Program tanpa rupiah", "tahun": 2025},
        # a program with money in 2025 and a moneyless kegiatan under it in 2024
        {"kode": "2.07.05", "jenis": "program", "uraian": "Program berpagu", "tahun": 2025, "pagu_murni": 1000},
        {"kode": "2.07.05", "jenis": "program", "uraian": "Program berpagu", "tahun": 2024},
        {"kode": "2.07.05.2.01", "jenis": "kegiatan", "uraian": "Kegiatan tanpa rupiah", "tahun": 2024},
    ]
    data["Indikator"] += [
        {"kode": "IKP4", "pemilik": "2.07.04", "nama": "Indikator program", "satuan": "%", "polaritas": "positif"},
        {"kode": "IKK5", "pemilik": "2.07.05.2.01", "nama": "Indikator kegiatan", "satuan": "%",
         "polaritas": "positif"},
    ]
    original = import_ok(as_file(build_workbook(data)))
    imported = snapshot()
    exported = export_of(original)
    anggaran = sheet_values(exported)["Anggaran"]
    codes_years = {(row[0], row[4]) for row in anggaran[1:]}
    assert ("2.07.04", 2025) in codes_years
    assert ("2.07.05", 2025) in codes_years  # its money row
    assert ("2.07.05.2.01", 2025) not in codes_years  # would turn the 2025 program row into a parent
    delete_everything()
    import_ok(as_file(exported))
    assert snapshot() == imported


def test_text_that_starts_with_an_equals_sign_is_exported_as_text():
    """openpyxl writes any string starting with "=" as a formula; the importer refuses formulas (and read
    them as blank before), so such a text would not survive the round trip."""
    original = import_ok(as_file(build_workbook()))
    text = "= penganggur / angkatan kerja × 100%"
    Indicator.objects.filter(code="IKU1").update(definition=text)
    exported = export_of(original)
    delete_everything()
    import_ok(as_file(exported))
    assert Indicator.objects.get(code="IKU1").definition == text


PK_SHEETS = ("PK", "PK_Anggaran", "PK_Alasan")


@pytest.mark.parametrize("path", DEMO_WORKBOOKS, ids=[p.stem for p in DEMO_WORKBOOKS])
def test_demo_pk_sheets_come_back_as_the_source_gives_them(path):
    source = sheet_values(path.read_bytes())
    exported = sheet_values(export_of(import_ok(path)))
    for name in PK_SHEETS:
        assert (name in exported) == (name in source), name
        if name not in source:
            continue
        header = source[name][0]
        keys = [c for c in ("dokumen", "tahun", "kode_program", "kode_indikator") if c in header]
        wanted = [tuple(row[header.index(k)] for k in keys) for row in source[name][1:]]
        got = [tuple(row[exported[name][0].index(k)] for k in keys) for row in exported[name][1:]]
        assert sorted(got) == sorted(wanted), name


def test_demo_in_its_pk_states_exports_and_imports_back_unchanged(settings):
    """After load_demo some PKs are approved or submitted: their export imports back writing nothing,
    and since the status is not exported, export → import into an empty database → export is the
    same workbook."""
    from io import StringIO

    from django.core.management import call_command

    settings.EMBEDDED = True
    call_command("load_demo", stdout=StringIO())
    assert PerformanceAgreement.objects.filter(status="approved").exists()
    first = {}
    for agency in Agency.objects.order_by("code"):
        year = agency.years.order_by("-year").first().year
        first[agency.code] = (year, workbook_export(agency=agency, year=year))
        assert changed(import_ok(as_file(first[agency.code][1]))) == {}, agency.code
    sheets = sheet_values(first["bekasi-disnaker"][1])
    assert [row[:2] for row in sheets["PK"][1:]] == [("pk", 2025), ("pk_perubahan", 2025)]  # the correction
    delete_everything()
    for code, (year, data) in first.items():
        import_ok(as_file(data))
        assert_same_workbook(data, workbook_export(agency=Agency.objects.get(code=code), year=year))
