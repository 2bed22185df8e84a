"""Small formatting helpers and the fixed wording tables the chapters share."""

from __future__ import annotations

import datetime
from typing import Any

from lkjip.numbers import as_decimal

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
NUMERALS = ("I", "II", "III", "IV", "V", "VI")
QUARTERS = ("TW I", "TW II", "TW III", "TW IV")
TIMES, MINUS, DIVIDED, DASH = "\u00d7", "\u2212", "\u00f7", "\u2013"  # as printed


def tanggal(value: datetime.date | str | None) -> str:
    """31 Januari 2024."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def decorate(figure: dict[str, Any]) -> dict[str, Any]:
    """An indicator with `show_code` (False when the name already ends with its code, e.g.
    "Indeks Kepuasan Masyarakat (IKM)") and `diff_unit` (percentage points for % units)."""
    unit = (figure.get("unit") or "").strip()
    return {
        **figure,
        "show_code": f"({figure['code']})".lower() not in (figure.get("name") or "").lower(),
        "diff_unit": "poin persen" if unit.lower() in ("%", "persen") else unit,
    }


def and_list(items: list[str]) -> str:
    """"a, b dan c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" dan {items[-1]}"


def differs(a: Any, b: Any) -> bool:
    return a is not None and b is not None and as_decimal(a) != as_decimal(b)


def arabic(numeral: str) -> int:
    return NUMERALS.index(numeral) + 1 if numeral in NUMERALS else 0
