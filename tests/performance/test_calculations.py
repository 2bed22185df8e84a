from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lkjip.numbers import round2
from performance import calculations as calc

D = Decimal
POS, NEG = calc.Polarity.POSITIVE, calc.Polarity.NEGATIVE


# Every indicator the seeds measure, as (target, realisasi, polarity, correct capaian half-up).
SEED_CASES = [
    ("Bekasi TPT vs Renstra (printed 94)", "7.73", "7.33", NEG, "105.17"),
    ("Bekasi TPT vs PK", "7.32", "7.33", NEG, "99.86"),
    ("Bekasi IKM 2024", "80", "85.43", POS, "106.79"),
    ("Bekasi IKM 2025", "85", "89.36", POS, "105.13"),
    ("Banjar TPT (printed 98,19 = T/R)", "2.71", "2.76", NEG, "98.15"),
    ("Tangerang Jumlah Lowongan (printed 115,36)", "20000", "23067", POS, "115.34"),
    ("Pontianak PB vs end target (printed 57,46)", "58", "33.33", POS, "57.47"),
]


@pytest.mark.parametrize(("case", "target", "actual", "polarity", "expected"), SEED_CASES)
def test_seed_indicators(case, target, actual, polarity, expected):
    result = calc.achievement(D(target), D(actual), polarity)
    assert round2(result.value) == D(expected), case


def test_negative_polarity_is_two_t_minus_r():
    assert calc.achievement(D(10), D(8), NEG).value == D(120)
    assert calc.achievement(D(10), D(12), NEG).value == D(80)


@pytest.mark.parametrize(
    ("target", "actual", "reason"),
    [(None, D(1), calc.REASON_NO_TARGET), (D(1), None, calc.REASON_NO_ACTUAL), (D(0), D(5), calc.REASON_ZERO_TARGET)],
)
def test_not_available_is_never_zero(target, actual, reason):
    result = calc.achievement(target, actual, POS)
    assert result.value is None
    assert result.reason == reason
    assert not result.available


def test_capaian_is_not_capped():
    assert calc.achievement(D(800), D(1762), POS).value == D("220.25")


@pytest.mark.parametrize(
    ("method", "quarters", "value", "through", "complete"),
    [
        ("kumulatif", [D(1), D(2), D(3), D(4)], D(10), 4, True),
        ("kumulatif", [D(1), None, D(3), None], D(4), 3, False),
        ("akhir", [D(5), D(6), None, D(7)], D(7), 4, True),
        ("akhir", [D(5), D(6), None, None], D(6), 2, False),
        ("rata-rata", [D(2), D(4), D(6), D(8)], D(5), 4, True),
        ("rata-rata", [None, None, None, None], None, 0, False),
    ],
)
def test_quarterly_aggregation(method, quarters, value, through, complete):
    total = calc.aggregate_quarters(quarters, method)
    assert (total.value, total.through_quarter, total.complete) == (value, through, complete)


def test_annual_value_wins_over_quarters():
    assert calc.year_value(D(9), [D(1), D(2), D(3), D(4)], "kumulatif").value == D(9)


def test_objective_mean_skips_unavailable_and_applies_cap_only_when_averaging():
    assert calc.objective_achievement([D(100), None, D(80)]).value == D(90)
    assert calc.objective_achievement([D(200), D(100)], cap=D(120)).value == D(110)
    assert calc.objective_achievement([D(200), D(100)], "minimum").value == D(100)
    assert calc.objective_achievement([D(1), D(3), D(2), D(10)], "median").value == D("2.5")
    assert calc.objective_achievement([None]).value is None


def test_absorption():
    result = calc.absorption(D("17745401889"), D("18113302758"))
    assert round2(result.value) == D("97.97")
    assert calc.absorption(D(5), D(0)).value is None


def test_authoritative_target_order():
    assert calc.authoritative_key([("renstra", "murni"), ("pk", "murni")]) == ("pk", "murni")
    assert calc.authoritative_key([("pk", "murni"), ("pk", "perubahan")]) == ("pk", "perubahan")
    assert calc.authoritative_key([("renja", "murni"), ("renstra", "murni")]) == ("renstra", "murni")
    assert calc.authoritative_key([]) is None


PONTIANAK = [
    calc.Band("Sangat Berhasil", D(85), False, None, False),
    calc.Band("Berhasil", D(70), False, D(85), True),
    calc.Band("Cukup Berhasil", D(55), False, D(70), True),
    calc.Band("Tidak Berhasil", None, False, D(55), True),
]


def test_pontianak_scale_is_complete_and_rates_boundaries():
    assert calc.validate_bands(PONTIANAK) == []
    assert calc.rate(D(85), PONTIANAK) == "Berhasil"
    assert calc.rate(D("85.0001"), PONTIANAK) == "Sangat Berhasil"
    assert calc.rate(D(250), PONTIANAK) == "Sangat Berhasil"
    assert calc.rate(D(-5), PONTIANAK) == "Tidak Berhasil"
    assert calc.rate(None, PONTIANAK) is None


def test_integer_style_scale_has_decimal_gaps_and_no_top():
    printed = [  # "≥ 91; 76–90; 66–75; 51–65; ≤ 50" as printed, read literally
        calc.Band("Sangat Tinggi", D(91), True, D(100), True),
        calc.Band("Tinggi", D(76), True, D(90), True),
        calc.Band("Sedang", D(66), True, D(75), True),
        calc.Band("Rendah", D(51), True, D(65), True),
        calc.Band("Sangat Rendah", None, False, D(50), True),
    ]
    problems = calc.validate_bands(printed)
    assert any("celah" in p and "Tinggi" in p for p in problems)
    assert any("di atas" in p for p in problems)


