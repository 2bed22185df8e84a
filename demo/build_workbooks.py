"""Build demo/workbooks/<kode>.xlsx from demo/sources/<kode>.toml.

Run from the project root: `python demo/build_workbooks.py`. The sources are the reviewable
truth; the workbooks are what `manage.py load_demo` imports, through the ordinary importer.
TOML integers become numeric cells and strings become text cells (Indonesian notation),
so the demo exercises both ways a number can arrive in a real workbook.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent
SHEET_ORDER = ("Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran", "Skala", "Pembanding",
               "Narasi", "Pegawai", "Rekomendasi")


def build(source: Path, target: Path) -> None:
    data = tomllib.loads(source.read_text(encoding="utf-8"))
    book = Workbook()
    book.remove(book.active)
    for name in SHEET_ORDER:
        if name not in data:
            continue
        sheet = book.create_sheet(name)
        if name == "Instansi":
            sheet.append(["kunci", "nilai"])
            for key, value in data[name].items():
                sheet.append([key, value])
        else:
            rows = data[name]
            headers: list[str] = []
            for row in rows:
                headers += [key for key in row if key not in headers]
            sheet.append(headers)
            for row in rows:
                sheet.append([row.get(header, None) if row.get(header, "") != "" else None for header in headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    # A fixed timestamp keeps rebuilt files byte-identical when the sources did not change.
    book.properties.created = book.properties.modified = dt.datetime(2026, 1, 1)
    target.parent.mkdir(parents=True, exist_ok=True)
    book.save(target)


def main() -> int:
    sources = sorted((ROOT / "sources").glob("*.toml"))
    for source in sources:
        target = ROOT / "workbooks" / f"{source.stem}.xlsx"
        build(source, target)
        print(f"{source.relative_to(ROOT)} -> {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
