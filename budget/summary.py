"""Budget totals for one agency and year, computed from the leaf lines.

Every parent amount and every total is a sum of rows; nothing typed in is shown as a total.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from agencies.models import Agency
from performance.calculations import Result, absorption

from .models import BudgetItem, BudgetLine

ZERO = Decimal(0)


@dataclass
class BudgetNode:
    item: BudgetItem
    ceiling_original: Decimal = ZERO
    ceiling: Decimal = ZERO  # in force: perubahan where revised, else murni
    spent_quarters: list[Decimal] = field(default_factory=lambda: [ZERO] * 4)
    funding_sources: set[str] = field(default_factory=set)
    revised: bool = False
    over_ceiling: bool = False
    children: list[BudgetNode] = field(default_factory=list)
    line: BudgetLine | None = None  # a leaf's own line: where its money is entered

    @property
    def spent(self) -> Decimal:
        return sum(self.spent_quarters, ZERO)

    @property
    def absorption(self) -> Result:
        return absorption(self.spent, self.ceiling)

    @property
    def code(self) -> str:
        return self.item.code

    def walk(self, depth: int = 0):
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass
class BudgetSummary:
    year: int
    programs: list[BudgetNode]

    @property
    def ceiling_original(self) -> Decimal:
        return sum((p.ceiling_original for p in self.programs), ZERO)

    @property
    def ceiling(self) -> Decimal:
        return sum((p.ceiling for p in self.programs), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((p.spent for p in self.programs), ZERO)

    @property
    def spent_quarters(self) -> list[Decimal]:
        return [sum((p.spent_quarters[q] for p in self.programs), ZERO) for q in range(4)]

    @property
    def absorption(self) -> Result:
        return absorption(self.spent, self.ceiling)

    @property
    def is_empty(self) -> bool:
        return not self.programs

    def rows(self):
        for program in self.programs:
            yield from program.walk()

    def by_code(self) -> dict[str, BudgetNode]:
        return {node.code: node for _, node in self.rows()}

    def kind_counts(self) -> dict[str, int]:
        """Programs, kegiatan and sub kegiatan in the year's budget tree (those with money that
        year, and their parents): the one count of "the budget" a document prints."""
        counts = {kind: 0 for kind in BudgetItem.Kind.values}
        for _, node in self.rows():
            counts[node.item.kind] += 1
        return counts

    def supporting_programs(self) -> list[BudgetNode]:
        """The programs linked to a tujuan/sasaran of the Renstra (the efficiency analysis)."""
        return [p for p in self.programs if p.item.objective_id is not None]


@dataclass(frozen=True)
class Completeness:
    """Whether one year's budget can stand beside another's (an earlier year beside the report
    year), and what is missing: lines of the other year with no line in this one, lines with
    no value (pagu and realisasi 0), and the months the records cover."""

    year: int
    complete: bool
    absent: list[tuple[str, str, str]]  # (code, kind, name) budgeted in the other year, not in this
    empty: list[tuple[str, str, str]]  # (code, kind, name) with a line of pagu 0 and realisasi 0
    from_month: int = 1
    to_month: int = 12
    period_note: str = ""
    available: bool = True  # the year has any budget at all

    @property
    def partial_year(self) -> bool:
        return (self.from_month, self.to_month) != (1, 12)


def completeness(
    summary: BudgetSummary, against: BudgetSummary, *, period: tuple[int, int, str] | None = None
) -> Completeness:
    """`summary` (e.g. the year before) measured against `against` (the report year): a leaf
    budgeted in `against` whose item (or an ancestor or descendant of it) has no line in
    `summary` is absent there. Empty summaries are neither complete nor comparable."""
    here = summary.by_code()
    there = [node for _, node in against.rows() if not node.children]

    def covered(code: str) -> bool:
        # The same item, or the same branch entered at another level (a kegiatan one year, its
        # sub kegiatan the next), counts as present.
        return any(c == code or c.startswith(code + ".") or code.startswith(c + ".")
                   for c, node in here.items() if not node.children)

    start, end, note = period or (1, 12, "")
    if summary.is_empty:
        # No budget recorded for the year at all: nothing to compare, the document prints none.
        return Completeness(summary.year, False, [], [], start, end, note, available=False)
    absent = [(n.code, n.item.kind, n.item.name) for n in there if not covered(n.code)]
    budgeted = {code for code, node in against.by_code().items() if node.ceiling > 0}
    # A line of pagu 0 and realisasi 0 matters only where the other year has money on it.
    empty = [(n.code, n.item.kind, n.item.name) for _, n in summary.rows()
             if not n.children and n.ceiling == 0 and n.spent == 0 and n.code in budgeted]
    complete = not summary.is_empty and not absent and not empty and (start, end) == (1, 12)
    return Completeness(summary.year, complete, absent, empty, start, end, note)


def budget_summary(*, agency: Agency, year: int) -> BudgetSummary:
    """The program → kegiatan → sub kegiatan tree for the year, with sums at every level.

    Two queries whatever the size of the tree.
    """
    items = {item.pk: item for item in BudgetItem.objects.filter(agency=agency).select_related("objective")}
    lines = list(BudgetLine.objects.filter(item__agency=agency, year=year))
    nodes: dict[int, BudgetNode] = {}

    def node_for(item_id: int) -> BudgetNode:
        if item_id not in nodes:
            item = items[item_id]
            nodes[item_id] = BudgetNode(item)
            if item.parent_id:
                node_for(item.parent_id).children.append(nodes[item_id])
        return nodes[item_id]

    for line in lines:
        leaf = node_for(line.item_id)
        leaf.line = line
        leaf.revised = line.ceiling_amended is not None
        leaf.over_ceiling = line.spent > line.ceiling
        chain: BudgetNode | None = leaf
        item_id: int | None = line.item_id
        while item_id is not None:
            chain = nodes[item_id]
            chain.ceiling_original += line.ceiling_original
            chain.ceiling += line.ceiling
            chain.spent_quarters = [a + b for a, b in zip(chain.spent_quarters, [line.spent_q1, line.spent_q2, line.spent_q3, line.spent_q4], strict=True)]
            if line.funding_source:
                chain.funding_sources.add(line.funding_source)
            chain.revised = chain.revised or line.ceiling_amended is not None
            item_id = items[item_id].parent_id
    for node in nodes.values():
        node.children.sort(key=lambda child: child.code)
    programs = sorted((n for n in nodes.values() if n.item.parent_id is None), key=lambda n: n.code)
    return BudgetSummary(year=year, programs=programs)
