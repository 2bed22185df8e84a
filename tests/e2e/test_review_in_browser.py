"""The reviu and the LHE as their users do them, in Debian's chromium.

The reviu: an inspector of the Pemda opens *Reviu LKjIP* from Bekasi's agency page and a reviu
on the stored document version 1; the working paper comes prefilled with the app's proposals;
they rewrite one row's Kondisi and assess every row; a save with a *dengan catatan* row and no
Rekomendasi is refused in Indonesian and keeps what they typed; they add the Rekomendasi and
save; they write a note on TPT TW IV. The agency's operator reads the note without an answer
form; the planner answers it; the inspector resolves it and closes the reviu; a plain inspector
has no statement form; the Inspektur issues the statement, prefilled with their name, NIP and
jabatan, and the page shows its wording. The next document version prints it.

The LHE: the Pemda's evaluator records the LHE of Bekasi's LKjIP 2024 with component values
written the Indonesian way, sees the computed total and predikat and adds a recommendation; a
value that is not a number or is above its weight is refused in Indonesian and writes nothing;
the agency's planner writes the tindak lanjut."""

from __future__ import annotations

import importlib
import re
from io import BytesIO

import pytest
from django.apps import apps
from playwright.sync_api import expect
from pypdf import PdfReader

from agencies.models import Agency, GovernmentRole
from evaluations.models import Evaluation
from lkjip.celery import app as celery_app
from performance.models import Recommendation
from reports.models import LkjipDocument
from reports.services import document_request
from reviews.models import Review, ReviewItem, ReviewNote, ReviewStatement
from tests import factories
from tests.e2e.browser import BEKASI, log_in, log_out
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db(transaction=True)
expect.set_options(timeout=20_000)
YEAR = 2025
AGENCY = "Dinas Tenaga Kerja Kota Bekasi"
INSPEKTUR = "Drs. Contoh Inspektur, M.Si."
NIP = "196801011990031002"


@pytest.fixture
def render_inline(settings):
    """Render a document version in the calling thread (no worker, no background thread)."""
    settings.LKJIP_RENDER_IN_THREAD = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def make_document(agency: Agency) -> LkjipDocument:
    document, _ = document_request(agency=agency, year=YEAR, user=None)  # autocommit: rendered on return
    document.refresh_from_db()
    assert document.status == LkjipDocument.Status.DONE, document.error
    return document


def pdf_text(document: LkjipDocument) -> str:
    with document.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def row(page, order: int, aspect: str):
    """One working-paper row: the fieldset its legend names."""
    return page.get_by_role("group", name=re.compile(rf"^{order}\. {re.escape(aspect)}\b"))


def note(page):
    return page.locator("article.review-note").first


# (order, aspect, status chosen) for every row of the checklist
ASSESSMENT = [
    (1, "Sistematika penyajian", "Terpenuhi"),
    (2, "Sasaran dan IKU", "Dengan catatan"),
    (3, "Target dan Perjanjian Kinerja", "Tidak terpenuhi"),
    (4, "Keandalan data realisasi", "Dengan catatan"),
    (5, "Perhitungan capaian", "Terpenuhi"),
    (6, "Perbandingan capaian", "Dengan catatan"),
    (7, "Analisis sebab dan upaya", "Dengan catatan"),
    (8, "Efisiensi sumber daya", "Terpenuhi"),
    (9, "Penetapan dan ketepatan waktu", "Tidak terpenuhi"),
]


