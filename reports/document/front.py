"""Front matter: the kata pengantar and the ikhtisar eksekutif (the cover and the lists of
contents, tables and charts are the templates' own, from titles and numbering)."""

from __future__ import annotations

from typing import Any

from .formatting import below
from .prose import first_sentences, prose
from .source import Source


def kata_pengantar(doc: Source) -> dict[str, Any]:
    return {"text": prose(doc.narratives.get("kata_pengantar"))}


def ikhtisar(doc: Source) -> dict[str, Any]:
    m = doc.s["measurement"]
    counts = m["counts"]
    strategic = [g for g in doc.groups if g.get("strategic")]
    others = [g for g in doc.groups if not g.get("strategic")]
    strategic_indicators = sum(len(g["indicators"]) for g in strategic)
    band_order = [b["label"] for b in (doc.s.get("scale") or {}).get("bands", [])]
    by_rating = counts.get("by_rating") or {}
    ratings = [{"label": k, "count": by_rating[k]} for k in band_order if k in by_rating]
    ratings += [{"label": k, "count": v} for k, v in by_rating.items() if k not in band_order]
    kinds: dict[str, int] = {}
    for group in others:
        kinds[group["kind"]] = kinds.get(group["kind"], 0) + 1
    strategic_kinds: dict[str, int] = {}
    for group in strategic:
        strategic_kinds[group["kind"]] = strategic_kinds.get(group["kind"], 0) + 1
    problems = []
    ordered = list(m.get("weakest") or []) + [
        code for code, f in doc.figures.items()
        if code not in (m.get("weakest") or []) and below(f)
    ]
    for code in ordered:
        figure = doc.figures.get(code)
        if figure and (figure.get("narratives") or {}).get("penghambat"):
            problems.append({"code": code, "name": figure["name"], "show_code": figure["show_code"],
                             "text": first_sentences(figure["narratives"]["penghambat"])})
        if len(problems) >= 4:
            break
    return {
        "counts": counts,
        "not_measured": counts["indicators"] - counts["measured"],
        "below": counts["measured"] - counts["met"],
        "strategic_groups": strategic,
        "strategic_indicators": strategic_indicators,
        # "1 tujuan dan 2 sasaran strategis", not "3 tujuan dan sasaran strategis".
        "strategic_kinds": [{"kind": k.lower(), "count": v} for k, v in strategic_kinds.items()],
        "other_kinds": [{"kind": k.lower(), "count": v} for k, v in kinds.items()],
        "other_indicators": sum(len(g["indicators"]) for g in others),
        "ratings": ratings,
        "best": [doc.brief(c) for c in m.get("best") or [] if c in doc.figures],
        "weakest": [doc.brief(c) for c in m.get("weakest") or [] if c in doc.figures],
        "budget": doc.budget_brief(),
        "problems": problems,
        "agreement_notice": doc.s.get("agreement_notice") or "",
        "rows": [
            {"group": g, "indicators": [doc.indicator_row(i) for i in g["indicators"]]} for g in strategic
        ],
    }
