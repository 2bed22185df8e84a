"""The Perjanjian Kinerja document: one PK version's contents in, the standard two-part PDF out.

Part 1 is the statement (pernyataan) of both parties with their signature blocks; part 2 the
lampiran: the sasaran and their indicators and targets (with the Rencana Aksi per quarter when
the version has one), program-level indicators, the program budget with its Jumlah computed
from the rows, the notes (the amendment, every target that differs from the Renstra and why)
and the signature blocks again.

Everything printed comes from `performance.agreements.shown_contents` (the frozen contents of
an approved version) and a `Record` of the version's state (status, approval date, the frozen
sha256, which version it amends): `record_of` reads them from the agreement before rendering,
and nothing after that touches the database. Fonts, stylesheet and the fetcher that refuses
every URL but the project's static files are the LKjIP document's (reports.document.pdf).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from lkjip.numbers import as_decimal, format_id
from performance.agreements import signed_position
from performance.models import PerformanceAgreement

from .document.formatting import tanggal
from .document.pdf import BASE_URL, Rendered, StaticFetcher, _font_timestamp, _pin_font_dates, css_string

TEMPLATE = "reports/pk/document.html"
STYLESHEET = "/static/reports/pk.css"
DRAFT = "DRAF — BELUM DISETUJUI"
QUARTERS = ("TW I", "TW II", "TW III", "TW IV")
DOTS = "……………………"
ACTING_TEXT = {"plt": "Pelaksana Tugas (Plt.)", "plh": "Pelaksana Harian (Plh.)"}


@dataclass(frozen=True)
class Record:
    """What the document prints besides the version's contents: its state."""

    status: str  # PerformanceAgreement.Status
    status_label: str
    approved_at: datetime.datetime | None  # when it was approved (approved versions only)
    sha256: str  # of the frozen contents (approved versions only)
    amends_label: str  # "PK Murni": the version an amendment changes; "" for the murni
    government: str  # the Pemda's name

    @property
    def approved(self) -> bool:
        return self.status == PerformanceAgreement.Status.APPROVED


def record_of(agreement: PerformanceAgreement) -> Record:
    """The version's state; reads agreement.amends and agreement.agency.government (select them)."""
    approved = agreement.status == PerformanceAgreement.Status.APPROVED
    amends = agreement.amends if agreement.amends_id else None
    return Record(
        status=agreement.status,
        status_label=str(agreement.get_status_display()),
        approved_at=agreement.status_changed_at if approved else None,
        sha256=agreement.frozen_sha256 if approved else "",
        amends_label=f"PK {amends.version_label}" if amends is not None else "",
        government=agreement.agency.government.name,
    )


def file_name(contents: dict[str, Any], record: Record) -> str:
    """PK-<kode>-<tahun>-v<n>.pdf; an unapproved version's name says it is a draft."""
    suffix = "" if record.approved else "-draf"
    return f"PK-{contents['agency']['code']}-{contents['year']}-v{contents['number']}{suffix}.pdf"


# ---------------------------------------------------------------- the view model


def amount(value: Any) -> str:
    """Rupiah without the sign, cents only when there are any: 1.250.000.000; 33.417.070.609,32."""
    number = as_decimal(value)
    if number is None:
        return "–"
    return format_id(number, 0 if number == number.to_integral_value() else 2)


def version_title(number: int) -> str:
    """"", "PERUBAHAN", "PERUBAHAN KE-2": what follows PERJANJIAN KINERJA in the title."""
    if number == 0:
        return ""
    return "PERUBAHAN" if number == 1 else f"PERUBAHAN KE-{number}"


def _party(party: dict[str, Any] | None, side: str) -> dict[str, Any]:
    party = party or {}
    capacity = party.get("capacity") or "definitif"
    decree = ""
    if side == "first" and capacity in ACTING_TEXT:
        decree = (f"{ACTING_TEXT[capacity]} berdasarkan Surat Keputusan Nomor {party.get('decree_number') or DOTS} "
                  f"tanggal {tanggal(party.get('decree_date')) or DOTS}")
    return {
        "name": party.get("name") or "",
        "nip": party.get("nip") or "",
        "position": signed_position(party) or "",
        "capacity": capacity,
        "decree": decree,
    }


