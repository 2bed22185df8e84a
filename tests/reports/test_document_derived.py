"""The document prints the derived figures stored with the snapshot (format 4) and computes
nothing of its own; an older stored snapshot without them renders as before."""

from __future__ import annotations

import copy
import datetime
from pathlib import Path

import pytest
from django.conf import settings

from agencies.models import Agency
from reports.document import build_context, document_html
from reports.snapshot import SNAPSHOT_FORMAT, build_snapshot, data_hash, derived_part
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
ARGS = {"verify_url": "https://lkjip.example.go.id/v/abc/", "code": "abc", "number": 1,
        "generated_at": datetime.datetime(2026, 1, 31, 3, 4, tzinfo=datetime.UTC)}


@pytest.fixture
def snapshot():
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / "bekasi-disnaker.xlsx")
    assert report.ok, report.errors
    return build_snapshot(agency=Agency.objects.get(code="bekasi-disnaker"), year=2025)


def test_the_snapshot_stores_the_derived_figures(snapshot):
    assert SNAPSHOT_FORMAT == 4 and snapshot["format"] == 4
    derived = snapshot["derived"]
    assert derived == derived_part(snapshot)
    counts = snapshot["measurement"]["counts"]
    assert derived["measurement"]["not_measured"] == counts["indicators"] - counts["measured"]
    assert derived["measurement"]["below"] and derived["measurement"]["trends"]
    assert derived["budget"]["programs"] == sum(1 for r in snapshot["budget"]["rows"] if r["kind"] == "program")
    # Not part of the data the API serves and the reviu hashes: it follows from them.
    without = {k: v for k, v in snapshot.items() if k != "derived"}
    assert data_hash(without) == data_hash(snapshot)


def test_a_stored_format_3_snapshot_renders_as_a_format_4_one(snapshot):
    old = copy.deepcopy(snapshot)
    old["format"] = 3
    del old["derived"]
    current = copy.deepcopy(snapshot)
    current["format"] = 3  # the only other difference
    assert document_html(old, **ARGS) == document_html(current, **ARGS)


def test_the_renderer_prints_the_stored_figures(snapshot):
    changed = copy.deepcopy(snapshot)
    derived = changed["derived"]
    derived["budget"]["remaining"] = "123456789"
    first = snapshot["measurement"]["groups"][0]["indicators"][0]["code"]
    derived["measurement"]["below"] = [first]
    code = next(iter(derived["measurement"]["trends"]))
    derived["measurement"]["trends"][code] = {**derived["measurement"]["trends"][code], "diff": "42.4242"}
    context = build_context(changed, **ARGS)
    assert context["ikhtisar"]["budget"]["remaining"] == "123456789"
    assert [b["code"] for b in context["penutup"]["below"]] == [first]
    analyses = [a for g in context["bab3"]["strategic"] + context["bab3"]["others"] for a in g["indicators"]]
    assert next(a for a in analyses if a["f"]["code"] == code)["trend"]["diff"] == "42.4242"
    assert "42,4242" in document_html(changed, **ARGS)


def test_staff_tables_keep_their_order_when_the_stored_keys_come_back_sorted(snapshot):
    # PostgreSQL's jsonb gives a stored object's keys back sorted (shorter first): the document
    # of a stored snapshot must print the staff tables in the order they were built.
    built = [t["dimension"] for t in build_context(snapshot, **ARGS)["bab1"]["staff"]]
    stored = copy.deepcopy(snapshot)
    stored["staff"] = dict(sorted(stored["staff"].items(), key=lambda kv: (len(kv[0]), kv[0]), reverse=True))
    assert list(stored["staff"]) != built
    assert [t["dimension"] for t in build_context(stored, **ARGS)["bab1"]["staff"]] == built
