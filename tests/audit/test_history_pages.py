"""The three history pages: who may see them, and what a re-import looks like on each."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry, ImportBatch
from audit.services import AuditContext, instance_save
from performance.models import Benchmark, Narrative, Realization, Target
from tests import factories
from tests.audit.helpers import CODE, OTHER, edited_data, page_text, without_csrf
from tests.workbook.helpers import build_workbook

pytestmark = pytest.mark.django_db

INSIDERS = ["staff", "planner", "evaluator", "inspector"]
OUTSIDERS = ["neighbour", "outsider", "outsider_gov"]


def indicator_url(code=CODE, year=2025, indicator="IKU1"):
    return reverse("audit:indicator_history", args=[code, year, indicator])


def log_url(code=CODE):
    return reverse("audit:agency_log", args=[code])


def batch_url(batch):
    return reverse("audit:batch", args=[batch if isinstance(batch, int) else batch.pk])


def tpt_2025() -> Realization:
    return Realization.objects.get(indicator__plan__agency__code=CODE, indicator__code="IKU1", year=2025, quarter=None)


def own_pages(world):
    return [indicator_url(), log_url(), batch_url(world["batch"])]


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    # Unescape so assertions can name "→" and "'" as a person reads them.
    return html.unescape(page_text(response))


# ---- who may see them ----


@pytest.mark.parametrize("persona", INSIDERS)
def test_members_and_the_pemdas_roles_see_every_page(client, world, persona):
    client.force_login(world[persona])
    for url in own_pages(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_another_agency_or_pemda_gets_404(client, world, persona):
    client.force_login(world[persona])
    for url in own_pages(world):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Halaman tidak ditemukan" in page_text(response)


def test_outsiders_see_their_own_agency_history(client, world):
    client.force_login(world["outsider"])
    assert client.get(log_url(OTHER)).status_code == 200
    assert client.get(indicator_url(OTHER)).status_code == 200
    assert client.get(batch_url(world["other_batch"])).status_code == 200


def test_anonymous_is_sent_to_login(client, world):
    for url in own_pages(world):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_hidden_and_nonexistent_look_the_same(client, world):
    client.force_login(world["outsider"])
    hidden = [indicator_url(), log_url(), batch_url(world["batch"])]
    missing = [
        indicator_url(code="tidak-ada"),
        log_url("tidak-ada"),
        batch_url(ImportBatch.objects.order_by("-pk").first().pk + 1000),
    ]
    bodies = set()
    for url in hidden + missing + [indicator_url(OTHER, indicator="TIDAK-ADA"), indicator_url(OTHER, year=1999)]:
        response = client.get(url)
        assert response.status_code == 404, url
        bodies.add(without_csrf(page_text(response)))
    assert len(bodies) == 1


def test_out_of_range_ids_are_404_not_500(client, world):
    client.force_login(world["staff"])
    assert client.get(f"/impor/{10**30}/").status_code == 404
    assert client.get(f"/instansi/{CODE}/{10**30}/indikator/IKU1/riwayat/").status_code == 404


# ---- the indicator page ----


def test_indicator_page_shows_the_reimport(client, world):
    client.force_login(world["evaluator"])
    page = text(client, indicator_url())
    entry = AuditEntry.objects.get(batch=world["batch"], object_type="realization", indicator_code="IKU1", year=2025)
    when = timezone.localtime(entry.at).strftime("%d-%m-%Y %H:%M:%S") + " WIB"
    assert when in page
    assert "planner_uji" in page
    assert "Impor workbook" in page
    assert "Realisasi tahunan" in page
    assert "7,33 → 6,12" in page
    assert "7.33" not in page and "6.12" not in page
    assert batch_url(world["batch"]) in page
    # Every kind of record of the indicator's year, named by what it is.
    assert "Target PK Murni" in page and "7,5 → 7,4" in page
    assert "Pembanding Nasional" in page and "4,76 → 4,8" in page
    assert "Narasi: Analisis capaian" in page and "TPT turun. → TPT turun tajam." in page
    # The indicator's own fields, by their Indonesian verbose names.
    assert "Satuan" in page and "% → persen" in page
    # The first import created the values: from empty.
    assert "(kosong) → 7,33" in page
    assert "sistem" in page  # the first import ran without a user
    # Another year and another indicator stay off the page.
    assert "8,55 → 8,5" not in page
    assert "1.234 → 1.300" not in page


def test_indicator_page_lists_oldest_first(client, world):
    client.force_login(world["staff"])
    page = text(client, indicator_url())
    assert page.index("(kosong) → 7,33") < page.index("7,33 → 6,12")


def test_indicator_page_of_another_indicator(client, world):
    client.force_login(world["staff"])
    page = text(client, indicator_url(indicator="IKU2"))
    assert "Realisasi TW I" in page and "1.234 → 1.300" in page
    assert "7,33 → 6,12" not in page
    # Not available: no number, and its reason.
    assert "Realisasi TW II" in page and "Belum tersedia" in page


def test_form_edit_shows_local_time_reason_and_channel(client, world):
    realization = tpt_2025()
    realization.value = Decimal("6.2")
    at = datetime.datetime(2025, 3, 1, 20, 30, tzinfo=datetime.UTC)  # 2 March, 03:30 in Jakarta
    instance_save(instance=realization, ctx=AuditContext(user=world["planner"], channel="form",
                                                          reason="Koreksi data BPS", at=at))
    client.force_login(world["staff"])
    page = text(client, indicator_url())
    assert "02-03-2025 03:30:00 WIB" in page
    assert "Formulir" in page
    assert "Koreksi data BPS" in page
    assert "6,12 → 6,2" in page


def test_unknown_indicator_or_year_without_plan_is_404(client, world):
    client.force_login(world["staff"])
    assert client.get(indicator_url(indicator="TIDAK-ADA")).status_code == 404
    assert client.get(indicator_url(year=2010)).status_code == 404


def test_overview_links_to_the_history_pages(client, world):
    client.force_login(world["staff"])
    page = page_text(client.get(reverse("reports:overview", args=[CODE, 2025])))
    assert indicator_url() in page
    assert indicator_url(indicator="IKU2") in page
    assert log_url() in page


def test_indicator_codes_with_slashes_and_spaces_have_a_page(client, world):
    factories.measured_indicator(world["agency"], code="IKU 1/2")
    client.force_login(world["staff"])
    overview = page_text(client.get(reverse("reports:overview", args=[CODE, 2025])))
    url = indicator_url(indicator="IKU 1/2")
    assert url in overview
    assert "Belum ada perubahan yang tercatat untuk indikator ini" in text(client, url)


# ---- the change log ----


def test_change_log_shows_the_reimport_newest_first(client, world):
    client.force_login(world["inspector"])
    page = text(client, log_url())
    assert "planner_uji" in page and "Impor workbook" in page
    assert "Realisasi tahunan" in page and "IKU1 2025" in page
    assert "7,33 → 6,12" in page
    assert "8,55 → 8,5" in page and "1.234 → 1.300" in page
    assert page.index("7,33 → 6,12") < page.index("(kosong) → 7,33")
    assert batch_url(world["batch"]) in page and "revisi.xlsx" in page
    # Rupiah on budget lines, the year as a plain number.
    assert "Rp 18.113.307.758" in page
    assert "2.025" not in page
    # Only this agency's entries.
    assert batch_url(world["other_batch"]) not in page


def test_change_log_filters(client, world):
    client.force_login(world["staff"])
    imported_by_planner = text(client, log_url() + "?saluran=import")
    assert "7,33 → 6,12" in imported_by_planner and "(kosong) → 7,33" not in imported_by_planner
    by_system = text(client, log_url() + "?pengguna=sistem")
    assert "(kosong) → 7,33" in by_system and "7,33 → 6,12" not in by_system
    targets = text(client, log_url() + "?jenis=target")
    assert "7,5 → 7,4" in targets and "7,33 → 6,12" not in targets
    today = timezone.localdate().isoformat()
    assert "7,33 → 6,12" in text(client, log_url() + f"?dari={today}&sampai={today}")
    assert "Tidak ada perubahan yang cocok." in text(client, log_url() + "?sampai=2020-01-01")
    assert "Tidak ada perubahan yang cocok." in text(client, log_url() + "?dari=2999-01-01")


def test_change_log_date_range_is_local_days(client, world):
    realization = tpt_2025()
    realization.value = Decimal("6.2")
    at = datetime.datetime(2025, 3, 1, 20, 30, tzinfo=datetime.UTC)  # 2 March in Jakarta, 1 March in UTC
    instance_save(instance=realization, ctx=AuditContext(user=world["planner"], channel="form", at=at))
    client.force_login(world["staff"])
    assert "6,12 → 6,2" in text(client, log_url() + "?dari=2025-03-02&sampai=2025-03-02")
    assert "6,12 → 6,2" not in text(client, log_url() + "?dari=2025-03-01&sampai=2025-03-01")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("dari=abc", "Tanggal 'dari' tidak valid"),
        ("sampai=2025-02-30", "Tanggal 'sampai' tidak valid"),
        ("dari=0001-01-01", "Tanggal 'dari' paling awal"),
        ("sampai=9999-12-31", "Tanggal 'sampai' paling akhir"),
        ("dari=2025-03-02&sampai=2025-03-01", "Tanggal 'sampai' tidak boleh sebelum tanggal 'dari'"),
        ("saluran=telepati", "Saluran telepati tidak dikenal"),
        ("pengguna=siapa", "Pengguna siapa tidak ada dalam riwayat"),
        ("jenis=rahasia", "Jenis data rahasia tidak ada dalam riwayat"),
    ],
)
def test_bad_filters_say_so_and_are_left_out(client, world, query, message):
    client.force_login(world["staff"])
    # A valid filter next to the bad one still applies.
    valid = "saluran=import" if "saluran" not in query else "jenis=realization"
    page = text(client, log_url() + "?" + query + "&" + valid)
    assert "Filter berikut tidak valid dan tidak diterapkan" in page
    assert message in page
    assert "7,33 → 6,12" in page
    assert ("(kosong) → 7,33" in page) == (valid != "saluran=import")


@pytest.mark.parametrize("number", ["abc", "0", "-3", "99999999999999999999999", "9" * 5000, "2.5"])
def test_bad_page_numbers_give_the_nearest_page(client, world, number):
    client.force_login(world["staff"])
    response = client.get(log_url(), {"page": number})
    assert response.status_code == 200
    assert "7,33 → 6,12" in html.unescape(page_text(response))  # one page only: every entry fits


def test_pagination_keeps_the_filters(client, world):
    entries = AuditEntry.objects.filter(agency=world["agency"], object_type="realization")
    total = entries.count()
    assert total < 60
    for i in range(60):
        instance = tpt_2025()
        instance.value = Decimal(f"6.{i + 13}")
        instance_save(instance=instance, ctx=AuditContext(user=world["planner"], channel="form"))
    client.force_login(world["staff"])
    first = page_text(client.get(log_url(), {"jenis": "realization", "saluran": "form"}))
    assert "Halaman 1 dari 2" in first
    assert "?jenis=realization&amp;saluran=form&amp;page=2" in first
    second = page_text(client.get(log_url(), {"jenis": "realization", "saluran": "form", "page": "2"}))
    assert "Halaman 2 dari 2" in second
    assert "?jenis=realization&amp;saluran=form&amp;page=1" in second
    last = page_text(client.get(log_url(), {"jenis": "realization", "saluran": "form", "page": "500"}))
    assert "Halaman 2 dari 2" in last


# ---- the batch page ----


def test_batch_page_shows_what_the_import_changed(client, world):
    batch = world["batch"]
    client.force_login(world["evaluator"])
    page = text(client, batch_url(batch))
    assert "revisi.xlsx" in page
    assert batch.file_sha256 in page and len(batch.file_sha256) == 64
    assert "planner_uji" in page and "Impor workbook" in page
    assert timezone.localtime(batch.at).strftime("%d-%m-%Y %H:%M:%S") + " WIB" in page
    assert "7,33 → 6,12" in page and "Realisasi tahunan" in page
    assert "1.234 → 1.300" in page
    assert "(kosong) →" not in page  # a re-import created nothing


def test_batch_page_counts_per_type_and_action(client, world):
    client.force_login(world["staff"])
    response = client.get(batch_url(world["batch"]))
    counts = response.context["counts"]
    by_type = {row.object_type: row.by_action for row in counts.rows}
    assert by_type["realization"]["update"] == 3
    assert by_type["target"]["update"] == 1
    assert by_type["indicator"]["update"] == 1
    assert counts.total == AuditEntry.objects.filter(batch=world["batch"]).count() == 7
    first = client.get(batch_url(world["first_batch"])).context["counts"]
    assert {row.object_type: row.by_action["create"] for row in first.rows}["realization"] == 5


def test_batch_page_filters_by_type(client, world):
    client.force_login(world["staff"])
    page = text(client, batch_url(world["batch"]) + "?jenis=target")
    assert "7,5 → 7,4" in page and "7,33 → 6,12" not in page
    # An unknown type shows everything rather than failing.
    assert "7,33 → 6,12" in text(client, batch_url(world["batch"]) + "?jenis=rahasia")


def test_upload_result_links_to_its_batch(client, world):
    data = edited_data()
    data["Realisasi"][0]["realisasi"] = "6,01"
    upload = build_workbook(data)
    client.force_login(world["planner"])
    response = client.post(reverse("workbook:upload"), {"workbook": SimpleUploadedFile("baru.xlsx", upload)})
    assert response.status_code == 200
    batch_id = response.context["report"].batch_id
    assert batch_id
    assert batch_url(batch_id) in page_text(response)
    page = text(client, batch_url(batch_id))
    assert "baru.xlsx" in page and "6,12 → 6,01" in page


def test_change_log_links_its_rows_to_batches(client, world):
    client.force_login(world["staff"])
    page = page_text(client.get(log_url()))
    assert batch_url(world["batch"]) in page
    assert batch_url(world["first_batch"]) in page


# ---- queries ----


def _more_history(world, n):
    """n more form edits on several record types, each its own entry."""
    realization = tpt_2025()
    for i in range(n):
        realization.value = Decimal(f"5.{i + 10}")
        instance_save(instance=realization, ctx=AuditContext(user=world["planner"], channel="form"))
    for model in (Target, Benchmark, Narrative):
        for obj in model.objects.filter(indicator__plan__agency__code=CODE, indicator__code="IKU1", year=2025):
            for i in range(n // 5):
                if model is Narrative:
                    obj.text = f"Teks {i}"
                else:
                    obj.value = Decimal(f"4.{i + 10}")
                instance_save(instance=obj, ctx=AuditContext(user=world["planner"], channel="form"))


@pytest.mark.parametrize("page", ["indicator", "log"])
def test_query_count_does_not_grow_with_entries(client, world, django_assert_max_num_queries, page):
    client.force_login(world["staff"])
    url = {"indicator": indicator_url(), "log": log_url()}[page]
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    _more_history(world, 40)
    # At most one more query per record type whose key (a target's document) is read from the record.
    with django_assert_max_num_queries(len(few) + 3):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 50


def test_batch_page_query_count_does_not_grow_with_entries(client, world, django_assert_max_num_queries):
    client.force_login(world["staff"])
    small, large = world["batch"], world["first_batch"]
    assert AuditEntry.objects.filter(batch=large).count() > 5 * AuditEntry.objects.filter(batch=small).count()
    with CaptureQueriesContext(connection) as few:
        client.get(batch_url(small))
    with django_assert_max_num_queries(len(few) + 3):
        response = client.get(batch_url(large))
    assert len(response.context["rows"]) > 30
