"""manage.py history: the agency's change log as text or JSON, one line/object per changed field."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEntry
from tests.audit.helpers import CODE

pytestmark = pytest.mark.django_db

KEYS = {"at", "user", "channel", "object_type", "object", "indicator_code", "field", "old", "new", "reason", "batch"}


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("history", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def tpt_change(records):
    found = [
        r for r in records
        if r["object_type"] == "realization" and r["indicator_code"] == "IKU1" and r["field"] == "value"
        and r["old"] == "7.33"
    ]
    assert len(found) == 1, found
    return found[0]


def test_json_has_one_object_per_changed_field(world):
    records = json.loads(run("--agency", CODE, "--format", "json"))
    assert records and all(set(r) == KEYS for r in records)
    assert all(value is None or isinstance(value, str) for r in records for value in r.values())
    change = tpt_change(records)
    entry = AuditEntry.objects.get(batch=world["batch"], object_type="realization", indicator_code="IKU1", year=2025)
    assert change == {
        "at": change["at"],
        "user": "planner_uji",
        "channel": "import",
        "object_type": "realization",
        "object": entry.object_label,
        "indicator_code": "IKU1",
        "field": "value",
        "old": "7.33",
        "new": "6.12",
        "reason": None,
        "batch": str(world["batch"].pk),
    }
    at = datetime.datetime.fromisoformat(change["at"])
    assert at == entry.at and at.utcoffset() == datetime.timedelta(hours=7)
    # A created record: one object per field it was created with, from null.
    created = [r for r in records if r["object_type"] == "realization" and r["new"] == "7.33"]
    assert created and created[0]["old"] is None and created[0]["user"] == "sistem"
    # The same entries as the change log: this agency's, and field by field all of them.
    expected = sum(len(e.changes) for e in AuditEntry.objects.filter(agency=world["agency"]))
    assert len(records) == expected
    assert {r["batch"] for r in records} == {str(world["first_batch"].pk), str(world["batch"].pk)}


def test_json_is_oldest_first(world):
    records = json.loads(run("--agency", CODE, "--format", "json"))
    stamps = [datetime.datetime.fromisoformat(r["at"]) for r in records]
    assert stamps == sorted(stamps)
    assert records.index(tpt_change(records)) > [r["new"] for r in records].index("7.33")


def test_text_has_a_readable_line_per_field_change(world):
    output = run("--agency", CODE)
    assert "urut dari yang terlama" in output
    lines = [line for line in output.splitlines() if "7,33 → 6,12" in line]
    assert len(lines) == 1
    line = lines[0]
    for part in ("planner_uji", "Impor workbook", "Realisasi tahunan", "IKU1 2025", "Realisasi: 7,33 → 6,12",
                 f"impor #{world['batch'].pk}"):
        assert part in line
    assert "Target PK Murni · IKU1 2025 · diubah · Target: 7,5 → 7,4" in output
    assert output.strip().splitlines()[-1].startswith("Jumlah: ")


def test_year_and_since_filters(world):
    records = json.loads(run("--agency", CODE, "--year", "2024", "--format", "json"))
    assert records and all(r["object_type"] != "indicator" for r in records)
    assert {r["new"] for r in records if r["field"] == "value"} == {"8.55", "8.5"}
    assert json.loads(run("--agency", CODE, "--since", "2999-01-01", "--format", "json")) == []
    assert "Tidak ada perubahan yang tercatat." in run("--agency", CODE, "--since", "2999-01-01")
    everything = json.loads(run("--agency", CODE, "--since", "2000-01-01", "--format", "json"))
    assert tpt_change(everything)
    assert json.loads(run("--agency", CODE, "--since", "2000-01-01T00:00:00+07:00", "--format", "json")) == everything


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--agency", "tidak-ada"], "Perangkat daerah dengan kode 'tidak-ada' tidak ditemukan."),
        (["--agency", CODE, "--since", "kemarin"], "Tanggal --since 'kemarin' tidak valid"),
        (["--agency", CODE, "--since", "2025-02-30"], "Tanggal --since '2025-02-30' tidak valid"),
        (["--agency", CODE, "--since", "0001-01-01"], "di luar rentang"),
    ],
)
def test_bad_input_is_a_command_error_in_indonesian(world, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(".", r"\.")):
        run(*args)
