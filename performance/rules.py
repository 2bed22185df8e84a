"""The rules a change of performance records must keep, shared by every write path.

The services call these before writing; the importer turns a violation into a row error, the
admin into a form error, and (later) the API into a 400. Each function only reads what it is
given, so the bulk path checks a whole workbook without a query per row.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .calculations import Band, validate_bands
from .models import PerformanceAgreement, Target

LOCKED_TARGET_FIELDS = ("value", "q1", "q2", "q3", "q4")


@dataclass(frozen=True)
class Violation:
    key: Any  # the natural key of the offending record, so a caller can point at its row
    field: str
    value: str
    message: str


class RuleViolation(Exception):
    def __init__(self, violations: list[Violation]):
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


def approved_agreement_message(agreement: PerformanceAgreement) -> str:
    return (
        f"nilai yang sama dengan {agreement} yang sudah disetujui; perubahan target "
        "dicatat sebagai dokumen pk_perubahan"
    )


def target_violations(
    *,
    existing: Mapping[Any, Target],
    wanted: Mapping[Any, Mapping[str, Any]],
    agreements: Mapping[int, PerformanceAgreement],
) -> list[Violation]:
    """An approved PK is what was signed: its targets can neither change nor be added to."""
    violations = []
    for key, values in wanted.items():
        agreement = agreements.get(values.get("agreement_id"))
        if agreement is None or not agreement.is_locked:
            continue
        current = existing.get(key)
        if current is None or any(getattr(current, name) != values[name] for name in LOCKED_TARGET_FIELDS):
            violations.append(
                Violation(key, "target", str(values["value"]), approved_agreement_message(agreement))
            )
    return violations


def target_instance_violations(*, target: Target, stored: Target | None, deleting: bool = False) -> list[Violation]:
    """The same rule for one target edited (or deleted) in the admin."""
    agreements = {}
    for candidate in (target, stored):
        if candidate is not None and candidate.agreement_id:
            agreements[candidate.agreement_id] = candidate.agreement
    if deleting:
        locked = [a for a in agreements.values() if a.is_locked]
        return [Violation(target.pk, "target", str(target.value), approved_agreement_message(locked[0]))] if locked else []
    values = {name: getattr(target, name) for name in LOCKED_TARGET_FIELDS}
    values["agreement_id"] = target.agreement_id
    violations = target_violations(existing={0: stored} if stored else {}, wanted={0: values}, agreements=agreements)
    if stored is not None and stored.agreement_id != target.agreement_id and stored.agreement.is_locked:
        violations.append(Violation(0, "agreement", str(stored.agreement), approved_agreement_message(stored.agreement)))
    return violations


def scale_violations(*, bands: list[Band]) -> list[Violation]:
    """A scale must rate every value exactly once."""
    return [Violation(None, "bands", "", problem) for problem in validate_bands(bands)]
