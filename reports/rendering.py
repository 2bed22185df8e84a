"""The LKjIP document: snapshot in, HTML and PDF out.

Everything printed comes from the snapshot built by reports.snapshot.build_snapshot (the
contract); nothing here touches the database. This module turns the snapshot into a view
model (numbering of chapters, tables and charts, derived sentences' parts, charts, the QR
code), renders the templates under reports/templates/reports/lkjip/ and lays the pages out
with WeasyPrint. Stylesheet and fonts are read from the project's static files through a
URL fetcher that refuses anything else, so rendering never goes to the network.

Same snapshot and arguments give the same PDF bytes: the PDF dates come from generated_at,
the charts' SVG ids are salted with a constant, and the embedded fonts' own "modified" date
is set to generated_at too (without HarfBuzz-Subset, WeasyPrint subsets with fontTools,
which stamps the wall clock into each font's head table).
"""

from __future__ import annotations

import datetime
import html
import mimetypes
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import segno
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from lkjip.numbers import format_id, format_rupiah
from performance.agreements import signed_position
from reviews import wording as reviu_wording

from . import charts

TEMPLATE = "reports/lkjip/document.html"
STYLESHEET = "/static/reports/lkjip.css"
BASE_URL = "file:///"
STATIC_PREFIX = "/static/"
TIMEZONE = ZoneInfo("Asia/Jakarta")

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)
NUMERALS = ("I", "II", "III", "IV", "V", "VI")
QUARTERS = ("TW I", "TW II", "TW III", "TW IV")

NARRATIVE_LABELS = {
    "analisis": "Analisis capaian",
    "pendukung": "Faktor pendukung",
    "penghambat": "Faktor penghambat",
    "upaya": "Upaya dan solusi",
}
AGGREGATION_TEXT = {
    "kumulatif": "dijumlahkan (kumulatif) dari realisasi triwulan I sampai IV",
    "akhir": "diambil dari nilai triwulan terakhir yang tersedia (posisi akhir tahun)",
    "rata-rata": "dirata-ratakan dari realisasi triwulan yang tersedia",
}
AGGREGATION_SHORT = {"kumulatif": "kumulatif", "akhir": "nilai akhir", "rata-rata": "rata-rata"}
METHOD_TEXT = {
    "rata-rata": "rata-rata (mean) capaian indikator-indikatornya",
    "median": "nilai tengah (median) capaian indikator-indikatornya",
    "minimum": "capaian terendah di antara indikator-indikatornya",
}
STAFF_DIMENSIONS = {
    "jabatan": "Jabatan",
    "eselon": "Eselon",
    "golongan": "Pangkat/Golongan",
    "pendidikan": "Tingkat Pendidikan",
}
STATUS_ORDER = ("PNS", "PPPK", "Non-ASN")
BUDGET_KIND = {"program": "Program", "kegiatan": "Kegiatan", "subkegiatan": "Sub Kegiatan"}
NOTE_MARKS = "abcdefghijklmnopqrstuvwxyz"
TIMES, MINUS, DIVIDED, DASH = "\u00d7", "\u2212", "\u00f7", "\u2013"  # as printed


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


# ---------------------------------------------------------------- public interface


def document_html(
    snapshot: dict, *, verify_url: str, code: str, number: int, generated_at: datetime.datetime
) -> str:
    """The whole document as one HTML string (what WeasyPrint lays out)."""
    context = _Builder(snapshot, verify_url=verify_url, code=code, number=number, generated_at=generated_at).build()
    return render_to_string(TEMPLATE, context)


def render_document(
    snapshot: dict,
    *,
    verify_url: str,
    code: str,
    number: int,
    generated_at: datetime.datetime,
    progress: Callable[[int, str], None] | None = None,
) -> Rendered:
    """Render the PDF. `progress(percent, label)` is told where the work is."""
    report = progress or (lambda percent, label: None)
    report(10, "Menyiapkan grafik")
    context = _Builder(snapshot, verify_url=verify_url, code=code, number=number, generated_at=generated_at).build()
    report(40, "Menyusun halaman")
    text = render_to_string(TEMPLATE, context)
    font_config = FontConfiguration()
    document = HTML(string=text, base_url=BASE_URL, url_fetcher=StaticFetcher()).render(font_config=font_config)
    pages = len(document.pages)
    report(80, "Menulis PDF")
    modified = _font_timestamp(generated_at)
    pdf = document.write_pdf(finisher=lambda _document, pdf: _pin_font_dates(pdf, modified))
    return Rendered(pdf=pdf, pages=pages)


# ---------------------------------------------------------------- embedded fonts

FONT_EPOCH = datetime.datetime(1904, 1, 1, tzinfo=datetime.UTC)  # OpenType LONGDATETIME counts from here
SFNT_VERSIONS = (b"\x00\x01\x00\x00", b"OTTO", b"true")
CHECKSUM_MAGIC = 0xB1B0AFBA


def _utc(value: datetime.datetime) -> datetime.datetime:
    """generated_at in UTC; a naive value is read as Jakarta time."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=TIMEZONE)
    return value.astimezone(datetime.UTC)


def _font_timestamp(generated_at: datetime.datetime) -> int:
    return int((_utc(generated_at).replace(microsecond=0) - FONT_EPOCH).total_seconds())


def _pin_font_dates(pdf: Any, modified: int) -> None:
    """WeasyPrint finisher: give every embedded font program the same head.modified.

    WeasyPrint subsets fonts while writing the PDF. With HarfBuzz-Subset the subset keeps
    the source font's date; without it (the library is optional) fontTools does the work and
    sets head.modified to the current second, so two renders of one snapshot differed in
    their font streams whenever they did not fall in the same second."""
    for obj in pdf.objects:
        if not isinstance(obj, dict) or obj.get("Type") != "/FontDescriptor":
            continue
        for key in ("FontFile2", "FontFile3"):
            reference = obj.get(key)
            if not reference:
                continue
            stream = pdf.objects[int(reference.split()[0])]
            if all(isinstance(part, bytes) for part in stream.stream):
                stream.stream = [_with_modified(b"".join(stream.stream), modified)]


def _with_modified(font: bytes, modified: int) -> bytes:
    """The font file with head.modified set (seconds since 1904) and its checksums redone;
    anything that is not a single sfnt font with a head table is returned unchanged."""
    if font[:4] not in SFNT_VERSIONS or len(font) < 12:
        return font
    (count,) = struct.unpack_from(">H", font, 4)
    for index in range(count):
        entry = 12 + 16 * index
        if entry + 16 > len(font):
            return font
        tag, _checksum, offset, length = struct.unpack_from(">4sIII", font, entry)
        if tag == b"head":
            break
    else:
        return font
    if length < 54 or offset + length > len(font):
        return font
    data = bytearray(font)
    struct.pack_into(">I", data, offset + 8, 0)  # checkSumAdjustment counts as 0 in the sums
    struct.pack_into(">q", data, offset + 28, modified)
    struct.pack_into(">I", data, entry + 4, _sfnt_checksum(data[offset:offset + length]))
    struct.pack_into(">I", data, offset + 8, (CHECKSUM_MAGIC - _sfnt_checksum(data)) & 0xFFFFFFFF)
    return bytes(data)


def _sfnt_checksum(data: bytes | bytearray) -> int:
    padded = bytes(data) + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


# ---------------------------------------------------------------- resources


class StaticFetcher(URLFetcher):
    """Serves /static/… from the project's static files (staticfiles finders) and data: URLs;
    refuses every other URL, so a document never loads anything over the network."""

    def __init__(self) -> None:
        super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        path = _static_path(url)
        if path is None:
            raise ValueError(f"URL tidak diizinkan dalam dokumen: {url}")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if path.suffix == ".ttf":
            mime = "font/ttf"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def _static_path(url: str) -> Path | None:
    if not url.startswith("file://"):
        return None
    local = url[len("file://"):].split("?")[0].split("#")[0]
    if not local.startswith(STATIC_PREFIX):
        return None
    relative = local[len(STATIC_PREFIX):]
    if ".." in relative.split("/"):
        return None
    found = finders.find(relative)
    return Path(found) if found else None


def css_string(text: str) -> str:
    """A CSS string literal that cannot close its <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3c ")
    return f'"{escaped}"'


