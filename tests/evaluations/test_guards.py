"""What a recorded LHE protects: its recommendations (the evaluator's; the agency writes only the
tindak lanjut, in the admin too) and the framework it was scored by (weights and bands stay, so
a recorded predikat cannot change afterwards)."""

from decimal import Decimal as D

import pytest
from django.db import transaction
from django.urls import reverse

from agencies.models import User
from audit.services import AuditContext
from evaluations import services
from evaluations.models import EvaluationBand, EvaluationComponent, EvaluationFramework
from evaluations.rules import RuleViolation
from evaluations.selectors import evaluation_data, evaluations_of
from performance import services as performance_services
from performance.models import Recommendation

from .conftest import BANJAR

pytestmark = pytest.mark.django_db
CTX = AuditContext(reason="uji")
MESSAGE = "Rekomendasi LHE tahun 2025 dicatat oleh evaluator/Inspektorat; perangkat daerah hanya mengisi tindak lanjut"


def refused(match: str):
    """pytest.raises in a savepoint: the admin's services run in the caller's transaction."""
    from contextlib import ExitStack

    stack = ExitStack()
    stack.enter_context(pytest.raises(RuleViolation, match=match))
    stack.enter_context(transaction.atomic())
    return stack


def _national() -> EvaluationFramework:
    return EvaluationFramework.objects.get(government__isnull=True, valid_from=2021)


def _inputs(framework: EvaluationFramework, **changed_bands):
    components = [services.ComponentInput(c.code, c.name, c.weight) for c in framework.components.all()]
    bands = [services.BandInput(b.label, b.meaning, *changed_bands.get(b.label, (b.lower, b.upper)),
                                b.lower_inclusive, b.upper_inclusive) for b in framework.bands.all()]
    return components, bands


def _predikat(agency, year=2024):
    return evaluation_data(evaluations_of(agency=agency, years=[year]).get())["predikat"]["label"]


# ---- the recommendations of a recorded LHE, one at a time (the admin's path) ----


@pytest.fixture
def recorded(agency):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)
    return services.recommendation_add(agency=agency, year=2025, component="Pengukuran Kinerja",
                                       text="Rekomendasi evaluator asli", ctx=CTX)


def test_the_evaluator_still_adds_recommendations_to_a_recorded_lhe(agency, recorded):
    second = services.recommendation_add(agency=agency, year=2025, component="", text="Kedua", ctx=CTX)
    assert [r.text for r in Recommendation.objects.filter(agency=agency, year=2025)] == [recorded.text, second.text]
    assert second.order == 1


@pytest.mark.parametrize(("field", "value"), [
    ("text", "Teks diganti perencana OPD"), ("component", "Lain"), ("year", 2026), ("order", 5),
])
def test_a_recorded_lhes_recommendation_keeps_its_text_in_the_admin(agency, recorded, field, value):
    rec = Recommendation.objects.get(pk=recorded.pk)
    setattr(rec, field, value)
    with refused(MESSAGE):
        performance_services.instance_save(instance=rec, ctx=CTX)
    assert Recommendation.objects.get(pk=recorded.pk).text == "Rekomendasi evaluator asli"


def test_the_admin_may_write_the_tindak_lanjut_but_not_add_or_delete(agency, recorded):
    rec = Recommendation.objects.get(pk=recorded.pk)
    rec.follow_up, rec.status = "Sudah dilaksanakan", "selesai"
    performance_services.instance_save(instance=rec, ctx=CTX)
    assert Recommendation.objects.get(pk=rec.pk).follow_up == "Sudah dilaksanakan"
    with refused(MESSAGE):
        performance_services.instance_delete(instance=rec, ctx=CTX)
    with refused(MESSAGE):
        performance_services.instance_save(instance=Recommendation(agency=agency, year=2025, text="Baru", order=3),
                                           ctx=CTX)
    # Moving another year's recommendation into the LHE's year is adding one to it.
    other = Recommendation.objects.create(agency=agency, year=2026, text="Tahun lain")
    other.year = 2025
    with refused(MESSAGE):
        performance_services.instance_save(instance=other, ctx=CTX)
    assert Recommendation.objects.filter(agency=agency, year=2025).count() == 1


def test_without_a_recorded_lhe_the_admin_edits_as_before(agency):
    rec = services.recommendation_add(agency=agency, year=2025, component="", text="Seed", ctx=CTX)
    rec.text = "Diperbaiki"
    performance_services.instance_save(instance=rec, ctx=CTX)
    performance_services.instance_delete(instance=rec, ctx=CTX)
    assert not Recommendation.objects.exists()


