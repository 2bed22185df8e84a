"""How stored audit values read on the pages: Indonesian labels and notation, exact values kept."""

from __future__ import annotations

import datetime

import pytest

from audit import selectors
from audit.models import AuditEntry


@pytest.mark.parametrize(
    ("object_type", "field", "value", "shown"),
    [
        ("realization", "value", "7.33", "7,33"),
        ("realization", "value", "1234.5", "1.234,5"),
        ("realization", "value", None, "(kosong)"),
        ("realization", "note", "", "(kosong)"),
        ("realization", "status", "belum_tersedia", "Belum tersedia"),
        ("realization", "year", "2025", "2025"),
        ("realization", "quarter", "4", "4"),
        ("budgetline", "ceiling_original", "18113307758", "Rp 18.113.307.758"),
        ("budgetline", "spent_q2", "2500000.5", "Rp 2.500.000,50"),
        ("staffcount", "count", "1250", "1.250"),
        ("target", "document", "pk", "Perjanjian Kinerja"),
        ("ratingband", "lower_inclusive", "true", "ya"),
        ("indicator", "tags", '["IKU", "PK"]', "IKU, PK"),
        ("agencyyear", "signature_date", "2026-01-31", "31-01-2026"),
        ("realization", "value", "bukan angka", "bukan angka"),  # a value the field no longer fits
        ("hilang", "value", "7.33", "7.33"),  # a model that no longer exists
    ],
)
def test_value_text(object_type, field, value, shown):
    assert selectors.value_text(object_type, field, value) == shown


@pytest.mark.parametrize(
    ("object_type", "field", "label"),
    [
        ("realization", "value", "Realisasi"),
        ("target", "q4", "Target TW IV"),
        ("target", "indicator_id", "Indikator"),  # an FK without a verbose name: its model's
        ("target", "agreement_id", "Perjanjian Kinerja"),
        ("indicator", "order", "Urutan"),
        ("plannode", "parent_id", "Induk"),
        ("realization", "hilang", "hilang"),
    ],
)
def test_field_label(object_type, field, label):
    assert selectors.field_label(object_type, field) == label


def _entry(**kwargs):
    defaults = {"object_type": "target", "object_id": 1, "action": "update", "changes": {}, "channel": "form",
                "at": datetime.datetime(2025, 3, 1, 20, 30, tzinfo=datetime.UTC), "user_label": "budi"}
    return AuditEntry(**{**defaults, **kwargs})


@pytest.mark.django_db
def test_subjects_name_the_record_even_after_it_is_gone():
    entries = [
        _entry(object_id=9, action="create", changes={"document": [None, "pk"], "version": [None, "perubahan"]}),
        _entry(object_id=9, changes={"value": ["7.5", "7.4"]}),  # its key comes from the create entry
        _entry(object_id=10, changes={"value": ["1", "2"]}),  # nothing known: no such record
        _entry(object_type="realization", quarter=4),
        _entry(object_type="realization"),
        _entry(object_type="benchmark", changes={"scope": ["provinsi", None]}, action="delete"),
        _entry(object_type="narrative", action="create", changes={"section": [None, "upaya"]}),
        _entry(object_type="budgetline"),
    ]
    subjects = [row.subject for row in selectors.history_rows(entries)]
    assert subjects == [
        "Target PK Perubahan", "Target PK Perubahan", "Target", "Realisasi TW IV", "Realisasi tahunan",
        "Pembanding Provinsi", "Narasi: Upaya/solusi", "Anggaran",
    ]


def test_created_records_hide_their_references_updates_show_them():
    created = _entry(action="create", changes={"indicator_id": [None, "1"], "value": [None, "7.5"]})
    moved = _entry(changes={"indicator_id": ["1", "2"]})
    empty = _entry(changes={})
    created_row = selectors.HistoryRow(created, "Target", "", selectors.field_changes(created))
    moved_row = selectors.HistoryRow(moved, "Target", "", selectors.field_changes(moved))
    empty_row = selectors.HistoryRow(empty, "Target", "", [])
    assert [c.field for c in created_row.lines] == ["value"] and created_row.span == 1
    assert [c.field for c in moved_row.lines] == ["indicator_id"]
    assert empty_row.lines == [None] and empty_row.span == 1
    # The flat records (the command's JSON) keep every field, exact.
    records = selectors.field_records([created_row])
    assert [r["field"] for r in records] == ["indicator_id", "value"]
    assert records[1] == {
        "at": "2025-03-02T03:30:00+07:00", "user": "budi", "channel": "form", "object_type": "target", "object": "",
        "indicator_code": None, "field": "value", "old": None, "new": "7.5", "reason": None, "batch": None,
    }
