"""The measurement layer's analysis on the demo agencies, read from the document's snapshot:
indicators with no target still listed with their benchmarks (Tangerang TPT/TPAK, Pontianak
IK.2.07.04.2.03), the cap used in averaging, the default rating scale, efficiency that says an
activity did not run, counts computed once, and earlier years flagged as incomplete."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from agencies.models import Agency
from lkjip.numbers import round2
from performance import calculations as calc
from performance.measurement import measure
from performance.models import RatingBand, RatingScale
from reports.snapshot import build_snapshot
from workbook.demo_periods import data_periods_recorded
from workbook.services import workbook_import

DEMO = Path(__file__).resolve().parents[2] / "demo"
YEARS = {"tangerang-disnaker": 2025, "banjar-disnakertrans": 2025, "bekasi-disnaker": 2025,
         "pontianak-disnaker": 2023, "serang-disnakertrans": 2021}

pytestmark = pytest.mark.django_db


def load(code: str) -> Agency:
    report = workbook_import(source=DEMO / "workbooks" / f"{code}.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    agency = Agency.objects.get(code=code)
    data_periods_recorded(agency=agency)  # as load_demo does
    return agency


def snapshot_of(code: str) -> dict:
    return build_snapshot(agency=load(code), year=YEARS[code])


def indicators(snapshot: dict) -> dict[str, dict]:
    return {i["code"]: i for g in snapshot["measurement"]["groups"] for i in g["indicators"]}


def group(snapshot: dict, code: str) -> dict:
    return next(g for g in snapshot["measurement"]["groups"] if g["code"] == code)


def test_tangerang_tpt_tpak_listed_with_benchmarks_and_t1_capped():
    s = snapshot_of("tangerang-disnaker")
    listed = indicators(s)
    for code in ("TPT", "TPAK"):
        assert listed[code]["state"] == "tanpa_target_dan_realisasi", code
        assert listed[code]["achievement"]["value"] is None
        assert listed[code]["benchmarks"], code
    tables = {t["code"]: t for t in s["benchmarks"]}
    tpt = {row["year"]: row["values"] for row in tables["TPT"]["rows"]}
    assert [c["code"] for c in tables["TPT"]["scopes"]] == ["kabupaten_kota", "provinsi", "nasional"]
    assert {scope: Decimal(v["value"]) for scope, v in tpt[2025].items()} == {
        "kabupaten_kota": Decimal("5.89"), "provinsi": Decimal("6.64"), "nasional": Decimal("4.85")}
    tpak = {row["year"]: row["values"] for row in tables["TPAK"]["rows"]}
    assert tpak[2025]["kabupaten_kota"] == {"value": None, "source": "Badan Pusat Statistik", "note": "belum rilis"}
    assert Decimal(tpak[2024]["provinsi"]["value"]) == Decimal("66.17")
    assert tables["TPT"]["sources"] == ["Badan Pusat Statistik"]

    # Tujuan T1: TPTK 119,59, IKD17 161,29 and IKD18 330,96 (shown uncapped) counted at most 120 %;
    # TPT and TPAK have no capaian and do not count as 0.
    t1 = group(s, "T1")
    assert round2(Decimal(t1["achievement"]["value"])) == Decimal("119.86")  # uncapped: 203,95
    assert round2(Decimal(listed["IKD18"]["achievement"]["value"])) == Decimal("330.96")
    assert s["scale"]["objective_cap"] == "120" and s["scale"]["cap_source"] == "bawaan"
    assert s["scale"]["cap_statement"] == "Capaian indikator di atas 120 % dihitung 120 % dalam rata-rata."


def test_the_cap_is_the_pemdas_choice():
    agency = load("tangerang-disnaker")
    scale = RatingScale.objects.create(government=agency.government, name="Skala Pemda", valid_from=2025,
                                       objective_uncapped=True)
    for order, band in enumerate(calc.DEFAULT_BANDS):
        RatingBand.objects.create(scale=scale, order=order, label=band.label, lower=band.lower,
                                  lower_inclusive=band.lower_inclusive, upper=band.upper,
                                  upper_inclusive=band.upper_inclusive)
    uncapped = measure(agency=agency, year=2025)
    t1 = next(g for g in uncapped.groups if g.code == "T1")
    assert (uncapped.cap, uncapped.cap_source, uncapped.scale_default) == (None, "tanpa", False)
    assert round2(t1.achievement.value) == Decimal("203.95")
    RatingScale.objects.filter(pk=scale.pk).update(objective_uncapped=False, objective_cap=Decimal(150))
    capped = measure(agency=agency, year=2025)
    assert round2(next(g for g in capped.groups if g.code == "T1").achievement.value) == Decimal("139.86")
    with pytest.raises(IntegrityError), transaction.atomic():
        RatingScale.objects.filter(pk=scale.pk).update(objective_uncapped=True)  # a cap and "no cap" at once


def test_serang_is_rated_on_the_default_scale_and_says_so():
    s = snapshot_of("serang-disnakertrans")
    assert s["scale"]["default"] is True
    assert "Permendagri Nomor 86 Tahun 2017" in s["scale"]["name"]
    assert [b["label"] for b in s["scale"]["bands"]] == ["Sangat Tinggi", "Tinggi", "Sedang", "Rendah",
                                                         "Sangat Rendah"]
    listed = indicators(s)
    assert listed["TRANS"]["rating"] == "Tinggi"  # 88,20
    assert listed["AKB"]["rating"] == "Sangat Tinggi"  # 100
    rated = [i for i in listed.values() if i["achievement"]["value"] is not None]
    assert rated and all(i["rating"] for i in rated)  # no "Belum dapat dinilai" for a measured indicator
    scale_findings = [f for f in s["findings"] if f["code"] == "skala_belum_ada"]
    assert len(scale_findings) == 1 and scale_findings[0]["severity"] == "peringatan"
    assert "skala bawaan Permendagri Nomor 86 Tahun 2017" in scale_findings[0]["message"]


def test_pontianak_training_that_did_not_run_is_not_efficient():
    s = snapshot_of("pontianak-disnaker")
    assert indicators(s)["IK.2.07.04.2.03"]["state"] == "tanpa_target_dan_realisasi"  # no longer dropped
    row = next(r for r in s["efficiency"] if r["code"] == "T1.S1")
    assert row["gap"] is None and row["verdict"] != "efisien"  # was "+83,67 poin efisien"
    assert "tidak dilaksanakan" in row["verdict_label"]
    assert round2(Decimal(row["difference"])) == Decimal("83.67")
    training = next(p for p in row["programs"] if p["code"] == "2.07.03")
    assert round2(Decimal(training["absorption"]["value"])) == Decimal("3.62")
    assert [a["code"] for a in training["activities_not_run"]] == ["2.07.03.2.01"]
    assert "realisasi keluaran 0 dari target 52" in training["activities_not_run"][0]["reason"]
    assert "tidak dilaksanakan" in training["verdict_label"]
    placement = next(p for p in row["programs"] if p["code"] == "2.07.04")
    assert placement["verdict"] == "tidak_efisien" and placement["activities_not_run"] == []
    flagged = [f for f in s["findings"] if f["code"] == "capaian_program_kegiatan_tidak_dilaksanakan"]
    assert len(flagged) == 1 and "96,15 %" in flagged[0]["message"] and "2.07.03.2.01" in flagged[0]["message"]
    # Sasaran T1.S2 ran: its line keeps the difference the report prints.
    s2 = next(r for r in s["efficiency"] if r["code"] == "T1.S2")
    assert s2["verdict"] == "tidak_efisien" and round2(Decimal(s2["gap"])) == Decimal("-35.07")


def test_pontianak_2022_is_flagged_as_october_to_december():
    s = snapshot_of("pontianak-disnaker")
    previous = s["budget_previous"]["completeness"]
    assert s["budget_previous"]["year"] == 2022 and previous["complete"] is False
    assert previous["months"] == {"from": 10, "to": 12} and previous["period"] == "Oktober–Desember 2022"
    iku1 = indicators(s)["IKU1"]
    point = next(p for p in iku1["history"] if p["year"] == 2022)
    assert point["complete"] is False and any("Oktober–Desember 2022" in m for m in point["missing"])
    trend = next(r for r in s["trends"]["rows"] if r["code"] == "IKU1")
    assert s["trends"]["years"] == [2021, 2022, 2023]
    assert next(c for c in trend["values"] if c["year"] == 2022)["complete"] is False
    messages = [f["message"] for f in s["findings"] if f["code"] == "data_tahun_lalu_tidak_lengkap"]
    assert any("Data Tahun 2022 hanya mencakup Oktober–Desember 2022" in m for m in messages)


def test_bekasi_2024_budget_flagged_with_the_lines_it_lacks():
    s = snapshot_of("bekasi-disnaker")
    previous = s["budget_previous"]["completeness"]
    assert previous["available"] is True and previous["complete"] is False
    absent = {a["code"]: a["name"] for a in previous["absent"]}
    assert absent["2.07.01.2.02"] == "Administrasi Keuangan Perangkat Daerah"
    messages = [f["message"] for f in s["findings"] if f["code"] == "data_tahun_lalu_tidak_lengkap"]
    assert len(messages) == 1 and "Administrasi Keuangan Perangkat Daerah" in messages[0]
    # TPT against the Renstra end target 6,98: capaian 94,99 % by the negative formula, and 0,35 still to fall.
    tpt = next(r for r in s["trends"]["rows"] if r["code"] == "TPT")
    assert round2(Decimal(tpt["end_achievement"])) == Decimal("94.99")
    assert (Decimal(tpt["end_remaining"]), tpt["end_direction"], tpt["end_reached"]) == (Decimal("0.35"), "turun", False)
    assert [c["year"] for c in tpt["values"]] == [2023, 2024, 2025]
    assert indicators(s)["TPT"]["end_direction"] == "turun"


@pytest.mark.parametrize("code", sorted(YEARS))
def test_counts_are_computed_once_and_agree_with_every_use(code):
    s = snapshot_of(code)
    counts = s["counts"]
    rows = Counter(r["kind"] for r in s["budget"]["rows"])
    assert counts["budget"] == {kind: rows.get(kind, 0) for kind in ("program", "kegiatan", "subkegiatan")}
    groups = s["measurement"]["groups"]
    owned = Counter(g["kind_code"] for g in groups if not g["strategic"])
    assert counts["with_indicators"] == {kind: owned.get(kind, 0) for kind in ("program", "kegiatan", "subkegiatan")}
    total = sum(len(g["indicators"]) for g in groups)
    legacy = s["measurement"]["counts"]
    assert counts["indicators"]["total"] == legacy["indicators"] == total == len(s["plan"]["indicators"])
    assert counts["indicators"]["measured"] == legacy["measured"] == sum(
        1 for g in groups for i in g["indicators"] if i["achievement"]["value"] is not None)
    assert counts["indicators"]["met"] == legacy["met"]
    assert counts["groups"]["strategic"] == legacy["objectives"] == sum(1 for g in groups if g["strategic"])
    assert sum(counts["indicators"]["by_state"].values()) == total
    assert counts["supporting"]["program"] == len({p["code"] for r in s["efficiency"] for p in r["programs"]})


def test_a_period_or_cap_that_contradicts_itself_is_refused_in_indonesian(db):
    from django.core.exceptions import ValidationError

    from agencies.models import AgencyYear

    agency = load("pontianak-disnaker")
    with pytest.raises(ValidationError, match="bulan awal tidak sesudah bulan akhir"):
        AgencyYear(agency=agency, year=2021, data_from_month=11, data_to_month=3).full_clean()
    with pytest.raises(ValidationError, match="harus lebih dari 0"):
        RatingScale(agency=agency, name="Uji", valid_from=2030, objective_cap=Decimal(120),
                    objective_uncapped=True).full_clean()
