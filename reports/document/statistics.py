"""The agency's statistics tables (snapshot key "statistics_tables", app sectorstats): where each
one is printed, and the table as its template prints it.

A table belongs to a section of the report and optionally to an indicator. Beside the indicator
when that indicator is analysed in BAB III; else in its section. A section the Pemda's variant
leaves out passes its tables to the nearest section that is printed (isu strategis to sumber
daya; efisiensi and inovasi/penghargaan to the end of the analysis in BAB III), so that no table
the agency recorded is silently dropped. Each is declared at its place in the part that prints it
(numbering.py), so that its number and the daftar tabel follow the document's order.
"""

from __future__ import annotations

from typing import Any

from .numbering import Numbering
from .source import Source

INDICATOR = "indikator:"
# The sections of BAB III where an indicator's narratives are; a table of one of these without a
# printed indicator is printed after the analysis of all indicators.
ANALYSIS = ("analisis", "pendukung", "penghambat", "upaya")


def slot(doc: Source, table: dict[str, Any]) -> str:
    """Where a table is printed: "indikator:<code>" or the name of a section slot."""
    if table.get("indicator") and table["indicator"] in doc.figures:
        return INDICATOR + table["indicator"]
    section = table.get("section") or ""
    if section == "isu_strategis" and not doc.on("strategic_issues"):
        return "sumber_daya"
    if section in ANALYSIS:
        return "analisis"
    if section == "efisiensi" and not doc.on("efficiency"):
        return "analisis"
    if section in ("inovasi", "penghargaan"):
        return "inovasi" if doc.on("innovation") else "analisis"
    if section in ("latar_belakang", "dasar_hukum", "tugas_fungsi", "struktur_organisasi", "sumber_daya",
                   "isu_strategis", "efisiensi", "kesimpulan", "saran"):
        return section
    return "analisis"  # a section added later that this renderer does not know yet


def placement(doc: Source) -> dict[str, list[dict[str, Any]]]:
    """The snapshot's tables by slot, each slot in the agency's order."""
    result: dict[str, list[dict[str, Any]]] = {}
    for table in doc.s.get("statistics_tables") or []:
        result.setdefault(slot(doc, table), []).append(table)
    return result


def indicators_with_tables(doc: Source) -> list[str]:
    """The codes of the indicators that have a table beside them (their block must be printed)."""
    return [name[len(INDICATOR):] for name in placement(doc) if name.startswith(INDICATOR)]


def tables(doc: Source, numbering: Numbering, name: str, part: str, at: tuple[int, ...]) -> list[dict[str, Any]]:
    """The tables of slot `name`, declared in `part` at (*at, 0), (*at, 1), … in the agency's order."""
    return [view(numbering, part, (*at, index), table) for index, table in enumerate(placement(doc).get(name, []))]


def view(numbering: Numbering, part: str, at: tuple[int, ...], table: dict[str, Any]) -> dict[str, Any]:
    """The caption, a header of one or two rows (a group spans the adjacent columns that share
    it), the rows padded to the columns, each cell its text as written; numbers right-aligned."""
    columns = table.get("columns") or []
    width = len(columns)
    grouped = any(c.get("group") for c in columns)
    top: list[dict[str, Any]] = []
    below: list[str] = []
    index = 0
    while index < width:
        group = columns[index].get("group") or ""
        if not grouped or not group:
            top.append({"label": columns[index]["label"], "colspan": 1, "rowspan": 2 if grouped else 1})
            index += 1
            continue
        end = index
        while end < width and (columns[end].get("group") or "") == group:
            end += 1
        top.append({"label": group, "colspan": end - index, "rowspan": 1})
        below.extend(c["label"] for c in columns[index:end])
        index = end
    rows = []
    for cells in table.get("rows") or []:
        padded = list(cells)[:width] + [None] * (width - len(cells))
        rows.append([{"text": cell["text"], "number": cell.get("number") is not None} if cell else
                     {"text": "", "number": False} for cell in padded])
    return {
        "table": numbering.table(part, at, table["title"]),
        "header": top,
        "subheader": below,
        "rows": rows,
        "width": max(width, 1),
        "source": (table.get("source") or "").strip(),
        "note": (table.get("note") or "").strip(),
    }
