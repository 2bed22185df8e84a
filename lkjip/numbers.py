"""Indonesian number notation: strict parsing and display formatting. No ORM, no Django.

Parsing is strict on purpose: "7.33" could mean 733 or 7,33, so text that is not valid
Indonesian notation is rejected rather than guessed (WORKBOOK.md).
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

TWO_PLACES = Decimal("0.01")

_NUMBER_RE = re.compile(
    r"""^
    (?P<sign>[-−])?\s*
    (?:rp\.?\s*)?
    (?P<int>\d{1,3}(?:\.\d{3})+|\d+)
    (?:,(?P<frac>\d+))?
    \s*%?
    $""",
    re.IGNORECASE | re.VERBOSE,
)


class NotationError(ValueError):
    """Text that is not a number in Indonesian notation."""


def parse_id_decimal(text: str) -> Decimal:
    """Parse "7,33", "1.234.567", "Rp 18.113.307.758", "105,17 %" or "-2,5" to a Decimal.

    Raises NotationError for anything else, including "7.33" and "1,234.5".
    """
    cleaned = text.strip().replace("\u00a0", " ")
    match = _NUMBER_RE.match(cleaned)
    if not match:
        raise NotationError(text)
    digits = match.group("int").replace(".", "")
    frac = match.group("frac")
    value = Decimal(f"{digits}.{frac}" if frac else digits)
    return -value if match.group("sign") else value


def decimal_from_cell(value: object) -> Decimal:
    """A numeric spreadsheet cell (int, float, Decimal) or Indonesian-notation text to Decimal.

    Floats go through repr(), the shortest text that round-trips, so the cell 7.33 becomes
    Decimal("7.33") and not the binary expansion 7.3300000000000000710….
    """
    if isinstance(value, bool):
        raise NotationError(str(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise NotationError(str(value))
        try:
            return Decimal(repr(value))
        except InvalidOperation as exc:  # pragma: no cover - repr of a finite float always parses
            raise NotationError(str(value)) from exc
    if isinstance(value, str):
        return parse_id_decimal(value)
    raise NotationError(str(value))


def as_decimal(value: object) -> Decimal | None:
    """A stored figure (the snapshot's text "7.3300", a Decimal, an int) as a Decimal; None or ""
    (no figure) as None. The one conversion the measurement layer, the snapshot and the documents use."""
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def as_stored(value: Decimal | int | None) -> str | None:
    """A figure as the snapshot stores it: the Decimal's full text ("7.3300"), None for none."""
    return None if value is None else str(value)


def round2(value: Decimal) -> Decimal:
    """Half-up to two decimals: the only rounding the app does, and only for display."""
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def as_shown(value: Decimal | None) -> Decimal | None:
    """The value as the report prints it (half-up, 2 decimals).

    Thresholds a reader checks against the printed number — rating bands, "target met" at
    100 %, the 150 % finding — use this, so "90,00 %" is never rated as below 90.
    """
    return None if value is None else round2(value)


def _group_thousands(integer_digits: str) -> str:
    groups = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return ".".join(groups)


def format_id(value: Decimal | int | str | None, places: int | None = None, empty: str = "–") -> str:
    """Format the Indonesian way: 1.234.567,89.

    places=None shows the value as stored without trailing zeros (7,7300 → 7,73; 1762 → 1.762);
    an integer rounds half-up to that many places and keeps them (105,17; 98,10). A stored
    figure's text ("7.3300") is read as its Decimal; "" is no figure.
    """
    number = as_decimal(value)
    if number is None:
        return empty
    if places is not None:
        number = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    else:
        number = number.normalize() if number == number.to_integral_value() else number
        if "." in format(number, "f"):
            number = Decimal(format(number, "f").rstrip("0").rstrip("."))
    sign = "-" if number < 0 else ""
    text = format(abs(number), "f")
    integer, _, fraction = text.partition(".")
    body = _group_thousands(integer)
    return f"{sign}{body},{fraction}" if fraction else f"{sign}{body}"


def format_percent(value: Decimal | str | None, empty: str = "–") -> str:
    """105,17 % style; two places, half-up."""
    number = as_decimal(value)
    return empty if number is None else f"{format_id(number, 2)} %"


def format_rupiah(value: Decimal | int | str | None, empty: str = "–") -> str:
    """Rp 17.745.401.889; cents are shown only when the amount has them (Rp 33.417.070.609,32)."""
    number = as_decimal(value)
    if number is None:
        return empty
    places = 0 if number == number.to_integral_value() else 2
    return f"Rp {format_id(number, places)}"
