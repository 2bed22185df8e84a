"""The quarterly entry as people use it, in Debian's chromium: an operator of Bekasi types TPT's
TW IV value, sees the capaian, saves, attaches the source PDF and submits; the planner returns it
with a reason; the operator corrects and resubmits; the planner verifies and locks the quarter;
the operator can no longer edit; another agency's operator finds none of it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from audit.services import AuditContext
from evidence.models import Evidence
from performance.entry import quarter_sheet
from performance.models import Realization
from performance.services import EntryInput, entries_save, entries_transition
from tests import factories
from tests.e2e.browser import BEKASI, log_in, log_out
from workbook.demo_progress import _evidence_pdf
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db(transaction=True)
# The suite runs beside other tests on two cores: a live preview or a redirect can take a few
# seconds there, which is not what these checks are about.
expect.set_options(timeout=20_000)
YEAR, QUARTER = 2025, 4




def everything_but_tpt_verified(agency: Agency, operator, planner) -> int:
    """The rest of the quarter is done, so that TPT is what stands between the planner and the lock."""
    sheet = quarter_sheet(agency=agency, year=YEAR, quarter=QUARTER)
    others = [row for row in sheet.rows if row.indicator.code != "TPT"]
    entries_save(
        agency=agency, year=YEAR, quarter=QUARTER,
        entries=[EntryInput(indicator_id=row.indicator.pk, status="final",
                            value=row.figures.annual.value if row.figures.annual else row.target.value,
                            source="Dinas", explanations={"analisis": "a", "penghambat": "b", "upaya": "c"})
                 for row in others],
        ctx=AuditContext(user=operator, channel="form"),
    )
    ids = [row.indicator.pk for row in others]
    entries_transition(agency=agency, year=YEAR, quarter=QUARTER, transition="submit", indicator_ids=ids,
                       ctx=AuditContext(user=operator, channel="form"))
    entries_transition(agency=agency, year=YEAR, quarter=QUARTER, transition="verify", indicator_ids=ids,
                       ctx=AuditContext(user=planner, channel="form"))
    return len(ids)


def tpt_row(page):
    return page.locator("article.entry-row", has_text="TPT · Tingkat Pengangguran Terbuka")


def test_a_quarter_from_typing_to_lock(page, live_server, tmp_path):
    assert workbook_import(source=BEKASI).ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    operator = factories.user("operator", agency=bekasi, role="staff")
    planner = factories.user("perencana", agency=bekasi, role="planner")
    everything_but_tpt_verified(bekasi, operator, planner)
    source_pdf = tmp_path / "data-bps-tpt-2025.pdf"
    source_pdf.write_bytes(_evidence_pdf(bekasi, "TPT", YEAR))

    # The operator: agency page → TW IV, two clicks from the agency list.
    log_in(page, live_server, "operator")
    page.click("a:text-is('Dinas Tenaga Kerja Kota Bekasi')")
    page.click("nav.quarters >> text=TW IV")
    assert page.url.endswith("/instansi/bekasi-disnaker/2025/realisasi/tw4/")
    # A click returns once the next page starts loading; the preview listens from when htmx,
    # at the end of the page, has run (typing earlier shows the capaian on leaving the field).
    page.wait_for_load_state("load")
    row = tpt_row(page)
    row.get_by_label("Realisasi", exact=True).fill("7,33")
    # The live preview: target 7,32 (negative polarity) → (2 × 7,32 − 7,33) ÷ 7,32 = 99,86 %.
    expect(row.locator(".capaian")).to_contain_text("99,86 %")
    expect(row.locator(".capaian")).to_contain_text("Pratinjau")
    row.get_by_label("Sumber data").fill("BPS Kota Bekasi")
    row.locator("details.explain").evaluate("details => { details.open = true; }")
    for label, text in (("Sebab", "Angkatan kerja baru bertambah"), ("Faktor penghambat", "Lapangan kerja terbatas"),
                        ("Upaya/solusi", "Job fair dan pelatihan")):
        row.get_by_label(label, exact=False).first.fill(text)
    page.click(".save-bar button[value=save]")
    expect(page.locator(".messages")).to_contain_text("1 realisasi disimpan sebagai draf")
    row = tpt_row(page)
    expect(row.locator(".badge.state")).to_have_text("Draf")
    row.locator("input[type=file]").set_input_files(str(source_pdf))
    row.locator("text=Unggah bukti").click()
    expect(tpt_row(page).locator(".evidence-list")).to_contain_text("data-bps-tpt-2025.pdf")
    page.click(".save-bar button[value=submit]")
    expect(page.locator(".messages")).to_contain_text("1 realisasi diajukan")
    expect(tpt_row(page).locator(".badge.state")).to_have_text("Diajukan")
    log_out(page)

    # The planner returns it with a reason.
    log_in(page, live_server, "perencana")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/realisasi/tw4/")
    row = tpt_row(page)
    row.locator("button", has_text="Kembalikan").click()
    expect(page.locator(".messages")).to_contain_text("alasan wajib diisi")
    row = tpt_row(page)
    row.get_by_placeholder("wajib bila dikembalikan").fill("Sebutkan tabel BPS yang dipakai sebagai sumber")
    row.locator("button", has_text="Kembalikan").click()
    expect(page.locator(".messages")).to_contain_text("1 realisasi dikembalikan")
    log_out(page)

    # The operator sees it at the top, corrects and resubmits.
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/realisasi/tw4/")
    returned = page.locator("section.returned")
    expect(returned).to_contain_text("TPT")
    expect(returned).to_contain_text("Sebutkan tabel BPS yang dipakai sebagai sumber")
    row = tpt_row(page)
    row.get_by_label("Sumber data").fill("BPS Kota Bekasi, Tabel Sakernas Agustus 2025")
    page.click(".save-bar button[value=submit]")
    expect(page.locator(".messages")).to_contain_text("1 realisasi diajukan")
    log_out(page)

    # The planner verifies, then locks the quarter.
    log_in(page, live_server, "perencana")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/realisasi/tw4/")
    tpt_row(page).locator("button", has_text="Verifikasi").click()
    expect(page.locator(".messages")).to_contain_text("1 realisasi diverifikasi")
    page.click("button:has-text('Kunci TW IV')")
    expect(page.locator(".messages")).to_contain_text("dikunci")
    log_out(page)

    # The operator can read but no longer edit.
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/realisasi/tw4/")
    expect(page.locator("section.period")).to_contain_text("sudah dikunci oleh")
    expect(tpt_row(page).get_by_label("Realisasi", exact=True)).to_have_count(0)
    expect(page.locator("button[value=save]")).to_have_count(0)
    tpt = Realization.objects.get(indicator__plan__agency=bekasi, indicator__code="TPT", year=YEAR, quarter=QUARTER)
    assert (tpt.value, tpt.review, tpt.source) == (
        Decimal("7.33"), "terverifikasi", "BPS Kota Bekasi, Tabel Sakernas Agustus 2025")
    log_out(page)

    # Another agency's operator: 404 on every entry, evidence and verification URL.
    other = factories.agency("dinas-lain")
    factories.user("orang-lain", agency=other, role="staff")
    log_in(page, live_server, "orang-lain")
    evidence = Evidence.objects.get(realization=tpt)
    base = f"{live_server.url}/instansi/bekasi-disnaker/2025"
    for url in (f"{base}/realisasi/", f"{base}/realisasi/tw4/", f"{base}/anggaran/tw4/",
                f"{live_server.url}/bukti/{evidence.pk}/"):
        assert page.goto(url).status == 404, url
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    for url, form in ((f"{base}/realisasi/tw4/", {"action": "save"}),
                      (f"{base}/realisasi/tw4/verifikasi/", {"act": f"verify:{tpt.indicator_id}"}),
                      (f"{base}/realisasi/tw4/pratinjau/", {"indicator": str(tpt.indicator_id)}),
                      (f"{base}/realisasi/tw4/bukti/", {"indicator": str(tpt.indicator_id)}),
                      (f"{live_server.url}/bukti/{evidence.pk}/hapus/", {}),
                      (f"{base}/realisasi/tw4/kunci/", {}),
                      (f"{base}/realisasi/tw4/buka-kunci/", {"reason": "x"})):
        response = page.request.post(url, form=form, headers={"X-CSRFToken": token, "Referer": live_server.url})
        assert response.status == 404, (url, response.status)
    assert re.search("Bekasi", page.content()) is None
