"""Numbers in an agency's prose, and whether each matches a figure the app computed. No ORM.

A narrative is checked against the figures of its context (performance.narrative_figures
builds them): an indicator's narrative against that indicator's targets, realisasi, capaian,
earlier years and differences; a report-level narrative against the agency's figures. Only
numbers that say what they are count as claims: a percentage ("94 %", "98,19%", "12 persen"),
a rupiah amount ("Rp 18.113.302.758", "Rp., 1,5 miliar") and a count with its noun ("59 orang
PNS", "15 (sebelas) kegiatan", "9 kasus"). Years, dates, regulation numbers ("Nomor 12 Tahun
2017"), codes ("2.07.03", "IK-01"), list numbering ("1.", "(2)") and numbers in words carry no
such unit and are never read as claims; placeholders ({capaian}) are blanked out before.

A claim matches a figure when the figure, rounded half-up to the decimals the prose prints,
equals it: "98" and "97,97" both match 97,97; "98,0" matches 97,97 (one decimal shown).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .placeholders import PLACEHOLDER_RE

# ---- what a claim is ----

PERCENT = "persen"
RUPIAH = "rupiah"
BY_TYPE = "belanja_jenis"
BY_TYPE_PERCENT = "belanja_jenis_persen"

# The noun after a count, most specific first: a phrase → its class.
_NOUNS: tuple[tuple[str, str], ...] = (
    (r"pegawai\s+negeri\s+sipil", "pns"),
    (r"pns", "pns"),
    (r"pegawai\s+pemerintah\s+dengan\s+perjanjian\s+kerja", "pppk"),
    (r"p3k|pppk", "pppk"),
    (r"non[\s-]?asn|non[\s-]?pns|tkk|ttk|honorer|tenaga\s+kontrak", "nonasn"),
    (r"asn|aparatur\s+sipil\s+negara", "asn"),
    (r"pegawai|karyawan|personil|personel", "pegawai"),
    (r"sub[\s-]?kegiatan", "subkegiatan"),
    (r"kegiatan", "kegiatan"),
    (r"program", "program"),
    (r"indikator", "indikator"),
    (r"kasus|perkara", "kasus"),
)
_NOUN_RE = re.compile(
    r"\s*(?:\([^()\n]{1,40}\)\s*)?(?P<orang>orang\b)?\s*(?:(?P<noun>" + "|".join(f"(?:{p})" for p, _ in _NOUNS)
    + r")\b)?",
    re.IGNORECASE,
)
NOUN_CLASSES = [(re.compile(p, re.IGNORECASE), c) for p, c in _NOUNS]

# Which kinds of computed figure a claim of each class may match. Staff counts, structure counts
# and indicator values ("nilai": targets, realisasi, pembilang/penyebut, earlier years) are
# separate pools, so "59 orang PNS" is checked against the staff table and not against some
# indicator that happens to count 59 of something.
STAFF = ("pegawai", "pns", "pppk", "nonasn", "asn")
ACCEPTS: dict[str, frozenset[str]] = {
    PERCENT: frozenset({PERCENT}),
    RUPIAH: frozenset({RUPIAH}),
    "pns": frozenset({"pns"}),
    "pppk": frozenset({"pppk"}),
    "nonasn": frozenset({"nonasn"}),
    "asn": frozenset({"asn", "pns", "pppk"}),
    "pegawai": frozenset(STAFF),
    "orang": frozenset({*STAFF, "nilai"}),
    "program": frozenset({"program"}),
    "kegiatan": frozenset({"kegiatan"}),
    "subkegiatan": frozenset({"subkegiatan"}),
    "indikator": frozenset({"indikator"}),
    "kasus": frozenset({"nilai"}),
    # Money and shares of one type of spending (belanja operasi, modal, …): the budget records
    # hold no spending by type, so there is nothing to hold such a claim against.
    BY_TYPE: frozenset({BY_TYPE}),
    BY_TYPE_PERCENT: frozenset({BY_TYPE_PERCENT}),
}
# Counts of things in general ("orang", "kasus"): a claim about one of the context's figures
# only when it is of the same order (a half to twice one of them); "2.978 orang pencari kerja"
# next to an indicator of 37,5 % is a statistic the records do not hold, not a wrong figure.
GENERIC = frozenset({"orang", "kasus"})
_BY_TYPE_RE = re.compile(
    r"belanja\s+(?:operasi|pegawai|barang|modal|tidak\s+terduga|transfer|hibah|bantuan|bagi\s+hasil)",
    re.IGNORECASE)

_NUMBER = r"(?P<int>\d{1,3}(?:\.\d{3})+|\d+)(?:,(?P<frac>\d+))?"
# Not a piece of a longer token: no letter, digit, dot or comma glued before it ("IKU1",
# "2.07.03", "1,5"), none after it except punctuation that ends it ("7,33." / "7,33,").
_START = r"(?<![\w.,/])"
_END = r"(?![\w]|[.,/]\d)"
_NUMBER_RE = re.compile(_START + _NUMBER + _END)
_PERCENT_AFTER = re.compile(r"\s*(?:%|persen\b)", re.IGNORECASE)
_RUPIAH_RE = re.compile(r"\bRp\.?[\s,.]*" + _NUMBER + _END, re.IGNORECASE)
_SCALE_AFTER = re.compile(r"\s*(?P<scale>juta|jt|miliar|milyar|triliun|M)\b\.?", re.IGNORECASE)
SCALES = {"juta": Decimal(10) ** 6, "jt": Decimal(10) ** 6, "miliar": Decimal(10) ** 9,
          "milyar": Decimal(10) ** 9, "m": Decimal(10) ** 9, "triliun": Decimal(10) ** 12}
# A count right after one of these words is a reference, not a count: "Tahun 2017 kegiatan",
# "Nomor 3 program", "Pasal 5 …", "Tabel 3.1", "triwulan 2 kegiatan", "ke-3 indikator".
_REFERENCE_BEFORE = re.compile(
    r"(?:\b(?:tahun|th|ta|nomor|nomer|no|pasal|ayat|angka|butir|huruf|tanggal|tgl|kode|tabel|gambar|grafik|"
    r"lampiran|halaman|hal|bab|triwulan|tw|semester|golongan|gol|kelas|tingkat|level|urutan|peringkat|"
    r"ranking|kelompok|tahap|periode|ke)\b\.?\s*[-:]?\s*|ke-\s*)$",
    re.IGNORECASE,
)
# "belum tercapai 100 %", "melebihi 100%": the 100 % line as a reference, not a claimed figure.
_THRESHOLD_BEFORE = re.compile(
    r"\b(?:melebihi|melampaui|lebih\s+dari|kurang\s+dari|di\s+atas|di\s+bawah|diatas|dibawah|belum\s+tercapai|"
    r"belum\s+mencapai|tidak\s+mencapai|hingga|sampai)\s*$",
    re.IGNORECASE,
)
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Mention:
    """One claim in the prose: its class, its value as printed and the precision printed."""

    kind: str  # PERCENT, RUPIAH or a count's noun class ("pns", "kegiatan", "orang", …)
    value: Decimal  # as printed, in units (a rupiah amount with "miliar" already multiplied out)
    places: int  # decimals printed
    text: str  # as written, e.g. "89,4 %", "59 orang Pegawai Negeri Sipil (PNS)"
    start: int
    end: int
    scale: Decimal = Decimal(1)  # "miliar": compare at that unit's precision

    @property
    def accepts(self) -> frozenset[str]:
        return ACCEPTS[self.kind]


@dataclass(frozen=True)
class Figure:
    """A computed (or recorded) figure a claim may state, with how a message names it."""

    kind: str  # PERCENT, RUPIAH, "nilai", or a count class ("pns", "program", "indikator", …)
    value: Decimal
    label: str  # "serapan", "capaian", "jumlah PNS": "…; {label} yang dihitung {shown}"
    shown: str  # the figure as the document prints it: "97,97 %"
    keywords: tuple[str, ...] = ()  # words near a claim about this figure ("serapan", "anggaran")
    rank: int = 5  # which figure a message names first when several fit (0: the headline one)


@dataclass(frozen=True)
class Contradiction:
    mention: Mention
    nearest: Figure | None  # the figure the message names as what was computed


@dataclass
class Context:
    """The figures a narrative may state."""

    figures: list[Figure] = field(default_factory=list)

    def add(self, kind: str, value: Decimal | int | None, label: str, shown: str, keywords: Iterable[str] = (),
            rank: int = 5) -> None:
        if value is None:
            return
        self.figures.append(Figure(kind, Decimal(value), label, shown, tuple(keywords), rank))

    def extend(self, other: Context) -> None:
        self.figures.extend(other.figures)


def _places(frac: str | None) -> int:
    return len(frac) if frac else 0


def _value(int_part: str, frac: str | None) -> Decimal:
    digits = int_part.replace(".", "")
    return Decimal(f"{digits}.{frac}" if frac else digits)


def blank_placeholders(text: str) -> str:
    """The text with every placeholder replaced by spaces (offsets kept): its digits are no claim."""
    return PLACEHOLDER_RE.sub(lambda m: " " * len(m.group(0)), text)


def _by_type(text: str, start: int, end: int) -> bool:
    """Whether the claim is about one type of spending: "Belanja Modal sebesar Rp …", "Rp … untuk
    Belanja Pegawai", within the clause around it."""
    begin = max(_sentence_start(text, start), start - 70)
    return bool(_BY_TYPE_RE.search(text, begin, min(len(text), end + 30)))


