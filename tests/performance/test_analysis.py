"""The pure parts of the analysis: the cap used in averaging, the default scale, an indicator's
state, the gap to the Renstra end target, whether an activity ran, the efficiency verdict, and
an earlier year's budget completeness. No database: BudgetSummary is built from unsaved items."""

from decimal import Decimal

import pytest

from budget.models import BudgetItem
from budget.summary import BudgetNode, BudgetSummary, completeness
from lkjip.numbers import round2
from performance import calculations as calc

D = Decimal
POS, NEG = calc.Polarity.POSITIVE, calc.Polarity.NEGATIVE


def test_cap_defaults_to_120_unless_the_scale_sets_one_or_says_none():
    assert calc.aggregation_cap(None, False) == (D(120), calc.CapSource.DEFAULT)
    assert calc.aggregation_cap(D(150), False) == (D(150), calc.CapSource.SCALE)
    assert calc.aggregation_cap(None, True) == (None, calc.CapSource.NONE)


def test_tangerang_tujuan_t1_under_each_cap():
    # TPTK 119,59; IKD17 161,29; IKD18 330,96 (000:L580-600): uncapped the seed's 203,95.
    values = [D("119.59"), D("161.29"), D("330.96")]
    assert round2(calc.objective_achievement(values, cap=None).value) == D("203.95")
    assert round2(calc.objective_achievement(values, cap=calc.DEFAULT_CAP).value) == D("119.86")
    assert round2(calc.objective_achievement(values, cap=D(150)).value) == D("139.86")


def test_cap_statement_is_the_sentence_the_document_prints():
    assert calc.cap_statement(D(120)) == "Capaian indikator di atas 120 % dihitung 120 % dalam rata-rata."
    assert "tanpa batas atas" in calc.cap_statement(None)


def test_default_scale_covers_every_value_once_and_rates_like_the_regulation():
    assert calc.validate_bands(calc.DEFAULT_BANDS) == []
    rated = {v: calc.rate(D(v), calc.DEFAULT_BANDS) for v in
             ("131.71", "91", "90.99", "76", "75.5", "66", "65.99", "51", "50.99", "0", "-5")}
    assert rated == {
        "131.71": "Sangat Tinggi", "91": "Sangat Tinggi", "90.99": "Tinggi", "76": "Tinggi", "75.5": "Sedang",
        "66": "Sedang", "65.99": "Rendah", "51": "Rendah", "50.99": "Sangat Rendah", "0": "Sangat Rendah",
        "-5": "Sangat Rendah",
    }
    assert "86 Tahun 2017" in calc.DEFAULT_SCALE_NAME and "86 Tahun 2017" in calc.DEFAULT_SCALE_SOURCE


@pytest.mark.parametrize(("has_target", "has_actual", "measured", "state"), [
    (True, True, True, calc.IndicatorState.MEASURED),
    (False, False, False, calc.IndicatorState.NEITHER),
    (False, True, False, calc.IndicatorState.NO_TARGET),
    (True, False, False, calc.IndicatorState.NO_ACTUAL),
    (True, True, False, calc.IndicatorState.NOT_COMPUTABLE),
])
def test_indicator_state(has_target, has_actual, measured, state):
    assert calc.indicator_state(has_target=has_target, has_actual=has_actual, measured=measured) is state
    assert calc.STATE_LABEL[state]


def test_end_gap_follows_the_indicators_direction():
    # Bekasi TPT 7,33 against the end target 6,98: lower is better, 0,35 still to fall (the
    # capaian against the end target is 94,99 %, not "realisasi setara 94,99 % dari target akhir").
    gap = calc.end_gap(D("6.98"), D("7.33"), NEG)
    assert (gap.remaining, gap.direction, gap.reached) == (D("0.35"), "turun", False)
    assert calc.end_gap(D("6.98"), D("6.5"), NEG) == calc.EndGap(D(0), "turun", True)
    # Tangerang JLK 23.067 against 25.000: 1.933 still to rise.
    assert calc.end_gap(D(25000), D(23067), POS) == calc.EndGap(D(1933), "naik", False)
    assert calc.end_gap(D(380), D(1929), POS).reached is True
    assert calc.end_gap(None, D(1), POS) == calc.EndGap(None, "naik", None)


