"""The LHE maths: total, predikat, checks of weights, scores and bands. Decimal in, no ORM.

total = Σ component values (each 0 ≤ value ≤ its weight; weights add up to 100).
predikat = the band that holds the total as printed (half-up to 2 decimals), so "80,00" is
never rated below 80 however the stored digits run on. Bands cover 0..100 exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from lkjip.numbers import as_shown, format_id
from performance.calculations import Band

FULL = Decimal(100)


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    weight: Decimal


def total(values: Mapping[str, Decimal]) -> Decimal | None:
    """Σ of the component values; None when no component has a value."""
    if not values:
        return None
    return sum(values.values(), Decimal(0))


def predikat(value: Decimal | None, bands: Sequence[Band]) -> Band | None:
    """The band holding the value as shown (2 decimals); None without a value or a band."""
    if value is None:
        return None
    shown = as_shown(value)
    return next((band for band in bands if band.contains(shown)), None)


def weight_problems(components: Sequence[Component]) -> list[str]:
    if not components:
        return ["Kerangka evaluasi belum memiliki komponen."]
    problems = [f"Bobot komponen {c.code} harus lebih dari 0." for c in components if c.weight <= 0]
    codes = [c.code for c in components]
    problems += [f"Kode komponen {code} dipakai lebih dari sekali." for code in sorted({c for c in codes if codes.count(c) > 1})]
    weights = sum((c.weight for c in components), Decimal(0))
    if weights != FULL:
        problems.append(f"Jumlah bobot komponen {format_id(weights)}, seharusnya 100.")
    return problems


def score_problems(components: Sequence[Component], values: Mapping[str, Decimal]) -> dict[str, str]:
    """component code → what is wrong with its value (unknown code under its own key)."""
    known = {c.code: c for c in components}
    found: dict[str, str] = {}
    for code, value in values.items():
        component = known.get(code)
        if component is None:
            found[code] = f"komponen {code} tidak ada dalam kerangka evaluasi"
        elif value < 0:
            found[code] = f"nilai {component.name} tidak boleh negatif"
        elif value > component.weight:
            found[code] = (f"nilai {component.name} {format_id(value)} melebihi bobotnya "
                           f"{format_id(component.weight)}")
    return found


def band_problems(bands: Sequence[Band]) -> list[str]:
    """Every problem that stops the bands from rating each total from 0 to 100 exactly once."""
    if not bands:
        return ["Kerangka evaluasi belum memiliki rentang predikat."]
    problems = []
    for band in bands:
        if band.lower is None or band.upper is None:
            problems.append(f"Rentang '{band.label}' harus memiliki batas bawah dan batas atas.")
        elif band.lower > band.upper or (band.lower == band.upper and not (band.lower_inclusive and band.upper_inclusive)):
            problems.append(f"Rentang '{band.label}' kosong ({band.describe()}).")
    if problems:
        return problems
    ordered = sorted(bands, key=lambda b: (b.lower, 0 if b.lower_inclusive else 1))
    first, last = ordered[0], ordered[-1]
    if first.lower != 0 or not first.lower_inclusive:
        problems.append(f"Nilai 0 tidak masuk rentang mana pun (rentang terendah '{first.label}': {first.describe()}).")
    if last.upper != FULL or not last.upper_inclusive:
        problems.append(f"Nilai 100 tidak masuk rentang mana pun (rentang tertinggi '{last.label}': {last.describe()}).")
    for current, following in zip(ordered, ordered[1:], strict=False):
        if current.upper < following.lower:
            problems.append(f"Ada celah antara '{current.label}' ({current.describe()}) dan "
                            f"'{following.label}' ({following.describe()}).")
        elif current.upper > following.lower:
            problems.append(f"Rentang '{current.label}' dan '{following.label}' tumpang tindih.")
        elif current.upper_inclusive == following.lower_inclusive:
            both = "inklusif" if current.upper_inclusive else "eksklusif"
            problems.append(f"Nilai {format_id(current.upper)} masuk {'dua' if both == 'inklusif' else 'tidak satu pun'} "
                            f"rentang: '{current.label}' dan '{following.label}' sama-sama {both} pada batasnya.")
    return problems


def differs(printed: Decimal | None, computed: Decimal | None) -> bool:
    """Whether a printed total disagrees with the computed one as the report shows it (2 places)."""
    return printed is not None and computed is not None and as_shown(printed) != as_shown(computed)