def mentions(text: str) -> list[Mention]:
    """Every claim in the text, in order. Placeholders are blanked out first."""
    text = blank_placeholders(text)
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for match in _RUPIAH_RE.finditer(text):
        scale_match = _SCALE_AFTER.match(text, match.end())
        scale = SCALES[scale_match.group("scale").lower()] if scale_match else Decimal(1)
        stop = scale_match.end() if scale_match else match.end()
        value = _value(match.group("int"), match.group("frac"))
        kind = BY_TYPE if _by_type(text, match.start(), stop) else RUPIAH
        found.append(Mention(kind, value * scale, _places(match.group("frac")), text[match.start():stop],
                             match.start(), stop, scale))
        taken.append((match.start(), stop))
    taken_until = -1
    for match in _NUMBER_RE.finditer(text):
        start, end = match.span()
        if start < taken_until or any(a <= start < b for a, b in taken):
            continue
        before = text[max(0, start - 40):start]
        if re.search(r"\w-\s*$", before):  # "IK-01", "2025-2029": a code or a range
            continue
        int_part, frac = match.group("int"), match.group("frac")
        value = _value(int_part, frac)
        places = _places(frac)
        percent = _PERCENT_AFTER.match(text, end)
        if percent:
            stop = percent.end()
            if value == _HUNDRED and _THRESHOLD_BEFORE.search(text[max(0, start - 30):start]):
                continue
            kind = BY_TYPE_PERCENT if _by_type(text, start, stop) else PERCENT
            found.append(Mention(kind, value, places, text[start:stop], start, stop))
            taken_until = stop
            continue
        if frac or _REFERENCE_BEFORE.search(before):
            continue  # counts are whole; list numbers and references are no counts
        if "." not in int_part and 1900 <= value <= 2100:
            continue  # a year
        if text[end:end + 1] in (")", "."):
            continue  # "(2)" or "2." numbering a list
        noun = _NOUN_RE.match(text, end)
        if noun is None or not (noun.group("noun") or noun.group("orang")):
            continue
        if noun.group("noun"):
            kind = next(c for pattern, c in NOUN_CLASSES if pattern.fullmatch(noun.group("noun")))
        else:
            kind = "orang"
        stop = noun.end()
        found.append(Mention(kind, value, places, text[start:stop].strip(), start, stop))
        taken_until = stop
    return sorted(found, key=lambda m: m.start)