def test_not_run_reason():
    assert calc.not_run_reason(ceiling=D(143860000), spent=D(0)) == calc.REASON_NOT_SPENT
    assert calc.not_run_reason(ceiling=D(0), spent=D(0)) == ""  # no pagu: nothing was planned to run
    assert calc.not_run_reason(ceiling=D(100), spent=D(1)) == ""
    # Pontianak 2.07.03.2.01: 0 of 52 trained.
    assert calc.not_run_reason(outputs=[(D(0), POS)]) == calc.REASON_NO_OUTPUT
    assert calc.not_run_reason(outputs=[(D(0), POS), (D(3), POS)]) == ""
    assert calc.not_run_reason(outputs=[(D(0), NEG)]) == ""  # 0 cases where fewer is better: a success
    assert calc.not_run_reason(outputs=[(None, POS)]) == ""  # no realisasi yet is not "did not run"


def test_efficiency_verdict_never_calls_a_line_that_did_not_run_efficient():
    V = calc.EfficiencyVerdict
    assert calc.efficiency_verdict(D("83.67"), lines=2, not_run=0, partly_not_run=1) is V.PARTLY_NOT_RUN
    assert calc.efficiency_verdict(D("50"), lines=1, not_run=1) is V.NOT_RUN
    assert calc.efficiency_verdict(D("50"), lines=2, not_run=1) is V.PARTLY_NOT_RUN
    assert calc.efficiency_verdict(D("1.73"), lines=3, not_run=0) is V.EFFICIENT
    assert calc.efficiency_verdict(D("-8.9"), lines=2, not_run=0) is V.NOT_EFFICIENT
    assert calc.efficiency_verdict(None, lines=1, not_run=0) is V.NOT_ASSESSED
    assert "tidak dilaksanakan" in calc.VERDICT_LABEL[V.NOT_RUN]


def test_period_label():
    assert calc.period_label(10, 12, 2022) == "Oktober–Desember 2022"
    assert calc.period_label(1, 12, 2022) == ""
    assert calc.period_label(7, 7, 2022) == "Juli 2022"


def _tree(year: int, leaves: dict[str, tuple[int, int]]) -> BudgetSummary:
    """A program → kegiatan tree from {kegiatan code: (pagu, realisasi)}, as budget_summary builds it."""
    programs: dict[str, BudgetNode] = {}
    for code, (ceiling, spent) in leaves.items():
        program_code = ".".join(code.split(".")[:3])
        program = programs.setdefault(program_code, BudgetNode(BudgetItem(code=program_code, kind="program",
                                                                           name=f"Program {program_code}")))
        leaf = BudgetNode(BudgetItem(code=code, kind="kegiatan", name=f"Kegiatan {code}"),
                          ceiling_original=D(ceiling), ceiling=D(ceiling), spent_quarters=[D(0), D(0), D(0), D(spent)])
        program.children.append(leaf)
        program.ceiling += leaf.ceiling
        program.ceiling_original += leaf.ceiling
        program.spent_quarters = [a + b for a, b in zip(program.spent_quarters, leaf.spent_quarters, strict=True)]
    return BudgetSummary(year=year, programs=list(programs.values()))


def test_completeness_names_what_the_earlier_year_lacks():
    report = _tree(2025, {"2.07.01.2.02": (11918353000, 11918353000), "2.07.01.2.07": (500, 400),
                          "2.07.03.2.01": (100, 90)})
    earlier = _tree(2024, {"2.07.01.2.07": (538725000, 517150800), "2.07.03.2.01": (0, 0)})
    found = completeness(earlier, report)
    assert not found.complete and found.available
    assert [code for code, _, _ in found.absent] == ["2.07.01.2.02"]  # Bekasi's unreadable Administrasi Keuangan
    assert [code for code, _, _ in found.empty] == ["2.07.03.2.01"]
    assert completeness(report, report).complete

    partial = completeness(report, report, period=(10, 12, "dibentuk Oktober"))
    assert (partial.complete, partial.partial_year, partial.from_month) == (False, True, 10)

    nothing = completeness(BudgetSummary(year=2024, programs=[]), report)
    assert (nothing.available, nothing.absent) == (False, [])


def test_completeness_accepts_the_same_branch_at_another_level():
    # Pontianak 2022 is recorded per program, 2023 per kegiatan: the branch is present.
    report = _tree(2023, {"2.07.05.2.99": (202170000, 201331000)})
    earlier = BudgetSummary(year=2022, programs=[BudgetNode(BudgetItem(code="2.07.05", kind="program", name="HI"),
                                                            ceiling=D(25596800), spent_quarters=[D(0)] * 3 + [D(1)])])
    assert completeness(earlier, report).complete
