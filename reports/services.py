"""Requesting, rendering, retrying and signing LKjIP documents.

A request freezes the data (the snapshot) at once and hands the rendering to the
`reports` queue; the request itself never waits for WeasyPrint. Asking again while the
data is unchanged returns the stored version instead of making a new one. A version is a
draft (watermarked DRAF) unless asked for as final, which is refused while a blocking
finding remains (reports.gate). The agency's head marks one finished final version of the
year as signed: that one is the agency's LKjIP of the year.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from datetime import timedelta
from decimal import Decimal
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, close_old_connections, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from agencies.locks import agency_lock
from agencies.models import Agency, User
from audit import services as audit
from audit.models import AuditEntry
from audit.services import AuditContext
from performance.rules import RuleViolation, Violation

from . import gate
from .excel import bab3_workbook
from .models import LkjipDocument
from .snapshot import build_snapshot, snapshot_hash

logger = logging.getLogger(__name__)
STALE_QUEUED = timedelta(minutes=30)
REASON_LIMIT = 1000


class FinalBlocked(RuleViolation):
    """A final version refused: one violation per blocking finding, `summary` says which kinds."""

    def __init__(self, items: list[gate.CheckItem]):
        self.items = items
        self.summary = (f"Versi final belum dapat dibuat: masih ada {len(items)} temuan yang menghalangi — "
                        f"{gate.blockers_summary(items)}.")
        super().__init__([Violation(item.code, "findings", item.code, item.message) for item in items])

    def __str__(self) -> str:
        return self.summary


def base_url_of(request: object) -> str:
    """The scheme and host a request reached the app on, e.g. http://127.0.0.1:8123."""
    return request.build_absolute_uri("/").rstrip("/")[:200]  # type: ignore[attr-defined]


def verify_url(document: LkjipDocument) -> str:
    """The verify page of a version as printed on it: SITE_URL when it is set; otherwise (embedded
    mode) the address the version was requested on, so a copy served on another port opens."""
    base = settings.SITE_URL if settings.SITE_URL_FIXED or not document.base_url else document.base_url
    return base.rstrip("/") + reverse("reports:verify", args=[document.code])


def document_request(
    *, agency: Agency, year: int, user: User | None, final: bool = False, base_url: str = ""
) -> tuple[LkjipDocument, bool]:
    """The version for the data as it is now: the stored one of the same kind (draft or final) if
    the data did not change since (a failed one is retried), else a new version queued for
    rendering. Returns (document, created). A final version while blocking findings remain is
    refused (FinalBlocked, nothing written). `base_url`: where the request reached the app."""
    snapshot = build_snapshot(agency=agency, year=year)
    digest = snapshot_hash(snapshot)
    blocking = gate.blocking_codes_for(agency=agency)
    if final:
        found = gate.blockers(snapshot.get("findings") or [], blocking)
        if found:
            raise FinalBlocked(found)
    documents_expire_stale(agency=agency, year=year)
    for _ in range(3):  # two requests at once: the unique constraints decide, the loser reads the winner's row
        existing = LkjipDocument.objects.filter(
            agency=agency, year=year, snapshot_sha256=digest, final=final).first()
        if existing is not None:
            if existing.status == LkjipDocument.Status.FAILED:
                document_retry(document=existing)
            return existing, False
        try:
            with transaction.atomic():
                last = LkjipDocument.objects.filter(agency=agency, year=year).order_by("-number").first()
                document = LkjipDocument.objects.create(
                    agency=agency, year=year, number=(last.number + 1) if last else 1,
                    snapshot=snapshot, snapshot_sha256=digest, requested_by=user,
                    final=final, blocking_codes=blocking, base_url=base_url[:200],
                )
                transaction.on_commit(partial(_enqueue, document.pk))
            return document, True
        except IntegrityError:
            continue
    raise RuntimeError("could not number the new document version")


def document_retry(*, document: LkjipDocument) -> LkjipDocument:
    """Queue a failed render again, with the same frozen data."""
    if document.status != LkjipDocument.Status.FAILED:
        return document
    LkjipDocument.objects.filter(pk=document.pk).update(
        status=LkjipDocument.Status.QUEUED, progress=0, progress_label="", error=""
    )
    document.refresh_from_db()
    transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def _enqueue(document_id: int) -> None:
    from .tasks import render_document_task

    if settings.CELERY_TASK_ALWAYS_EAGER and settings.LKJIP_RENDER_IN_THREAD:
        # Embedded mode has no worker: render in-process, but off the request thread.
        threading.Thread(target=_render_in_thread, args=(document_id,), daemon=True).start()
    else:
        render_document_task.delay(document_id)


def _render_in_thread(document_id: int) -> None:
    try:
        document_render(document_id=document_id)
    finally:
        close_old_connections()


def _progress(document_id: int):
    def report(percent: int, label: str) -> None:
        LkjipDocument.objects.filter(pk=document_id).update(progress=min(percent, 99), progress_label=label)

    return report


