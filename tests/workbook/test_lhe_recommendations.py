"""Sheet Rekomendasi and a recorded LHE: once the evaluator (or inspectorate) has recorded the
LHE of the LKjIP N - 1, the recommendations of year N are theirs; a workbook may only write the
agency's tindak lanjut and status of those rows. Without a recorded LHE the sheet is seed data
and replaces the year as before."""

from __future__ import annotations

import pytest

from agencies.models import Agency
from audit.models import AuditEntry, ImportBatch
from audit.services import AuditContext
from evaluations import services as evaluation_services
from performance.models import Recommendation, StrategicPlan
from tests import factories
from tests.workbook.helpers import as_file, assert_rejected, build_workbook, db_counts, minimal_data
from workbook.exporter import workbook_export
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
CTX = AuditContext(reason="uji")
MESSAGE = "Rekomendasi LHE tahun 2024 dicatat oleh evaluator/Inspektorat; perangkat daerah hanya mengisi tindak lanjut"
SEED = {"tahun": 2024, "komponen": "Perencanaan", "rekomendasi": "Perbaiki indikator", "tindak_lanjut": "Sudah",
        "status": "selesai"}
ORIGINAL = {"tahun": 2024, "komponen": "Pengukuran", "rekomendasi": "Rekomendasi evaluator asli"}


def _workbook(rows: list[dict], **instansi) -> bytes:
    data = minimal_data()
    data["Rekomendasi"] = rows
    data["Instansi"].update(instansi)
    return build_workbook(data)


def _texts(agency: Agency, year: int = 2024) -> list[tuple[str, str, str, str]]:
    return [(r.component, r.text, r.follow_up, r.status)
            for r in Recommendation.objects.filter(agency=agency, year=year).order_by("order")]


@pytest.fixture
def planner():
    """The seed workbook is imported (its Rekomendasi 2024 row), then the inspectorate records the
    LHE of the LKjIP 2023 and adds a recommendation on the evaluation page's service."""
    assert workbook_import(source=as_file(build_workbook())).ok
    agency = Agency.objects.get(code="uji-disnaker")
    evaluation_services.evaluation_save(agency=agency, evaluated_year=2023, scores={}, ctx=CTX,
                                        evaluator="Inspektorat Kota Uji")
    evaluation_services.recommendation_add(agency=agency, year=2024, component="Pengukuran",
                                           text="Rekomendasi evaluator asli", ctx=CTX)
    return factories.user("perencana", agency=agency, role="planner")


def test_the_planner_cannot_rewrite_the_evaluators_recommendation(planner):
    """The reviewer's repro: the planner's workbook says another text for the same year."""
    agency = Agency.objects.get(code="uji-disnaker")
    before, entries, batches = db_counts(), AuditEntry.objects.count(), ImportBatch.objects.count()
    rewritten = _workbook([SEED, {**ORIGINAL, "rekomendasi": "Teks diganti perencana OPD"}], visi="Visi diganti")
    report = workbook_import(source=as_file(rewritten), user=planner)
    issue = assert_rejected(report, "Rekomendasi", 3, "rekomendasi", MESSAGE)
    assert issue.value == "Teks diganti perencana OPD" and "Rekomendasi evaluator asli" in issue.expected
    assert report.error_total == 1
    # All or nothing: neither the recommendation nor anything else of the workbook is written.
    assert _texts(agency) == [("Perencanaan", "Perbaiki indikator", "Sudah", "selesai"),
                              ("Pengukuran", "Rekomendasi evaluator asli", "", "")]
    assert StrategicPlan.objects.get(agency=agency).vision == "Kota Uji yang sejahtera"
    assert (db_counts(), AuditEntry.objects.count(), ImportBatch.objects.count()) == (before, entries, batches)


@pytest.mark.parametrize(("rows", "row", "column", "words"), [
    # the component differs, the text is the same
    ([SEED, {**ORIGINAL, "komponen": "Pelaporan"}], 3, "komponen", ["komponen dan teks harus sama", "Pengukuran"]),
    # a row of the year is left out (named at the year's last row)
    ([SEED], 2, "tahun", ["Rekomendasi evaluator asli", "tidak ada di lembar", "tidak dapat dihapus"]),
    # a new row
    ([SEED, ORIGINAL, {"tahun": 2024, "rekomendasi": "Rekomendasi tambahan"}], 4, "rekomendasi",
     ["tidak dapat ditambahkan"]),
])
def test_a_changed_missing_or_new_row_is_an_error(planner, rows, row, column, words):
    agency = Agency.objects.get(code="uji-disnaker")
    before = db_counts()
    for user in (planner, None):  # the web upload and the command alike
        report = workbook_import(source=as_file(_workbook(rows)), user=user)
        assert_rejected(report, "Rekomendasi", row, column, MESSAGE, *words)
        assert db_counts() == before
    assert [t[1] for t in _texts(agency)] == ["Perbaiki indikator", "Rekomendasi evaluator asli"]


