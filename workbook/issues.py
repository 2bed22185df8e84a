from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem found in a workbook, located precisely enough to fix it in Excel."""

    sheet: str
    row: int | None
    column: str
    value: str
    expected: str

    def __str__(self) -> str:
        where = [f"Sheet {self.sheet}" if self.sheet else "Berkas"]
        if self.row:
            where.append(f"baris {self.row}")
        if self.column:
            where.append(f"kolom {self.column}")
        found = f"nilai {self.value!r}" if self.value != "" else "kosong"
        return f"{', '.join(where)}: {found} — {self.expected}"

    def as_dict(self) -> dict[str, object]:
        return {
            "sheet": self.sheet,
            "baris": self.row,
            "kolom": self.column,
            "nilai": self.value,
            "diharapkan": self.expected,
        }


def shown(value: object) -> str:
    """How a cell value is quoted back to the user."""
    if value is None:
        return ""
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"
