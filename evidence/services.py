"""Every write of evidence: attaching a file to a realisasi or to a PK version (the scan of the
signed paper) and removing it.

Like the other apps' services: keyword-only, one transaction, the agency's write lock, an audit
entry per record in the same transaction. A refusal is a performance.rules.RuleViolation whose
messages are Indonesian and meant for the user: the period is locked (the lock's own message),
the entry is verified, the file is too large, empty, of a type not accepted, or already attached.

Files: the type is decided from the content (sniff.py), the sha256 computed while the upload is
read in chunks, and the file stored under MEDIA_ROOT with the model's random name. A stored file
is deleted only after the deleting transaction commits (receivers.py), so a rollback never leaves
a record without its file.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from agencies.locks import agency_lock
from audit import services as audit
from audit.services import AuditContext
from performance import rules
from performance.models import PerformanceAgreement, Realization
from periods.locks import period_lock

from . import sniff
from .display import clean_name, format_size
from .models import Evidence

ENTRY_RELATED = ("indicator__plan__agency",)
# A scan of the signed paper PK: the types a scanner or a phone writes.
SCAN_TYPES = (sniff.PDF, sniff.JPEG, sniff.PNG)
SCAN_WANTED = "pindaian PK yang ditandatangani harus berupa PDF, JPG atau PNG"
SCAN_REASON = "tuliskan alasan menghapus pindaian dari PK yang sudah disetujui"


def too_large_message() -> str:
    return f"berkas bukti dukung paling besar {format_size(settings.EVIDENCE_MAX_BYTES)}"


def _refuse_key(key: Any, field: str, message: str, value: str = "") -> rules.RuleViolation:
    return rules.RuleViolation([rules.Violation(key, field, value, message)])


def _refuse(entry: Realization | None, field: str, message: str, value: str = "") -> rules.RuleViolation:
    return _refuse_key(entry.indicator_id if entry is not None else None, field, message, value)


def evidence_violations(*, realization: Realization) -> list[rules.Violation]:
    """What stops evidence of this entry from changing now: the period's lock, or the entry
    being verified (the planner reopens it first). Reads the entry as given."""
    agency = realization.indicator.plan.agency
    lock = period_lock(agency=agency, year=realization.year, quarter=realization.quarter)
    if lock is not None:
        return [rules.Violation(realization.indicator_id, "period", "", lock.message)]
    if realization.review == Realization.Review.VERIFIED:
        return [rules.Violation(realization.indicator_id, "review", realization.review,
                                rules.verified_message(realization))]
    return []


def _locked_entry(realization: Realization) -> Realization:
    """Take the agency's lock, then read the entry afresh: its review state as of now."""
    agency_lock(realization.indicator.plan.agency.code)
    entry = Realization.objects.select_related(*ENTRY_RELATED).filter(pk=realization.pk).first()
    if entry is None:
        raise _refuse(realization, "realization", "realisasi ini sudah tidak ada")
    return entry


def _digest(upload: File, limit: int) -> tuple[str, int]:
    """sha256 and size of the upload, read in chunks; refused as soon as it passes the limit."""
    digest = hashlib.sha256()
    size = 0
    for chunk in upload.chunks():
        size += len(chunk)
        if size > limit:
            raise _refuse_key(None, "file", too_large_message(), f"lebih dari {limit} byte")
        digest.update(chunk)
    return digest.hexdigest(), size


def _uploader_label(ctx: AuditContext) -> str:
    user = ctx.user if ctx.user_id is not None else None
    return (user.get_full_name() or ctx.user_label) if user is not None else ctx.user_label


