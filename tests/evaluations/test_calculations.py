from decimal import Decimal as D

import pytest

from evaluations import calculations as calc
from performance.calculations import Band

COMPONENTS = [calc.Component("A", "Perencanaan Kinerja", D(30)), calc.Component("B", "Pengukuran Kinerja", D(30)),
              calc.Component("C", "Pelaporan Kinerja", D(15)), calc.Component("D", "Evaluasi Internal", D(25))]
BANDS = [Band("AA", D(90), False, D(100), True), Band("A", D(80), False, D(90), True),
         Band("BB", D(70), False, D(80), True), Band("B", D(60), False, D(70), True),
         Band("CC", D(50), False, D(60), True), Band("C", D(30), False, D(50), True), Band("D", D(0), True, D(30), True)]


def test_banjar_total_is_the_sum_not_the_printed_figure():
    values = {"A": D("25.03"), "B": D("23.65"), "C": D("12.01"), "D": D("19.63")}
    total = calc.total(values)
    assert total == D("80.32")
    assert calc.predikat(total, BANDS).label == "A"
    assert calc.differs(D("80.33"), total)
    assert not calc.differs(D("80.320"), total)


@pytest.mark.parametrize(("value", "label"), [
    ("0", "D"), ("30", "D"), ("30.004", "D"), ("30.005", "C"), ("50", "C"), ("60", "CC"), ("60.004", "CC"), ("60.005", "B"),
    ("80", "BB"), ("80.01", "A"), ("90", "A"), ("90.01", "AA"), ("100", "AA"),
])
def test_bands_lower_bound_exclusive_upper_inclusive_on_the_shown_value(value, label):
    assert calc.predikat(D(value), BANDS).label == label


def test_no_values_no_total_no_predikat():
    assert calc.total({}) is None
    assert calc.predikat(None, BANDS) is None


def test_weights_must_add_up_to_100():
    assert calc.weight_problems(COMPONENTS) == []
    bad = [*COMPONENTS[:3], calc.Component("D", "Evaluasi Internal", D(20))]
    assert calc.weight_problems(bad) == ["Jumlah bobot komponen 95, seharusnya 100."]
    assert calc.weight_problems([]) == ["Kerangka evaluasi belum memiliki komponen."]


def test_scores_within_their_weight():
    problems = calc.score_problems(COMPONENTS, {"A": D("30.01"), "B": D("-1"), "C": D(15), "X": D(1)})
    assert problems == {"A": "nilai Perencanaan Kinerja 30,01 melebihi bobotnya 30",
                        "B": "nilai Pengukuran Kinerja tidak boleh negatif",
                        "X": "komponen X tidak ada dalam kerangka evaluasi"}


def test_bands_cover_0_to_100_exactly_once():
    assert calc.band_problems(BANDS) == []
    gap = [b for b in BANDS if b.label != "CC"]
    assert any("celah" in p for p in calc.band_problems(gap))
    shared = [*BANDS[:-1], Band("D", D(0), True, D(30), False)]  # 30 in no band
    assert any("tidak satu pun" in p for p in calc.band_problems(shared))
    both = [*BANDS[:5], Band("C", D(30), True, D(50), True), BANDS[6]]  # 30 in two bands
    assert any("dua" in p for p in calc.band_problems(both))
    no_zero = [*BANDS[:-1], Band("D", D(0), False, D(30), True)]
    assert any("Nilai 0" in p for p in calc.band_problems(no_zero))
