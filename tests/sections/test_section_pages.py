"""The entry pages of the report's own sections and the image uploads: what a person sees and
saves, refusals in Indonesian that write nothing, files judged by their content."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agencies.models import Agency
from audit.models import AuditEntry
from budget.models import SpendingByType
from images.models import ReportImage
from images.services import image_bytes, image_reference
from reports.snapshot import build_snapshot
from sectorstats.models import StatisticsTable
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency() -> Agency:
    report = workbook_import(source=as_file(build_workbook(minimal_data())))
    assert report.ok
    return Agency.objects.get(code="uji-disnaker")


@pytest.fixture
def planner(client, agency):
    client.force_login(factories.user("pln", agency=agency, role="planner"))
    return client


def picture(kind: str = "PNG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, kind)
    return out.getvalue()


def upload(client, agency, kind: str, name: str, data: bytes, content_type: str = "image/png"):
    url = reverse("images:index", args=[agency.code, 2025])
    return client.post(url, {"kind": kind, "file": SimpleUploadedFile(name, data, content_type)}, follow=True)


# ---- belanja per jenis ----


def test_spending_page_saves_and_shows_the_computed_group(planner, agency):
    url = reverse("budget:spending_types", args=[agency.code, 2025])
    response = planner.post(url, {"revisions": "", "pegawai-ceiling_original": "Rp 300.000.000",
                                  "pegawai-spent": "290.000.000", "modal-ceiling_original": "1.000.000"}, follow=True)
    assert response.status_code == 200
    assert SpendingByType.objects.filter(agency=agency, year=2025).count() == 2
    page = response.content.decode()
    assert "dihitung dari rincian" in page and "Rp 300.000.000" in page
    assert "Selisih dengan data anggaran" in page  # 301.000.000 against the tree's 18.500.000.000


def test_spending_page_refuses_bad_input_and_writes_nothing(planner, agency):
    url = reverse("budget:spending_types", args=[agency.code, 2025])
    response = planner.post(url, {"revisions": "", "pegawai-ceiling_original": "7.33",
                                  "operasi-ceiling_original": "5", "modal-spent": "10"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Belanja Pegawai · pagu murni" in page and "bukan angka" in page
    assert "pagu murni wajib diisi" in page
    assert not SpendingByType.objects.exists()


# ---- statistics tables ----


def test_statistics_form_creates_a_table_from_pasted_cells(planner, agency):
    url = reverse("sectorstats:create", args=[agency.code, 2025])
    indicator = agency.strategic_plans.get().indicators.get(code="IKU2")
    response = planner.post(url, {
        "code": "3.9", "title": "Perselisihan", "section": "analisis", "indicator": indicator.pk,
        "source": "Bidang HI", "content": "Bulan\tHasil / PB\nJanuari\t1\nJUMLAH\t1.117\n",
    }, follow=True)
    assert response.status_code == 200
    table = StatisticsTable.objects.get(agency=agency)
    assert table.indicator == indicator and table.cells.count() == 4
    assert "Hasil / PB" in response.content.decode()
    edit = planner.get(reverse("sectorstats:edit", args=[agency.code, 2025, table.pk])).content.decode()
    assert "Januari\t1" in edit


def test_statistics_form_names_the_row_that_has_too_many_cells(planner, agency):
    url = reverse("sectorstats:create", args=[agency.code, 2025])
    response = planner.post(url, {"code": "a", "title": "T", "section": "analisis", "content": "A|B\n1|2|3"})
    assert response.status_code == 400
    assert "baris 1: 3 isian, tabel hanya punya 2 kolom" in response.content.decode()
    assert not StatisticsTable.objects.exists()


# ---- uploads ----


def test_logo_upload_is_stored_by_content_and_goes_into_the_snapshot(planner, agency, settings):
    response = upload(planner, agency, "logo", "logo.png", picture())
    assert "Logo perangkat daerah diunggah" in response.content.decode()
    image = ReportImage.objects.get(kind="logo")
    assert (image.width, image.height, image.content_type) == (64, 48, "image/png")
    assert image.file.name == f"images/{image.sha256}.png"
    assert AuditEntry.objects.filter(object_type="reportimage", action="create").count() == 1
    download = planner.get(reverse("images:download", args=[agency.code, 2025, image.pk]))
    assert download["Content-Type"] == "image/png" and download["X-Content-Type-Options"] == "nosniff"
    snapshot = build_snapshot(agency=agency, year=2025)
    reference = snapshot["images"]["logo"]
    assert reference == image_reference(image) and "org_chart" not in snapshot["images"]
    assert image_bytes(reference) == picture()
    # Replaced: the record points at the new file, the old file stays for the stored version.
    upload(planner, agency, "logo", "logo2.jpg", picture("JPEG"), "image/jpeg")
    assert ReportImage.objects.filter(kind="logo").count() == 1
    assert image_bytes(reference) == picture()
    assert image_bytes({**reference, "sha256": "0" * 64}) is None
    assert image_bytes({**reference, "storage": "evidence/../../etc/passwd"}) is None


def test_chart_is_per_year_and_an_earlier_one_is_used(planner, agency):
    upload(planner, agency, "bagan", "bagan.png", picture(size=(400, 300)))
    chart = ReportImage.objects.get(kind="bagan")
    assert chart.year == 2025
    assert build_snapshot(agency=agency, year=2026)["images"]["org_chart"]["year"] == 2025
    assert "images" not in build_snapshot(agency=agency, year=2024)


@pytest.mark.parametrize(("name", "data", "message"), [
    ("logo.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "SVG tidak diterima"),
    ("logo.png", b"%PDF-1.4\n%%EOF\n", "berisi PDF"),  # a renamed file: the name says PNG, the content does not
    ("logo.jpg", b"GIF89a" + b"\0" * 64, "berisi GIF"),
    ("logo.png", b"just text", "jenis berkas tidak diterima"),
    ("logo.png", picture()[:60], "rusak atau terpotong"),
    ("logo.png", picture(size=(8, 8)), "terlalu kecil"),
    ("logo.png", b"", "berkas kosong"),
])
def test_refused_uploads_say_why_and_write_nothing(planner, agency, name, data, message):
    response = upload(planner, agency, "logo", name, data)
    assert message in response.content.decode()
    assert not ReportImage.objects.exists()


def test_too_large_an_upload_is_refused(planner, agency, settings):
    settings.IMAGE_MAX_BYTES = 1000
    response = upload(planner, agency, "logo", "logo.png", picture(size=(400, 400)) + b"\0" * 2000)
    assert "gambar paling besar" in response.content.decode()
    assert not ReportImage.objects.exists()


def test_too_many_pixels_is_refused(planner, agency):
    response = upload(planner, agency, "logo", "logo.png", picture(size=(6001, 20)))
    assert "terlalu besar" in response.content.decode()
    assert not ReportImage.objects.exists()


def test_a_jpeg_renamed_png_is_stored_as_jpeg(planner, agency):
    upload(planner, agency, "logo", "logo.png", picture("JPEG"), "image/png")
    image = ReportImage.objects.get()
    assert image.content_type == "image/jpeg" and image.file.name.endswith(".jpg")


def test_pemda_logo_only_by_the_pemdas_planner(client, planner, agency):
    refused = planner.post(reverse("images:index", args=[agency.code, 2025]),
                           {"kind": "logo_pemda", "file": SimpleUploadedFile("p.png", picture(), "image/png")})
    assert refused.status_code == 403
    client.force_login(factories.user("bappeda", government=agency.government, gov_role="planner"))
    upload(client, agency, "logo_pemda", "pemda.png", picture())
    image = ReportImage.objects.get(kind="logo_pemda")
    assert image.agency is None and image.government == agency.government
    # Without a logo of its own, the agency prints its Pemda's.
    assert build_snapshot(agency=agency, year=2025)["images"]["logo"]["owner"] == "pemda"


def test_admin_upload_goes_through_the_service(client, agency):
    admin = factories.user("root")
    admin.is_superuser = admin.is_staff = True
    admin.save()
    client.force_login(admin)
    response = client.post(reverse("admin:images_reportimage_add"), {
        "kind": "logo", "government": agency.government_id, "agency": agency.pk, "year": "",
        "upload": SimpleUploadedFile("logo.png", picture(), "image/png"),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    image = ReportImage.objects.get()
    assert AuditEntry.objects.filter(object_type="reportimage", channel="admin").exists()
    refused = client.post(reverse("admin:images_reportimage_add"), {
        "kind": "logo", "government": agency.government_id, "agency": agency.pk,
        "upload": SimpleUploadedFile("logo.svg", b"<svg></svg>", "image/svg+xml"),
    })
    assert refused.status_code == 200 and "SVG tidak diterima" in refused.content.decode()
    assert ReportImage.objects.get() == image
