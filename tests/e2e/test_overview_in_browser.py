from __future__ import annotations

from pathlib import Path

import pytest

from agencies.models import Agency
from tests import factories
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db(transaction=True)
BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


def log_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")


def test_staff_logs_in_and_reads_the_bekasi_overview(page, live_server):
    assert workbook_import(source=BEKASI).ok
    factories.user("operator", agency=Agency.objects.get(code="bekasi-disnaker"))
    log_in(page, live_server, "operator")
    # The agency list's link (the home page's "Perlu tindakan" links name the agency too, after the period).
    page.click("a:text-is('Dinas Tenaga Kerja Kota Bekasi')")
    assert page.url.endswith("/instansi/bekasi-disnaker/2025/")
    row = page.locator("table.measurement tr", has_text="Tingkat Pengangguran Terbuka")
    assert "99,86 %" in row.inner_text()
    assert "Target Renstra 7,73 → capaian 105,17 %" in row.inner_text()
    totals = page.locator("table.budget tfoot").inner_text()
    assert "Rp 18.113.302.758" in totals and "Rp 17.745.401.889" in totals and "97,97 %" in totals


def test_other_agency_staff_gets_not_found(page, live_server):
    assert workbook_import(source=BEKASI).ok
    other = factories.agency("dinas-lain")
    factories.user("orang-lain", agency=other)
    log_in(page, live_server, "orang-lain")
    assert "Dinas Tenaga Kerja Kota Bekasi" not in page.content()
    response = page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/")
    assert response.status == 404


def test_wrong_password_shows_an_indonesian_message(page, live_server):
    factories.user("siapa")
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "siapa")
    page.fill("#id_password", "salah")
    page.click("button[type=submit]")
    assert "Nama pengguna atau kata sandi salah" in page.content()
