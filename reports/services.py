"""Requesting, rendering and retrying LKjIP documents.

A request freezes the data (the snapshot) at once and hands the rendering to the
`reports` queue; the request itself never waits for WeasyPrint. Asking again while the
data is unchanged returns the stored version instead of making a new one.
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

from agencies.models import Agency, User

from .excel import bab3_workbook
from .models import LkjipDocument
from .snapshot import build_snapshot, snapshot_hash

logger = logging.getLogger(__name__)
STALE_QUEUED = timedelta(minutes=30)


def verify_url(code: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("reports:verify", args=[code])


def document_request(*, agency: Agency, year: int, user: User | None) -> tuple[LkjipDocument, bool]:
    """The version for the data as it is now: the stored one if the data did not change since
    (a failed one is retried), else a new version queued for rendering. Returns (document, created)."""
    snapshot = build_snapshot(agency=agency, year=year)
    digest = snapshot_hash(snapshot)
    documents_expire_stale(agency=agency, year=year)
    for _ in range(3):  # two requests at once: the unique constraints decide, the loser reads the winner's row
        existing = LkjipDocument.objects.filter(agency=agency, year=year, snapshot_sha256=digest).first()
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
            verify_url=verify_url(document.code),
            code=document.code,
            number=document.number,
            generated_at=document.requested_at,
            progress=_progress(document.pk),
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
    """Render without storing a version (the render_lkjip command)."""
    from .document import render_document

    snapshot = build_snapshot(agency=agency, year=year)
    rendered = render_document(
        snapshot, verify_url=settings.SITE_URL, code="-", number=0, generated_at=timezone.now()
    )
    return rendered.pdf, rendered.pages