def matches(mention: Mention, figure: Figure) -> bool:
    """The figure as the prose would print it (half-up to the prose's decimals) equals the claim.
    Signs are ignored: a difference is written as "penurunan sebesar 28,94 %"."""
    if figure.kind not in mention.accepts:
        return False
    quantum = Decimal(1).scaleb(-mention.places)
    shown = (abs(figure.value) / mention.scale).quantize(quantum, rounding=ROUND_HALF_UP)
    return shown == (mention.value / mention.scale).quantize(quantum, rounding=ROUND_HALF_UP)


_SENTENCE_END = re.compile(r"(?<!\bRp)(?<!\bNo)[.!?]\s+(?=[A-Z\"“”(])|\n")


def _sentence_start(text: str, pos: int) -> int:
    """Where the sentence holding pos starts ("Rp. 4.000" and "No. 8" end none)."""
    start = 0
    for match in _SENTENCE_END.finditer(text, 0, pos):
        start = match.end()
    return start


def _sentence(text: str, mention: Mention) -> str:
    """The prose of the claim's sentence up to the claim (what the message's figure is picked by)."""
    return text[_sentence_start(text, mention.start):mention.end].lower()


def _keywords_in(sentence: str, figure: Figure) -> int:
    """How many of the figure's keywords the sentence has, one more when the word right before
    the claim is one of them ("capaian kinerja 119,59 %")."""
    found = sum(1 for k in figure.keywords if re.search(rf"\b{re.escape(k)}\b", sentence))
    last = " ".join(re.findall(r"[a-z]+", sentence)[-4:])
    return found + (1 if any(re.search(rf"\b{re.escape(k)}\b", last) for k in figure.keywords) else 0)


def nearest(text: str, mention: Mention, figures: Sequence[Figure]) -> Figure | None:
    """The figure a message names as the one computed: of those the claim may state, the ones
    with the most keywords in its sentence, then the headline one (rank), then the closest in value."""
    pool = [f for f in figures if f.kind in mention.accepts]
    if not pool:
        return None
    sentence = _sentence(text, mention)
    return min(pool, key=lambda f: (-_keywords_in(sentence, f), f.rank, abs(abs(f.value) - mention.value)))


def contradictions(text: str, context: Context) -> list[Contradiction]:
    """The claims of the text that match no figure of the context, each with the figure a
    message names. A claim of a class the context has no figure for at all (a rupiah amount in an
    indicator's narrative without budget figures) is not checked: nothing was computed to check it;
    nor is a count in general ("orang", "kasus") far from every figure of the context (GENERIC)."""
    out = []
    for mention in mentions(text):
        pool = [f for f in context.figures if f.kind in mention.accepts]
        if not pool or any(matches(mention, f) for f in pool):
            continue
        if mention.kind in GENERIC and not any(f.value and Decimal("0.5") <= mention.value / abs(f.value) <= 2
                                               for f in pool):
            continue
        out.append(Contradiction(mention, nearest(text, mention, pool)))
    return out
