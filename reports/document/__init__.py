"""The LKjIP document: snapshot in, HTML and PDF out.

Everything printed comes from the snapshot built by reports.snapshot.build_snapshot (the
contract); nothing here touches the database. The parts of the document each have their
module (front, bab1, bab2, bab3, followup, penutup, reviu, lampiran), which turns its part of
the snapshot into the view model its templates under reports/templates/reports/lkjip/
print; numbering.py numbers chapters, sections, tables and charts and lists them; prose.py
turns the agency's narratives into HTML; pdf.py lays the pages out with WeasyPrint.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.template.loader import render_to_string

from . import bab1, bab2, bab3, followup, front, identity, lampiran, penutup, reviu
from .formatting import NUMERALS, tanggal
from .numbering import Numbering
from .pdf import STYLESHEET, Rendered, layout, write_pdf
from .prose import prose
from .source import Source

__all__ = ["Rendered", "build_context", "document_html", "prose", "render_document", "tanggal"]

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
    numbering = Numbering()
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
        "narratives": {k: prose(v) for k, v in doc.narratives.items() if v and v.strip()},
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
    numerals = {"bab1": "I", "bab2": "II", "bab3": "III"}
    if follow_up_chapter:
        numerals["rekomendasi"] = "IV"
    numerals["penutup"] = NUMERALS[len(numerals)]
    context["numerals"] = numerals
    context["follow_up_chapter"] = follow_up_chapter
    context["follow_up_section"] = follow_up_section

    numbering.front("kata-pengantar", "Kata Pengantar")
    context["kata_pengantar"] = front.kata_pengantar(doc)
    if doc.on("ikhtisar"):
        numbering.front("ikhtisar", "Ikhtisar Eksekutif")
        context["ikhtisar"] = front.ikhtisar(doc)
    numbering.front("daftar-isi", "Daftar Isi")
    numbering.front("daftar-tabel", "Daftar Tabel")
    numbering.front("daftar-grafik", "Daftar Grafik")

    context["bab1"] = bab1.build(doc, numbering, numerals, follow_up_chapter)
    context["bab2"] = bab2.build(doc, numbering)
    context["bab3"] = bab3.build(doc, numbering, follow_up_section)
    if follow_up_chapter:
        context["rekomendasi"] = followup.chapter(doc, numbering, numerals["rekomendasi"])
    context["penutup"] = penutup.build(doc, numbering, numerals["penutup"])
    if s.get("review"):  # snapshots before the reviu (or without a statement) have no key
        context["reviu"] = reviu.build(doc, numbering, s["review"], titles)
    if doc.on("appendix"):
        context["lampiran"] = lampiran.build(doc, numbering)
    context["toc"] = numbering.toc
    context["tables"] = numbering.tables
    context["charts"] = numbering.charts
    return context
