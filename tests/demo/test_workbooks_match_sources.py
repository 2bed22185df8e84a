"""The committed demo workbooks are exactly what demo/build_workbooks.py makes of the sources."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from openpyxl import load_workbook

DEMO = Path(__file__).resolve().parents[2] / "demo"
SOURCES = sorted((DEMO / "sources").glob("*.toml"))

spec = importlib.util.spec_from_file_location("build_workbooks", DEMO / "build_workbooks.py")
build_workbooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_workbooks)


def cells(path: Path) -> dict[str, list[tuple]]:
    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}
    finally:
        book.close()


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.stem)
def test_committed_workbook_is_built_from_its_source(source, tmp_path):
    rebuilt = tmp_path / f"{source.stem}.xlsx"
    build_workbooks.build(source, rebuilt)
    committed = DEMO / "workbooks" / f"{source.stem}.xlsx"
    assert committed.exists(), "run `make demo-workbooks` and commit the result"
    assert cells(committed) == cells(rebuilt), "demo workbook is stale: run `make demo-workbooks`"


def test_built_workbook_keeps_formula_like_text_as_text(tmp_path):
    from tests.xlsx import assert_inert

    source = DEMO / "sources" / "banjar-disnakertrans.toml"  # its narratives are "- poin" lists
    assert '"- ' in source.read_text(encoding="utf-8")
    rebuilt = tmp_path / "banjar.xlsx"
    build_workbooks.build(source, rebuilt)
    assert_inert(rebuilt.read_bytes())
