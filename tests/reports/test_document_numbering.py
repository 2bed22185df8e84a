"""Numbering of the LKjIP document: tables, charts and headings are numbered by their place in
the document, never by the order in which the parts happen to be built, and the lists (daftar
isi, daftar tabel, daftar grafik) say what the pages print."""

from __future__ import annotations

import datetime
import html
import re
from pathlib import Path

import pytest
from django.conf import settings

from agencies.models import Agency
from reports.document import (
    bab1,
    bab2,
    bab3,
    build_context,
    document_html,
    front,
    lampiran,
    penutup,
    reviu,
)
from reports.document.numbering import Numbering
from reports.document.source import Source
from reports.snapshot import build_snapshot
from workbook.services import workbook_import

ARGS = {"verify_url": "https://lkjip.example.go.id/v/abc/", "code": "abc", "number": 1,
        "generated_at": datetime.datetime(2026, 1, 31, 3, 4, tzinfo=datetime.UTC)}
DEMO = {"bekasi-disnaker": 2025, "banjar-disnakertrans": 2025, "tangerang-disnaker": 2025,
        "pontianak-disnaker": 2023, "serang-disnakertrans": 2021}


def test_tables_and_charts_are_numbered_by_place_not_by_declaration():
    numbering = Numbering(["bab1", "bab2", "bab3", "penutup"])
    drawn: list[tuple[str, str]] = []

    def draw(name):
        return lambda prefix: drawn.append((name, prefix)) or f"<svg id='{prefix}'/>"

    # Declared back to front and out of order within each chapter.
    late = numbering.table("bab3", (2, 1), "Realisasi anggaran")
    chart_b = numbering.chart("bab3", (2, 1), "Pagu per program", draw("budget"))
    chart_a = numbering.chart("bab3", (1, 3, 0, 1), "Realisasi IK-02", draw("ik-02"))
    middle = numbering.table("bab3", (1, 3, 0, 0), "Realisasi IK-01")
    first = numbering.table("bab3", (1, 1, 1), "Skala predikat")
    staff = numbering.table("bab1", (5, 1, 0), "Jumlah pegawai")
    chart_c = numbering.chart("bab3", (1, 3, 0, 0), "Realisasi IK-01", draw("ik-01"))
    for key, title in (("penutup", "Penutup"), ("bab3", "Akuntabilitas"), ("bab2", "Perencanaan"),
                       ("bab1", "Pendahuluan")):
        numbering.chapter(key, title)
    numbering.finish()

    assert [(t.label, t.title) for t in numbering.tables] == [
        ("Tabel 1.1", "Jumlah pegawai"), ("Tabel 3.1", "Skala predikat"), ("Tabel 3.2", "Realisasi IK-01"),
        ("Tabel 3.3", "Realisasi anggaran"),
    ]
    assert (staff.id, first.number, middle.number, late.number) == ("tabel-1-1", "3.1", "3.2", "3.3")
    assert [c.label for c in (chart_c, chart_a, chart_b)] == ["Grafik 3.1", "Grafik 3.2", "Grafik 3.3"]
    # The SVGs are drawn once the places are known, their id prefixes in document order.
    assert sorted(drawn, key=lambda d: d[1]) == [("ik-01", "g1"), ("ik-02", "g2"), ("budget", "g3")]
    assert chart_b.svg == "<svg id='g3'/>"


def test_headings_are_numbered_by_the_chapters_style_counting_those_present():
    numbering = Numbering(["bab1", "bab2", "bab3", "rekomendasi", "penutup"])
    closing = numbering.section("penutup", (2,), "Saran")
    b = numbering.section("bab3", (2,), "Realisasi Anggaran")
    group = numbering.section("bab3", (1, 3, 1), "Sasaran S2")
    analysis = numbering.section("bab3", (1, 3), "Analisis Capaian")
    method = numbering.section("bab3", (1, 1), "Metodologi")  # (1, 2) is left out: no heading there
    a = numbering.section("bab3", (1,), "Capaian")
    intro = numbering.section("bab1", (6,), "Sistematika")
    for key in ("bab1", "bab2", "bab3", "rekomendasi", "penutup"):
        numbering.chapter(key, key)
    numbering.finish()

    assert [a["label"], method["label"], analysis["label"], group["label"], b["label"]] == ["A.", "1.", "2.", "2.1",
                                                                                            "B."]
    assert intro["label"] == "1.1" and closing["label"] == "5.1"  # BAB V: the follow-up is BAB IV
    assert [e["label"] for e in numbering.toc][:3] == ["BAB I", "1.1", "BAB II"]
    assert method["level"] == 3 and group["level"] == 4 and a["id"] == "s-bab3-a-capaian"


