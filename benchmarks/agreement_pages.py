#!/usr/bin/env python
"""Benchmark the Perjanjian Kinerja pages: queries, time and size for Tangerang and a generated agency.

Run by hand from the project root (this is not a pytest test):

    .venv/bin/python benchmarks/agreement_pages.py --sqlite        # embedded mode (SQLite temp file)
    createdb -h 127.0.0.1 -U postgres lkjip_bench_pk
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lkjip_bench_pk .venv/bin/python benchmarks/agreement_pages.py
    dropdb -h 127.0.0.1 -U postgres lkjip_bench_pk

Without --sqlite it needs DATABASE_URL: an empty PostgreSQL database that the caller creates and
drops (the script migrates it and never drops it). It imports, through
workbook.services.workbook_import, three measured agencies: Tangerang
(demo/workbooks/tangerang-disnaker.xlsx, report year 2025: its PK murni and PK Perubahan) and two
workbooks of benchmarks/import_workbook.generate with the same shape, `--indicators` (default 500)
indicators with `--programs` (default 60) budget programs, and a control of `--control` (50)
indicators with `--control-programs` (6). The control makes "the query count does not grow with
the PK's size" a measurement: the same shape at a tenth of the size must issue the same number of
queries. Then, through performance.services as tests/factories.approve_agreement does: each
imported version gets its signatories, a reason on every row and (generated agencies) every
program with a pagu, is submitted and approved (Tangerang: murni and Perubahan as the workbook
gives them); then a PK perubahan (amendment_start) is started from the latest approved version
and stays a draft.

For each agency, as its planner (membership role planner; django.test.Client, force_login):

1. GET performance:agreement_detail of the latest approved version (frozen contents);
2. GET performance:agreement_detail of the draft amendment (contents read from the records);
3. GET performance:agreement_edit of the draft amendment;
4. save: POST the edit form as the browser sends it (every field as rendered, built from the
   page's forms as tests/agreements/test_agreement_pages.py edit_data does) with one target
   changed and a reason; --runs times, each changing that target again and followed (untimed) by
   the version page it redirects to, which shows and so clears its messages: queries of the
   first, median of all, audit entries of the first, warning messages it left;
5. GET performance:agreement_diff approved → amendment (after the saves: one target differs);
6. GET reports:agreement_pdf of the approved version and of the draft: queries, median over
   --pdf-runs, pages (pypdf), size.

Pages: queries of one request (CaptureQueriesContext), then the median and p95 of --runs plain
GETs, response size. Then the Pemda overview (performance:agreement_overview) as the Pemda's
planner (GovernmentRole planner), for a Pemda of `--small-pemda` (5) and one of `--large-pemda`
(50) agencies, each agency imported from a small generated workbook and its PK taken through the
services to one of the states in turn (draft, submitted, returned, approved, amended, amendment
submitted), or created without a Renstra (no PK). The overview's query count must not grow with
the number of agencies.

Exit status: 2 if a page's query count grows with the PK's size (control ≠ largest) or the
overview's with the agencies, 3 if the save's grows per row or a step does not do what it should,
0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.entry_pages import cpu_model, ratio, with_context  # noqa: E402
from benchmarks.import_workbook import LAST_YEAR, generate, id_text  # noqa: E402

TANGERANG = ROOT / "demo" / "workbooks" / "tangerang-disnaker.xlsx"
TANGERANG_CODE = "tangerang-disnaker"
TANGERANG_YEAR = 2025
GENERATED_CODE = "bench-dinas"  # what generate() writes as kode_instansi
GENERATED_NAME = "Dinas Uji Beban Kota Contoh"
GENERATED_PEMDA = "Pemerintah Kota Contoh (benchmark)"
ITEMS_PER_PROGRAM = 25  # import_workbook.budget_tree: a program, 4 kegiatan, 5 sub kegiatan each
REDIS_URL = "redis://127.0.0.1:6379/0"

SIGNATORIES = {
    "first_name": "Dr. Uji Beban, S.E., M.Si.", "first_nip": "197001011990031001",
    "first_position": "Kepala Dinas Uji Beban", "second_name": "Wali Kota Contoh",
    "second_position": "Wali Kota Contoh", "signed_place": "Kota Contoh",
    "signed_on": dt.date(LAST_YEAR, 1, 31),
}
REASON = "uji beban: sesuai Renstra"
OVERVIEW_STATES = ("draft", "submitted", "returned", "approved", "amended", "amendment submitted", "none")


# ---------------------------------------------------------------------------------------------
# Workbooks
# ---------------------------------------------------------------------------------------------

def rewritten(source: Path, target: Path, code: str, name: str, pemda: str | None = None) -> Path:
    """A copy of a generate() workbook with its own agency code, name and (optionally) Pemda
    (the Instansi sheet is sheet1, written as inline strings)."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for entry in old.infolist():
            data = old.read(entry.filename)
            if entry.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(f">{GENERATED_CODE}<".encode(), f">{code}<".encode(), 1)
                data = data.replace(f">{GENERATED_NAME}<".encode(), f">{name}<".encode(), 1)
                if pemda:
                    data = data.replace(f">{GENERATED_PEMDA}<".encode(), f">{pemda}<".encode(), 1)
            new.writestr(entry, data)
    return target


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------

