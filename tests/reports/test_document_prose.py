"""The agency's narratives as the document prints them: one marker per list item, nesting kept,
and emphasis that stays linear on a narrative of any length."""

from __future__ import annotations

import datetime
import re
import re._constants as sre
import re._parser as sre_parse
from pathlib import Path

import pytest
from django.conf import settings

from agencies.models import Agency
from reports.document import document_html
from reports.document import prose as prose_module
from reports.document.prose import prose
from reports.snapshot import build_snapshot
from workbook.services import workbook_import

DOUBLED = re.compile(r'<span class="marker">[•\-]</span>\s*(?:\(?[0-9a-zA-Z]{1,2}[.)]|[✓✔•\-])\s')


def _items(html: str) -> list[tuple[int, str, str]]:
    """(depth, marker, text) of each list item."""
    return [(int(depth or 0), marker, text) for depth, marker, text in re.findall(
        r'<p class="item(?: depth-(\d))?"><span class="marker">([^<]*)</span>([^<]*)</p>', html)]


def test_an_item_that_brings_its_own_marker_gets_no_bullet():
    html = str(prose("Dasar:\n- a. Kepala Dinas\n• (1) ayat satu\n- 1. Belum optimal\n- ✓ selesai\n- biasa"))
    assert _items(html) == [(0, "a.", "Kepala Dinas"), (1, "(1)", "ayat satu"), (2, "1.", "Belum optimal"),
                            (2, "✓", "selesai"), (2, "•", "biasa")]
    assert not DOUBLED.search(html) and "• a." not in html


def test_an_item_alone_between_blank_lines_is_still_an_item():
    # Banjar's isu strategis: "- 1." alone in its paragraph printed as "- 1. Belum …".
    html = str(prose("antara lain:\n\n- 1. Belum Optimalnya Kesempatan Kerja\n\n- 2. Penempatan Belum Optimal"
                     "\n\nPenempatan masih belum kompetitif.\n\n3. Masih Rendahnya Perlindungan"))
    assert _items(html) == [(0, "1.", "Belum Optimalnya Kesempatan Kerja"), (0, "2.", "Penempatan Belum Optimal"),
                            (0, "3.", "Masih Rendahnya Perlindungan")]
    assert "<p>Penempatan masih belum kompetitif.</p>" in html and "- 1." not in html


def test_nesting_follows_the_kind_of_marker_and_the_indent():
    # Pontianak's struktur organisasi: the numbers under a letter, every line with "- ".
    pontianak = str(prose("terdiri dari:\n- a. Kepala Dinas;\n- b. Sekretaris;\n- 1) Kepala Subbagian Umum;\n"
                          "- 2) Kepala Subbagian Keuangan.\n- c. Kepala Bidang;\n- 1) Instruktur;\n- d. Kelompok"))
    assert [(d, m) for d, m, _ in _items(pontianak)] == [(0, "a."), (0, "b."), (1, "1)"), (1, "2)"), (0, "c."),
                                                         (1, "1)"), (0, "d.")]
    # Bekasi's: the numbers indented under "b.".
    bekasi = str(prose("Susunan:\n\n- a. Kepala Dinas\n- b. Sekretariat, terdiri atas:\n 1. Sub Bagian Umum;\n"
                       " 2. Sub Bagian Keuangan.\n- c. Bidang Penempatan"))
    assert [(d, m) for d, m, _ in _items(bekasi)] == [(0, "a."), (0, "b."), (1, "1."), (1, "2."), (0, "c.")]
    # Sub-headings A./B./C. with their items below, and a third level.
    headings = str(prose("A. Sekretariat\n1. Umum\n2. Keuangan\nB. Bidang\n1. Seksi\n(1) ayat\n(2) ayat\nC. Akhir"))
    assert [(d, m) for d, m, _ in _items(headings)] == [(0, "A."), (1, "1."), (1, "2."), (0, "B."), (1, "1."),
                                                        (2, "(1)"), (2, "(2)"), (0, "C.")]
    # A paragraph on its own ends the list: the next one starts at the first level.
    again = str(prose("a. satu\n1) sub\n\nParagraf biasa.\n\n1) baru"))
    assert [(d, m) for d, m, _ in _items(again)] == [(0, "a."), (1, "1)"), (0, "1)")]


def _unbounded_lazy_or_greedy(pattern: re.Pattern) -> list[str]:
    """The repeats of a compiled pattern that can give back what they matched (backtrack) and
    have no upper bound: what makes a pattern tried at every position super-linear."""
    found: list[str] = []

    def walk(sub) -> None:
        for op, av in sub:
            if op in (sre.MAX_REPEAT, sre.MIN_REPEAT):
                low, high, item = av
                if high == sre.MAXREPEAT:
                    found.append(f"{op} {low}..")
                walk(item)
            elif op is sre.POSSESSIVE_REPEAT:
                walk(av[2])
            elif op is sre.SUBPATTERN:
                walk(av[3])
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(av[1])
            elif op is sre.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op is sre.ATOMIC_GROUP:
                walk(av)

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return found


def test_emphasis_is_linear_by_construction_on_a_long_narrative():
    # Each opening of **bold** or *emphasis* may look only as far as the next delimiter (its text
    # excludes the delimiter) and never backtracks (possessive repeats): work is bounded by the
    # text's length, whatever mix of "**" and "*" it holds.
    for pattern in (prose_module._BOLD, prose_module._ITALIC):
        assert _unbounded_lazy_or_greedy(pattern) == [], pattern.pattern
    assert _unbounded_lazy_or_greedy(re.compile(r"a+?b")) == ["MIN_REPEAT 1.."]  # the check can fail

    unit = "kata **tebal** dan *miring* lalu **a *b "  # closed and unclosed delimiters mixed
    text = unit * (200_000 // len(unit))
    assert len(text) > 190_000
    html = str(prose(text))
    count = text.count(unit)
    assert html.count("<strong>tebal</strong>") == count and html.count("<em>miring</em>") == count
    # The unclosed ones stay as typed: each "**a *b " opening found no closer before the next one.
    assert html.count("**a *b") == count and html.count("<strong>") == count and html.count("<em>") == count


def test_emphasis_reads_as_before():
    assert str(prose("ini **tebal** dan *miring*, bukan 2*3*4")) == (
        "<p>ini <strong>tebal</strong> dan <em>miring</em>, bukan 2*3*4</p>")
    assert str(prose("**a **b**")) == "<p>**a <strong>b</strong></p>"
    assert str(prose("**a " * 3 + "x")) == "<p>" + "**a " * 3 + "x</p>"


DEMO = {"bekasi-disnaker": 2025, "banjar-disnakertrans": 2025, "pontianak-disnaker": 2023}


@pytest.mark.django_db
@pytest.mark.parametrize("code", list(DEMO))
def test_no_doubled_list_markers_in_the_demo_documents(code):
    # The evaluator's review: "• a." (Bekasi p7–8), "• 1)" (Pontianak p8), "- 1." (Banjar p12).
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
    assert report.ok, report.errors
    snapshot = build_snapshot(agency=Agency.objects.get(code=code), year=DEMO[code])
    html = document_html(snapshot, verify_url="https://lkjip.example.go.id/v/x/", code="x", number=1,
                         generated_at=datetime.datetime(2026, 1, 31, tzinfo=datetime.UTC))
    assert not DOUBLED.search(html), DOUBLED.search(html)
    assert not re.search(r"<p>[-•] (?:\(?[0-9a-z]{1,2}[.)]) ", html)
    assert 'class="item depth-1"' in html  # the sub-items of the struktur organisasi stay nested
