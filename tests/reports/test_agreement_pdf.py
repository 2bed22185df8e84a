"""The Perjanjian Kinerja PDF of one version: who may download it, and what it prints."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.services import AuditContext
from budget.models import BudgetItem
from performance.agreements import contents, shown_contents
from performance.models import Indicator, PerformanceAgreement
from performance.services import AgreementProgramInput, AgreementRowInput, agreement_save, amendment_start
from reports.agreement_document import record_of, render_agreement
from tests import factories
from tests.audit.helpers import without_csrf
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

CODE = "uji-disnaker"
YEAR = 2025
FIRST, SECOND = "Siti Aminah, S.E.", "Budi Santoso"
TOTAL = "1.595.678.900,50"  # 1.250.000.000 + 345.678.900,50
PRINTED = datetime.datetime(2025, 2, 3, 9, 30, tzinfo=datetime.UTC)


def import_world(data=None):
    report = workbook_import(source=as_file(build_workbook(data or minimal_data())), file_name="uji.xlsx")
    assert report.ok, [str(e) for e in report.errors]


def pk_ready(*, acting: bool = True, quarters: bool = True) -> PerformanceAgreement:
    """The workbook's PK murni with two programs, a program indicator and signatories."""
    agreement = PerformanceAgreement.objects.get(agency__code=CODE, year=YEAR, number=0)
    agency = agreement.agency
    first = BudgetItem.objects.get(agency=agency, code="2.07.03")
    second = BudgetItem.objects.create(agency=agency, code="2.07.04", kind="program",
                                       name="Program Pelatihan Kerja dan Produktivitas Tenaga Kerja")
    rows = {t.indicator_id: AgreementRowInput(t.value, tuple(t.quarters) if quarters else (None,) * 4,
                                              "target disesuaikan dengan proyeksi BPS")
            for t in agreement.targets.all()}
    program_indicator = Indicator.objects.get(plan__agency=agency, code="IKK1")
    rows[program_indicator.pk] = AgreementRowInput(Decimal("80"), reason="uji")
    programs = {first.pk: AgreementProgramInput(Decimal("1250000000"), "PK menyebut pagu program yang lain"),
                second.pk: AgreementProgramInput(Decimal("345678900.50"), "uji")}
    header = {**factories.SIGNATORIES, "first_name": FIRST, "second_name": SECOND}
    if acting:
        header.update(first_capacity="plt", first_decree_number="800/123/BKPSDM",
                      first_decree_date=datetime.date(2025, 1, 2))
    agreement_save(agreement=agreement, header=header, rows=rows, programs=programs, revision=None,
                   ctx=AuditContext())
    return PerformanceAgreement.objects.get(pk=agreement.pk)


def approved(agreement: PerformanceAgreement) -> PerformanceAgreement:
    """Approved the way a Pemda approves (the factory saves its own SIGNATORIES' names first)."""
    done = factories.approve_agreement(agreement)
    return PerformanceAgreement.objects.select_related("agency__government", "amends").get(pk=done.pk)


def flat(text: str) -> str:
    """One line of text; words hyphenated at a line end joined again."""
    return re.sub(r"(?<=[a-z])\u2010 (?=[a-z])", "", re.sub(r"\s+", " ", text))