@dataclass
class Timed:
    """One kind of request: its query count (from one request), wall times and what it returned."""

    queries: int = 0
    seconds: list[float] = field(default_factory=list)
    status: int = 0
    size: int = 0
    entries: int = 0  # audit entries written (POSTs)
    pages: int = 0  # PDF pages

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
    rows: int = 0  # indicator rows of the PK
    programs: int = 0  # programs of the PK
    choices: int = 0  # indicator rows on the edit page
    fields: int = 0  # fields of the save POST
    save_warnings: int = 0  # warning messages the save leaves for the next page
    approved: str = ""  # label of the measured approved version
    draft: str = ""  # label of the draft amendment
    steps: dict[str, Timed] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def audit_count() -> int:
    from audit.models import AuditEntry

    return AuditEntry.objects.count()


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def request(client, method: str, url: str, data: dict | None = None) -> tuple[Timed, bytes]:
    """One request with its queries and audit entries counted (the debug cursor is on: not timed
    for pages), and its body."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    before = audit_count()
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        response = client.post(url, data) if method == "POST" else client.get(url)
        body = body_of(response)
        seconds = time.perf_counter() - start
    return Timed(queries=len(captured), seconds=[seconds], status=response.status_code, size=len(body),
                 entries=audit_count() - before), body


def page(client, url: str, runs: int) -> tuple[Timed, bytes]:
    """Queries of one GET, then the median/p95 of `runs` plain GETs (the body read in full)."""
    counted, body = request(client, "GET", url)
    timed = Timed(queries=counted.queries, status=counted.status, size=counted.size)
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(url)
        body_of(response)
        timed.seconds.append(time.perf_counter() - start)
        if response.status_code != 200:
            timed.status = response.status_code
    return timed, body


def pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(data)).pages)


def edit_data(response) -> dict[str, str]:
    """The edit form as the browser sends it: every field with its rendered (initial) value
    (tests/agreements/test_agreement_pages.py edit_data)."""
    data = {"revision": str(response.context["agreement"].revision), "action": "save"}
    header = response.context["header"]
    for name, form_field in header.fields.items():
        value = header.initial.get(name, form_field.initial)
        data[name] = value.isoformat() if isinstance(value, dt.date) else ("" if value is None else str(value))
    for _, form in response.context["row_forms"] + response.context["program_forms"]:
        for name in form.fields:
            value = form.initial.get(name)
            if name == "included":
                if value:
                    data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


# ---------------------------------------------------------------------------------------------
# Getting the versions: through the services, as people would
# ---------------------------------------------------------------------------------------------

def approve(agreement, *, planner, approver, programs: bool, header: dict | None):
    """Signatories (when given), a reason on every row, every program with a pagu (when
    `programs`), then submit and approve: tests/factories.approve_agreement with the agency's
    planner and the Pemda's approver."""
    from audit.services import AuditContext
    from performance.agreements import program_ceilings
    from performance.services import AgreementProgramInput, AgreementRowInput, agreement_save, agreement_transition

    if header is not None or programs:
        rows = {t.indicator_id: AgreementRowInput(t.value, tuple(t.quarters), t.reason or REASON)
                for t in agreement.targets.all()}
        if programs:
            wanted = {item: AgreementProgramInput(pagu) for item, pagu in
                      program_ceilings(agency=agreement.agency, year=agreement.year).items() if pagu > 0}
        else:
            wanted = {p.item_id: AgreementProgramInput(p.amount, p.reason) for p in agreement.programs.order_by("order")}
        agreement_save(agreement=agreement, header=header or {}, rows=rows, programs=wanted, revision=None,
                       ctx=AuditContext(user=planner, reason="PK disusun untuk uji beban"))
    agreement = agreement_transition(agreement=agreement, transition="submit",
                                     ctx=AuditContext(user=planner, reason="diajukan untuk uji beban"))
    return agreement_transition(agreement=agreement, transition="approve",
                                ctx=AuditContext(user=approver, reason="disetujui untuk uji beban"))


