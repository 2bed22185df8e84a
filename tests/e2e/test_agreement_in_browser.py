"""The Perjanjian Kinerja as people use it, in Debian's chromium: Bekasi's planner drafts the
2026 PK from the Renstra, changes TPT's target with a reason and submits; the Pemda's planner
returns it with a reason; the planner fixes and resubmits; the Pemda approves; the approved PK
cannot be edited; an amendment goes through and the diff shows the changed row."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from agencies.models import Agency
from performance.models import PerformanceAgreement
from tests import factories
from tests.e2e.browser import BEKASI, log_in, log_out
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=20_000)
NEXT = 2026




def tpt(page):
    return page.locator("tr", has_text="TPT · Tingkat Pengangguran Terbuka")


def test_a_pk_from_the_renstra_to_an_approved_amendment(page, live_server, tmp_path):
    assert workbook_import(source=BEKASI).ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    factories.user("perencana", agency=bekasi, role="planner")
    factories.user("operator", agency=bekasi, role="staff")
    factories.user("bappeda", government=bekasi.government, gov_role="planner")

    # The planner: agency page → Perjanjian Kinerja → next year → draft from the Renstra.
    log_in(page, live_server, "perencana")
    page.click("a:text-is('Dinas Tenaga Kerja Kota Bekasi')")
    page.click("text=Perjanjian Kinerja 2025")
    page.click(f"nav.years >> text={NEXT}")
    page.click(f"text=Susun PK {NEXT} dari Renstra")
    expect(page.locator("h1")).to_have_text(f"Ubah PK Murni {NEXT}")
    value = tpt(page).locator("input[name$='-value']")
    expect(value).to_have_value("7,32")  # the Renstra's 2026 target, prefilled
    value.fill("7,10")
    page.fill("#id_first_name", "Dr. Hj. Contoh Kepala Dinas")
    page.fill("#id_first_position", "Kepala Dinas Tenaga Kerja Kota Bekasi")
    page.fill("#id_second_name", "Contoh Wali Kota")
    page.fill("#id_second_position", "Wali Kota Bekasi")
    page.fill("#id_signed_place", "Bekasi")
    page.fill("#id_signed_on", f"{NEXT}-01-30")
    page.click("button:text-is('Simpan draf')")
    expect(page.locator("section.errors")).to_contain_text("target berbeda dari Renstra (7,32): tuliskan alasannya")
    tpt(page).locator("input[name$='-reason']").fill("Target RPJMD 2025-2029 untuk Kota Bekasi")
    page.click("button:text-is('Simpan & ajukan')")
    expect(page.locator(".heading .status")).to_have_text("Diajukan")
    expect(page.locator("#baris-TPT")).to_contain_text("Target RPJMD 2025-2029 untuk Kota Bekasi")
    log_out(page)

    # The Pemda's planner: home → PK overview → the year → return with a reason.
    log_in(page, live_server, "bappeda")
    page.click("a:text-is('PK 2025')")
    page.click(f"nav.years >> text={NEXT}")
    row = page.locator("tr", has_text="Dinas Tenaga Kerja Kota Bekasi")
    expect(row).to_contain_text("Pemda (persetujuan)")
    row.locator("text=Periksa").click()
    expect(page.locator("#baris-TPT")).to_contain_text("7,1")
    page.fill("#alasan-kembali", "Lengkapi NIP pihak pertama")
    page.click("button:text-is('Kembalikan')")
    expect(page.locator(".heading .status")).to_have_text("Dikembalikan")
    log_out(page)

    # The planner sees why, fixes and resubmits.
    log_in(page, live_server, "perencana")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/")
    page.click("a:text-is('PK Murni')")
    expect(page.locator("section.returned")).to_contain_text("Lengkapi NIP pihak pertama")
    page.click("text=Ubah PK Murni")
    page.fill("#id_first_nip", "197001011990031001")
    page.click("button:text-is('Simpan & ajukan')")
    expect(page.locator(".heading .status")).to_have_text("Diajukan")
    log_out(page)

    # The Pemda approves from its overview.
    log_in(page, live_server, "bappeda")
    page.goto(f"{live_server.url}/pemda/{bekasi.government_id}/{NEXT}/pk/")
    page.locator("tr", has_text="Dinas Tenaga Kerja Kota Bekasi").locator("button:text-is('Setujui')").click()
    expect(page.locator("tr", has_text="Dinas Tenaga Kerja Kota Bekasi")).to_contain_text("Disetujui")
    log_out(page)
    murni = PerformanceAgreement.objects.get(agency=bekasi, year=NEXT, number=0)
    assert murni.is_locked and murni.frozen_sha256

    # The approved PK cannot be edited: no edit link, and the edit page sends the planner back.
    # The scan of the signed paper becomes evidence of the version; the PDF is the print.
    log_in(page, live_server, "perencana")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/v0/")
    expect(page.locator("text=Ubah PK Murni")).to_have_count(0)
    with page.expect_download() as pdf:
        page.click("text=Unduh PDF")
    assert pdf.value.path().read_bytes().startswith(b"%PDF")
    scan = tmp_path / "pk-2026-ditandatangani.pdf"
    scan.write_bytes(pdf.value.path().read_bytes())
    page.set_input_files("section.agreement-scans input[type=file]", str(scan))
    page.click("section.agreement-scans button[type=submit]:not(.link)")
    expect(page.locator("section.agreement-scans")).to_contain_text("pk-2026-ditandatangani.pdf")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/v0/ubah/")
    expect(page.locator("ul.messages")).to_contain_text("Buat PK perubahan untuk mengubahnya")

    # An amendment: cause, date, the changed row, the same approval.
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/")
    page.select_option("#id_cause", "koreksi")
    page.fill("#id_cause_note", "Kembali ke target Renstra setelah evaluasi triwulan I")
    page.fill("#id_effective_from", f"{NEXT}-07-01")
    page.click("button:text-is('Buat PK perubahan')")
    expect(page.locator("h1")).to_have_text(f"Ubah PK Perubahan {NEXT}")
    tpt(page).locator("input[name$='-value']").fill("7,32")
    tpt(page).locator("input[name$='-reason']").fill("")
    page.click("button:text-is('Simpan & ajukan')")
    expect(page.locator(".heading .status")).to_have_text("Diajukan")
    log_out(page)
    log_in(page, live_server, "bappeda")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/v1/")
    page.click("button:text-is('Setujui PK Perubahan')")
    expect(page.locator(".heading .status")).to_have_text("Disetujui")
    page.click("text=Semua versi")
    page.click("text=Tampilkan perbedaan")
    changed = page.locator("table.diff tr", has_text="TPT")
    expect(changed.first).to_contain_text("diubah")
    expect(page.locator("table.diff")).to_contain_text(re.compile(r"7,1.*7,32", re.S))
    amended = PerformanceAgreement.objects.get(agency=bekasi, year=NEXT, number=1)
    assert amended.is_locked and amended.targets.get(indicator__code="TPT").value == Decimal("7.32")
    log_out(page)

    # An operator reads the PK but cannot act on it.
    log_in(page, live_server, "operator")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/{NEXT}/pk/v1/")
    expect(page.locator(".heading .status")).to_have_text("Disetujui")
    expect(page.locator("button:text-is('Ajukan untuk persetujuan')")).to_have_count(0)
    expect(page.locator("text=Buat PK perubahan")).to_have_count(0)
