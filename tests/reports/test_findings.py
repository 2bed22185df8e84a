from __future__ import annotations

from decimal import Decimal

import pytest

from performance.models import Narrative, PerformanceAgreement, RatingBand, RatingScale, Realization, Target
from reports.findings import findings_for
from tests import factories

pytestmark = pytest.mark.django_db


def codes(agency_code: str, year: int = 2025) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in findings_for(agency_code=agency_code, year=year):
        found.setdefault(finding.code, []).append(finding.message)
    return found


@pytest.fixture
def agency():
    return factories.agency("dinas-uji")


def test_spending_above_ceiling(agency):
    factories.budget_leaf(agency, ceiling="1000", spent="1200")
    assert "Rp 1.200" in codes("dinas-uji")["realisasi_melebihi_pagu"][0]


def test_cumulative_indicator_that_decreases(agency):
    indicator = factories.measured_indicator(agency, actual=None, polarity="positif")
    indicator.aggregation = "kumulatif"
    indicator.save()
    Realization.objects.create(indicator=indicator, year=2025, quarter=1, value=Decimal(5))
    Realization.objects.create(indicator=indicator, year=2025, quarter=2, value=Decimal(-2))
    assert "kumulatif_menurun" in codes("dinas-uji")


def test_capaian_above_150_and_below_100_without_explanation(agency):
    factories.measured_indicator(agency, code="HIGH", target="10", actual="16", polarity="positif")
    low = factories.measured_indicator(agency, code="LOW", target="10", actual="8", polarity="positif")
    found = codes("dinas-uji")
    assert any("HIGH" in m for m in found["capaian_di_atas_150"])
    assert any("LOW" in m for m in found["capaian_tanpa_penjelasan"])
    Narrative.objects.create(agency=agency, year=2025, section="penghambat", indicator=low, text="Sebab.")
    assert "capaian_tanpa_penjelasan" not in codes("dinas-uji")


def test_pk_target_differing_from_renstra_without_revision(agency):
    indicator = factories.measured_indicator(agency, target="7.32")
    Target.objects.create(indicator=indicator, year=2025, document="renstra", value=Decimal("7.73"))
    assert "target_pk_beda_renstra" in codes("dinas-uji")
    assert "tanpa perubahan Renstra yang tercatat" in codes("dinas-uji")["target_pk_beda_renstra"][0]
    revised = Target.objects.create(indicator=indicator, year=2025, document="renstra", version="perubahan",
                                    value=Decimal("7.50"))
    message = codes("dinas-uji")["target_pk_beda_renstra"][0]
    assert "7,5 pada Renstra Perubahan" in message and "tanpa perubahan" not in message
    revised.value = Decimal("7.32")
    revised.save()
    assert "target_pk_beda_renstra" not in codes("dinas-uji")


def test_pk_target_differing_from_renstra_with_a_recorded_reason_is_explained(agency):
    indicator = factories.measured_indicator(agency, target="7.32")
    Target.objects.create(indicator=indicator, year=2025, document="renstra", value=Decimal("7.73"))
    assert "target_pk_beda_renstra" in codes("dinas-uji")
    Target.objects.filter(indicator=indicator, document="pk").update(reason="Disesuaikan dengan target RKPD 2025")
    assert "target_pk_beda_renstra" not in codes("dinas-uji")


def test_the_pk_in_force_is_compared_with_the_renstra(agency):
    """With a PK Perubahan, its target is the one measured and the one checked."""
    indicator = factories.measured_indicator(agency, target="7.73")
    Target.objects.create(indicator=indicator, year=2025, document="renstra", value=Decimal("7.73"))
    murni = PerformanceAgreement.objects.get(agency=agency, year=2025)
    amendment = PerformanceAgreement.objects.create(agency=agency, year=2025, number=1, version="perubahan",
                                                    amends=murni)
    assert "target_pk_beda_renstra" not in codes("dinas-uji")
    Target.objects.create(indicator=indicator, year=2025, document="pk", version="perubahan", agreement=amendment,
                          value=Decimal("7.10"))
    (message,) = codes("dinas-uji")["target_pk_beda_renstra"]
    assert "target PK Perubahan 7,1 berbeda dari target 7,73 pada Renstra" in message


def test_unapproved_or_missing_pk(agency):
    factories.measured_indicator(agency, target="7.73")
    (message,) = codes("dinas-uji")["pk_belum_disetujui"]
    assert message.startswith("PK Murni tahun 2025 belum disetujui (status: Draf)")
    PerformanceAgreement.objects.filter(agency=agency).delete()
    assert codes("dinas-uji")["pk_belum_disetujui"][0].startswith("Perjanjian Kinerja tahun 2025 belum tercatat")


def test_missing_fourth_quarter_and_missing_source(agency):
    indicator = factories.measured_indicator(agency, actual=None)
    Realization.objects.create(indicator=indicator, year=2025, quarter=1, value=Decimal(8))
    found = codes("dinas-uji")
    assert "tw4_kosong" in found
    assert found["tanpa_bukti"] == ["1 realisasi tahun 2025 belum mencantumkan sumber/bukti."]


def test_scale_missing_then_scale_with_gap(agency):
    factories.measured_indicator(agency)
    assert "skala_belum_ada" in codes("dinas-uji")
    scale = RatingScale.objects.create(agency=agency, name="Uji", valid_from=2020)
    RatingBand.objects.create(scale=scale, label="Rendah", lower=None, upper=Decimal(50), upper_inclusive=True)
    RatingBand.objects.create(scale=scale, label="Tinggi", lower=Decimal(51), lower_inclusive=True, upper=None)
    found = codes("dinas-uji")
    assert "skala_belum_ada" not in found
    assert any("celah" in m for m in found["skala_bercelah"])
