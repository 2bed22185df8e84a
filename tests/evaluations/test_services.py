import datetime
from decimal import Decimal as D

import pytest

from audit.models import AuditEntry
from audit.services import AuditContext
from evaluations import services
from evaluations.models import Evaluation, EvaluationScore
from evaluations.rules import RuleViolation
from evaluations.selectors import evaluation_data, evaluations_of
from performance.models import Recommendation

from .conftest import BANJAR

pytestmark = pytest.mark.django_db
CTX = AuditContext(reason="uji")


def _data(agency, year=2024):
    return evaluation_data(evaluations_of(agency=agency, years=[year]).get())


def test_banjar_is_recorded_with_the_printed_figure_kept_apart(agency):
    evaluation = services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX,
                                          printed_total=D("80.33"), printed_predikat="A",
                                          printed_source="LKjIP 2025 Tabel 3.9", evaluator="Inspektorat")
    assert evaluation.follow_up_year == 2025
    data = _data(agency)
    assert data["total"] == "80.3200" and data["predikat"]["label"] == "A"
    assert data["predikat"]["meaning"] == "Memuaskan"
    assert data["printed_total"] == "80.3300" and data["total_differs"] and not data["predikat_differs"]
    assert [c["weight"] for c in data["components"]] == ["30.00", "30.00", "15.00", "25.00"]
    assert data["framework"] == {"name": "PermenPANRB 88/2021", "valid_from": 2021}
    entries = AuditEntry.objects.filter(object_type__in=["evaluation", "evaluationscore"])
    assert entries.count() == 5 and {e.reason for e in entries} == {"uji"}


def test_unchanged_save_writes_nothing_and_a_score_change_moves_the_revision(agency):
    first = services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)
    count = AuditEntry.objects.count()
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX, revision=first.revision)
    assert AuditEntry.objects.count() == count
    changed = services.evaluation_save(agency=agency, evaluated_year=2024, scores={**BANJAR, "D": D("19.64")},
                                       ctx=CTX, revision=first.revision)
    assert changed.revision == first.revision + 1
    with pytest.raises(RuleViolation) as refused:
        services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX, revision=first.revision)
    assert "muat ulang" in str(refused.value)
    assert _data(agency)["total"] == "80.3300"


@pytest.mark.parametrize(("scores", "header", "message"), [
    ({**BANJAR, "A": D("30.5")}, {}, "melebihi bobotnya 30"),
    ({"A": D(25)}, {}, "isi nilai setiap komponen"),
    (BANJAR, {"lhe_date": datetime.date(2024, 12, 31)}, "tidak mungkin"),
    (BANJAR, {"printed_total": D(101), "printed_source": "x"}, "antara 0 dan 100"),
    (BANJAR, {"printed_total": D(80)}, "sebutkan di mana"),
])
def test_bad_input_writes_nothing(agency, scores, header, message):
    with pytest.raises(RuleViolation) as refused:
        services.evaluation_save(agency=agency, evaluated_year=2024, scores=scores, ctx=CTX, **header)
    assert message in str(refused.value)
    assert not Evaluation.objects.exists() and not EvaluationScore.objects.exists()


def test_without_a_framework_in_force_only_the_header_is_recorded(agency):
    evaluation = services.evaluation_save(agency=agency, evaluated_year=2020, scores={}, ctx=CTX,
                                          evaluator="Inspektorat Kota Serang")
    assert evaluation.framework is None
    data = _data(agency, 2020)
    assert not data["scored"] and data["total"] is None and data["components"] == []
    with pytest.raises(RuleViolation, match="tidak ada kerangka evaluasi"):
        services.evaluation_save(agency=agency, evaluated_year=2020, scores=BANJAR, ctx=CTX)


def test_a_pemda_framework_replaces_the_national_one_from_its_year(agency):
    comps = [services.ComponentInput("P", "Perencanaan", D(40)), services.ComponentInput("Q", "Lainnya", D(60))]
    bands = [services.BandInput("Baik", "", D(50), D(100), True), services.BandInput("Kurang", "", D(0), D(50), True, True)]
    with pytest.raises(RuleViolation, match="masuk dua rentang"):
        services.framework_save(government=agency.government, name="Perbup", valid_from=2025, components=comps,
                                bands=bands, ctx=CTX)
    bands[1] = services.BandInput("Kurang", "", D(0), D(50), True, False)
    own = services.framework_save(government=agency.government, name="Perbup", valid_from=2025, components=comps,
                                  bands=bands, ctx=CTX)
    assert services.framework_for(government=agency.government, year=2025) == own
    assert services.framework_for(government=agency.government, year=2024).name == "PermenPANRB 88/2021"
    services.evaluation_save(agency=agency, evaluated_year=2025, scores={"P": D(30), "Q": D(20)}, ctx=CTX)
    assert _data(agency, 2025)["predikat"]["label"] == "Baik"
    with pytest.raises(RuleViolation, match="sudah dipakai"):
        services.framework_save(government=agency.government, name="Perbup", valid_from=2025,
                                components=[comps[0], services.ComponentInput("Q", "Lainnya", D(50)),
                                            services.ComponentInput("R", "Baru", D(10))], bands=bands, ctx=CTX)


def _recommendations(agency, n=3):
    return [services.recommendation_add(agency=agency, year=2025, component="Perencanaan Kinerja",
                                        text=f"Rekomendasi {i}", ctx=CTX) for i in range(n)]


def test_follow_ups_are_written_all_or_nothing(agency):
    recs = _recommendations(agency)
    assert [r.order for r in recs] == [0, 1, 2]
    rows = {r.pk: services.FollowUpInput(f"Dilaksanakan {r.order}", "selesai", r.revision) for r in recs}
    assert services.follow_ups_save(agency=agency, year=2025, rows=rows, ctx=CTX) == 3
    assert services.follow_ups_save(agency=agency, year=2025, rows=rows, ctx=CTX) == 0  # same values: no conflict
    stale = {**rows, recs[0].pk: services.FollowUpInput("Lain", "", 0)}
    stale[recs[1].pk] = services.FollowUpInput("Juga lain", "", 1)
    with pytest.raises(RuleViolation, match="muat ulang"):
        services.follow_ups_save(agency=agency, year=2025, rows=stale, ctx=CTX)
    assert Recommendation.objects.get(pk=recs[1].pk).follow_up == "Dilaksanakan 1"


def test_follow_up_of_another_agency_or_year_is_refused(agency):
    rec = _recommendations(agency, 1)[0]
    with pytest.raises(RuleViolation, match="tidak ada"):
        services.follow_ups_save(agency=agency, year=2026, rows={rec.pk: services.FollowUpInput("x")}, ctx=CTX)


def test_an_empty_recommendation_is_refused(agency):
    with pytest.raises(RuleViolation, match="tuliskan rekomendasinya"):
        services.recommendation_add(agency=agency, year=2025, component="", text="  ", ctx=CTX)
