"""The API's behaviour: tokens, errors, the request log, throttling, ETags, decimals, paging,
the serialisations it shares with the document, and query counts independent of page size."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiYamlRenderer

from api.models import ApiRequest, ApiToken
from api.services import TokenError, token_create, token_revoke
from audit.models import AuditEntry
from audit.services import AuditContext
from performance.models import Realization
from reports.snapshot import DATA_KEYS, build_snapshot
from tests import factories

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"


@pytest.fixture
def world(db):
    gov = factories.government("Pemerintah Kota Uji")
    own = factories.agency("uji-disnaker", gov)
    other = factories.agency("lain-disnaker", factories.government("Pemerintah Kota Lain"))
    for target in (own, other):
        factories.measured_indicator(target, code="TPT", target="7.73", actual="7.33")
        factories.budget_leaf(target, ceiling="1000000.25", spent="900000.10")
    inspector = factories.user("inspektur", government=gov, gov_role="inspector")
    return own, other, inspector


def token_for(user, **kwargs) -> str:
    return token_create(context=AuditContext(), user=user, name=kwargs.pop("name", "uji"), **kwargs)[1]


def auth(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


# ---- tokens ----


def test_a_token_is_stored_hashed_and_acts_with_its_users_roles(client, world):
    own, other, inspector = world
    token = token_for(inspector)
    stored = ApiToken.objects.get(user=inspector)
    assert token not in (stored.digest, stored.token_key) and len(stored.digest) == 128
    response = client.get(reverse("api:agency_list"), **auth(token))
    assert [a["code"] for a in response.json()["results"]] == ["uji-disnaker"]
    assert client.get(reverse("api:agency_detail", args=["lain-disnaker"]), **auth(token)).status_code == 404


@pytest.mark.parametrize(("header", "detail"), [
    ("Token salah", "Token tidak dikenal."),
    ("Token", "Header Authorization harus berbentuk `Token <token>`"),
    ("Token a b", "Header Authorization harus berbentuk `Token <token>`"),
    ("", "Data autentikasi tidak diberikan."),
])
def test_bad_credentials_are_401_with_a_detail(client, world, header, detail):
    headers = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get(reverse("api:agency_list"), **headers)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(detail)


def test_expired_and_revoked_tokens_are_refused_and_stay_listed(client, world):
    _, _, inspector = world
    token = token_for(inspector, days=1)
    stored = ApiToken.objects.get(user=inspector)
    past = timezone.now() - datetime.timedelta(days=2)
    ApiToken.objects.filter(pk=stored.pk).update(created=past, expiry=past + datetime.timedelta(days=1))
    response = client.get(reverse("api:agency_list"), **auth(token))
    assert (response.status_code, response.json()["detail"]) == (401, "Token sudah kedaluwarsa.")
    second = token_for(inspector, name="kedua")
    token_revoke(context=AuditContext(user=inspector, channel="form"), token=ApiToken.objects.get(name="kedua"))
    response = client.get(reverse("api:agency_list"), **auth(second))
    assert (response.status_code, response.json()["detail"]) == (401, "Token sudah dicabut.")
    assert ApiToken.objects.filter(user=inspector).count() == 2
    entries = AuditEntry.objects.filter(object_type="apitoken").order_by("pk")
    assert [e.action for e in entries] == ["create", "create", "update"]
    assert all(token not in json.dumps(e.changes) and second not in json.dumps(e.changes) for e in entries)


@pytest.mark.parametrize(("name", "days", "message"), [
    ("", 30, "Nama token wajib diisi"),
    ("x", 0, "Masa berlaku token 1 sampai 366 hari."),
    ("x", 367, "Masa berlaku token 1 sampai 366 hari."),
])
def test_token_rules(world, name, days, message):
    with pytest.raises(TokenError, match=message):
        token_create(context=AuditContext(), user=world[2], name=name, days=days)
    assert not ApiToken.objects.exists()


def test_two_active_tokens_may_not_share_a_name(world):
    token_for(world[2], name="aplikasi")
    with pytest.raises(TokenError, match="Sudah ada token aktif"):
        token_for(world[2], name="aplikasi")


def test_the_token_page_shows_a_new_token_once_and_revokes(client, world):
    _, _, inspector = world
    client.force_login(inspector)
    page = client.get(reverse("api:tokens"))
    assert page.status_code == 200 and "Belum ada token." in page.content.decode()
    created = client.post(reverse("api:tokens"), {"name": "Aplikasi reviu", "days": "30"})
    text = created.content.decode()
    token = ApiToken.objects.get(user=inspector)
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    raw = text.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith(token.token_key) and len(raw) == 64
    assert raw not in client.get(reverse("api:tokens")).content.decode()
    assert client.get(reverse("api:agency_list"), **auth(raw)).status_code == 200
    revoked = client.post(reverse("api:token_revoke", args=[token.pk]))
    assert revoked.status_code == 303
    token.refresh_from_db()
    assert token.revoked_at is not None
    listing = client.get(reverse("api:tokens")).content.decode()
    assert "dicabut" in listing and "Aplikasi reviu" in listing


def test_the_token_page_refuses_bad_input_and_writes_nothing(client, world):
    client.force_login(world[2])
    response = client.post(reverse("api:tokens"), {"name": "", "days": "abc"})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_anothers_token(client, world):
    _, _, inspector = world
    token_for(inspector)
    other = factories.user("lain")
    client.force_login(other)
    response = client.post(reverse("api:token_revoke", args=[ApiToken.objects.get().pk]))
    assert response.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_create_api_token_command_prints_a_working_token(client, world):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", "inspektur", "--name", "cli", "--days", "7", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert len(raw) == 64 and "berlaku sampai" in err.getvalue()
    assert client.get(reverse("api:agency_list"), **auth(raw)).status_code == 200
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("create_api_token", "tidak-ada", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="1 sampai 366"):
        call_command("create_api_token", "inspektur", "--days", "0", stdout=io.StringIO(), stderr=io.StringIO())


# ---- the request log, throttling, conditional GET ----


def test_every_request_is_logged_with_who_path_and_status(client, world):
    token = token_for(world[2])
    client.get(reverse("api:agency_list") + "?government=abc", **auth(token))
    client.get(reverse("api:agency_detail", args=["lain-disnaker"]), **auth(token))
    client.get("/api/v1/tidak-ada/")
    log = list(ApiRequest.objects.order_by("pk").values_list("user_label", "path", "status", "token__name"))
    assert log == [
        ("inspektur", "/api/v1/agencies/", 400, "uji"),
        ("inspektur", "/api/v1/agencies/lain-disnaker/", 404, "uji"),
        ("anonim", "/api/v1/tidak-ada/", 404, None),
    ]
    assert ApiRequest.objects.order_by("pk").first().query == "government=abc"


def test_the_request_log_is_pruned_after_its_retention(client, world, settings):
    from api.services import request_log_prune
    from api.tasks import prune_request_log

    settings.API_LOG_DAYS = 30
    client.get(reverse("api:agency_list"))
    client.get(reverse("api:agency_list"))
    old = ApiRequest.objects.order_by("pk").first()
    ApiRequest.objects.filter(pk=old.pk).update(at=timezone.now() - datetime.timedelta(days=31))
    assert prune_request_log() == 1
    assert list(ApiRequest.objects.values_list("pk", flat=True)) != [old.pk] and ApiRequest.objects.count() == 1
    assert request_log_prune() == 0


def test_a_token_in_the_query_string_is_not_logged(client, world):
    token = token_for(world[2])
    client.get(reverse("api:agency_list"), {"token": token, "year": "2025", "x": "a" * 5 + token})
    logged = ApiRequest.objects.get().query
    assert token not in logged and "year=2025" in logged and logged.count("disembunyikan") == 2


def test_drfs_own_messages_are_indonesian(client, world):
    token = token_for(world[2])
    headers = auth(token)
    lists = reverse("api:review_list")
    cases = [
        (client.post(lists, "{bad", content_type="application/json", **headers), "Isi permintaan bukan JSON yang sah"),
        (client.post(lists, "[]", content_type="application/json", **headers), "Data tidak valid: non_field_errors"),
        (client.delete(lists, **headers), 'Metode "DELETE" tidak diizinkan'),
        (client.get(reverse("api:document_pdf", args=["tidakada00"]), **headers), "Dokumen tidak ditemukan."),
        (client.post(lists, "{}", content_type="text/plain", **headers), "Jenis media"),
    ]
    for response, start in cases:
        detail = response.json()["detail"]
        assert start.split(":")[0] in detail, (response.status_code, detail)
        assert not any(word in detail for word in ("Expected", "Invalid", "not allowed", "No ", "matches")), detail
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world[2])
    csrf = browser.post(lists, {}, content_type="application/json")
    assert csrf.status_code == 403 and csrf.json()["detail"].startswith("Permintaan dari sesi peramban ditolak (CSRF)")


def test_disallowed_host_under_api_is_json(client, world):
    response = client.get(reverse("api:agency_list"), HTTP_HOST="penyusup.example")
    assert response.status_code == 400 and response.json()["detail"].startswith("Permintaan tidak sah")


def test_changed_since_sees_the_children_shown_inside_a_record(client, world):
    own = world[0]
    token = token_for(world[2])
    since = timezone.now()
    url = reverse("api:realization_list")
    assert client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"] == []
    entry = Realization.objects.get(indicator__plan__agency=own)
    # An evidence file attached (or removed) changes what the realisasi shows.
    AuditEntry.objects.create(at=timezone.now(), user_label="uji", channel="form", action="create",
                              object_type="evidence", object_id=10**6, object_label="bukti.pdf", changes={},
                              agency=own, agency_code=own.code, year=entry.year, quarter=entry.quarter,
                              indicator_id=entry.indicator_id)
    found = client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"]
    assert [r["id"] for r in found] == [entry.pk]


def test_changed_since_of_an_evaluation_sees_its_scores(client, world):
    from evaluations.models import EvaluationComponent
    from evaluations.services import evaluation_save

    own = world[0]
    codes = list(EvaluationComponent.objects.filter(framework__government=None).values_list("code", "weight"))
    scores = {code: weight / 2 for code, weight in codes}
    evaluation_save(agency=own, evaluated_year=2024, scores=scores, ctx=AuditContext())
    token = token_for(world[2])
    url = reverse("api:evaluation_list")
    since = timezone.now()
    assert client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"] == []
    evaluation_save(agency=own, evaluated_year=2024, scores={code: weight for code, weight in codes},
                    ctx=AuditContext())  # only the scores change
    found = client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"]
    assert [(e["evaluated_year"], e["total"]) for e in found] == [(2024, found[0]["total"])]
    assert Decimal(found[0]["total"]) == 100


def test_throttling_is_per_token(client, world, monkeypatch):
    from api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "3/minute"})
    first, second = token_for(world[2], name="satu"), token_for(world[2], name="dua")
    url = reverse("api:agency_list")
    statuses = [client.get(url, **auth(first)).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get(url, **auth(first))
    assert refused.json()["detail"].startswith("Terlalu banyak permintaan; coba lagi dalam")
    assert client.get(url, **auth(second)).status_code == 200


def test_etag_and_conditional_get(client, world):
    token = token_for(world[2])
    url = reverse("api:measurement", args=["uji-disnaker", 2025])
    first = client.get(url, **auth(token))
    assert first.status_code == 200 and first["ETag"]
    assert "Authorization" in first["Vary"] and first["Cache-Control"] == "private, no-cache"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **auth(token))
    assert again.status_code == 304 and again.content == b""
    Realization.objects.filter(indicator__plan__agency=world[0]).update(value=Decimal("7.5"))
    changed = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], **auth(token))
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


# ---- what the endpoints say ----


def test_measurement_is_the_capaian_json(client, world):
    token = token_for(world[2])
    out = io.StringIO()
    call_command("capaian", "--agency", "uji-disnaker", "--year", "2025", "--format", "json", stdout=out)
    served = client.get(reverse("api:measurement", args=["uji-disnaker", 2025]), **auth(token)).json()
    assert {k: v for k, v in served.items() if k != "agreement_notice"} == json.loads(out.getvalue())
    # …and both are the data part of the document's own snapshot, not a second serialisation.
    snapshot = json.loads(json.dumps(build_snapshot(agency=world[0], year=2025)))
    assert json.loads(out.getvalue()) == {key: snapshot[key] for key in DATA_KEYS}
    indicator = served["measurement"]["groups"][0]["indicators"][0]
    assert (Decimal(indicator["target"]), Decimal(indicator["actual"])) == (Decimal("7.73"), Decimal("7.33"))


def test_decimals_are_strings_at_full_precision_and_dates_iso(client, world):
    token = token_for(world[2])
    budget = client.get(reverse("api:budget", args=["uji-disnaker", 2025]), **auth(token)).json()
    assert Decimal(budget["ceiling"]) == Decimal("1000000.25") and isinstance(budget["ceiling"], str)
    assert Decimal(budget["absorption"]["value"]) == Decimal("900000.10") / Decimal("1000000.25") * 100
    realizations = client.get(reverse("api:realization_list"), **auth(token)).json()["results"]
    assert Decimal(realizations[0]["value"]) == Decimal("7.33") and isinstance(realizations[0]["value"], str)
    history = client.get(reverse("api:history_list"), **auth(token)).json()
    assert history["results"] == [] or datetime.datetime.fromisoformat(history["results"][0]["at"])


def test_filters_are_validated_with_a_message_naming_the_parameter(client, world):
    token = token_for(world[2])
    response = client.get(reverse("api:realization_list") + "?quarter=9&changed_since=kemarin", **auth(token))
    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {"quarter", "changed_since"}
    assert body["detail"].startswith("Data tidak valid: ")


def test_changed_since_reads_the_audit_trail(client, world):
    token = token_for(world[2])
    url = reverse("api:realization_list")
    since = timezone.now()
    assert client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"] == []
    entry = Realization.objects.get(indicator__plan__agency=world[0])
    AuditEntry.objects.create(at=timezone.now(), user_label="uji", channel="form", action="update",
                              object_type="realization", object_id=entry.pk, object_label="x", changes={})
    found = client.get(url, {"changed_since": since.isoformat()}, **auth(token)).json()["results"]
    assert [r["id"] for r in found] == [entry.pk]


def test_cursor_pages_cover_everything_once(client, world):
    own = world[0]
    for i in range(5):
        factories.measured_indicator(own, code=f"IK{i}")
    token = token_for(world[2])
    seen, url = [], reverse("api:indicator_list") + "?page_size=2"
    while url:
        page = client.get(url, **auth(token)).json()
        seen += [r["code"] for r in page["results"]]
        url = page["next"]
    assert sorted(seen) == sorted(["TPT", *(f"IK{i}" for i in range(5))])
    bad = client.get(reverse("api:indicator_list") + "?cursor=rusak", **auth(token))
    assert bad.status_code == 404 and bad.json()["detail"] == "Kursor halaman tidak valid."


@pytest.mark.parametrize("name", [
    "api:indicator_list", "api:target_list", "api:realization_list", "api:agreement_list", "api:history_list",
    "api:agency_list", "api:government_list", "api:document_list", "api:evaluation_list", "api:review_list",
    "api:recommendation_list",
])
def test_list_query_counts_do_not_grow_with_the_page(client, world, name):
    own = world[0]
    token = token_for(world[2])
    url = reverse(name)

    def count(page_size: int) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"page_size": page_size}, **auth(token))
        assert response.status_code == 200
        return len(queries)

    small = count(1)
    for i in range(6):
        factories.measured_indicator(own, code=f"IQ{i}")
        AuditEntry.objects.create(at=timezone.now(), user_label="uji", channel="form", action="update",
                                  object_type="realization", object_id=i + 1, object_label="x", changes={},
                                  agency=own, agency_code=own.code)
    assert count(50) == small, f"{name}: more queries for a larger page"


HOSTILE = ["99999999999999999999", "-99999999999999999999", "abc", "", "0", "2025-13-45", "\x00", "1e400", "٣"]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_parameters_are_answered_never_500(client, world, value):
    """Every filter of every list, and every integer in a path, with odd values: a 4xx or a 200."""
    from django.urls import get_resolver

    token = token_for(world[2])
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", []):
            view = getattr(inner.callback, "view_class", None)
            if view is None or not str(inner.pattern).startswith("api/v1/"):
                continue
            route = str(inner.pattern)
            url = "/" + route.replace("<slug:code>", "uji-disnaker").replace("<str:code>", "kode")
            for converter in ("<int:pk>", "<int:year>", "<int:note_id>"):
                url = url.replace(converter, "99999999999999999999")
            filters = getattr(view, "FilterSerializer", None)
            names = list(filters().fields) if filters else []
            for query in [{name: value} for name in names] + [{"page_size": value}, {"cursor": value}]:
                response = client.get(url, query, **auth(token))
                assert response.status_code < 500, (url, query, response.content[:200])


# ---- the schema and its viewers ----


def test_the_committed_schema_is_current():
    generated = OpenApiYamlRenderer().render(SchemaGenerator().get_schema(request=None, public=True),
                                             renderer_context={})
    assert yaml.safe_load(generated) == yaml.safe_load(SCHEMA.read_text()), (
        "docs/openapi.yaml is out of date: run `python manage.py spectacular --file docs/openapi.yaml --validate`"
    )


@pytest.mark.parametrize("name", ["api:docs", "api:redoc"])
def test_the_viewers_load_their_assets_from_the_project(client, name):
    page = client.get(reverse(name)).content.decode()
    assert "drf_spectacular_sidecar" in page
    assert "cdn." not in page and "unpkg" not in page and "jsdelivr" not in page
