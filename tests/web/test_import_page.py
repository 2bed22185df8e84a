from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agencies.models import Agency
from performance.models import Indicator
from tests import factories

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "demo" / "workbooks"


def upload(client, name: str = "bekasi-disnaker.xlsx", data: bytes | None = None, dry_run: bool = False):
    content = data if data is not None else (DEMO / name).read_bytes()
    payload = {"workbook": SimpleUploadedFile(name, content)}
    if dry_run:
        payload["dry_run"] = "1"
    return client.post(reverse("workbook:upload"), payload)


@pytest.fixture
def bekasi_planner():
    gov = factories.government("Pemerintah Kota Bekasi")
    bekasi = factories.agency("bekasi-disnaker", gov)
    return factories.user("perencana", agency=bekasi, role="planner")


def test_planner_imports_own_agency_and_sees_summary_and_findings(client, bekasi_planner):
    client.force_login(bekasi_planner)
    response = upload(client)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Impor selesai: bekasi-disnaker tahun 2025" in page
    assert "Temuan kualitas data" in page and "berbeda dari target 7,73 pada Renstra, tanpa perubahan" in page
    assert Indicator.objects.filter(plan__agency__code="bekasi-disnaker").count() == 18


def test_dry_run_writes_nothing(client, bekasi_planner):
    client.force_login(bekasi_planner)
    response = upload(client, dry_run=True)
    assert "Uji coba berhasil" in response.content.decode()
    assert not Indicator.objects.exists()


def test_bad_file_lists_errors_in_indonesian_and_writes_nothing(client, bekasi_planner):
    client.force_login(bekasi_planner)
    response = upload(client, "rusak.xlsx", b"bukan excel")
    assert response.status_code == 400
    assert "tidak ada data yang disimpan" in response.content.decode()
    assert "bukan .xlsx" in response.content.decode()
    assert not Indicator.objects.exists()


def test_missing_file_is_a_clear_error(client, bekasi_planner):
    client.force_login(bekasi_planner)
    response = client.post(reverse("workbook:upload"), {})
    assert response.status_code == 400
    assert "pilih berkas workbook" in response.content.decode()


def test_planner_of_another_agency_cannot_import_into_it(client):
    gov = factories.government("Pemerintah Kota Bekasi")
    factories.agency("bekasi-disnaker", gov)
    other = factories.agency("dinas-lain", gov)
    client.force_login(factories.user("perencana-lain", agency=other, role="planner"))
    response = upload(client)
    assert response.status_code == 400
    assert "perangkat daerah tempat Anda menjadi perencana" in response.content.decode()
    assert not Indicator.objects.exists()
    assert Agency.objects.get(code="bekasi-disnaker").name == "Dinas bekasi-disnaker"


def test_agency_planner_cannot_create_a_new_agency(client, bekasi_planner):
    client.force_login(bekasi_planner)
    response = upload(client, "pontianak-disnaker.xlsx")
    assert response.status_code == 400
    assert not Agency.objects.filter(code="pontianak-disnaker").exists()


@pytest.mark.parametrize("role", ["staff", "head"])
def test_staff_and_heads_may_not_open_the_import_page(client, role):
    agency = factories.agency("dinas-a")
    client.force_login(factories.user("u", agency=agency, role=role))
    assert client.get(reverse("workbook:upload")).status_code == 403
    assert upload(client).status_code == 403


def test_government_admin_can_create_agencies_of_its_pemda(client):
    gov = factories.government("Pemerintah Kota Bekasi")
    client.force_login(factories.user("admin-bekasi", government=gov, gov_role="admin"))
    assert upload(client).status_code == 200
    assert Agency.objects.filter(code="bekasi-disnaker", government=gov).exists()


def test_oversized_upload_is_refused(client, bekasi_planner, settings):
    settings.WORKBOOK_MAX_BYTES = 1024
    client.force_login(bekasi_planner)
    response = upload(client, "besar.xlsx", io.BytesIO(b"x" * 5000).getvalue())
    assert response.status_code == 400
    assert "paling besar" in response.content.decode()


