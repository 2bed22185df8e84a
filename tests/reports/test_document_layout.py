"""The LKjIP document's page layout, read back from WeasyPrint's boxes and the PDF's text: the
lists of contents, spill pages, signatures, column widths, page numbers, bookmarks.

Each demo document is laid out once for the module (the big ones take seconds); the small
synthetic documents put a defect exactly on a page boundary."""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.test import override_settings
from pypdf import PdfReader

from agencies.models import Agency
from reports.document import document_html
from reports.document.pdf import STYLESHEET, layout
from reports.snapshot import build_snapshot
from workbook.services import workbook_import

# pytest-django sets up only the databases the module's tests ask for: the demo fixture needs one.
pytestmark = pytest.mark.django_db

GENERATED = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
DEMO = {
    "bekasi-disnaker": 2025,
    "banjar-disnakertrans": 2025,
    "tangerang-disnaker": 2025,
    "pontianak-disnaker": 2023,
    "serang-disnakertrans": 2021,
}


class Laid:
    """One demo document: WeasyPrint's pages (boxes) and the PDF's text per page."""

    def __init__(self, snapshot: dict) -> None:
        html = document_html(snapshot, verify_url="https://lkjip.example.go.id/v/X", code="X", number=1,
                             generated_at=GENERATED)
        self.document = layout(html)
        self.reader = PdfReader(BytesIO(self.document.write_pdf()))
        self.texts = [re.sub(r"\s+", " ", page.extract_text()) for page in self.reader.pages]


@pytest.fixture(autouse=True)
def _fast_passwords_and_media():
    """The conftest's per-test settings are not needed: nothing here writes to the database
    except the module fixture, which sets its own."""


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The five snapshots are built at once, in one transaction rolled back at the end (the
    database is only there while the fixture runs); each document is laid out when a test
    first asks for it."""
    snapshots: dict[str, dict] = {}
    with (django_db_blocker.unblock(), override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")),
          transaction.atomic()):
        for code, year in DEMO.items():
            report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
            assert report.ok, report.errors
            snapshots[code] = build_snapshot(agency=Agency.objects.get(code=code), year=year)
        transaction.set_rollback(True)
    laid: dict[str, Laid] = {}

    def get(code: str) -> Laid:
        if code not in laid:
            laid[code] = Laid(snapshots[code])
        return laid[code]

    return get


# ---------------------------------------------------------------- box helpers


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    return set((element.get("class") or "").split()) if element is not None else set()


def _content(page):
    """The page's boxes without its margin boxes (running header and footer)."""
    for child in page._page_box.children:
        if type(child).__name__ != "MarginBox":
            yield child
            yield from child.descendants()


def _cells(page, tag: str, cls: str):
    return [b for b in _content(page) if type(b).__name__ == "TableCellBox" and b.element_tag == tag
            and cls in _classes(b)]


def _lines(box) -> list:
    return [b for b in box.descendants() if type(b).__name__ == "LineBox"]


def _text(box) -> str:
    return "".join(b.text for b in box.descendants() if type(b).__name__ == "TextBox")


def _right(box) -> float:
    return box.position_x + box.margin_width()


# ---------------------------------------------------------------- 1. lists of contents


LONG_TITLES = [f"Realisasi {'Persentase Calon Pekerja Migran Indonesia Purna ' * k}{word}Tahun 2023–2025"
               for k in (0, 1, 2) for word in ("", "A ", "Ketenagakerjaan ", "Sesuai Ketentuan dan Aturan ")]


def _lists_document(titles: list[str]):
    tables = [{"label": f"Tabel 3.{i + 1}", "title": t, "id": f"t{i}"} for i, t in enumerate(titles)]
    body = render_to_string("reports/lkjip/daftar_tabel.html", {"tables": tables, "charts": []})
    targets = "".join(f'<p id="t{i}" style="break-before: page">x</p>' for i in range(len(titles)))
    # pages enough that the numbers have two and three digits
    filler = '<p style="break-before: page">isi</p>' * 100
    return layout(f'<html><head><link rel="stylesheet" href="{STYLESHEET}"></head>'
                   f'<body>{body}{filler}{targets}<div id="akhir-dokumen"></div></body></html>')