def amend(agreement, *, planner):
    """A PK perubahan of the approved version, left a draft."""
    from audit.services import AuditContext
    from performance.services import amendment_start

    effective = max(dt.date(agreement.year, 7, 1), agreement.effective_from or dt.date(agreement.year, 1, 1))
    return amendment_start(agreement=agreement, cause="strategi", cause_note="Uji beban: perubahan strategi.",
                           effective_from=effective, ctx=AuditContext(user=planner, reason="PK perubahan uji beban"))


def users_for(agency):
    from agencies.models import AgencyMembership, GovernmentRole, User

    planner = User.objects.create_user(username=f"{agency.code}-bench-perencana", first_name="Bima",
                                       last_name="Perencana")
    AgencyMembership.objects.create(user=planner, agency=agency, role=AgencyMembership.Role.PLANNER)
    approver = User.objects.filter(government_roles__government=agency.government,
                                   government_roles__role=GovernmentRole.Role.PLANNER).first()
    if approver is None:
        approver = User.objects.create_user(username=f"bench-bappeda-{agency.government_id}", first_name="Citra",
                                            last_name="Bappeda")
        GovernmentRole.objects.create(user=approver, government=agency.government, role=GovernmentRole.Role.PLANNER)
    return planner, approver


def prepare(code: str, year: int, *, generated: bool):
    """Approve the imported versions, start the amendment; returns (planner, approved, draft)."""
    from agencies.models import Agency
    from performance.models import PerformanceAgreement

    agency = Agency.objects.select_related("government").get(code=code)
    planner, approver = users_for(agency)
    approved = None
    for agreement in PerformanceAgreement.objects.filter(agency=agency, year=year).order_by("number"):
        approved = approve(agreement, planner=planner, approver=approver, programs=generated,
                           header=SIGNATORIES if generated else None)
    if approved is None:
        raise SystemExit(f"{code}: no PK {year} imported")
    return planner, approved, amend(approved, planner=planner)


# ---------------------------------------------------------------------------------------------
# The agency pages
# ---------------------------------------------------------------------------------------------

