"""What an evaluation, its scores, its framework and a tindak lanjut must keep; shared by the
page, the admin, the demo loader and (later) the API. Reads only what it is given."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from lkjip.numbers import format_id
from performance.calculations import Band
from performance.rules import RuleViolation, Violation

from . import calculations as calc

__all__ = ["RuleViolation", "Violation"]

YEARS = range(2000, 2101)
MAX_TEXT = 10_000


def framework_violations(*, components: Sequence[calc.Component], bands: Sequence[Band]) -> list[Violation]:
    """Weights add up to 100; the bands rate every total from 0 to 100 exactly once."""
    return [Violation(None, "components", "", p) for p in calc.weight_problems(components)] + [
        Violation(None, "bands", "", p) for p in calc.band_problems(bands)
    ]


USED_FRAMEWORK = ("kerangka ini sudah dipakai untuk menilai evaluasi: bobot komponen dan rentang predikatnya tidak "
                  "dapat diubah, karena nilai dan predikat yang sudah tercatat akan ikut berubah; buat kerangka "
                  "baru dengan tahun berlaku (valid_from) berikutnya")


def _band_key(band: Band) -> tuple:
    return (band.label, band.lower, band.lower_inclusive, band.upper, band.upper_inclusive)


def framework_change_violations(
    *, scored: bool, stored_components: Sequence[calc.Component], stored_bands: Sequence[Band],
    components: Sequence[calc.Component], bands: Sequence[Band],
) -> list[Violation]:
    """A framework an evaluation is scored by keeps its weights and its bands (label and range):
    either would silently change a recorded total's predikat. Names, meanings and order may change."""
    if not scored:
        return []
    found = []
    before = {c.code: c.weight for c in stored_components}
    after = {c.code: c.weight for c in components}
    for code in sorted(before.keys() | after.keys()):
        if before.get(code) != after.get(code):
            was = "tidak ada" if code not in before else f"bobot {format_id(before[code])}"
            becomes = "dihapus" if code not in after else f"bobot {format_id(after[code])}"
            found.append(Violation(None, "components", code,
                                   f"komponen {code} ({was} → {becomes}): {USED_FRAMEWORK}"))
    if sorted(map(_band_key, stored_bands), key=lambda k: k[0]) != sorted(map(_band_key, bands), key=lambda k: k[0]):
        found.append(Violation(None, "bands", "", f"rentang predikat: {USED_FRAMEWORK}"))
    return found


def header_violations(*, evaluated_year: int, values: Mapping[str, Any]) -> list[Violation]:
    found = []
    if evaluated_year not in YEARS:
        found.append(Violation("evaluated_year", "evaluated_year", str(evaluated_year),
                               "LKjIP tahun yang dievaluasi harus antara 2000 dan 2100"))
    lhe_date = values.get("lhe_date")
    if isinstance(lhe_date, datetime.date) and lhe_date.year <= evaluated_year:
        found.append(Violation("lhe_date", "lhe_date", lhe_date.isoformat(),
                               f"tanggal LHE {lhe_date:%d-%m-%Y} tidak mungkin: LHE atas LKjIP {evaluated_year} "
                               f"terbit setelah tahun itu berakhir (tahun {evaluated_year + 1} atau sesudahnya)"))
    printed = values.get("printed_total")
    if printed is not None and not (Decimal(0) <= printed <= calc.FULL):
        found.append(Violation("printed_total", "printed_total", str(printed),
                               f"nilai tercetak {format_id(printed)} harus antara 0 dan 100"))
    printed_predikat = values.get("printed_predikat") or ""
    if len(printed_predikat) > 10:
        found.append(Violation("printed_predikat", "printed_predikat", printed_predikat,
                               "predikat tercetak paling banyak 10 karakter (mis. A, BB)"))
    if (printed is not None or printed_predikat) and not (values.get("printed_source") or "").strip():
        found.append(Violation("printed_source", "printed_source", "",
                               "sebutkan di mana nilai/predikat itu tercetak (mis. LHE nomor …, LKjIP 2025 Tabel 3.9)"))
    for name in ("note", "evaluator", "lhe_number", "printed_source"):
        if len(values.get(name) or "") > MAX_TEXT:
            found.append(Violation(name, name, "", f"paling banyak {MAX_TEXT} karakter"))
    return found


def score_violations(
    *, components: Sequence[calc.Component], values: Mapping[str, Decimal], framework_problems: Sequence[Violation]
) -> list[Violation]:
    """Every component valued, or none (the source printed no component scores); each within 0..its weight."""
    if not values:
        return []
    if not components:
        return [Violation("scores", "scores", "", "tidak ada kerangka evaluasi yang berlaku untuk tahun ini, "
                                                  "sehingga nilai komponen tidak dapat dicatat")]
    if framework_problems:
        return [Violation("scores", "scores", "", f"kerangka evaluasi belum sah: {v.message}")
                for v in framework_problems]
    found = [Violation(("score", code), "value", str(values[code]), message)
             for code, message in calc.score_problems(components, values).items()]
    missing = [c for c in components if c.code not in values]
    if missing:
        found.append(Violation("scores", "scores", "",
                               "isi nilai setiap komponen, atau kosongkan semuanya bila sumber tidak mencantumkannya "
                               f"(belum diisi: {', '.join(c.name for c in missing)})"))
    return found


def follow_up_violations(*, key: Any, follow_up: str, status: str) -> list[Violation]:
    found = []
    if len(follow_up) > MAX_TEXT:
        found.append(Violation(key, "follow_up", "", f"tindak lanjut paling banyak {MAX_TEXT} karakter"))
    if len(status) > 100:
        found.append(Violation(key, "status", status[:20], "status paling banyak 100 karakter"))
    return found


def recommendation_violations(*, key: Any, component: str, text: str) -> list[Violation]:
    found = []
    if not text.strip():
        found.append(Violation(key, "text", "", "tuliskan rekomendasinya"))
    if len(text) > MAX_TEXT:
        found.append(Violation(key, "text", "", f"rekomendasi paling banyak {MAX_TEXT} karakter"))
    if len(component) > 200:
        found.append(Violation(key, "component", component[:20], "komponen paling banyak 200 karakter"))
    return found
