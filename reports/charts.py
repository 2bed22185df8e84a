"""Charts for the LKjIP document, drawn with matplotlib (Agg, no pyplot) as inline SVG strings.

Vector output with live text: the SVG names the font family ("Noto Sans", the files in
static/fonts/ that the document's CSS embeds), so the labels print in the report's own
typeface. Numbers use Indonesian notation (7,33; 15,53). One figure per chart kind is
kept and cleared between charts, which keeps a chart well under 60 ms.

Input values are the snapshot's strings (full precision, None where not available).
"""

from __future__ import annotations

import io
import re
import textwrap
import threading
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from lkjip.numbers import format_id, round2

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_FAMILY = "Noto Sans"

# The document's palette: black text, one accent, greys.
ACCENT = "#1f4e79"
PAST = "#a9b4c0"
TARGET = "#111111"
END_TARGET = "#7a7a7a"
GRID = "#d9d9d9"
TEXT = "#111111"
MUTED = "#555555"
DASH = "\u2013"  # shown where a value is missing

CM = 1 / 2.54

# The indicator chart's vertical layout, in cm: the plot keeps its height and the figure grows
# by a legend row at a time, so the legend always sits below the year labels, never over them.
PLOT_HEIGHT = 4.2
TOP_MARGIN = 0.3
TICK_LABELS = 0.62  # ticks, their padding and one line of 7.5 pt year labels
LEGEND_ROW = 0.45  # one line of 6.8 pt legend text with its row spacing
LEGEND_PAD = 0.15
# A value label is painted on a small white ground above the reference lines, so the dashed
# end-target line passes behind the number instead of striking through it.
LABEL_GROUND = {"boxstyle": "square,pad=0.12", "facecolor": "white", "edgecolor": "none"}

_RC = {
    "font.family": FONT_FAMILY,
    "font.size": 7.5,
    "svg.fonttype": "none",  # live text in the family above, not paths
    "svg.hashsalt": "lkjip",  # stable element ids: same data, same SVG
    "axes.edgecolor": "#777777",
    "axes.linewidth": 0.6,
    "axes.labelcolor": TEXT,
    "xtick.color": TEXT,
    "ytick.color": TEXT,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 2.5,
    "ytick.major.size": 2.5,
    "text.color": TEXT,
}

_lock = threading.Lock()
_figures: dict[str, Figure] = {}
_fonts_loaded = False


def _load_fonts() -> None:
    global _fonts_loaded
    if _fonts_loaded:
        return
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        path = FONT_DIR / name
        if path.exists():
            font_manager.fontManager.addfont(str(path))
    _fonts_loaded = True


def _figure(kind: str, width_cm: float, height_cm: float) -> Figure:
    figure = _figures.get(kind)
    if figure is None:
        figure = Figure()
        FigureCanvasSVG(figure)
        _figures[kind] = figure
    figure.clear()
    figure.set_size_inches(width_cm * CM, height_cm * CM)
    return figure


_REFERENCE = re.compile(r'(\bid="|url\(#|href="#)([^")]+)')
_STYLE = re.compile(r' style="([^"]*)"')


def _presentation(match: re.Match) -> str:
    """style="fill: #111; font-size: 7px" → fill="#111" font-size="7px": inline SVG in the
    HTML document keeps its look without its style attributes being read as HTML CSS."""
    attributes = []
    for declaration in match.group(1).split(";"):
        name, _, value = declaration.partition(":")
        if name.strip() and value.strip():
            attributes.append(f' {name.strip()}="{value.strip()}"')
    return "".join(attributes)


def _svg(figure: Figure, prefix: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, count=1, flags=re.DOTALL)
    text = re.sub(r"\s*<style[^>]*>.*?</style>", "", text, flags=re.DOTALL)
    text = _STYLE.sub(_presentation, text)
    # Several charts sit in one HTML document: make their element ids unique.
    text = _REFERENCE.sub(lambda m: f"{m.group(1)}{prefix}-{m.group(2)}", text)
    # Size the drawing from its viewBox so the CSS box decides the printed size.
    text = re.sub(r'<svg([^>]*?) width="[^"]*" height="[^"]*"', r"<svg\1", text, count=1)
    return text.strip()