def test_the_planner_writes_the_tindak_lanjut_of_the_lhe_by_import(planner):
    """Rows are matched by component and text (the sheet has no other key), so a reordered sheet
    still names the same recommendations; their text and order stay the evaluator's."""
    agency = Agency.objects.get(code="uji-disnaker")
    rows = [{**ORIGINAL, "rekomendasi": " Rekomendasi  evaluator asli ", "tindak_lanjut": "Sudah dilaksanakan",
             "status": "selesai"}, {**SEED, "tindak_lanjut": "Sudah, dengan reviu"}]
    report = workbook_import(source=as_file(_workbook(rows)), user=planner)
    assert report.ok, [str(e) for e in report.errors]
    counts = report.counts["recommendation"]
    assert (counts.created, counts.updated, counts.unchanged, counts.deleted) == (0, 2, 0, 0)
    assert _texts(agency) == [("Perencanaan", "Perbaiki indikator", "Sudah, dengan reviu", "selesai"),
                              ("Pengukuran", "Rekomendasi evaluator asli", "Sudah dilaksanakan", "selesai")]
    changed = AuditEntry.objects.filter(batch_id=report.batch_id, object_type="recommendation")
    assert {tuple(sorted(e.changes)) for e in changed} == {("follow_up",), ("follow_up", "status")}


def test_other_years_of_the_sheet_still_replace(planner):
    """Only the year whose LHE is recorded is the evaluator's; a year without one is seed data."""
    agency = Agency.objects.get(code="uji-disnaker")
    rows = [SEED, ORIGINAL, {"tahun": 2025, "komponen": "Pelaporan", "rekomendasi": "Rekomendasi awal 2025"}]
    assert workbook_import(source=as_file(_workbook(rows)), user=planner).ok
    rows[2] = {"tahun": 2025, "komponen": "Pelaporan", "rekomendasi": "Diganti"}
    assert workbook_import(source=as_file(_workbook(rows)), user=planner).ok
    assert [t[1] for t in _texts(agency, 2025)] == ["Diganti"]
    # A sheet that does not name the LHE's year leaves it alone.
    assert workbook_import(source=as_file(_workbook(rows[2:])), user=planner).ok
    assert [t[1] for t in _texts(agency)] == ["Perbaiki indikator", "Rekomendasi evaluator asli"]


def test_without_a_recorded_lhe_the_sheet_replaces_the_year_as_before():
    assert workbook_import(source=as_file(build_workbook())).ok
    agency = Agency.objects.get(code="uji-disnaker")
    evaluation_services.recommendation_add(agency=agency, year=2024, component="", text="Tambahan", ctx=CTX)
    # An LHE of another year (of the LKjIP 2024: recommendations of 2025) does not protect 2024.
    evaluation_services.evaluation_save(agency=agency, evaluated_year=2024, scores={}, ctx=CTX)
    report = workbook_import(source=as_file(_workbook([{**SEED, "rekomendasi": "Teks baru"}])))
    assert report.ok, [str(e) for e in report.errors]
    assert _texts(agency) == [("Perencanaan", "Teks baru", "Sudah", "selesai")]


def test_the_export_of_a_recorded_lhe_imports_back_unchanged(planner):
    agency = Agency.objects.get(code="uji-disnaker")
    evaluation_services.recommendation_add(agency=agency, year=2024, component="", ctx=CTX,
                                           text="Baris pertama\r\nbaris kedua  dengan spasi")
    recs = Recommendation.objects.filter(agency=agency, year=2024).order_by("order")
    evaluation_services.follow_ups_save(agency=agency, year=2024, ctx=CTX, rows={
        r.pk: evaluation_services.FollowUpInput(f"Tindak lanjut {r.order}", "proses") for r in recs})
    stored = _texts(agency)
    exported = workbook_export(agency=agency, year=2025)
    for user in (planner, None):
        report = workbook_import(source=as_file(exported), user=user)
        assert report.ok, [str(e) for e in report.errors]
        assert report.warnings == [] or all(w.sheet != "Rekomendasi" for w in report.warnings)
        changed = {k: (c.created, c.updated, c.deleted) for k, c in report.counts.items()
                   if c.created or c.updated or c.deleted}
        assert changed == {}
        assert report.counts["recommendation"].unchanged == 3
        assert _texts(agency) == stored
