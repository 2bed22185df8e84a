"""The figures the LKjIP derives from the measurement and the budget (performance.derived,
budget.derived): computed once when the snapshot is built, from its own figures."""

from __future__ import annotations

from decimal import Decimal

from agencies.staff import staff_figures
from budget.derived import budget_figures
from performance.derived import best_and_weakest, change, measurement_figures


def test_best_and_weakest_split_few_indicators_and_skip_unmeasured():
    values = [("A", Decimal("90")), ("B", None), ("C", Decimal("120")), ("D", Decimal("75")), ("E", Decimal("101"))]
    assert best_and_weakest(values) == (["C", "E"], ["D", "A"])
    assert best_and_weakest([("A", Decimal("90"))]) == ([], [])  # one indicator is neither
    many = [(f"I{n}", Decimal(n)) for n in range(10)]
    assert best_and_weakest(many) == (["I9", "I8", "I7"], ["I0", "I1", "I2"])


def test_change_against_the_latest_earlier_year_with_a_value():
    history = [{"year": 2022, "value": "7.10"}, {"year": 2023, "value": "7.40"}, {"year": 2024, "value": None}]
    up = change(Decimal("7.33"), history, "positif")
    assert up == {"year": 2023, "value": "7.40", "diff": "0.07", "direction": "turun", "better": False}
    # Unemployment (negative polarity): lower is better.
    assert change(Decimal("7.33"), history, "negatif")["better"] is True
    assert change(Decimal("7.40"), history, "positif")["direction"] == "tetap"
    assert change(Decimal("7.40"), history, "positif")["better"] is None
    assert change(None, history, "positif") is None and change(Decimal(1), [{"year": 1, "value": None}], "x") is None


def _indicator(code, value, met, actual="1", history=(), polarity="positif", **extra):
    return {"code": code, "achievement": {"value": value}, "met": met, "actual": actual, "actual_complete": True,
            "history": list(history), "polarity": polarity, **extra}


def test_measurement_figures_count_once_for_the_whole_document():
    measurement = {
        "counts": {"indicators": 5, "measured": 4, "met": 2},
        "groups": [
            {"code": "S1", "kind": "Sasaran", "strategic": True,
             "indicators": [_indicator("IK1", "99.5", False, history=[{"year": 2024, "value": "0.5"}]),
                            _indicator("IK2", "110", True)]},
            {"code": "P1", "kind": "Program", "strategic": False,
             "indicators": [_indicator("P1a", None, False, actual=None)]},
            {"code": "K1", "kind": "Kegiatan", "strategic": False,
             "indicators": [_indicator("K1a", "40", False, provisional=True), _indicator("K1b", "100", True)]},
        ],
    }
    figures = measurement_figures(measurement)
    assert figures["below"] == ["IK1", "K1a"]  # measured and not met, in document order; P1a is not measured
    assert (figures["not_measured"], figures["below_count"]) == (1, 2)
    assert (figures["strategic_indicators"], figures["other_indicators"]) == (2, 3)
    assert figures["other_kinds"] == [{"kind": "Program", "count": 1}, {"kind": "Kegiatan", "count": 1}]
    assert figures["measured_per_group"] == {"S1": 2, "P1": 0, "K1": 2}
    assert figures["trends"] == {"IK1": {"year": 2024, "value": "0.5", "diff": "0.5", "direction": "naik",
                                         "better": True}}
    assert figures["provisional"] is True and figures["incomplete"] is False


def test_budget_figures():
    budget = {"ceiling": "1500.50", "ceiling_original": "1400.00", "spent": "1000.25",
              "rows": [{"kind": "program"}, {"kind": "kegiatan"}, {"kind": "subkegiatan"}, {"kind": "subkegiatan"}]}
    assert budget_figures(budget) == {"revised": True, "remaining": "500.25", "programs": 1, "activities": 1,
                                      "subactivities": 2}
    assert budget_figures({"ceiling": "10", "ceiling_original": "10", "spent": None, "rows": []})["remaining"] == "10"
    empty = budget_figures({})
    assert empty["remaining"] is None and empty["revised"] is False and empty["programs"] == 0


def test_staff_figures_total_each_table_once():
    staff = {"golongan": [{"category": "IV", "counts": {"PNS": 3}},
                          {"category": "III", "counts": {"PNS": 10, "Honorer": 2, "PPPK": 1}}],
             "jabatan": []}
    figures = staff_figures(staff)
    assert figures["order"] == ["golongan", "jabatan"]  # as built, whatever a jsonb column does to the keys
    assert figures["tables"]["golongan"] == {"statuses": ["PNS", "PPPK", "Honorer"], "row_totals": [3, 13],
                                             "totals": [13, 1, 2], "total": 16}
    assert figures["tables"]["jabatan"] == {"statuses": [], "row_totals": [], "totals": [], "total": 0}
