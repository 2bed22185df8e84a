"""Two versions of a document, figure by figure, from their frozen snapshots."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Change:
    where: str
    figure: str
    before: str | None
    after: str | None


def _figures(snapshot: dict[str, Any]) -> dict[tuple[str, str], str | None]:
    figures: dict[tuple[str, str], str | None] = {}
    for group in snapshot["measurement"]["groups"]:
        where = f"{group['kind']} {group['code']}"
        figures[(where, "Capaian")] = group["achievement"]["value"]
        figures[(where, "Predikat")] = group["rating"]
        for ind in group["indicators"]:
            # Keyed by code: a renamed indicator is a changed name, not one removed and one added.
            where = f"Indikator {ind['code']}"
            figures[(where, "Nama")] = ind["name"]
            figures[(where, "Target")] = ind["target"]
            figures[(where, "Dokumen target")] = ind["target_document"]
            figures[(where, "Realisasi")] = ind["actual"]
            figures[(where, "Capaian")] = ind["achievement"]["value"]
            figures[(where, "Predikat")] = ind["rating"]
            for quarter, value in enumerate(ind["quarters"], start=1):
                figures[(where, f"TW {quarter}")] = value
            for other in ind["other_targets"]:
                figures[(where, f"Target {other['document']}")] = other["value"]
                figures[(where, f"Capaian terhadap {other['document']}")] = other["achievement"]["value"]
    budget = snapshot["budget"]
    for row in budget["rows"]:
        where = f"Anggaran {row['code']}"
        figures[(where, "Uraian")] = row["name"]
        figures[(where, "Pagu")] = row["ceiling"]
        figures[(where, "Realisasi")] = row["spent"]
        figures[(where, "Serapan")] = row["absorption"]["value"]
    figures[("Anggaran jumlah", "Pagu")] = budget["ceiling"]
    figures[("Anggaran jumlah", "Realisasi")] = budget["spent"]
    figures[("Anggaran jumlah", "Serapan")] = budget["absorption"]["value"]
    for row in snapshot.get("efficiency", []):
        where = f"Efisiensi {row['code']}"
        figures[(where, "Serapan program pendukung")] = row["absorption"]["value"]
        figures[(where, "Selisih capaian − serapan")] = row["gap"]
    return figures


def compare_snapshots(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Every figure whose value differs, appeared or disappeared, in document order."""
    old, new = _figures(before), _figures(after)
    keys = list(old) + [key for key in new if key not in old]
    return [
        Change(where, figure, old.get((where, figure)), new.get((where, figure)))
        for where, figure in keys
        if old.get((where, figure)) != new.get((where, figure))
    ]
