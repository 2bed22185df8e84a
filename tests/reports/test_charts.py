"""The indicator chart's layout, read back from its SVG: the legend below the year labels, the
value labels above the dashed end-target line, a legend entry only for what is drawn."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from reports import charts

SVG = "{http://www.w3.org/2000/svg}"
# Noto Sans's ascender and descender (1,069 and 0,293 em), rounded up: a text's vertical extent.
ASCENT, DESCENT = 1.07, 0.30


def _tree(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def _group(root: ET.Element, name: str) -> list[ET.Element]:
    return [g for g in root.iter(f"{SVG}g") if re.fullmatch(rf"chart-{name}_\d+", g.get("id", ""))]


def _extent(text: ET.Element) -> tuple[float, float]:
    """(top, bottom) of a text element in SVG units (y grows downwards)."""
    size = float(text.get("font-size").removesuffix("px"))
    y = float(text.get("y") or re.search(r"translate\([\d.]+ ([\d.]+)\)", text.get("transform")).group(1))
    return y - ASCENT * size, y + DESCENT * size


def _legend(root: ET.Element) -> list[ET.Element]:
    return [t for g in _group(root, "legend") for t in g.iter(f"{SVG}text")]


def _serang_like(**changes) -> str:
    """Four years, earlier Renstra targets, the year's target and an end target: five legend
    entries, as on Serang's charts."""
    arguments = {
        "years": [2018, 2019, 2020, 2021],
        "actuals": ["72.5", "80", "85.4", "88.2"],
        "target": "90",
        "target_label": "Target PK 2021",
        "past_targets": ["70", "78", "84", None],
        "end_target": "95",
        "unit": "%",
    }
    arguments.update(changes)
    return charts.indicator_chart(**arguments)


@pytest.mark.parametrize("changes", [
    {},  # five entries in two columns: three legend rows
    {"end_target": None, "past_targets": None},  # three entries in one row
    {"years": [2021], "actuals": ["88.2"], "past_targets": None},  # a single year
    {"target_label": "Target Perjanjian Kinerja Perubahan Tahun 2021 (setelah pergeseran anggaran)"},
])
def test_legend_sits_below_the_year_labels(changes):
    root = _tree(_serang_like(**changes))
    years = [t for g in _group(root, "xtick") for t in g.iter(f"{SVG}text")]
    legend = _legend(root)
    assert years and legend
    lowest_year = max(_extent(t)[1] for t in years)
    highest_entry = min(_extent(t)[0] for t in legend)
    assert highest_entry > lowest_year, (highest_entry, lowest_year)
    # and the legend stays inside the drawing
    height = float(root.get("viewBox").split()[3])
    assert max(_extent(t)[1] for t in legend) <= height


def test_end_target_line_passes_behind_the_value_labels():
    # The end target equals the 2020 value: the dashed line runs through that label's height.
    svg = _serang_like(actuals=["60", "70", "95", "88.2"], end_target="97")
    root = _tree(svg)
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    line_y = float(re.match(r"M [\d.]+ ([\d.]+)", dashed[0].get("d")).group(1))
    labels = []
    for group in _group(root, "text"):
        texts = group.findall(f"{SVG}text")
        # value labels: 7 px, centred over their bar (the axis' tick labels are 7,5 px)
        if (texts and texts[0].get("font-size") == "7px" and texts[0].get("text-anchor") == "middle"
                and "rotate(-90" not in texts[0].get("transform", "")):
            labels.append(group)
    assert sorted(g.find(f"{SVG}text").text for g in labels) == ["60", "70", "88,2", "95"]
    crossed = [g for g in labels if _extent(g.find(f"{SVG}text"))[0] <= line_y <= _extent(g.find(f"{SVG}text"))[1]]
    assert crossed, "the case must put a label on the line"
    order = [element for element in root.iter()]
    for group in labels:
        ground = [p for p in group.iter(f"{SVG}path") if p.get("fill") == "#ffffff"]
        assert ground, f"label {group.find(f'{SVG}text').text} has no white ground"
        ys = [float(v) for v in re.findall(r"[\d.]+ ([\d.]+)", ground[0].get("d"))]
        top, bottom = _extent(group.find(f"{SVG}text"))
        assert min(ys) <= top + 1.5 and max(ys) >= bottom - 1.5  # the ground covers the number
        assert order.index(group) > order.index(dashed[0])  # painted after (over) the line


def test_no_legend_entry_for_a_series_without_a_value():
    names = [t.text for t in _legend(_tree(_serang_like(actuals=["72.5", "80", "85.4", None])))]
    assert "Realisasi 2021" not in names
    assert "Realisasi tahun sebelumnya" in names

    names = [t.text for t in _legend(_tree(_serang_like(actuals=[None, None, None, "88.2"])))]
    assert "Realisasi tahun sebelumnya" not in names
    assert "Realisasi 2021" in names

    names = [t.text for t in _legend(_tree(_serang_like()))]
    assert sorted(names) == sorted(["Realisasi tahun sebelumnya", "Realisasi 2021", "Target Renstra tahun sebelumnya",
                                    "Target PK 2021", "Target akhir Renstra (95)"])


def test_same_input_same_svg():
    assert _serang_like() == _serang_like()
    assert _serang_like(prefix="g3") == _serang_like(prefix="g3")
    budget = [{"name": "Program A", "ceiling": "1000000", "spent": "900000", "absorption": {"value": "90"}}]
    assert charts.budget_chart(programs=budget) == charts.budget_chart(programs=budget)