def measure(*, label: str, code: str, year: int, runs: int, pdf_runs: int, generated: bool) -> Result:
    from django.test import Client
    from django.urls import reverse

    from performance.models import Target

    planner, approved, draft = prepare(code, year, generated=generated)
    result = Result(label=label, code=code, year=year, approved=f"PK {approved.version_label}",
                    draft=f"PK {draft.version_label}")
    result.rows = draft.targets.count()
    result.programs = draft.programs.count()
    client = Client()
    client.force_login(planner)

    def url(name: str, *args) -> str:
        return reverse(f"performance:{name}", args=[code, year, *args])

    # 1, 2. the version pages
    for key, version in (("detail_approved", approved), ("detail_draft", draft)):
        result.steps[key], _ = page(client, url("agreement_detail", version.number), runs)

    # 3. the edit page
    edit_url = url("agreement_edit", draft.number)
    shown = with_context(client, edit_url)
    if shown.status_code != 200:
        raise SystemExit(f"{code}: GET {edit_url} answered {shown.status_code}")
    result.choices = len(shown.context["row_forms"])
    result.steps["edit"], _ = page(client, edit_url, runs)

    # 4. the save: one target changed, with a reason, every other field as the page showed it
    data = edit_data(shown)
    result.fields = len(data)
    choice, form = next((c, f) for c, f in shown.context["row_forms"] if f.initial.get("included"))
    target = Target.objects.get(agreement=draft, indicator=choice.indicator)
    name = form.add_prefix("value")
    data[form.add_prefix("reason")] = "Uji beban: target disesuaikan dengan kebijakan baru."
    save = None
    detail_url = url("agreement_detail", draft.number)
    for run in range(runs):
        value = target.value + 1 + run % 2  # every save changes it again
        draft.refresh_from_db(fields=["revision"])
        posted = {**data, name: id_text(float(value), 4).rstrip("0").rstrip(","), "revision": str(draft.revision)}
        if save is None:
            save, _ = request(client, "POST", edit_url, posted)
        else:
            start = time.perf_counter()
            response = client.post(edit_url, posted)
            save.seconds.append(time.perf_counter() - start)
            if response.status_code != 303:
                save.status = response.status_code
        # The browser follows the redirect to the version page, which shows (and so clears) the
        # save's messages: "disimpan" and a warning per row whose Rencana Aksi does not add up.
        shown_after = client.get(detail_url).content
        if run == 0:
            result.save_warnings = shown_after.count(b'<li class="warning">')
        stored = Target.objects.get(pk=target.pk).value
        if stored != value:
            result.problems.append(f"save {run + 1} answered {save.status}; target {stored}, expected {value}")
            break
    result.steps["save"] = save
    if save.status != 303:
        result.problems.append(f"save answered {save.status}")

    # 5. the diff, approved → amendment
    diff_url = reverse("performance:agreement_diff", args=[code, year]) + f"?a={approved.number}&b={draft.number}"
    result.steps["diff"], body = page(client, diff_url, runs)
    if b"Tidak ada perbedaan" in body:
        result.problems.append("the diff shows no change after the save")

    # 6. the PDFs
    for key, version in (("pdf_approved", approved), ("pdf_draft", draft)):
        pdf_url = reverse("reports:agreement_pdf", args=[code, year, version.number])
        timed, body = page(client, pdf_url, pdf_runs)
        timed.pages = pdf_pages(body) if timed.status == 200 else 0
        result.steps[key] = timed
    for key, timed in result.steps.items():
        if key != "save" and timed.status != 200:
            result.problems.append(f"{key} answered {timed.status}")
    return result


# ---------------------------------------------------------------------------------------------
# The Pemda overview
# ---------------------------------------------------------------------------------------------

@dataclass
class Overview:
    label: str
    agencies: int
    states: dict[str, int]
    timed: Timed