def document_render(*, document_id: int) -> LkjipDocument:
    """Render the PDF and the BAB III workbook of a queued document from its snapshot.

    Only a queued document is taken, by one atomic claim, so a redelivered or duplicated task
    never renders the same version twice. Any failure is recorded on the document (status,
    error text) rather than lost in a worker log.
    """
    from .document import render_document

    claimed = LkjipDocument.objects.filter(pk=document_id, status=LkjipDocument.Status.QUEUED).update(
        status=LkjipDocument.Status.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1,
        progress=1, progress_label="Memulai",
    )
    document = LkjipDocument.objects.select_related("agency").get(pk=document_id)
    if not claimed:
        return document
    started = time.perf_counter()
    try:
        rendered = render_document(
            document.snapshot,
            verify_url=verify_url(document),
            code=document.code,
            number=document.number,
            generated_at=document.requested_at,
            progress=_progress(document.pk),
            draft=not document.final,
        )
        workbook = bab3_workbook(document.snapshot)
        document.refresh_from_db()
        stem = f"{document.agency.code}-{document.year}-v{document.number}"
        document.pdf.save(f"{stem}.pdf", ContentFile(rendered.pdf), save=False)
        document.xlsx.save(f"{stem}-bab3.xlsx", ContentFile(workbook), save=False)
        document.pdf_sha256 = hashlib.sha256(rendered.pdf).hexdigest()
        document.page_count = rendered.pages
        document.render_seconds = Decimal(f"{time.perf_counter() - started:.2f}")
        document.status = LkjipDocument.Status.DONE
        document.progress, document.progress_label = 100, "Selesai"
        document.finished_at = timezone.now()
        document.error = ""
        document.save()
    except Exception as exc:  # any failure of rendering or storing must end as a visible, retryable state
        logger.exception("LKjIP render failed for document %s", document.pk)
        LkjipDocument.objects.filter(pk=document.pk).update(
            status=LkjipDocument.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(), progress=0, progress_label="",
        )
        document.refresh_from_db()
    return document


def documents_expire_stale(*, agency: Agency, year: int) -> int:
    """Mark versions that can no longer finish as failed, so they can be retried.

    A worker killed mid-render (time limit, memory cap, a restart) leaves its version in
    'rendering'; one never picked up stays 'queued'. Past these limits neither will end.
    """
    now = timezone.now()
    mine = LkjipDocument.objects.filter(agency=agency, year=year)
    expired = mine.filter(
        status=LkjipDocument.Status.RENDERING,
        started_at__lt=now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 60),
    ).update(status=LkjipDocument.Status.FAILED, finished_at=now, progress=0, progress_label="",
             error="Pembuatan terhenti sebelum selesai (pekerja berhenti atau melewati batas waktu).")
    expired += mine.filter(
        status=LkjipDocument.Status.QUEUED, requested_at__lt=now - STALE_QUEUED
    ).update(status=LkjipDocument.Status.FAILED, finished_at=now,
             error="Tidak diambil pekerja antrean dalam 30 menit.")
    return expired


def document_render_direct(*, agency: Agency, year: int) -> tuple[bytes, int]:
    """Render without storing a version (the render_lkjip command): a draft that says it is not
    a verified version (no code, no version number, no verify address)."""
    from .document import render_document

    snapshot = build_snapshot(agency=agency, year=year)
    rendered = render_document(
        snapshot, verify_url="", code=None, number=None, generated_at=timezone.now(), draft=True
    )
    return rendered.pdf, rendered.pages


def _refuse(document: LkjipDocument, field: str, value: object, message: str) -> RuleViolation:
    return RuleViolation([Violation(document.pk, field, "" if value is None else str(value), message)])


def _signature_write(document: LkjipDocument, ctx: AuditContext, signed_at, signed_by) -> None:
    old = {"signed_at": audit.audit_value(document.signed_at), "signed_by": audit.audit_value(document.signed_by_id)}
    document.signed_at, document.signed_by = signed_at, signed_by
    document.save(update_fields=["signed_at", "signed_by"])
    new = {"signed_at": audit.audit_value(document.signed_at), "signed_by": audit.audit_value(document.signed_by_id)}
    diff = {name: [old[name], new[name]] for name in old if old[name] != new[name]}
    audit.entries_write(ctx=ctx, changes=[(AuditEntry.Action.UPDATE, document, diff)])


@transaction.atomic
def document_sign(*, document: LkjipDocument, ctx: AuditContext) -> LkjipDocument:
    """Record that the agency's head signed this version: a finished final version, one per agency
    and year. When another version of the year is signed already, this one replaces it only with
    a reason (ctx.reason, kept in the trail of both); the earlier one stops being the signed one.
    Who may sign is agencies.permissions.Access.sign_documents: the caller asks it first."""
    agency_lock(document.agency.code)
    document = LkjipDocument.objects.select_for_update(of=("self",)).select_related("agency").defer(
        "snapshot").get(pk=document.pk)
    if not document.final:
        raise _refuse(document, "final", "draf",
                      f"versi {document.number} adalah draf: yang ditandatangani hanya versi final")
    if document.status != LkjipDocument.Status.DONE:
        raise _refuse(document, "status", document.status,
                      f"versi {document.number} belum selesai dibuat: tanda tangan dicatat setelah PDF-nya jadi")
    if document.signed_at is not None:
        raise _refuse(document, "signed_at", document.signed_at,
                      f"versi {document.number} sudah tercatat ditandatangani")
    reason = ctx.reason.strip()
    if len(reason) > REASON_LIMIT:
        raise _refuse(document, "reason", reason[:40], f"alasan paling banyak {REASON_LIMIT} karakter")
    current = LkjipDocument.objects.select_for_update(of=("self",)).defer("snapshot").filter(
        agency_id=document.agency_id, year=document.year, signed_at__isnull=False).first()
    if current is not None:
        if not reason:
            raise _refuse(document, "reason", "",
                          f"versi {current.number} sudah ditandatangani sebagai LKjIP tahun {document.year}; "
                          f"tuliskan alasan penggantiannya untuk menandatangani versi {document.number}")
        current.agency = document.agency
        _signature_write(current, ctx, None, None)
    by = ctx.user if ctx.user_id else None
    try:
        with transaction.atomic():
            _signature_write(document, ctx, ctx.at, by)
    except IntegrityError:  # a signature recorded at the same moment by another request
        raise _refuse(document, "signed_at", "", "versi lain baru saja ditandatangani; muat ulang halaman") from None
    return document
