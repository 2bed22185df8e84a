"""Every write of budget records: the program → kegiatan → sub kegiatan tree and its money.

Same shape as performance.services: keyword-only, one transaction with the agency's write
lock and the audit entries; the importer, the admin and (later) forms and the API call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from agencies.locks import agency_lock
from agencies.models import Agency
from audit import services as audit
from audit.services import AuditContext, UpsertResult, last_entries
from lkjip.numbers import format_rupiah
from performance.rules import RuleViolation, Violation
from periods.locks import agency_periods, agency_years_periods

from .models import BudgetItem, BudgetLine, SpendingByType, SpendingType
from .spending import spending_rule_violations

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


SPENT = ("spent_q1", "spent_q2", "spent_q3", "spent_q4")


def _spending_lock_violations(
    *, existing: dict, wanted: dict, states: dict
) -> list[Violation]:
    """A quarter's spending changes only while that quarter is open (periods.locks)."""
    violations = []
    for key, values in wanted.items():
        current = existing.get(key)
        for quarter, name in enumerate(SPENT, start=1):
            before = getattr(current, name) if current is not None else 0
            if values[name] == before:
                continue
            lock = states[(values["year"], quarter)].lock
            if lock is not None:
                violations.append(Violation(key, f"realisasi_tw{quarter}", str(values[name]), lock.message))
    return violations


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
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
    violations = _spending_lock_violations(
        existing=existing, wanted=wanted, states=agency_years_periods(agency=agency, years={k[1] for k in wanted})
    )
    if violations:
        raise RuleViolation(violations)
    result = audit.upsert(model=BudgetLine, existing=existing, wanted=wanted, fields=LINE_FIELDS, ctx=ctx)
    stale = [line for key, line in existing.items() if key in without_money]
    # Deleting a line removes its spending: not in a locked quarter either.
    gone = {key: {"year": key[1], **{name: 0 for name in SPENT}} for key, line in existing.items() if key in without_money}
    violations = _spending_lock_violations(
        existing=existing, wanted=gone, states=agency_years_periods(agency=agency, years={k[1] for k in gone})
    )
    if violations:
        raise RuleViolation(violations)
    result.deleted = audit.objects_delete(objects=stale, ctx=ctx)
    return result


# ---- the quarter's spending entered in the browser (and, later, the API) ----


