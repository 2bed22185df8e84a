"""BAB III Akuntabilitas Kinerja: methodology and rating scale, the measurement table, the
analysis per tujuan/sasaran and indicator (history table and chart, trend, narratives),
efficiency, supporting programs, the budget realisation, innovation and, in the four-chapter
layout, the follow-up of the evaluation (followup.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lkjip.numbers import as_decimal
from performance import derived

from .. import charts
from . import followup, statistics
from .formatting import DASH, QUARTERS, lower_first
from .numbering import Numbering
from .prose import prose
from .source import Source

# The order the agency's explanations of an indicator are printed in; their headings are the
# template's (_narasi_indikator.html), as is every other sentence of the chapter.
NARRATIVE_KEYS = derived.NARRATIVE_KEYS
NOTE_MARKS = "abcdefghijklmnopqrstuvwxyz"
PART = "bab3"
# Where the parts of A. Capaian Kinerja Organisasi sit (their "1.", "2.", … follow from the ones present).
METHOD, MEASUREMENT, STRATEGIC, OTHERS, EFFICIENCY, SUPPORT = ((1, n) for n in range(1, 7))
A, B, INNOVATION, FOLLOW_UP = (1,), (2,), (3,), (4,)
AFTER = 900  # a place after anything a section declares itself (all the groups of the analysis)


def build(doc: Source, numbering: Numbering, follow_up_section: bool) -> dict[str, Any]:
    chapter = numbering.chapter(PART, "Akuntabilitas Kinerja")
    s = doc.s
    scale = s.get("scale") or {}
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    sec["a"] = numbering.section(PART, A, "Capaian Kinerja Organisasi")
    sec["metodologi"] = numbering.section(PART, METHOD, "Metodologi Pengukuran Kinerja")
    result["aggregations"] = sorted({f["aggregation"] for f in doc.figures.values()})
    result["method"] = scale.get("objective_method") or "rata-rata"
    result["cap"] = scale.get("objective_cap")
    scale_title = "Skala Predikat Capaian Kinerja" + (f": {scale['name']}" if scale.get("name") else "")
    result["scale_table"] = numbering.table(PART, (*METHOD, 1), scale_title) if scale.get("bands") else None
    result["polarities"] = sorted({f["polarity"] for f in doc.figures.values()})

    sec["pengukuran"] = numbering.section(PART, MEASUREMENT, "Pengukuran Kinerja")
    result["measurement"] = _measurement_table(doc, numbering)
    strategic = [g for g in doc.groups if g.get("strategic")]
    others = [g for g in doc.groups if not g.get("strategic")]
    result["strategic"] = []
    if strategic:
        sec["analisis_sasaran"] = numbering.section(PART, STRATEGIC, "Analisis Capaian Tujuan dan Sasaran Strategis")
        for index, group in enumerate(strategic):
            # As its heading prints it (_group.html), code included.
            entry = numbering.section(PART, (*STRATEGIC, index), f"{group['kind']} {group['code']}: {group['label']}")
            result["strategic"].append(_group_analysis(doc, numbering, group, entry, (*STRATEGIC, index)))
    result["others"] = []
    if others:
        sec["analisis_program"] = numbering.section(PART, OTHERS, "Analisis Capaian Program, Kegiatan dan Sub Kegiatan")
        # Exceptions only: an indicator of a programme, kegiatan or sub kegiatan is explained where
        # the agency wrote about it or its figures ask for it; the measurement table holds them all.
        # ("to_explain" came after format 4: an older snapshot gets it from the same rule.)
        explain = doc.measured.get("to_explain")
        if explain is None:
            explain = [f["code"] for g in others for f in g["indicators"] if derived.to_explain(f)]
        # A statistics table the agency put beside an indicator is printed in that indicator's block.
        explain = [*explain, *statistics.indicators_with_tables(doc)]
        for index, group in enumerate(others):
            chosen = [f for f in group["indicators"] if f["code"] in explain]
            if chosen:
                result["others"].append(_group_analysis(doc, numbering, group, None, (*OTHERS, index), chosen))
    left_out = [f for g in others for f in g["indicators"] if f["code"] not in explain] if others else []
    result["others_total"] = sum(len(g["indicators"]) for g in others)
    result["others_described"] = result["others_total"] - len(left_out)
    result["others_unmeasured_omitted"] = sum(1 for f in left_out if (f.get("achievement") or {}).get("value") is None)
    result["others_met_omitted"] = len(left_out) - result["others_unmeasured_omitted"]
    result["far_above"], result["big_change"] = derived.FAR_ABOVE, derived.BIG_CHANGE * 100
    # Shortfalls the agency has not explained yet: one note for the drafter (draft only).
    unexplained = doc.measured.get("unexplained")
    if unexplained is None:
        unexplained = [code for code in doc.measured["below"]
                       if code in doc.figures and not derived.has_explanation(doc.figures[code])]
    result["unexplained"] = [
        {"code": code, "name": doc.figures[code]["name"], "show_code": doc.figures[code]["show_code"]}
        for code in unexplained if code in doc.figures
    ]
    # The agency's statistics tables of the analysis that sit beside no printed indicator.
    result["statistics"] = {"analisis": statistics.tables(doc, numbering, "analisis", PART, (*OTHERS, AFTER))}
    if doc.on("efficiency"):
        sec["efisiensi"] = numbering.section(PART, EFFICIENCY, "Analisis Efisiensi Penggunaan Sumber Daya")
        rows = s.get("efficiency") or []
        result["efficiency"] = {
            "rows": rows,
            "table": numbering.table(PART, (*EFFICIENCY, 1), "Capaian Kinerja Dibandingkan dengan Serapan Anggaran")
            if rows else None,
            "narrative": prose(doc.narratives.get("efisiensi")),
        }
        result["statistics"]["efisiensi"] = statistics.tables(doc, numbering, "efisiensi", PART, (*EFFICIENCY, 2))
    sec["program_pendukung"] = numbering.section(PART, SUPPORT, "Program Pendukung Pencapaian Sasaran")
    result["support"] = _supporting_programs(doc, numbering)

    sec["b"] = numbering.section(PART, B, "Realisasi Anggaran")
    result["budget"] = _budget_table(doc, numbering)
    narratives = doc.narratives
    result["innovation"] = None
    innovation_tables = statistics.placement(doc).get("inovasi")
    if doc.on("innovation") and (narratives.get("inovasi") or narratives.get("penghargaan") or innovation_tables):
        sec["inovasi"] = numbering.section(PART, INNOVATION, "Inovasi dan Penghargaan")
        result["innovation"] = {"inovasi": prose(narratives.get("inovasi")),
                                "penghargaan": prose(narratives.get("penghargaan"))}
        result["statistics"]["inovasi"] = statistics.tables(doc, numbering, "inovasi", PART, (*INNOVATION, 1))
    result["follow_up"] = None
    if follow_up_section:
        sec["tindak_lanjut"] = numbering.section(PART, FOLLOW_UP, "Tindak Lanjut Rekomendasi Hasil Evaluasi")
        result["follow_up"] = followup.recommendations(doc, numbering, PART, FOLLOW_UP)
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
        "provisional": doc.measured["provisional"],
        "incomplete": doc.measured["incomplete"],
        "table": numbering.table(PART, (*MEASUREMENT, 1), f"Pengukuran Kinerja Tahun {doc.year}"),
    }


def _capped(doc: Source, f: dict[str, Any]) -> bool:
    """Whether the cap of the averaging holds this indicator's capaian down."""
    cap = as_decimal((doc.s.get("scale") or {}).get("objective_cap"))
    value = as_decimal((f.get("achievement") or {}).get("value"))
    return cap is not None and value is not None and value > cap


