"""The report's own sections printed in the LKjIP: penanggung jawab in the PK, belanja per jenis,
the agency's statistics tables, the logo and the organisation chart, the previous LHE; and a
snapshot without their keys (every older one) rendering as it did."""

from __future__ import annotations

import copy
import datetime
import hashlib
import io
import re
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ContentStream

from agencies.models import Agency
from audit.services import AuditContext
from images.services import image_upload
from reports.document import document_html, render_document
from reports.document.images import CHART_BOX, fit
from reports.snapshot import build_snapshot
from workbook.demo_evaluations import evaluations_recorded
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db

GENERATED = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)
CODE = "Ab3dE5gH7k"
URL = f"https://lkjip.example.go.id/v/{CODE}"
NEW_KEYS = ("spending_by_type", "statistics_tables", "images")


def _import(code: str) -> Agency:
    report = workbook_import(source=Path(settings.DEMO_WORKBOOK_DIR) / f"{code}.xlsx")
    assert report.ok, report.errors
    return Agency.objects.get(code=code)


def _html(snapshot: dict) -> str:
    return document_html(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED, draft=True)


def _pdf_pages(snapshot: dict, django_assert_num_queries) -> tuple[bytes, list[str]]:
    with django_assert_num_queries(0):  # the pictures are read from storage, never from the database
        pdf = render_document(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED, draft=True).pdf
    return pdf, [_flat(page.extract_text()) for page in PdfReader(BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return re.sub(r"(?<=[a-z])[-\u2010] (?=[a-z])", "", re.sub(r"\s+", " ", text))


def _text(html: str) -> str:
    return _flat(re.sub(r"<[^>]+>", " ", html))


def _picture(size: tuple[int, int], colour: tuple[int, int, int] = (10, 120, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def _upload(agency: Agency, kind: str, data: bytes, year: int | None = None):
    return image_upload(kind=kind, government=agency.government, agency=agency, year=year,
                        upload=SimpleUploadedFile(f"{kind}.png", data, "image/png"), ctx=AuditContext())


def _page(pages: list[str], needle: str) -> int:
    """The first page past the lists of contents that holds the text."""
    start = next(i for i, text in enumerate(pages) if "BAB I" in text and "PENDAHULUAN" in text
                 and "DAFTAR ISI" not in text)
    return next(i for i in range(start, len(pages)) if needle in pages[i])


def _drawn(reader: PdfReader, index: int) -> list[tuple[float, float]]:
    """Width and height in mm of each raster image a page draws (an image is drawn in the unit
    square through the current transformation matrix; a page's resources list images it may not
    draw, and the charts are drawn as forms, not images)."""
    ctm, stack, found = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), [], []
    page = reader.pages[index]
    objects = page["/Resources"].get("/XObject") or {}
    images = {name for name, obj in objects.items() if obj.get_object().get("/Subtype") == "/Image"}
    for operands, operator in ContentStream(page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(x) for x in operands)
            A, B, C, D, E, F = ctm
            ctm = (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)
        elif operator == b"Do" and operands[0] in images:
            found.append((round(abs(ctm[0]) * 25.4 / 72, 1), round(abs(ctm[3]) * 25.4 / 72, 1)))
    return found


def _without_new_sections(snapshot: dict) -> dict:
    """The snapshot as it was before these sections existed: no new keys, no penanggung jawab."""
    old = copy.deepcopy({k: v for k, v in snapshot.items() if k not in NEW_KEYS})
    for indicator in old["plan"]["indicators"]:
        indicator.pop("responsible", None)
    return old


def _caption_order(html: str, chapter: int) -> list[int]:
    return [int(n) for n in re.findall(rf'<p class="caption" id="tabel-{chapter}-(\d+)"', html)]


def _listed(html: str, title: str) -> str:
    """The label under which the daftar tabel lists a title."""
    section = html[html.index('id="daftar-tabel"'):]
    section = section[:section.index("</section>")]
    match = re.search(rf'href="#tabel-(\d+)-(\d+)"[^>]*>(?:<span class="lbl">[^<]*</span>)?{re.escape(title)}<', section)
    assert match, title
    return f"Tabel {match.group(1)}.{match.group(2)}"


# ---------------------------------------------------------------- Banjar: the whole set in one PDF


def test_banjar_prints_penanggung_jawab_belanja_lhe_logo_and_chart(django_assert_num_queries):
    agency = _import("banjar-disnakertrans")
    evaluations_recorded(agency=agency)
    _upload(agency, "logo", _picture((120, 140)))
    _upload(agency, "bagan", _picture((1600, 900), (200, 200, 200)), year=2024)
    snapshot = build_snapshot(agency=agency, year=2025)
    assert snapshot["images"]["org_chart"]["year"] == 2024
    pdf, pages = _pdf_pages(snapshot, django_assert_num_queries)
    reader = PdfReader(BytesIO(pdf))
    whole = " ".join(pages)
    html = _html(snapshot)

    # The logo on the cover; the cover is still one page.
    assert _drawn(reader, 0) == [(25.7, 30.0)]  # 120 × 140 px in the 32 × 30 mm box
    assert "LAPORAN KINERJA INSTANSI PEMERINTAH" in pages[0] and "Halaman" not in pages[0]

    # The organisation chart in 1.4 as Gambar 1.1 (the chart of 2024, the latest up to the year), listed.
    title = "Bagan Struktur Organisasi Dinas Tenaga Kerja dan Transmigrasi Kabupaten Banjar Tahun 2024"
    chart_page = _page(pages, f"Gambar 1.1 {title}")
    assert _drawn(reader, chart_page) == [(165.0, 92.8)]  # 1600 × 900 px across the text block
    assert all(not _drawn(reader, i) for i in range(1, len(pages)) if i != chart_page)
    assert "Struktur Organisasi" in pages[chart_page]
    assert "DAFTAR GAMBAR" in whole and "Daftar Gambar" in " ".join(p for p in pages if "DAFTAR ISI" in p)
    lists = " ".join(p for p in pages if "DAFTAR GAMBAR" in p)
    assert f"Gambar 1.1 {title}" in lists

    # Penanggung jawab: a column of the PK in BAB II (24 rows) and of the PK again in the lampiran.
    pk_page = _page(pages, "Penanggung Jawab")
    pk_text = " ".join(pages[pk_page:pk_page + 4])
    assert "Persentase Pencari Kerja Yang Ditempatkan" in pk_text and "Kepala Dinas" in pk_text
    assert "Plt Sekretaris" in pk_text
    bab2 = html[html.index('id="bab-bab2"'):html.index('id="bab-bab3"')]
    cells = re.findall(r'<td class="responsible">([^<]*)</td>', bab2)
    assert len(cells) == 24 and "–" not in cells and cells.count("Kepala Dinas") == 3
    assert "Plt Kasi Persyaratan Kerja Dan Jaminan Sosial" in cells

    # Belanja per jenis in BAB I, numbered and listed; no murni/perubahan columns (they do not differ).
    belanja_page = _page(pages, "Pagu dan Realisasi Belanja menurut Jenis Belanja Tahun 2025")
    assert belanja_page < _page(pages, "BAB II")
    belanja = pages[belanja_page] + " " + pages[belanja_page + 1]
    assert ("1. Belanja Operasi 11.973.794.858 9.960.400.792 83,18 99,11 "
            "a. Belanja Pegawai 4.764.125.000 4.217.617.863 88,53 39,43") in belanja
    assert "2. Belanja Modal 107.410.000 106.084.160 98,77 0,89" in belanja
    assert "Jumlah 12.081.204.858 10.066.484.952 83,32" in belanja
    assert "No Jenis belanja Pagu (Rp) Realisasi (Rp) Serapan (%) Porsi pagu (%)" in belanja
    label = re.search(r"(Tabel 1\.\d+) Pagu dan Realisasi Belanja menurut Jenis Belanja", belanja).group(1)
    assert _listed(html, "Pagu dan Realisasi Belanja menurut Jenis Belanja Tahun 2025") == label

    # The LHE of the LKjIP 2024: components with bobot and nilai, the computed total, predikat; 80,33 a note.
    for row in ("A Perencanaan Kinerja 30 25,03", "B Pengukuran Kinerja 30 23,65", "C Pelaporan Kinerja 15 12,01",
                "D Evaluasi Akuntabilitas Kinerja Internal 25 19,63", "Jumlah 100 80,32 Predikat A"):
        assert row in whole, row
    assert "mencetak nilai 80,33; jumlah nilai komponennya 80,32" in whole
    assert "lhe_nilai_berbeda" in [f["code"] for f in snapshot["findings"]]

    # Tables of each chapter are numbered in the order they are printed.
    for chapter in (1, 2, 3):
        order = _caption_order(html, chapter)
        assert order == list(range(1, len(order) + 1)), (chapter, order)


# ---------------------------------------------------------------- Pontianak: statistics tables


def test_pontianak_statistics_tables_beside_their_indicators_and_belanja_murni_perubahan(django_assert_num_queries):
    snapshot = build_snapshot(agency=_import("pontianak-disnaker"), year=2023)
    _, pages = _pdf_pages(snapshot, django_assert_num_queries)
    whole = " ".join(pages)

    # Belanja per jenis: murni and perubahan differ, so both columns; no realisasi recorded, said so.
    assert ("No Jenis belanja Pagu murni (Rp) Pagu perubahan (Rp) Porsi pagu (%) "
            "1. Belanja Operasi 4.023.130.468 4.068.177.828 89,98 2. Belanja Modal 417.765.960 453.152.699 10,02 "
            "Jumlah 4.440.896.428 4.521.330.527") in whole
    assert "Realisasi per jenis belanja belum dicatat." in whole

    # The seed's Tabel 3.5, 3.6 and 3.9, each in its indicator's analysis, numbered in BAB III, with its source.
    html = _html(snapshot)
    for code, title in (("IKU2", "Data Jumlah Perselisihan dan Hasil Mediasi Tahun 2023"),
                        ("IP.2.07.03", "Jumlah Peserta/Jenis Pelatihan Yang dilaksanakan Tahun Anggaran 2021 s/d 2022"),
                        ("ISK.2.07.03.2.02.0001", "Jumlah Lembaga Pelatihan Kerja di Kota Pontianak Tahun 2022 s/d 2023")):
        names = {f["code"]: f["name"] for g in snapshot["measurement"]["groups"] for f in g["indicators"]}
        at = html.index(title, html.index('id="bab-bab1"'))  # the caption, not the daftar tabel
        heading = html[html.rindex('<h4 class="indicator">', 0, at):]
        heading = heading[:heading.index("</h4>")]
        assert names[code] in heading, code  # the table sits in its indicator's block
        page = _page(pages, title)
        assert f"{_listed(html, title)} {title}" in pages[page], title
        assert "Sumber: Bidang PHIP & JS" in pages[page] + pages[page + 1]
    # Cells as written (the seed's "Pencautan", the dashes), the group "Hasil" spanning five columns.
    assert "No Bulan Jenis Perselisihan Hasil Pencautan Bipatrit PB Anjuran Dilimpahkan" in whole
    assert "1 Januari PHK - - - 2 -" in whole and "JUMLAH 2 1 9 12 3" in whole
    assert '<th colspan="5">Hasil</th>' in html and '<th rowspan="2">Bulan</th>' in html
    # A row shorter than the columns is padded: the Jumlah row of the training table keeps its width.
    training = html[html.index("Jumlah Peserta/Jenis Pelatihan"):]
    training = training[:training.index("</table>")]
    assert all(row.count("<td") == 4 for row in re.findall(r"<tr>(.*?)</tr>", training)[1:])
    for chapter in (1, 3):
        order = _caption_order(html, chapter)
        assert order == list(range(1, len(order) + 1)), (chapter, order)


# ---------------------------------------------------------------- placement, fallback, absent keys


def _minimal() -> dict:
    from tests.reports.test_document_render import _minimal_snapshot

    return _minimal_snapshot()


def _table(code: str, section: str, indicator: str | None = None, **extra) -> dict:
    return {
        "code": code, "title": f"Tabel Uji {code}", "section": section, "section_label": section,
        "indicator": indicator, "source": extra.get("source", "BPS Kota Uji"), "note": extra.get("note", ""),
        "columns": extra.get("columns", [{"group": "", "label": "Uraian"}, {"group": "", "label": "Jumlah"}]),
        "rows": extra.get("rows", [[{"text": "Pencari kerja", "number": None}, {"text": "1.117", "number": "1117"}]]),
    }


def test_a_table_of_a_section_left_out_moves_to_a_printed_one():
    snapshot = _minimal()
    snapshot["statistics_tables"] = [
        _table("L", "latar_belakang"), _table("I", "isu_strategis"), _table("E", "efisiensi"),
        _table("N", "inovasi"), _table("A", "analisis", indicator="TIDAK-ADA"), _table("K", "kesimpulan"),
        _table("S", "saran"),
    ]
    html = _html(snapshot)

    def at(code: str) -> int:
        return html.index(f"Tabel Uji {code}</p>")  # its caption in the body

    def heading(title: str) -> int:
        return re.search(rf"{title}</h[23]>", html).start()

    # In their sections: latar belakang before dasar hukum, isu strategis in its own section.
    assert heading("Latar Belakang") < at("L") < heading("Dasar Hukum")
    assert heading("Isu Strategis") < at("I") < heading("Sistematika Penulisan")
    # An indicator that is not printed: the table stays in BAB III, after the analysis.
    assert heading("Pengukuran Kinerja") < at("A") < at("E") < heading("Program Pendukung Pencapaian Sasaran")
    assert heading("Analisis Efisiensi Penggunaan Sumber Daya") < at("E")
    # No innovation narrative, but a table for it: the section is printed for the table.
    assert heading("Inovasi dan Penghargaan") < at("N")
    assert heading("Kesimpulan") < at("K") < heading("Permasalahan dan Kendala") < heading("Saran dan Langkah Perbaikan") < at("S")
    assert _text(html).count("Sumber: BPS Kota Uji") == 7
    assert '<td class="num">1.117</td>' in html  # a number right-aligned, printed as written
    assert [_listed(html, f"Tabel Uji {c}")[6] for c in "LIAENKS"] == ["1", "1", "3", "3", "3", "4", "4"]
    for chapter in (1, 3, 4):
        order = _caption_order(html, chapter)
        assert order == list(range(1, len(order) + 1)), (chapter, order)

    snapshot["variant"]["sections"] = {"strategic_issues": False, "efficiency": False, "innovation": False}
    html = _html(snapshot)
    assert not re.search("(Isu Strategis|Inovasi dan Penghargaan|Analisis Efisiensi Penggunaan Sumber Daya)</h", html)
    # isu strategis goes to sumber daya (BAB I), efisiensi and inovasi to the end of the analysis.
    assert heading("Sumber Daya") < at("I") < heading("Sistematika Penulisan")
    # (in the agency's order of the tables)
    assert heading("Pengukuran Kinerja") < at("E") < at("N") < at("A") < heading("Program Pendukung Pencapaian Sasaran")
    assert [_listed(html, f"Tabel Uji {c}")[6] for c in "LIAEN"] == ["1", "1", "3", "3", "3"]


def test_snapshots_without_the_keys_print_no_new_section():
    old = _minimal()
    html = _html(old)
    # Present but empty is "nothing to print": the same document, byte for byte.
    assert _html({**old, "statistics_tables": [], "images": {}}) == html
    for marker in ("statistics", "spending-by-type", "Jenis belanja", "Penanggung Jawab", "Gambar", "<img",
                   "Sumber:", "DAFTAR GAMBAR", "cover-logo"):
        assert marker not in html, marker


def test_banjar_and_pontianak_without_the_keys_render_as_before():
    for code, year in (("banjar-disnakertrans", 2025), ("pontianak-disnaker", 2023)):
        snapshot = build_snapshot(agency=_import(code), year=year)
        assert "spending_by_type" in snapshot
        old = _without_new_sections(snapshot)
        html = _html(old)
        for marker in ("statistics", "spending-by-type", "Jenis belanja", "Penanggung Jawab", "DAFTAR GAMBAR",
                       "<img", "Sumber: Bidang"):
            assert marker not in html, (code, marker)
        new = _html(snapshot)
        assert new != html and _html(snapshot) == new  # the same snapshot, the same document
        # Without the new sections, the tables that follow keep the numbers they had.
        assert len(re.findall(r'<p class="caption" id="tabel-', new)) > len(re.findall(r'<p class="caption" id="tabel-', html))


# ---------------------------------------------------------------- pictures


def test_pictures_missing_or_replaced_render_without_them(django_assert_num_queries):
    agency = _import("banjar-disnakertrans")
    logo = _upload(agency, "logo", _picture((64, 64)))
    chart = _upload(agency, "bagan", _picture((800, 600)), year=2025)
    snapshot = build_snapshot(agency=agency, year=2025)
    html = _html(snapshot)
    assert html.count('src="data:image/png;base64,') == 2 and "Gambar 1.1" in html
    # The chart fills the text block's width, in proportion: 800 × 600 px → 165 × 123,8 mm.
    assert 'style="width: 165.0mm; height: 123.8mm;"' in html

    default_storage.delete(chart.file.name)  # the file is gone
    with default_storage.open(logo.file.name, "wb") as handle:  # another picture under the same name
        handle.write(_picture((64, 64), (0, 0, 0)))
    html = _html(snapshot)
    assert "<img" not in html and "Gambar 1.1" not in html and "DAFTAR GAMBAR" not in html
    assert html == _html({k: v for k, v in snapshot.items() if k != "images"})
    _, pages = _pdf_pages(snapshot, django_assert_num_queries)  # renders, without pictures
    assert "Struktur Organisasi" in " ".join(pages)


def _stored(data: bytes, kind: str, year: int | None = None) -> dict:
    """A picture in storage and its reference, as images.services.image_reference makes it."""
    digest = hashlib.sha256(data).hexdigest()
    name = default_storage.save(f"images/{digest}.png", io.BytesIO(data))
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
    return {"kind": kind, "year": year, "sha256": digest, "storage": name, "content_type": "image/png",
            "width": width, "height": height, "owner": "agency"}


def test_a_snapshot_with_pictures_gives_the_same_pdf_bytes():
    snapshot = _minimal()
    snapshot["images"] = {"logo": _stored(_picture((90, 60)), "logo"),
                          "org_chart": _stored(_picture((300, 900), (90, 90, 90)), "bagan", 2025)}
    first = render_document(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED).pdf
    second = render_document(snapshot, verify_url=URL, code=CODE, number=1, generated_at=GENERATED).pdf
    assert first == second
    reader = PdfReader(BytesIO(first))
    drawn = [(index, size) for index in range(len(reader.pages)) for size in _drawn(reader, index)]
    assert drawn[0] == (0, (32.0, 21.3))  # the logo on the cover, 90 × 60 px
    assert [size for _, size in drawn[1:]] == [(66.7, 200.0)]  # a tall chart limited by the height


def test_fit_keeps_proportions_within_the_box():
    assert fit(1600, 900, CHART_BOX) == (Decimal("165.0"), Decimal("92.8"))
    assert fit(300, 900, CHART_BOX) == (Decimal("66.7"), Decimal("200.0"))  # a tall chart: limited by the height
    assert fit(None, None, CHART_BOX) == (Decimal("165.0"), Decimal("165.0"))  # no dimensions recorded: a square
    assert fit(0, 10, CHART_BOX) == (Decimal("165.0"), Decimal("165.0"))
