"""Numbers of chapters, sections, tables and charts, and the lists built from them (daftar
isi, daftar tabel, daftar grafik).

A part of the document declares each heading, table and chart with its place in that part
(`at`, a tuple of ints read like an outline: (2,) is the part's second section, (2, 1) the
first thing inside it). Nothing is numbered while the parts are built; `finish()` sorts
every declaration by part (PARTS, the document's order) and place, and only then gives the
numbers: "Tabel 3.2" is the second table in BAB III as printed, whichever builder ran first.
Headings are numbered by their chapter's style (1.1, 1.2 … in BAB I; A., B. with 1., 2. and
3.1 below them in BAB III), counting only the headings the document has.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from .formatting import NUMERALS

# The parts in document order; chapters are those of them the document has, numbered I, II, …
PARTS = ("front", "bab1", "bab2", "bab3", "rekomendasi", "penutup", "reviu", "lampiran")
CHAPTERS = ("bab1", "bab2", "bab3", "rekomendasi", "penutup")
# How a chapter numbers its headings, by depth: "chapter" 1.1, "letter" A., "dot" 1., "parent" 3.1.
HEADING_STYLES: dict[str, tuple[str, ...]] = {"bab3": ("letter", "dot", "parent")}
DEFAULT_STYLE = ("chapter", "parent", "parent")


@dataclass
class Numbered:
    kind: str  # "Tabel" or "Grafik"
    title: str
    part: str
    at: tuple[int, ...]
    draw: Callable[[str], str] | None = None  # a chart's SVG, given its id prefix
    number: str = ""
    id: str = ""
    svg: SafeString | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass
class Chapter:
    key: str
    numeral: str
    title: str
    id: str


@dataclass
class _Heading:
    part: str
    at: tuple[int, ...]
    entry: dict[str, Any]
    numbered: bool = True  # False: the label is given (front matter, lampiran)


@dataclass
class Numbering:
    chapter_keys: list[str]
    chapters: dict[str, Chapter] = field(default_factory=dict)
    toc: list[dict[str, Any]] = field(default_factory=list)
    tables: list[Numbered] = field(default_factory=list)
    charts: list[Numbered] = field(default_factory=list)
    _headings: list[_Heading] = field(default_factory=list)
    _items: list[Numbered] = field(default_factory=list)

    def __post_init__(self) -> None:
        unknown = [key for key in self.chapter_keys if key not in CHAPTERS]
        if unknown:
            raise ValueError(f"unknown chapters: {unknown}")
        ordered = [key for key in CHAPTERS if key in self.chapter_keys]
        self.numerals = {key: NUMERALS[index] for index, key in enumerate(ordered)}

    # -------------------------------------------------------- declarations

    def chapter(self, key: str, title: str) -> Chapter:
        chapter = Chapter(key, self.numerals[key], title, f"bab-{key}")
        self.chapters[key] = chapter
        self._headings.append(_Heading(key, (), {"level": 1, "id": chapter.id, "label": f"BAB {chapter.numeral}",
                                                 "title": title.upper()}, numbered=False))
        return chapter

    def entry(self, part: str, at: tuple[int, ...], *, id: str, title: str, label: str = "",
              level: int = 0) -> dict[str, Any]:
        """A heading whose label is given: front matter, the reviu statement, the lampiran."""
        entry = {"level": level, "id": id, "label": label, "title": title}
        self._headings.append(_Heading(part, at, entry, numbered=False))
        return entry

    def section(self, part: str, at: tuple[int, ...], title: str) -> dict[str, Any]:
        """A numbered heading of a chapter; its level is its depth (at=(2,) is a level-2 heading)."""
        entry: dict[str, Any] = {"level": len(at) + 1, "id": "", "label": "", "title": title}
        self._headings.append(_Heading(part, at, entry))
        return entry

    def table(self, part: str, at: tuple[int, ...], title: str) -> Numbered:
        item = Numbered("Tabel", title, part, at)
        self._items.append(item)
        return item

    def chart(self, part: str, at: tuple[int, ...], title: str, draw: Callable[[str], str]) -> Numbered:
        """A chart; `draw(prefix)` makes its SVG once its place is known (the prefix keeps the
        ids of the SVGs in one document apart)."""
        item = Numbered("Grafik", title, part, at, draw)
        self._items.append(item)
        return item

    # -------------------------------------------------------- numbering

    def finish(self) -> None:
        """Number everything declared, in document order, and build the lists."""
        order = {part: index for index, part in enumerate(PARTS)}

        def place(part: str, at: tuple[int, ...]) -> tuple[int, tuple[int, ...]]:
            return order[part], at

        headings = sorted(self._headings, key=lambda h: place(h.part, h.at))
        self._number_headings(headings)
        self.toc = [h.entry for h in headings]
        items = sorted(self._items, key=lambda i: place(i.part, i.at))
        counters: dict[tuple[str, str], int] = {}
        self.tables, self.charts = [], []
        for item in items:
            chapter = self.chapters.get(item.part)
            if chapter is None:
                raise ValueError(f"{item.kind} outside a chapter: {item.title}")
            key = (item.part, item.kind)
            counters[key] = counters.get(key, 0) + 1
            item.number = f"{NUMERALS.index(chapter.numeral) + 1}.{counters[key]}"
            item.id = f"{item.kind.lower()}-{item.number.replace('.', '-')}"
            (self.tables if item.kind == "Tabel" else self.charts).append(item)
        for index, item in enumerate(self.charts, start=1):
            assert item.draw is not None
            item.svg = mark_safe(item.draw(f"g{index}"))

    def _number_headings(self, headings: list[_Heading]) -> None:
        indexes: dict[tuple[str, tuple[int, ...]], int] = {}
        numbers: dict[tuple[str, tuple[int, ...]], str] = {}  # a heading's number without its dot
        for heading in headings:
            if not heading.numbered:
                continue
            parent = heading.at[:-1]
            index = indexes[(heading.part, parent)] = indexes.get((heading.part, parent), 0) + 1
            chapter = self.chapters[heading.part]
            styles = HEADING_STYLES.get(heading.part, DEFAULT_STYLE)
            style = styles[min(len(heading.at), len(styles)) - 1]
            if style == "letter":
                number, label = string.ascii_uppercase[index - 1], f"{string.ascii_uppercase[index - 1]}."
            elif style == "dot":
                number, label = str(index), f"{index}."
            elif style == "chapter":
                number = label = f"{NUMERALS.index(chapter.numeral) + 1}.{index}"
            else:
                number = label = f"{numbers[(heading.part, parent)]}.{index}"
            numbers[(heading.part, heading.at)] = number
            key = re.sub(r"[^a-z0-9]+", "-", f"{chapter.key}-{label}-{heading.entry['title']}".lower())
            heading.entry.update(id=f"s-{key}"[:80], label=label)
