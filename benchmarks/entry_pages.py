#!/usr/bin/env python
"""Benchmark the quarterly entry page: queries and time for Serang and a generated agency.

Run by hand from the project root (this is not a pytest test):

    .venv/bin/python benchmarks/entry_pages.py                  # PostgreSQL (production mode)
    .venv/bin/python benchmarks/entry_pages.py --sqlite         # embedded mode (SQLite)
    .venv/bin/python benchmarks/entry_pages.py --indicators 1000 --runs 10

It creates a fresh database (PostgreSQL: drop/create `--db-name`, default lkjip_bench_entry;
SQLite: a temporary file), migrates it and imports three agencies through
workbook.services.workbook_import: Serang (demo/workbooks/serang-disnakertrans.xlsx, the largest
demo agency, report year 2021) and two workbooks of benchmarks/import_workbook.generate with the
same shape, `--indicators` (default 500) and `--control` (default 50) indicators. The control
agency is what makes "the query count does not grow with indicators" a measurement instead of an
explanation: the same data shape at a tenth of the size must issue the same number of queries.

For each agency, as its operator (membership role staff; django.test.Client, force_login), on
the report year's TW IV, which has no entries yet (for the generated agencies the imported TW IV
realisasi are deleted first) and no lock (a fresh database has no reporting calendar):

1. GET the entry page: SQL queries, median and p95 wall time over --runs, response size;
2. save the full quarter: one POST of every row's fields (what the browser sends, built from the
   page's forms as tests/entry/test_entry_pages.py does) with a value in Indonesian notation
   ("12,50") and the three explanation texts for every row: time, queries, audit entries;
3. GET the page again (entries exist now, the page shows their states): queries, median, p95;
4. save again unchanged (writes nothing): time, queries, audit entries;
5. submit the whole quarter (action=submit) and verify it all as a planner (membership role
   planner; performance:entry_review, act=verify:all): time, queries, audit entries;
6. GET the budget realisasi page (budget:entry): queries, median, p95.

It prints the figures side by side with the ratio largest/Serang, the machine and the date. It
exits 2 if a page's query count grows with the indicator count (control ≠ largest), 3 if a POST's
query count grows per row (an N+1) or a step does not do what it should (a save refused, a state
not reached), 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.import_workbook import LAST_YEAR, configure, drop_pg, generate, id_text  # noqa: E402

SERANG = ROOT / "demo" / "workbooks" / "serang-disnakertrans.xlsx"
SERANG_YEAR = 2021
QUARTER = 4
GENERATED_CODE = "bench-dinas"  # what generate() writes as kode_instansi


# ---------------------------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------------------------

def renamed(path: Path, code: str, name: str) -> None:
    """generate() always writes the agency bench-dinas: give the control workbook its own code
    (the Instansi sheet is sheet1, written as inline strings)."""
    temporary = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f">{GENERATED_CODE}<".encode(), f">{code}<".encode(), 1)
                data = data.replace(b">Dinas Uji Beban Kota Contoh<", f">{name}<".encode(), 1)
            target.writestr(entry, data)
    temporary.replace(path)


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------

@dataclass
class Timed:
    """One kind of request: its query count (from one request) and wall times."""

    queries: int = 0
    seconds: list[float] = field(default_factory=list)
    status: int = 0
    size: int = 0
    entries: int = 0  # audit entries written
    note: str = ""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p95(self) -> float:
        ordered = sorted(self.seconds)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]  # nearest rank


@dataclass
class Result:
    label: str
    code: str
    year: int
    indicators: int = 0  # rows on the entry sheet
    fields: int = 0  # fields of the full-quarter POST
    leaves: int = 0  # budget lines with a form
    steps: dict[str, Timed] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def with_context(client, url: str):
    """A GET with the test instrumentation on, so the response carries the template context the
    POST is built from; the timed requests run without it (it copies every context)."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    try:
        return client.get(url)
    finally:
        teardown_test_environment()