def build_pemda(tiny: Path, workdir: Path, prefix: str, count: int, pemda: str) -> None:
    """`count` agencies of one Pemda, the PK of each in one of OVERVIEW_STATES in turn: "none" an
    agency without a Renstra or PK (agencies.services.agency_upsert), every other one imported
    from the small workbook and its PK murni taken to that state through the services."""
    from agencies.models import Agency, Government
    from agencies.services import agency_upsert
    from audit.services import AuditContext
    from performance.models import PerformanceAgreement
    from performance.services import AgreementRowInput, agreement_save, agreement_transition
    from workbook.services import workbook_import

    for i in range(count):
        code, name = f"{prefix}-{i + 1:02d}", f"Dinas Uji {i + 1:02d} {pemda}"
        state = OVERVIEW_STATES[i % len(OVERVIEW_STATES)]
        if state == "none":
            if not Government.objects.filter(name=pemda).exists():  # the first agency is imported: never
                raise SystemExit("OVERVIEW_STATES must not start with none")
            agency_upsert(code=code, values={"government_id": Government.objects.get(name=pemda).pk, "name": name},
                          ctx=AuditContext(user=None, reason="uji beban"))
            continue
        path = rewritten(tiny, workdir / f"{code}.xlsx", code, name, pemda)
        report = workbook_import(source=str(path))
        path.unlink()
        if not report.ok:
            raise SystemExit(f"{code}: import FAILED: {[str(e) for e in report.errors[:5]]}")
        agency = Agency.objects.select_related("government").get(code=code)
        planner, approver = users_for(agency)
        agreement = PerformanceAgreement.objects.get(agency=agency, year=LAST_YEAR, number=0)
        mine, pemda_ctx = AuditContext(user=planner, reason="uji"), AuditContext(user=approver, reason="uji")
        if state in ("approved", "amended", "amendment submitted"):
            agreement = approve(agreement, planner=planner, approver=approver, programs=True, header=SIGNATORIES)
            if state != "approved":
                agreement = amend(agreement, planner=planner)
                agreement = agreement_transition(agreement=agreement, transition="submit", ctx=mine)
                if state == "amended":
                    agreement_transition(agreement=agreement, transition="approve", ctx=pemda_ctx)
            continue
        rows = {t.indicator_id: AgreementRowInput(t.value, tuple(t.quarters), REASON) for t in agreement.targets.all()}
        agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs={}, revision=None, ctx=mine)
        if state in ("submitted", "returned"):
            agreement = agreement_transition(agreement=agreement, transition="submit", ctx=mine)
        if state == "returned":
            agreement_transition(agreement=agreement, transition="send_back",
                                 ctx=AuditContext(user=approver, reason="Rencana Aksi belum lengkap."))


def measure_overview(label: str, pemda: str, runs: int) -> Overview:
    from django.test import Client
    from django.urls import reverse

    from agencies.models import Government, GovernmentRole, User
    from performance.agreements import government_overview

    government = Government.objects.get(name=pemda)
    approver = User.objects.filter(government_roles__government=government,
                                   government_roles__role=GovernmentRole.Role.PLANNER).first()
    client = Client()
    client.force_login(approver)
    rows = government_overview(government=government, year=LAST_YEAR)
    states: dict[str, int] = {}
    for row in rows:
        states[row.state] = states.get(row.state, 0) + 1
    timed, _ = page(client, reverse("performance:agreement_overview", args=[government.pk, LAST_YEAR]), runs)
    return Overview(label, len(rows), states, timed)


# ---------------------------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------------------------

STEPS = [
    ("detail_approved", "1. GET version page, approved (agreement_detail)", "page"),
    ("detail_draft", "2. GET version page, draft amendment", "page"),
    ("edit", "3. GET edit page, draft amendment (agreement_edit)", "page"),
    ("save", "4. save, one target changed with a reason (POST)", "post"),
    ("diff", "5. GET diff approved → amendment (agreement_diff)", "page"),
    ("pdf_approved", "6a. GET PK PDF, approved (reports:agreement_pdf)", "pdf"),
    ("pdf_draft", "6b. GET PK PDF, draft amendment", "pdf"),
]