@dataclass(frozen=True)
class SpendingInput:
    item_id: int
    amount: Decimal
    revision: int | None  # the line's revision the form was made from


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def spending_save(
    *, agency: Agency, year: int, quarter: int, rows: Iterable[SpendingInput], ctx: AuditContext
) -> UpsertResult[BudgetLine]:
    """Set the quarter's realisasi of sub kegiatan lines. All or nothing: RuleViolation keyed by
    item id for a locked quarter, a negative amount, a year total above the pagu in force, a
    line without pagu this year, or someone else's newer save of the line."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    agency_lock(agency.code)
    rows = list(rows)
    name = SPENT[quarter - 1]
    lines = {
        line.item_id: line
        for line in BudgetLine.objects.filter(item__agency=agency, year=year, item_id__in=[r.item_id for r in rows])
        .select_related("item")
    }
    lock = agency_periods(agency=agency, year=year)[quarter].lock
    violations: list[Violation] = []
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    existing: dict[tuple[int, int], BudgetLine] = {}
    conflicts = []
    for row in rows:
        line = lines.get(row.item_id)
        if line is None:
            violations.append(Violation(row.item_id, "amount", str(row.amount), f"tidak ada pagu sub kegiatan ini untuk tahun {year}"))
            continue
        if getattr(line, name) == row.amount:
            continue
        if lock is not None:
            violations.append(Violation(row.item_id, "amount", str(row.amount), lock.message))
            continue
        if row.amount < 0:
            violations.append(Violation(row.item_id, "amount", str(row.amount), "realisasi tidak boleh negatif"))
            continue
        total = sum((getattr(line, other) for other in SPENT if other != name), Decimal(0)) + row.amount
        if total > line.ceiling:
            violations.append(Violation(
                row.item_id, "amount", str(row.amount),
                f"realisasi setahun menjadi {format_rupiah(total)}, melebihi pagu {format_rupiah(line.ceiling)} "
                f"(TW ini {format_rupiah(row.amount)}, triwulan lain {format_rupiah(total - row.amount)})",
            ))
            continue
        if row.revision != line.revision:
            conflicts.append(line)
        key = (line.item_id, year)
        existing[key] = line
        wanted[key] = {
            "item_id": line.item_id, "year": year, **{field: getattr(line, field) for field in LINE_FIELDS}, name: row.amount,
        }
    if conflicts:
        last = last_entries(BudgetLine, [line.pk for line in conflicts])
        for line in conflicts:
            entry = last.get(line.pk)
            violations.append(Violation(line.item_id, "conflict", "", (
                f"sementara Anda mengisi, {entry.user_label if entry else 'pengguna lain'} mengubah realisasi ini "
                f"menjadi {format_rupiah(getattr(line, name))}"
                f"{' pada ' + date_format(timezone.localtime(entry.at), 'j F Y H:i') if entry else ''}. "
                "Periksa nilainya; simpan lagi untuk menggantinya dengan isian Anda"
            )))
    if violations:
        raise RuleViolation(violations)
    return audit.upsert(model=BudgetLine, existing=existing, wanted=wanted, fields=[name], ctx=ctx)


# ---- belanja per jenis (operasi, modal, ...): recorded per year, replaced whole ----

SPENDING_FIELDS = ["ceiling_original", "ceiling_amended", "spent", "order"]


@dataclass(frozen=True)
class SpendingTypeInput:
    ceiling_original: Decimal
    ceiling_amended: Decimal | None = None
    spent: Decimal | None = None


def spending_by_type_violations(*, rows: dict[str, SpendingTypeInput]) -> list[Violation]:
    """Keyed by kind: an unknown kind, a negative amount, a group recorded beside its kinds."""
    violations = []
    for kind, row in rows.items():
        if kind not in SpendingType.values:
            violations.append(Violation(kind, "kind", kind, "jenis belanja yang dikenal"))
            continue
        for name in ("ceiling_original", "ceiling_amended", "spent"):
            value = getattr(row, name)
            if value is not None and value < 0:
                violations.append(Violation(kind, name, str(value), "jumlah rupiah tidak negatif"))
    violations += [Violation(kind, "ceiling_original", "", message)
                   for kind, message in spending_rule_violations(rows)]
    return violations


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def spending_by_type_replace(
    *, agency: Agency, year: int, rows: dict[str, SpendingTypeInput], ctx: AuditContext,
    revisions: dict[str, int] | None = None,
) -> UpsertResult[SpendingByType]:
    """Set the year's belanja per jenis to exactly `rows` (kind → amounts): kinds not named are
    removed. `revisions` (kind → revision, as the form showed them) refuses a save over someone
    else's newer change with a "conflict" violation; the importer passes None."""
    agency_lock(agency.code)
    violations = spending_by_type_violations(rows=rows)
    existing = {s.kind: s for s in SpendingByType.objects.filter(agency=agency, year=year)}
    if revisions is not None and revisions != {kind: s.revision for kind, s in existing.items()}:
        last = last_entries(SpendingByType, [s.pk for s in existing.values()])
        entry = max(last.values(), key=lambda e: e.at, default=None)
        who = f"{entry.user_label} pada {date_format(timezone.localtime(entry.at), 'j F Y H:i')}" if entry else "pengguna lain"
        violations.append(Violation(None, "conflict", "", (
            f"sementara Anda mengisi, belanja per jenis tahun {year} diubah oleh {who}. "
            "Periksa nilainya; simpan lagi untuk menggantinya dengan isian Anda")))
    if violations:
        raise RuleViolation(violations)
    order = {kind: index for index, kind in enumerate(SpendingType.values)}
    wanted = {
        kind: {"agency_id": agency.pk, "year": year, "kind": kind, "ceiling_original": row.ceiling_original,
               "ceiling_amended": row.ceiling_amended, "spent": row.spent, "order": order[kind]}
        for kind, row in rows.items()
    }
    result = audit.upsert(model=SpendingByType, existing=existing, wanted=wanted, fields=SPENDING_FIELDS, ctx=ctx)
    result.deleted = audit.objects_delete(objects=[s for kind, s in existing.items() if kind not in wanted], ctx=ctx)
    return result


# ---- one record at a time (the admin) ----


def instance_violations(*, instance: Any, deleting: bool = False) -> list[Violation]:
    """A budget line's spending of a locked quarter changes in the admin no more than in a form;
    a group of belanja per jenis is not recorded beside its kinds."""
    if isinstance(instance, SpendingByType):
        if deleting or instance.agency_id is None or instance.year is None:
            return []
        kinds = set(SpendingByType.objects.filter(agency_id=instance.agency_id, year=instance.year)
                    .exclude(pk=instance.pk).values_list("kind", flat=True)) | {instance.kind}
        return [Violation(kind, "kind", kind, message) for kind, message in spending_rule_violations(kinds)]
    if not isinstance(instance, BudgetLine) or instance.year is None or instance.item_id is None:
        return []
    stored = BudgetLine.objects.filter(pk=instance.pk).first() if instance.pk else None
    agency = BudgetItem.objects.select_related("agency").get(pk=instance.item_id).agency
    years = {instance.year} | ({stored.year} if stored else set())
    states = agency_years_periods(agency=agency, years=years)
    if deleting or (stored is not None and stored.year != instance.year):
        # Leaving a year (deleted, or moved to another): its spending goes from that year.
        wanted = {0: {"year": stored.year, **{name: 0 for name in SPENT}}} if stored else {}
        found = _spending_lock_violations(existing={0: stored} if stored else {}, wanted=wanted, states=states)
        if deleting or found:
            return found
        stored = None  # entering the new year: all of its spending is new there
    values = {"year": instance.year, **{name: getattr(instance, name) for name in SPENT}}
    return _spending_lock_violations(existing={0: stored} if stored else {}, wanted={0: values}, states=states)


@transaction.atomic
def instance_save(*, instance: Any, ctx: AuditContext) -> dict:
    violations = instance_violations(instance=instance)
    if violations:
        raise RuleViolation(violations)
    return audit.instance_save(instance=instance, ctx=ctx)


@transaction.atomic
def instance_delete(*, instance: Any, ctx: AuditContext) -> None:
    violations = instance_violations(instance=instance, deleting=True)
    if violations:
        raise RuleViolation(violations)
    audit.objects_delete(objects=[instance], ctx=ctx)