def _snapshot(code: str) -> dict:
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
    assert report.ok, report.errors
    return build_snapshot(agency=Agency.objects.get(code=code), year=DEMO[code])


@pytest.mark.django_db
def test_parts_built_in_reverse_order_are_numbered_alike():
    snapshot = _snapshot("banjar-disnakertrans")  # an LHE and recommendations: tables in BAB III's part C
    expected = build_context(snapshot, **ARGS)
    doc = Source(snapshot, **ARGS)
    numbering = Numbering(["bab1", "bab2", "bab3", "penutup"])
    if doc.on("appendix"):
        lampiran.build(doc, numbering)
    if snapshot.get("review"):
        reviu.build(doc, numbering, snapshot["review"], expected["titles"])
    penutup.build(doc, numbering)
    bab3.build(doc, numbering, expected["follow_up_section"])
    bab2.build(doc, numbering)
    bab1.build(doc, numbering, False)
    front.lists(numbering)
    front.ikhtisar(doc, numbering)
    front.kata_pengantar(doc, numbering)
    numbering.finish()

    assert expected["follow_up_section"] and not expected["follow_up_chapter"]
    assert [(t.label, t.title) for t in numbering.tables] == [(t.label, t.title) for t in expected["tables"]]
    assert [(c.label, c.title, c.svg) for c in numbering.charts] == [
        (c.label, c.title, c.svg) for c in expected["charts"]]
    assert numbering.toc == expected["toc"]
    assert len(expected["tables"]) > 10 and any(t.title.startswith("Rekomendasi") for t in expected["tables"])


def _text(fragment: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(DEMO))
@pytest.mark.parametrize("five_chapters", [False, True])
def test_captions_follow_document_order_and_the_lists_match_the_pages(code, five_chapters):
    snapshot = _snapshot(code)
    if five_chapters:
        snapshot["variant"] = {**(snapshot.get("variant") or {}), "five_chapters": True}
    page = document_html(snapshot, **ARGS)
    body = page[page.index('id="bab-bab1"'):]

    for kind, pattern in (("Tabel", r'<p class="caption" id="([^"]+)"><span class="lbl">Tabel ([\d.]+)</span> ([^<]*)'),
                          ("Grafik", r'<figure class="chart[^"]*" id="([^"]+)">.*?<figcaption><span class="lbl">'
                                     r'Grafik ([\d.]+)</span> ([^<]*)')):
        printed = re.findall(pattern, body, flags=re.S)
        numbers = [tuple(int(x) for x in number.split(".")) for _, number, _ in printed]
        # In document order: each chapter counts 1, 2, 3 … and chapters only go forward.
        for previous, current in zip(numbers, numbers[1:], strict=False):
            assert current == (previous[0], previous[1] + 1) or (current[0] > previous[0] and current[1] == 1), \
                (kind, previous, current)
        listing = page[page.index(f'id="daftar-{kind.lower()}"'):]
        listing = listing[:listing.index("</section>")]
        listed = re.findall(r'<li><span class="lbl">' + kind + r' ([\d.]+)</span><a class="title" href="#([^"]+)">'
                            r'([^<]*)</a>', listing)
        assert [(i, n, _text(t)) for n, i, t in listed] == [(i, n, _text(t)) for i, n, t in printed]
        assert len({i for i, _, _ in printed}) == len(printed)  # every id once
    assert re.findall(r"Tabel \d", body)

    toc = page[page.index('id="daftar-isi"'):]
    toc = toc[:toc.index("</section>")]
    entries = [(i, label, title) for label, i, title in re.findall(
        r'<li class="l\d">(?:<span class="lbl">([^<]*)</span>)?<a class="title" href="#([^"]+)">([^<]*)</a>', toc)]
    assert len(entries) > 20
    chapters = [label for _, label, _ in entries if label.startswith("BAB ")]
    assert chapters == ["BAB I", "BAB II", "BAB III", "BAB IV", "BAB V"][:len(chapters)]
    assert len(chapters) == (5 if five_chapters else 4)
    positions = []
    for id_, label, title in entries:
        found = [m.start() for m in re.finditer(f' id="{re.escape(id_)}"', page)]
        assert len(found) == 1, id_
        positions.append(found[0])
        heading = page[found[0]:]
        end = re.search(r"</h[1-4]>", heading)
        assert end, id_
        heading = _text(heading[heading.index(">") + 1:end.end()]).casefold()
        # The formulir's heading leaves the year to its "Tahun anggaran" line.
        title = _text(title).casefold().removesuffix(f" tahun {DEMO[code]}" if id_ == "lampiran-formulir" else "")
        assert label.casefold() in heading and title in heading, (id_, label, title, heading)
    assert positions[4:] == sorted(positions[4:])  # the ToC follows the pages (after the front lists)