def print_report(results: list[Result], overviews: list[Overview], args: argparse.Namespace, database: str,
                 vendor: str, prep: float) -> None:
    small, control, largest = results
    print()
    print(f"Perjanjian Kinerja pages benchmark  ({'embedded/SQLite' if args.sqlite else 'production/PostgreSQL'})")
    print(f"date {args.started:%Y-%m-%d %H:%M}–{dt.datetime.now(dt.timezone.utc):%H:%M} UTC; {platform.platform()}")
    print(f"{os.cpu_count()} CPUs ({cpu_model()}); load average (1 min) {args.load_before:.2f} before the "
          f"measurements, {os.getloadavg()[0]:.2f} after")
    print(f"python {platform.python_version()}, Django {__import__('django').get_version()}, "
          f"DB vendor {vendor}: {database}")
    print(f"options: --indicators {args.indicators} --programs {args.programs} --control {args.control} "
          f"--control-programs {args.control_programs} --runs {args.runs} --pdf-runs {args.pdf_runs} "
          f"--small-pemda {args.small_pemda} --large-pemda {args.large_pemda}; setup (migrate + imports) {prep:.1f} s")
    print()
    head = " | ".join(r.label for r in results)
    print(f"| measure | {head} | ratio {largest.label}/{control.label} | ratio {largest.label}/{small.label} |")
    print("|---|" + "---:|" * (len(results) + 2))

    def line(name: str, values: list[str], *ratios: str) -> None:
        cells = [*ratios, "", ""][:2]
        print(f"| {name} | {' | '.join(values)} | {' | '.join(cells)} |")

    def both(get) -> tuple[str, str]:  # noqa: ANN001
        a, c, g = get(small), get(control), get(largest)
        return ratio(g, c), ratio(g, a)

    line("versions measured", [f"{r.approved}, {r.draft}" for r in results])
    line("indicator rows in the PK", [f"{r.rows:,}" for r in results], *both(lambda r: r.rows))
    line("programs in the PK", [f"{r.programs:,}" for r in results], *both(lambda r: r.programs))
    line("indicator rows on the edit page", [f"{r.choices:,}" for r in results], *both(lambda r: r.choices))
    line("fields in the save POST", [f"{r.fields:,}" for r in results], *both(lambda r: r.fields))
    for key, name, kind in STEPS:
        line(f"{name}: queries", [str(r.steps[key].queries) for r in results],
             *both(lambda r, k=key: r.steps[k].queries))
        line(f"{name}: median ms", [f"{r.steps[key].median * 1000:,.0f}" for r in results],
             *both(lambda r, k=key: r.steps[k].median))
        if kind == "page":
            line(f"{name}: p95 ms", [f"{r.steps[key].p95 * 1000:,.0f}" for r in results],
                 *both(lambda r, k=key: r.steps[k].p95))
        if kind == "post":
            line(f"{name}: audit entries (first save)", [f"{r.steps[key].entries:,}" for r in results])
            line(f"{name}: warning messages shown after it", [f"{r.save_warnings:,}" for r in results])
        else:
            line(f"{name}: response KB", [f"{r.steps[key].size / 1024:,.0f}" for r in results],
                 *both(lambda r, k=key: r.steps[k].size))
        if kind == "pdf":
            line(f"{name}: pages", [str(r.steps[key].pages) for r in results], *both(lambda r, k=key: r.steps[k].pages))
    print()
    print("| Pemda overview (agreement_overview) | " + " | ".join(o.label for o in overviews) +
          f" | ratio {overviews[-1].label}/{overviews[0].label} |")
    print("|---|" + "---:|" * (len(overviews) + 1))
    a, b = overviews[0], overviews[-1]
    print(f"| agencies | {' | '.join(str(o.agencies) for o in overviews)} | {ratio(b.agencies, a.agencies)} |")
    print(f"| states | {' | '.join(', '.join(f'{k} {v}' for k, v in sorted(o.states.items())) for o in overviews)} | |")
    print(f"| queries | {' | '.join(str(o.timed.queries) for o in overviews)} | {ratio(b.timed.queries, a.timed.queries)} |")
    print(f"| median ms | {' | '.join(f'{o.timed.median * 1000:,.0f}' for o in overviews)} | "
          f"{ratio(b.timed.median, a.timed.median)} |")
    print(f"| p95 ms | {' | '.join(f'{o.timed.p95 * 1000:,.0f}' for o in overviews)} | {ratio(b.timed.p95, a.timed.p95)} |")
    print(f"| response KB | {' | '.join(f'{o.timed.size / 1024:,.0f}' for o in overviews)} | "
          f"{ratio(b.timed.size, a.timed.size)} |")
    print()
    print("Queries are counted in one request (CaptureQueriesContext); times are wall time of the test client's")
    print(f"request, median and p95 (nearest rank) over {args.runs} runs for the pages and the save, "
          f"{args.pdf_runs} for each PDF.")
    if vendor == "postgresql":
        print("PostgreSQL: audit entries go by COPY, which Django's query log does not see.")


