"""The LKjIP document: snapshot in, HTML and PDF out.

Everything printed comes from the snapshot built by reports.snapshot.build_snapshot (the
contract); nothing here touches the database or computes a figure: derived figures come with
the snapshot ("derived": performance.derived, budget.derived, agencies.staff), and an older
snapshot without them gets them from the same functions (reports.snapshot.derived_part).

Where each part is built (its view model for the templates under reports/templates/reports/lkjip/):
  front.py      kata pengantar, ikhtisar eksekutif, the daftar isi/tabel/grafik entries
  bab1.py       BAB I Pendahuluan: sections 1.1–1.7, staff tables, the budget overview table
  bab2.py       BAB II Perencanaan Kinerja: visi/misi, Renstra table, IKU, PK versions
                (agreement_view, also used unnumbered by the lampiran)
  bab3.py       BAB III Akuntabilitas Kinerja: methodology and scale, measurement table, analysis
                per tujuan/sasaran and indicator (history table, chart, trend, narratives),
                efficiency, supporting programs, B. budget realisation, C. innovation
  followup.py   LHE AKIP and recommendations: section of BAB III, or BAB IV (five chapters)
  penutup.py    the closing chapter: kesimpulan, permasalahan, saran
  reviu.py      Pernyataan Telah Direviu
  lampiran.py   the PK versions again and the Formulir Pengukuran Kinerja
  statistics.py the agency's statistics tables: where each is printed, and the table view
  images.py     the logo and organisation chart, read once into data: URLs, sized to their box
  identity.py   titles, signatory, verification block, running header/footer
  numbering.py  numbers of chapters, headings, tables, charts by their declared place; the lists
  prose.py      the agency's narratives as HTML
  source.py     the snapshot as the parts read it (lookups, shared briefs, derived figures)
  pdf.py        WeasyPrint layout, the static-only URL fetcher, reproducible PDF bytes
A new table or chart: declare it in its part with `numbering.table(PART, at, title)` (or
`chart(..., draw)`), `at` being its place in that part's outline; the number follows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from . import bab1, bab2, bab3, followup, front, identity, images, lampiran, penutup, reviu
from .formatting import tanggal
from .numbering import Numbering
from .pdf import STYLESHEET, Rendered, layout, write_pdf
from .prose import prose as narrative_html
from .source import Source

__all__ = ["Rendered", "build_context", "document_html", "render_document", "tanggal"]

TEMPLATE = "reports/lkjip/document.html"


def document_html(
    snapshot: dict, *, verify_url: str, code: str | None, number: int | None, generated_at: datetime.datetime,
    draft: bool = False,
) -> str:
    """The whole document as one HTML string (what WeasyPrint lays out)."""
    context = build_context(snapshot, verify_url=verify_url, code=code, number=number, generated_at=generated_at,
                            draft=draft)
    return render_to_string(TEMPLATE, context)


def render_document(
    snapshot: dict,
    *,
    verify_url: str,
    code: str | None,
    number: int | None,
    generated_at: datetime.datetime,
    progress: Callable[[int, str], None] | None = None,
    draft: bool = False,
) -> Rendered:
    """Render the PDF. `progress(percent, label)` is told where the work is. `draft`: the DRAF
    watermark on every page. `code` None: not a stored version (no verification block)."""
    report = progress or (lambda percent, label: None)
    report(10, "Menyiapkan grafik")
    context = build_context(snapshot, verify_url=verify_url, code=code, number=number, generated_at=generated_at,
                            draft=draft)
    report(40, "Menyusun halaman")
    text = render_to_string(TEMPLATE, context)
    document = layout(text)
    pages = len(document.pages)
    report(80, "Menulis PDF")
    pdf = write_pdf(document, generated_at)
    return Rendered(pdf=pdf, pages=pages)


def build_context(
    snapshot: dict, *, verify_url: str, code: str | None, number: int | None, generated_at: datetime.datetime,
    draft: bool = False,
) -> dict[str, Any]:
    """The templates' context: every part of the document, numbered."""
    doc = Source(snapshot, verify_url=verify_url, code=code, number=number, generated_at=generated_at)
    # A draft also prints what its drafter still has to supply (draft-note paragraphs); a final
    # prints none of it: it reads as the agency's own report.
    doc.draft = draft
    s = snapshot
    agency = s["agency"]
    titles = identity.titles(doc)
    context: dict[str, Any] = {
        "s": s,
        "year": doc.year,
        "agency": agency,
        "titles": titles,
        "variant": doc.variant,
        "sections": {key: doc.on(key) for key in (
            "ikhtisar", "staff", "strategic_issues", "benchmarks", "efficiency", "innovation",
            "recommendations", "appendix")},
        "stylesheet": STYLESHEET,
        "draft": draft,
        "signature": identity.signature(doc),
        "verification": identity.verification(doc),
        "narratives": {k: narrative_html(v) for k, v in doc.narratives.items() if v and v.strip()},
        "plan": s.get("plan") or {},
        "scale": s.get("scale") or {},
        "created": identity.created_iso(doc),
        "page_css": identity.page_css(doc, titles["running"]),
    }
    recommendations = s.get("recommendations") or []
    five = bool(doc.variant.get("five_chapters"))
    follow_up_chapter = five and doc.on("recommendations")
    # "evaluations" is absent from snapshots made before the LHE was recorded (and from those
    # without one): they render as they did.
    follow_up_section = not five and doc.on("recommendations") and bool(recommendations or s.get("evaluations"))
    numbering = Numbering(["bab1", "bab2", "bab3", *(["rekomendasi"] if follow_up_chapter else []), "penutup"])
    numerals = numbering.numerals
    context["numerals"] = numerals
    context["follow_up_chapter"] = follow_up_chapter
    context["follow_up_section"] = follow_up_section

    context["kata_pengantar"] = front.kata_pengantar(doc, numbering)
    if doc.on("ikhtisar"):
        context["ikhtisar"] = front.ikhtisar(doc, numbering)
    front.lists(numbering)
    # Read once, before any layout ("images" is absent from older snapshots: no picture, as before).
    pictures = images.embedded(s)
    context["logo"] = pictures.get("logo")
    if "org_chart" in pictures:
        front.figure_list(numbering)
    context["bab1"] = bab1.build(doc, numbering, follow_up_chapter, org_chart=pictures.get("org_chart"))
    context["bab2"] = bab2.build(doc, numbering)
    context["bab3"] = bab3.build(doc, numbering, follow_up_section)
    if follow_up_chapter:
        context["rekomendasi"] = followup.chapter(doc, numbering)
    context["penutup"] = penutup.build(doc, numbering)
    if s.get("review"):  # snapshots before the reviu (or without a statement) have no key
        context["reviu"] = reviu.build(doc, numbering, s["review"], titles)
    if doc.on("appendix"):
        context["lampiran"] = lampiran.build(doc, numbering)
    numbering.finish()
    context["toc"] = numbering.toc
    context["tables"] = numbering.tables
    context["charts"] = numbering.charts
    context["figures"] = numbering.figures
    return context
