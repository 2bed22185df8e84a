"""Concurrent writes to one agency give the result of one after the other (PostgreSQL).

Two planners importing at once, an import racing another on a new row, and a document
snapshot taken while imports commit. These run with real threads and connections, so they
need PostgreSQL: there each import holds the agency's advisory lock. SQLite allows one
writer at a time by construction (transactions begin IMMEDIATE), which is what the lock
reproduces on PostgreSQL.
"""

from __future__ import annotations

import io
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client

from agencies.models import Agency, AgencyMembership, User
from performance.models import Narrative, Realization
from reports.snapshot import build_snapshot
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads with their own connections: PostgreSQL"),
]
TRIALS = 8


def workbook(tpt: str = "7,33", background: str | None = None, extra_realization: str | None = None) -> bytes:
    data = minimal_data()
    data["Realisasi"][0]["realisasi"] = tpt
    if background is not None:
        for row in data["Narasi"]:
            if row["bagian"] == "kata_pengantar":
                row["teks"] = background
    if extra_realization is not None:
        data["Realisasi"].append({"kode_indikator": "IKU1", "tahun": 2022, "triwulan": None,
                                  "realisasi": extra_realization})
    return build_workbook(data)


def run_together(*jobs):
    """Start every job at the same moment, each in its own thread and connection."""
    barrier = threading.Barrier(len(jobs))
    results: list[object] = [None] * len(jobs)

    def run(index, job):
        try:
            barrier.wait()
            results[index] = job()
        except Exception as exc:  # noqa: BLE001 - the test asserts there were none
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def state() -> tuple[Decimal, str]:
    tpt = Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None).value
    background = Narrative.objects.get(section="kata_pengantar", indicator__isnull=True).text
    return tpt, background


def test_two_imports_at_once_end_as_one_after_the_other():
    base = workbook()
    assert workbook_import(source=as_file(base)).ok
    original = state()
    a, b = workbook(tpt="6,01"), workbook(background="VERSI-B")
    outcomes = []
    for _ in range(TRIALS):
        assert workbook_import(source=as_file(base)).ok
        results = run_together(lambda: workbook_import(source=as_file(a)), lambda: workbook_import(source=as_file(b)))
        assert all(not isinstance(r, Exception) and r.ok for r in results), results
        outcomes.append(state())
    a_then_b = (Decimal("7.33"), "VERSI-B")
    b_then_a = (Decimal("6.01"), original[1])
    assert set(outcomes) <= {a_then_b, b_then_a}, outcomes


def test_two_uploads_adding_the_same_row_never_fail():
    assert workbook_import(source=as_file(workbook())).ok
    planners = []
    for name in ("perencana-a", "perencana-b"):
        user = User.objects.create_user(name, password="x")
        AgencyMembership.objects.create(user=user, agency=Agency.objects.get(), role="planner")
        planners.append(user)

    def upload(user, value):
        client = Client()
        client.force_login(user)
        upload = io.BytesIO(workbook(extra_realization=value))
        upload.name = f"{user.username}.xlsx"
        return client.post("/impor/", {"workbook": upload})

    for trial in range(TRIALS):
        Realization.objects.filter(year=2022).delete()
        responses = run_together(lambda: upload(planners[0], "80,1"), lambda: upload(planners[1], "90,2"))
        assert [getattr(r, "status_code", r) for r in responses] == [200, 200], trial
        assert all("Impor selesai" in r.content.decode() for r in responses)
        assert Realization.objects.filter(indicator__code="IKU1", year=2022).count() == 1
        assert Realization.objects.get(indicator__code="IKU1", year=2022).value in {Decimal("80.1"), Decimal("90.2")}


def test_a_snapshot_never_mixes_two_imports():
    x = workbook(tpt="6,1111", background="VERSI-X")
    y = workbook(tpt="6,2222", background="VERSI-Y")
    assert workbook_import(source=as_file(x)).ok
    agency = Agency.objects.get()
    stop = threading.Event()
    errors: list[Exception] = []

    def keep_importing():
        try:
            while not stop.is_set():
                for content in (x, y):
                    assert workbook_import(source=as_file(content)).ok
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    writer = threading.Thread(target=keep_importing)
    writer.start()
    seen = set()
    try:
        for _ in range(30):
            snapshot = build_snapshot(agency=agency, year=2025)
            tpt = next(
                i["actual"] for g in snapshot["measurement"]["groups"] for i in g["indicators"] if i["code"] == "IKU1"
            )
            seen.add((tpt, snapshot["narratives"]["kata_pengantar"]))
    finally:
        stop.set()
        writer.join(timeout=120)
    assert not errors
    assert seen <= {("6.1111", "VERSI-X"), ("6.2222", "VERSI-Y")}, seen
