"""How much slower per page the LKjIP document renders than bare WeasyPrint on a plain table.

Run by hand (not a test):
    .venv/bin/python benchmarks/render_overhead.py [--agency serang-disnakertrans] [--repeat 3]

For the agency's demo document it times, in one process and interleaved (so both see the same
machine load): the whole render (`render_document`: charts, templates, WeasyPrint layout,
PDF), its Python side alone (`document_html`), and WeasyPrint on a plain HTML table with no
stylesheet, with as many rows as make about the same number of pages. It prints seconds per
page of each and the ratio document / bare. Medians of --repeat runs. The data comes from the
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
    from reports.rendering import document_html, render_document

    agency = Agency.objects.get(code=args.agency)
    year = default_year(agency=agency)
    snapshot = build_snapshot(agency=agency, year=year)
    kwargs = {"verify_url": "https://lkjip.example.go.id/v/abc/", "code": "abc", "number": 1,
              "generated_at": GENERATED_AT}

    # Calibrate the plain table to the document's page count (rows per page is constant).
    pages = render_document(snapshot, **kwargs).pages
    _, probe_pages = _bare(2000)
    rows = max(1, round(2000 * pages / probe_pages))

    whole, python_side, bare, bare_pages = [], [], [], 0
    for _ in range(args.repeat):
        started = time.perf_counter()
        document_html(snapshot, **kwargs)
        python_side.append(time.perf_counter() - started)
        started = time.perf_counter()
        render_document(snapshot, **kwargs)
        whole.append(time.perf_counter() - started)
        seconds, bare_pages = _bare(rows)
        bare.append(seconds)

    doc_s, py_s, bare_s = (statistics.median(v) for v in (whole, python_side, bare))
    print(f"{args.agency} {year}: {pages} pages; plain table {rows} rows, {bare_pages} pages; "
          f"median of {args.repeat}")
    print(f"{'':<28} {'seconds':>8} {'s/page':>7}")
    print(f"{'document (render_document)':<28} {doc_s:>8.2f} {doc_s / pages:>7.3f}")
    print(f"{'  of which document_html':<28} {py_s:>8.2f} {py_s / pages:>7.3f}")
    print(f"{'bare WeasyPrint, plain table':<28} {bare_s:>8.2f} {bare_s / bare_pages:>7.3f}")
    print(f"ratio per page, document / bare: {(doc_s / pages) / (bare_s / bare_pages):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
