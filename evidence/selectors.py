"""Reads of evidence for the pages that show it."""

from __future__ import annotations

from collections.abc import Iterable

from performance.models import PerformanceAgreement

from .models import Evidence


def evidence_for(*, realization_ids: Iterable[int]) -> dict[int, list[Evidence]]:
    """Realization id → its evidence, oldest first, for every id given (an empty list when it has
    none): one query however many entries. Callers have already checked access to the entries."""
    ids = [pk for pk in realization_ids if pk is not None]
    found: dict[int, list[Evidence]] = {pk: [] for pk in ids}
    if not ids:
        return found
    for item in Evidence.objects.filter(realization_id__in=ids).order_by("realization_id", "uploaded_at", "pk"):
        found[item.realization_id].append(item)
    return found


def scans_for(agreement: PerformanceAgreement) -> list[Evidence]:
    """The scans of the signed paper of a PK version, oldest first (one query). The caller has
    already checked access to the version."""
    return list(Evidence.objects.filter(agreement=agreement).order_by("uploaded_at", "pk"))