def test_the_admin_form_shows_the_refusal(client, agency, recorded):
    client.force_login(User.objects.create_superuser("root", password="x"))
    url = reverse("admin:performance_recommendation_change", args=[recorded.pk])
    form = {"agency": agency.pk, "year": 2025, "component": "Pengukuran Kinerja", "text": "Teks diganti",
            "follow_up": "", "status": "", "order": 0, "audit_revision": recorded.revision}
    response = client.post(url, form)
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert Recommendation.objects.get(pk=recorded.pk).text == "Rekomendasi evaluator asli"
    response = client.post(url, {**form, "text": "Rekomendasi evaluator asli", "follow_up": "Dilaksanakan"})
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=recorded.pk).follow_up == "Dilaksanakan"
    assert client.get(reverse("admin:performance_recommendation_delete", args=[recorded.pk])).status_code == 403


# ---- a framework an evaluation is scored by ----


def test_the_bands_of_a_scored_framework_cannot_change(agency):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)  # 80,32: A
    assert _predikat(agency) == "A"
    framework = _national()
    components, bands = _inputs(framework, A=(D(81), D(90)), BB=(D(70), D(81)))  # 80,32 would become BB
    with pytest.raises(RuleViolation, match="tahun berlaku") as caught:
        services.framework_save(government=None, name=framework.name, valid_from=2021, components=components,
                                bands=bands, ctx=CTX)
    assert "rentang predikat" in str(caught.value)
    assert _predikat(agency) == "A"
    assert EvaluationBand.objects.get(framework=framework, label="A").lower == D(80)


def test_the_weights_of_a_scored_framework_cannot_change(agency):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)
    framework = _national()
    components, bands = _inputs(framework)
    components = [services.ComponentInput("A", "Perencanaan Kinerja", D(35)),
                  services.ComponentInput("B", components[1].name, D(25)), *components[2:]]
    with pytest.raises(RuleViolation, match="tahun berlaku"):
        services.framework_save(government=None, name=framework.name, valid_from=2021, components=components,
                                bands=bands, ctx=CTX)
    assert [c.weight for c in framework.components.all()] == [D(30), D(30), D(15), D(25)]


def test_a_scored_framework_may_be_renamed_and_an_unscored_one_changed(agency):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)
    framework = _national()
    components, bands = _inputs(framework)
    bands = [services.BandInput(b.label, b.meaning.upper(), b.lower, b.upper, b.lower_inclusive, b.upper_inclusive)
             for b in bands]
    services.framework_save(government=None, name="PermenPANRB 88/2021 (ditulis ulang)", valid_from=2021,
                            components=components, bands=bands, ctx=CTX)
    assert EvaluationBand.objects.get(framework=framework, label="A").meaning == "MEMUASKAN"
    # A Pemda's framework recorded but not yet scored by any evaluation may still change.
    own = [services.ComponentInput("P", "Perencanaan", D(40)), services.ComponentInput("Q", "Lainnya", D(60))]
    own_bands = [services.BandInput("Baik", "", D(50), D(100)), services.BandInput("Kurang", "", D(0), D(50), True)]
    services.framework_save(government=agency.government, name="Perbup", valid_from=2026, components=own,
                            bands=own_bands, ctx=CTX)
    services.evaluation_save(agency=agency, evaluated_year=2026, scores={}, ctx=CTX)  # no scores
    own_bands[0] = services.BandInput("Baik", "", D(60), D(100))
    own_bands[1] = services.BandInput("Kurang", "", D(0), D(60), True)
    services.framework_save(government=agency.government, name="Perbup", valid_from=2026, components=own,
                            bands=own_bands, ctx=CTX)
    assert EvaluationBand.objects.get(framework__valid_from=2026, label="Baik").lower == D(60)


def test_the_admin_cannot_change_the_bands_or_weights_of_a_scored_framework(agency):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores=BANJAR, ctx=CTX)
    framework = _national()
    band = EvaluationBand.objects.get(framework=framework, label="A")
    band.lower = D(81)
    with refused("tahun berlaku"):
        services.instance_save(instance=band, ctx=CTX)
    band.lower, band.meaning = D(80), "Memuaskan sekali"  # wording only
    services.instance_save(instance=band, ctx=CTX)
    with refused("tahun berlaku"):
        services.instance_delete(instance=EvaluationBand.objects.get(framework=framework, label="D"), ctx=CTX)
    with refused("tahun berlaku"):
        services.instance_save(instance=EvaluationBand(framework=framework, label="X", lower=D(100), upper=D(100)),
                               ctx=CTX)
    with refused("tahun berlaku"):
        services.instance_save(instance=EvaluationComponent(framework=framework, code="E", name="Baru", weight=D(1)),
                               ctx=CTX)
    component = EvaluationComponent.objects.get(framework=framework, code="A")
    component.weight = D(31)
    with refused("tahun berlaku"):
        services.instance_save(instance=component, ctx=CTX)
    assert _predikat(agency) == "A"
