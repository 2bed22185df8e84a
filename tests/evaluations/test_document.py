"""The LKjIP of year N prints the LHE of the LKjIP N-1 in its follow-up section: components,
weights, values, the computed total and predikat; the printed figure only as a note."""

import datetime
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from agencies.models import Agency
from audit.services import AuditContext
from evaluations import services
from reports.document import document_html, render_document
from reports.findings import findings_for
from reports.snapshot import build_snapshot
from workbook.demo_evaluations import evaluations_recorded
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
GENERATED = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
URL = "https://lkjip.example.go.id/v/Ab3dE5gH7k"


def _demo(code: str) -> Agency:
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
    assert report.ok, report.errors
    return Agency.objects.get(code=code)


def _flat(text: str) -> str:
    return re.sub(r"(?<=[a-z])- (?=[a-z])", "", re.sub(r"\s+", " ", text))


def _html(snapshot: dict) -> str:
    return document_html(snapshot, verify_url=URL, code="Ab3dE5gH7k", number=1, generated_at=GENERATED)


def test_banjar_2025_prints_the_lhe_2025_with_the_computed_total(django_assert_num_queries):
    agency = _demo("banjar-disnakertrans")
    before = build_snapshot(agency=agency, year=2025)
    assert "evaluations" not in before  # nothing recorded yet: the snapshot is what it was
    assert evaluations_recorded(agency=agency) == "LHE atas LKjIP 2024 banjar-disnakertrans: 4 komponen"
    snapshot = build_snapshot(agency=agency, year=2025)
    [lhe] = snapshot["evaluations"]
    assert (lhe["evaluated_year"], lhe["total"], lhe["predikat"]["label"]) == (2024, "80.3200", "A")
    with django_assert_num_queries(0):
        rendered = render_document(snapshot, verify_url=URL, code="Ab3dE5gH7k", number=1, generated_at=GENERATED,
                                   draft=True)
    text = _flat(" ".join(p.extract_text() for p in PdfReader(BytesIO(rendered.pdf)).pages))
    assert "Hasil Evaluasi AKIP Tahun 2025 atas LKjIP Tahun 2024" in text
    assert "A Perencanaan Kinerja 30 25,03" in text
    assert "Jumlah 100 80,32 Predikat A" in text
    assert "mencetak nilai 80,33; jumlah nilai komponennya 80,32" in text
    # That note is for the drafter (the finding lhe_nilai_berbeda): a final prints the computed total only.
    assert "jumlah nilai komponennya" not in _html(snapshot)
    # the table comes before the recommendations and their tindak lanjut
    assert text.index("Jumlah 100 80,32") < text.rindex("Rekomendasi Hasil Evaluasi Tahun 2025 dan Tindak Lanjutnya")
    assert [f["code"] for f in snapshot["findings"] if f["code"].startswith("lhe")] == ["lhe_nilai_berbeda"]
    # the document of 2024 does not print the LHE of its own year; 2026 does, as the trend's first row
    assert "evaluations" not in build_snapshot(agency=agency, year=2024)


def test_a_snapshot_without_the_key_renders_as_before():
    agency = _demo("banjar-disnakertrans")
    old = build_snapshot(agency=agency, year=2025)
    evaluations_recorded(agency=agency)
    new = build_snapshot(agency=agency, year=2025)
    stripped = {k: v for k, v in new.items() if k != "evaluations"}
    stripped["findings"] = old["findings"]
    assert stripped == old
    assert _html(stripped) == _html(old)
    assert "Hasil Evaluasi AKIP" not in _html(old)


def test_the_trend_and_an_lhe_without_components():
    agency = _demo("banjar-disnakertrans")
    evaluations_recorded(agency=agency)
    services.evaluation_save(agency=agency, evaluated_year=2023, scores={}, printed_total=None,
                             ctx=AuditContext())
    services.evaluation_save(agency=agency, evaluated_year=2022, scores={}, printed_total=None, printed_predikat="BB",
                             printed_source="LKjIP 2023", ctx=AuditContext())
    html = _flat(re.sub(r"<[^>]+>", " ", _html(build_snapshot(agency=agency, year=2025))))
    assert "Perkembangan Hasil Evaluasi AKIP" in html
    assert "2022 2023 – – komponen tidak tercantum; tercetak BB" in html
    assert "2024 2025 80,32 A tercetak 80,33" in html
    # the document of 2024 prints the LHE of 2023, which has no components: quoted, flagged
    html_2024 = _flat(re.sub(r"<[^>]+>", " ", _html(build_snapshot(agency=agency, year=2024))))
    assert "atas LKjIP Tahun 2023" in html_2024 and "Nilai komponen tidak tercantum" in html_2024
    assert [f.code for f in findings_for(agency_code=agency.code, year=2023)] .count("lhe_tanpa_komponen") == 1


def test_serang_prints_its_evaluator_and_no_score():
    agency = _demo("serang-disnakertrans")
    evaluations_recorded(agency=agency)
    html = _flat(re.sub(r"<[^>]+>", " ", _html(build_snapshot(agency=agency, year=2021))))
    assert "LHE) AKIP Tahun 2021 atas LKjIP Tahun 2020 oleh Inspektorat Kota Serang" in html
    assert "Nilai komponen tidak tercantum." in html