def _checked(upload: File, *, key: Any, types: tuple[str, ...] = sniff.ACCEPTED,
             wanted: str = "") -> tuple[str, int, str]:
    """(sha256, size, content type) of an upload that may be stored; RuleViolation keyed `key`
    when it is larger than EVIDENCE_MAX_BYTES, empty, or not one of `types` by its content."""
    limit = settings.EVIDENCE_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise _refuse_key(key, "file", too_large_message(), f"{upload.size} byte")
    sha256, size = _digest(upload, limit)
    if size == 0:
        raise _refuse_key(key, "file", sniff.EMPTY)
    try:
        content_type = sniff.sniff(upload)
    except sniff.Refused as refused:
        raise _refuse_key(key, "file", refused.message) from refused
    if content_type not in types:
        raise _refuse_key(key, "file", f"berkas ini berisi {sniff.EXTENSIONS[content_type][0][1:].upper()}; {wanted}",
                          content_type)
    return sha256, size, content_type


def _twin_message(twin: Evidence, where: str) -> str:
    when = date_format(timezone.localtime(twin.uploaded_at), "j F Y H:i")
    return (f"berkas yang sama sudah dilampirkan pada {where} sebagai “{twin.original_name}” oleh "
            f"{twin.uploaded_by_label} pada {when}")


def _store(evidence: Evidence, upload: File, ctx: AuditContext) -> Evidence:
    """Write the file under its random name and the row with its audit entry; a failed row
    takes the file with it."""
    upload.seek(0)
    evidence.file.save(evidence.original_name, upload, save=False)
    try:
        audit.instance_save(instance=evidence, ctx=ctx)
    except BaseException:
        # The row did not get written: the file it would have named goes too.
        evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


def _new(upload: File, ctx: AuditContext, *, sha256: str, size: int, content_type: str, **owner: Any) -> Evidence:
    return Evidence(
        **owner,
        original_name=clean_name(upload.name),
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=ctx.user if ctx.user_id is not None else None,
        uploaded_by_label=_uploader_label(ctx),
        uploaded_at=ctx.at,
    )


@transaction.atomic
def evidence_attach(*, realization: Realization, upload: File, ctx: AuditContext) -> Evidence:
    """Attach `upload` (a Django File/UploadedFile, seekable) to the entry as evidence.

    Raises RuleViolation (keyed by the indicator id) and writes nothing when the period is
    locked, the entry is verified, the file is empty, larger than EVIDENCE_MAX_BYTES, not a
    PDF/JPG/PNG/XLSX by its content, or the same file (sha256) is already attached to the entry.
    The browser's name is kept, cleaned, for display only.
    """
    entry = _locked_entry(realization)
    violations = evidence_violations(realization=entry)
    if violations:
        raise rules.RuleViolation(violations)
    sha256, size, content_type = _checked(upload, key=entry.indicator_id)
    twin = Evidence.objects.filter(realization=entry, sha256=sha256).first()
    if twin is not None:
        raise _refuse(entry, "file", _twin_message(twin, "realisasi ini"), sha256)
    evidence = _new(upload, ctx, sha256=sha256, size=size, content_type=content_type, realization=entry)
    ctx.remember([entry, entry.indicator, entry.indicator.plan, entry.indicator.plan.agency])
    return _store(evidence, upload, ctx)


@transaction.atomic
def evidence_remove(*, evidence: Evidence, ctx: AuditContext) -> None:
    """Remove one evidence file from its entry, with an audit entry naming the file (its name,
    type, size, sha256, who uploaded it and when).

    Raises RuleViolation and removes nothing when the period is locked or the entry is verified.
    The stored file is deleted once the transaction commits (transaction.on_commit).
    """
    if evidence.realization_id is None:
        raise _refuse(None, "evidence", "bukti dukung ini bukan bukti realisasi")
    entry = _locked_entry(evidence.realization)
    current = Evidence.objects.filter(pk=evidence.pk, realization=entry).first()
    if current is None:
        raise _refuse(entry, "evidence", "bukti dukung ini sudah dihapus")
    violations = evidence_violations(realization=entry)
    if violations:
        raise rules.RuleViolation(violations)
    current.realization = entry
    audit.objects_delete(objects=[current], ctx=ctx)


# ---- the scan of a signed PK version ----