def verdict(results: list[Result], overviews: list[Overview]) -> tuple[bool, list[str], list[str]]:
    """Every page's query count must be the same for the control and the largest generated agency
    (same shape, ~10× the rows and programs), and the overview's for 5 and 50 agencies; the save
    may grow by a statement per batch of rows, not per row. Returns (constant, lines, problems)."""
    lines: list[str] = []
    problems: list[str] = []
    constant = True
    small, control, largest = results
    for key, _, _ in STEPS:
        c, g, s = control.steps[key], largest.steps[key], small.steps[key]
        same = c.queries == g.queries
        if key == "save":
            rows = largest.choices - control.choices
            per_row = (g.queries - c.queries) / rows if rows > 0 else 0
            if per_row >= 0.05:
                problems.append(f"save queries grow per row: {control.label} {c.queries} → {largest.label} "
                                f"{g.queries} ({per_row:.1f} per indicator: an N+1)")
            else:
                lines.append(f"OK: save queries {control.label} {c.queries} → {largest.label} {g.queries} "
                             f"({g.queries - c.queries:+d} for {rows:+,} rows)")
            continue
        constant &= same
        lines.append(f"OK: {key} queries {control.label} {c.queries} = {largest.label} {g.queries}" if same else
                     f"NOT OK: {key} queries grow with the PK: {control.label} {c.queries} → {largest.label} {g.queries}")
        lines.append(f"{'OK' if s.queries == g.queries else 'NOTE'}: {key} queries {small.label} {s.queries} vs "
                     f"{largest.label} {g.queries} ({g.queries - s.queries:+d})")
    a, b = overviews[0], overviews[-1]
    same = a.timed.queries == b.timed.queries
    constant &= same
    lines.append(f"{'OK' if same else 'NOT OK'}: overview queries {a.label} {a.timed.queries} "
                 f"{'=' if same else '→'} {b.label} {b.timed.queries}")
    return constant, lines, problems


# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--indicators", type=int, default=500, help="indicators of the generated agency (default 500)")
    parser.add_argument("--programs", type=int, default=60, help="budget programs of the generated agency (default 60)")
    parser.add_argument("--control", type=int, default=50, help="indicators of the control agency (default 50)")
    parser.add_argument("--control-programs", type=int, default=6, help="programs of the control agency (default 6)")
    parser.add_argument("--years", type=int, default=2, help="years of the generated workbooks (default 2)")
    parser.add_argument("--runs", type=int, default=20, help="timed GETs per page and saves (default 20)")
    parser.add_argument("--pdf-runs", type=int, default=3, help="timed GETs per PDF (default 3)")
    parser.add_argument("--small-pemda", type=int, default=5, help="agencies of the small Pemda (default 5)")
    parser.add_argument("--large-pemda", type=int, default=50, help="agencies of the large Pemda (default 50)")
    parser.add_argument("--sqlite", action="store_true", help="embedded mode (SQLite) instead of PostgreSQL")
    args = parser.parse_args()
    if not 0 < args.control < args.indicators or not 0 < args.control_programs < args.programs or args.runs < 1 \
            or args.pdf_runs < 1 or not 0 < args.small_pemda < args.large_pemda:
        parser.error("need 0 < --control < --indicators, 0 < --control-programs < --programs, runs ≥ 1, "
                     "0 < --small-pemda < --large-pemda")
    if not args.sqlite and not os.environ.get("DATABASE_URL"):
        parser.error("PostgreSQL mode needs DATABASE_URL (an empty scratch database); or --sqlite")

    workdir = Path(tempfile.mkdtemp(prefix="lkjip-bench-pk-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "lkjip.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")
    if args.sqlite:
        for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
            os.environ.pop(name, None)
        os.environ["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    else:
        os.environ.setdefault("REDIS_URL", REDIS_URL)  # the production shape (entry_pages.py's configure())
    hosts = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    os.environ["ALLOWED_HOSTS"] = ",".join([*hosts, "testserver"])
    os.environ["SECURE_SSL_REDIRECT"] = "false"
    os.environ["STATIC_MANIFEST"] = "false"

    # Workbooks: 25 budget items per program and year (budget_tree), so programs × 25 × years rows.
    large, control, tiny = workdir / "large.xlsx", workdir / "control.xlsx", workdir / "tiny.xlsx"
    generate(large, args.indicators, args.years, args.programs * ITEMS_PER_PROGRAM * args.years)
    generate(control, args.control, args.years, args.control_programs * ITEMS_PER_PROGRAM * args.years)
    generate(tiny, 4, 1, ITEMS_PER_PROGRAM)
    control_code, large_code = f"bench-pk-{args.control}", f"bench-pk-{args.indicators}"
    workbooks = [
        TANGERANG,
        rewritten(control, workdir / "control-renamed.xlsx", control_code, "Dinas Uji Kontrol Kota Contoh"),
        rewritten(large, workdir / "large-renamed.xlsx", large_code, GENERATED_NAME),
    ]

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from workbook.services import workbook_import

    start = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}, database {connection.settings_dict['NAME']}"
    else:
        import sqlite3

        database = f"SQLite {sqlite3.sqlite_version} {connection.settings_dict['NAME']}"
    for path in workbooks:
        report = workbook_import(source=str(path))
        if not report.ok:
            print(f"{path.name}: import FAILED: {[str(e) for e in report.errors[:10]]}", file=sys.stderr)
            return 1
    pemdas = [(f"pemda-{n}", n, f"Pemerintah Kota Uji {n} Perangkat Daerah (benchmark)")
              for n in (args.small_pemda, args.large_pemda)]
    for prefix, count, name in pemdas:
        build_pemda(tiny, workdir, prefix, count, name)
    prep = time.perf_counter() - start

    args.started = dt.datetime.now(dt.timezone.utc)
    args.load_before = os.getloadavg()[0]
    results = [
        measure(label="Tangerang", code=TANGERANG_CODE, year=TANGERANG_YEAR, runs=args.runs,
                pdf_runs=args.pdf_runs, generated=False),
        measure(label=f"gen-{args.control}", code=control_code, year=LAST_YEAR, runs=args.runs,
                pdf_runs=args.pdf_runs, generated=True),
        measure(label=f"gen-{args.indicators}", code=large_code, year=LAST_YEAR, runs=args.runs,
                pdf_runs=args.pdf_runs, generated=True),
    ]
    overviews = [measure_overview(f"{count} agencies", name, args.runs) for _, count, name in pemdas]

    print_report(results, overviews, args, database, connection.vendor, prep)
    constant, lines, growth = verdict(results, overviews)
    print()
    for text in lines:
        print(text)
    problems = [f"{r.label}: {p}" for r in results for p in r.problems] + growth
    for text in problems:
        print(f"NOT OK: {text}")
    print(f"page queries constant in the PK's size and the number of agencies: {'OK' if constant else 'NOT OK'}")

    connection.close()
    for path in workdir.iterdir():
        path.unlink()
    workdir.rmdir()
    if not constant:
        return 2
    return 3 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