def test_a_reviu_from_the_working_paper_to_the_printed_statement(page, live_server, render_inline):
    assert workbook_import(source=BEKASI).ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    pemda = bekasi.government
    factories.user("auditor", government=pemda, gov_role="inspector")
    inspektur = factories.user("inspektur", government=pemda, gov_role="inspector")
    inspektur.full_name, inspektur.nip = INSPEKTUR, NIP
    inspektur.save()
    GovernmentRole.objects.filter(user=inspektur).update(head=True, position="Inspektur Kota Bekasi")
    factories.user("perencana", agency=bekasi, role="planner")
    factories.user("operator", agency=bekasi, role="staff")
    first = make_document(bekasi)

    # The inspector: agency page → Reviu LKjIP → open a reviu on version 1.
    log_in(page, live_server, "auditor")
    page.click(f"a:text-is('{AGENCY}')")
    page.click(f"text=Reviu LKjIP {YEAR}")
    expect(page.locator("h1")).to_have_text(f"Reviu LKjIP {YEAR}")
    expect(page.get_by_text(f"Belum ada reviu LKjIP tahun {YEAR}.")).to_be_visible()
    versions = page.get_by_label("Buka reviu atas")
    expect(versions.locator("option")).to_have_text([re.compile(r"^versi 1 \(")])
    versions.select_option("1")
    page.get_by_role("button", name="Buka reviu").click()
    expect(page.locator("h1")).to_have_text(f"Reviu LKjIP {YEAR}: dokumen versi 1")
    expect(page.locator("ul.messages")).to_contain_text("Reviu atas dokumen versi 1 dibuka")
    expect(page.get_by_text("0 dari 9 butir dinilai")).to_be_visible()

    # The proposals are in the working paper: Kondisi and status prefilled.
    alignment = row(page, 2, "Sasaran dan IKU")
    expect(alignment).to_contain_text("Usulan aplikasi: 2 indikator tujuan/sasaran diukur dalam laporan")
    expect(alignment.get_by_label("Kondisi")).to_have_value(re.compile(r"^2 indikator tujuan/sasaran .*TPAK\.$"))
    expect(alignment.get_by_label("Status")).to_have_value("dengan_catatan")
    expect(row(page, 9, "Penetapan dan ketepatan waktu").get_by_label("Kondisi")).to_have_value(
        "Laporan belum ditetapkan: tanggal penandatanganan belum diisi.")

    # Edit one Kondisi, assess every row; no Rekomendasi yet on the row 'dengan catatan'.
    kondisi = "TPAK ada di Renstra 2025-2029 tetapi tidak diperjanjikan dalam PK Murni 2025."
    alignment.get_by_label("Kondisi").fill(kondisi)
    for order, aspect, status in ASSESSMENT:
        row(page, order, aspect).get_by_label("Status").select_option(label=status)
        if status != "Terpenuhi" and order != 2:
            row(page, order, aspect).get_by_label("Rekomendasi").fill(f"Perbaiki {aspect.lower()}.")
    page.get_by_role("button", name="Simpan kertas kerja").click()
    refusal = page.get_by_role("alert")
    expect(refusal).to_contain_text("butir yang tidak terpenuhi atau dengan catatan perlu Rekomendasi")
    expect(refusal).to_have_text("Sasaran dan IKU: butir yang tidak terpenuhi atau dengan catatan perlu Rekomendasi")
    missing = alignment.get_by_label("Rekomendasi")
    expect(missing).to_have_attribute("aria-invalid", "true")
    expect(missing).to_have_accessible_description("butir yang tidak terpenuhi atau dengan catatan perlu Rekomendasi")
    expect(alignment.get_by_label("Kondisi")).to_have_value(kondisi)  # what was typed is kept
    expect(alignment.get_by_label("Status")).to_have_value("dengan_catatan")
    expect(row(page, 3, "Target dan Perjanjian Kinerja").get_by_label("Rekomendasi")).to_have_value(
        "Perbaiki target dan perjanjian kinerja.")
    assert not ReviewItem.objects.filter(confirmed=True).exists()

    missing.fill("Masukkan TPAK ke PK Perubahan atau jelaskan dalam BAB II.")
    page.get_by_role("button", name="Simpan kertas kerja").click()
    expect(page.locator("ul.messages")).to_contain_text("Kertas kerja disimpan (9 butir berubah).")
    expect(page.get_by_text("9 dari 9 butir dinilai")).to_be_visible()
    expect(alignment.get_by_label("Kondisi")).to_have_value(kondisi)
    expect(alignment).to_contain_text("dinilai auditor")

    # A note on TPT, TW IV.
    form = page.locator("form", has=page.get_by_role("button", name="Simpan catatan"))
    form.get_by_label("Acuan").select_option(label="Indikator")
    form.get_by_label("Indikator").select_option(label="TPT Tingkat Pengangguran Terbuka")
    form.get_by_label("Tahun").fill(str(YEAR))
    form.get_by_label("Triwulan").select_option(label="TW IV")
    form.get_by_label("Catatan").fill("Sebutkan sumber realisasi TPT triwulan IV.")
    form.get_by_role("button", name="Simpan catatan").click()
    expect(page.locator("ul.messages")).to_contain_text("Catatan reviu disimpan")
    expect(note(page)).to_contain_text(f"Indikator TPT tahun {YEAR} TW IV")
    expect(note(page)).to_contain_text("Menunggu jawaban")
    review = Review.objects.get()
    detail = f"{live_server.url}/instansi/bekasi-disnaker/{YEAR}/reviu/{review.pk}/"
    log_out(page)

    # The operator reads the note but has no answer form.
    log_in(page, live_server, "operator")
    page.goto(detail)
    expect(note(page)).to_contain_text("Sebutkan sumber realisasi TPT triwulan IV.")
    expect(page.get_by_role("button", name="Kirim jawaban")).to_have_count(0)
    expect(page.get_by_role("button", name="Simpan kertas kerja")).to_have_count(0)
    log_out(page)

    # The planner finds the reviu from the agency page and answers.
    log_in(page, live_server, "perencana")
    page.click(f"a:text-is('{AGENCY}')")
    page.click(f"text=Reviu LKjIP {YEAR}")
    page.get_by_role("link", name="Versi 1").click()
    expect(note(page)).to_contain_text("Sebutkan sumber realisasi TPT triwulan IV.")
    note(page).get_by_label("Jawaban").fill("Sakernas BPS Agustus 2025; tangkapan layar diunggah sebagai bukti.")
    note(page).get_by_role("button", name="Kirim jawaban").click()
    expect(page.locator("ul.messages")).to_contain_text("Catatan dijawab.")
    expect(note(page)).to_contain_text("Dijawab")
    expect(note(page)).to_contain_text("Sakernas BPS Agustus 2025")
    expect(page.get_by_role("button", name="Selesaikan")).to_have_count(0)
    log_out(page)

    # The inspector resolves the note and closes the reviu; no statement form for them.
    log_in(page, live_server, "auditor")
    page.goto(detail)
    note(page).get_by_label("Tanggapan").fill("Cukup.")
    note(page).get_by_role("button", name="Selesaikan").click()
    expect(note(page)).to_contain_text("Selesai")
    expect(page.get_by_text("0 catatan belum selesai")).to_be_visible()
    page.get_by_role("button", name="Tutup reviu").click()
    expect(page.locator("ul.messages")).to_contain_text("Reviu ditutup.")
    expect(page.locator(".heading .status")).to_have_text("Selesai")
    expect(page.locator("#pernyataan")).to_contain_text("pernyataan menunggu diterbitkan oleh Inspektur")
    expect(page.get_by_role("button", name="Terbitkan pernyataan")).to_have_count(0)
    log_out(page)
    assert ReviewNote.objects.get().status == "resolved"

    # The Inspektur issues the statement, prefilled with their name, NIP and jabatan.
    log_in(page, live_server, "inspektur", INSPEKTUR)
    page.goto(detail)
    statement = page.locator("#pernyataan")
    expect(statement.get_by_label("Tempat")).to_have_value("Bekasi")
    expect(statement.get_by_label("Nama")).to_have_value(INSPEKTUR)
    expect(statement.get_by_label("NIP")).to_have_value(NIP)
    expect(statement.get_by_label("Jabatan")).to_have_value("Inspektur Kota Bekasi")
    expect(statement.locator("ol")).to_contain_text(f"Sasaran dan IKU (dengan catatan): {kondisi} Rekomendasi: Masukkan TPAK")
    statement.get_by_role("button", name="Terbitkan pernyataan").click()
    expect(page.locator("ul.messages")).to_contain_text("Pernyataan Telah Direviu diterbitkan.")
    expect(statement).to_contain_text(f"Kami telah mereviu Laporan Kinerja Instansi Pemerintah {AGENCY} Tahun {YEAR}")
    expect(statement).to_contain_text("keyakinan terbatas")
    expect(statement).to_contain_text("Hal-hal yang perlu menjadi perhatian:")
    expect(statement).to_contain_text(f"Reviu dilakukan atas dokumen versi 1, kode {first.code}")
    expect(statement).to_contain_text(f"NIP. {NIP}")
    log_out(page)
    issued = ReviewStatement.objects.get()
    assert (issued.signer_name, issued.signer_nip, issued.document_number) == (INSPEKTUR, NIP, 1)

    # The next document version prints the statement (a setup call, not the browser).
    second = make_document(bekasi)
    assert second.number == 2 and second.snapshot["review"]["data_changed"] is False
    text = pdf_text(second)
    assert "PERNYATAAN TELAH DIREVIU" in text and f"NIP. {NIP}" in text
    assert f"Reviu dilakukan atas dokumen versi 1, kode {first.code}" in text