def form_data(response) -> dict[str, str]:
    """What the browser would send: every field of every editable row, as rendered
    (tests/entry/test_entry_pages.py form_data)."""
    data = {}
    for _, rows in response.context["groups"]:
        for _, entry_form in rows:
            if entry_form is None:
                continue
            for bound in entry_form:
                value = bound.value()
                data[bound.html_name] = "" if value is None else str(value)
    return data


def audit_count() -> int:
    from audit.models import AuditEntry

    return AuditEntry.objects.count()


def request(client, method: str, url: str, data: dict | None = None) -> Timed:
    """One request with its queries counted and its audit entries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = audit_count()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(url, data) if method == "POST" else client.get(url)
        seconds = time.perf_counter() - start
    return Timed(queries=len(captured), seconds=[seconds], status=response.status_code, size=len(response.content),
                 entries=audit_count() - before)


def page(client, url: str, runs: int) -> Timed:
    """Queries of one GET (not timed: CaptureQueriesContext forces the debug cursor), then the
    median/p95 of `runs` plain GETs."""
    counted = request(client, "GET", url)
    timed = Timed(queries=counted.queries, status=counted.status, size=counted.size)
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        timed.seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            timed.status = response.status_code
    return timed


def measure(*, label: str, code: str, year: int, runs: int, lift_limit: bool) -> Result:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from agencies.models import Agency, AgencyMembership, User
    from performance.models import Realization

    agency = Agency.objects.get(code=code)
    result = Result(label=label, code=code, year=year)
    operator = User.objects.create_user(username=f"{code}-bench-operator", first_name="Ani", last_name="Operator")
    planner = User.objects.create_user(username=f"{code}-bench-planner", first_name="Bima", last_name="Perencana")
    AgencyMembership.objects.create(user=operator, agency=agency, role=AgencyMembership.Role.STAFF)
    AgencyMembership.objects.create(user=planner, agency=agency, role=AgencyMembership.Role.PLANNER)
    client = Client()
    client.force_login(operator)
    url = reverse("performance:entry", args=[code, year, QUARTER])
    review_url = reverse("performance:entry_review", args=[code, year, QUARTER])
    budget_url = reverse("budget:entry", args=[code, year, QUARTER])
    quarter_entries = Realization.objects.filter(indicator__plan__agency=agency, year=year, quarter=QUARTER)
    if quarter_entries.exists():
        raise SystemExit(f"{code}: TW {QUARTER} {year} already has entries; the benchmark needs an empty quarter")

    # 1. the empty quarter
    shown = with_context(client, url)
    if shown.status_code != 200:
        raise SystemExit(f"{code}: GET {url} answered {shown.status_code}")
    sheet = shown.context["sheet"]
    result.indicators = len(sheet.rows)
    result.steps["get_empty"] = page(client, url, runs)

    # 2. the full quarter: a value and the three explanations for every row
    data = form_data(shown)
    for i, row in enumerate(sheet.rows):
        prefix = f"r{row.indicator.pk}"
        data.update({
            f"{prefix}-value": id_text(12.5 + i % 90 + (1000 if i % 10 == 0 else 0)),  # "12,50", "1.012,50"
            f"{prefix}-numerator": "", f"{prefix}-denominator": "", f"{prefix}-status": "final",
            f"{prefix}-analisis": f"Sebab capaian indikator {row.indicator.code} triwulan ini.",
            f"{prefix}-penghambat": "Data dari bidang terlambat masuk.",
            f"{prefix}-upaya": "Koordinasi bulanan dengan bidang.",
        })
    body = {**data, "action": "save"}
    result.fields = len(body)
    limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    # Django logs TooManyFieldsSent with its traceback; the report below says it in one line.
    security = logging.getLogger("django.security.TooManyFieldsSent")
    level = security.level
    security.setLevel(logging.CRITICAL)
    try:
        save = request(client, "POST", url, body)
    finally:
        security.setLevel(level)
    if save.status == 400 and limit is not None and len(body) > limit:
        result.problems.append(
            f"the save POST has {len(body):,} fields > DATA_UPLOAD_MAX_NUMBER_FIELDS {limit}: Django refused it "
            f"with 400 before the view ran (nothing saved); measured again with the limit lifted"
        )
        result.steps["save_refused"] = save
        if not lift_limit:
            return result
        settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = None  # measure the view itself; restored below
        save = request(client, "POST", url, body)
        save.note = "limit lifted"
    result.steps["save"] = save
    stored = quarter_entries.count()
    if save.status != 303 or stored != result.indicators:
        result.problems.append(f"save answered {save.status}, {stored} of {result.indicators} entries stored")

    # 3. the page with entries
    after = with_context(client, url)
    result.steps["get_saved"] = page(client, url, runs)

    # 4. unchanged re-save
    data = form_data(after)
    resave = request(client, "POST", url, {**data, "action": "save"})
    result.steps["resave"] = resave
    if resave.status != 303 or resave.entries:
        result.problems.append(f"unchanged re-save answered {resave.status} and wrote {resave.entries} audit entries")

    # 5. submit everything, then verify everything as the planner
    submit = request(client, "POST", url, {**data, "action": "submit"})
    result.steps["submit"] = submit
    submitted = quarter_entries.filter(review=Realization.Review.SUBMITTED).count()
    if submit.status != 303 or submitted != result.indicators:
        result.problems.append(f"submit answered {submit.status}, {submitted} of {result.indicators} entries submitted")
    client.force_login(planner)
    verify = request(client, "POST", review_url, {"act": "verify:all"})
    result.steps["verify"] = verify
    verified = quarter_entries.filter(review=Realization.Review.VERIFIED).count()
    if verify.status != 303 or verified != result.indicators:
        result.problems.append(f"verify answered {verify.status}, {verified} of {result.indicators} entries verified")
    client.force_login(operator)

    # 6. the budget realisasi page
    budget = with_context(client, budget_url)
    result.leaves = sum(1 for row in budget.context["rows"] if row["form"] is not None)
    result.steps["budget"] = page(client, budget_url, runs)
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = limit
    return result


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

STEPS = [
    ("get_empty", "1. GET entry page, empty quarter", "page"),
    ("save_refused", "2. save full quarter, the project's field limit (POST)", "post"),
    ("save", "2. save full quarter (POST)", "post"),
    ("get_saved", "3. GET entry page, after the save", "page"),
    ("resave", "4. unchanged re-save (POST)", "post"),
    ("submit", "5a. submit all (POST action=submit)", "post"),
    ("verify", "5b. verify all as planner (POST verify:all)", "post"),
    ("budget", "6. GET budget page (budget:entry)", "page"),
]


def cpu_model() -> str:
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def print_report(results: list[Result], args: argparse.Namespace, database: str, vendor: str, prep: float) -> None:
    serang, largest = results[0], results[-1]
    print()
    print(f"Entry page benchmark  ({'embedded/SQLite' if args.sqlite else 'production/PostgreSQL'})")
    print(f"date {args.started:%Y-%m-%d %H:%M}–{dt.datetime.now(dt.timezone.utc):%H:%M} UTC; {platform.platform()}")
    print(f"{os.cpu_count()} CPUs ({cpu_model()}); load average (1 min) {args.load_before:.2f} before the "
          f"measurements, {os.getloadavg()[0]:.2f} after")
    print(f"python {platform.python_version()}, Django {__import__('django').get_version()}, "
          f"DB vendor {vendor}: {database}")
    print(f"options: --indicators {args.indicators} --control {args.control} --years {args.years} "
          f"--budget-rows {args.budget_rows} --runs {args.runs}; setup (migrate + imports) {prep:.1f} s")
    print()
    head = " | ".join(f"{r.label}" for r in results)
    print(f"| measure | {head} | ratio {largest.label}/{serang.label} |")
    print("|---|" + "---:|" * (len(results) + 1))

    def line(name: str, values: list[str], rat: str = "") -> None:
        print(f"| {name} | {' | '.join(values)} | {rat} |")

    line("indicators on the sheet (TW IV)", [f"{r.indicators:,}" for r in results],
         ratio(largest.indicators, serang.indicators))
    line("fields in the save POST", [f"{r.fields:,}" for r in results])
    line("budget lines with a form", [f"{r.leaves:,}" for r in results])
    for key, name, kind in STEPS:
        steps = [r.steps.get(key) for r in results]
        if all(s is None for s in steps):
            continue

        def cell(step: Timed | None, fmt) -> str:  # noqa: ANN001
            return "—" if step is None else fmt(step)

        a, b = serang.steps.get(key), largest.steps.get(key)
        line(f"{name}: queries", [cell(s, lambda s: str(s.queries)) for s in steps],
             ratio(b.queries, a.queries) if a and b else "")
        if kind == "page":
            line(f"{name}: median ms", [cell(s, lambda s: f"{s.median * 1000:.0f}") for s in steps],
                 ratio(b.median, a.median) if a and b else "")
            line(f"{name}: p95 ms", [cell(s, lambda s: f"{s.p95 * 1000:.0f}") for s in steps],
                 ratio(b.p95, a.p95) if a and b else "")
            line(f"{name}: response KB", [cell(s, lambda s: f"{s.size / 1024:,.0f}") for s in steps],
                 ratio(b.size, a.size) if a and b else "")
        else:
            line(f"{name}: ms", [cell(s, lambda s: f"{s.seconds[0] * 1000:,.0f}" + (f" ({s.note})" if s.note else ""))
                                 for s in steps], ratio(b.seconds[0], a.seconds[0]) if a and b else "")
            line(f"{name}: audit entries", [cell(s, lambda s: f"{s.entries:,}") for s in steps],
                 ratio(b.entries, a.entries) if a and b and a.entries else "")
            line(f"{name}: HTTP status", [cell(s, lambda s: str(s.status)) for s in steps])
    print()
    print("Queries are counted in one request (CaptureQueriesContext); times are wall time of the test client's")
    print(f"request, median and p95 (nearest rank) over {args.runs} runs for the pages, one run for each POST.")
    if vendor == "postgresql":
        print("PostgreSQL: audit entries go by COPY, which Django's query log does not see (one COPY per 1,000).")


PAGES = ("get_empty", "get_saved", "budget")
POSTS = ("save", "resave", "submit", "verify")


def verdict(results: list[Result]) -> tuple[bool, list[str], list[str]]:
    """The pages' query counts must not grow with indicators: the control and the largest
    generated agency (same shape, a tenth of the rows) must issue the same number, and Serang
    (another shape) the same or a constant apart. POSTs may grow by a statement per batch of
    rows (audit entries and bulk_create go by 1,000), not by one per row.

    Returns (pages constant, lines to print, problems)."""
    lines: list[str] = []
    problems: list[str] = []
    constant = True
    serang, control, largest = results[0], results[1], results[-1]
    for key in PAGES:
        c, g, s = control.steps.get(key), largest.steps.get(key), serang.steps.get(key)
        if c is None or g is None:
            continue
        same = c.queries == g.queries
        constant &= same
        lines.append(
            f"{'OK' if same else 'NOT OK'}: {key} queries {control.label} {c.queries} = {largest.label} {g.queries}"
            if same else
            f"NOT OK: {key} queries grow with indicators: {control.label} {c.queries} → {largest.label} {g.queries}"
        )
        if s is not None:
            lines.append(
                f"{'OK' if s.queries == g.queries else 'NOTE'}: {key} queries {serang.label} {s.queries} vs "
                f"{largest.label} {g.queries} ({g.queries - s.queries:+d}; {serang.indicators} → {largest.indicators} "
                "indicators)"
            )
    rows = largest.indicators - control.indicators
    for key in POSTS:
        c, g = control.steps.get(key), largest.steps.get(key)
        if c is None or g is None or rows <= 0:
            continue
        per_row = (g.queries - c.queries) / rows
        if per_row >= 0.05:  # more than a statement per 20 rows: not batches
            problems.append(
                f"{key} queries grow per row: {control.label} {c.queries} → {largest.label} {g.queries} "
                f"({per_row:.1f} per indicator: an N+1)"
            )
        else:
            lines.append(f"OK: {key} queries {control.label} {c.queries} → {largest.label} {g.queries} "
                         f"({g.queries - c.queries:+d} for {rows:+,} indicators: batches of rows, not rows)")
    return constant, lines, problems


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=500, help="indicators of the generated agency (default 500)")
    parser.add_argument("--control", type=int, default=50,
                        help="indicators of the same-shape control agency (default 50)")
    parser.add_argument("--years", type=int, default=2, help="years of the generated workbooks (default 2)")
    parser.add_argument("--budget-rows", type=int, default=750, help="Anggaran rows over all years (default 750)")
    parser.add_argument("--runs", type=int, default=30, help="timed GETs per page (default 30)")
    parser.add_argument("--sqlite", action="store_true", help="embedded mode (SQLite) instead of PostgreSQL")
    parser.add_argument("--db-name", default="lkjip_bench_entry", help="PostgreSQL database to drop and create")
    parser.add_argument("--keep-field-limit", action="store_true",
                        help="do not lift DATA_UPLOAD_MAX_NUMBER_FIELDS when it refuses the save (stop there)")
    parser.add_argument("--keep", action="store_true", help="keep the database and the workbooks afterwards")
    args = parser.parse_args()
    if args.indicators < 1 or not 0 < args.control < args.indicators or args.runs < 1 or not 1 <= args.years <= 50:
        parser.error("need 0 < --control < --indicators, --runs ≥ 1, 1 ≤ --years ≤ 50")

    workdir = Path(tempfile.mkdtemp(prefix="lkjip-bench-entry-"))
    large = workdir / "generated.xlsx"
    small = workdir / "control.xlsx"
    generate(large, args.indicators, args.years, args.budget_rows)
    generate(small, args.control, args.years, args.budget_rows)
    control_code = "bench-kontrol"
    renamed(small, control_code, "Dinas Uji Kontrol Kota Contoh")

    # configure() (import_workbook.py) sets the database environment; the rest must be set
    # before django.setup() too: the test client's host, and no HTTPS redirect or static
    # manifest in production mode (there is no proxy and no collectstatic here).
    database = configure(args, workdir)
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    # Users are made with unusable passwords and force_login: no hashing in the figures.
    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    from performance.models import Realization
    from workbook.services import workbook_import

    for path in (SERANG, large, small):
        report = workbook_import(source=str(path))
        if not report.ok:
            print(f"{path.name}: import FAILED: {[str(e) for e in report.errors[:10]]}", file=sys.stderr)
            return 1
    # The generated workbooks have realisasi for every quarter; the benchmark needs TW IV empty.
    Realization.objects.filter(
        indicator__plan__agency__code__in=[GENERATED_CODE, control_code], year=LAST_YEAR, quarter=QUARTER
    ).delete()
    prep = time.perf_counter() - start

    args.started = dt.datetime.now(dt.timezone.utc)
    args.load_before = os.getloadavg()[0]
    results = []
    for label, code, year in (
        ("Serang", "serang-disnakertrans", SERANG_YEAR),
        (f"gen-{args.control}", control_code, LAST_YEAR),
        (f"gen-{args.indicators}", GENERATED_CODE, LAST_YEAR),
    ):
        results.append(measure(label=label, code=code, year=year, runs=args.runs, lift_limit=not args.keep_field_limit))

    print_report(results, args, database, connection.vendor, prep)
    constant, lines, growth = verdict(results)
    print()
    for text in lines:
        print(text)
    problems = [f"{r.label}: {p}" for r in results for p in r.problems] + growth
    for text in problems:
        print(f"NOT OK: {text}")
    print(f"page queries constant in the indicator count: {'OK' if constant else 'NOT OK'}")
    print(f"DATA_UPLOAD_MAX_NUMBER_FIELDS in the project's settings: {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS}")

    connection.close()
    if not args.keep:
        if not args.sqlite:
            try:
                connection.close_pool()
            except Exception:  # noqa: BLE001 - no pool configured
                pass
            drop_pg(args.db_name)
        for name in ("generated.xlsx", "control.xlsx", "bench.sqlite3"):
            (workdir / name).unlink(missing_ok=True)
        try:
            workdir.rmdir()
        except OSError:
            pass
    else:
        print(f"kept: {workdir}" + ("" if args.sqlite else f", database {args.db_name}"))
    if not constant:
        return 2
    return 3 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
