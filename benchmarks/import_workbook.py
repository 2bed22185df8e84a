#!/usr/bin/env python
"""Benchmark the standard-workbook import on a large, valid, generated workbook.

Run by hand from the project root (this is not a pytest test):

    .venv/bin/python benchmarks/import_workbook.py                 # PostgreSQL (production mode)
    .venv/bin/python benchmarks/import_workbook.py --sqlite        # embedded mode (SQLite)
    .venv/bin/python benchmarks/import_workbook.py --indicators 500

It writes a workbook with openpyxl (write_only mode), creates a fresh database (PostgreSQL:
drop/create `--db-name`, default lkjip_bench; SQLite: a temporary file), migrates it, then
imports through workbook.services.workbook_import three times, with the audit trail on (it
always is): the first import creates everything, the second finds everything unchanged,
the third is a second workbook in which 10 % of the realisasi values differ. For each run
it prints wall time, rows per second, SQL statements (by kind), time spent inside the
database driver, the read/parse/write split, audit entries written, and peak RSS.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import re
import resource
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_URL = "postgres://postgres@127.0.0.1:5432/{db}"
REDIS_URL = "redis://127.0.0.1:6379/0"
LAST_YEAR = 2025
N_TUJUAN = 5
N_SASARAN = 50
KEGIATAN_PER_PROGRAM = 4
SUBKEGIATAN_PER_KEGIATAN = 5


# ---------------------------------------------------------------------------------------------
# Workbook generation
# ---------------------------------------------------------------------------------------------

def id_text(value: float | int, decimals: int = 2, prefix: str = "") -> str:
    """A number in Indonesian notation: 1234567.5 → "1.234.567,50"."""
    whole, _, frac = f"{value:,.{decimals}f}".partition(".")
    text = whole.replace(",", ".")
    return prefix + (f"{text},{frac}" if decimals else text)


def budget_tree(items_per_year: int) -> list[tuple[str, str, str]]:
    """(kode, jenis, uraian) in tree order, programs → kegiatan → sub kegiatan, Permendagri 90 shaped."""
    items: list[tuple[str, str, str]] = []
    p = 0
    while len(items) < items_per_year:
        program = f"2.{1 + p // 99:02d}.{1 + p % 99:02d}"
        items.append((program, "program", f"Program Uji {p + 1}"))
        for k in range(KEGIATAN_PER_PROGRAM):
            if len(items) >= items_per_year:
                break
            kegiatan = f"{program}.2.{k + 1:02d}"
            items.append((kegiatan, "kegiatan", f"Kegiatan Uji {p + 1}.{k + 1}"))
            for s in range(SUBKEGIATAN_PER_KEGIATAN):
                if len(items) >= items_per_year:
                    break
                items.append((f"{kegiatan}.{s + 1:04d}", "subkegiatan", f"Sub Kegiatan Uji {p + 1}.{k + 1}.{s + 1}"))
        p += 1
    return items


def generate(
    path: Path, n_indicators: int, n_years: int, budget_rows: int, dimension: bool = True, change_every: int = 0
) -> dict[str, int]:
    """Write the workbook; returns data rows per sheet."""
    from openpyxl import Workbook

    from lkjip.spreadsheets import append_row

    years = list(range(LAST_YEAR - n_years + 1, LAST_YEAR + 1))
    book = Workbook(write_only=True)
    counts: dict[str, int] = {}

    widths: list[int] = []

    def sheet(name: str, header: list[str], rows) -> None:
        ws = book.create_sheet(name)
        append_row(ws, header)
        n = 0
        for row in rows:
            append_row(ws, row)
            n += 1
        counts[name] = n
        widths.append(len(header))

    sheet("Instansi", ["kunci", "nilai"], [
        ["kode_instansi", "bench-dinas"],
        ["nama_instansi", "Dinas Uji Beban Kota Contoh"],
        ["singkatan", "Disuji"],
        ["pemda", "Pemerintah Kota Contoh (benchmark)"],
        ["jenis_pemda", "kota"],
        ["provinsi", "Jawa Barat"],
        ["tahun_laporan", LAST_YEAR],
        ["periode_renstra", f"{years[0]}-{years[-1]}"],
        ["visi", "Kota Contoh yang maju dan sejahtera"],
        ["kepala_jabatan", "Kepala Dinas"],
        ["kepala_nama", "Budi Santoso"],
        ["tempat_ttd", "Contoh"],
        ["tanggal_ttd", f"{LAST_YEAR + 1}-01-31"],
    ])

    tujuan = [f"T{t + 1}" for t in range(N_TUJUAN)]
    sasaran = [f"T{s % N_TUJUAN + 1}.S{s // N_TUJUAN + 1}" for s in range(N_SASARAN)]

    def renstra():
        yield ["M1", "misi", None, "Mewujudkan tata kelola pemerintahan yang baik"]
        for code in tujuan:
            yield [code, "tujuan", "M1", f"Tujuan {code}"]
        for code in sasaran:
            yield [code, "sasaran", code.split(".")[0], f"Sasaran {code}"]

    sheet("Renstra", ["kode", "jenis", "induk", "uraian"], renstra())

    items = budget_tree(math.ceil(budget_rows / n_years))
    codes = [code for code, _, _ in items]
    parents = {code.rsplit(".", 2 if kind == "kegiatan" else 1)[0] for code, kind, _ in items if kind != "program"}

    # Half the indicators hang on sasaran, half on programs/kegiatan/sub kegiatan.
    owners = [sasaran[i % N_SASARAN] if i % 2 == 0 else codes[(i // 2) % len(codes)] for i in range(n_indicators)]
    indicator_codes = [f"IK{i + 1:05d}" for i in range(n_indicators)]

    def indikator():
        for i, code in enumerate(indicator_codes):
            yield [
                code, owners[i], f"Persentase capaian layanan uji nomor {i + 1}", "%" if i % 3 else "orang",
                "negatif" if i % 7 == 0 else "positif", ("kumulatif", "akhir", "rata-rata")[i % 3],
                "IKU, PK" if i % 2 == 0 else ("IKK" if i % 5 == 0 else None),
                "Jumlah yang dilayani / jumlah sasaran × 100%", "internal", years[0],
                id_text(50 + i % 40 + 0.25) if i % 2 else 50 + i % 40 + 0.25, "Kepala Bidang Uji",
            ]

    sheet("Indikator", ["kode", "pemilik", "nama", "satuan", "polaritas", "agregasi", "jenis", "definisi",
                        "sumber_data", "baseline_tahun", "baseline", "penanggung_jawab"], indikator())

    def target():
        for i, code in enumerate(indicator_codes):
            for y, year in enumerate(years):
                value = 60 + (i % 30) + y * 1.5
                text = (i + y) % 2 == 0
                cell = id_text(value) if text else round(value, 2)
                end = id_text(value + 10) if text else round(value + 10, 2)
                yield [code, year, "renstra", cell, None, None, None, None, end]
                quarters = [round(value * q / 4, 2) for q in (1, 2, 3, 4)]
                if text:
                    quarters = [id_text(q) for q in quarters]
                yield [code, year, "pk", cell, *quarters, None]

    sheet("Target", ["kode_indikator", "tahun", "dokumen", "target", "tw1", "tw2", "tw3", "tw4", "target_akhir"],
          target())

    def realisasi():
        row = 0
        for i, code in enumerate(indicator_codes):
            for y, year in enumerate(years):
                for q in (1, 2, 3, 4):
                    value = round(55 + (i % 35) + y + q * 0.33, 2)
                    row += 1
                    if change_every and row % change_every == 0:
                        value += 1  # the edited workbook: every n-th realisasi differs
                    cell = id_text(value) if (i + y + q) % 2 else value
                    with_ratio = (i + q) % 4 == 0
                    yield [
                        code, year, q, cell,
                        "sementara" if year == LAST_YEAR and q == 4 else "final",
                        id_text(value * 10) if with_ratio else None, 1000 if with_ratio else None,
                        None, "SIMDA uji" if q == 4 else None,
                    ]

    sheet("Realisasi", ["kode_indikator", "tahun", "triwulan", "realisasi", "status", "pembilang", "penyebut",
                        "keterangan", "sumber"], realisasi())

    def anggaran():
        n = 0
        for y, year in enumerate(years):
            for j, (code, kind, name) in enumerate(items):
                n += 1
                row = [code, kind, name, sasaran[j % N_SASARAN] if kind == "program" else None, year]
                if code in parents:  # money only on leaf rows; parents are computed
                    yield [*row, None, None, None, None, None, None, None, None]
                    continue
                pagu = 150_000_000 + (j * 7_919_000) % 900_000_000 + y * 5_000_000
                amended = pagu + 12_500_000 if j % 4 == 0 else None
                spent = [pagu // 10 * f for f in (1, 2, 3, 3)]
                if n % 2:
                    money = [id_text(pagu, 0, "Rp "), amended and id_text(amended, 0, "Rp "),
                             *(id_text(s, 0, "Rp ") for s in spent)]
                else:
                    money = [pagu, amended, *spent]
                yield [*row, "DAU" if j % 3 else "DAK", *money, "Bidang Uji"]

    sheet("Anggaran", ["kode", "jenis", "uraian", "sasaran", "tahun", "sumber_dana", "pagu_murni", "pagu_perubahan",
                       "realisasi_tw1", "realisasi_tw2", "realisasi_tw3", "realisasi_tw4", "penanggung_jawab"],
          anggaran())

    book.save(path)
    if dimension:
        add_dimensions(path, [(w, n + 1) for w, n in zip(widths, counts.values(), strict=True)])
    return counts


def add_dimensions(path: Path, sizes: list[tuple[int, int]]) -> None:
    """Write the <dimension ref="A1:M3001"/> element that Excel, LibreOffice and openpyxl's normal
    mode write but write_only mode leaves out. Without it openpyxl's read-only reader parses
    every sheet twice (once just to find its size), which no real agency file would cost."""
    import zipfile

    from openpyxl.utils import get_column_letter

    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            match = re.fullmatch(r"xl/worksheets/sheet(\d+)\.xml", entry.filename)
            if match and b"<dimension" not in data:
                columns, rows = sizes[int(match.group(1)) - 1]
                element = f'<dimension ref="A1:{get_column_letter(columns)}{rows}" />'.encode()
                anchor = b"<sheetViews>" if b"<sheetViews>" in data else b"<sheetData"
                data = data.replace(anchor, element + anchor, 1)
            target.writestr(entry, data)
    temporary.replace(path)


# ---------------------------------------------------------------------------------------------
# Environment and database
# ---------------------------------------------------------------------------------------------

def configure(args: argparse.Namespace, workdir: Path) -> str:
    """Set the environment BEFORE django.setup(); returns a label for the database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "lkjip.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    os.environ["WORKBOOK_MAX_BYTES"] = str(max(int(os.environ.get("WORKBOOK_MAX_BYTES", 0)), 200 * 1024 * 1024))
    if args.sqlite:
        for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
            os.environ.pop(name, None)
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
        return f"SQLite {os.environ['SQLITE_PATH']}"
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db_name}"')
        server = conn.execute("SHOW server_version").fetchone()[0]
    os.environ["DATABASE_URL"] = PG_URL.format(db=args.db_name)
    os.environ["REDIS_URL"] = REDIS_URL
    return f"PostgreSQL {server}, database {args.db_name}"


