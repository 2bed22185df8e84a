"""An agency's narrative (free text typed or imported from its workbook) as safe HTML."""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

_INLINE_TAGS = re.compile(r"&lt;(/?)(i|b|em|strong|u|sup|sub)&gt;", re.IGNORECASE)
# Emphasis is looked for at every position of a narrative of any length, so its patterns must be
# linear: the text of a **bold** may not contain "**" and that of an *emphasis* no "*", and the
# repeats are possessive (++: never given back), so an opening looks only as far as the next
# delimiter and is tried once (probe F12: "**a " repeated was quadratic with a lazy repeat).
_BOLD = re.compile(r"\*\*(?=\S)((?:(?!\*\*).)++)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]++)(?<=\S)\*(?![\w*])")
_BULLETS = "-*•▪·"
_MARKER = r"(?:[-•✓✔*▪·]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])"
_LIST_LINE = re.compile(rf"^(\s*)({_MARKER})\s+(.*)$")
# The agency's own marker after a bullet ("- a. Kepala Dinas", "• (1) …", "- ✓ …"): that one is kept.
_OWN_MARKER = re.compile(r"^([✓✔]|\(?[0-9]{1,2}[.)]|\(?[a-zA-Z][.)])\s+(.*)$")


def inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _INLINE_TAGS.sub(lambda m: f"<{m.group(1)}{m.group(2).lower()}>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
    return escaped


def prose(text: str | None) -> SafeString:
    """An agency's narrative as HTML: paragraphs at blank lines, lists kept with their own
    markers (one marker an item: "- a." prints "a."), nested where the kind of marker changes
    ("A." with "1." below) or the line is indented further, lines with "|" as a table (the
    first row is the header), <i>/<b> and *emphasis*/**bold** kept; everything else escaped."""
    if not text or not text.strip():
        return mark_safe("")
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    parts: list[str] = []
    levels = _Levels()  # a list goes on across blank lines ("A. …" ⏎⏎ "1. …")
    for block in re.split(r"\n\s*\n", normalised):
        html_parts = _block(block, levels)
        if not any(part.startswith('<p class="item') for part in html_parts):
            levels.close()  # a paragraph on its own between lists: the next list starts afresh
        parts.extend(html_parts)
    return mark_safe("".join(parts))  # every piece of text went through inline (escaped)


def _marker_kind(marker: str) -> str:
    """What kind of numbering a marker belongs to: "1." and "2." are one kind, "a)" another."""
    if marker in _BULLETS:
        return "bullet"
    if marker in "✓✔":
        return "check"
    core = marker.strip("().")
    kind = "number" if core.isdigit() else "upper" if core.isupper() else "lower"
    return ("(" if marker.startswith("(") else "") + kind + marker[-1]


class _Levels:
    """The open list levels of a narrative, outermost first: (kind of marker, indent) each."""

    MAX = 2  # deeper agency lists print at the second level

    def __init__(self) -> None:
        self.open: list[tuple[str, int]] = []

    def depth(self, kind: str, indent: int) -> int:
        """The level of an item: further indented than the last item, a level inside it; else
        the open level numbered the same way (closing the ones inside it); else a new level
        inside the last item ("1." after "b." nests, "c." after "2." goes back out)."""
        while self.open and self.open[-1][1] > indent:
            self.open.pop()  # indented less than the inner items: back out of them
        if not self.open or indent == self.open[-1][1]:
            for index in range(len(self.open) - 1, -1, -1):
                if self.open[index][0] == kind:
                    del self.open[index + 1:]
                    return min(index, self.MAX)
        self.open.append((kind, indent))
        return min(len(self.open) - 1, self.MAX)

    def close(self) -> None:
        self.open.clear()


def _block(block: str, levels: _Levels) -> list[str]:
    parts: list[str] = []
    table: list[list[str]] = []
    paragraph: list[str] = []

    def flush() -> None:
        if len(table) == 1:  # one line with a "|" is text, not a table
            paragraph.append(" | ".join(table[0]))
        elif table:
            parts.append(_table_html(table))
        table.clear()
        if paragraph:
            parts.append("<p>" + "<br>".join(inline(x.strip()) for x in paragraph) + "</p>")
            paragraph.clear()

    lines = [line.rstrip() for line in block.split("\n") if line.strip()]
    for line in lines:
        if "|" in line:
            if not re.fullmatch(r"[\s|:-]+", line):  # skip a markdown header rule
                if paragraph:
                    flush()
                table.append([c.strip() for c in line.strip().strip("|").split("|")])
            continue
        if table:
            flush()
        match = _LIST_LINE.match(line)
        if match:
            flush()
            indent, marker, content = len(match.group(1).expandtabs(4)), match.group(2), match.group(3)
            own = _OWN_MARKER.match(content) if marker in _BULLETS else None
            if own:
                marker, content = own.group(1), own.group(2)
            depth = levels.depth(_marker_kind(marker), indent)
            shown = "•" if marker in _BULLETS else marker
            css = f"item depth-{depth}" if depth else "item"
            parts.append(f'<p class="{css}"><span class="marker">{html.escape(shown)}</span>'
                         f"{inline(content)}</p>")
        else:
            paragraph.append(line)
    flush()
    return parts


def _table_html(rows: list[list[str]]) -> str:
    width = max(len(r) for r in rows)
    padded = [r + [""] * (width - len(r)) for r in rows]
    head = "".join(f"<th>{inline(c)}</th>" for c in padded[0])
    body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>" for row in padded[1:])
    return f'<table class="narrative-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def first_sentences(text: str, limit: int = 320) -> str:
    """The opening of a narrative for the summary: whole sentences up to about `limit` characters."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= limit:
        return flat
    sentences = re.split(r"(?<=[.!?])\s+", flat)
    result = ""
    for sentence in sentences:
        if result and len(result) + len(sentence) + 1 > limit:
            break
        result = f"{result} {sentence}".strip()
    if len(result) > limit:
        result = result[:limit].rsplit(" ", 1)[0]
    return result + " …"
