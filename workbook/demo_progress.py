"""A quarter in progress for each demo agency, made through the services as people would.

The seeds print only the year's values, so the demo's TW IV entry of an indicator is the value
the seed printed for the year (for an indicator whose year value is its last quarter that is
exactly TW IV; for a cumulative one it stands for TW I–IV together, and the year's recorded
value still decides the report). Every state is there for a newcomer to see: most entries
verified, some submitted and waiting, one returned with a reason, drafts where the capaian is
below target and the seed gives no explanation, one left empty, evidence on some.

The demo years lie in the past, so their deadlines have passed: the demo calendar uses the
default deadlines and the Pemda grants each demo agency a reopening of TW IV until some weeks
after today, or a newcomer would find everything locked.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from agencies.models import Agency, User
from audit.models import Channel
from audit.services import AuditContext
from evidence.services import evidence_attach
from performance.entry import quarter_sheet
from performance.models import Realization
from performance.rules import EXPLANATION_SECTIONS, entry_value_violations
from performance.services import EntryInput, entries_save, entries_transition
from periods.locks import agency_periods
from periods.models import ReportingCalendar, default_deadlines
from periods.services import calendar_set, reopening_grant

QUARTER = 4
REOPENING_WEEKS = 6
# Bekasi's TPT stays empty: the walkthrough (and the browser test) types it, 7,33.
LEFT_EMPTY = {"bekasi-disnaker": "TPT"}
RETURN_REASON = "Sumber data belum dilampirkan; lampirkan data BPS/dinas yang menjadi dasar angka ini."
REASON = "data demo (load_demo)"


@dataclass
class Progress:
    agency: str
    year: int
    counts: dict[str, int] = field(default_factory=dict)


def _ctx(user: User | None, reason: str = REASON) -> AuditContext:
    return AuditContext(user=user, channel=Channel.COMMAND, reason=reason)


def _evidence_pdf(agency: Agency, code: str, year: int) -> bytes:
    """A one-page PDF standing in for a scanned source document."""
    text = f"Bukti dukung demo {agency.short_name or agency.code} {code} TW IV {year}".encode("latin-1", "replace")
    stream = b"BT /F1 12 Tf 72 720 Td (" + text.replace(b"(", b"[").replace(b")", b"]") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def quarter_in_progress(*, agency: Agency, year: int, on: datetime.date | None = None) -> Progress | None:
    """Make the agency's TW IV of `year` a quarter in progress (nothing when an entry is already
    past draft: load_demo may run again)."""
    on = on or timezone.localdate()
    started = Realization.objects.filter(indicator__plan__agency=agency, year=year, quarter=QUARTER)
    if started.exclude(review=Realization.Review.DRAFT).exists():
        return None
    operator = User.objects.get(username=f"{agency.code}-operator")
    planner = User.objects.get(username=f"{agency.code}-perencana")
    bappeda = User.objects.filter(username="bappeda").first()

    if not ReportingCalendar.objects.filter(government=agency.government, year=year).exists():
        calendar_set(government=agency.government, year=year, deadlines=default_deadlines(year),
                     ctx=_ctx(bappeda, "kalender demo: batas bawaan"))
    if agency_periods(agency=agency, year=year, on=on)[QUARTER].locked:
        reopening_grant(
            agency=agency, year=year, quarter=QUARTER, until=on + datetime.timedelta(weeks=REOPENING_WEEKS),
            ctx=_ctx(bappeda, "Demo: TW IV dibuka kembali agar alur pengisian dan verifikasi dapat dicoba"),
        )

    sheet = quarter_sheet(agency=agency, year=year, quarter=QUARTER)
    # A seed that prints TW IV itself (Tangerang) already has those entries, as drafts from the
    # import: they go through verification as they are.
    rows = [row for row in sheet.rows if row.figures.annual is not None and row.entry is None]
    empty = LEFT_EMPTY.get(agency.code) or (rows[0].indicator.code if rows else "")
    inputs = []
    for row in rows:
        if row.indicator.code == empty:
            continue
        annual = row.figures.annual
        numbers = {"numerator": annual.numerator, "denominator": annual.denominator}
        if annual.value is not None and entry_value_violations(
            key=None, values={"status": annual.status, "value": annual.value, **numbers}, unit=row.indicator.unit
        ):
            # The seed's printed pembilang/penyebut do not give its printed value (the overview flags
            # that for the year); the demo's TW IV entry carries the value alone.
            numbers = {"numerator": None, "denominator": None}
        inputs.append(EntryInput(
            indicator_id=row.indicator.pk, status=annual.status, value=annual.value, **numbers, note=annual.note,
            source=annual.source or row.indicator.data_source,
            explanations={s: row.figures.narratives.get(s, "") for s in EXPLANATION_SECTIONS},
        ))
    entries_save(agency=agency, year=year, quarter=QUARTER, entries=inputs, ctx=_ctx(operator))

    sheet = quarter_sheet(agency=agency, year=year, quarter=QUARTER)
    saved = [row for row in sheet.rows if row.entry is not None]
    for row in saved[::3]:
        name = f"bukti-{row.indicator.code}-tw4-{year}.pdf"
        evidence_attach(realization=row.entry, upload=ContentFile(_evidence_pdf(agency, row.indicator.code, year), name=name),
                        ctx=_ctx(operator))
    ready = [row.indicator.pk for row in saved if not row.needs_explanation]
    if ready:
        entries_transition(agency=agency, year=year, quarter=QUARTER, transition="submit", indicator_ids=ready,
                           ctx=_ctx(operator))
    # The last two stay with the planner: one waits for verification, one goes back with a reason.
    returned, verified = ready[-1:], ready[:-2]
    if verified:
        entries_transition(agency=agency, year=year, quarter=QUARTER, transition="verify", indicator_ids=verified,
                           ctx=_ctx(planner))
    if returned:
        entries_transition(agency=agency, year=year, quarter=QUARTER, transition="send_back", indicator_ids=returned,
                           ctx=_ctx(planner, RETURN_REASON))
    counts = quarter_sheet(agency=agency, year=year, quarter=QUARTER).counts
    return Progress(agency.code, year, {k: v for k, v in counts.items() if v})