def pdf_text(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF")
    return flat(" ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages))


def download(client, user, number: int = 0, code: str = CODE):
    client.force_login(user)
    return client.get(reverse("reports:agreement_pdf", args=[code, YEAR, number]))


def body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def world():
    import_world()
    other = minimal_data()
    other["Instansi"].update(kode_instansi="lain-disnaker", pemda="Pemerintah Kota Lain",
                             nama_instansi="Dinas Tenaga Kerja Kota Lain")
    import_world(other)
    own = PerformanceAgreement.objects.get(agency__code=CODE).agency
    foreign = PerformanceAgreement.objects.get(agency__code="lain-disnaker").agency
    return {
        "operator": factories.user("operator", agency=own),
        "planner": factories.user("perencana", agency=own, role="planner"),
        "head": factories.user("kepala", agency=own, role="head"),
        "evaluator": factories.user("evaluator", government=own.government, gov_role="evaluator"),
        "outsider": factories.user("orang-lain", agency=foreign, role="planner"),
        "outsider_gov": factories.user("bappeda-lain", government=foreign.government, gov_role="planner"),
    }


# ---- who may download ----


@pytest.mark.parametrize("role", ["operator", "planner", "head", "evaluator"])
def test_the_agencys_roles_and_its_pemda_download_the_pdf(client, world, role):
    pk_ready()
    response = download(client, world[role])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="PK-uji-disnaker-2025-v0-draf.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert body(response).startswith(b"%PDF")


@pytest.mark.parametrize("role", ["outsider", "outsider_gov"])
def test_another_pemdas_users_get_the_404_of_a_missing_agency(client, world, role):
    real = download(client, world[role])
    missing = download(client, world[role], code="tidak-ada")
    assert real.status_code == missing.status_code == 404
    page = without_csrf(real.content.decode()).replace(CODE, "<kode>")
    assert page == without_csrf(missing.content.decode()).replace("tidak-ada", "<kode>")


def test_a_missing_version_is_404(client, world):
    for number in (1, 7, 2**15, 2**40):
        assert download(client, world["planner"], number=number).status_code == 404, number
    client.force_login(world["planner"])
    assert client.get(f"/instansi/{CODE}/99999999999999999999/pk/v0/pdf/").status_code == 404


def test_anonymous_is_sent_to_log_in_and_post_is_refused(client, world):
    url = reverse("reports:agreement_pdf", args=[CODE, YEAR, 0])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(world["planner"])
    assert client.post(url).status_code == 405


# ---- what it prints ----


def test_a_draft_prints_both_parties_the_acting_head_the_total_and_the_draft_banner(client, world):
    pk_ready()
    text = pdf_text(body(download(client, world["planner"])))
    assert "PERJANJIAN KINERJA TAHUN 2025" in text and "LAMPIRAN PERJANJIAN KINERJA TAHUN 2025" in text
    assert "PEMERINTAH KOTA UJI" in text and "DINAS TENAGA KERJA KOTA UJI" in text
    assert "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan, dan akuntabel" in text
    assert "selaku atasan pihak pertama, selanjutnya disebut pihak kedua" in text
    assert "Pihak kedua akan melakukan supervisi" in text
    assert text.count(FIRST) >= 3 and text.count(SECOND) >= 3  # the statement and both signature pages
    assert "Plt. Kepala Dinas" in text
    assert "Pelaksana Tugas (Plt.) berdasarkan Surat Keputusan Nomor 800/123/BKPSDM tanggal 2 Januari 2025" in text
    assert "NIP. 197001011990031001" in text
    assert "Kota Contoh, 31 Januari 2025" in text
    assert f"Jumlah {TOTAL}" in text
    assert "1.250.000.000" in text and "345.678.900,50" in text
    assert "DRAF — BELUM DISETUJUI" in text and "status: Draf" in text
    assert "sha256" not in text


def test_the_matrix_rows_quarters_program_indicators_and_reasons(client, world):
    pk_ready()
    text = pdf_text(body(download(client, world["planner"])))
    assert "Meningkatnya penyerapan tenaga kerja Tingkat Pengangguran Terbuka % 7,5 7,9 7,8 7,6 7,5" in text
    assert "Pencari kerja yang ditempatkan orang 1.200" in text
    assert "Rencana Aksi" in text and "TW IV" in text
    assert "Indikator Kinerja Program" in text and "Pelayanan Antarkerja Indeks kepuasan nilai 80" in text
    # The one target that differs from the Renstra (7,73), with its reason; the budget that differs from the pagu.
    assert ("IKU1 Tingkat Pengangguran Terbuka: target PK 7,5 %, target Renstra 7,73 %; "
            "alasan: target disesuaikan dengan proyeksi BPS.") in text
    assert "anggaran PK Rp 1.250.000.000, pagu Rp 18.500.000.000; alasan: PK menyebut pagu program yang lain" in text


def test_quarter_columns_only_when_a_row_has_quarterly_targets(client, world):
    pk_ready(quarters=False)
    text = pdf_text(body(download(client, world["planner"])))
    assert "Rencana Aksi" not in text and "TW I" not in text


def test_a_definitive_head_has_no_prefix_and_no_decree(client, world):
    pk_ready(acting=False)
    text = pdf_text(body(download(client, world["planner"])))
    assert "Plt." not in text and "Surat Keputusan" not in text
    assert "Jabatan : Kepala Dinas" in text


def test_an_approved_version_prints_its_frozen_contents_approval_and_hash(client, world):
    agreement = approved(pk_ready())
    Indicator.objects.filter(plan__agency=agreement.agency, code="IKU1").update(name="Nama Baru Setelah Disetujui")
    response = download(client, world["evaluator"])
    assert response["Content-Disposition"] == 'attachment; filename="PK-uji-disnaker-2025-v0.pdf"'
    text = pdf_text(body(response))
    assert "Tingkat Pengangguran Terbuka" in text and "Nama Baru" not in text
    assert "draf" not in text.lower() and "BELUM DISETUJUI" not in text
    approved_on = timezone.localtime(agreement.status_changed_at).date()
    from reports.document import tanggal

    assert f"Disetujui {tanggal(approved_on)}" in text
    assert agreement.frozen_sha256 and agreement.frozen_sha256 in text
    assert "Plt. Kepala Dinas" in text and f"Jumlah {TOTAL}" in text
    assert factories.SIGNATORIES["first_name"] in text and factories.SIGNATORIES["second_name"] in text


def test_an_amendment_says_what_it_changes_and_why(client, world):
    murni = approved(pk_ready())
    amendment = amendment_start(agreement=murni, cause="anggaran", cause_note="APBD Perubahan 2025",
                                effective_from=datetime.date(2025, 7, 1), ctx=AuditContext())
    response = download(client, world["planner"], number=amendment.number)
    assert response["Content-Disposition"] == 'attachment; filename="PK-uji-disnaker-2025-v1-draf.pdf"'
    text = pdf_text(body(response))
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2025" in text
    assert "Mengubah PK Murni Tahun 2025 · berlaku mulai 1 Juli 2025" in text
    assert ("PK Perubahan ini mengubah PK Murni Tahun 2025; sebab perubahan: Perubahan anggaran — APBD Perubahan "
            "2025; berlaku mulai 1 Juli 2025.") in text
    assert "DRAF — BELUM DISETUJUI" in text
    # The murni stays as it was approved.
    assert "DRAF" not in pdf_text(body(download(client, world["planner"], number=0)))


def test_a_second_amendment_is_perubahan_ke_2():
    import_world()
    record = record_of(PerformanceAgreement.objects.select_related("agency__government").get(number=0))
    shown = {**contents(PerformanceAgreement.objects.get(number=0)), "number": 2, "label": "PK Perubahan ke-2"}
    text = pdf_text(render_agreement(shown, record, printed_at=PRINTED).pdf)
    assert "PERJANJIAN KINERJA PERUBAHAN KE-2 TAHUN 2025" in text


# ---- the renderer ----


def test_rendering_reads_nothing_and_computes_the_total_from_the_rows(django_assert_num_queries):
    import_world()
    agreement = PerformanceAgreement.objects.select_related("agency__government", "amends").get()
    pk_ready()
    agreement.refresh_from_db()
    shown = {**shown_contents(agreement), "total": "1"}  # a figure carried in the contents is never printed
    record = record_of(agreement)
    with django_assert_num_queries(0):
        rendered = render_agreement(shown, record, printed_at=PRINTED)
    assert 2 <= rendered.pages <= 4
    text = pdf_text(rendered.pdf)
    assert f"Jumlah {TOTAL}" in text and "Jumlah 1 " not in text
    assert "dicetak 3 Februari 2025 16.30" in text  # Jakarta time


def test_an_approved_version_renders_to_the_same_bytes():
    import_world()
    agreement = approved(pk_ready())
    shown, record = shown_contents(agreement), record_of(agreement)
    first = render_agreement(shown, record, printed_at=PRINTED).pdf
    assert render_agreement(shown, record, printed_at=PRINTED + datetime.timedelta(days=3)).pdf == first
