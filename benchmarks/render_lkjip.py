"""Render the LKjIP PDF of every demo agency and print pages, seconds and peak memory.

Run by hand (not a test): `.venv/bin/python benchmarks/render_lkjip.py [--keep DIR]`.
Each agency renders in a fresh child process pinned to one core, so its peak RSS is its
own and the time is what one reports-queue worker (concurrency 1) would take. The data
comes from the embedded database after `manage.py load_demo` (loaded if empty).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lkjip.settings")


def _setup() -> None:
    import django

    django.setup()


def _render(code: str, keep: str | None, queue) -> None:
    os.sched_setaffinity(0, {0})
    _setup()
    import datetime as dt

    from agencies.models import Agency
    from reports.document import render_document
    from reports.selectors import default_year
    from reports.snapshot import build_snapshot

    agency = Agency.objects.get(code=code)
    year = default_year(agency=agency)
    started = time.perf_counter()
    snapshot = build_snapshot(agency=agency, year=year)
    snapshot_seconds = time.perf_counter() - started
    rendered = render_document(
        snapshot, verify_url="https://lkjip.example.go.id/v/abc/", code="abc", number=1,
        generated_at=dt.datetime(2026, 1, 31, tzinfo=dt.timezone.utc),
    )
    total = time.perf_counter() - started
    if keep:
        Path(keep, f"{code}-{year}.pdf").write_bytes(rendered.pdf)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((code, year, rendered.pages, snapshot_seconds, total, peak_mb, len(rendered.pdf)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", help="write the PDFs into this folder")
    args = parser.parse_args()
    _setup()
    from django.core.management import call_command

    from agencies.models import Agency

    call_command("migrate", verbosity=0)
    if not Agency.objects.exists():
        call_command("load_demo", verbosity=0)
    codes = list(Agency.objects.order_by("code").values_list("code", flat=True))
    if args.keep:
        Path(args.keep).mkdir(parents=True, exist_ok=True)
    context = get_context("spawn")
    print(f"{'agency':<24} {'year':>4} {'pages':>5} {'snapshot s':>10} {'total s':>8} {'s/page':>7} "
          f"{'peak RSS MB':>11} {'PDF KB':>7}")
    for code in codes:
        queue = context.Queue()
        child = context.Process(target=_render, args=(code, args.keep, queue))
        child.start()
        code, year, pages, snap, total, peak, size = queue.get()
        child.join()
        print(f"{code:<24} {year:>4} {pages:>5} {snap:>10.2f} {total:>8.2f} {total / pages:>7.3f} "
              f"{peak:>11.0f} {size / 1024:>7.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
