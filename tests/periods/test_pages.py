"""The calendar page, the reopening forms, the dashboard (sorting, drill-down, Excel), the
quarter lock buttons, the agency page's section and the home page's "Perlu tindakan"."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from periods import services
from periods.links import entry_url
from periods.models import QuarterLock, Reopening, ReportingCalendar
from tests import factories
from tests.periods.helpers import FUTURE, PAST, calendar, ctx, entry, evidence, planned_agency, today
from tests.xlsx import assert_inert, formula_elements

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    gov = factories.government("Pemerintah Kota Uji")
    elsewhere = factories.government("Pemerintah Kota Lain")
    a, a_ind = planned_agency("dinas-a", gov)
    b, b_ind = planned_agency("dinas-b", gov)
    c, _ = planned_agency("dinas-c", elsewhere)
    return {
        "gov": gov, "elsewhere": elsewhere, "a": a, "b": b, "c": c, "a_ind": a_ind, "b_ind": b_ind,
        "bappeda": factories.user("bappeda", government=gov, gov_role="planner"),
        "evaluator": factories.user("evaluator", government=gov, gov_role="evaluator"),
        "op_a": factories.user("op_a", agency=a),
        "pln_a": factories.user("pln_a", agency=a, role="planner"),
    }


def text(response) -> str:
    return response.content.decode()


def calendar_url(world, year=FUTURE):
    return reverse("periods:calendar", args=[world["gov"].pk, year])


VALID = {
    "q1_deadline": f"{FUTURE}-04-20", "q2_deadline": f"{FUTURE}-07-20", "q3_deadline": f"{FUTURE}-10-20",
    "q4_deadline": f"{FUTURE + 1}-01-20", "annual_deadline": f"{FUTURE + 1}-03-31", "reason": "",
}


# ---- the calendar ----


def test_calendar_shows_the_defaults_marked_as_such(client, world):
    client.force_login(world["bappeda"])
    page = text(client.get(calendar_url(world)))
    assert "usulan bawaan" in page and "Belum ditetapkan" in page
    assert f'value="{FUTURE}-04-15"' in page and f'value="{FUTURE + 1}-03-31"' in page
    client.force_login(world["evaluator"])  # read-only: the dates, no form
    page = text(client.get(calendar_url(world)))
    assert "usulan bawaan" in page and f"15 April {FUTURE}" in page
    assert 'name="q1_deadline"' not in page and "Buka kembali pengisian" not in page
    client.force_login(world["op_a"])
    assert client.get(calendar_url(world)).status_code == 404


def test_calendar_saves_valid_deadlines(client, world):
    client.force_login(world["bappeda"])
    response = client.post(calendar_url(world), {**VALID, "reason": "Surat Edaran Wali Kota"})
    assert response.status_code == 303 and response["Location"] == calendar_url(world)
    saved = ReportingCalendar.objects.get(government=world["gov"], year=FUTURE)
    assert saved.q1_deadline == datetime.date(FUTURE, 4, 20)
    assert AuditEntry.objects.get(object_type="reportingcalendar").reason == "Surat Edaran Wali Kota"
    page = text(client.get(calendar_url(world)))
    assert "Kalender pelaporan" in page and "disimpan" in page and "usulan bawaan" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"q1_deadline": ""}, "q1_deadline", "Tanggal wajib diisi."),
        ({"q2_deadline": "kemarin"}, "q2_deadline", "Masukkan tanggal yang benar"),
        ({"q2_deadline": "31-02-2025"}, "q2_deadline", "Masukkan tanggal yang benar"),
        ({"q1_deadline": f"{FUTURE}-03-01"}, "q1_deadline", "batas TW I harus setelah triwulan itu berakhir"),
        ({"annual_deadline": f"{FUTURE}-12-31"}, "annual_deadline", "tidak boleh sebelum batas TW IV"),
    ],
)
def test_calendar_form_errors_are_indonesian_and_write_nothing(client, world, changes, field, message):
    client.force_login(world["bappeda"])
    response = client.post(calendar_url(world), {**VALID, **changes})
    assert response.status_code == 200
    assert message in text(response)
    assert field in response.context["form"].errors
    assert not ReportingCalendar.objects.exists() and not AuditEntry.objects.exists()


def test_only_planners_and_admins_change_the_calendar(client, world):
    client.force_login(world["evaluator"])
    assert client.post(calendar_url(world), VALID).status_code == 403
    assert client.post(reverse("periods:reopening_grant", args=[world["gov"].pk, PAST]), {}).status_code == 403
    assert not ReportingCalendar.objects.exists()


# ---- reopenings ----


def grant(client, world, **changes):
    body = {"agency": world["a"].pk, "period": "2", "until": (today() + datetime.timedelta(days=7)).isoformat(),
            "reason": "server pemda mati", **changes}
    return client.post(reverse("periods:reopening_grant", args=[world["gov"].pk, PAST]), body)


def test_grant_a_reopening_and_see_it_listed(client, world):
    calendar(world["gov"], PAST)
    client.force_login(world["bappeda"])
    response = grant(client, world)
    assert response.status_code == 303
    reopening = Reopening.objects.get()
    assert (reopening.agency, reopening.quarter, reopening.reason) == (world["a"], 2, "server pemda mati")
    page = text(client.get(calendar_url(world, PAST)))
    assert "server pemda mati" in page and "bappeda" in page and "berjalan" in page and "Akhiri sekarang" in page
    annual = grant(client, world, period="tahunan")
    assert annual.status_code == 303 and Reopening.objects.filter(quarter__isnull=True).exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"reason": "  "}, "Alasan wajib diisi."),
        ({"period": "5"}, "Pilih TW I–IV atau laporan tahunan."),
        ({"until": ""}, "Tanggal wajib diisi."),
        ({"until": (today() - datetime.timedelta(days=1)).isoformat()}, "tidak boleh sebelum hari ini"),
        ({"agency": "other"}, "Pilih perangkat daerah dari pemda ini."),
        ({"agency": "999999"}, "Pilih perangkat daerah dari pemda ini."),
    ],
)
def test_grant_errors_write_nothing(client, world, changes, message):
    calendar(world["gov"], PAST)
    if changes.get("agency") == "other":
        changes["agency"] = world["c"].pk  # another Pemda's agency
    client.force_login(world["bappeda"])
    response = grant(client, world, **changes)
    assert response.status_code == 200
    assert message in text(response)
    assert not Reopening.objects.exists() and not AuditEntry.objects.exists()


def test_the_agency_select_holds_only_the_pemdas_agencies(client, world):
    client.force_login(world["bappeda"])
    page = text(client.get(calendar_url(world)))
    select = re.search(r'<select name="agency".*?</select>', page, re.S).group(0)
    options = re.findall(r'<option value="(\d+)"', select)
    assert sorted(int(o) for o in options) == sorted([world["a"].pk, world["b"].pk])


def test_end_a_reopening_early(client, world):
    calendar(world["gov"], PAST)
    reopening = services.reopening_grant(agency=world["a"], year=PAST, quarter=2,
                                         until=today() + datetime.timedelta(days=7), ctx=ctx(world["bappeda"], "izin"))
    url = reverse("periods:reopening_end", args=[world["gov"].pk, PAST, reopening.pk])
    client.force_login(world["bappeda"])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200 and "Alasan wajib diisi." in text(response)
    assert Reopening.objects.get().until == reopening.until
    response = client.post(url, {"reason": "data sudah lengkap"})
    assert response.status_code == 303
    ended = Reopening.objects.get()
    assert ended.until == today() - datetime.timedelta(days=1) and ended.end_reason == "data sudah lengkap"
    page = text(client.get(calendar_url(world, PAST)))
    assert "diakhiri lebih awal" in page and "data sudah lengkap" in page
    # Another Pemda's URL, or another year's: not found.
    assert client.post(reverse("periods:reopening_end", args=[world["gov"].pk, FUTURE, reopening.pk]),
                       {"reason": "x"}).status_code == 404


# ---- the dashboard ----


@pytest.fixture
def filled(world):
    a1, a2, a3 = world["a_ind"]
    evidence(entry(a1, FUTURE, 2, "terverifikasi"))
    entry(a2, FUTURE, 2, "dikembalikan", note="salah satuan")
    entry(a3, FUTURE, 2, "diajukan")
    b1, _, _ = world["b_ind"]
    entry(b1, FUTURE, 2, "draf")
    return world


def dashboard(client, world, query="", year=FUTURE):
    url = reverse("periods:dashboard", args=[world["gov"].pk, year])
    return client.get(f"{url}?{query}" if query else url)


def test_dashboard_counts_per_agency(client, filled):
    client.force_login(filled["evaluator"])
    response = dashboard(client, filled, "tw=2")
    rows = {p.agency.code: p for p in response.context["rows"]}
    assert set(rows) == {"dinas-a", "dinas-b"}  # only the Pemda's agencies
    a = rows["dinas-a"]
    assert (a.expected, a.entered, a.verified, a.returned, a.submitted, a.missing) == (3, 3, 1, 1, 1, 0)
    page = text(response)
    assert "33,33 %" in page  # evidence coverage of dinas-a, the Indonesian way
    assert "salah satuan" in page and "dikembalikan" in page
    assert f'href="{entry_url("dinas-a", FUTURE, 2)}"' in page
    assert f'href="{reverse("periods:dashboard_xlsx", args=[filled["gov"].pk, FUTURE])}"' in page


def test_dashboard_default_quarter_is_the_first_still_open(client, world):
    client.force_login(world["evaluator"])
    assert dashboard(client, world).context["quarter"] == 1  # FUTURE: every deadline ahead
    assert dashboard(client, world, year=PAST).context["quarter"] == 4  # all passed
    assert dashboard(client, world, "tw=9").context["quarter"] == 1
    calendar(world["gov"], today().year, q1_deadline=datetime.date(today().year, 4, 1))
    expected = next((q for q, d in enumerate(
        [datetime.date(today().year, 4, 1), datetime.date(today().year, 7, 15), datetime.date(today().year, 10, 15),
         datetime.date(today().year + 1, 1, 15)], start=1) if d >= today()), 4)
    assert dashboard(client, world, year=today().year).context["quarter"] == expected


def test_dashboard_sorts_by_any_column(client, filled):
    client.force_login(filled["evaluator"])
    names = lambda response: [p.agency.code for p in response.context["rows"]]  # noqa: E731
    assert names(dashboard(client, filled, "tw=2")) == ["dinas-a", "dinas-b"]
    assert names(dashboard(client, filled, "tw=2&urut=-nama")) == ["dinas-b", "dinas-a"]
    assert names(dashboard(client, filled, "tw=2&urut=-belum")) == ["dinas-b", "dinas-a"]
    assert names(dashboard(client, filled, "tw=2&urut=belum")) == ["dinas-a", "dinas-b"]
    assert names(dashboard(client, filled, "tw=2&urut=-terverifikasi")) == ["dinas-a", "dinas-b"]
    # dinas-b has no evidence among its one entry (0 %); an agency with no entries sorts last either way.
    assert names(dashboard(client, filled, "tw=2&urut=-bukti")) == ["dinas-a", "dinas-b"]
    assert names(dashboard(client, filled, "tw=3&urut=-bukti")) == ["dinas-a", "dinas-b"]
    assert names(dashboard(client, filled, "tw=2&urut=tidakada")) == ["dinas-a", "dinas-b"]
    page = text(dashboard(client, filled, "tw=2&urut=belum"))
    assert "?tw=2&amp;urut=-belum" in page and "?tw=2&amp;urut=dikembalikan" in page  # header links
    assert 'aria-sort="ascending"' in page


def test_dashboard_shows_each_lock_cause(client, world):
    calendar(world["gov"], PAST)
    for indicator in world["a_ind"]:
        entry(indicator, PAST, 4, "terverifikasi")
    QuarterLock.objects.create(agency=world["a"], year=PAST, quarter=4, locked_by_label="Rina",
                               locked_at=datetime.datetime(PAST + 1, 1, 10, tzinfo=datetime.UTC))
    client.force_login(world["evaluator"])
    page = text(dashboard(client, world, "tw=4", year=PAST))
    assert f"TW IV {PAST} sudah dikunci oleh Rina pada 10 Januari {PAST + 1}." in page
    assert f"Batas waktu pengisian TW IV {PAST} telah lewat pada 15 Januari {PAST + 1}." in page
    assert "dikunci perencana" in page and "lewat batas waktu" in page


def test_dashboard_query_count_does_not_grow_with_agencies(client, world, django_assert_max_num_queries):
    client.force_login(world["evaluator"])
    with CaptureQueriesContext(connection) as few:
        assert dashboard(client, world, "tw=1").status_code == 200
    for index in range(5):
        _, indicators = planned_agency(f"dinas-x{index}", world["gov"])
        evidence(entry(indicators[0], FUTURE, 1, "dikembalikan", note="x"))
    with django_assert_max_num_queries(len(few)):
        response = dashboard(client, world, "tw=1")
    assert len(response.context["rows"]) == 7


def test_dashboard_excel_is_inert_with_numbers_as_numbers(client, filled):
    calendar(filled["gov"], FUTURE)
    filled["a"].name = "=1+1"
    filled["a"].save()
    filled["a_ind"][1].name = '=HYPERLINK("http://contoh.invalid","klik")'
    filled["a_ind"][1].save()
    client.force_login(filled["evaluator"])
    response = client.get(reverse("periods:dashboard_xlsx", args=[filled["gov"].pk, FUTURE]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    data = response.content
    assert formula_elements(data) == []
    assert_inert(data)
    book = load_workbook(io.BytesIO(data), data_only=True)
    summary = [row for row in book["Kelengkapan"].iter_rows(values_only=True)]
    assert summary[0][:4] == ("Triwulan", "Kode instansi", "Perangkat daerah", "Indikator")
    assert len(summary) == 1 + 4 * 2  # four quarters × two agencies
    tw2_a = next(r for r in summary if r[0] == "TW II" and r[1] == "dinas-a")
    assert tw2_a[2] == "=1+1"
    assert tw2_a[3:10] == (3, 3, 0, 1, 1, 1, 0)
    assert abs(tw2_a[10] - 100 / 3) < 1e-9
    assert tw2_a[11].date() == datetime.date(FUTURE, 7, 15)  # a date cell
    assert isinstance(tw2_a[13], int) and tw2_a[14] == "terbuka"
    items = list(book["Rincian"].iter_rows(values_only=True))
    assert any(r[4] == '=HYPERLINK("http://contoh.invalid","klik")' and r[5] == "dikembalikan" for r in items)


# ---- the quarter lock buttons ----


def lock_url(code="dinas-a", quarter=1, action="quarter_lock"):
    return reverse(f"periods:{action}", args=[code, FUTURE, quarter])


def test_planner_locks_a_verified_quarter_and_unlocks_it_with_a_reason(client, world):
    for indicator in world["a_ind"]:
        entry(indicator, FUTURE, 1, "terverifikasi")
    client.force_login(world["pln_a"])
    overview = reverse("reports:overview", args=["dinas-a", FUTURE])
    response = client.post(lock_url(), {"next": overview + "#kelengkapan"})
    assert response.status_code == 303 and response["Location"] == overview + "#kelengkapan"
    assert QuarterLock.objects.filter(agency=world["a"], year=FUTURE, quarter=1).exists()
    page = text(client.get(overview))
    assert f"TW I {FUTURE} dikunci: realisasinya kini hanya dapat dibaca." in page
    assert "Buka kunci TW I" in page

    response = client.post(lock_url(action="quarter_unlock"), {"alasan": ""})
    assert response.status_code == 303 and response["Location"] == overview
    assert QuarterLock.objects.exists()
    assert f"Kunci TW I {FUTURE} tidak dibuka: alasan wajib diisi." in text(client.get(overview))
    client.post(lock_url(action="quarter_unlock"), {"alasan": "revisi data"})
    assert not QuarterLock.objects.exists()


def test_lock_refused_with_the_reason_and_an_unsafe_next_is_ignored(client, world):
    entry(world["a_ind"][0], FUTURE, 1, "diajukan")
    client.force_login(world["pln_a"])
    response = client.post(lock_url(), {"next": "https://jahat.example/"})
    overview = reverse("reports:overview", args=["dinas-a", FUTURE])
    assert response.status_code == 303 and response["Location"] == overview
    assert not QuarterLock.objects.exists()
    page = text(client.get(overview))
    assert f"TW I {FUTURE} belum dapat dikunci: 2 indikator belum diisi dan 1 realisasi belum diverifikasi." in page


def test_only_the_agencys_planner_locks(client, world):
    client.force_login(world["op_a"])
    assert client.post(lock_url()).status_code == 403
    client.force_login(world["bappeda"])
    assert client.post(lock_url()).status_code == 403
    client.force_login(world["pln_a"])
    assert client.post(lock_url(code="dinas-b")).status_code == 404
    assert client.post(lock_url(quarter=5)).status_code == 404


# ---- the agency page and the home page ----


def test_agency_page_shows_completeness_per_quarter(client, filled):
    client.force_login(filled["op_a"])
    response = client.get(reverse("reports:overview", args=["dinas-a", FUTURE]))
    page = text(response)
    assert f"Kelengkapan pengisian {FUTURE}" in page
    quarters = response.context["completeness"]
    assert [(p.quarter, p.entered, p.missing) for p in quarters] == [(1, 0, 3), (2, 3, 0), (3, 0, 3), (4, 0, 3)]
    for quarter in (1, 2, 3, 4):
        assert f'href="{entry_url("dinas-a", FUTURE, quarter)}"' in page
    assert "Kunci TW" not in page  # operators do not lock
    client.force_login(filled["pln_a"])
    page = text(client.get(reverse("reports:overview", args=["dinas-a", FUTURE])))
    assert "belum dapat dikunci" in page


def test_agency_page_query_count_stays_fixed(client, world, django_assert_max_num_queries):
    a1 = world["a_ind"][0]
    entry(a1, FUTURE, 1, "draf")
    client.force_login(world["pln_a"])
    url = reverse("reports:overview", args=["dinas-a", FUTURE])
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for indicator in world["a_ind"]:
        for quarter in (2, 3, 4):
            evidence(entry(indicator, FUTURE, quarter, "dikembalikan", note="cek"))
    with django_assert_max_num_queries(len(few)):
        client.get(url)


def test_home_lists_what_needs_action_for_operators_and_planners(client, world):
    calendar(world["gov"], PAST)
    entry(world["a_ind"][0], PAST, 2, "dikembalikan", note="cek lagi")
    services.reopening_grant(agency=world["a"], year=PAST, quarter=2, until=today() + datetime.timedelta(days=4),
                             ctx=ctx(world["bappeda"], "izin"))
    client.force_login(world["op_a"])
    page = text(client.get(reverse("reports:home")))
    assert "Perlu tindakan" in page
    assert f"TW II {PAST}</strong> · Dinas dinas-a" in page
    assert "2 indikator belum diisi, 1 dikembalikan" in page and "4 hari lagi" in page and "cek lagi" in page
    assert f'href="{entry_url("dinas-a", PAST, 2)}"' in page
    client.force_login(world["bappeda"])  # no agency of their own: no list, but the Pemda's links
    page = text(client.get(reverse("reports:home")))
    assert "Perlu tindakan" not in page
    # ... for the latest year with data (the only realisasi is PAST's)
    assert f'href="{reverse("periods:dashboard", args=[world["gov"].pk, PAST])}"' in page
    assert f'href="{reverse("periods:calendar", args=[world["gov"].pk, PAST])}"' in page
    assert f'href="{reverse("periods:dashboard_latest", args=[world["gov"].pk])}"' in page  # the top bar


def test_dashboard_latest_goes_to_the_latest_year_with_data(client, world):
    entry(world["a_ind"][0], PAST, 1)
    client.force_login(world["evaluator"])
    response = client.get(reverse("periods:dashboard_latest", args=[world["gov"].pk]))
    assert response["Location"] == reverse("periods:dashboard", args=[world["gov"].pk, PAST])