def _entries_fit(page) -> None:
    """On one page: every entry's number sits in one right-aligned column, on the title's last
    line, clear of the title's text."""
    numbers = _cells(page, "a", "pg")
    titles = _cells(page, "a", "title")
    assert numbers and len(numbers) == len(titles)
    assert len({round(_right(n), 1) for n in numbers}) == 1, "page numbers are not one right-aligned column"
    for title, number in zip(titles, numbers, strict=True):
        text_lines = [line for line in _lines(title) if _text(line).strip(" .")]
        assert _text(number).strip(), _text(title)
        for line in text_lines:
            words = [b for b in line.descendants() if type(b).__name__ == "TextBox" and b.text.strip(" .")]
            assert max(_right(w) for w in words) <= number.position_x + 0.01, f"title runs into its number: {_text(title)}"
        last = _lines(title)[-1]
        number_line = _lines(number)[-1]
        assert abs(last.position_y - number_line.position_y) < 1, f"number not on the title's last line: {_text(title)}"


def test_long_titles_wrap_before_their_page_number():
    document = _lists_document(LONG_TITLES)
    _entries_fit(document.pages[0])
    text = re.sub(r"\s+", " ", PdfReader(BytesIO(document.write_pdf())).pages[0].extract_text())
    entries = re.split(r" (?=Tabel 3\.\d+ )", text.split("DAFTAR TABEL", 1)[1].strip())
    assert len(entries) == len(LONG_TITLES)
    for entry in entries:
        # "…Tahun 2023–2025 ........ 104": title, dot leader, number; never "2023–2025104"
        assert re.fullmatch(r"Tabel 3\.\d+ .*Tahun 2023– ?2025 ?\.{3,} ?\d{1,3}( .*)?", entry), entry


@pytest.mark.parametrize("code", ["banjar-disnakertrans", "serang-disnakertrans"])
def test_demo_lists_of_contents(demo, code):
    laid = demo(code)
    pages = [i for i, page in enumerate(laid.document.pages) if _cells(page, "a", "pg")]
    assert pages
    for i in pages:
        _entries_fit(laid.document.pages[i])
    for i in pages:
        text = laid.texts[i]
        for entry in re.split(r" (?=(?:Tabel|Grafik) \d+\.\d+ )", text)[1:]:
            entry = re.split(r" LKjIP Tahun| (?:DAFTAR|Verifikasi)", entry)[0]
            assert re.fullmatch(r"(Tabel|Grafik) \d+\.\d+ .+?(?: ?\.+ ?| )\d+", entry), entry
    toc = next(t for t in laid.texts if "DAFTAR ISI" in t)
    # the front matter in Roman numerals, the body from 1
    assert re.search(r"Kata Pengantar \.{3,} ?i\b", toc)
    assert re.search(r"BAB I PENDAHULUAN \.{3,} ?1\b", toc)


# ---------------------------------------------------------------- 2. spill pages


def _entries_per_page(document) -> list[int]:
    return [len(_cells(page, "a", "pg")) for page in document.pages]


def test_a_list_never_spills_one_line_onto_a_page():
    capacity = _entries_per_page(_lists_document(["Jumlah Pegawai Menurut Jabatan"] * 80))[0]
    for extra in (1, 2, 3):
        counts = [n for n in _entries_per_page(_lists_document(["Jumlah Pegawai Menurut Jabatan"] * (capacity + extra)))
                  if n]
        assert sum(counts) == capacity + extra
        assert min(counts) >= 3, counts


@pytest.mark.parametrize("code", list(DEMO))
def test_no_page_with_a_stray_line_of_a_list(demo, code):
    laid = demo(code)
    for i, n in enumerate(_entries_per_page(laid.document)):
        assert n == 0 or n >= 3, f"page {i + 1} holds {n} entries of a list"


# ---------------------------------------------------------------- 3. signatures


def _signature_pages(laid: Laid):
    for index, page in enumerate(laid.document.pages):
        for box in _content(page):
            if type(box).__name__ in ("BlockBox", "FlexBox", "TableBox", "TableWrapperBox") and _classes(box) & {
                    "signature", "pk-signatures"}:
                yield index, page, box


