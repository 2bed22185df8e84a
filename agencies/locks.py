"""One writer at a time per agency, and readers that see one consistent state.

Every write service takes the agency's lock inside its transaction, so two imports (or an
import and a form save) of the same agency run one after the other and the result is that
of some serial order. A document snapshot takes the shared lock: it waits for a write in
progress to commit and never reads half of one.

PostgreSQL: a transaction-scoped advisory lock keyed by the agency code (so an agency that a
workbook is about to create is locked too). SQLite: every transaction begins IMMEDIATE
(settings), which takes the database's single write lock; that already serialises writers
and keeps a reader's transaction consistent, so nothing more is needed.
"""

from __future__ import annotations

import hashlib

from django.db import transaction


def _key(code: str) -> int:
    return int.from_bytes(hashlib.sha256(f"lkjip-agency:{code}".encode()).digest()[:8], "big", signed=True)


def agency_lock(code: str, *, shared: bool = False) -> None:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("agency_lock must be taken inside transaction.atomic()")
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [_key(code)])
