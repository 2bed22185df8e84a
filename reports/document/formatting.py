"""Small formatting helpers and the fixed wording tables the chapters share."""

from __future__ import annotations

import datetime
import re
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


# Units that are no unit in a sentence: "85 nilai" and "naik 0,18 Nilai" read wrong; an
# index is a bare number ("sebesar 85"), and its change is in points ("naik 0,18 poin").
UNITLESS = ("nilai", "nilai indeks", "indeks", "skor", "poin")
# A name that ends with an abbreviation of its own, "Tingkat Penempatan Tenaga Kerja (TPTK)":
# the code beside it would read as a second one, "(TPTK) (TPK)".
_OWN_ABBREVIATION = re.compile(r"\((?=[^)]*[A-Z][^)]*[A-Z])[A-Za-z0-9.&/-]{2,15}\)\s*$")


def decorate(figure: dict[str, Any]) -> dict[str, Any]:
    """An indicator with `show_code` (False when the name already ends with its code or an
    abbreviation, e.g. "Indeks Kepuasan Masyarakat (IKM)"), `unit_text` (the unit as a sentence
    prints it after a number, empty for an index) and `diff_unit` (percentage points for %
    units, points for an index)."""
    unit = (figure.get("unit") or "").strip()
    name = figure.get("name") or ""
    unitless = unit.lower() in UNITLESS
    return {
        **figure,
        "show_code": f"({figure['code']})".lower() not in name.lower() and not _OWN_ABBREVIATION.search(name),
        "unit_text": "" if unitless else unit,
        "diff_unit": "poin persen" if unit.lower() in ("%", "persen") else "poin" if unitless else unit,
    }


def lower_first(text: str) -> str:
    """A reason as the middle of a sentence: "Realisasi belum tersedia" → "realisasi belum
    tersedia"; an abbreviation at the start ("BPS belum merilis") stays as it is."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def and_list(items: list[str]) -> str:
    """"a, b dan c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" dan {items[-1]}"


def differs(a: Any, b: Any) -> bool:
    return a is not None and b is not None and as_decimal(a) != as_decimal(b)


def arabic(numeral: str) -> int:
    return NUMERALS.index(numeral) + 1 if numeral in NUMERALS else 0
