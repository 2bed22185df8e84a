#!/usr/bin/env python
"""Bounded load on the REST API: the measurement and realisasi list at 20 clients against gunicorn.

Run by hand from the project root (this is not a pytest test):

    .venv/bin/python benchmarks/api_load.py                 # PostgreSQL at 127.0.0.1:5432, port 8791
    .venv/bin/python benchmarks/api_load.py --seconds 10 --indicators 0 --port 8792

It drops and creates the PostgreSQL database `--db-name` (lkjip_bench_api; user postgres, trust),
sets the production environment before django.setup() (DATABASE_URL, REDIS_URL db 5,
ALLOWED_HOSTS=127.0.0.1, SECURE_SSL_REDIRECT=false: plain HTTP, STATIC_MANIFEST=false and
API_THROTTLE_RATE=`--throttle-rate`, 1000000/minute: the throttle runs but never answers 429),
migrates, runs `load_demo --if-empty --allow-production`, imports a generated agency
(import_workbook.generate, `--indicators` 500, 2 years) on whose Pemda the demo's `inspektorat`
is made inspector too, and makes one `create_api_token inspektorat` per client (throttling is
per token; at most 20, the active tokens a user may hold: more clients share them). gunicorn (`lkjip.wsgi`, `--workers` = CPUs, sync workers as the Dockerfile's, gthread
with `--threads`) serves 127.0.0.1:`--port` (never 8765, CI's). Per endpoint (the measurement of
Bekasi 2025 and of the generated agency; its realisasi 2025, page_size 100 and 1000): a warm-up,
then `--seconds` (20) of 1 client and of `--clients` (20), each looping GET → whole body on its
own keep-alive connection (the sync worker closes each: the client reconnects, latency includes
the connect). Printed per run: requests, errors by kind (non-200, exceptions), requests/s,
p50/p95/p99/max ms (nearest rank), the server's own time (median duration_ms of the API request
log), KB; the ratio loaded/alone; one measurement request profiled in-process; machine and date.

Exit status 1 if any request erred (gunicorn's traceback is printed), else 0. gunicorn is always
stopped; the database is dropped unless --keep.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import io
import json
import math
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.entry_pages import cpu_model  # noqa: E402
from benchmarks.import_workbook import LAST_YEAR, PG_ADMIN_URL, PG_URL, drop_pg, generate  # noqa: E402

USER = "inspektorat"  # load_demo's GovernmentRole inspector on every demo Pemda
BEKASI = "bekasi-disnaker"
GENERATED = "bench-dinas"  # generate()'s kode_instansi
CI_PORT = 8765


class Connection:
    """An HTTP/1.1 client connection (asyncio streams), reopened when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port, self.reader, self.writer, self.opened = port, None, None, 0

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def get(self, request: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
            self.opened += 1
        self.writer.write(request)
        await self.writer.drain()
        head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(head[0].split(" ", 2)[1])
        headers = {k.strip().lower(): v.strip() for k, _, v in (h.partition(":") for h in head[1:] if h)}
        if "content-length" in headers:  # Django's CommonMiddleware sets it (no chunked answers)
            body = await self.reader.readexactly(int(headers["content-length"]))
        else:
            body, headers["connection"] = await self.reader.read(), "close"
        if headers.get("connection", "").lower() == "close" or head[0].startswith("HTTP/1.0"):
            self.close()
        return status, body


def request_bytes(port: int, path: str, token: str) -> bytes:
    return (f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Token {token}\r\n"
            "Accept: application/json\r\nConnection: keep-alive\r\n\r\n").encode()


@dataclass
class Run:
    clients: int
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # every response, any status
    errors: Counter = field(default_factory=Counter)
    ok: int = 0
    size: int = 0
    connections: int = 0
    started: dt.datetime | None = None
    ended: dt.datetime | None = None
    server_ms: float | None = None  # median duration_ms of the request log

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] * 1000 if ordered else float("nan")


