"""Validate a workbook completely, before anything is written.

The parser turns raw cells into typed rows and collects *every* problem (sheet, row,
column, value found, what was expected) instead of stopping at the first, so an agency
fixes its file in one pass. It never touches the database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from openpyxl.utils import get_column_letter

from lkjip.numbers import NotationError, decimal_from_cell, format_id
from performance.calculations import Band, validate_bands

from . import schema
from .issues import Issue, shown
from .reader import RawSheet

Row = dict[str, Any]

NUMBER_HINT = "angka dalam notasi Indonesia, mis. 7,33 atau 1.234.567"
FORMULA = "rumus tidak diterima; tempel sebagai nilai"
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
PERIOD_RE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")
BUDGET_CODE_RE = {
    "program": re.compile(r"^\d{1,2}\.\d{2}\.\d{2}$"),
    "kegiatan": re.compile(r"^\d{1,2}\.\d{2}\.\d{2}\.\d\.\d{2}$"),
    "subkegiatan": re.compile(r"^\d{1,2}\.\d{2}\.\d{2}\.\d\.\d{2}\.\d{4}$"),
}
BUDGET_CODE_EXAMPLE = {"program": "2.07.03", "kegiatan": "2.07.03.2.01", "subkegiatan": "2.07.03.2.01.0001"}
BUDGET_PARENT_KIND = {"kegiatan": "program", "subkegiatan": "kegiatan"}
MONEY_COLUMNS = ("pagu_murni", "pagu_perubahan", "realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4")
TAGS = ("IKU", "IKD", "IKK", "PK")
MONTHS = {
    name: index
    for index, name in enumerate(
        ["januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober",
         "november", "desember"],
        start=1,
    )
}
MAX_INT = 2_147_483_647  # the largest value an integer column (e.g. jumlah pegawai) holds in every database
MAX_SCALE_BOUND = Decimal(10) ** 5  # RatingBand.lower/upper: 9 digits, 4 of them decimals
YES = {"ya", "y", "true", "1", "benar"}
NO = {"tidak", "t", "false", "0", "salah", "bukan"}


@dataclass
class WorkbookData:
    """A fully validated workbook: plain Python values, ready to be written."""

    instansi: Row = field(default_factory=dict)
    renstra: list[Row] = field(default_factory=list)
    indikator: list[Row] = field(default_factory=list)
    target: list[Row] = field(default_factory=list)
    realisasi: list[Row] = field(default_factory=list)
    anggaran: list[Row] = field(default_factory=list)
    skala: list[Row] = field(default_factory=list)
    pembanding: list[Row] = field(default_factory=list)
    narasi: list[Row] = field(default_factory=list)
    pegawai: list[Row] = field(default_factory=list)
    rekomendasi: list[Row] = field(default_factory=list)
    pk: list[Row] = field(default_factory=list)
    pk_anggaran: list[Row] = field(default_factory=list)
    pk_alasan: list[Row] = field(default_factory=list)
    belanja: list[Row] = field(default_factory=list)
    statistik: list[Row] = field(default_factory=list)
    statistik_isi: list[Row] = field(default_factory=list)
    has_skala: bool = False
    has_statistik: bool = False

    @property
    def year(self) -> int:
        return self.instansi["tahun_laporan"]

    @property
    def period(self) -> tuple[int, int]:
        return self.instansi["periode_renstra"]


@dataclass
class ParseResult:
    data: WorkbookData
    errors: list[Issue]  # the first schema.MAX_REPORTED_ERRORS, in the order found
    warnings: list[Issue]
    error_total: int  # every error, including those not kept in `errors`


class _Context:
    def __init__(self) -> None:
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.error_total = 0
        self.warning_total = 0
        self._cells: dict[tuple[str, str], set[int]] = {}  # (sheet, column) → rows with an error

    def error(self, sheet: str, row: int | None, column: str, value: object, expected: str) -> None:
        # One error per cell: a cell that failed to convert is None afterwards, and a later rule
        # must not report it again as "kosong" (the user sees the value they typed, not blank).
        if row is not None:
            rows = self._cells.setdefault((sheet, column), set())
            if row in rows:
                return
            rows.add(row)
        self.error_total += 1
        if len(self.errors) < schema.MAX_REPORTED_ERRORS:
            self.errors.append(Issue(sheet, row, column, shown(value), expected))

    def warn(self, sheet: str, row: int | None, column: str, value: object, expected: str) -> None:
        self.warning_total += 1
        if len(self.warnings) < schema.MAX_REPORTED_ERRORS:
            self.warnings.append(Issue(sheet, row, column, shown(value), expected))

    def result(self, data: WorkbookData) -> ParseResult:
        warnings = list(self.warnings)
        if self.warning_total > len(warnings):
            # ImportReport has no count of warnings: the last line says how many are not listed.
            left_out = format_id(self.warning_total - len(warnings))
            warnings.append(Issue("", None, "", "", f"{left_out} peringatan lain tidak ditampilkan "
                                  f"(hanya {format_id(len(warnings))} peringatan pertama)"))
        return ParseResult(data, self.errors, warnings, self.error_total)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(column: schema.Column, value: object) -> tuple[Any, str | None]:
    """(python value, None) or (None, what was expected). Blank cells become None."""
    if _blank(value):
        return None, None
    kind = column.kind
    if kind in (schema.Kind.DECIMAL, schema.Kind.MONEY):
        try:
            number = decimal_from_cell(value)
        except NotationError:
            return None, NUMBER_HINT
        if abs(number) >= Decimal(10) ** 16:
            # Checked before quantize(): a 30-digit number would overflow the Decimal context there.
            return None, (
                "jumlah rupiah paling banyak 16 digit" if kind is schema.Kind.MONEY
                else "angka dengan paling banyak 16 digit bulat dan 4 desimal"
            )
        if kind is schema.Kind.MONEY:
            if number < 0:
                return None, "jumlah rupiah tidak negatif"
            if number != number.quantize(Decimal("0.01")):
                return None, "jumlah rupiah dengan paling banyak 2 angka desimal"
            if number >= Decimal(10) ** 16:  # BudgetLine money: 18 digits, 2 of them decimals
                return None, "jumlah rupiah paling banyak 16 digit"
        elif abs(number) >= Decimal(10) ** 16 or number != number.quantize(Decimal("0.0001")):
            return None, "angka dengan paling banyak 16 digit bulat dan 4 desimal"
        return number, None
    if kind in (schema.Kind.INT, schema.Kind.YEAR):
        number_value: Decimal | None
        try:
            number_value = decimal_from_cell(value)
        except NotationError:
            number_value = None
        if number_value is None or number_value != number_value.to_integral_value():
            return None, "bilangan bulat" if kind is schema.Kind.INT else "tahun empat angka, mis. 2025"
        integer = int(number_value)
        if kind is schema.Kind.YEAR and not 2000 <= integer <= 2100:
            return None, "tahun antara 2000 dan 2100"
        if kind is schema.Kind.INT and integer < 0:
            return None, "bilangan bulat tidak negatif"
        if kind is schema.Kind.INT and integer > MAX_INT:
            return None, f"bilangan bulat paling besar {MAX_INT}"
        if column.choices and str(integer) not in column.choices:
            return None, f"salah satu dari {', '.join(column.choices)}"
        return integer, None
    if kind is schema.Kind.CELL:
        if isinstance(value, str) and len(value) > schema.MAX_CELL_CHARS:
            return None, f"teks paling panjang {schema.MAX_CELL_CHARS} karakter"
        return value, None
    if kind is schema.Kind.DATE:
        return _date(value)
    if kind is schema.Kind.BOOL:
        text = str(value).strip().lower()
        if text in YES:
            return True, None
        if text in NO:
            return False, None
        return None, "ya atau tidak"
    text = str(value).strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))  # a code typed as a number, e.g. 17
    if len(text) > schema.MAX_CELL_CHARS:
        return None, f"teks paling panjang {schema.MAX_CELL_CHARS} karakter"
    if column.max_length and len(text) > column.max_length:
        return None, f"teks paling panjang {column.max_length} karakter"
    if column.choices:
        lowered = {choice.lower(): choice for choice in column.choices}
        if text.lower() not in lowered:
            return None, f"salah satu dari: {', '.join(column.choices)}"
        return lowered[text.lower()], None
    return text, None


def _date(value: object) -> tuple[dt.date | None, str | None]:
    expected = "tanggal, mis. 2026-01-31 atau 31 Januari 2026"
    if isinstance(value, dt.datetime):
        return value.date(), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text), None
    except ValueError:
        pass
    match = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if match and match.group(2).lower() in MONTHS:
        try:
            return dt.date(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1))), None
        except ValueError:
            return None, expected
    return None, expected


def _rows(ctx: _Context, sheet: schema.Sheet, raw: RawSheet) -> list[Row]:
    """Convert every cell of a table sheet; rows carry their Excel row number as `_row`."""
    known = {column.name for column in sheet.columns}
    ignored = dict(sheet.ignored)
    for header in raw.header_cells:
        if header and header not in known:
            ctx.warn(sheet.name, 1, header, header, ignored.get(header, "kolom tidak dikenal; diabaikan"))
    for column in sheet.columns:
        if column.required and column.name not in raw.headers:
            ctx.error(sheet.name, 1, column.name, "", "kolom wajib ada di baris judul")
    if any(column.required and column.name not in raw.headers for column in sheet.columns):
        return []
    rows = []
    for number, values in raw.rows:
        row: Row = {"_row": number}
        for column in sheet.columns:
            cell = raw.get(values, column.name)
            converted, problem = convert(column, cell)
            if problem:
                ctx.error(sheet.name, number, column.name, cell, problem)
            elif converted is None and column.required:
                ctx.error(sheet.name, number, column.name, "", "wajib diisi")
            row[column.name] = converted
        rows.append(row)
    return rows


def _duplicates(
    ctx: _Context, sheet: str, rows: list[Row], keys: tuple[str, ...], what: str, column: str = ""
) -> None:
    """Every repeat of a key; the error points at `column` (default: the key's last column)."""
    seen: dict[tuple, int] = {}
    for row in rows:
        key = tuple(row.get(k) for k in keys)
        if any(part is None for part in key):
            continue
        if key in seen:
            shown_key = " / ".join(str(part) for part in key)
            ctx.error(sheet, row["_row"], column or keys[-1], shown_key,
                      f"{what} tidak boleh ganda (sudah ada di baris {seen[key]})")
        else:
            seen[key] = row["_row"]


def parse(sheets: dict[str, RawSheet]) -> ParseResult:
    ctx = _Context()
    data = WorkbookData()
    for sheet in schema.SHEETS:
        if sheet.required and sheet.name.lower() not in sheets:
            ctx.error(sheet.name, None, "", "", "sheet wajib ada di berkas")
    _sheet_names(ctx, sheets)

    for sheet in schema.SHEETS:
        if sheet.name.lower() in sheets:
            raw = sheets[sheet.name.lower()]
            _formulas(ctx, sheet, raw)
            _headers(ctx, sheet, raw)

    def table(sheet: schema.Sheet) -> list[Row]:
        raw = sheets.get(sheet.name.lower())
        return _rows(ctx, sheet, raw) if raw else []

    if "instansi" in sheets:
        data.instansi = _instansi(ctx, sheets["instansi"])
    data.renstra = table(schema.RENSTRA)
    data.indikator = table(schema.INDIKATOR)
    data.target = table(schema.TARGET)
    data.realisasi = table(schema.REALISASI)
    data.anggaran = table(schema.ANGGARAN)
    data.skala = table(schema.SKALA)
    data.has_skala = "skala" in sheets
    data.pembanding = table(schema.PEMBANDING)
    data.narasi = table(schema.NARASI)
    data.pegawai = table(schema.PEGAWAI)
    data.rekomendasi = table(schema.REKOMENDASI)
    data.pk = table(schema.PK)
    data.pk_anggaran = table(schema.PK_ANGGARAN)
    data.pk_alasan = table(schema.PK_ALASAN)
    data.belanja = table(schema.BELANJA)
    data.statistik = table(schema.STATISTIK)
    data.statistik_isi = table(schema.STATISTIK_ISI)
    data.has_statistik = "statistik" in sheets or "statistik_isi" in sheets

    nodes = _check_renstra(ctx, data.renstra)
    budget_kinds = _check_anggaran(ctx, data.anggaran, nodes)
    indicators = _check_indikator(ctx, data.indikator, nodes, budget_kinds)
    _check_target(ctx, data.target, indicators)
    _check_realisasi(ctx, data.realisasi, indicators)
    _check_skala(ctx, data.skala, data.has_skala)
    _check_refs(ctx, "Pembanding", data.pembanding, indicators, required=True)
    _duplicates(ctx, "Pembanding", data.pembanding, ("kode_indikator", "tahun", "lingkup"), "nilai pembanding")
    _check_refs(ctx, "Narasi", data.narasi, indicators, required=False)
    _duplicates(ctx, "Narasi", data.narasi, ("bagian", "kode_indikator"), "narasi untuk bagian dan indikator ini")
    _check_report_narratives(ctx, data.narasi)
    _duplicates(ctx, "Pegawai", data.pegawai, ("dimensi", "kategori", "status"), "baris pegawai")
    _check_agreements(ctx, data, indicators, budget_kinds)
    _check_belanja(ctx, data.belanja)
    _check_statistik(ctx, data, indicators)
    return ctx.result(data)


def _sheet_names(ctx: _Context, sheets: dict[str, RawSheet]) -> None:
    """Case and surrounding spaces are ignored in a sheet name (WORKBOOK.md), so two sheets can claim one
    standard name, and a name that differs from a standard one only in inner spaces is surely meant as it:
    quietly reading one of them, or neither, would import something other than what the user sees."""
    standard = {sheet.name.lower(): sheet for sheet in schema.SHEETS}
    squeezed = {re.sub(r"\s+", "", name): sheet for name, sheet in standard.items()}
    for key, raw in sheets.items():
        sheet = standard.get(key)
        if sheet is not None:
            for title in raw.duplicates:
                ctx.error(sheet.name, None, "", title,
                          f'satu sheet {sheet.name} saja: "{raw.title}" dan "{title}" dianggap nama yang sama '
                          "(huruf besar/kecil dan spasi di awal/akhir diabaikan); hapus atau ganti nama salah satunya")
            continue
        resembled = squeezed.get(re.sub(r"\s+", "", key))
        for title in (raw.title, *raw.duplicates):
            if resembled is None:
                ctx.warn(title, None, "", title, "sheet tidak dikenal; diabaikan")
            else:
                ctx.error(title, None, "", title,
                          f'nama sheet mirip sheet standar {resembled.name}; beri nama persis "{resembled.name}" '
                          "(atau nama lain bila memang bukan sheet itu)")


def _headers(ctx: _Context, sheet: schema.Sheet, raw: RawSheet) -> None:
    """A known header twice would leave one column's values unread, and values under no header are
    ignored; neither may go unsaid."""
    known = {column.name for column in sheet.columns}
    for index, header in enumerate(raw.header_cells):
        first = raw.headers.get(header)
        if header in known and first is not None and first != index:
            ctx.error(sheet.name, 1, header, header,
                      f"judul kolom tidak boleh ganda (sudah ada di kolom {get_column_letter(first + 1)})")
    for index, (number, value) in sorted(raw.unheaded.items()):
        ctx.warn(sheet.name, number, get_column_letter(index + 1), value,
                 "nilai di kolom tanpa judul; diabaikan (beri judul kolom bila nilainya perlu diimpor)")


def _formulas(ctx: _Context, sheet: schema.Sheet, raw: RawSheet) -> None:
    """A formula's cached value may be stale, or missing in a file no spreadsheet has recalculated: only
    values are imported. Reported first, and under the same cell name later rules use, so the cell's value
    is not reported again."""
    keys: dict[int, str] = {}
    if sheet is schema.INSTANSI and raw.formulas:
        known = {column.name for column in schema.INSTANSI_KEYS}
        keys = {
            number: key
            for number, values in raw.rows
            if (key := str(raw.get(values, "kunci") or "").strip().lower()) in known
        }
    for number, index, text in raw.formulas:
        column = raw.column_name(index)
        if column == "nilai" and number in keys:
            column = f"nilai ({keys[number]})"
        ctx.error(sheet.name, number, column, text, FORMULA)


def _instansi(ctx: _Context, raw: RawSheet) -> Row:
    sheet = "Instansi"
    if "kunci" not in raw.headers or "nilai" not in raw.headers:
        ctx.error(sheet, 1, "kunci/nilai", " | ".join(raw.header_cells), "dua kolom berjudul kunci dan nilai")
        return {}
    by_key = {column.name: column for column in schema.INSTANSI_KEYS}
    found: dict[str, tuple[int, object]] = {}
    for number, values in raw.rows:
        key = str(raw.get(values, "kunci") or "").strip().lower()
        if not key:
            ctx.error(sheet, number, "kunci", "", "nama kunci, mis. kode_instansi")
            continue
        if key not in by_key:
            ctx.warn(sheet, number, "kunci", key, "kunci tidak dikenal; diabaikan")
            continue
        if key in found:
            ctx.error(sheet, number, "kunci", key, f"kunci tidak boleh ganda (sudah ada di baris {found[key][0]})")
            continue
        found[key] = (number, raw.get(values, "nilai"))
    result: Row = {}
    for key, column in by_key.items():
        number, value = found.get(key, (None, None))
        converted, problem = convert(column, value)
        if problem:
            ctx.error(sheet, number, f"nilai ({key})", value, problem)
            continue
        if converted is None and column.required:
            ctx.error(sheet, number, f"nilai ({key})", "", "wajib diisi")
            continue
        result[key] = converted
    code = result.get("kode_instansi")
    if code and not SLUG_RE.match(code):
        ctx.error(sheet, found["kode_instansi"][0], "nilai (kode_instansi)", code,
                  "huruf kecil, angka dan tanda hubung saja, mis. bekasi-disnaker")
        result["kode_instansi"] = None
    period = result.get("periode_renstra")
    if period:
        match = PERIOD_RE.match(period)
        if not match or int(match.group(1)) > int(match.group(2)) or not 2000 <= int(match.group(1)) <= 2100:
            ctx.error(sheet, found["periode_renstra"][0], "nilai (periode_renstra)", period,
                      "periode tahun awal-tahun akhir, mis. 2025-2029")
            result["periode_renstra"] = None
        else:
            result["periode_renstra"] = (int(match.group(1)), int(match.group(2)))
            year = result.get("tahun_laporan")
            if year and not int(match.group(1)) <= year <= int(match.group(2)):
                # The report's year must fall in the Renstra period, or nothing can be reported (or exported) for it.
                ctx.error(sheet, found["tahun_laporan"][0], "nilai (tahun_laporan)", year,
                          f"tahun dalam periode_renstra {period.strip()}")
    email = result.get("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            ctx.error(sheet, found["email"][0], "nilai (email)", email, "alamat email yang sah")
    return result


def _check_renstra(ctx: _Context, rows: list[Row]) -> dict[str, str]:
    """Codes → kind; checks the tree shape: misi at the top, tujuan under misi or top, sasaran under tujuan."""
    _duplicates(ctx, "Renstra", rows, ("kode",), "kode")
    kinds = {row["kode"]: row["jenis"] for row in rows if row["kode"] and row["jenis"]}
    allowed_parents = {"misi": (None,), "tujuan": (None, "misi"), "sasaran": ("tujuan",)}
    for row in rows:
        kind, parent = row["jenis"], row["induk"]
        if not kind:
            continue
        if parent and parent not in kinds:
            ctx.error("Renstra", row["_row"], "induk", parent, "kode yang ada di sheet Renstra")
            continue
        parent_kind = kinds.get(parent) if parent else None
        if parent_kind not in allowed_parents[kind]:
            expected = {
                "misi": "kosong (misi berada di puncak)",
                "tujuan": "kosong atau kode sebuah misi",
                "sasaran": "kode sebuah tujuan",
            }[kind]
            ctx.error("Renstra", row["_row"], "induk", parent or "", expected)
    return kinds


def _check_anggaran(ctx: _Context, rows: list[Row], nodes: dict[str, str]) -> dict[str, str]:
    sheet = "Anggaran"
    _duplicates(ctx, sheet, rows, ("kode", "tahun"), "kode per tahun")
    kinds: dict[str, str] = {}
    for row in rows:
        code, kind = row["kode"], row["jenis"]
        if not code or not kind:
            continue
        if not BUDGET_CODE_RE[kind].match(code):
            ctx.error(sheet, row["_row"], "kode", code, f"kode {kind} Permendagri 90, mis. {BUDGET_CODE_EXAMPLE[kind]}")
            row["kode"] = None
            continue
        if kinds.setdefault(code, kind) != kind:
            ctx.error(sheet, row["_row"], "jenis", kind, f"jenis yang sama di setiap tahun untuk kode {code} ({kinds[code]})")
    parents_by_year = {
        (row["tahun"], budget_parent_code(row["kode"], row["jenis"]))
        for row in rows
        if row["kode"] and row["jenis"] in BUDGET_PARENT_KIND and row["tahun"]
    }
    for row in rows:
        code, kind, year = row["kode"], row["jenis"], row["tahun"]
        if not code or not kind or not year:
            continue
        if kind in BUDGET_PARENT_KIND:
            parent = budget_parent_code(code, kind)
            if kinds.get(parent) != BUDGET_PARENT_KIND[kind]:
                ctx.error(sheet, row["_row"], "kode", code,
                          f"{BUDGET_PARENT_KIND[kind]} induk {parent} ada di sheet Anggaran")
        has_children = (year, code) in parents_by_year
        money = {column: row[column] for column in MONEY_COLUMNS if row[column] is not None}
        if has_children and money:
            column = next(iter(money))
            ctx.error(sheet, row["_row"], column, money[column],
                      "kosong: baris ini punya rincian di bawahnya, jumlahnya dihitung dari rincian")
        if not has_children and money and row["pagu_murni"] is None:
            ctx.error(sheet, row["_row"], "pagu_murni", "", "pagu murni wajib diisi bila pagu perubahan atau realisasi diisi")
        if row["sasaran"] and nodes.get(row["sasaran"]) not in ("tujuan", "sasaran"):
            ctx.error(sheet, row["_row"], "sasaran", row["sasaran"], "kode tujuan atau sasaran di sheet Renstra")
        # A leaf without money is allowed: it names an item (an indicator may hang on it)
        # whose amounts the agency does not record for that year.
        row["_leaf"] = not has_children and bool(money)
    return kinds


def budget_parent_code(code: str, kind: str) -> str | None:
    """2.07.03.2.01 → 2.07.03; 2.07.03.2.01.0001 → 2.07.03.2.01; a program has no parent."""
    if kind == "kegiatan":
        return code.rsplit(".", 2)[0]
    if kind == "subkegiatan":
        return code.rsplit(".", 1)[0]
    return None


def _check_indikator(
    ctx: _Context, rows: list[Row], nodes: dict[str, str], budget_kinds: dict[str, str]
) -> set[str]:
    sheet = "Indikator"
    _duplicates(ctx, sheet, rows, ("kode",), "kode")
    for row in rows:
        owner = row["pemilik"]
        if owner and nodes.get(owner) not in ("tujuan", "sasaran") and owner not in budget_kinds:
            ctx.error(sheet, row["_row"], "pemilik", owner,
                      "kode tujuan/sasaran di sheet Renstra, atau kode program/kegiatan/sub kegiatan di sheet Anggaran")
        raw_tags = row["jenis"] or ""
        tags = [tag.strip().upper() for tag in raw_tags.split(",") if tag.strip()]
        unknown = [tag for tag in tags if tag not in TAGS]
        if unknown:
            ctx.error(sheet, row["_row"], "jenis", raw_tags, f"daftar dipisah koma dari: {', '.join(TAGS)}")
        row["jenis"] = list(dict.fromkeys(tag for tag in tags if tag in TAGS))
        row["agregasi"] = row["agregasi"] or "akhir"
        if row["baseline"] is not None and row["baseline_tahun"] is None:
            ctx.error(sheet, row["_row"], "baseline_tahun", "", "tahun baseline wajib diisi bila baseline diisi")
    return {row["kode"] for row in rows if row["kode"]}


def _check_target(ctx: _Context, rows: list[Row], indicators: set[str]) -> None:
    sheet = "Target"
    _check_refs(ctx, sheet, rows, indicators, required=True)
    _duplicates(ctx, sheet, rows, ("kode_indikator", "tahun", "dokumen"), "target untuk indikator, tahun dan dokumen ini")
    for row in rows:
        document = row["dokumen"]
        if not document:
            continue
        if not document.startswith("pk"):
            for quarter in ("tw1", "tw2", "tw3", "tw4"):
                if row[quarter] is not None:
                    ctx.error(sheet, row["_row"], quarter, row[quarter],
                              "kosong: target triwulan (Rencana Aksi) hanya untuk dokumen pk atau pk_perubahan")
        if row["target_akhir"] is not None and not document.startswith("renstra"):
            ctx.error(sheet, row["_row"], "target_akhir", row["target_akhir"],
                      "kosong: target akhir hanya untuk dokumen renstra atau renstra_perubahan")


def _check_realisasi(ctx: _Context, rows: list[Row], indicators: set[str]) -> None:
    sheet = "Realisasi"
    _check_refs(ctx, sheet, rows, indicators, required=True)
    for row in rows:
        row["_quarter_key"] = row["triwulan"] if row["triwulan"] is not None else 0
    _duplicates(ctx, sheet, rows, ("kode_indikator", "tahun", "_quarter_key"),
                "realisasi untuk indikator, tahun dan triwulan ini", column="triwulan")
    for row in rows:
        status = row["status"] or "final"
        row["status"] = status
        if status == "belum_tersedia":
            if row["realisasi"] is not None:
                ctx.error(sheet, row["_row"], "realisasi", row["realisasi"], "kosong bila status belum_tersedia")
            if not row["keterangan"]:
                ctx.error(sheet, row["_row"], "keterangan", "", "alasan mengapa realisasi belum tersedia")
        elif row["realisasi"] is None:
            ctx.error(sheet, row["_row"], "realisasi", "",
                      "angka realisasi, atau isi status belum_tersedia beserta keterangan alasannya")
        if row["penyebut"] is not None and row["penyebut"] == 0:
            ctx.error(sheet, row["_row"], "penyebut", "0", "penyebut bukan nol")


def _check_skala(ctx: _Context, rows: list[Row], present: bool) -> None:
    if not present:
        return
    sheet = "Skala"
    if not rows:
        ctx.error(sheet, None, "", "", "paling sedikit satu rentang predikat (atau hapus sheet Skala)")
        return
    _duplicates(ctx, sheet, rows, ("label",), "label")
    if any(row["label"] is None for row in rows):
        return
    out_of_range = False
    for row in rows:
        for column in ("min", "max"):
            if row[column] is not None and abs(row[column]) >= MAX_SCALE_BOUND:
                ctx.error(sheet, row["_row"], column, row[column], "batas rentang di bawah 100.000")
                out_of_range = True
    if out_of_range:
        return
    for row in rows:
        row["min_inklusif"] = True if row["min_inklusif"] is None else row["min_inklusif"]
        row["max_inklusif"] = False if row["max_inklusif"] is None else row["max_inklusif"]
    bands = [Band(r["label"], r["min"], r["min_inklusif"], r["max"], r["max_inklusif"]) for r in rows]
    for problem in validate_bands(bands):
        ctx.error(sheet, None, "min/max", "", problem)


def _check_refs(ctx: _Context, sheet: str, rows: list[Row], indicators: set[str], *, required: bool) -> None:
    for row in rows:
        code = row.get("kode_indikator")
        if code and code not in indicators:
            ctx.error(sheet, row["_row"], "kode_indikator", code, "kode yang ada di sheet Indikator")
            row["kode_indikator"] = None
        elif not code and required:
            row["_invalid"] = True


def _check_report_narratives(ctx: _Context, rows: list[Row]) -> None:
    seen: dict[str, int] = {}
    for row in rows:
        if row["bagian"] and not row.get("kode_indikator"):
            if row["bagian"] in seen:
                ctx.error("Narasi", row["_row"], "bagian", row["bagian"],
                          f"satu teks per bagian laporan (sudah ada di baris {seen[row['bagian']]}); gabungkan teksnya")
            else:
                seen[row["bagian"]] = row["_row"]


# ---- the Perjanjian Kinerja sheets (PK, PK_Anggaran, PK_Alasan) ----

CAUSE_COLUMNS = ("sebab", "uraian_sebab", "berlaku_mulai")


def _check_agreements(ctx: _Context, data: WorkbookData, indicators: set[str], budget_kinds: dict[str, str]) -> None:
    """Each row names a PK document of sheet Target (dokumen pk or pk_perubahan and a year it has
    targets for): the header once per document, a program of sheet Anggaran once per document, a
    reason only for a PK target of sheet Target. The amendment rules the app keeps are checked here
    too, so the error names the cell: a cause, its description and an effective date in the year
    for pk_perubahan and none for pk, the SK of an acting first party."""
    documents = {
        (row["dokumen"], row["tahun"]) for row in data.target
        if row["dokumen"] in schema.AGREEMENT_DOCUMENTS and row["tahun"] and not row.get("_invalid")
    }
    targets = {
        (row["dokumen"], row["tahun"], row["kode_indikator"]) for row in data.target
        if row["dokumen"] in schema.AGREEMENT_DOCUMENTS and row["tahun"] and row["kode_indikator"]
    }

    def named(sheet: str, row: Row) -> bool:
        key = (row["dokumen"], row["tahun"])
        if None in key:
            return False
        if key not in documents:
            ctx.error(sheet, row["_row"], "dokumen", f"{key[0]} {key[1]}",
                      f"dokumen yang punya target tahun {key[1]} di sheet Target (baris {key[0]} di sana)")
            return False
        return True

    sheet = "PK"
    _duplicates(ctx, sheet, data.pk, ("dokumen", "tahun"), "satu baris PK per dokumen dan tahun; baris PK ini")
    for row in data.pk:
        if not named(sheet, row):
            continue
        if row["dokumen"] == "pk":
            for column in CAUSE_COLUMNS:
                if row[column] is not None:
                    ctx.error(sheet, row["_row"], column, row[column],
                              "kosong: sebab, uraian sebab dan tanggal berlaku hanya untuk dokumen pk_perubahan")
        else:
            if row["sebab"] is None:
                ctx.error(sheet, row["_row"], "sebab", "",
                          f"sebab perubahan PK, salah satu dari: {', '.join(schema.AGREEMENT_CAUSES)}")
            if row["uraian_sebab"] is None:
                ctx.error(sheet, row["_row"], "uraian_sebab", "", "uraian sebab perubahan PK")
            effective = row["berlaku_mulai"]
            if effective is None:
                ctx.error(sheet, row["_row"], "berlaku_mulai", "",
                          f"tanggal mulai berlaku perubahan dalam tahun {row['tahun']}, mis. {row['tahun']}-07-01")
            elif effective.year != row["tahun"]:
                ctx.error(sheet, row["_row"], "berlaku_mulai", effective.isoformat(),
                          f"tanggal mulai berlaku dalam tahun {row['tahun']}")
        if row["pihak_pertama_kedudukan"] in ("plt", "plh"):
            for column in ("sk_nomor", "sk_tanggal"):
                if row[column] is None:
                    ctx.error(sheet, row["_row"], column, "",
                              "wajib diisi bila pihak_pertama_kedudukan plt atau plh (SK penunjukan)")

    sheet = "PK_Anggaran"
    _duplicates(ctx, sheet, data.pk_anggaran, ("dokumen", "tahun", "kode_program"), "program dalam PK ini")
    for row in data.pk_anggaran:
        named(sheet, row)
        code = row["kode_program"]
        if code and budget_kinds.get(code) != "program":
            ctx.error(sheet, row["_row"], "kode_program", code, "kode sebuah program (jenis program) di sheet Anggaran")
            row["kode_program"] = None

    sheet = "PK_Alasan"
    _check_refs(ctx, sheet, data.pk_alasan, indicators, required=True)
    _duplicates(ctx, sheet, data.pk_alasan, ("dokumen", "tahun", "kode_indikator"), "alasan untuk target PK ini")
    for row in data.pk_alasan:
        key = (row["dokumen"], row["tahun"], row["kode_indikator"])
        if None not in key and key not in targets:
            ctx.error(sheet, row["_row"], "kode_indikator", key[2],
                      f"indikator yang punya target {key[0]} tahun {key[1]} di sheet Target")


# ---- the report's own sections: Belanja, Statistik, Statistik_Isi ----


def _check_belanja(ctx: _Context, rows: list[Row]) -> None:
    """One row per jenis and year; a group (operasi, transfer) blank where its kinds are given."""
    from budget.spending import spending_rule_violations

    sheet = "Belanja"
    _duplicates(ctx, sheet, rows, ("tahun", "jenis"), "jenis belanja per tahun")
    by_year: dict[int, dict[str, Row]] = {}
    for row in rows:
        if row["tahun"] and row["jenis"]:
            by_year.setdefault(row["tahun"], {}).setdefault(row["jenis"], row)
    for kinds in by_year.values():
        for kind, message in spending_rule_violations(kinds):
            ctx.error(sheet, kinds[kind]["_row"], "jenis", kind, message)


def _check_statistik(ctx: _Context, data: WorkbookData, indicators: set[str]) -> None:
    """Each table once (by kode), its column headers from kolom_1 on without gaps, its content rows in
    Statistik_Isi naming a table of sheet Statistik and using no column the table does not have; the
    cells become sectorstats.grid cells (text as written, number where it is one)."""
    from sectorstats.grid import MAX_CELL_CHARS, MAX_ROWS, parse_cell, parse_header

    _check_refs(ctx, "Statistik", data.statistik, indicators, required=False)
    _duplicates(ctx, "Statistik", data.statistik, ("kode",), "kode tabel")
    widths: dict[str, int] = {}
    for row in data.statistik:
        headers = [row[f"kolom_{n}"] for n in range(1, schema.STATISTICS_COLUMNS + 1)]
        while headers and headers[-1] is None:
            headers.pop()
        if not headers:
            ctx.error("Statistik", row["_row"], "kolom_1", "", "judul kolom pertama tabel")
        for n, header in enumerate(headers, start=1):
            if header is None:
                ctx.error("Statistik", row["_row"], f"kolom_{n}", "",
                          "judul kolom (kolom tabel berurutan dari kolom_1 tanpa yang kosong di antaranya)")
        row["_columns"] = [parse_header(h) for h in headers if h is not None]
        if row["kode"] and row["kode"] not in widths:
            widths[row["kode"]] = len(headers)
    counts: dict[str, int] = {}
    for row in data.statistik_isi:
        code = row["kode_tabel"]
        if code is None:
            continue
        if code not in widths:
            ctx.error("Statistik_Isi", row["_row"], "kode_tabel", code, "kode tabel yang ada di sheet Statistik")
            continue
        cells = [parse_cell(row[f"kolom_{n}"]) for n in range(1, schema.STATISTICS_COLUMNS + 1)]
        while cells and cells[-1] is None:
            cells.pop()
        for n, cell in enumerate(cells, start=1):
            if n > widths[code] and cell is not None:
                ctx.error("Statistik_Isi", row["_row"], f"kolom_{n}", cell.text,
                          f"kosong: tabel {code} hanya punya {widths[code]} kolom di sheet Statistik")
            elif cell is not None and len(cell.text) > MAX_CELL_CHARS:
                ctx.error("Statistik_Isi", row["_row"], f"kolom_{n}", cell.text[:40],
                          f"isi sel paling panjang {MAX_CELL_CHARS} karakter")
        row["_cells"] = cells
        if cells:
            counts[code] = counts.get(code, 0) + 1
            if counts[code] == MAX_ROWS + 1:
                ctx.error("Statistik_Isi", row["_row"], "kode_tabel", code, f"paling banyak {MAX_ROWS} baris per tabel")
