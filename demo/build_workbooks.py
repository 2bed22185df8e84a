"""Build demo/workbooks/<kode>.xlsx from demo/sources/<kode>.toml.

Run from the project root: `python demo/build_workbooks.py`. The sources are the reviewable
truth; the workbooks are what `manage.py load_demo` imports, through the ordinary importer.
TOML integers become numeric cells and strings become text cells (Indonesian notation),
so the demo exercises both ways a number can arrive in a real workbook. Strings go through
lkjip.spreadsheets like every export: the narratives' "- poin" lists must stay text in Excel.
"""

from __future__ import annotations

import datetime as dt
import sys
import tomllib
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT.parent))  # run as a script, the project root (lkjip) is not on the path
SHEET_ORDER = ("Instansi", "Renstra", "Indikator", "Target", "Realisasi", "Anggaran", "Skala", "Pembanding",
               "Narasi", "Pegawai", "Rekomendasi", "PK", "PK_Anggaran", "PK_Alasan", "Belanja", "Statistik", "Statistik_Isi")


def build(source: Path, target: Path) -> None:
    from lkjip.spreadsheets import append_row

    data = tomllib.loads(source.read_text(encoding="utf-8"))
    book = Workbook()
    book.remove(book.active)
    for name in SHEET_ORDER:
        if name not in data:
            continue
        sheet = book.create_sheet(name)
        if name == "Instansi":
            append_row(sheet, ["kunci", "nilai"])
            for key, value in data[name].items():
                append_row(sheet, [key, value])
        else:
            rows = data[name]
            headers: list[str] = []
            for row in rows:
                headers += [key for key in row if key not in headers]
            append_row(sheet, headers)
            for row in rows:
                append_row(sheet, [row.get(header, None) if row.get(header, "") != "" else None for header in headers])
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