def _groups(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive rows of one owner (sasaran or program) under one cell."""
    groups: list[dict[str, Any]] = []
    for row in rows:
        if not groups or groups[-1]["code"] != row["owner_code"]:
            groups.append({"code": row["owner_code"], "text": row["owner_text"], "rows": []})
        quarters = list(row.get("quarters") or [None] * 4)
        groups[-1]["rows"].append({**row, "quarters": quarters, "span": 0})
    number = 0
    for group in groups:
        number += 1
        group["no"] = number
        group["span"] = len(group["rows"])
    return groups


def _table(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not rows:
        return None
    return {
        "groups": _groups(rows),
        "quarters": any(any(q is not None for q in row.get("quarters") or []) for row in rows),
    }


def _unit_text(value: Any, unit: str) -> str:
    shown = format_id(value)
    return f"{shown} {unit}".strip() if unit else shown


def _notes(contents: dict[str, Any], record: Record) -> dict[str, Any]:
    amendment = ""
    if contents.get("number"):
        parts = [f"{contents.get('label') or 'PK Perubahan'} ini mengubah "
                 f"{record.amends_label or 'PK sebelumnya'} Tahun {contents['year']}"]
        cause = contents.get("cause_label") or ""
        note = (contents.get("cause_note") or "").strip().rstrip(".;")
        if cause or note:
            parts.append(f"sebab perubahan: {cause}{' — ' if cause and note else ''}{note}")
        if contents.get("effective_from"):
            parts.append(f"berlaku mulai {tanggal(contents['effective_from'])}")
        amendment = "; ".join(parts) + "."
    reasons = []
    for row in contents.get("rows") or []:
        target, renstra = as_decimal(row.get("target")), as_decimal(row.get("renstra"))
        if renstra is None or target is None or target == renstra:
            continue
        unit = row.get("unit") or ""
        reasons.append({
            "what": f"{row['indicator']} {row['name']}",
            "text": f"target PK {_unit_text(target, unit)}, target Renstra {_unit_text(renstra, unit)}",
            "reason": (row.get("reason") or "").strip(),
        })
    for program in contents.get("programs") or []:
        value, pagu = as_decimal(program.get("amount")), as_decimal(program.get("pagu"))
        if pagu is None or value is None or value == pagu:
            continue
        reasons.append({
            "what": f"Program {program['code']} {program['name']}",
            "text": f"anggaran PK Rp {amount(value)}, pagu Rp {amount(pagu)}",
            "reason": (program.get("reason") or "").strip(),
        })
    return {"amendment": amendment, "reasons": reasons}


def _amends_line(contents: dict[str, Any], record: Record) -> str:
    """Under the title of an amendment: "Mengubah PK Murni Tahun 2025 · berlaku mulai 1 Juli 2025"."""
    if not contents.get("number"):
        return ""
    line = f"Mengubah {record.amends_label or 'PK sebelumnya'} Tahun {contents['year']}"
    if contents.get("effective_from"):
        line += f" · berlaku mulai {tanggal(contents['effective_from'])}"
    return line


def _approved_on(record: Record) -> str:
    if record.approved_at is None:
        return ""
    return tanggal(timezone.localtime(record.approved_at).date())


def context(contents: dict[str, Any], record: Record, *, printed_at: datetime.datetime) -> dict[str, Any]:
    """Everything the template prints, from the contents and the record only."""
    year = contents["year"]
    number = contents.get("number") or 0
    suffix = version_title(number)
    title = "PERJANJIAN KINERJA" + (f" {suffix}" if suffix else "") + f" TAHUN {year}"
    agency = contents.get("agency") or {}
    rows = contents.get("rows") or []
    programs = [
        {"no": index, "code": p["code"], "name": p["name"], "amount": amount(p["amount"])}
        for index, p in enumerate(contents.get("programs") or [], start=1)
    ]
    # The Jumlah is the sum of the rows printed above it, never a figure carried in the contents.
    total = sum((as_decimal(p["amount"]) or Decimal(0) for p in contents.get("programs") or []), Decimal(0))
    approved_on = _approved_on(record)
    if record.approved:
        # The hash on a line of its own (the margin box keeps line breaks): copied whole.
        footer = css_string(f"Disetujui {approved_on} · sha256 isi PK yang disetujui:") + ' "\\A " ' \
            + css_string(record.sha256)
    else:
        printed = timezone.localtime(printed_at) if timezone.is_aware(printed_at) else printed_at
        footer = css_string(f"{DRAFT} (status: {record.status_label}) · dicetak {tanggal(printed.date())} "
                            f"{printed:%H.%M}")
    running = f"{contents.get('label') or 'PK'} Tahun {year} · {agency.get('name', '')}"
    created = record.approved_at if record.approved and record.approved_at else printed_at
    return {
        "c": contents,
        "record": record,
        "year": year,
        "title": title,
        "lampiran_title": "LAMPIRAN " + title,
        "agency": agency,
        "agency_upper": (agency.get("name") or "").upper(),
        "government_upper": record.government.upper(),
        "first": _party(contents.get("first"), "first"),
        "second": _party(contents.get("second"), "second"),
        "place": contents.get("signed_place") or "",
        "signed_on": tanggal(contents.get("signed_on")),
        "strategic": _table([r for r in rows if r.get("level") == "strategic"]),
        "program_rows": _table([r for r in rows if r.get("level") == "program"]),
        "programs": programs,
        "total": amount(total),
        "notes": _notes(contents, record),
        "amends_line": _amends_line(contents, record),
        "draft": not record.approved,
        "draft_text": DRAFT,
        "approved_on": approved_on,
        "quarter_labels": QUARTERS,
        "stylesheet": STYLESHEET,
        "created": created.isoformat(timespec="seconds"),
        "page_css": mark_safe(
            "@page { @top-left { content: " + css_string(running) + "; } "
            "@bottom-left { content: " + footer + "; } }"
        ),
    }


# ---------------------------------------------------------------- rendering


def document_html(contents: dict[str, Any], record: Record, *, printed_at: datetime.datetime) -> str:
    return render_to_string(TEMPLATE, context(contents, record, printed_at=printed_at))


def render_agreement(contents: dict[str, Any], record: Record, *, printed_at: datetime.datetime) -> Rendered:
    """The PDF of one PK version. An approved version renders to the same bytes every time (its
    dates are the approval's); a draft carries the time it was printed."""
    text = document_html(contents, record, printed_at=printed_at)
    document = HTML(string=text, base_url=BASE_URL, url_fetcher=StaticFetcher()).render(
        font_config=FontConfiguration()
    )
    stamp = record.approved_at if record.approved and record.approved_at else printed_at
    modified = _font_timestamp(stamp)
    pdf = document.write_pdf(finisher=lambda _document, written: _pin_font_dates(written, modified))
    return Rendered(pdf=pdf, pages=len(document.pages))
