"""The BAB III workbook every evaluator downloads holds no formula, whatever text users typed."""

from __future__ import annotations

import copy
import io

import pytest
from openpyxl import load_workbook

from budget.models import BudgetItem
from performance.models import Indicator, PlanNode
from reports.excel import bab3_workbook
from reports.snapshot import build_snapshot
from tests import factories
from tests.xlsx import DANGEROUS_TEXTS, assert_inert, formula_elements

pytestmark = pytest.mark.django_db

HYPERLINK = DANGEROUS_TEXTS["equals"]


@pytest.fixture
def agency():
    agency = factories.agency("dinas-uji")
    factories.measured_indicator(agency)
    line = factories.budget_leaf(agency)
    BudgetItem.objects.filter(agency=agency, kind="program").update(objective=PlanNode.objects.get(code="T1"))
    return agency, line


def _texts(data: bytes) -> set[str]:
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        return {v for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for v in row
                if isinstance(v, str)}
    finally:
        book.close()


def test_indicator_named_like_a_formula_stays_text(agency):
    """The probe's case, through the real snapshot: names typed by users in every sheet."""
    agency, line = agency
    indicator = Indicator.objects.get(plan__agency=agency)
    indicator.name = HYPERLINK
    indicator.unit = "+62"
    indicator.save()
    PlanNode.objects.filter(code="T1").update(text="@SUM(A1)")
    BudgetItem.objects.filter(agency=agency, kind="program").update(name="=1+1")
    line.funding_source = "-DAU"
    line.save()

    data = bab3_workbook(build_snapshot(agency=agency, year=2025))

    assert formula_elements(data) == []
    assert_inert(data)
    texts = _texts(data)
    assert {HYPERLINK, "+62", "=1+1", "-DAU", "@SUM(A1)"} <= texts  # the efficiency sheet repeats the label


def _poisoned(snapshot: dict, text: str) -> dict:
    """Every text field bab3_workbook reads, set to ``text``."""
    snapshot = copy.deepcopy(snapshot)
    for group in snapshot["measurement"]["groups"]:
        group.update(code=text, kind=text, label=text, rating=text)
        group["achievement"]["reason"] = text
        for indicator in group["indicators"]:
            indicator.update(code=text, name=text, unit=text, target_document=text, rating=text,
                             not_available_reason=text)
    for row in snapshot["budget"]["rows"]:
        row.update(code=text, name=text, funding=[text, "DAU"])
    for row in snapshot["efficiency"]:
        row.update(code=text, label=text)
    return snapshot


@pytest.mark.parametrize("text", DANGEROUS_TEXTS.values(), ids=DANGEROUS_TEXTS.keys())
def test_every_text_column_is_inert(agency, text):
    agency, _ = agency
    snapshot = _poisoned(build_snapshot(agency=agency, year=2025), text)
    assert snapshot["efficiency"], "the fixture must reach the Efisiensi sheet"

    data = bab3_workbook(snapshot)

    assert formula_elements(data) == []
    assert_inert(data)
    written = text.replace("\r", "\n")  # XML normalises a CR to LF
    assert {written, f"{written}, DAU"} <= _texts(data)
    assert any(t.endswith(f": {written}") for t in _texts(data))  # the group row "Tujuan: …"
