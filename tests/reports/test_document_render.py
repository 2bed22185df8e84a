"""The generated LKjIP PDF, rendered from each demo agency's snapshot and read back as text."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
import weasyprint.pdf.fonts
from django.conf import settings
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from agencies.models import Agency
from lkjip.numbers import format_id
from reports.document import document_html, render_document
from reports.models import ReportVariant
from reports.snapshot import build_snapshot
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

GENERATED = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
CODE = "Ab3dE5gH7k"
URL = f"https://lkjip.example.go.id/v/{CODE}"

DEMO = {
    "bekasi-disnaker": 2025,
    "banjar-disnakertrans": 2025,
    "tangerang-disnaker": 2025,
    "pontianak-disnaker": 2023,
    "serang-disnakertrans": 2021,
}


def _import(code: str) -> Agency:
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
    assert report.ok, report.errors
    return Agency.objects.get(code=code)


def _render(snapshot: dict, django_assert_num_queries) -> tuple[object, list[str], list[tuple[int, str]]]:
    progress: list[tuple[int, str]] = []
    with django_assert_num_queries(0):  # snapshot in, PDF out: the renderer never reads the database
        rendered = render_document(snapshot, verify_url=URL, code=CODE, number=2, generated_at=GENERATED,
                                   progress=lambda percent, label: progress.append((percent, label)))
    reader = PdfReader(BytesIO(rendered.pdf))
    assert len(reader.pages) == rendered.pages
    return rendered, [_flat(page.extract_text()) for page in reader.pages], progress


def _flat(text: str) -> str:
    """One line of text; words hyphenated at a line end joined again."""
    return re.sub(r"(?<=[a-z])- (?=[a-z])", "", re.sub(r"\s+", " ", text))


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def _toc_page(pages: list[str], label: str, title: str) -> int:
    """The index of the page the table of contents gives for an entry: the body is numbered
    from 1 on the first page of BAB I, so the printed number is looked up in the footers."""
    toc = next(i for i, text in enumerate(pages) if "DAFTAR ISI" in text)
    text = " ".join(pages[toc:toc + 3])
    match = re.search(rf"{re.escape(label)} ?{re.escape(title)}[ .]*?(\d+)\b", text)
    assert match, f"{label} {title} not in the table of contents"
    printed = int(match.group(1))
    return next(i for i, page in enumerate(pages) if re.search(rf"Halaman {printed} dari \d+", page))


def _roman(number: int) -> str:
    numerals = ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
    text = ""
    for value, numeral in numerals:
        while number >= value:
            text, number = text + numeral, number - value
    return text


def _measurement_pages(pages: list[str], year: int) -> str:
    start = next(i for i, text in enumerate(pages) if re.search(rf"Tabel 3\.\d+ Pengukuran Kinerja Tahun {year}", text)
                 and "DAFTAR TABEL" not in text)
    end = next(i for i in range(start, len(pages)) if "Analisis Capaian" in pages[i] and i > start)
    return " ".join(pages[start:end + 1])


@pytest.mark.parametrize("code", list(DEMO))
def test_document_of_each_demo_agency(code, django_assert_num_queries):
    year = DEMO[code]
    snapshot = build_snapshot(agency=_import(code), year=year)
    rendered, pages, progress = _render(snapshot, django_assert_num_queries)
    n = rendered.pages
    whole = " ".join(pages)

    assert [p for p, _ in progress] == sorted(p for p, _ in progress) and len(progress) >= 3
    assert rendered.pdf.startswith(b"%PDF")

    # Cover and title from the variant, the agency's identity.
    assert f"TAHUN {year}" in pages[0] and snapshot["agency"]["name"].upper() in pages[0]
    assert "Halaman" not in pages[0]  # no running footer on the cover
    assert "LAPORAN KINERJA INSTANSI PEMERINTAH" in pages[0]

    # Chapters, in order, and no fifth chapter in the default four-chapter variant.
    for heading in ("KATA PENGANTAR", "DAFTAR ISI", "BAB I", "PENDAHULUAN", "BAB II", "PERENCANAAN KINERJA",
                    "BAB III", "AKUNTABILITAS KINERJA", "BAB IV", "PENUTUP", "LAMPIRAN",
                    "FORMULIR PENGUKURAN KINERJA"):
        assert heading in whole, heading
    assert "BAB V " not in whole

    # Page numbering on every page but the cover: the front matter in Roman numerals from i
    # (Kata Pengantar), the body from 1 on the first page of BAB I to N, its real page count.
    body = next(i for i, text in enumerate(pages) if re.search(r"Halaman 1 dari \d+", text))
    assert "BAB I" in pages[body] and "PENDAHULUAN" in pages[body]
    for index in range(1, body):
        assert re.search(rf"Halaman {_roman(index)}\b(?! dari)", pages[index]), (index, pages[index][-80:])
    for index in range(body, n):
        assert f"Halaman {index - body + 1} dari {n - body}" in pages[index]
    assert f"Verifikasi keaslian dokumen: {URL}" in pages[1]
    assert CODE in whole

    # The table of contents gives real page numbers.
    bab3 = _toc_page(pages, "BAB III", "AKUNTABILITAS KINERJA")
    assert "BAB III" in pages[bab3] and "AKUNTABILITAS KINERJA" in pages[bab3]
    penutup = _toc_page(pages, "BAB IV", "PENUTUP")
    assert "PENUTUP" in pages[penutup]
    assert body < bab3 < penutup < n

    # Every indicator of the measurement table, with its capaian as computed (two decimals).
    table = _measurement_pages(pages, year)
    for group in snapshot["measurement"]["groups"]:
        for indicator in group["indicators"]:
            assert indicator["code"] in table or indicator["name"] in table, indicator["code"]
            value = indicator["achievement"]["value"]
            if value is None:
                assert "belum tersedia" in table
                assert indicator["not_available_reason"].rstrip(".") in whole
            else:
                assert format_id(Decimal(value), 2) in table, (indicator["code"], value)
        if group["achievement"]["value"] is not None:
            assert format_id(Decimal(group["achievement"]["value"]), 2) in table

    # Budget totals as computed, in rupiah and percent.
    budget = snapshot["budget"]
    if not budget["empty"]:
        assert f"Rp {format_id(Decimal(budget['spent']), 0)}" in whole
        assert format_id(Decimal(budget["absorption"]["value"]), 2) in whole

    # Only the project's own fonts are embedded.
    assert all(name.startswith(("Noto-Sans", "LKjIP")) for name in _fonts(rendered.pdf)), _fonts(rendered.pdf)

    if code == "bekasi-disnaker":
        # TPT, lower is better: 7,33 against the PK's 7,32 is 99,86 %; against the Renstra's 7,73 it is 105,17 %.
        assert "99,86" in table
        assert "Terhadap target Renstra 7,73: 105,17 %" in table  # the measurement-table row itself
        assert "Dibandingkan dengan target Renstra sebesar 7,73, capaiannya 105,17 %" in whole
        assert "(2 \u00d7 7,32 \u2212 7,33) \u00f7 7,32 \u00d7 100 = 99,86 %" in whole  # x, minus, divided by
        assert "Rp 17.745.401.889" in whole and "97,97" in whole
        assert "Plt. Kepala Dinas Tenaga Kerja Kota Bekasi" in whole and "196701141986102001" in whole
        assert "Grafik 3.1" in whole
    if code == "serang-disnakertrans":
        # Recommendations of the last evaluation: a section of BAB III in the four-chapter variant.
        assert "Tindak Lanjut Rekomendasi Hasil Evaluasi" in whole
        assert "Dokumen Renstra agar dipublikasikan" in whole


def test_five_chapters_and_sections_switched_off(django_assert_num_queries):
    agency = _import("bekasi-disnaker")
    ReportVariant.objects.create(
        agency=agency,
        five_chapters=True,
        title="LKIP",
        sections={"ikhtisar": False, "appendix": False, "staff": False},
    )
    snapshot = build_snapshot(agency=agency, year=2025)
    rendered, pages, _ = _render(snapshot, django_assert_num_queries)
    whole = " ".join(pages)

    assert "(LKIP)" in pages[0] and "(LKjIP)" not in pages[0]
    assert "TINDAK LANJUT REKOMENDASI HASIL EVALUASI" in whole  # BAB IV of the five-chapter variant
    assert "BAB V" in whole
    penutup = _toc_page(pages, "BAB V", "PENUTUP")
    assert "BAB V" in pages[penutup] and "PENUTUP" in pages[penutup]
    # Bekasi has no recommendations recorded: said so, not left blank.
    assert "Tidak terdapat rekomendasi" in whole
    # Switched-off sections are gone, with their entries in the table of contents.
    assert "IKHTISAR EKSEKUTIF" not in whole and "Ikhtisar Eksekutif" not in whole
    assert "FORMULIR PENGUKURAN KINERJA" not in whole and "LAMPIRAN" not in whole
    assert "Jumlah Pegawai Menurut" not in whole

    # Same snapshot and arguments, same bytes.
    again = render_document(snapshot, verify_url=URL, code=CODE, number=2, generated_at=GENERATED)
    assert again.pdf == rendered.pdf


def _minimal_snapshot() -> dict:
    """A hand-written snapshot of an agency with no plan, measurements or budget yet."""
    return {
        "year": 2025,
        "variant": {"title": "Laporan Kinerja", "short": "", "long": "Laporan Kinerja", "five_chapters": False,
                    "sections": {}},
        "agency": {"code": "x", "name": "Dinas Uji", "government": "Pemerintah Kota Uji", "province": "",
                   "government_head_title": "Wali Kota Uji", "government_head_name": ""},
        "signatory": {"title": "", "name": "Nama Kepala", "rank": "", "nip": "", "acting": True, "place": "Uji",
                      "date": "2026-01-31"},
        "plan": {"start": None, "end": None, "vision": "", "nodes": [], "indicators": []},
        "agreements": [],
        "scale": {"name": None, "bands": [], "objective_method": "rata-rata", "objective_cap": None},
        "measurement": {"groups": [], "counts": {"objectives": 0, "indicators": 0, "measured": 0, "met": 0,
                                                 "by_rating": {}}, "weakest": [], "best": []},
        "budget": {"year": 2025, "ceiling_original": "0", "ceiling": "0", "spent": "0", "spent_quarters": [],
                   "absorption": {"value": None, "reason": "Pagu bernilai 0 atau belum ada"}, "empty": True,
                   "rows": []},
        "budget_previous": {"empty": True},
        "efficiency": [],
        "staff": {},
        "narratives": {"kesimpulan": "Kinerja **baik** & <b>stabil</b>.\n\nA | B\n1 | 2"},
        "recommendations": [],
        "findings": [],
        "has_plan": False,
    }


def test_html_uses_narratives_and_neutral_lines():
    snapshot = _minimal_snapshot()
    html = document_html(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED)
    assert "LAPORAN KINERJA TAHUN 2025" in html
    assert "Plt. Kepala Dinas Uji" in html  # no title recorded: made from the agency, acting marked
    assert "31 Januari 2026" in html
    assert "<strong>baik</strong> &amp; <b>stabil</b>" in html
    assert '<table class="narrative-table">' in html
    assert "Skala predikat capaian belum ditetapkan" in html
    assert "Data pagu dan realisasi anggaran Tahun 2025 belum tersedia" in html
    assert "Belum ada indikator yang ditandai sebagai Indikator Kinerja Utama" in html


def test_same_bytes_whenever_the_pdf_is_written(monkeypatch):
    """Without HarfBuzz-Subset (optional), WeasyPrint subsets the fonts with fontTools, which
    stamps the current second into each embedded font's head.modified: two renders of one
    snapshot a second apart differed by a few bytes. Forced onto that path (CI has HarfBuzz)
    and written "twenty years apart" (fontTools' clock honours SOURCE_DATE_EPOCH), the bytes
    must be the same, and every embedded font carries generated_at with valid checksums."""
    monkeypatch.setattr(weasyprint.pdf.fonts, "harfbuzz_subset", None)
    snapshot = _minimal_snapshot()
    pdfs = []
    for now in ("1400000000", "2000000000"):
        monkeypatch.setenv("SOURCE_DATE_EPOCH", now)
        pdfs.append(render_document(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED).pdf)
    assert pdfs[0] == pdfs[1]

    expected = int((GENERATED - datetime.datetime(1904, 1, 1, tzinfo=datetime.UTC)).total_seconds())
    fonts = {}
    for page in PdfReader(BytesIO(pdfs[0])).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            for descendant in font.get_object().get("/DescendantFonts") or []:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                program = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
                fonts[str(descriptor["/FontName"])] = program.get_object().get_data()
    assert len(fonts) >= 2
    for name, data in fonts.items():
        ttfont = TTFont(BytesIO(data), checkChecksums=2)  # reading head checks its table checksum
        assert ttfont["head"].modified == expected, name
        padded = data + b"\0" * (-len(data) % 4)
        whole = sum(int.from_bytes(padded[i:i + 4], "big") for i in range(0, len(padded), 4)) & 0xFFFFFFFF
        assert whole == 0xB1B0AFBA, name  # head.checkSumAdjustment


def test_bold_in_narratives_and_the_text_that_made_it_quadratic():
    from reports.document.prose import prose

    assert str(prose("ini **tebal** dan **dua kata** juga")) == "<p>ini <strong>tebal</strong> dan <strong>dua kata</strong> juga</p>"
    # probe F12: "**a " repeated made every opening scan to the end of the text. Bold text no
    # longer contains "**" itself, so each opening stops at the next one (as CommonMark reads it).
    assert str(prose("**a **b**")) == "<p>**a <strong>b</strong></p>"
    assert str(prose("**a " * 3 + "x")) == "<p>" + "**a " * 3 + "x</p>"