def qr_svg(url: str) -> str:
    qr = segno.make(url, error="m")
    return qr.svg_inline(scale=1, border=0, dark="#000000", omitsize=True, svgclass="qr-code")


# ---------------------------------------------------------------- text helpers


def tanggal(value: datetime.date | str | None) -> str:
    """31 Januari 2024."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def _dec(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value))


def num(value: Any) -> str:
    """A measured value as stored, without trailing zeros: 7,33; 1.762."""
    return format_id(_dec(value))


def pct(value: Any) -> str:
    return format_id(_dec(value), 2)


_INLINE_TAGS = re.compile(r"&lt;(/?)(i|b|em|strong|u|sup|sub)&gt;", re.IGNORECASE)
# The bold text may not contain "**" itself: each opening then looks only as far as the next
# "**", so a narrative full of "**" is linear to render (was quadratic, probe F12).
_BOLD = re.compile(r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_LIST_LINE = re.compile(r"^\s*((?:[-•✓✔*▪·])|(?:\(?[0-9]{1,2}[.)])|(?:\(?[a-zA-Z][.)]))\s+(.*)$")


def _inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _INLINE_TAGS.sub(lambda m: f"<{m.group(1)}{m.group(2).lower()}>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
    return escaped


def prose(text: str | None) -> SafeString:
    """An agency's narrative as HTML: paragraphs at blank lines, lists kept with their own
    markers, lines with "|" as a table (the first row is the header), <i>/<b> and
    *emphasis*/**bold** kept; everything else escaped."""
    if not text or not text.strip():
        return mark_safe("")
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", normalised):
        parts.extend(_block(block))
    return mark_safe("".join(parts))  # every piece of text went through _inline (escaped)


def _block(block: str) -> list[str]:
    parts: list[str] = []
    table: list[list[str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if len(table) == 1:  # one line with a "|" is text, not a table
            paragraph.append(" | ".join(table[0]))
        elif table:
            parts.append(_table_html(table))
        table.clear()
        if paragraph:
            parts.append("<p>" + "<br>".join(_inline(x.strip()) for x in paragraph) + "</p>")
            paragraph.clear()

    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    for line in lines:
        if "|" in line:
            if not re.fullmatch(r"[\s|:-]+", line):  # skip a markdown header rule
                if paragraph:
                    flush()
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            flush()
        match = _LIST_LINE.match(line)
        if match and len(lines) > 1:
            flush()
            marker = "•" if match.group(1) in "-*•▪·" else match.group(1)
            parts.append(f'<p class="item"><span class="marker">{html.escape(marker)}</span>'
                         f"{_inline(match.group(2))}</p>")
        else:
            paragraph.append(line)
    flush()
    return parts


def _table_html(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    head = "".join(f"<th>{_inline(c)}</th>" for c in padded[0])
    body = "".join("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in row) + "</tr>" for row in padded[1:])
    return f'<table class="narrative-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _first_sentences(text: str, limit: int = 320) -> str:
    """The opening of a narrative for the summary: whole sentences up to about `limit` characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    sentences = re.split(r"(?<=[.!?])\s+", flat)
    result = ""
    for sentence in sentences:
        if result and len(result) + len(sentence) + 1 > limit:
            break
        result = f"{result} {sentence}".strip()
    if len(result) > limit:
        result = result[:limit].rsplit(" ", 1)[0]
    return result + " …"


# ---------------------------------------------------------------- the view model


@dataclass
class _Numbered:
    kind: str  # "Tabel" or "Grafik"
    number: str
    id: str
    title: str
    svg: SafeString | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass
class _Chapter:
    key: str
    numeral: str
    title: str
    id: str
    counters: dict[str, int] = field(default_factory=lambda: {"Tabel": 0, "Grafik": 0})


class _Builder:
    def __init__(self, snapshot: dict, *, verify_url: str, code: str, number: int,
                 generated_at: datetime.datetime) -> None:
        self.s = snapshot
        self.year = snapshot["year"]
        self.verify_url = verify_url
        self.code = code
        self.number = number
        self.generated_at = generated_at
        self.variant = snapshot.get("variant") or {}
        self.sections = self.variant.get("sections") or {}
        self.tables: list[_Numbered] = []
        self.charts: list[_Numbered] = []
        self.toc: list[dict[str, Any]] = []
        self.chapter: _Chapter | None = None
        plan = snapshot.get("plan") or {}
        self.plan_indicators = {i["code"]: i for i in plan.get("indicators", [])}
        self.nodes = {n["code"]: n for n in plan.get("nodes", [])}
        self.budget_rows = {r["code"]: r for r in (snapshot.get("budget") or {}).get("rows", [])}
        # Copies with display helpers; the snapshot itself is never changed.
        self.groups = [
            {**g, "indicators": [_decorate(i) for i in g["indicators"]]}
            for g in (snapshot.get("measurement") or {}).get("groups", [])
        ]
        self.figures = {i["code"]: i for g in self.groups for i in g["indicators"]}

    # -------------------------------------------------------- numbering

    def on(self, section: str) -> bool:
        return bool(self.sections.get(section, True))

    def start_chapter(self, key: str, numeral: str, title: str) -> _Chapter:
        self.chapter = _Chapter(key, numeral, title, f"bab-{key}")
        self.toc.append({"level": 1, "id": self.chapter.id, "label": f"BAB {numeral}", "title": title.upper()})
        return self.chapter

    def front(self, id_: str, title: str) -> dict[str, Any]:
        self.chapter = None
        entry = {"level": 0, "id": id_, "label": "", "title": title}
        self.toc.append(entry)
        return entry

    def section(self, number: str, title: str, level: int = 2) -> dict[str, Any]:
        key = re.sub(r"[^a-z0-9]+", "-", f"{self.chapter.key if self.chapter else 'x'}-{number}-{title}".lower())
        entry = {"level": level, "id": f"s-{key}"[:80], "label": number, "title": title}
        self.toc.append(entry)
        return entry

    def _next(self, kind: str) -> str:
        assert self.chapter is not None
        self.chapter.counters[kind] += 1
        return f"{_arabic(self.chapter.numeral)}.{self.chapter.counters[kind]}"

    def table(self, title: str) -> _Numbered:
        number = self._next("Tabel")
        item = _Numbered("Tabel", number, f"tabel-{number.replace('.', '-')}", title)
        self.tables.append(item)
        return item

    def chart(self, title: str, svg: str) -> _Numbered:
        number = self._next("Grafik")
        item = _Numbered("Grafik", number, f"grafik-{number.replace('.', '-')}", title, mark_safe(svg))
        self.charts.append(item)
        return item

    # -------------------------------------------------------- whole document

    def build(self) -> dict[str, Any]:
        s = self.s
        agency = s["agency"]
        titles = self._titles()
        context: dict[str, Any] = {
            "s": s,
            "year": self.year,
            "agency": agency,
            "titles": titles,
            "variant": self.variant,
            "sections": {key: self.on(key) for key in (
                "ikhtisar", "staff", "strategic_issues", "benchmarks", "efficiency", "innovation",
                "recommendations", "appendix")},
            "stylesheet": STYLESHEET,
            "signature": self._signature(),
            "verification": self._verification(),
            "narratives": {k: prose(v) for k, v in (s.get("narratives") or {}).items() if v and v.strip()},
            "plan": s.get("plan") or {},
            "scale": s.get("scale") or {},
            "created": self._created_iso(),
            "page_css": mark_safe(
                "@page { @top-left { content: " + css_string(f"{titles['running']} · {agency.get('name', '')}")
                + "; } @bottom-left { content: " + css_string(f"Verifikasi keaslian dokumen: {self.verify_url}")
                + "; } }"
            ),
        }
        recommendations = s.get("recommendations") or []
        five = bool(self.variant.get("five_chapters"))
        follow_up_chapter = five and self.on("recommendations")
        # "evaluations" is absent from snapshots made before the LHE was recorded (and from those
        # without one): they render as they did.
        follow_up_section = not five and self.on("recommendations") and bool(recommendations or s.get("evaluations"))
        numerals = {"bab1": "I", "bab2": "II", "bab3": "III"}
        if follow_up_chapter:
            numerals["rekomendasi"] = "IV"
        numerals["penutup"] = NUMERALS[len(numerals)]
        context["numerals"] = numerals
        context["follow_up_chapter"] = follow_up_chapter
        context["follow_up_section"] = follow_up_section

        self.front("kata-pengantar", "Kata Pengantar")
        context["kata_pengantar"] = {"text": prose((s.get("narratives") or {}).get("kata_pengantar"))}
        if self.on("ikhtisar"):
            self.front("ikhtisar", "Ikhtisar Eksekutif")
            context["ikhtisar"] = self._ikhtisar()
        self.front("daftar-isi", "Daftar Isi")
        self.front("daftar-tabel", "Daftar Tabel")
        self.front("daftar-grafik", "Daftar Grafik")

        context["bab1"] = self._bab1(numerals, follow_up_chapter)
        context["bab2"] = self._bab2()
        context["bab3"] = self._bab3(follow_up_section)
        if follow_up_chapter:
            context["rekomendasi"] = self._follow_up_chapter(numerals["rekomendasi"])
        context["penutup"] = self._penutup(numerals["penutup"])
        if s.get("review"):  # snapshots before the reviu (or without a statement) have no key
            self.chapter = None
            self.toc.append({"level": 1, "id": "pernyataan-reviu", "label": "", "title": reviu_wording.TITLE})
            context["reviu"] = self._reviu(s["review"], titles)
        if self.on("appendix"):
            self.chapter = None
            self.toc.append({"level": 1, "id": "lampiran", "label": "", "title": "LAMPIRAN"})
            context["lampiran"] = self._lampiran()
        context["toc"] = self.toc
        context["tables"] = self.tables
        context["charts"] = self.charts
        return context

    # -------------------------------------------------------- identity

    def _titles(self) -> dict[str, str]:
        long = (self.variant.get("long") or "Laporan Kinerja Instansi Pemerintah").strip()
        short = (self.variant.get("short") or "").strip()
        agency = self.s["agency"]
        full = f"{long.upper()}{f' ({short})' if short else ''} TAHUN {self.year}"
        return {
            "long": long,
            "long_upper": long.upper(),
            "short": short,
            "name": short or long,
            "full": full,
            "running": f"{short or long} Tahun {self.year}",
            "agency_running": agency.get("name", ""),
        }

    def _signature(self) -> dict[str, Any]:
        sig = self.s.get("signatory") or {}
        agency = self.s["agency"]
        title = (sig.get("title") or "").strip()
        if not title:
            title = f"{'Plt. ' if sig.get('acting') else ''}Kepala {agency.get('name', '')}".strip()
        place = (sig.get("place") or "").strip()
        date_text = tanggal(sig.get("date"))
        return {
            "title": title,
            "name": (sig.get("name") or "").strip(),
            "rank": (sig.get("rank") or "").strip(),
            "nip": (sig.get("nip") or "").strip(),
            "acting": bool(sig.get("acting")),
            "place": place,
            "date": date_text,
            "placeholder_year": self._local_generated().year,
        }

    def _local_generated(self) -> datetime.datetime:
        value = self.generated_at
        if value.tzinfo is not None:
            value = value.astimezone(TIMEZONE)
        return value

    def _created_iso(self) -> str:
        return _utc(self.generated_at).replace(microsecond=0).isoformat().replace("+00:00", "Z")

    def _verification(self) -> dict[str, Any]:
        local = self._local_generated()
        zone = " WIB" if self.generated_at.tzinfo is not None else ""
        return {
            "url": self.verify_url,
            "code": self.code,
            "number": self.number,
            "generated": f"{tanggal(local.date())} pukul {local:%H.%M}{zone}",
            "qr": mark_safe(qr_svg(self.verify_url)),
        }

    # -------------------------------------------------------- ikhtisar

    def _ikhtisar(self) -> dict[str, Any]:
        m = self.s["measurement"]
        counts = m["counts"]
        strategic = [g for g in self.groups if g.get("strategic")]
        others = [g for g in self.groups if not g.get("strategic")]
        strategic_indicators = sum(len(g["indicators"]) for g in strategic)
        band_order = [b["label"] for b in (self.s.get("scale") or {}).get("bands", [])]
        by_rating = counts.get("by_rating") or {}
        ratings = [{"label": k, "count": by_rating[k]} for k in band_order if k in by_rating]
        ratings += [{"label": k, "count": v} for k, v in by_rating.items() if k not in band_order]
        kinds: dict[str, int] = {}
        for group in others:
            kinds[group["kind"]] = kinds.get(group["kind"], 0) + 1
        problems = []
        ordered = list(m.get("weakest") or []) + [
            code for code, f in self.figures.items()
            if code not in (m.get("weakest") or []) and _below(f)
        ]
        for code in ordered:
            figure = self.figures.get(code)
            if figure and (figure.get("narratives") or {}).get("penghambat"):
                problems.append({"code": code, "name": figure["name"],
                                 "text": _first_sentences(figure["narratives"]["penghambat"])})
            if len(problems) >= 4:
                break
        findings = self.s.get("findings") or []
        severe = sorted(findings, key=lambda f: 0 if f.get("severity") == "galat" else 1)
        return {
            "counts": counts,
            "not_measured": counts["indicators"] - counts["measured"],
            "below": counts["measured"] - counts["met"],
            "strategic_groups": strategic,
            "strategic_indicators": strategic_indicators,
            "other_kinds": [{"kind": k.lower(), "count": v} for k, v in kinds.items()],
            "other_indicators": sum(len(g["indicators"]) for g in others),
            "ratings": ratings,
            "best": [self._brief(c) for c in m.get("best") or [] if c in self.figures],
            "weakest": [self._brief(c) for c in m.get("weakest") or [] if c in self.figures],
            "budget": self._budget_brief(),
            "problems": problems,
            "findings": severe[:5],
            "findings_more": max(0, len(findings) - 5),
            "agreement_notice": self.s.get("agreement_notice") or "",
            "rows": [
                {"group": g, "indicators": [self._indicator_row(i) for i in g["indicators"]]} for g in strategic
            ],
        }

    def _brief(self, code: str) -> dict[str, Any]:
        f = self.figures[code]
        return {
            "code": code, "name": f["name"], "show_code": f["show_code"], "achievement": f["achievement"]["value"],
            "rating": f.get("rating"), "target": f.get("target"), "actual": f.get("actual"), "unit": f.get("unit"),
        }

    def _budget_brief(self) -> dict[str, Any]:
        b = self.s.get("budget") or {}
        prev = self.s.get("budget_previous") or {}
        ceiling, original = _dec(b.get("ceiling")), _dec(b.get("ceiling_original"))
        return {
            "empty": b.get("empty", True),
            "ceiling": b.get("ceiling"),
            "ceiling_original": b.get("ceiling_original"),
            "revised": ceiling is not None and original is not None and ceiling != original,
            "spent": b.get("spent"),
            "absorption": (b.get("absorption") or {}).get("value"),
            "absorption_reason": (b.get("absorption") or {}).get("reason"),
            "remaining": str(ceiling - (_dec(b.get("spent")) or 0)) if ceiling is not None else None,
            "previous": None if prev.get("empty", True) else prev,
            "programs": sum(1 for r in b.get("rows", []) if r["kind"] == "program"),
            "activities": sum(1 for r in b.get("rows", []) if r["kind"] == "kegiatan"),
            "subactivities": sum(1 for r in b.get("rows", []) if r["kind"] == "subkegiatan"),
        }

    # -------------------------------------------------------- BAB I

    def _bab1(self, numerals: dict[str, str], follow_up_chapter: bool) -> dict[str, Any]:
        chapter = self.start_chapter("bab1", "I", "Pendahuluan")
        narratives = self.s.get("narratives") or {}
        result: dict[str, Any] = {"chapter": chapter, "sections": {}}
        sec = result["sections"]
        n = 0

        def next_no() -> str:
            nonlocal n
            n += 1
            return f"1.{n}"

        sec["latar"] = self.section(next_no(), "Latar Belakang")
        sec["dasar"] = self.section(next_no(), "Dasar Hukum")
        sec["tugas"] = self.section(next_no(), "Tugas dan Fungsi")
        sec["struktur"] = self.section(next_no(), "Struktur Organisasi")
        sec["sumber_daya"] = self.section(next_no(), "Sumber Daya")
        staff = self.s.get("staff") or {}
        result["staff"] = []
        if self.on("staff"):
            for dimension, rows in staff.items():
                result["staff"].append(self._staff_table(dimension, rows))
        result["staff_narrative"] = prose(narratives.get("sumber_daya"))
        budget = self._budget_brief()
        result["budget"] = budget
        result["budget_table"] = self.table(f"Anggaran {self.s['agency']['name']} Tahun {self.year}"
                                            + (f" dan {budget['previous']['year']}" if budget["previous"] else ""))
        if self.on("strategic_issues"):
            sec["isu"] = self.section(next_no(), "Isu Strategis")
        sec["sistematika"] = self.section(next_no(), "Sistematika Penulisan")
        outline = [
            ("BAB I", "Pendahuluan", "latar belakang, dasar hukum, tugas dan fungsi, struktur organisasi, "
             "sumber daya" + (" serta isu strategis" if self.on("strategic_issues") else "") + "."),
            ("BAB II", "Perencanaan Kinerja", "visi dan misi, Rencana Strategis, Indikator Kinerja Utama dan "
             f"Perjanjian Kinerja Tahun {self.year}."),
            ("BAB III", "Akuntabilitas Kinerja", "metodologi pengukuran, capaian kinerja per tujuan, sasaran dan "
             "indikator beserta analisisnya, serta realisasi anggaran."),
        ]
        if follow_up_chapter:
            outline.append((f"BAB {numerals['rekomendasi']}", "Tindak Lanjut Rekomendasi Hasil Evaluasi",
                            "rekomendasi hasil evaluasi akuntabilitas kinerja dan tindak lanjutnya."))
        outline.append((f"BAB {numerals['penutup']}", "Penutup",
                        "kesimpulan atas capaian kinerja, permasalahan yang dihadapi dan langkah perbaikan ke depan."))
        if self.on("appendix"):
            outline.append(("Lampiran", "", "Perjanjian Kinerja dan Formulir Pengukuran Kinerja."))
        result["outline"] = outline
        return result

    def _staff_table(self, dimension: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
        present = {status for row in rows for status in row["counts"]}
        statuses = [x for x in STATUS_ORDER if x in present] + sorted(present - set(STATUS_ORDER))
        body = []
        totals = dict.fromkeys(statuses, 0)
        for row in rows:
            counts = [row["counts"].get(status) for status in statuses]
            for status, value in zip(statuses, counts, strict=True):
                totals[status] += value or 0
            body.append({"category": row["category"], "counts": counts, "total": sum(c or 0 for c in counts)})
        label = STAFF_DIMENSIONS.get(dimension, dimension.replace("_", " ").title())
        return {
            "dimension": dimension,
            "label": label,
            "table": self.table(f"Jumlah Pegawai Menurut {label}"),
            "statuses": statuses,
            "rows": body,
            "totals": [totals[s] for s in statuses],
            "grand_total": sum(totals.values()),
            "composition": [{"status": s, "count": totals[s]} for s in statuses if totals[s]],
        }

    # -------------------------------------------------------- BAB II

    def _bab2(self) -> dict[str, Any]:
        chapter = self.start_chapter("bab2", "II", "Perencanaan Kinerja")
        plan = self.s.get("plan") or {}
        result: dict[str, Any] = {"chapter": chapter, "sections": {}}
        sec = result["sections"]
        sec["visi"] = self.section("2.1", "Visi dan Misi")
        misi = [n for n in plan.get("nodes", []) if n["kind"] == "misi"]
        supported = {self.nodes[n["parent"]]["code"] for n in plan.get("nodes", [])
                     if n["kind"] == "tujuan" and n.get("parent") in self.nodes}
        result["misi"] = [{**m, "supported": m["code"] in supported} for m in misi]
        result["supported_misi"] = [m for m in misi if m["code"] in supported]
        result["tujuan"] = [
            {**t, "sasaran": [x for x in plan.get("nodes", [])
                              if x["kind"] == "sasaran" and x.get("parent") == t["code"]]}
            for t in plan.get("nodes", []) if t["kind"] == "tujuan"
        ]
        sec["renstra"] = self.section("2.2", "Rencana Strategis")
        result["renstra"] = self._renstra()
        sec["iku"] = self.section("2.3", "Indikator Kinerja Utama")
        iku = [_decorate(i) for i in plan.get("indicators", []) if "IKU" in (i.get("tags") or [])]
        result["iku"] = iku
        result["iku_table"] = self.table("Indikator Kinerja Utama") if iku else None
        sec["pk"] = self.section("2.4", f"Perjanjian Kinerja Tahun {self.year}")
        result["agreements"] = []
        for agreement in self.s.get("agreements") or []:
            result["agreements"].append(self._agreement(agreement, numbered=True))
        result["agreement_notice"] = self.s.get("agreement_notice") or ""
        # Format 3: the printed versions are the approved ones (else the latest, not approved).
        result["approved_labels"] = [a["label"] for a in result["agreements"] if (a["status"] or {}).get("approved")]
        result["approved_phrase"] = _and_list(result["approved_labels"])
        return result

    def _owner_label(self, code: str, kind: str = "") -> str:
        if code in self.nodes:
            return self.nodes[code]["text"]
        if code in self.budget_rows:
            return self.budget_rows[code]["name"]
        return code

    def _renstra(self) -> dict[str, Any] | None:
        plan = self.s.get("plan") or {}
        indicators = [
            i for i in plan.get("indicators", [])
            if i.get("renstra_targets") or i.get("renstra_targets_revised") or i.get("end_target")
        ]
        if not indicators:
            return None
        years = sorted({int(y) for i in indicators for y in
                        list(i.get("renstra_targets", {})) + list(i.get("renstra_targets_revised", {}))})
        groups: list[dict[str, Any]] = []
        for indicator in indicators:
            owner = indicator.get("owner_code") or ""
            if not groups or groups[-1]["code"] != owner:
                groups.append({"code": owner, "kind": (indicator.get("owner_kind") or "").replace("subkegiatan",
                               "sub kegiatan").capitalize(), "label": self._owner_label(owner), "rows": []})
            murni = indicator.get("renstra_targets") or {}
            revised = indicator.get("renstra_targets_revised") or {}
            groups[-1]["rows"].append({
                "indicator": _decorate(indicator),
                "targets": [murni.get(str(y)) for y in years],
                "revised": [revised.get(str(y)) for y in years] if revised else None,
            })
        for group in groups:
            group["span"] = sum(2 if r["revised"] else 1 for r in group["rows"])
        has_revised = any(r["revised"] for g in groups for r in g["rows"])
        return {
            "years": years,
            "groups": groups,
            "has_revised": has_revised,
            "wide": len(years) > 5,
            "table": self.table("Tujuan, Sasaran, Indikator dan Target Renstra"
                                + (f" {plan['start']}{DASH}{plan['end']}" if plan.get("start") else "")),
        }

    def _agreement(self, agreement: dict[str, Any], *, numbered: bool) -> dict[str, Any]:
        """One PK version as BAB II and the lampiran print it. Since snapshot format 3 an
        agreement is the version's own contents (performance.agreements.contents: rows of
        sasaran and program indicators, its program budget, signatories, approval); an older
        stored snapshot has rows only and takes the program budget from the budget records."""
        if "programs" not in agreement:
            return self._agreement_format2(agreement, numbered=numbered)
        number = agreement.get("number") or 0
        label = agreement.get("label") or "PK"
        title_doc = "Perjanjian Kinerja" + (
            " Murni" if number == 0 else " Perubahan" if number == 1 else f" Perubahan ke-{number}"
        )
        rows = agreement.get("rows") or []
        has_quarters = any(any(q is not None for q in row.get("quarters") or []) for row in rows)
        sections: list[dict[str, Any]] = []
        counter = 0
        strategic_title = ("Tujuan/sasaran strategis" if any(r.get("owner_kind") == "tujuan" for r in rows)
                           else "Sasaran strategis")
        for level, section_title in (("strategic", strategic_title), ("program", "Indikator kinerja program")):
            groups: list[dict[str, Any]] = []
            for row in rows:
                if (row.get("level") or "strategic") != level:
                    continue
                if not groups or groups[-1]["code"] != row["owner_code"]:
                    counter += 1
                    groups.append({"no": counter, "code": row["owner_code"], "label": row["owner_text"], "rows": []})
                groups[-1]["rows"].append({**row, "note": _renstra_note(row)})
            if groups:
                sections.append({"title": section_title, "groups": groups})
        has_notes = any(r["note"] for section in sections for g in section["groups"] for r in g["rows"])
        programs = [{**p, "note": _pagu_note(p)} for p in agreement.get("programs") or []]
        columns = 5 + (4 if has_quarters else 0) + (1 if has_notes else 0)
        return {
            "agreement": agreement,
            "title": f"{title_doc} Tahun {self.year}",
            "label": label,
            "status": self._agreement_status(agreement),
            "amendment": self._amendment(agreement) if number else None,
            "sections": sections,
            "show_sections": len(sections) > 1,
            "has_quarters": has_quarters,
            "has_notes": has_notes,
            "columns": columns,
            "programs": programs,
            "has_program_notes": any(p["note"] for p in programs),
            "total": agreement.get("total") or str(sum((_dec(p["amount"]) or 0 for p in programs), Decimal(0))),
            "parties": self._parties(agreement),
            "table": self.table(f"{title_doc} Tahun {self.year}: Sasaran, Indikator dan Target") if numbered else None,
            "budget_table": self.table(f"Program dan Anggaran dalam {title_doc} Tahun {self.year}")
            if numbered and programs else None,
            "draft": False,
        }

    @staticmethod
    def _agreement_status(agreement: dict[str, Any]) -> dict[str, Any]:
        """"Disetujui 3 Februari 2025 oleh …", or the version's state when it is not approved."""
        if agreement.get("approved"):
            text = "Disetujui"
            if agreement.get("approved_on"):
                text += f" {tanggal(agreement['approved_on'])}"
            if agreement.get("approved_by"):
                text += f" oleh {agreement['approved_by']}"
            return {"approved": True, "text": text, "sha256": agreement.get("frozen_sha256") or ""}
        return {"approved": False, "text": agreement.get("status_label") or "Draf", "sha256": ""}

    @staticmethod
    def _amendment(agreement: dict[str, Any]) -> dict[str, str]:
        cause = (agreement.get("cause_label") or "").strip()
        note = (agreement.get("cause_note") or "").strip().rstrip(".")
        return {"cause": cause, "note": note, "effective_from": tanggal(agreement.get("effective_from"))}

    def _parties(self, agreement: dict[str, Any]) -> dict[str, Any]:
        """The signatories of the version as recorded; the year's profile and the Pemda's head
        where the version does not name them yet (a draft)."""
        signature = self._signature()
        agency = self.s["agency"]
        first = agreement.get("first") or {}
        second = agreement.get("second") or {}
        decree = ""
        if first.get("decree_number"):
            decree = first["decree_number"] + (f" tanggal {tanggal(first['decree_date'])}"
                                               if first.get("decree_date") else "")
        return {
            "first_name": first.get("name") or signature["name"],
            "first_position": signed_position(first) if first.get("position") else signature["title"],
            "first_nip": first.get("nip") if first.get("name") else signature["nip"],
            "first_decree": decree,
            "second_name": second.get("name") or agency.get("government_head_name") or "",
            "second_position": signed_position(second) if second.get("position")
            else (agency.get("government_head_title") or "Kepala Daerah"),
            "place": agreement.get("signed_place") or signature["place"],
            "date": tanggal(agreement.get("signed_on")),
            "placeholder_year": self.year,
        }

    def _agreement_format2(self, agreement: dict[str, Any], *, numbered: bool) -> dict[str, Any]:
        """A PK of a snapshot before format 3, printed as it was: the rows, and the program
        budget from the budget records (pagu murni, or after perubahan for the PK Perubahan)."""
        groups: list[dict[str, Any]] = []
        for row in agreement.get("rows", []):
            if not groups or groups[-1]["code"] != row["owner_code"]:
                groups.append({"no": len(groups) + 1, "code": row["owner_code"], "label": row["owner_text"],
                               "rows": []})
            groups[-1]["rows"].append(row)
        has_quarters = any(any(q is not None for q in row.get("quarters") or []) for row in agreement.get("rows", []))
        revised = agreement.get("version") == "perubahan"
        programs = []
        for row in (self.s.get("budget") or {}).get("rows", []):
            if row["kind"] == "program":
                amount = row["ceiling"] if revised else row["ceiling_original"]
                programs.append({"code": row["code"], "name": row["name"], "amount": amount,
                                 "funding": ", ".join(row.get("funding") or [])})
        total = sum((_dec(p["amount"]) or Decimal(0) for p in programs), Decimal(0))
        label = agreement.get("label") or "PK"
        title_doc = "Perjanjian Kinerja Perubahan" if revised else "Perjanjian Kinerja"
        signature = self._signature()
        agency = self.s["agency"]
        return {
            "agreement": agreement,
            "format2": True,
            "title": f"{title_doc} Tahun {self.year}",
            "label": label,
            "status": None,
            "amendment": None,
            "sections": [{"title": "", "groups": groups}],
            "show_sections": False,
            "has_quarters": has_quarters,
            "has_notes": False,
            "columns": 5 + (4 if has_quarters else 0),
            "programs": programs,
            "total": str(total),
            "parties": {
                "first_name": signature["name"], "first_position": signature["title"], "first_nip": signature["nip"],
                "first_decree": "", "second_name": agency.get("government_head_name") or "",
                "second_position": agency.get("government_head_title") or "Kepala Daerah",
                "place": signature["place"], "date": signature["date"],
                "placeholder_year": signature["placeholder_year"],
            },
            "table": self.table(f"{title_doc} Tahun {self.year}: Sasaran, Indikator dan Target") if numbered else None,
            "budget_table": self.table(f"Program dan Anggaran dalam {title_doc} Tahun {self.year}")
            if numbered and programs else None,
            "draft": agreement.get("status") == "draft",
        }

    # -------------------------------------------------------- BAB III

    def _bab3(self, follow_up_section: bool) -> dict[str, Any]:
        chapter = self.start_chapter("bab3", "III", "Akuntabilitas Kinerja")
        s = self.s
        scale = s.get("scale") or {}
        result: dict[str, Any] = {"chapter": chapter, "sections": {}}
        sec = result["sections"]
        sec["a"] = self.section("A.", "Capaian Kinerja Organisasi")
        sec["metodologi"] = self.section("1.", "Metodologi Pengukuran Kinerja", level=3)
        aggregations = sorted({f["aggregation"] for f in self.figures.values()})
        result["aggregations"] = [{"name": a, "text": AGGREGATION_TEXT.get(a, a)} for a in aggregations]
        result["method_text"] = METHOD_TEXT.get(scale.get("objective_method") or "rata-rata",
                                                scale.get("objective_method") or "rata-rata")
        result["cap"] = scale.get("objective_cap")
        scale_title = "Skala Predikat Capaian Kinerja" + (f": {scale['name']}" if scale.get("name") else "")
        result["scale_table"] = self.table(scale_title) if scale.get("bands") else None
        result["polarities"] = sorted({f["polarity"] for f in self.figures.values()})

        sec["pengukuran"] = self.section("2.", "Pengukuran Kinerja", level=3)
        result["measurement"] = self._measurement_table()
        strategic = [g for g in self.groups if g.get("strategic")]
        others = [g for g in self.groups if not g.get("strategic")]
        n = 2
        result["strategic"] = []
        if strategic:
            n += 1
            sec["analisis_sasaran"] = self.section(f"{n}.", "Analisis Capaian Tujuan dan Sasaran Strategis", level=3)
            for group in strategic:
                entry = self.section(f"{n}.{len(result['strategic']) + 1}", f"{group['kind']} {group['label']}",
                                     level=4)
                result["strategic"].append(self._group_analysis(group, entry))
        result["others"] = []
        if others:
            n += 1
            sec["analisis_program"] = self.section(f"{n}.", "Analisis Capaian Program, Kegiatan dan Sub Kegiatan",
                                                   level=3)
            for group in others:
                result["others"].append(self._group_analysis(group, None))
        if self.on("efficiency"):
            n += 1
            sec["efisiensi"] = self.section(f"{n}.", "Analisis Efisiensi Penggunaan Sumber Daya", level=3)
            rows = s.get("efficiency") or []
            result["efficiency"] = {
                "rows": rows,
                "table": self.table("Capaian Kinerja Dibandingkan dengan Serapan Anggaran") if rows else None,
                "narrative": prose((s.get("narratives") or {}).get("efisiensi")),
            }
        n += 1
        sec["program_pendukung"] = self.section(f"{n}.", "Program Pendukung Pencapaian Sasaran", level=3)
        result["support"] = self._supporting_programs()

        sec["b"] = self.section("B.", "Realisasi Anggaran")
        result["budget"] = self._budget_table()
        letter = "B"
        narratives = s.get("narratives") or {}
        result["innovation"] = None
        if self.on("innovation") and (narratives.get("inovasi") or narratives.get("penghargaan")):
            letter = chr(ord(letter) + 1)
            sec["inovasi"] = self.section(f"{letter}.", "Inovasi dan Penghargaan")
            result["innovation"] = {"inovasi": prose(narratives.get("inovasi")),
                                    "penghargaan": prose(narratives.get("penghargaan"))}
        result["follow_up"] = None
        if follow_up_section:
            letter = chr(ord(letter) + 1)
            sec["tindak_lanjut"] = self.section(f"{letter}.", "Tindak Lanjut Rekomendasi Hasil Evaluasi")
            result["follow_up"] = self._recommendations()
        return result

    def _indicator_row(self, f: dict[str, Any]) -> dict[str, Any]:
        achievement = f.get("achievement") or {}
        return {
            "f": f,
            "available": achievement.get("value") is not None,
            "achievement": achievement.get("value"),
            "reason": f.get("not_available_reason") or achievement.get("reason") or "",
        }

    def _measurement_table(self) -> dict[str, Any]:
        show_quarters = any(any(q is not None for q in f.get("quarters") or []) for f in self.figures.values())
        notes: list[dict[str, str]] = []
        groups = []
        for group in self.groups:
            rows = []
            for f in group["indicators"]:
                row = self._indicator_row(f)
                row["mark"] = ""
                if not row["available"]:
                    row["mark"] = NOTE_MARKS[len(notes) % len(NOTE_MARKS)]
                    notes.append({"mark": row["mark"], "code": f["code"], "text": row["reason"]})
                rows.append(row)
            groups.append({"group": group, "rows": rows, "count": len(rows)})
        counter = 0
        for group in groups:
            for row in group["rows"]:
                counter += 1
                row["no"] = counter
        return {
            "groups": groups,
            "show_quarters": show_quarters,
            "show_rating": bool((self.s.get("scale") or {}).get("bands")),
            "notes": notes,
            "provisional": any(f.get("provisional") for f in self.figures.values()),
            "incomplete": any(f.get("actual") is not None and not f.get("actual_complete")
                              for f in self.figures.values()),
            "table": self.table(f"Pengukuran Kinerja Tahun {self.year}"),
        }

    def _group_analysis(self, group: dict[str, Any], entry: dict[str, Any] | None) -> dict[str, Any]:
        achievement = group.get("achievement") or {}
        indicators = [self._indicator_analysis(f, group) for f in group["indicators"]]
        return {
            "group": group,
            "entry": entry,
            "achievement": achievement.get("value"),
            "reason": achievement.get("reason"),
            "measured": sum(1 for f in group["indicators"] if (f.get("achievement") or {}).get("value") is not None),
            "indicators": indicators,
        }

    def _indicator_analysis(self, f: dict[str, Any], group: dict[str, Any]) -> dict[str, Any]:
        year = self.year
        plan_indicator = self.plan_indicators.get(f["code"]) or {}
        renstra = {**(plan_indicator.get("renstra_targets") or {}),
                   **(plan_indicator.get("renstra_targets_revised") or {})}
        achievement = f.get("achievement") or {}
        available = achievement.get("value") is not None
        target, actual = _dec(f.get("target")), _dec(f.get("actual"))
        formula = None
        if available and target is not None and actual is not None:
            if f["polarity"] == "negatif":
                formula = (f"(2 {TIMES} {num(target)} {MINUS} {num(actual)}) {DIVIDED} {num(target)} {TIMES} 100"
                           f" = {pct(achievement['value'])} %")
            else:
                formula = f"{num(actual)} {DIVIDED} {num(target)} {TIMES} 100 = {pct(achievement['value'])} %"
        history = list(f.get("history") or [])
        if not any(h.get("value") is not None for h in history):
            history = []  # years on record without a value are no comparison
        history_rows = [
            # The target that counted that year (PK, else Renstra, …), else the Renstra's plan figure.
            {"year": h["year"], "target": h.get("target") or renstra.get(str(h["year"])),
             "target_doc": h.get("target_document") or ("Renstra" if renstra.get(str(h["year"])) else ""),
             "actual": h["value"], "current": False}
            for h in history
        ]
        history_rows.append({"year": year, "target": f.get("target"), "target_doc": f.get("target_document") or "",
                             "actual": f.get("actual"), "current": True})
        previous = next((h for h in reversed(history) if h.get("value") is not None), None)
        trend = None
        if previous is not None and actual is not None:
            diff = actual - Decimal(previous["value"])
            direction = "naik" if diff > 0 else "turun" if diff < 0 else "tetap"
            if diff == 0:
                better = None
            else:
                better = (diff > 0) == (f["polarity"] != "negatif")
            trend = {"year": previous["year"], "value": previous["value"], "diff": str(abs(diff)),
                     "direction": direction, "better": better}
        chart = None
        table = None
        if history:
            table = self.table(f"Realisasi {f['name']} Tahun {history[0]['year']}{DASH}{year}")
            svg = charts.indicator_chart(
                years=[r["year"] for r in history_rows],
                actuals=[r["actual"] for r in history_rows],
                target=f.get("target"),
                target_label=f"Target {f.get('target_document') or ''} {year}".replace("  ", " "),
                past_targets=[r["target"] for r in history_rows],
                end_target=f.get("end_target"),
                unit=f.get("unit") or "",
                prefix=f"g{len(self.charts) + 1}",
            )
            chart = self.chart(f"Realisasi {f['name']} Tahun {history[0]['year']}{DASH}{year}", svg)
        narratives = f.get("narratives") or {}
        present = [{"key": k, "label": label, "html": prose(narratives[k])}
                   for k, label in NARRATIVE_LABELS.items() if (narratives.get(k) or "").strip()]
        missing = [label.lower() for k, label in NARRATIVE_LABELS.items() if not (narratives.get(k) or "").strip()]
        benchmarks = f.get("benchmarks") or []
        return {
            "f": f,
            "available": available,
            "achievement": achievement.get("value"),
            "reason": f.get("not_available_reason") or achievement.get("reason") or "",
            "formula": formula,
            "quarters": [{"label": QUARTERS[i], "value": v, "target": (f.get("target_quarters") or [None] * 4)[i]}
                         for i, v in enumerate(f.get("quarters") or [None] * 4)],
            "has_quarters": any(v is not None for v in f.get("quarters") or []),
            "aggregation": AGGREGATION_SHORT.get(f.get("aggregation"), f.get("aggregation")),
            "other_targets": f.get("other_targets") or [],
            "history_rows": history_rows,
            "history_table": table,
            "chart": chart,
            "trend": trend,
            "end_target": f.get("end_target"),
            "end_achievement": (f.get("end_achievement") or {}).get("value"),
            "end_reason": (f.get("end_achievement") or {}).get("reason") or "",
            "plan_end": (self.s.get("plan") or {}).get("end"),
            "benchmarks": benchmarks,
            "narratives": present,
            "missing_narratives": missing,
            "met": bool(f.get("met")),
        }

    def _supporting_programs(self) -> dict[str, Any]:
        rows = [r for r in (self.s.get("budget") or {}).get("rows", []) if r["kind"] == "program"]
        group_by_code = {g["code"]: g for g in self.groups}
        strategic = [g for g in self.groups if g.get("strategic")]
        linked: list[dict[str, Any]] = []
        used: set[str] = set()
        for group in strategic:
            programs = [r for r in rows if r.get("objective") == group["code"]]
            if not programs:
                continue
            used |= {p["code"] for p in programs}
            linked.append({"group": group, "programs": [self._program_line(p, group_by_code) for p in programs]})
        unlinked = [self._program_line(r, group_by_code) for r in rows if r["code"] not in used]
        if unlinked:
            linked.append({"group": None, "programs": unlinked})
        title = "Program Pendukung Sasaran, Anggaran dan Capaian Indikator Program"
        return {"blocks": linked, "table": self.table(title) if rows else None}

    @staticmethod
    def _program_line(row: dict[str, Any], groups: dict[str, dict[str, Any]]) -> dict[str, Any]:
        group = groups.get(row["code"])
        return {
            "row": row,
            "indicators": group["indicators"] if group else [],
            "achievement": (group.get("achievement") or {}).get("value") if group else None,
        }

    def _budget_table(self) -> dict[str, Any]:
        b = self.s.get("budget") or {}
        rows = b.get("rows", [])
        programs = [r for r in rows if r["kind"] == "program"]
        chart = None
        if programs and not b.get("empty"):
            chart = self.chart(f"Pagu dan Realisasi Anggaran per Program Tahun {self.year}",
                               charts.budget_chart(programs=programs, prefix=f"g{len(self.charts) + 1}"))
        quarters = b.get("spent_quarters") or []
        nonzero_quarters = sum(1 for q in quarters if q and Decimal(q) != 0)
        return {
            "rows": rows,
            "show_revised": any(r.get("revised") for r in rows),
            "brief": self._budget_brief(),
            "table": self.table(f"Realisasi Anggaran per Program, Kegiatan dan Sub Kegiatan Tahun {self.year}")
            if rows else None,
            "chart": chart,
            "quarters": [{"label": QUARTERS[i], "value": q} for i, q in enumerate(quarters)]
            if nonzero_quarters > 1 else None,
            "kinds": BUDGET_KIND,
            "over": [r for r in rows if r.get("over_ceiling")],
        }

    def _evaluation(self) -> dict[str, Any] | None:
        """The LHE AKIP of the LKjIP of year - 1 (components, weights, values, the computed total
        and predikat) and the trend over the earlier years the snapshot holds."""
        evaluations = self.s.get("evaluations") or []
        if not evaluations:
            return None
        latest = next((e for e in evaluations if e["evaluated_year"] == self.year - 1), None)
        result: dict[str, Any] = {"latest": None, "trend": None}
        if latest is not None:
            result["latest"] = {
                "e": latest,
                "table": self.table(f"Hasil Evaluasi AKIP Tahun {latest['follow_up_year']} atas LKjIP Tahun "
                                    f"{latest['evaluated_year']}") if latest["components"] else None,
            }
        if len(evaluations) > 1:
            result["trend"] = {
                "rows": sorted(evaluations, key=lambda e: e["evaluated_year"]),
                "table": self.table("Perkembangan Hasil Evaluasi AKIP"),
            }
        return result

    def _recommendations(self) -> dict[str, Any]:
        evaluation = self._evaluation()  # its tables come first
        recs = self.s.get("recommendations") or []
        years = sorted({r["year"] for r in recs}, reverse=True)
        blocks = []
        for year in years:
            items = [r for r in recs if r["year"] == year]
            blocks.append({
                "year": year,
                "items": items,
                "has_component": any(r.get("component") for r in items),
                "table": self.table(f"Rekomendasi Hasil Evaluasi Tahun {year} dan Tindak Lanjutnya"),
            })
        return {"blocks": blocks, "count": len(recs), "evaluation": evaluation}

    def _follow_up_chapter(self, numeral: str) -> dict[str, Any]:
        chapter = self.start_chapter("rekomendasi", numeral, "Tindak Lanjut Rekomendasi Hasil Evaluasi")
        return {"chapter": chapter, "follow_up": self._recommendations()}

    # -------------------------------------------------------- penutup and lampiran

    def _penutup(self, numeral: str) -> dict[str, Any]:
        chapter = self.start_chapter("penutup", numeral, "Penutup")
        narratives = self.s.get("narratives") or {}
        result: dict[str, Any] = {"chapter": chapter, "sections": {}}
        sec = result["sections"]
        n = _arabic(numeral)
        sec["kesimpulan"] = self.section(f"{n}.1", "Kesimpulan")
        sec["permasalahan"] = self.section(f"{n}.2", "Permasalahan dan Kendala")
        sec["saran"] = self.section(f"{n}.3", "Saran dan Langkah Perbaikan")
        strategic = [g for g in self.groups if g.get("strategic")]
        result["strategic"] = strategic
        result["counts"] = (self.s.get("measurement") or {}).get("counts") or {}
        result["budget"] = self._budget_brief()
        result["kesimpulan"] = prose(narratives.get("kesimpulan"))
        result["saran"] = prose(narratives.get("saran"))
        result["hambatan"] = [
            {"code": f["code"], "name": f["name"], "html": prose(f["narratives"]["penghambat"])}
            for f in self.figures.values() if (f.get("narratives") or {}).get("penghambat")
        ]
        result["upaya"] = [
            {"code": f["code"], "name": f["name"], "html": prose(f["narratives"]["upaya"])}
            for f in self.figures.values() if (f.get("narratives") or {}).get("upaya")
        ]
        result["findings"] = self.s.get("findings") or []
        result["below"] = [self._brief(code) for code, f in self.figures.items() if _below(f)]
        result["not_measured"] = result["counts"].get("indicators", 0) - result["counts"].get("measured", 0)
        return result

    def _reviu(self, review: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
        """The Pernyataan Telah Direviu of the latest reviu: the standard wording, the matters left
        open, the reviewed version and whether the data changed since, the Inspektur's block."""
        agency = self.s["agency"].get("name", "")
        return {
            "title": reviu_wording.TITLE,
            "assurance": reviu_wording.assurance(title=titles["long"], agency=agency, year=self.year,
                                                 qualified=bool(review.get("qualified"))),
            "matters_lead": reviu_wording.MATTERS_LEAD,
            "matters": list(review.get("open_matters") or []),
            "additional": prose(review.get("additional")),
            "version": reviu_wording.version_sentence(number=review["reviewed_number"], code=review["reviewed_code"],
                                                      data_sha256=review["reviewed_data_sha256"]),
            "change": reviu_wording.change_sentence(data_changed=bool(review.get("data_changed")),
                                                    number=review["reviewed_number"]),
            "place": review.get("place") or "",
            "date": tanggal(review.get("date")),
            "position": review.get("signer_position") or "",
            "name": review.get("signer_name") or "",
            "nip": review.get("signer_nip") or "",
        }

    def _lampiran(self) -> dict[str, Any]:
        agreements = []
        for agreement in self.s.get("agreements") or []:
            item = self._agreement(agreement, numbered=False)
            item["entry"] = {"level": 2, "id": f"lampiran-{len(agreements) + 1}",
                             "label": f"Lampiran {len(agreements) + 1}", "title": item["title"]}
            self.toc.append(item["entry"])
            agreements.append(item)
        form_entry = {"level": 2, "id": "lampiran-formulir", "label": f"Lampiran {len(agreements) + 1}",
                      "title": f"Formulir Pengukuran Kinerja Tahun {self.year}"}
        self.toc.append(form_entry)
        strategic = [g for g in self.groups if g.get("strategic")] or self.groups
        form_rows = []
        for group in strategic:
            form_rows.append({"group": group, "rows": [self._indicator_row(f) for f in group["indicators"]]})
        programs = [r for r in (self.s.get("budget") or {}).get("rows", []) if r["kind"] == "program"]
        return {
            "agreements": agreements,
            "form_entry": form_entry,
            "form": form_rows,
            "programs": programs,
            "budget": self._budget_brief(),
        }


def _decorate(figure: dict[str, Any]) -> dict[str, Any]:
    """An indicator with `show_code` (False when the name already ends with its code, e.g.
    "Indeks Kepuasan Masyarakat (IKM)") and `diff_unit` (percentage points for % units)."""
    unit = (figure.get("unit") or "").strip()
    return {
        **figure,
        "show_code": f"({figure['code']})".lower() not in (figure.get("name") or "").lower(),
        "diff_unit": "poin persen" if unit.lower() in ("%", "persen") else unit,
    }


def _and_list(items: list[str]) -> str:
    """"a, b dan c"."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" dan {items[-1]}"


def _differs(a: Any, b: Any) -> bool:
    return a is not None and b is not None and _dec(a) != _dec(b)


def _renstra_note(row: dict[str, Any]) -> str:
    """Beside a PK target that differs from the Renstra's: that target and the recorded reason."""
    if not _differs(row.get("renstra"), row.get("target")):
        return ""
    reason = (row.get("reason") or "").strip()
    return f"Target Renstra {num(row['renstra'])}; " + (f"alasan: {reason}" if reason else "alasan belum dicatat")


def _pagu_note(program: dict[str, Any]) -> str:
    """Beside a PK budget that differs from the pagu of the budget records: that pagu and the reason."""
    pagu = program.get("pagu")
    if pagu is not None and not _differs(pagu, program.get("amount")):
        return ""
    reason = (program.get("reason") or "").strip()
    where = f"Pagu pada data anggaran {format_rupiah(_dec(pagu))}" if pagu is not None else \
        "Tidak ada pagu pada data anggaran"
    return f"{where}; " + (f"alasan: {reason}" if reason else "alasan belum dicatat")


def _below(f: dict[str, Any]) -> bool:
    """Measured and below target as printed (the snapshot's `met` uses the 2-decimal value)."""
    return (f.get("achievement") or {}).get("value") is not None and not f.get("met")


def _arabic(numeral: str) -> int:
    return NUMERALS.index(numeral) + 1 if numeral in NUMERALS else 0
