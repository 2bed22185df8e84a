from __future__ import annotations

from pathlib import Path

import pytest

from agencies.models import Agency
from reports.models import LkjipDocument
from tests import factories
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db(transaction=True)
BEKASI = Path(__file__).resolve().parents[2] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


def test_planner_makes_a_document_and_sees_it_finish(page, live_server, settings):
    # The live server answers in its own thread; the render runs in yet another (embedded mode).
    settings.LKJIP_RENDER_IN_THREAD = True
    settings.CELERY_TASK_ALWAYS_EAGER = True  # no worker runs during the test suite, in either CI mode
    assert workbook_import(source=BEKASI).ok
    factories.user("perencana", agency=Agency.objects.get(code="bekasi-disnaker"), role="planner")
    page.goto(f"{live_server.url}/masuk/")
    page.fill("#id_username", "perencana")
    page.fill("#id_password", factories.PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{live_server.url}/instansi/bekasi-disnaker/2025/")
    page.click("text=Dokumen LKjIP 2025")
    page.click("text=Buat draf dari data terkini")
    assert "Versi 1 sedang dibuat" in page.content()
    # The page refreshes itself every 2 s until the render is done.
    page.wait_for_selector("text=Selesai", timeout=60_000)
    document = LkjipDocument.objects.get()
    assert document.status == "done" and document.page_count > 10
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF", exact=True).click()
    assert download.value.suggested_filename == "LKjIP-bekasi-disnaker-2025-v1.pdf"
    page.get_by_role("link", name="verifikasi", exact=True).click()
    assert document.pdf_sha256 in page.content()
