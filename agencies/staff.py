"""Staff figures as the LKjIP states them: per table (jabatan, golongan, …) the employment
statuses present, the totals per status and row, and the whole. Pure, no ORM; reads the staff
part of a snapshot (reports.snapshot), so an older stored snapshot gets the same."""

from __future__ import annotations

from typing import Any

STATUS_ORDER = ("PNS", "PPPK", "Non-ASN")  # the known statuses first, in this order; others after


def staff_figures(staff: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """{"order": the tables in the agency's order, "tables": {dimension: {"statuses",
    "row_totals", "totals" (per status, in that order), "total"}}}. The order is a list because
    PostgreSQL's jsonb does not keep the keys of a stored object in order (it sorts them), so a
    stored snapshot read back there would print the tables in another order than built."""
    result = {}
    for dimension, rows in staff.items():
        present = {status for row in rows for status in row["counts"]}
        statuses = [x for x in STATUS_ORDER if x in present] + sorted(present - set(STATUS_ORDER))
        totals = dict.fromkeys(statuses, 0)
        row_totals = []
        for row in rows:
            for status in statuses:
                totals[status] += row["counts"].get(status) or 0
            row_totals.append(sum(row["counts"].get(status) or 0 for status in statuses))
        result[dimension] = {"statuses": statuses, "row_totals": row_totals,
                             "totals": [totals[s] for s in statuses], "total": sum(totals.values())}
    return {"order": list(staff), "tables": result}
