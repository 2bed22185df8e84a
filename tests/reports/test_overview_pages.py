from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Agency A and B in one Pemda, agency C in another; one persona per role."""
    gov = factories.government()
    other_gov = factories.government("Pemerintah Kabupaten Lain")
    a = factories.agency("dinas-a", gov)
    b = factories.agency("dinas-b", gov)
    c = factories.agency("dinas-c", other_gov)
    for agency in (a, b, c):
        factories.measured_indicator(agency)
        factories.budget_leaf(agency)
    return {
        "a": a, "b": b, "c": c,
        "staff_a": factories.user("staff_a", agency=a),
        "planner_a": factories.user("planner_a", agency=a, role="planner"),
        "staff_b": factories.user("staff_b", agency=b),
        "evaluator": factories.user("evaluator", government=gov, gov_role="evaluator"),
        "inspector": factories.user("inspector", government=gov, gov_role="inspector"),
        "nobody": factories.user("nobody"),
    }


def login(client, user):
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("reports:overview", args=["dinas-a", 2025]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_login_form_logs_in_and_bad_password_says_so_in_indonesian(client, world):
    response = client.post(reverse("login"), {"username": "staff_a", "password": "salah"})
    assert response.status_code == 200
    assert "kata sandi salah" in response.content.decode()
    response = client.post(reverse("login"), {"username": "staff_a", "password": factories.PASSWORD})
    assert response.status_code == 302


@pytest.mark.parametrize(
    ("persona", "visible", "hidden"),
    [
        ("staff_a", {"dinas-a"}, {"dinas-b", "dinas-c"}),
        ("planner_a", {"dinas-a"}, {"dinas-b", "dinas-c"}),
        ("staff_b", {"dinas-b"}, {"dinas-a", "dinas-c"}),
        ("evaluator", {"dinas-a", "dinas-b"}, {"dinas-c"}),
        ("inspector", {"dinas-a", "dinas-b"}, {"dinas-c"}),
        ("nobody", set(), {"dinas-a", "dinas-b", "dinas-c"}),
    ],
)
def test_each_role_sees_only_its_agencies(client, world, persona, visible, hidden):
    login(client, world[persona])
    home = client.get(reverse("reports:home")).content.decode()
    for code in visible:
        assert reverse("reports:agency", args=[code]) in home
        assert client.get(reverse("reports:overview", args=[code, 2025])).status_code == 200
        assert client.get(reverse("reports:agency", args=[code])).status_code == 302
    for code in hidden:
        assert reverse("reports:agency", args=[code]) not in home
        assert client.get(reverse("reports:overview", args=[code, 2025])).status_code == 404
        assert client.get(reverse("reports:agency", args=[code])).status_code == 404


def test_unknown_agency_and_year_are_404(client, world):
    login(client, world["evaluator"])
    assert client.get(reverse("reports:overview", args=["tidak-ada", 2025])).status_code == 404
    assert client.get(reverse("reports:overview", args=["dinas-a", 1999])).status_code == 404


def test_overview_shows_computed_figures_in_indonesian_notation(client, world):
    login(client, world["staff_a"])
    page = client.get(reverse("reports:overview", args=["dinas-a", 2025])).content.decode()
    assert "105,17 %" in page  # (2 × 7,73 − 7,33) / 7,73 — never the positive formula's 94,83
    assert "94,83" not in page
    assert "7,73" in page and "7,33" in page
    assert "Rp 1.000" in page and "Rp 900" in page
    assert "90,00 %" in page  # absorption 900 / 1000


def test_overview_lists_findings(client, world):
    factories.measured_indicator(world["a"], code="LOW", target="100", actual="50", polarity="positif")
    login(client, world["staff_a"])
    page = client.get(reverse("reports:overview", args=["dinas-a", 2025])).content.decode()
    assert "LOW Indikator LOW: capaian 50,00 % di bawah 100 % tanpa penjelasan" in page
    assert "Skala penilaian (predikat) belum ditetapkan" in page
    assert "PK Murni tahun 2025 belum disetujui (status: Draf)" in page  # the year's PK is a draft
    factories.approve_agreement(world["a"].agreements.get(year=2025))
    page = client.get(reverse("reports:overview", args=["dinas-a", 2025])).content.decode()
    assert "belum disetujui" not in page


def test_overview_query_count_does_not_grow_with_indicators(client, world, django_assert_max_num_queries):
    login(client, world["staff_a"])
    url = reverse("reports:overview", args=["dinas-a", 2025])
    client.get(url)
    for i in range(30):
        factories.measured_indicator(world["a"], code=f"X{i}", target="10", actual="9", polarity="positif")
    with django_assert_max_num_queries(40):
        client.get(url)


def test_not_found_and_forbidden_pages_speak_indonesian(client, world):
    login(client, world["staff_b"])
    response = client.get(reverse("reports:overview", args=["dinas-a", 2025]))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    response = client.get(reverse("workbook:upload"))
    assert response.status_code == 403
    assert "Hanya perencana atau administrator" in response.content.decode()


def test_import_link_only_for_those_who_may_import(client, world):
    login(client, world["staff_a"])
    assert reverse("workbook:upload") not in client.get(reverse("reports:home")).content.decode()
    login(client, world["planner_a"])
    assert reverse("workbook:upload") in client.get(reverse("reports:home")).content.decode()


def test_home_query_count_does_not_grow_with_agencies(client, world, django_assert_max_num_queries):
    login(client, world["evaluator"])
    for i in range(15):
        factories.agency(f"dinas-x{i}", world["a"].government)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:home")).content.decode()
    assert "dinas-x14" in page
