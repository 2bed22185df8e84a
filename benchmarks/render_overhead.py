"""How much slower per page the LKjIP document renders than bare WeasyPrint on a plain table.

Run by hand (not a test):
    .venv/bin/python benchmarks/render_overhead.py [--agency serang-disnakertrans] [--repeat 3]

For the agency's demo document it times, in one process and interleaved (so both see the same
machine load): the whole render (`render_document`: charts, templates, WeasyPrint layout,
PDF), its Python side alone (`document_html`), and WeasyPrint on a plain HTML table with no
stylesheet, with as many rows as make about the same number of pages (and, with --bare-pages N,
a table of about N pages too: one long table costs more per page than a short one, the issue's
first measurement used 59 pages). It prints seconds per page of each and the ratio document /
bare. Medians of --repeat runs. The data comes from the
embedded database after `manage.py load_demo` (loaded if empty; set SQLITE_PATH to use a
scratch file).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkjip.settings")

GENERATED_AT = dt.datetime(2026, 1, 31, tzinfo=dt.UTC)
ROW = "<tr><td>{n}</td><td>Baris tabel polos nomor {n} dengan teks secukupnya</td><td>{n},00</td></tr>"


def _plain_table(rows: int) -> str:
    body = "".join(ROW.format(n=n) for n in range(rows))
    return f"<html><body><table>{body}</table></body></html>"


def _bare(rows: int) -> tuple[float, int]:
    from weasyprint import HTML

    started = time.perf_counter()
    document = HTML(string=_plain_table(rows)).render()
    document.write_pdf()
    return time.perf_counter() - started, len(document.pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agency", default="serang-disnakertrans")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bare-pages", type=int, action="append", default=[],
                        help="also time a plain table of about this many pages (repeatable)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command

    from agencies.models import Agency
    from reports.selectors import default_year
    from reports.snapshot import build_snapshot

    call_command("migrate", verbosity=0)
    if not Agency.objects.exists():
        call_command("load_demo", verbosity=0)
    from reports.document import document_html, render_document

    agency = Agency.objects.get(code=args.agency)
    year = default_year(agency=agency)
    snapshot = build_snapshot(agency=agency, year=year)
    kwargs = {"verify_url": "https://lkjip.example.go.id/v/abc/", "code": "abc", "number": 1,
              "generated_at": GENERATED_AT}

    # Calibrate the plain table to the document's page count (rows per page is constant).
    pages = render_document(snapshot, **kwargs).pages
    _, probe_pages = _bare(1000)
    sizes = [pages] + [n for n in args.bare_pages if n != pages]
    rows = {n: max(1, round(1000 * n / probe_pages)) for n in sizes}

    whole, python_side = [], []
    bare: dict[int, list[tuple[float, int]]] = {n: [] for n in sizes}
    for _ in range(args.repeat):
        started = time.perf_counter()
        document_html(snapshot, **kwargs)
        python_side.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_document(snapshot, **kwargs)
        whole.append(time.perf_counter() - started)
        for n in sizes:
            bare[n].append(_bare(rows[n]))

    doc_s, py_s = statistics.median(whole), statistics.median(python_side)
    print(f"{args.agency} {year}: {pages} pages; median of {args.repeat} interleaved runs")
    print(f"{'':<34} {'seconds':>8} {'pages':>5} {'s/page':>7} {'ratio':>6}")
    print(f"{'document (render_document)':<34} {doc_s:>8.2f} {pages:>5} {doc_s / pages:>7.3f}")
    print(f"{'  of which document_html':<34} {py_s:>8.2f} {'':>5} {py_s / pages:>7.3f}")
    for n in sizes:
        seconds = statistics.median(s for s, _ in bare[n])
        got = bare[n][0][1]
        ratio = (doc_s / pages) / (seconds / got)
        label = f"bare WeasyPrint, {rows[n]}-row table"
        print(f"{label:<34} {seconds:>8.2f} {got:>5} {seconds / got:>7.3f} {ratio:>6.2f}")
    print("ratio = the document's seconds per page / the plain table's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
