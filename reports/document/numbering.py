"""Numbers of chapters, sections, tables and charts, and the lists built from them (daftar
isi, daftar tabel, daftar grafik)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from .formatting import arabic


@dataclass
class Numbered:
    kind: str  # "Tabel", "Grafik" or "Gambar"
    number: str
    id: str
    title: str
    svg: SafeString | None = None
    image: dict[str, str] | None = None  # a figure's picture: src (a data: URL), width and height

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass
class Chapter:
    key: str
    numeral: str
    title: str
    id: str
    counters: dict[str, int] = field(default_factory=lambda: {"Tabel": 0, "Grafik": 0, "Gambar": 0})


class Numbering:
    def __init__(self) -> None:
        self.tables: list[Numbered] = []
        self.charts: list[Numbered] = []
        self.figures: list[Numbered] = []  # pictures (the organisation chart): the daftar gambar
        self.toc: list[dict[str, Any]] = []
        self.chapter: Chapter | None = None

    def start_chapter(self, key: str, numeral: str, title: str) -> Chapter:
        self.chapter = Chapter(key, numeral, title, f"bab-{key}")
        self.toc.append({"level": 1, "id": self.chapter.id, "label": f"BAB {numeral}", "title": title.upper()})
        return self.chapter

    def front(self, id_: str, title: str) -> dict[str, Any]:
        self.chapter = None
        entry = {"level": 0, "id": id_, "label": "", "title": title}
        self.toc.append(entry)
        return entry

    def part(self, id_: str, title: str) -> dict[str, Any]:
        """An unnumbered part after the chapters (the reviu statement, the lampiran)."""
        self.chapter = None
        entry = {"level": 1, "id": id_, "label": "", "title": title}
        self.toc.append(entry)
        return entry

    def entry(self, entry: dict[str, Any]) -> dict[str, Any]:
        self.toc.append(entry)
        return entry

    def section(self, number: str, title: str, level: int = 2) -> dict[str, Any]:
        key = re.sub(r"[^a-z0-9]+", "-", f"{self.chapter.key if self.chapter else 'x'}-{number}-{title}".lower())
        entry = {"level": level, "id": f"s-{key}"[:80], "label": number, "title": title}
        self.toc.append(entry)
        return entry

    def _next(self, kind: str) -> str:
        assert self.chapter is not None
        self.chapter.counters[kind] += 1
        return f"{arabic(self.chapter.numeral)}.{self.chapter.counters[kind]}"

    def table(self, title: str) -> Numbered:
        number = self._next("Tabel")
        item = Numbered("Tabel", number, f"tabel-{number.replace('.', '-')}", title)
        self.tables.append(item)
        return item

    def chart(self, title: str, svg: str) -> Numbered:
        number = self._next("Grafik")
        item = Numbered("Grafik", number, f"grafik-{number.replace('.', '-')}", title, mark_safe(svg))
        self.charts.append(item)
        return item

    def figure(self, title: str, image: dict[str, str]) -> Numbered:
        number = self._next("Gambar")
        item = Numbered("Gambar", number, f"gambar-{number.replace('.', '-')}", title, image=image)
        self.figures.append(item)
        return item
