"""The measurement table as plain data (for JSON, the CLI and templates).

JSON numbers are strings with full precision ("105.1746442432082794307891332"), so a
consumer can round as it likes and nothing is lost to floats.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from budget.summary import BudgetSummary
from performance.calculations import Result
from performance.measurement import IndicatorFigures, Measurement


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _result(result: Result) -> dict[str, Any]:
    return {"nilai": _num(result.value), "keterangan": result.reason or None}


def indicator_data(figure: IndicatorFigures) -> dict[str, Any]:
    indicator = figure.indicator
    return {
        "kode": indicator.code,
        "nama": indicator.name,
        "satuan": indicator.unit,
        "polaritas": indicator.polarity,
        "agregasi": indicator.aggregation,
        "target": _num(figure.target.value) if figure.target else None,
        "dokumen_target": figure.target.label if figure.target else None,
        "target_lain": [
            {"dokumen": t.label, "target": _num(t.value), "capaian": _result(t.achievement)}
            for t in figure.other_targets
        ],
        "realisasi_triwulan": [_num(q.value) if q else None for q in figure.quarters],
        "realisasi_tahunan": _num(figure.annual.value) if figure.annual else None,
        "realisasi": _num(figure.year_value.value),
        "realisasi_lengkap": figure.year_value.complete,
        "capaian": _result(figure.achievement),
        "predikat": figure.rating,
        "target_akhir": _num(figure.end_target),
        "capaian_target_akhir": _result(figure.end_achievement),
    }


def measurement_data(measurement: Measurement, budget: BudgetSummary) -> dict[str, Any]:
    agency = measurement.agency
    return {
        "instansi": {"kode": agency.code, "nama": agency.name, "pemda": agency.government.name},
        "tahun": measurement.year,
        "skala": measurement.scale.name if measurement.scale else None,
        "metode_sasaran": measurement.method,
        "batas_capaian_sasaran": _num(measurement.cap),
        "kelompok": [
            {
                "kode": group.code,
                "jenis": group.kind,
                "uraian": group.label,
                "capaian": _result(group.achievement),
                "predikat": group.rating,
                "indikator": [indicator_data(f) for f in group.indicators],
            }
            for group in measurement.groups
        ],
        "anggaran": {
            "pagu_murni": _num(budget.ceiling_original),
            "pagu": _num(budget.ceiling),
            "realisasi": _num(budget.spent),
            "realisasi_triwulan": [_num(q) for q in budget.spent_quarters],
            "serapan": _result(budget.absorption),
            "program": [
                {
                    "kode": node.code,
                    "jenis": node.item.kind,
                    "uraian": node.item.name,
                    "kedalaman": depth,
                    "pagu": _num(node.ceiling),
                    "realisasi": _num(node.spent),
                    "serapan": _result(node.absorption),
                }
                for depth, node in budget.rows()
            ],
        },
    }
