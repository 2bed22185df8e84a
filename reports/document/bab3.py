"""BAB III Akuntabilitas Kinerja: methodology and rating scale, the measurement table, the
analysis per tujuan/sasaran and indicator (history table and chart, trend, narratives),
efficiency, supporting programs, the budget realisation, innovation and, in the four-chapter
layout, the follow-up of the evaluation (followup.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .. import charts
from . import followup
from .formatting import DASH, QUARTERS, _dec, below, lower_first
from .numbering import Numbering
from .prose import prose
from .source import Source

# The order the agency's explanations of an indicator are printed in; their headings are the
# template's (_narasi_indikator.html), as is every other sentence of the chapter.
NARRATIVE_KEYS = ("analisis", "pendukung", "penghambat", "upaya")
# A change against the previous year at least this large (relative to that year's value) is
# explained in the text even for a programme or activity indicator that met its target.
BIG_CHANGE = Decimal("0.2")
# A capaian above this is a deviation too (the findings flag it as capaian_di_atas_150).
FAR_ABOVE = Decimal(150)
NOTE_MARKS = "abcdefghijklmnopqrstuvwxyz"


def build(doc: Source, numbering: Numbering, follow_up_section: bool) -> dict[str, Any]:
    chapter = numbering.start_chapter("bab3", "III", "Akuntabilitas Kinerja")
    s = doc.s
    scale = s.get("scale") or {}
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    sec["a"] = numbering.section("A.", "Capaian Kinerja Organisasi")
    sec["metodologi"] = numbering.section("1.", "Metodologi Pengukuran Kinerja", level=3)
    result["aggregations"] = sorted({f["aggregation"] for f in doc.figures.values()})
    result["method"] = scale.get("objective_method") or "rata-rata"
    result["cap"] = scale.get("objective_cap")
    scale_title = "Skala Predikat Capaian Kinerja" + (f": {scale['name']}" if scale.get("name") else "")
    result["scale_table"] = numbering.table(scale_title) if scale.get("bands") else None
    result["polarities"] = sorted({f["polarity"] for f in doc.figures.values()})

    sec["pengukuran"] = numbering.section("2.", "Pengukuran Kinerja", level=3)
    result["measurement"] = _measurement_table(doc, numbering)
    strategic = [g for g in doc.groups if g.get("strategic")]
    others = [g for g in doc.groups if not g.get("strategic")]
    n = 2
    result["strategic"] = []
    if strategic:
        n += 1
        sec["analisis_sasaran"] = numbering.section(f"{n}.", "Analisis Capaian Tujuan dan Sasaran Strategis",
                                                    level=3)
        for group in strategic:
            entry = numbering.section(f"{n}.{len(result['strategic']) + 1}", f"{group['kind']} {group['label']}",
                                      level=4)
            result["strategic"].append(_group_analysis(doc, numbering, group, entry))
    result["others"] = []
    if others:
        n += 1
        sec["analisis_program"] = numbering.section(f"{n}.", "Analisis Capaian Program, Kegiatan dan Sub Kegiatan",
                                                    level=3)
        for group in others:
            # Exceptions only: an indicator of a programme, kegiatan or sub kegiatan is explained
            # where the agency wrote about it or its figures ask for it; the measurement table
            # holds every one of them.
            chosen = [f for f in group["indicators"] if _notable(f)]
            if chosen:
                result["others"].append(_group_analysis(doc, numbering, group, None, chosen))
    result["others_total"] = sum(len(g["indicators"]) for g in others)
    result["others_described"] = sum(len(ga["indicators"]) for ga in result["others"])
    result["far_above"], result["big_change"] = FAR_ABOVE, BIG_CHANGE * 100
    left_out = [f for g in others for f in g["indicators"] if not _notable(f)]
    result["others_unmeasured_omitted"] = sum(1 for f in left_out if (f.get("achievement") or {}).get("value") is None)
    result["others_met_omitted"] = len(left_out) - result["others_unmeasured_omitted"]
    # Shortfalls the agency has not explained yet: one note for the drafter (draft only).
    result["unexplained"] = [
        {"code": f["code"], "name": f["name"], "show_code": f["show_code"]}
        for f in doc.figures.values() if below(f) and not _has_narrative(f)
    ]
    if doc.on("efficiency"):
        n += 1
        sec["efisiensi"] = numbering.section(f"{n}.", "Analisis Efisiensi Penggunaan Sumber Daya", level=3)
        rows = s.get("efficiency") or []
        result["efficiency"] = {
            "rows": rows,
            "table": numbering.table("Capaian Kinerja Dibandingkan dengan Serapan Anggaran") if rows else None,
            "narrative": prose(doc.narratives.get("efisiensi")),
        }
    n += 1
    sec["program_pendukung"] = numbering.section(f"{n}.", "Program Pendukung Pencapaian Sasaran", level=3)
    result["support"] = _supporting_programs(doc, numbering)

    sec["b"] = numbering.section("B.", "Realisasi Anggaran")
    result["budget"] = _budget_table(doc, numbering)
    letter = "B"
    narratives = doc.narratives
    result["innovation"] = None
    if doc.on("innovation") and (narratives.get("inovasi") or narratives.get("penghargaan")):
        letter = chr(ord(letter) + 1)
        sec["inovasi"] = numbering.section(f"{letter}.", "Inovasi dan Penghargaan")
        result["innovation"] = {"inovasi": prose(narratives.get("inovasi")),
                                "penghargaan": prose(narratives.get("penghargaan"))}
    result["follow_up"] = None
    if follow_up_section:
        letter = chr(ord(letter) + 1)
        sec["tindak_lanjut"] = numbering.section(f"{letter}.", "Tindak Lanjut Rekomendasi Hasil Evaluasi")
        result["follow_up"] = followup.recommendations(doc, numbering)
    return result


def _measurement_table(doc: Source, numbering: Numbering) -> dict[str, Any]:
    show_quarters = any(any(q is not None for q in f.get("quarters") or []) for f in doc.figures.values())
    notes: list[dict[str, str]] = []
    groups = []
    for group in doc.groups:
        rows = []
        for f in group["indicators"]:
            row = doc.indicator_row(f)
            row["mark"] = ""
            if not row["available"]:
                row["mark"] = NOTE_MARKS[len(notes) % len(NOTE_MARKS)]
                notes.append({"mark": row["mark"], "code": f["code"], "text": row["reason"]})
            rows.append(row)
        groups.append({"group": group, "rows": rows, "count": len(rows)})
    counter = 0
    for group in groups:
        for row in group["rows"]:
            counter += 1
            row["no"] = counter
    return {
        "groups": groups,
        "show_quarters": show_quarters,
        "show_rating": bool((doc.s.get("scale") or {}).get("bands")),
        "notes": notes,
        "provisional": any(f.get("provisional") for f in doc.figures.values()),
        "incomplete": any(f.get("actual") is not None and not f.get("actual_complete")
                          for f in doc.figures.values()),
        "table": numbering.table(f"Pengukuran Kinerja Tahun {doc.year}"),
    }


def _has_narrative(f: dict[str, Any]) -> bool:
    narratives = f.get("narratives") or {}
    return any((narratives.get(k) or "").strip() for k in NARRATIVE_KEYS)


def _previous(f: dict[str, Any]) -> dict[str, Any] | None:
    """The latest earlier year with a value."""
    return next((h for h in reversed(f.get("history") or []) if h.get("value") is not None), None)


def _big_change(f: dict[str, Any]) -> bool:
    previous, actual = _previous(f), _dec(f.get("actual"))
    if previous is None or actual is None:
        return False
    before = Decimal(previous["value"])
    if before == 0:
        return actual != 0
    return abs(actual - before) >= abs(before) * BIG_CHANGE


def _notable(f: dict[str, Any]) -> bool:
    """Whether an indicator needs its own paragraphs: the agency wrote about it, it fell short
    of its target, it is far above it, or it changed much against the previous year."""
    value = _dec((f.get("achievement") or {}).get("value"))
    return (_has_narrative(f) or below(f) or (value is not None and value > FAR_ABOVE)
            or _big_change(f))


def _capped(doc: Source, f: dict[str, Any]) -> bool:
    cap, value = _dec((doc.s.get("scale") or {}).get("objective_cap")), _dec((f.get("achievement") or {}).get("value"))
    return cap is not None and value is not None and value > cap


def _group_analysis(doc: Source, numbering: Numbering, group: dict[str, Any],
                    entry: dict[str, Any] | None, chosen: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    achievement = group.get("achievement") or {}
    indicators = [_indicator_analysis(doc, numbering, f, group)
                  for f in (group["indicators"] if chosen is None else chosen)]
    return {
        "group": group,
        "entry": entry,
        "achievement": achievement.get("value"),
        "reason": achievement.get("reason"),
        "measured": sum(1 for f in group["indicators"] if (f.get("achievement") or {}).get("value") is not None),
        "count": len(group["indicators"]),
        "single": group["indicators"][0] if len(group["indicators"]) == 1 else None,
        "single_capped": len(group["indicators"]) == 1 and _capped(doc, group["indicators"][0]),
        "indicators": indicators,
    }


def _indicator_analysis(doc: Source, numbering: Numbering, f: dict[str, Any], group: dict[str, Any]) -> dict[str, Any]:
    year = doc.year
    plan_indicator = doc.plan_indicators.get(f["code"]) or {}
    renstra = {**(plan_indicator.get("renstra_targets") or {}),
               **(plan_indicator.get("renstra_targets_revised") or {})}
    achievement = f.get("achievement") or {}
    available = achievement.get("value") is not None
    target, actual = _dec(f.get("target")), _dec(f.get("actual"))
    # The template writes the calculation out; these are its terms.
    formula = None
    if available and target is not None and actual is not None:
        formula = {"negative": f["polarity"] == "negatif", "target": f.get("target"), "actual": f.get("actual"),
                   "value": achievement["value"]}
    history = list(f.get("history") or [])
    if not any(h.get("value") is not None for h in history):
        history = []  # years on record without a value are no comparison
    history_rows = [
        # The target that counted that year (PK, else Renstra, …), else the Renstra's plan figure.
        {"year": h["year"], "target": h.get("target") or renstra.get(str(h["year"])),
         "target_doc": h.get("target_document") or ("Renstra" if renstra.get(str(h["year"])) else ""),
         "actual": h["value"], "current": False}
        for h in history
    ]
    history_rows.append({"year": year, "target": f.get("target"), "target_doc": f.get("target_document") or "",
                         "actual": f.get("actual"), "current": True})
    previous = _previous(f)
    trend = None
    if previous is not None and actual is not None:
        diff = actual - Decimal(previous["value"])
        direction = "naik" if diff > 0 else "turun" if diff < 0 else "tetap"
        if diff == 0:
            better = None
        else:
            better = (diff > 0) == (f["polarity"] != "negatif")
        trend = {"year": previous["year"], "value": previous["value"], "diff": str(abs(diff)),
                 "direction": direction, "better": better, "big": _big_change(f)}
    chart = None
    table = None
    if history:
        table = numbering.table(f"Realisasi {f['name']} Tahun {history[0]['year']}{DASH}{year}")
        svg = charts.indicator_chart(
            years=[r["year"] for r in history_rows],
            actuals=[r["actual"] for r in history_rows],
            target=f.get("target"),
            target_label=f"Target {f.get('target_document') or ''} {year}".replace("  ", " "),
            past_targets=[r["target"] for r in history_rows],
            end_target=f.get("end_target"),
            unit=f.get("unit") or "",
            prefix=f"g{len(numbering.charts) + 1}",
        )
        chart = numbering.chart(f"Realisasi {f['name']} Tahun {history[0]['year']}{DASH}{year}", svg)
    narratives = f.get("narratives") or {}
    present = [{"key": k, "html": prose(narratives[k])} for k in NARRATIVE_KEYS if (narratives.get(k) or "").strip()]
    benchmarks = f.get("benchmarks") or []
    quarters = [{"label": QUARTERS[i], "value": v, "target": (f.get("target_quarters") or [None] * 4)[i]}
                for i, v in enumerate(f.get("quarters") or [None] * 4)]
    reported = [q for q in quarters if q["value"] is not None]
    return {
        "f": f,
        "available": available,
        "achievement": achievement.get("value"),
        "reason": lower_first(f.get("not_available_reason") or achievement.get("reason") or ""),
        # The sentence before already says "target belum ditetapkan" or "realisasi belum tersedia".
        "reason_said": (f.get("target") is None or f.get("actual") is None),
        "formula": formula,
        "quarters": quarters,
        # Only the quarters with a value; a year reported in TW IV alone is an annual figure.
        "reported_quarters": reported,
        "has_quarters": bool(reported) and not (len(reported) == 1 and reported[0] is quarters[3]),
        "aggregation": f.get("aggregation"),
        "other_targets": f.get("other_targets") or [],
        "history_rows": history_rows,
        "history_table": table,
        "chart": chart,
        "trend": trend,
        "end_target": f.get("end_target"),
        "end_achievement": (f.get("end_achievement") or {}).get("value"),
        "end_reason": (f.get("end_achievement") or {}).get("reason") or "",
        "plan_end": (doc.s.get("plan") or {}).get("end"),
        "benchmarks": benchmarks,
        "narratives": present,
        "met": bool(f.get("met")),
        "below": below(f),
    }


def _supporting_programs(doc: Source, numbering: Numbering) -> dict[str, Any]:
    rows = [r for r in (doc.s.get("budget") or {}).get("rows", []) if r["kind"] == "program"]
    group_by_code = {g["code"]: g for g in doc.groups}
    strategic = [g for g in doc.groups if g.get("strategic")]
    linked: list[dict[str, Any]] = []
    used: set[str] = set()
    for group in strategic:
        programs = [r for r in rows if r.get("objective") == group["code"]]
        if not programs:
            continue
        used |= {p["code"] for p in programs}
        linked.append({"group": group, "programs": [_program_line(p, group_by_code) for p in programs]})
    unlinked = [_program_line(r, group_by_code) for r in rows if r["code"] not in used]
    if unlinked:
        linked.append({"group": None, "programs": unlinked})
    title = "Program Pendukung Sasaran, Anggaran dan Capaian Indikator Program"
    return {"blocks": linked, "table": numbering.table(title) if rows else None}


def _program_line(row: dict[str, Any], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
    group = groups.get(row["code"])
    return {
        "row": row,
        "indicators": group["indicators"] if group else [],
        "achievement": (group.get("achievement") or {}).get("value") if group else None,
    }


def _budget_table(doc: Source, numbering: Numbering) -> dict[str, Any]:
    b = doc.s.get("budget") or {}
    rows = b.get("rows", [])
    programs = [r for r in rows if r["kind"] == "program"]
    chart = None
    if programs and not b.get("empty"):
        chart = numbering.chart(f"Pagu dan Realisasi Anggaran per Program Tahun {doc.year}",
                                charts.budget_chart(programs=programs, prefix=f"g{len(numbering.charts) + 1}"))
    quarters = b.get("spent_quarters") or []
    nonzero_quarters = sum(1 for q in quarters if q and Decimal(q) != 0)
    return {
        "rows": rows,
        "show_revised": any(r.get("revised") for r in rows),
        "brief": doc.budget_brief(),
        "table": numbering.table(f"Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {doc.year}")
        if rows else None,
        "chart": chart,
        "quarters": [{"label": QUARTERS[i], "value": q} for i, q in enumerate(quarters)]
        if nonzero_quarters > 1 else None,
        "over": [r for r in rows if r.get("over_ceiling")],
    }