@pytest.mark.parametrize("code", list(DEMO))
def test_signatures_keep_the_text_before_them(demo, code):
    laid = demo(code)
    found = list(_signature_pages(laid))
    assert len(found) >= 3  # kata pengantar, penutup, PK, formulir
    for index, page, signature in found:
        inside = {id(b) for b in signature.descendants()} | {id(signature)}
        before = [b for b in _content(page) if type(b).__name__ == "LineBox" and id(b) not in inside
                  and b.position_y < signature.position_y and _text(b).strip()
                  and b.element_tag != "th"]  # a table's repeated header is not text before it
        assert len(before) >= 2, f"page {index + 1}: the signature has {len(before)} lines of text before it"


# ---------------------------------------------------------------- 5. column widths


@pytest.mark.parametrize("code", ["banjar-disnakertrans", "pontianak-disnaker", "bekasi-disnaker"])
def test_predikat_on_one_line(demo, code):
    laid = demo(code)
    cells = [c for page in laid.document.pages for c in _cells(page, "td", "rating") if _text(c).strip()]
    assert cells
    for cell in cells:
        assert len(_lines(cell)) == 1, _text(cell)


@pytest.mark.parametrize("code", ["bekasi-disnaker", "serang-disnakertrans", "banjar-disnakertrans",
                                  "pontianak-disnaker"])
def test_supporting_programmes_read_as_lines_not_word_columns(demo, code):
    laid = demo(code)
    cells = [c for page in laid.document.pages for c in _cells(page, "td", "programs") if _text(c).strip()]
    assert cells
    for cell in cells:
        words = [len(_text(line).split()) for line in _lines(cell)]
        assert sum(words) / len(words) >= 3, (words, _text(cell))
        assert all(n > 1 for n in words[:-1]), (words, _text(cell))


# ---------------------------------------------------------------- 6, 7, 9. numbers, bookmarks, dashes


def _roman(number: int) -> str:
    text = ""
    for value, numeral in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            text, number = text + numeral, number - value
    return text


def _titles(outline) -> list[str]:
    titles = []
    for item in outline:
        titles.extend(_titles(item) if isinstance(item, list) else [item.title])
    return titles


@pytest.mark.parametrize("code", ["bekasi-disnaker", "serang-disnakertrans"])
def test_bookmarks_page_numbers_and_missing_values(demo, code):
    laid = demo(code)
    titles = _titles(laid.reader.outline)
    assert "1.1 Latar Belakang" in titles and "4.1 Kesimpulan" in titles
    glued = [t for t in titles if re.match(r"(?:\d+(?:\.\d+)*\.?|[A-Z]\.)[^\s\d.]", t)]
    assert not glued, glued

    footers = [re.search(r"Halaman (\S+)(?: dari (\d+))?$", t.strip()) for t in laid.texts]
    assert footers[0] is None  # the cover
    body = next(i for i, f in enumerate(footers) if f and f.group(1) == "1")
    assert [f.group(1) for f in footers[1:body]] == [_roman(n) for n in range(1, body)]
    assert all(f.group(2) is None for f in footers[1:body])
    assert [f.group(1) for f in footers[body:]] == [str(n) for n in range(1, len(footers) - body + 1)]
    assert {f.group(2) for f in footers[body:]} == {str(len(footers) - body)}

    form = " ".join(laid.texts[next(i for i, t in enumerate(laid.texts) if "FORMULIR PENGUKURAN KINERJA" in t):])
    assert "– %" not in form and not re.search(r"– (?:Orang|Dokumen|Kegiatan|Nilai|Indeks)\b", form)


# ---------------------------------------------------------------- 8. captions


def test_isu_strategis_and_shortfall_tables_have_numbered_captions(demo):
    laid = demo("bekasi-disnaker")  # its isu strategis is a table the agency wrote; 4 indicators below target
    lists = " ".join(t for t in laid.texts if "DAFTAR TABEL" in t)
    body = laid.texts[next(i for i, t in enumerate(laid.texts) if re.search(r"Halaman 1 dari", t)):]
    isu = re.search(r"Tabel (1\.\d+) Isu Strategis\b", lists)
    below = re.search(r"Tabel (4\.\d+) Indikator yang Belum Mencapai Target Tahun 2025\b", lists)
    assert isu and below, lists
    assert any(f"Tabel {isu.group(1)} Isu Strategis" in t for t in body)
    assert any(f"Tabel {below.group(1)} Indikator yang Belum Mencapai Target Tahun 2025" in t for t in body)
