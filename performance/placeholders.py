"""Placeholders for computed figures in narratives: the one list, and how a text is resolved.

A narrative may write `{serapan}` or `{capaian:IK-01}` instead of typing a figure, so the prose
prints what the app computed and cannot contradict it. Inside an indicator's own narrative the
short form without a code means that indicator (`{capaian}`). The record keeps the text as
written; the document's snapshot holds it resolved (reports/snapshot.py). No ORM here: the
values come from performance.narrative_figures, already formatted in Indonesian notation.

Only `{name}` and `{name:CODE}` with a lower-case name are placeholders; every other brace
("{" in prose, "{ catatan }") is text and is kept as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Placeholder:
    name: str
    meaning: str
    example: str
    per_indicator: bool = False  # takes an indicator code; the short form only in that indicator's narrative


PLACEHOLDERS: tuple[Placeholder, ...] = (
    Placeholder("capaian", "capaian indikator terhadap target yang berlaku, dengan tanda persen",
                "{capaian:IK-01} → 99,86 %", True),
    Placeholder("target", "target indikator yang berlaku tahun ini, tanpa satuan", "{target:IK-01} → 7,32", True),
    Placeholder("realisasi", "realisasi indikator tahun ini, tanpa satuan", "{realisasi:IK-01} → 7,33", True),
    Placeholder("predikat", "predikat capaian indikator menurut skala penilaian", "{predikat:IK-01} → Cukup", True),
    Placeholder("serapan", "serapan anggaran perangkat daerah (realisasi dibagi pagu)", "{serapan} → 97,97 %"),
    Placeholder("pagu", "pagu anggaran perangkat daerah (setelah perubahan)", "{pagu} → Rp 18.113.302.758"),
    Placeholder("realisasi_anggaran", "realisasi belanja perangkat daerah", "{realisasi_anggaran} → Rp 17.745.401.889"),
    Placeholder("jumlah_pegawai", "jumlah pegawai (PNS, PPPK dan non-ASN)", "{jumlah_pegawai} → 72"),
    Placeholder("jumlah_pns", "jumlah pegawai berstatus PNS", "{jumlah_pns} → 39"),
    Placeholder("jumlah_pppk", "jumlah pegawai berstatus PPPK", "{jumlah_pppk} → 32"),
    Placeholder("jumlah_program", "jumlah program pada data anggaran", "{jumlah_program} → 4"),
    Placeholder("jumlah_kegiatan", "jumlah kegiatan pada data anggaran", "{jumlah_kegiatan} → 15"),
    Placeholder("jumlah_subkegiatan", "jumlah sub kegiatan pada data anggaran", "{jumlah_subkegiatan} → 19"),
    Placeholder("jumlah_indikator", "jumlah indikator yang diukur tahun ini", "{jumlah_indikator} → 18"),
)
BY_NAME = {p.name: p for p in PLACEHOLDERS}
PLACEHOLDER_RE = re.compile(r"\{(?P<name>[a-z][a-z_]*)(?::(?P<code>[A-Za-z0-9][A-Za-z0-9._/-]*))?\}")
MISSING = "–"


@dataclass(frozen=True)
class Values:
    """The formatted figures of one agency and year: report-level by name, per indicator by code
    and name. None: the figure cannot be computed (no realisasi, no budget)."""

    report: Mapping[str, str | None] = field(default_factory=dict)
    indicators: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    placeholder: str  # as written, e.g. "{capaian:IK-99}"
    kind: str  # "tidak_dikenal" (unknown name or code, or a form that does not exist) or "tanpa_nilai"
    message: str


@dataclass(frozen=True)
class Resolution:
    text: str
    problems: list[Problem]


def _problem(raw: str, name: str, code: str | None, own: str | None, values: Values) -> tuple[str | None, Problem | None]:
    """The value a placeholder stands for, or the problem with it."""
    spec = BY_NAME.get(name)
    if spec is None:
        known = ", ".join("{" + p.name + "}" for p in PLACEHOLDERS)
        return None, Problem(raw, "tidak_dikenal", f"placeholder {raw} tidak dikenal; yang tersedia: {known}")
    if not spec.per_indicator:
        if code is not None:
            return None, Problem(raw, "tidak_dikenal",
                                 f"placeholder {raw} tidak memakai kode indikator; tulis {{{name}}}")
        return values.report.get(name), None
    code = code or own
    if code is None:
        return None, Problem(raw, "tidak_dikenal",
                             f"placeholder {raw} memerlukan kode indikator di luar narasi indikator; "
                             f"tulis {{{name}:KODE}}, misalnya {spec.example.split(' ')[0]}")
    figures = values.indicators.get(code)
    if figures is None:
        return None, Problem(raw, "tidak_dikenal",
                             f"placeholder {raw}: indikator berkode {code} tidak dikenal (tidak diukur tahun ini)")
    return figures.get(name), None


def resolve(text: str, *, values: Values, indicator: str | None = None) -> Resolution:
    """The text with each placeholder replaced by its value. An unknown placeholder (or code) stays
    as written; one whose figure cannot be computed prints "–". Each is a problem."""
    problems: list[Problem] = []

    def replace(match: re.Match[str]) -> str:
        raw = match.group(0)
        value, problem = _problem(raw, match.group("name"), match.group("code"), indicator, values)
        if problem is not None:
            problems.append(problem)
            return raw
        if value is None:
            problems.append(Problem(raw, "tanpa_nilai", f"nilai untuk placeholder {raw} belum dapat dihitung; "
                                                        f"dicetak \"{MISSING}\""))
            return MISSING
        return value

    return Resolution(PLACEHOLDER_RE.sub(replace, text), problems)


def unknown(text: str, *, codes: set[str] | frozenset[str], indicator: str | None = None) -> list[Problem]:
    """The placeholders a save refuses: unknown names, codes not among `codes`, forms that need a
    code. A figure that cannot be computed yet is no reason to refuse."""
    probe = Values(report={p.name: "" for p in PLACEHOLDERS if not p.per_indicator},
                   indicators={code: {} for code in codes})
    return [p for p in resolve(text, values=probe, indicator=indicator).problems if p.kind == "tidak_dikenal"]