async def load(port: int, path: str, tokens: list[str], clients: int, seconds: float, timeout: float) -> Run:
    loop = asyncio.get_running_loop()
    run = Run(clients, started=dt.datetime.now(dt.timezone.utc))
    deadline = loop.time() + seconds

    async def client(i: int) -> None:
        conn, request = Connection(port), request_bytes(port, path, tokens[i % len(tokens)])
        while loop.time() < deadline:
            start = time.perf_counter()
            try:
                status, body = await asyncio.wait_for(conn.get(request), timeout)
            except Exception as exc:  # noqa: BLE001 - every failure is counted by kind
                run.errors[type(exc).__name__] += 1
                conn.close()
                await asyncio.sleep(0.1)
                continue
            run.latencies.append(time.perf_counter() - start)
            run.ok, run.size = (run.ok + 1, len(body)) if status == 200 else (run.ok, run.size)
            if status != 200:
                run.errors[f"HTTP {status}"] += 1
        conn.close()
        run.connections += conn.opened

    start = time.perf_counter()
    await asyncio.gather(*(client(i) for i in range(clients)))
    run.seconds = time.perf_counter() - start
    run.ended = dt.datetime.now(dt.timezone.utc)
    return run


async def fetch_json(port: int, path: str, token: str) -> tuple[int, dict]:
    conn = Connection(port)
    try:
        status, body = await asyncio.wait_for(conn.get(request_bytes(port, path, token)), 120)
    finally:
        conn.close()
    return status, json.loads(body) if body.startswith(b"{") else {}


