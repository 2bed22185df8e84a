"""An agency's narrative (free text typed or imported from its workbook) as safe HTML."""

from __future__ import annotations

import html
import re

from django.utils.safestring import SafeString, mark_safe

_INLINE_TAGS = re.compile(r"&lt;(/?)(i|b|em|strong|u|sup|sub)&gt;", re.IGNORECASE)
# The bold text may not contain "**" itself: each opening then looks only as far as the next
# "**", so a narrative full of "**" is linear to render (was quadratic, probe F12).
_BOLD = re.compile(r"\*\*(?=\S)((?:(?!\*\*).)+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])")
_LIST_LINE = re.compile(r"^\s*((?:[-•✓✔*▪·])|(?:\(?[0-9]{1,2}[.)])|(?:\(?[a-zA-Z][.)]))\s+(.*)$")


def inline(text: str) -> str:
    escaped = html.escape(text, quote=False)
    escaped = _INLINE_TAGS.sub(lambda m: f"<{m.group(1)}{m.group(2).lower()}>", escaped)
    escaped = _BOLD.sub(r"<strong>\1</strong>", escaped)
    escaped = _ITALIC.sub(r"<em>\1</em>", escaped)
    return escaped


def prose(text: str | None) -> SafeString:
    """An agency's narrative as HTML: paragraphs at blank lines, lists kept with their own
    markers, lines with "|" as a table (the first row is the header), <i>/<b> and
    *emphasis*/**bold** kept; everything else escaped."""
    if not text or not text.strip():
        return mark_safe("")
    normalised = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    parts: list[str] = []
    for block in re.split(r"\n\s*\n", normalised):
        parts.extend(_block(block))
    return mark_safe("".join(parts))  # every piece of text went through inline (escaped)


def _block(block: str) -> list[str]:
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
        if match and len(lines) > 1:
            flush()
            marker = "•" if match.group(1) in "-*•▪·" else match.group(1)
            parts.append(f'<p class="item"><span class="marker">{html.escape(marker)}</span>'
                         f"{inline(match.group(2))}</p>")
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
