"""The checklist's proposals from real snapshots: the demo's Bekasi (a PK target that differs from
the Renstra without a reason) and the minimal workbook; and the pure functions on hand-made cases."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencies.models import Agency
from reports.snapshot import build_snapshot
from reviews import checklist
from reviews.checklist import Facts
from workbook.services import workbook_import

BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


@pytest.mark.django_db
def test_bekasi_proposals():
    assert workbook_import(source=BEKASI).ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    snapshot = build_snapshot(agency=bekasi, year=2025)
    found = checklist.proposals(snapshot, Facts(entries=3, unsourced=["TPT TW IV"]))
    assert set(found) == {item.code for item in checklist.ITEMS}
    # The app's own recomputation agrees with the document (it computed it): 99,86 %, not the printed 94 %.
    assert found["hitung_ulang"].status in ("terpenuhi", "dengan_catatan")
    assert "berbeda:" not in found["hitung_ulang"].condition
    assert "7,32" in found["target_pk"].condition and found["target_pk"].status != "terpenuhi"
    assert "TPT TW IV" in found["bukti"].condition and found["bukti"].status == "dengan_catatan"


def _snapshot(**indicator) -> dict:
    base = {"code": "TPT", "name": "TPT", "polarity": "negatif", "aggregation": "akhir", "target": "7.73",
            "actual": "7.33", "achievement": {"value": "105.17464424320827943078913325", "reason": ""},
            "quarters": [None, None, None, None], "met": True, "history": [], "benchmarks": [], "narratives": {},
            "end_target": None, "target_document": "PK Murni"}
    return {"year": 2025, "measurement": {"groups": [{"strategic": True, "indicators": [{**base, **indicator}]}]}}


def test_recomputation_catches_a_wrong_capaian_and_a_quarter_mismatch():
    assert checklist.recomputation(_snapshot(), Facts()).status == "terpenuhi"
    wrong = checklist.recomputation(_snapshot(achievement={"value": "94", "reason": ""}), Facts())
    assert wrong.status == "tidak_terpenuhi" and "dokumen 94,00 %" in wrong.condition and "105,17 %" in wrong.condition
    summed = checklist.recomputation(_snapshot(aggregation="kumulatif", quarters=["1", "2", "3", "1"],
                                               polarity="positif", target="7.33",
                                               achievement={"value": "100", "reason": ""}), Facts())
    assert summed.status == "dengan_catatan" and "agregasi triwulannya" in summed.condition


def test_explanations_comparisons_and_signature():
    below = _snapshot(met=False, achievement={"value": "80", "reason": ""}, actual="9.28")
    assert checklist.explanations(below, Facts()).status == "tidak_terpenuhi"
    explained = _snapshot(met=False, achievement={"value": "80", "reason": ""}, actual="9.28",
                          narratives={"analisis": "a", "penghambat": "b", "upaya": "c"})
    assert checklist.explanations(explained, Facts()).status == "terpenuhi"
    assert checklist.comparisons(_snapshot(), Facts()).status == "tidak_terpenuhi"
    import datetime

    late = {"signatory": {"name": "Siti", "date": "2026-04-02"}}
    assert checklist.signed(late, Facts(deadline=datetime.date(2026, 3, 31))).status == "dengan_catatan"
    assert checklist.signed({"signatory": {}}, Facts()).status == "tidak_terpenuhi"
