import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from audit.services import AuditContext
from evaluations import services
from evaluations.models import Evaluation
from performance.models import Recommendation
from tests import factories

pytestmark = pytest.mark.django_db

BANJAR_FORM = {"c_A": "25,03", "c_B": "23,65", "c_C": "12,01", "c_D": "19,63", "printed_total": "80,33",
               "printed_predikat": "A", "printed_source": "LKjIP 2025 Tabel 3.9", "evaluator": "Inspektorat Uji"}


@pytest.fixture
def people(agency):
    return {
        "evaluator": factories.user("eval", government=agency.government, gov_role="inspector"),
        "planner": factories.user("pln", agency=agency, role="planner"),
        "operator": factories.user("op", agency=agency, role="staff"),
    }


def _url(agency, name="detail", year=2024):
    return reverse(f"evaluations:{name}", args=[agency.code, year])


def test_the_inspector_records_banjar_and_the_page_shows_the_computed_figures(client, agency, people):
    client.force_login(people["evaluator"])
    assert client.get(_url(agency, "edit")).status_code == 200
    response = client.post(_url(agency, "edit"), BANJAR_FORM)
    assert response.status_code == 303 and response["Location"] == _url(agency)
    page = client.get(_url(agency)).content.decode()
    assert "80,32" in page and "A (Memuaskan)" in page
    assert "Selisih:" in page and "mencetak nilai 80,33" in page
    assert "Ubah hasil evaluasi" in page


@pytest.mark.parametrize(("field", "value", "message", "marked"), [
    ("c_A", "25.03", "bukan angka yang dapat dibaca", True),
    ("c_A", "30,5", "melebihi bobotnya 30", True),  # the service's refusal, on the input it is about
    ("c_B", "", "isi nilai setiap komponen", False),  # about all of them: in the list above the form only
    ("lhe_date", "2024-06-01", "tidak mungkin", True),
    ("lhe_date", "1 Juni", "bukan tanggal", True),
])
def test_bad_input_names_the_field_and_writes_nothing(client, agency, people, field, value, message, marked):
    client.force_login(people["evaluator"])
    response = client.post(_url(agency, "edit"), {**BANJAR_FORM, field: value})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    invalid = re.search(rf'<input[^>]*name="{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="id_{field}_error"',
                        page)
    assert bool(invalid) is marked
    assert not Evaluation.objects.exists()


def test_a_stale_form_is_refused(client, agency, people):
    client.force_login(people["evaluator"])
    client.post(_url(agency, "edit"), BANJAR_FORM)
    client.post(_url(agency, "edit"), {**BANJAR_FORM, "c_D": "19,64", "revision": "0"})
    response = client.post(_url(agency, "edit"), {**BANJAR_FORM, "c_D": "19,00", "revision": "0"})
    assert response.status_code == 400 and "muat ulang" in response.content.decode()
    assert Evaluation.objects.get().scores.get(component__code="D").value == D("19.64")


def test_only_the_pemda_evaluators_record_and_only_the_agency_answers(client, agency, people):
    client.force_login(people["planner"])
    assert client.get(_url(agency, "edit")).status_code == 403
    assert client.post(_url(agency, "recommendation_add"), {"text": "x"}).status_code == 403
    client.force_login(people["evaluator"])
    assert client.post(_url(agency, "follow_up"), {}).status_code == 403
    client.force_login(people["operator"])
    assert client.post(_url(agency, "follow_up"), {}).status_code == 403
    assert client.get(_url(agency)).status_code == 200


def _recs(agency, n):
    for i in range(n):
        services.recommendation_add(agency=agency, year=2025, component="Pengukuran Kinerja", text=f"Rekomendasi {i}",
                                    ctx=AuditContext())
    return list(Recommendation.objects.filter(agency=agency, year=2025).order_by("order"))


def _answers(recs, text="Dilaksanakan"):
    body = {}
    for r in recs:
        body.update({f"t{r.pk}-follow_up": f"{text} {r.order}", f"t{r.pk}-status": "selesai",
                     f"t{r.pk}-revision": str(r.revision)})
    return body


def test_the_planner_writes_the_tindak_lanjut(client, agency, people):
    client.force_login(people["evaluator"])
    assert client.post(_url(agency, "recommendation_add"), {"component": "Pelaporan Kinerja",
                                                            "text": "Reviu berjenjang"}).status_code == 303
    assert client.post(_url(agency, "recommendation_add"), {"text": ""}).status_code == 303  # refused, message
    recs = list(Recommendation.objects.filter(agency=agency))
    assert [(r.year, r.text) for r in recs] == [(2025, "Reviu berjenjang")]
    client.force_login(people["planner"])
    response = client.post(_url(agency, "follow_up"), _answers(recs))
    assert response.status_code == 303
    assert Recommendation.objects.get().follow_up == "Dilaksanakan 0"
    page = client.get(_url(agency)).content.decode()
    assert "Dilaksanakan 0" in page and "Simpan tindak lanjut" in page
    too_long = {**_answers(recs), f"t{recs[0].pk}-status": "x" * 101}
    response = client.post(_url(agency, "follow_up"), too_long)
    assert response.status_code == 400 and "Rekomendasi 1 · Status" in response.content.decode()


def test_query_counts_do_not_grow_with_recommendations(client, agency, people, django_assert_max_num_queries):
    services.evaluation_save(agency=agency, evaluated_year=2024, scores={"A": D(25), "B": D(23), "C": D(12),
                                                                         "D": D(19)}, ctx=AuditContext())
    client.force_login(people["planner"])
    few = _recs(agency, 2)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as page_few:
        client.get(_url(agency))
    with CaptureQueriesContext(connection) as save_few:
        client.post(_url(agency, "follow_up"), _answers(few))
    many = few + _recs(agency, 10)[2:]
    with django_assert_max_num_queries(len(page_few)):
        client.get(_url(agency))
    many = list(Recommendation.objects.filter(agency=agency).order_by("order"))
    with django_assert_max_num_queries(len(save_few) + 2):  # + the audit entries' batches, not per row
        client.post(_url(agency, "follow_up"), _answers(many, "Lain"))
    assert Recommendation.objects.filter(follow_up__startswith="Lain").count() == 12
