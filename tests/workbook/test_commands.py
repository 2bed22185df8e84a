"""manage.py import_workbook / export_workbook."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency
from performance.models import Indicator
from tests.workbook.helpers import (
    BEKASI,
    assert_nothing_written,
    build_workbook,
    db_counts,
    minimal_data,
    write,
)
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_prints_the_summary():
    out, err = run("import_workbook", str(BEKASI))
    assert "Impor selesai. bekasi-disnaker tahun 2025." in out
    indicators = Indicator.objects.filter(plan__agency__code="bekasi-disnaker").count()
    assert indicators > 0
    assert f"Indikator: {indicators} baru, 0 diperbarui, 0 tetap" in out
    assert "Galat" not in err


def test_import_again_reports_everything_unchanged():
    run("import_workbook", str(BEKASI))
    out, _ = run("import_workbook", str(BEKASI))
    indicators = Indicator.objects.count()
    assert f"Indikator: 0 baru, 0 diperbarui, {indicators} tetap" in out


def test_import_with_errors_raises_and_prints_every_error(tmp_path):
    data = minimal_data()
    data["Target"][0]["target"] = "7.73"
    data["Indikator"][1]["polaritas"] = "naik"
    path = write(tmp_path, build_workbook(data))
    err = io.StringIO()
    with pytest.raises(CommandError, match="2 galat; tidak ada data yang disimpan"):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    printed = err.getvalue()
    assert "Galat: Sheet Target, baris 2, kolom target: nilai '7.73' — angka dalam notasi Indonesia" in printed
    assert (
        "Galat: Sheet Indikator, baris 3, kolom polaritas: nilai 'naik' — salah satu dari: positif, negatif" in printed
    )
    assert_nothing_written()


def test_import_prints_warnings(tmp_path):
    data = minimal_data()
    data["Indikator"][0]["kolom_lain"] = "x"
    out, err = run("import_workbook", str(write(tmp_path, build_workbook(data))))
    assert "Peringatan: Sheet Indikator, baris 1, kolom kolom_lain" in err
    assert "Impor selesai." in out


def test_import_of_a_file_that_is_not_a_workbook_raises_command_error(tmp_path):
    path = write(tmp_path, b"bukan excel", "laporan.xlsx")
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 galat"):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    assert "Galat: Berkas" in err.getvalue() and "bukan .xlsx" in err.getvalue()
    assert_nothing_written()


def test_import_of_a_missing_path_raises_command_error(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_workbook", str(tmp_path / "tidak-ada.xlsx"), stdout=io.StringIO(), stderr=io.StringIO())


def test_dry_run_writes_nothing_and_says_so():
    out, _ = run("import_workbook", str(BEKASI), "--dry-run")
    assert "Uji coba: tidak ada yang disimpan. bekasi-disnaker tahun 2025." in out
    assert "Indikator: " in out and " baru" in out
    assert_nothing_written()


def test_export_writes_a_file_that_imports(tmp_path):
    run("import_workbook", str(BEKASI))
    before = db_counts()
    target = tmp_path / "ekspor.xlsx"
    out, _ = run("export_workbook", "--agency", "bekasi-disnaker", "--year", "2025", "--output", str(target))
    assert f"Workbook ditulis ke {target}" in out
    assert target.stat().st_size > 0
    report = workbook_import(source=target)
    assert report.ok, [str(e) for e in report.errors]
    assert report.agency_code == "bekasi-disnaker" and report.year == 2025
    assert all(c.created == c.updated == 0 for c in report.counts.values())
    assert db_counts() == before


def test_export_of_an_unknown_agency():
    with pytest.raises(CommandError, match="Perangkat daerah dengan kode 'tidak-ada' tidak ditemukan"):
        call_command("export_workbook", "--agency", "tidak-ada", "--year", "2025", "--output", "/tmp/x.xlsx")


def test_export_of_a_year_without_renstra(tmp_path):
    run("import_workbook", str(BEKASI))
    with pytest.raises(CommandError, match="Tidak ada Renstra bekasi-disnaker yang mencakup tahun 2040"):
        call_command("export_workbook", "--agency", "bekasi-disnaker", "--year", "2040",
                     "--output", str(tmp_path / "x.xlsx"))


def test_export_to_an_unwritable_path(tmp_path):
    run("import_workbook", str(BEKASI))
    assert Agency.objects.filter(code="bekasi-disnaker").exists()
    with pytest.raises(CommandError, match="Tidak dapat menulis"):
        call_command("export_workbook", "--agency", "bekasi-disnaker", "--year", "2025",
                     "--output", str(tmp_path / "tidak" / "ada" / "x.xlsx"))


def test_import_with_more_errors_than_are_listed_prints_the_total(tmp_path):
    data = minimal_data()
    data["Realisasi"] += [{"kode_indikator": f"X{i}", "tahun": 2025, "realisasi": 1} for i in range(1200)]
    path = write(tmp_path, build_workbook(data))
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"^1\.200 galat; tidak ada data yang disimpan"):
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    printed = err.getvalue()
    assert printed.count("Galat: ") == 500
    assert "Hanya 500 galat pertama yang ditampilkan dari 1.200." in printed
    assert_nothing_written()