def _locked_agreement(agreement: PerformanceAgreement) -> PerformanceAgreement:
    """Take the agency's lock, then read the version afresh: its state as of now."""
    agency_lock(agreement.agency.code)
    current = PerformanceAgreement.objects.select_related("agency", "agency__government").filter(pk=agreement.pk).first()
    if current is None:
        raise _refuse_key(agreement.pk, "agreement", "versi PK ini sudah tidak ada")
    return current


@transaction.atomic
def scan_attach(*, agreement: PerformanceAgreement, upload: File, ctx: AuditContext) -> Evidence:
    """Attach `upload` to the PK version as the scan of its signed paper, in any state (the
    paper is signed, and scanned, after the approval). The views let only those who may submit
    the PK (Access.submit_agreements) do it.

    Raises RuleViolation (keyed by the agreement's id) and writes nothing when the file is
    empty, larger than EVIDENCE_MAX_BYTES, not a PDF/JPG/PNG by its content, or the same file
    (sha256) is already attached to the version. Stored like realisasi evidence.
    """
    current = _locked_agreement(agreement)
    sha256, size, content_type = _checked(upload, key=current.pk, types=SCAN_TYPES, wanted=SCAN_WANTED)
    twin = Evidence.objects.filter(agreement=current, sha256=sha256).first()
    if twin is not None:
        raise _refuse_key(current.pk, "file", _twin_message(twin, f"PK {current.version_label} ini"), sha256)
    evidence = _new(upload, ctx, sha256=sha256, size=size, content_type=content_type, agreement=current)
    ctx.remember([current, current.agency])
    return _store(evidence, upload, ctx)


def scan_remove_violations(*, agreement: PerformanceAgreement, reason: str) -> list[rules.Violation]:
    """A scan of an approved version is what proves the signature: it goes only with a reason."""
    if agreement.is_locked and not (reason or "").strip():
        return [rules.Violation(agreement.pk, "reason", "", SCAN_REASON)]
    return []


@transaction.atomic
def scan_remove(*, evidence: Evidence, ctx: AuditContext) -> None:
    """Remove a scan from its PK version, with an audit entry naming the file; when the version
    is approved ctx.reason is required (and recorded). RuleViolation and nothing removed
    otherwise. The stored file is deleted once the transaction commits."""
    if evidence.agreement_id is None:
        raise _refuse_key(None, "evidence", "bukti dukung ini bukan pindaian PK")
    current_agreement = _locked_agreement(evidence.agreement)
    current = Evidence.objects.filter(pk=evidence.pk, agreement=current_agreement).first()
    if current is None:
        raise _refuse_key(current_agreement.pk, "evidence", "pindaian ini sudah dihapus")
    violations = scan_remove_violations(agreement=current_agreement, reason=ctx.reason)
    if violations:
        raise rules.RuleViolation(violations)
    current.agreement = current_agreement
    audit.objects_delete(objects=[current], ctx=ctx)


def file_delete_on_commit(*, name: str, storage: Any) -> None:
    """Delete a stored file after the current transaction commits; a rollback keeps it, and a
    failure to delete is logged, never turned into an error after the commit."""
    if name:
        transaction.on_commit(lambda: storage.delete(name), robust=True)


# ---- the admin (audit.admin.ServiceAdmin) ----


def instance_violations(*, instance: Any, deleting: bool = False) -> list[rules.Violation]:
    if isinstance(instance, Evidence) and instance.pk:
        if instance.agreement_id is not None:
            # The admin's delete asks no reason: the scan of an approved version stays there.
            agreement = PerformanceAgreement.objects.get(pk=instance.agreement_id)
            return scan_remove_violations(agreement=agreement, reason="") if deleting else []
        entry = Realization.objects.select_related(*ENTRY_RELATED).get(pk=instance.realization_id)
        return evidence_violations(realization=entry)
    return []


def instance_delete(*, instance: Any, ctx: AuditContext) -> None:
    if isinstance(instance, Evidence):
        if instance.agreement_id is not None:
            scan_remove(evidence=instance, ctx=ctx)
        else:
            evidence_remove(evidence=instance, ctx=ctx)
        return
    audit.objects_delete(objects=[instance], ctx=ctx)