def _exported_with(agency_code: str, **changes) -> bytes:
    import io as _io

    from openpyxl import load_workbook

    from workbook.exporter import workbook_export

    book = load_workbook(_io.BytesIO(workbook_export(agency=Agency.objects.get(code=agency_code), year=2025)))
    for row in book["Instansi"].iter_rows(min_row=2):
        if row[0].value in changes:
            row[1].value = changes.pop(row[0].value)
    for key, value in changes.items():
        book["Instansi"].append([key, value])
    buffer = _io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_agency_planner_cannot_change_the_shared_pemda_record(client):
    from agencies.models import Government
    from workbook.services import workbook_import

    assert workbook_import(source=DEMO / "bekasi-disnaker.xlsx").ok
    bekasi = Agency.objects.get(code="bekasi-disnaker")
    before = Government.objects.values().get(pk=bekasi.government_id)
    client.force_login(factories.user("perencana-b", agency=bekasi, role="planner"))
    data = _exported_with("bekasi-disnaker", kepala_daerah_nama="DIUBAH", jenis_pemda="kabupaten")
    assert upload(client, "bekasi.xlsx", data).status_code == 200
    assert Government.objects.values().get(pk=bekasi.government_id) == before


def test_refusal_does_not_reveal_whether_an_agency_code_exists(client):
    from workbook.services import workbook_import

    assert workbook_import(source=DEMO / "bekasi-disnaker.xlsx").ok
    outsider_agency = factories.agency("dinas-lain", factories.government("Pemerintah Kota Lain"))
    client.force_login(factories.user("perencana-lain", agency=outsider_agency, role="planner"))
    existing = upload(client, "bekasi.xlsx", _exported_with("bekasi-disnaker")).content.decode()
    unknown = upload(client, "baru.xlsx", _exported_with("bekasi-disnaker", kode_instansi="kode-baru")).content.decode()
    assert "sudah terdaftar" not in existing and "Pemerintah Kota Bekasi:" not in existing
    assert "perangkat daerah tempat Anda menjadi perencana" in existing
    assert "perangkat daerah tempat Anda menjadi perencana" in unknown


def test_many_errors_show_the_total_and_only_the_first_ones(client, bekasi_planner):
    from tests.workbook.helpers import build_workbook, minimal_data

    data = minimal_data()
    data["Realisasi"] += [{"kode_indikator": f"X{i}", "tahun": 2025, "realisasi": 1} for i in range(1200)]
    client.force_login(bekasi_planner)
    response = upload(client, "banyak-galat.xlsx", build_workbook(data))
    page = response.content.decode()
    assert response.status_code == 400
    assert "1.200 galat — tidak ada data yang disimpan" in page
    assert "Hanya 500 galat pertama yang ditampilkan dari 1.200." in page
    assert page.count("kode yang ada di sheet Indikator") == 500


def test_few_errors_show_no_cap_note(client, bekasi_planner):
    client.force_login(bekasi_planner)
    page = upload(client, "rusak.xlsx", b"bukan excel").content.decode()
    assert "1 galat — tidak ada data yang disimpan" in page
    assert "Hanya" not in page


def test_a_pemda_planner_is_not_told_which_pemda_holds_a_taken_code(client):
    from workbook.services import workbook_import

    assert workbook_import(source=DEMO / "bekasi-disnaker.xlsx").ok
    other = factories.government("Pemerintah Kota Lain")
    client.force_login(factories.user("bappeda-lain", government=other, gov_role="planner"))
    data = _exported_with("bekasi-disnaker", pemda="Pemerintah Kota Lain")
    response = upload(client, "bekasi.xlsx", data)
    page = response.content.decode()
    assert response.status_code == 400
    assert "sudah dipakai" in page
    assert "Pemerintah Kota Bekasi" not in page
    assert not Agency.objects.filter(code="bekasi-disnaker", government=other).exists()