def _group_analysis(doc: Source, numbering: Numbering, group: dict[str, Any], entry: dict[str, Any] | None,
                    at: tuple[int, ...], chosen: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    achievement = group.get("achievement") or {}
    # Places by the indicator's index in its group, so the numbering does not depend on which are chosen.
    indicators = [_indicator_analysis(doc, numbering, f, (*at, index)) for index, f in enumerate(group["indicators"])
                  if chosen is None or f in chosen]
    return {
        "group": group,
        "entry": entry,
        "achievement": achievement.get("value"),
        "reason": achievement.get("reason"),
        "measured": doc.measured["measured_per_group"].get(group["code"], 0),
        "count": len(group["indicators"]),
        "single": group["indicators"][0] if len(group["indicators"]) == 1 else None,
        "single_capped": len(group["indicators"]) == 1 and _capped(doc, group["indicators"][0]),
        "indicators": indicators,
    }


def _indicator_analysis(doc: Source, numbering: Numbering, f: dict[str, Any], at: tuple[int, ...]) -> dict[str, Any]:
    year = doc.year
    plan_indicator = doc.plan_indicators.get(f["code"]) or {}
    renstra = {**(plan_indicator.get("renstra_targets") or {}),
               **(plan_indicator.get("renstra_targets_revised") or {})}
    achievement = f.get("achievement") or {}
    available = achievement.get("value") is not None
    target, actual = as_decimal(f.get("target")), as_decimal(f.get("actual"))
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
    trend = doc.measured["trends"].get(f["code"])
    chart = None
    table = None
    if history:
        title = f"Realisasi {f['name']} Tahun {history[0]['year']}{DASH}{year}"
        table = numbering.table(PART, at, title)
        chart = numbering.chart(PART, at, title, lambda prefix: charts.indicator_chart(
            years=[r["year"] for r in history_rows],
            actuals=[r["actual"] for r in history_rows],
            target=f.get("target"),
            target_label=f"Target {f.get('target_document') or ''} {year}".replace("  ", " "),
            past_targets=[r["target"] for r in history_rows],
            end_target=f.get("end_target"),
            unit=f.get("unit") or "",
            prefix=prefix,
        ))
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
        # after the history table and chart declared at `at` itself
        "statistics": statistics.tables(doc, numbering, statistics.INDICATOR + f["code"], PART, (*at, 1)),
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
    return {"blocks": linked, "table": numbering.table(PART, (*SUPPORT, 1), title) if rows else None}


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
        chart = numbering.chart(PART, (*B, 1), f"Pagu dan Realisasi Anggaran per Program Tahun {doc.year}",
                                lambda prefix: charts.budget_chart(programs=programs, prefix=prefix))
    quarters = b.get("spent_quarters") or []
    nonzero_quarters = sum(1 for q in quarters if q and Decimal(q) != 0)
    return {
        "rows": rows,
        "show_revised": any(r.get("revised") for r in rows),
        "brief": doc.budget_brief(),
        "table": numbering.table(PART, (*B, 2), f"Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {doc.year}")
        if rows else None,
        "chart": chart,
        "quarters": [{"label": QUARTERS[i], "value": q} for i, q in enumerate(quarters)]
        if nonzero_quarters > 1 else None,
        "over": [r for r in rows if r.get("over_ceiling")],
    }
