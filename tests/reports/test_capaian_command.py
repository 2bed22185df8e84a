from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


@pytest.fixture
def bekasi():
    assert workbook_import(source=BEKASI).ok


def run(*args: str) -> str:
    out = StringIO()
    call_command("capaian", *args, stdout=out)
    return out.getvalue()


def test_text_table_shows_targets_quarters_capaian_and_budget(bekasi):
    text = run("--agency", "bekasi-disnaker", "--year", "2025")
    assert "PENGUKURAN KINERJA DINAS TENAGA KERJA KOTA BEKASI TAHUN 2025" in text
    tpt = next(line for line in text.splitlines() if line.startswith("TPT "))
    assert "7,32" in tpt and "PK" in tpt and "7,33" in tpt and "99,86 %" in tpt
    assert "Target Renstra: 7,73 → capaian 105,17 %" in text
    assert "Capaian belum tersedia: Realisasi belum tersedia" in text  # TPAK has no realisasi, never 0 %
    assert "Rp 18.113.302.758" in text and "Rp 17.745.401.889" in text and "97,97 %" in text


def test_json_numbers_are_strings_with_full_precision(bekasi):
    data = json.loads(run("--agency", "bekasi-disnaker", "--year", "2025", "--format", "json"))
    indicators = [i for g in data["measurement"]["groups"] for i in g["indicators"]]
    tpt = next(i for i in indicators if i["code"] == "TPT")
    assert tpt["target"] == "7.3200" and tpt["target_document"] == "PK"
    assert Decimal(tpt["achievement"]["value"]) == (2 * Decimal("7.32") - Decimal("7.33")) / Decimal("7.32") * 100
    renstra = next(t for t in tpt["other_targets"] if t["document"] == "Renstra")
    assert renstra["achievement"]["value"].startswith("105.174")
    assert len(renstra["achievement"]["value"]) > 10  # not rounded
    tpak = next(i for i in indicators if i["code"] == "TPAK")
    assert tpak["achievement"] == {"value": None, "reason": "Realisasi belum tersedia"}
    assert data["budget"]["spent"] == "17745401889.00"
    assert data["budget"]["ceiling"] == "18113302758.00"
    assert data["agency"]["code"] == "bekasi-disnaker" and data["year"] == 2025


def test_unknown_agency_or_year_is_a_clear_error(bekasi):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run("--agency", "tidak-ada", "--year", "2025")
    with pytest.raises(CommandError, match="Tidak ada Renstra"):
        run("--agency", "bekasi-disnaker", "--year", "2010")