def drop_pg(db_name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------

class QueryCounter:
    """connection.execute_wrapper hook: counts statements by kind and time spent in the driver."""

    def __init__(self) -> None:
        self.kinds: Counter[str] = Counter()
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        self.kinds[sql.lstrip().split(None, 1)[0].upper() if sql.strip() else "?"] += 1
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start

    @property
    def total(self) -> int:
        return sum(self.kinds.values())


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_import(path: Path, label: str, profile: Path | None):
    from django.db import connection

    import workbook.services as services

    phases: dict[str, float] = {}
    originals = services.read_workbook, services.parse

    def timed(name, fn):
        def wrapper(*a, **kw):
            start = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                phases[name] = phases.get(name, 0.0) + time.perf_counter() - start
        return wrapper

    services.read_workbook = timed("read", originals[0])
    services.parse = timed("parse", originals[1])
    counter = QueryCounter()
    profiler = None
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
    try:
        with connection.execute_wrapper(counter):
            start = time.perf_counter()
            if profiler:
                profiler.enable()
            report = services.workbook_import(source=str(path), dry_run=False)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - start
    finally:
        services.read_workbook, services.parse = originals
    if profiler:
        profiler.dump_stats(str(profile))
    if not report.ok:
        print(f"\n{label}: import FAILED with {len(report.errors)} errors; first ones:", file=sys.stderr)
        for issue in report.errors[:15]:
            print(f"  {issue}", file=sys.stderr)
        sys.exit(1)
    phases["write"] = seconds - phases.get("read", 0.0) - phases.get("parse", 0.0)
    return {
        "label": label,
        "seconds": seconds,
        "phases": phases,
        "queries": counter,
        "maxrss": maxrss_mb(),
        "report": report,
    }


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=2000, help="indicators (default 2000)")
    parser.add_argument("--years", type=int, default=8, help="years of targets and realisasi (default 8)")
    parser.add_argument("--budget-rows", type=int, default=3000, help="Anggaran rows over all years (default 3000)")
    parser.add_argument("--sqlite", action="store_true", help="embedded mode (SQLite) instead of PostgreSQL")
    parser.add_argument("--db-name", default="lkjip_bench", help="PostgreSQL database to drop and create")
    parser.add_argument("--no-dimension", action="store_true",
                        help="leave out the <dimension> element, as openpyxl write_only files do (slower to read)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the workbook afterwards")
    parser.add_argument("--profile", metavar="DIR", type=Path,
                        help="write cProfile stats of each import to DIR and print the top functions")
    args = parser.parse_args()
    if args.indicators < 1 or not 1 <= args.years <= 50 or args.budget_rows < 1:
        parser.error("--indicators, --years and --budget-rows must be positive (years at most 50)")

    workdir = Path(tempfile.mkdtemp(prefix="lkjip-bench-"))
    path = workdir / "bench.xlsx"
    start = time.perf_counter()
    rows = generate(path, args.indicators, args.years, args.budget_rows, dimension=not args.no_dimension)
    generate_seconds = time.perf_counter() - start
    edited = workdir / "bench-edited.xlsx"
    generate(edited, args.indicators, args.years, args.budget_rows, dimension=not args.no_dimension, change_every=10)
    total_rows = sum(rows.values())

    database = configure(args, workdir)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    migrate_seconds = time.perf_counter() - start
    baseline_rss = maxrss_mb()

    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    runs = []
    from audit.models import AuditEntry

    for name, source in (("first import", path), ("re-import", path), ("re-import, 10 % realisasi changed", edited)):
        stats = args.profile / f"{name.replace(' ', '_').replace(',', '').replace('%', 'pct')}.prof" if args.profile else None
        before = AuditEntry.objects.count()
        runs.append(run_import(source, name, stats))
        runs[-1]["entries"] = AuditEntry.objects.count() - before

    from budget.models import BudgetItem, BudgetLine
    from performance.models import Indicator, Realization, Target

    stored = {
        "Indicator": Indicator.objects.count(), "Target": Target.objects.count(),
        "Realization": Realization.objects.count(), "BudgetItem": BudgetItem.objects.count(),
        "BudgetLine": BudgetLine.objects.count(),
    }

    # ---- report ----
    print()
    print(f"Workbook import benchmark  ({'embedded/SQLite' if args.sqlite else 'production/PostgreSQL'})")
    print(f"python {platform.python_version()}, {database}, nproc {os.cpu_count()}")
    print(f"options: --indicators {args.indicators} --years {args.years} --budget-rows {args.budget_rows}"
          + (" --no-dimension" if args.no_dimension else ""))
    print(f"workbook: {path.stat().st_size / 1024 / 1024:.2f} MB, {total_rows:,} data rows, "
          f"generated in {generate_seconds:.1f} s; migrate {migrate_seconds:.1f} s")
    print()
    print("| sheet | rows |")
    print("|---|---:|")
    for name, count in rows.items():
        print(f"| {name} | {count:,} |")
    print()
    print("| run | seconds | rows/s | read s | parse s | write s | SQL total | SELECT | INSERT | UPDATE | other "
          "| in DB driver s | audit entries | peak RSS MB |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for run in runs:
        q, ph = run["queries"], run["phases"]
        other = q.total - q.kinds["SELECT"] - q.kinds["INSERT"] - q.kinds["UPDATE"]
        print(f"| {run['label']} | {run['seconds']:.2f} | {total_rows / run['seconds']:,.0f} | {ph.get('read', 0):.2f} "
              f"| {ph.get('parse', 0):.2f} | {ph['write']:.2f} | {q.total} | {q.kinds['SELECT']} | {q.kinds['INSERT']} "
              f"| {q.kinds['UPDATE']} | {other} | {q.seconds:.2f} | {run['entries']:,} | {run['maxrss']:.0f} |")
    print()
    print(f"peak RSS before the imports (after generate + migrate): {baseline_rss:.0f} MB")
    for run in runs:
        created = sum(c.created for c in run["report"].counts.values())
        updated = sum(c.updated for c in run["report"].counts.values())
        unchanged = sum(c.unchanged for c in run["report"].counts.values())
        print(f"{run['label']}: {created:,} created, {updated:,} updated, {unchanged:,} unchanged "
              f"(statements by kind: {dict(run['queries'].kinds)})")
    print("stored:", ", ".join(f"{k} {v:,}" for k, v in stored.items()))
    ok = all(r["seconds"] < 15 for r in runs)
    second = runs[1]["report"].counts.values()
    unchanged_ok = not any(c.created or c.updated or c.deleted for c in second) and runs[1]["entries"] == 0
    changed = runs[2]["report"].counts["realization"].updated
    print(f"goal (< 15 s per import, audit trail on): {'met' if ok else 'MISSED'}; "
          f"re-import unchanged and unaudited: {'yes' if unchanged_ok else 'NO'}; "
          f"edited workbook: {changed:,} realisasi updated, {runs[2]['entries']:,} audit entries")

    if args.profile:
        import pstats

        for run in runs:
            stats = args.profile / f"{run['label'].replace(' ', '_')}.prof"
            print(f"\n---- cProfile, {run['label']} ({stats}), top 25 by cumulative time ----")
            pstats.Stats(str(stats)).sort_stats("cumulative").print_stats(25)

    connection.close()
    if not args.keep:
        if not args.sqlite:
            try:
                connection.close_pool()
            except Exception:  # noqa: BLE001 - no pool configured
                pass
            drop_pg(args.db_name)
        path.unlink(missing_ok=True)
        edited.unlink(missing_ok=True)
        (workdir / "bench.sqlite3").unlink(missing_ok=True)
        try:
            workdir.rmdir()
        except OSError:
            pass
    else:
        print(f"kept: {path}" + ("" if args.sqlite else f", database {args.db_name}"))
    return 0 if ok and unchanged_ok else 2


if __name__ == "__main__":
    sys.exit(main())
