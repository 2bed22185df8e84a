"""Belanja by jenis (operasi and its kinds, modal, tidak terduga, transfer) for one agency and year:
the recorded amounts, each group's sum of its kinds, serapan and each row's share of the pagu.

A sibling of summary.py in the measurement layer: the entry page, the snapshot and the findings
read these figures, nothing else computes them. The by-type table is recorded on its own (the
program tree carries no jenis belanja), so its total is compared with the tree's total and a
difference is reported (spending_differences), never adjusted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from agencies.models import Agency
from lkjip.numbers import format_rupiah
from performance.calculations import HUNDRED, REASON_NO_CEILING, Result, absorption

from .models import SPENDING_PARENT, SpendingByType, SpendingType
from .summary import BudgetSummary

ZERO = Decimal(0)
REASON_NO_SPENDING = "Realisasi per jenis belanja belum dicatat"
GROUPS = frozenset(SPENDING_PARENT.values())
ORDER = {kind: index for index, kind in enumerate(SpendingType.values)}


def group_has_kinds_message(kind: str) -> str:
    label = SpendingType(kind).label
    kinds = ", ".join(str(SpendingType(k).label) for k, parent in SPENDING_PARENT.items() if parent == kind)
    return (f"kosongkan {label}: rinciannya ({kinds}) dicatat untuk tahun ini, jadi jumlahnya dihitung dari "
            "rincian tersebut")


def spending_rule_violations(kinds: Iterable[str]) -> list[tuple[str, str]]:
    """(kind, message) for a group recorded with amounts of its own in a year where any of its
    kinds is recorded too: its amounts are then their sum, as a parent's on the Anggaran sheet."""
    present = set(kinds)
    return [
        (group, group_has_kinds_message(group))
        for group in sorted(GROUPS, key=ORDER.__getitem__)
        if group in present and any(SPENDING_PARENT.get(k) == group for k in present)
    ]


@dataclass
class SpendingRow:
    kind: str
    depth: int  # 0: a group or a type without kinds; 1: a kind of operasi or transfer
    ceiling_original: Decimal
    ceiling_amended: Decimal | None
    spent: Decimal | None  # None: not recorded
    computed: bool = False  # a group's amounts, summed from its kinds
    total_ceiling: Decimal = ZERO  # of the whole table, for the share
    record: SpendingByType | None = None

    @property
    def label(self) -> str:
        return str(SpendingType(self.kind).label)

    @property
    def ceiling(self) -> Decimal:
        return self.ceiling_amended if self.ceiling_amended is not None else self.ceiling_original

    @property
    def revised(self) -> bool:
        return self.ceiling_amended is not None

    @property
    def change(self) -> Decimal | None:
        """Bertambah/berkurang: pagu perubahan − pagu murni, where there was a revision."""
        return self.ceiling_amended - self.ceiling_original if self.ceiling_amended is not None else None

    @property
    def change_percent(self) -> Result:
        """The change as a percentage of the pagu murni."""
        if self.change is None:
            return Result(None, "Tidak ada pagu perubahan")
        if not self.ceiling_original:
            return Result(None, REASON_NO_CEILING)
        return Result(self.change / self.ceiling_original * HUNDRED)

    @property
    def absorption(self) -> Result:
        if self.spent is None:
            return Result(None, REASON_NO_SPENDING)
        return absorption(self.spent, self.ceiling)

    @property
    def share(self) -> Result:
        """The row's pagu in force as a percentage of the table's total pagu in force."""
        if not self.total_ceiling:
            return Result(None, REASON_NO_CEILING)
        return Result(self.ceiling / self.total_ceiling * HUNDRED)


