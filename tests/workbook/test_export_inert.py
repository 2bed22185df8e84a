"""`export_workbook` writes user text as text: nothing in it runs as a formula, and it imports back unchanged."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count

import pytest

from agencies.models import Agency, AgencyYear, Government, StaffCount
from budget.models import BudgetItem, BudgetLine
from performance.models import (
    Benchmark,
    Indicator,
    Narrative,
    PlanNode,
    RatingBand,
    RatingScale,
    Realization,
    Recommendation,
    StrategicPlan,
)
from tests.workbook.helpers import as_file, build_workbook, sheet_values
from tests.workbook.test_round_trip import delete_everything, export_of, import_ok, snapshot
from tests.xlsx import DANGEROUS_TEXTS, assert_inert, formula_elements

pytestmark = pytest.mark.django_db

# Every free-text field the export writes (codes and choices are checked on import, so left alone).
TEXT_FIELDS = [
    (Government, ["province", "head_title", "head_name"]),
    (Agency, ["name", "short_name", "address", "phone", "website"]),
    (AgencyYear, ["head_title", "head_name", "head_rank", "signature_place"]),
    (StrategicPlan, ["vision"]),
    (PlanNode, ["text"]),
    (Indicator, ["name", "unit", "definition", "data_source", "responsible"]),
    (Realization, ["note", "source"]),
    (BudgetItem, ["name"]),
    (BudgetLine, ["funding_source", "responsible"]),
    (Benchmark, ["source", "note"]),
    (Narrative, ["text"]),
    (StaffCount, ["category"]),
    (Recommendation, ["component", "text", "follow_up", "status"]),
    (RatingBand, ["label"]),
]


def _fill_text_fields(text_for: Callable[[int], str]) -> None:
    """Every TEXT_FIELDS value of every record, set to text_for(n) with n counting up (values stay unique)."""
    numbers = count()
    for model, fields in TEXT_FIELDS:
        for obj in model.objects.all():
            for field in fields:
                setattr(obj, field, text_for(next(numbers)))
            obj.save(update_fields=fields)


@pytest.mark.parametrize("text", DANGEROUS_TEXTS.values(), ids=DANGEROUS_TEXTS.keys())
def test_export_holds_no_formula(text):
    report = import_ok(as_file(build_workbook()))
    _fill_text_fields(lambda n: f"{text} {n}")

    exported = export_of(report)

    assert formula_elements(exported) == []
    assert_inert(exported)
    written = {v for rows in sheet_values(exported).values() for row in rows for v in row if isinstance(v, str)}
    assert f"{text.replace(chr(13), chr(10))} 0" in written  # verbatim (XML turns a CR into LF)


def test_formula_like_text_survives_export_and_import():
    original = import_ok(as_file(build_workbook()))
    prefixes = ["=", "+", "-", "@"]
    _fill_text_fields(lambda n: f"{prefixes[n % 4]}teks {n}\tdengan tab")
    # The probe's values, exactly.
    Indicator.objects.filter(code="IKU1").update(name='=HYPERLINK("http://x","klik")', definition="@risk")
    Realization.objects.filter(indicator__code="IKU1", year=2025).update(source="+62 21 555")
    Narrative.objects.filter(section="kata_pengantar").update(text="- poin pertama\n- poin kedua")
    # The importer names the scale after the agency's short name, which was just changed.
    agency = Agency.objects.get()
    RatingScale.objects.update(name=f"Skala {agency.short_name}")
    stored = snapshot()

    exported = export_of(original)
    assert formula_elements(exported) == []
    delete_everything()
    again = import_ok(as_file(exported))

    assert snapshot() == stored
    assert Indicator.objects.get(code="IKU1").name == '=HYPERLINK("http://x","klik")'
    assert Realization.objects.get(indicator__code="IKU1", year=2025).source == "+62 21 555"
    assert Narrative.objects.get(section="kata_pengantar").text == "- poin pertama\n- poin kedua"
    assert sheet_values(export_of(again)) == sheet_values(exported)
