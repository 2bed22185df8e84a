"""Every write of budget records: the program → kegiatan → sub kegiatan tree and its money.

Same shape as performance.services: keyword-only, one transaction with the agency's write
lock and the audit entries; the importer, the admin and (later) forms and the API call these.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from agencies.locks import agency_lock
from agencies.models import Agency
from audit import services as audit
from audit.services import AuditContext, UpsertResult

from .models import BudgetItem, BudgetLine

LINE_FIELDS = [
    "funding_source", "ceiling_original", "ceiling_amended", "spent_q1", "spent_q2", "spent_q3", "spent_q4",
    "responsible",
]


@transaction.atomic(savepoint=False)
def budget_items_upsert(
    *, agency: Agency, rows: dict[str, dict[str, Any]], parent_code: dict[str, str | None], ctx: AuditContext
) -> UpsertResult[BudgetItem]:
    """rows: code → kind, name, objective_id (agency and parent filled in here)."""
    agency_lock(agency.code)
    existing = {item.code: item for item in BudgetItem.objects.filter(agency=agency)}
    wanted = {code: {"agency_id": agency.pk, "code": code, **values} for code, values in rows.items()}
    return audit.tree_upsert(
        model=BudgetItem, existing=existing, wanted=wanted, parent_code=parent_code,
        fields=["kind", "name", "parent_id", "objective_id"], ctx=ctx,
    )


@transaction.atomic(savepoint=False)
def budget_lines_upsert(
    *,
    agency: Agency,
    rows: dict[tuple[int, int], dict[str, Any]],
    without_money: set[tuple[int, int]],
    ctx: AuditContext,
) -> UpsertResult[BudgetLine]:
    """rows: (item_id, year) → LINE_FIELDS. A line whose (item, year) is in `without_money`
    (the row now has sub-rows, or carries no money that year) is deleted: only leaves hold money."""
    agency_lock(agency.code)
    existing = {(line.item_id, line.year): line for line in BudgetLine.objects.filter(item__agency=agency)}
    wanted = {key: {"item_id": key[0], "year": key[1], **values} for key, values in rows.items()}
    result = audit.upsert(model=BudgetLine, existing=existing, wanted=wanted, fields=LINE_FIELDS, ctx=ctx)
    stale = [line for key, line in existing.items() if key in without_money]
    result.deleted = audit.objects_delete(objects=stale, ctx=ctx)
    return result