def _dec(value: str | Decimal | None) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(value)


def label(value: Decimal | float | None) -> str:
    """A value for a chart label: two decimals at most, trailing zeros dropped, Indonesian notation."""
    if value is None:
        return DASH
    return format_id(round2(Decimal(str(value))))


def _tick(value: float, _pos: object = None) -> str:
    return label(Decimal(str(round(value, 6))))


def indicator_chart(
    *,
    years: Sequence[int],
    actuals: Sequence[str | None],
    target: str | None,
    target_label: str = "Target",
    past_targets: Sequence[str | None] | None = None,
    end_target: str | None = None,
    end_label: str = "Target akhir Renstra",
    unit: str = "",
    prefix: str = "chart",
) -> str:
    """Realisasi per year as bars (the report year in the accent colour, earlier years grey),
    the year's target as a black tick over the last bar, earlier Renstra targets as small
    markers and the Renstra end target as a dashed line. Returns an SVG string.

    The legend names only what is drawn: a year without realisasi has no bar, so it gets
    no "Realisasi" entry (its place on the axis says "belum tersedia")."""
    values = [_dec(v) for v in actuals]
    past = [_dec(v) for v in (past_targets or [None] * len(years))]
    goal = _dec(target)
    end = _dec(end_target)
    with _lock, matplotlib.rc_context(_RC):
        _load_fonts()
        figure = _figure("indicator", 12.0, 6.0)
        ax = figure.add_axes((0.085, 0.25, 0.83, 0.70))  # placed for good below, once the legend is known
        positions = list(range(len(years)))
        heights = [float(v) if v is not None else 0.0 for v in values]
        colours = [ACCENT if i == len(years) - 1 else PAST for i in positions]
        bars = ax.bar(positions, heights, width=0.56, color=colours, zorder=2)
        numbers = [h for h, v in zip(heights, values, strict=True) if v is not None]
        numbers += [float(v) for v in past if v is not None]
        if goal is not None:
            numbers.append(float(goal))
        if end is not None:
            numbers.append(float(end))
        top = max(numbers) if numbers else 1.0
        top = top if top > 0 else 1.0
        ax.set_ylim(0, top * 1.22)
        for bar, value in zip(bars, values, strict=True):
            x = bar.get_x() + bar.get_width() / 2
            if value is None:
                ax.text(x, top * 0.03, "belum\ntersedia", ha="center", va="bottom", fontsize=6.5, color=MUTED)
            else:
                ax.text(x, bar.get_height() + top * 0.025, label(value), ha="center", va="bottom", fontsize=7,
                        color=TEXT, bbox=LABEL_GROUND, zorder=5)
        handles, names = [], []
        earlier = [i for i, value in enumerate(values[:-1]) if value is not None]
        if earlier:
            handles.append(bars[earlier[0]])
            names.append("Realisasi tahun sebelumnya")
        if values and values[-1] is not None:
            handles.append(bars[-1])
            names.append(f"Realisasi {years[-1]}")
        for i, value in enumerate(past):
            if value is not None and i < len(years) - 1:
                line = ax.hlines(float(value), i - 0.36, i + 0.36, colors=MUTED, linewidth=1.1, linestyles="solid",
                                 zorder=3)
                if "Target Renstra tahun sebelumnya" not in names:
                    handles.append(line)
                    names.append("Target Renstra tahun sebelumnya")
        if goal is not None:
            last = len(years) - 1
            line = ax.hlines(float(goal), last - 0.4, last + 0.4, colors=TARGET, linewidth=1.8, zorder=4)
            ax.text(last + 0.43, float(goal), label(goal), ha="left", va="center", fontsize=7, color=TARGET,
                    fontweight="bold", bbox=LABEL_GROUND, zorder=5)
            handles.append(line)
            names.append(target_label)
        if end is not None:
            line = ax.axhline(float(end), color=END_TARGET, linewidth=0.8, linestyle=(0, (4, 3)), zorder=1)
            handles.append(line)
            names.append(f"{end_label} ({label(end)})")
        ax.set_xticks(positions, [str(y) for y in years])
        ax.set_xlim(-0.7, len(years) - 0.3 + (0.35 if goal is not None else 0))
        ax.yaxis.set_major_locator(MaxNLocator(nbins=4))
        ax.yaxis.set_major_formatter(FuncFormatter(_tick))
        ax.grid(axis="y", color=GRID, linewidth=0.5, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        if unit:
            ax.set_ylabel(unit, fontsize=7, color=MUTED)
        columns = max(1, len(names) if sum(len(n) for n in names) <= 72 else 2)
        rows = -(-len(names) // columns)
        bottom = TICK_LABELS + rows * LEGEND_ROW + LEGEND_PAD
        height = bottom + PLOT_HEIGHT + TOP_MARGIN
        figure.set_size_inches(12.0 * CM, height * CM)
        ax.set_position((0.085, bottom / height, 0.83, PLOT_HEIGHT / height))
        if names:
            figure.legend(handles, names, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncols=columns,
                          frameon=False, fontsize=6.8, handlelength=1.6, columnspacing=1.6, borderaxespad=0.3)
        return _svg(figure, prefix)


def _money_scale(maximum: Decimal) -> tuple[Decimal, str]:
    if maximum >= Decimal("1e9"):
        return Decimal("1e9"), "miliar rupiah"
    if maximum >= Decimal("1e6"):
        return Decimal("1e6"), "juta rupiah"
    return Decimal(1), "rupiah"


def budget_chart(*, programs: Sequence[dict], prefix: str = "budget") -> str:
    """Pagu against realisasi per program, horizontal bars, serapan (%) printed at the end.

    `programs`: dicts with name, ceiling, spent, absorption (snapshot strings)."""
    rows = list(programs)
    ceilings = [_dec(p.get("ceiling")) or Decimal(0) for p in rows]
    spent = [_dec(p.get("spent")) or Decimal(0) for p in rows]
    maximum = max([*ceilings, *spent, Decimal(0)])
    scale, unit = _money_scale(maximum if maximum > 0 else Decimal(1))
    height = max(3.6, 0.85 * len(rows) + 2.0)
    with _lock, matplotlib.rc_context(_RC):
        _load_fonts()
        figure = _figure("budget", 16.0, height)
        ax = figure.add_axes((0.36, 1.55 / height, 0.54, 1 - 1.75 / height))
        positions = list(range(len(rows)))
        pagu = [float(c / scale) for c in ceilings]
        real = [float(s / scale) for s in spent]
        ax.barh([p - 0.19 for p in positions], pagu, height=0.36, color=PAST, label="Pagu", zorder=2)
        ax.barh([p + 0.19 for p in positions], real, height=0.36, color=ACCENT, label="Realisasi", zorder=2)
        top = max([*pagu, *real, 0.0]) or 1.0
        for i, row in enumerate(rows):
            absorption = _dec((row.get("absorption") or {}).get("value"))
            text = f"{format_id(absorption, 2)} %" if absorption is not None else DASH
            ax.text(max(pagu[i], real[i]) + top * 0.02, i, text, va="center", ha="left", fontsize=7,
                    fontweight="bold", color=TEXT)
        names = ["\n".join(textwrap.wrap(str(r.get("name", "")), 38)[:3]) for r in rows]
        ax.set_yticks(positions, names, fontsize=6.8)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.18)
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
        ax.xaxis.set_major_formatter(FuncFormatter(_tick))
        ax.set_xlabel(unit, fontsize=7, color=MUTED)
        ax.grid(axis="x", color=GRID, linewidth=0.5, zorder=0)
        ax.spines[["top", "right"]].set_visible(False)
        ax.tick_params(axis="y", length=0)
        figure.legend(loc="lower center", bbox_to_anchor=(0.63, 0.0), ncols=2, frameon=False, fontsize=6.8,
                      handlelength=1.2, borderaxespad=0.3)
        return _svg(figure, prefix)