def test_overlap_and_shared_boundary_are_reported():
    overlapping = [calc.Band("A", None, False, D(60), True), calc.Band("B", D(50), True, None, False)]
    assert any("tumpang tindih" in p for p in calc.validate_bands(overlapping))
    both_inclusive = [calc.Band("A", None, False, D(60), True), calc.Band("B", D(60), True, None, False)]
    assert any("dua rentang" in p for p in calc.validate_bands(both_inclusive))
    both_exclusive = [calc.Band("A", None, False, D(60), False), calc.Band("B", D(60), False, None, False)]
    assert any("tidak masuk" in p for p in calc.validate_bands(both_exclusive))
    assert calc.validate_bands([]) != []


# ---- properties ----

decimals = st.decimals(min_value=D("0.01"), max_value=D("1e6"), places=4, allow_nan=False, allow_infinity=False)


@given(target=decimals)
def test_meeting_the_target_exactly_is_100_for_both_polarities(target):
    assert calc.achievement(target, target, POS).value == 100
    assert calc.achievement(target, target, NEG).value == 100


@given(target=decimals, a=decimals, b=decimals)
def test_monotonic_in_the_right_direction(target, a, b):
    low, high = sorted([a, b])
    assert calc.achievement(target, low, POS).value <= calc.achievement(target, high, POS).value
    assert calc.achievement(target, low, NEG).value >= calc.achievement(target, high, NEG).value


@given(target=decimals, actual=decimals)
def test_polarities_mirror_around_100(target, actual):
    positive = calc.achievement(target, actual, POS).value
    negative = calc.achievement(target, actual, NEG).value
    # Equal up to the 28-digit precision of the Decimal context.
    assert abs(positive + negative - 200) < Decimal("1e-20")


@given(st.lists(st.one_of(st.none(), decimals), min_size=4, max_size=4))
def test_cumulative_is_the_sum_and_last_is_a_member(quarters):
    present = [q for q in quarters if q is not None]
    cumulative = calc.aggregate_quarters(quarters, "kumulatif").value
    last = calc.aggregate_quarters(quarters, "akhir").value
    if present:
        assert cumulative == sum(present)
        assert last == present[-1]
    else:
        assert cumulative is None and last is None


@given(st.lists(st.decimals(min_value=-1000, max_value=1000, places=2), min_size=1, max_size=8, unique=True))
def test_any_sorted_cut_points_make_a_valid_scale(cuts):
    cuts = sorted(cuts)
    bands = [calc.Band("b0", None, False, cuts[0], False)]
    bands += [calc.Band(f"b{i + 1}", lo, True, hi, False) for i, (lo, hi) in enumerate(zip(cuts, cuts[1:], strict=False))]
    bands.append(calc.Band("top", cuts[-1], True, None, False))
    assert calc.validate_bands(bands) == []
    for value in cuts:
        assert sum(band.contains(value) for band in bands) == 1


@given(values=st.lists(st.one_of(st.none(), decimals), max_size=10), cap=st.one_of(st.none(), decimals))
def test_objective_aggregate_lies_between_min_and_max(values, cap):
    result = calc.objective_achievement(values, cap=cap)
    present = [v if cap is None else min(v, cap) for v in values if v is not None]
    if not present:
        assert result.value is None
    else:
        assert min(present) <= result.value <= max(present)


def test_thresholds_use_the_value_as_printed():
    from lkjip.numbers import as_shown

    bands = [calc.Band("Cukup", None, False, D(90), False), calc.Band("Baik", D(90), True, None, False)]
    assert calc.rate(D("89.996"), bands) == "Cukup"  # the pure engine compares exactly …
    assert calc.rate(as_shown(D("89.996")), bands) == "Baik"  # … the report rates what it prints: 90,00
    assert as_shown(None) is None


# ---- capaian to date at a quarter ----


def _qa(quarters, quarter, method="kumulatif", polarity="positif", annual="100", q_target=None):
    from performance.calculations import quarter_achievement

    return quarter_achievement(
        quarters=[None if v is None else Decimal(v) for v in quarters], quarter=quarter, method=method,
        polarity=polarity, annual_target=Decimal(annual), quarter_target=None if q_target is None else Decimal(q_target),
    )


def test_quarter_capaian_against_the_rencana_aksi_target_of_the_quarter():
    result = _qa(["20", "30", None, None], 2, q_target="40")
    assert (result.basis, result.to_date.value, result.result.value) == ("triwulan", Decimal(50), Decimal(125))


def test_quarter_capaian_of_a_level_indicator_against_the_year_target():
    result = _qa(["7,9".replace(",", "."), "7.5", None, None], 2, method="akhir", polarity="negatif", annual="7.5")
    assert result.basis == "tahunan" and result.result.value == Decimal(100)


def test_a_cumulative_part_of_the_year_without_a_quarter_target_has_no_capaian():
    result = _qa(["20", None, None, None], 1)
    assert result.result.value is None and "Tidak ada target triwulan" in result.result.reason


def test_tw_iv_of_a_cumulative_indicator_is_the_year_against_the_year_target():
    result = _qa(["20", "30", "25", "25"], 4)
    assert result.basis == "tahunan" and result.result.value == Decimal(100)


def test_a_quarter_without_its_own_value_has_no_capaian_whatever_came_before():
    result = _qa(["20", None, None, None], 2, q_target="50")
    assert result.result.value is None and result.result.reason == "Realisasi belum tersedia"
    level = _qa(["7", "7", None, None], 3, method="akhir")
    assert level.result.value is None
