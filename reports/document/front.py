"""Front matter: the kata pengantar and the ikhtisar eksekutif (the cover and the lists of
contents, tables and charts are the templates' own, from titles and numbering)."""

from __future__ import annotations

from typing import Any

from .numbering import Numbering
from .prose import first_sentences, prose
from .source import Source

PART = "front"
KATA_PENGANTAR, IKHTISAR, DAFTAR_ISI, DAFTAR_TABEL, DAFTAR_GRAFIK = ((n,) for n in range(1, 6))


def kata_pengantar(doc: Source, numbering: Numbering) -> dict[str, Any]:
    numbering.entry(PART, KATA_PENGANTAR, id="kata-pengantar", title="Kata Pengantar")
    return {"text": prose(doc.narratives.get("kata_pengantar"))}


def lists(numbering: Numbering) -> None:
    """The daftar isi, daftar tabel and daftar grafik (the templates print them from the numbering)."""
    numbering.entry(PART, DAFTAR_ISI, id="daftar-isi", title="Daftar Isi")
    numbering.entry(PART, DAFTAR_TABEL, id="daftar-tabel", title="Daftar Tabel")
    numbering.entry(PART, DAFTAR_GRAFIK, id="daftar-grafik", title="Daftar Grafik")


def figure_list(numbering: Numbering) -> None:
    """The daftar gambar, after the daftar grafik: only in a document that prints a picture."""
    numbering.entry(PART, (*DAFTAR_GRAFIK, 1), id="daftar-gambar", title="Daftar Gambar")


def ikhtisar(doc: Source, numbering: Numbering) -> dict[str, Any]:
    numbering.entry(PART, IKHTISAR, id="ikhtisar", title="Ikhtisar Eksekutif")
    m = doc.s["measurement"]
    counts = m["counts"]
    figures = doc.measured
    strategic = [g for g in doc.groups if g.get("strategic")]
    band_order = [b["label"] for b in (doc.s.get("scale") or {}).get("bands", [])]
    by_rating = counts.get("by_rating") or {}
    ratings = [{"label": k, "count": by_rating[k]} for k in band_order if k in by_rating]
    ratings += [{"label": k, "count": v} for k, v in by_rating.items() if k not in band_order]
    # "1 tujuan dan 2 sasaran strategis", not "3 tujuan dan sasaran strategis" (a grouping of
    # the groups by kind, as derived "other_kinds" does for the others).
    strategic_kinds: dict[str, int] = {}
    for group in strategic:
        strategic_kinds[group["kind"]] = strategic_kinds.get(group["kind"], 0) + 1
    problems = []
    weakest = list(m.get("weakest") or [])
    ordered = weakest + [code for code in figures["below"] if code not in weakest]
    for code in ordered:
        figure = doc.figures.get(code)
        if figure and (figure.get("narratives") or {}).get("penghambat"):
            problems.append({"code": code, "name": figure["name"], "show_code": figure["show_code"],
                             "text": first_sentences(figure["narratives"]["penghambat"])})
        if len(problems) >= 4:
            break
    return {
        "counts": counts,
        "not_measured": figures["not_measured"],
        "below": figures["below_count"],
        "strategic_groups": strategic,
        "strategic_indicators": figures["strategic_indicators"],
        "strategic_kinds": [{"kind": k.lower(), "count": v} for k, v in strategic_kinds.items()],
        "other_kinds": [{"kind": k["kind"].lower(), "count": k["count"]} for k in figures["other_kinds"]],
        "other_indicators": figures["other_indicators"],
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
