from decimal import Decimal

import pytest

from lkjip.numbers import (
    NotationError,
    as_decimal,
    as_stored,
    decimal_from_cell,
    format_id,
    format_percent,
    format_rupiah,
    parse_id_decimal,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7,33", "7.33"),
        ("1.234.567", "1234567"),
        ("Rp 18.113.307.758", "18113307758"),
        ("Rp. 1.000", "1000"),
        ("105,17 %", "105.17"),
        ("105,17%", "105.17"),
        ("-2,5", "-2.5"),
        ("−2,5", "-2.5"),
        ("33.417.070.609,32", "33417070609.32"),
        ("0,94", "0.94"),
        ("1.762", "1762"),
        ("12", "12"),
    ],
)
def test_parses_indonesian_notation(text, expected):
    assert parse_id_decimal(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["7.33", "1,234.56", "1.23", "12.3456", "abc", "", "7,33,1", "1..000", "Rp", "%"])
def test_rejects_text_that_is_not_indonesian_notation(text):
    with pytest.raises(NotationError):
        parse_id_decimal(text)


def test_numeric_cells_keep_their_decimal_digits():
    assert decimal_from_cell(7.33) == Decimal("7.33")
    assert decimal_from_cell(18113302758) == Decimal("18113302758")
    with pytest.raises(NotationError):
        decimal_from_cell(float("nan"))
    with pytest.raises(NotationError):
        decimal_from_cell(True)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (Decimal("105.174644"), 2, "105,17"),
        (Decimal("98.145"), 2, "98,15"),  # half-up, not banker's rounding
        (Decimal("7.7300"), None, "7,73"),
        (Decimal("1762.0000"), None, "1.762"),
        (Decimal("-1234.5"), 2, "-1.234,50"),
        (Decimal("0"), None, "0"),
    ],
)
def test_formats_the_indonesian_way(value, places, expected):
    assert format_id(value, places) == expected


def test_percent_and_rupiah():
    assert format_percent(Decimal("97.969")) == "97,97 %"
    assert format_percent(None) == "–"
    assert format_rupiah(Decimal("17745401889.00")) == "Rp 17.745.401.889"
    assert format_rupiah(Decimal("33417070609.32")) == "Rp 33.417.070.609,32"


def test_stored_figures_convert_one_way_and_back():
    assert as_decimal("7.3300") == Decimal("7.3300") and as_decimal(12) == Decimal(12)
    assert as_decimal(None) is None and as_decimal("") is None
    assert as_decimal(Decimal("1.50")) == Decimal("1.50")
    assert as_stored(Decimal("7.3300")) == "7.3300" and as_stored(None) is None
    assert as_decimal(as_stored(Decimal("-0.10"))) == Decimal("-0.10")


def test_formatting_reads_a_stored_figure_text():
    assert format_id("7.3300") == "7,33" and format_id("1762") == "1.762" and format_id("") == "–"
    assert format_id("105.1666", 2) == "105,17"
    assert format_percent("98.1") == "98,10 %" and format_percent("") == "–"
    assert format_rupiah("33417070609.32") == "Rp 33.417.070.609,32" and format_rupiah(None) == "–"