def configure(args: argparse.Namespace) -> str:
    """Drop/create the database and set the production environment BEFORE django.setup()."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{args.db_name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{args.db_name}"')
        server = conn.execute("SHOW server_version").fetchone()[0]
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "lkjip.settings", "DATABASE_URL": PG_URL.format(db=args.db_name),
        "REDIS_URL": args.redis_url, "SECRET_KEY": "benchmark-only-not-a-secret-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1", "SITE_URL": f"http://127.0.0.1:{args.port}", "SECURE_SSL_REDIRECT": "false",
        "STATIC_MANIFEST": "false", "API_THROTTLE_RATE": args.throttle_rate,
    })
    return f"PostgreSQL {server}"


def prepare(args: argparse.Namespace, workdir: Path) -> list[str]:
    """Migrate, load the demo and the generated agency; returns one token per client (at most 20,
    the active tokens a user may hold)."""
    from django.core.management import call_command

    from agencies.models import Government, GovernmentRole, User
    from audit.services import AuditContext
    from workbook.services import workbook_import

    call_command("migrate", verbosity=0, interactive=False)
    call_command("load_demo", if_empty=True, allow_production=True, stdout=io.StringIO())
    if args.indicators:
        path = workdir / "generated.xlsx"
        generate(path, args.indicators, 2, 3000)
        report = workbook_import(source=str(path))
        if not report.ok:
            raise SystemExit(f"generated workbook: import FAILED: {[str(e) for e in report.errors[:5]]}")
        from agencies.services import government_role_grant

        user = User.objects.get(username=USER)
        for government in Government.objects.exclude(roles__user=user):
            government_role_grant(user=user, government=government, role=GovernmentRole.Role.INSPECTOR,
                                  ctx=AuditContext(reason="benchmark api_load"))
    from api.services import MAX_ACTIVE_PER_USER

    tokens = []
    for i in range(min(args.clients, MAX_ACTIVE_PER_USER)):  # more clients share them in turn
        out = io.StringIO()
        call_command("create_api_token", USER, name=f"api_load {i + 1}", days=1, stdout=out, stderr=io.StringIO())
        tokens.append(out.getvalue().strip())
    return tokens


def start_gunicorn(args: argparse.Namespace, log: Path) -> subprocess.Popen:
    command = [str(Path(sys.executable).with_name("gunicorn")), "lkjip.wsgi", "--bind", f"127.0.0.1:{args.port}",
               "--workers", str(args.workers), "--timeout", "30", "--error-logfile", "-"]
    if args.threads > 1:
        command += ["--threads", str(args.threads)]
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def stop(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)  # the arbiter stops its workers
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_up(server: subprocess.Popen, port: int, token: str) -> None:
    for _ in range(120):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            if asyncio.run(fetch_json(port, "/api/v1/agencies/", token))[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer within 60 s")


def show_log(log: Path) -> None:
    """The first traceback in gunicorn's log (Django logs a 500 with it), else the log's end."""
    text = log.read_text(errors="replace")
    at = text.find("Traceback")
    print(f"gunicorn log {log}:\n" + (text[max(0, at - 300):at + 6000] if at >= 0 else text[-3000:]), file=sys.stderr)


def server_median(run: Run, path: str) -> float | None:
    """The server's own time for these requests: the API request log's duration_ms."""
    from api.models import ApiRequest

    route, _, query = path.partition("?")
    values = list(ApiRequest.objects.filter(path=route, query=query, at__gte=run.started, at__lte=run.ended)
                  .values_list("duration_ms", flat=True))
    return statistics.median(values) if values else None


PARTS = ("measure", "budget_summary", "_plan", "_agreements", "_measurement", "_budget", "agency_findings")


def split(code: str, year: int) -> str:
    """One measurement request of `code` in-process: build_measurement's wall time and queries, the
    JSON's, and the share of its parts in cProfile's cumulative time (with calls)."""
    import cProfile
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.renderers import JSONRenderer

    from agencies.models import Agency
    from reports.snapshot import build_measurement

    agency = Agency.objects.select_related("government").get(code=code)
    build_measurement(agency=agency, year=year)  # warm
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        data, _ = build_measurement(agency=agency, year=year)
        wall = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    JSONRenderer().render(data)
    render = (time.perf_counter() - start) * 1000
    profile = cProfile.Profile()
    profile.runcall(build_measurement, agency=agency, year=year)
    stats = pstats.Stats(profile).stats  # (file, line, name) → (calls, ncalls, tottime, cumtime, callers)
    total, parts = max(v[3] for v in stats.values()), {}
    for (_, _, name), (_, calls, _, cumulative, _) in stats.items():
        if name in PARTS and cumulative > parts.get(name, (0, 0))[1]:
            parts[name] = (calls, cumulative)
    return (f"build_measurement {wall:,.0f} ms, {len(queries)} queries; JSON {render:,.0f} ms; share of it "
            "(cProfile): " + ", ".join(f"{n} {parts[n][1] / total:.0%} ({parts[n][0]}×)" for n in PARTS if n in parts))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db-name", default="lkjip_bench_api", help="PostgreSQL database to drop and create")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5", help="Redis (db 0 is used by others)")
    parser.add_argument("--port", type=int, default=8791, help="gunicorn port on 127.0.0.1 (default 8791)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="gunicorn workers (CPU count)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (>1: gthread)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--seconds", type=float, default=20, help="duration of each run (default 20)")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request, s (default 60)")
    parser.add_argument("--indicators", type=int, default=500, help="generated agency's indicators (0: none)")
    parser.add_argument("--throttle-rate", default="1000000/minute", help="API_THROTTLE_RATE for the run")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    if args.port == CI_PORT:
        parser.error(f"port {CI_PORT} is CI's; choose another")
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            parser.error(f"something already listens on 127.0.0.1:{args.port}")

    workdir = Path(tempfile.mkdtemp(prefix="lkjip-bench-api-"))
    database = configure(args)
    import django

    django.setup()
    from django.db import connection

    failed: Counter = Counter({"unfinished": 1})
    try:
        failed = measure_all(args, workdir, database)
    finally:
        connection.close()
        try:
            connection.close_pool()
        except Exception:  # noqa: BLE001 - no pool configured
            pass
        if not args.keep:
            drop_pg(args.db_name)
            if not failed:
                for path in workdir.iterdir():
                    path.unlink()
                workdir.rmdir()
        else:
            print(f"kept: database {args.db_name}, {workdir}")
    return 1 if failed else 0


def measure_all(args: argparse.Namespace, workdir: Path, database: str) -> Counter:
    import django
    from django.db import connection

    started = time.perf_counter()
    tokens = prepare(args, workdir)
    prep = time.perf_counter() - started
    large = GENERATED if args.indicators else BEKASI
    endpoints = [
        (f"measurement {BEKASI} {LAST_YEAR}", f"/api/v1/agencies/{BEKASI}/years/{LAST_YEAR}/measurement/"),
        *([(f"measurement {GENERATED} {LAST_YEAR}", f"/api/v1/agencies/{GENERATED}/years/{LAST_YEAR}/measurement/")]
          if args.indicators else []),
        *((f"realisasi {large} {LAST_YEAR} page_size={n}",
           f"/api/v1/realizations/?agency={large}&year={LAST_YEAR}&page_size={n}") for n in (100, 1000)),
    ]
    connection.close()
    log = workdir / "gunicorn.log"
    server = start_gunicorn(args, log)
    results: list[tuple[str, str, int, Run, Run]] = []
    warm_errors: Counter = Counter()
    load_before = os.getloadavg()[0]
    when = dt.datetime.now(dt.timezone.utc)
    try:
        wait_until_up(server, args.port, tokens[0])
        for label, path in endpoints:
            status, data = asyncio.run(fetch_json(args.port, path, tokens[0]))
            if status != 200:
                raise SystemExit(f"{label}: GET {path} answered {status}")
            rows = data["measurement"]["counts"]["indicators"] if "measurement" in data else len(data["results"])
            warm = asyncio.run(load(args.port, path, tokens, args.workers, min(3.0, args.seconds), args.timeout))
            warm_errors.update(warm.errors)
            alone = asyncio.run(load(args.port, path, tokens, 1, args.seconds, args.timeout))
            loaded = asyncio.run(load(args.port, path, tokens, args.clients, args.seconds, args.timeout))
            results.append((label, path, rows, alone, loaded))
            print(f"{label}: {loaded.ok} requests at {args.clients} clients, p50 {loaded.pct(50):,.0f} ms",
                  file=sys.stderr)
    except BaseException:
        show_log(log)
        raise
    finally:
        stop(server)
    load_after = os.getloadavg()[0]
    for _, path, _, alone, loaded in results:
        alone.server_ms, loaded.server_ms = server_median(alone, path), server_median(loaded, path)
    parts = split(large, LAST_YEAR)

    import gunicorn
    from django.conf import settings

    print()
    print("REST API under load (benchmarks/api_load.py)")
    print(f"date {when:%Y-%m-%d %H:%M}–{dt.datetime.now(dt.timezone.utc):%H:%M} UTC; {platform.platform()}")
    print(f"{os.cpu_count()} CPUs ({cpu_model()}); load average (1 min) {load_before:.2f} before the runs, "
          f"{load_after:.2f} after")
    print(f"python {platform.python_version()}, Django {django.get_version()}, {database}, gunicorn "
          f"{gunicorn.__version__} ({args.workers} {'gthread' if args.threads > 1 else 'sync'} workers"
          f"{f' × {args.threads} threads' if args.threads > 1 else ''}, 127.0.0.1:{args.port}), Redis {args.redis_url}")
    print(f"options: --clients {args.clients} --seconds {args.seconds:g} --indicators {args.indicators}; "
          f"API_THROTTLE_RATE={settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['token']} "
          f"({len(tokens)} tokens of {USER} for {args.clients} clients); setup {prep:.0f} s")
    print()
    print("| endpoint | rows | clients | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms "
          "| server p50 ms | KB | connections |")
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    failed: Counter = Counter({f"warm-up {k}": v for k, v in warm_errors.items()})
    for label, _, rows, alone, loaded in results:
        for run in (alone, loaded):
            failed.update(run.errors)
            errors = ", ".join(f"{k} {v}" for k, v in run.errors.items()) or "0"
            server_ms = "–" if run.server_ms is None else f"{run.server_ms:,.0f}"
            print(f"| {label} | {rows:,} | {run.clients} | {len(run.latencies) + sum(run.errors.values()):,} "
                  f"| {errors} | {run.ok / run.seconds:,.1f} | {run.pct(50):,.0f} | {run.pct(95):,.0f} "
                  f"| {run.pct(99):,.0f} | {run.pct(100):,.0f} | {server_ms} | {run.size / 1024:,.0f} "
                  f"| {run.connections:,} |")
    print()
    for label, _, _, alone, loaded in results:
        print(f"{label}: p50 at {args.clients} clients / alone {loaded.pct(50) / alone.pct(50):.1f}×, "
              f"throughput {loaded.ok / loaded.seconds / max(alone.ok / alone.seconds, 1e-9):.2f}× of one client")
    print()
    print(f"one measurement request of {large} {LAST_YEAR} in-process: {parts}")

    if failed:
        print(f"\nERRORS: {dict(failed)}")
        show_log(log)
    return failed


if __name__ == "__main__":
    sys.exit(main())