def national_framework() -> None:
    """The migration's reference data again: a transactional test before this one flushed it."""
    importlib.import_module("evaluations.migrations.0002_national_framework").forwards(apps, None)


def test_an_lhe_with_its_computed_predikat_and_the_agency_follow_up(page, live_server):
    national_framework()
    assert workbook_import(source=BEKASI).ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    factories.user("evaluator", government=bekasi.government, gov_role="evaluator")
    factories.user("perencana", agency=bekasi, role="planner")

    # The evaluator: agency page → Evaluasi AKIP → record the LHE of the LKjIP 2024.
    log_in(page, live_server, "evaluator")
    page.click(f"a:text-is('{AGENCY}')")
    page.click("text=Evaluasi AKIP & tindak lanjut")
    expect(page.locator("h1")).to_have_text(f"Hasil evaluasi AKIP atas LKjIP {YEAR - 1}")
    page.get_by_role("link", name="Catat hasil evaluasi").click()
    page.get_by_label("Evaluator").fill("Inspektorat Kota Bekasi")
    page.get_by_label("Nomor LHE").fill("700/15/Itko/2025")
    page.get_by_label("Tanggal LHE").fill(f"{YEAR}-03-31")
    values = {"A": "25,03", "B": "23,65", "C": "12,01", "D": "19,63"}
    for code, value in values.items():
        page.get_by_label(re.compile(rf"^{code}\. ")).fill(value)

    # A value that is not a number, then one above its weight: refused in Indonesian, nothing written.
    measuring = page.get_by_label(re.compile(r"^B\. "))
    measuring.fill("abc")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(
        "B. Pengukuran Kinerja (bobot 30): “abc” bukan angka yang dapat dibaca")
    expect(measuring).to_have_value("abc")
    expect(measuring).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(re.compile(r"^A\. "))).to_have_value("25,03")
    measuring.fill("31")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Nilai komponen B: nilai Pengukuran Kinerja 31 melebihi bobotnya 30")
    expect(measuring).to_have_value("31")
    expect(measuring).to_have_accessible_description("nilai Pengukuran Kinerja 31 melebihi bobotnya 30")
    expect(page.get_by_label(re.compile(r"^D\. "))).to_have_value("19,63")
    assert not Evaluation.objects.exists()

    measuring.fill("23,65")
    page.get_by_role("button", name="Simpan", exact=True).click()
    expect(page.locator("ul.messages")).to_contain_text(f"Hasil evaluasi atas LKjIP {YEAR - 1} disimpan.")
    lhe = page.locator("#lhe")
    expect(lhe.locator("tfoot")).to_contain_text("80,32")
    expect(lhe.locator("tfoot")).to_contain_text("A (Memuaskan)")

    page.get_by_label("Komponen").fill("Pengukuran Kinerja")
    page.locator("#rekomendasi").get_by_label("Rekomendasi").fill("Lengkapi bukti dukung realisasi setiap triwulan.")
    page.get_by_role("button", name="Tambah rekomendasi").click()
    expect(page.locator("#rekomendasi")).to_contain_text("Lengkapi bukti dukung realisasi setiap triwulan.")
    log_out(page)

    # The agency's planner writes the tindak lanjut.
    log_in(page, live_server, "perencana")
    page.click(f"a:text-is('{AGENCY}')")
    page.click("text=Evaluasi AKIP & tindak lanjut")
    expect(page.locator("#lhe tfoot")).to_contain_text("A (Memuaskan)")
    expect(page.get_by_role("link", name="Ubah hasil evaluasi")).to_have_count(0)
    page.get_by_label("Tindak lanjut rekomendasi 1").fill("Bukti dukung diunggah setiap triwulan sejak TW I 2025.")
    page.get_by_label("Status rekomendasi 1").fill("dalam proses")
    page.get_by_role("button", name="Simpan tindak lanjut").click()
    expect(page.locator("ul.messages")).to_contain_text("Tindak lanjut disimpan (1 berubah).")
    expect(page.get_by_label("Tindak lanjut rekomendasi 1")).to_have_value(
        "Bukti dukung diunggah setiap triwulan sejak TW I 2025.")
    recommendation = Recommendation.objects.get(agency=bekasi, year=YEAR)
    assert recommendation.status == "dalam proses" and recommendation.follow_up.startswith("Bukti dukung")