@dataclass
class SpendingSummary:
    year: int
    rows: list[SpendingRow] = field(default_factory=list)

    @property
    def top(self) -> list[SpendingRow]:
        return [row for row in self.rows if row.depth == 0]

    @property
    def is_empty(self) -> bool:
        return not self.rows

    @property
    def ceiling_original(self) -> Decimal:
        return sum((row.ceiling_original for row in self.top), ZERO)

    @property
    def ceiling(self) -> Decimal:
        return sum((row.ceiling for row in self.top), ZERO)

    @property
    def revised(self) -> bool:
        return any(row.revised for row in self.top)

    @property
    def spent(self) -> Decimal | None:
        """The total realisasi, when every row of the table records one."""
        if not self.top or any(row.spent is None for row in self.top):
            return None
        return sum((row.spent for row in self.top if row.spent is not None), ZERO)

    @property
    def absorption(self) -> Result:
        if self.spent is None:
            return Result(None, REASON_NO_SPENDING)
        return absorption(self.spent, self.ceiling)

    @property
    def change(self) -> Decimal | None:
        return self.ceiling - self.ceiling_original if self.revised else None


def summarise(year: int, records: Iterable[SpendingByType]) -> SpendingSummary:
    """The table from the recorded rows: each group with its kinds under it, a group's amounts
    summed from its kinds when any is recorded, in the order of SpendingType."""
    by_kind = {record.kind: record for record in records}
    rows: list[SpendingRow] = []
    for kind in SpendingType.values:
        if kind in SPENDING_PARENT:
            continue  # placed under its group
        kinds = [by_kind[k] for k in SpendingType.values if SPENDING_PARENT.get(k) == kind and k in by_kind]
        if kinds:
            amended = [k.ceiling_amended for k in kinds]
            rows.append(SpendingRow(
                kind=kind, depth=0, computed=True,
                ceiling_original=sum((k.ceiling_original for k in kinds), ZERO),
                # A revision of any kind revises the group: the pagu in force of every kind.
                ceiling_amended=sum((k.ceiling for k in kinds), ZERO) if any(a is not None for a in amended) else None,
                spent=None if any(k.spent is None for k in kinds) else sum((k.spent for k in kinds if k.spent is not None), ZERO),
            ))
            rows += [SpendingRow(kind=k.kind, depth=1, ceiling_original=k.ceiling_original,
                                 ceiling_amended=k.ceiling_amended, spent=k.spent, record=k) for k in kinds]
        elif kind in by_kind:
            record = by_kind[kind]
            rows.append(SpendingRow(kind=kind, depth=0, ceiling_original=record.ceiling_original,
                                    ceiling_amended=record.ceiling_amended, spent=record.spent, record=record))
    summary = SpendingSummary(year=year, rows=rows)
    total = summary.ceiling
    for row in rows:
        row.total_ceiling = total
    return summary


def spending_summary(*, agency: Agency, year: int) -> SpendingSummary:
    """One query."""
    return summarise(year, SpendingByType.objects.filter(agency=agency, year=year))


@dataclass(frozen=True)
class SpendingDifference:
    what: str  # "pagu" or "realisasi"
    by_type: Decimal
    budget: Decimal

    @property
    def message(self) -> str:
        difference = self.by_type - self.budget
        label = "pagu yang berlaku" if self.what == "pagu" else "realisasi"
        return (f"jumlah {label} per jenis belanja {format_rupiah(self.by_type)}, sedangkan jumlah {label} "
                f"program/kegiatan/sub kegiatan {format_rupiah(self.budget)} (selisih {format_rupiah(abs(difference))})")


def spending_differences(spending: SpendingSummary, budget: BudgetSummary) -> list[SpendingDifference]:
    """Where the by-type table's total is not the program tree's: the pagu in force, and the
    realisasi when the table records it. The pagu murni is not compared: many agencies record the
    tree with the pagu in force only (Pontianak), so its murni is not the by-type murni."""
    if spending.is_empty or budget.is_empty:
        return []
    found = []
    if spending.ceiling != budget.ceiling:
        found.append(SpendingDifference("pagu", spending.ceiling, budget.ceiling))
    if spending.spent is not None and spending.spent != budget.spent:
        found.append(SpendingDifference("realisasi", spending.spent, budget.spent))
    return found
