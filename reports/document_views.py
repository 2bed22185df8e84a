"""Pages for generated documents: versions and progress, drafts and finals, the checklist of a
version, signing, downloads, comparison, verification."""

from __future__ import annotations

import hashlib
from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from agencies.models import Agency, User
from agencies.permissions import (
    access_for,
    agencies_visible_to,
    agency_for_user,
    agency_get_visible,
    may_request_documents,
)
from audit.models import Channel
from audit.services import AuditContext
from lkjip.uploads import declared_size_exceeds
from performance.measurement import plan_for
from performance.rules import RuleViolation

from . import gate
from .compare import compare_snapshots
from .findings import findings_for
from .models import LkjipDocument
from .selectors import agency_years
from .services import (
    FinalBlocked,
    base_url_of,
    document_request,
    document_retry,
    document_sign,
    documents_expire_stale,
    verify_url,
)

# Generated documents are well under 1 MB; anything far larger is not one of them.
MAX_VERIFY_BYTES = 20 * 1024 * 1024


def _reportable(agency: Agency, year: int) -> None:
    """A document needs data for the year and a Renstra that covers it (the command says the same)."""
    if year not in agency_years(agency=agency) or plan_for(agency, year) is None:
        raise Http404("Tidak ada Renstra yang mencakup tahun ini; dokumen tidak dapat dibuat.")


def _document_for(user: User, code: str) -> LkjipDocument:
    found = LkjipDocument.objects.select_related("agency", "requested_by").filter(
        code=code, agency__in=agencies_visible_to(user=user)).first()
    if found is None:
        raise Http404("Dokumen tidak ditemukan.")
    return found


@login_required
@require_safe
def documents(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = agency_for_user(user=request.user, code=code)
    _reportable(agency, year)
    documents_expire_stale(agency=agency, year=year)
    versions = list(
        LkjipDocument.objects.filter(agency=agency, year=year).select_related("requested_by", "signed_by")
        .defer("snapshot")
    )
    context = {
        "agency": agency,
        "year": year,
        "versions": versions,
        "official": next((v for v in versions if v.signed_at), None),
        "pending": any(not v.is_finished for v in versions),
        "may_request": access.request_documents,
        "may_sign": access.sign_documents,
    }
    if access.request_documents:
        # What stops a final version of today's data (the same findings the next snapshot holds).
        findings = [asdict(f) for f in findings_for(agency_code=agency.code, year=year)]
        context["blockers"] = gate.blockers(findings, gate.blocking_codes_for(agency=agency))
    return render(request, "reports/documents.html", context)


@login_required
@require_POST
def document_create(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = agency_get_visible(user=request.user, code=code)
    _reportable(agency, year)
    if not may_request_documents(user=request.user, agency=agency):
        raise PermissionDenied("Hanya perencana, kepala perangkat daerah, atau peran pemda yang dapat membuat dokumen.")
    final = request.POST.get("final") == "1"
    try:
        document, created = document_request(
            agency=agency, year=year, user=request.user, final=final, base_url=base_url_of(request))
    except FinalBlocked as refused:
        messages.error(request, f"{refused.summary} Rinciannya ada pada daftar di bawah.")
        return redirect("reports:documents", code=agency.code, year=year)
    kind = "versi final" if final else "draf"
    if created:
        messages.info(request, f"Versi {document.number} sedang dibuat sebagai {kind}. Halaman ini diperbarui sendiri.")
    else:
        messages.info(request, f"Data tidak berubah sejak versi {document.number} ({kind}); versi itu yang dipakai.")
    return redirect("reports:documents", code=agency.code, year=year)


@login_required
@require_safe
def document_checklist(request: HttpRequest, doc: str) -> HttpResponse:
    """The version's findings and missing explanations, each marked blocking or not: a page of its
    own, never part of the document's text."""
    document = _document_for(request.user, doc)
    items = gate.checklist(document.snapshot.get("findings") or [], document.blocking_codes)
    context = {
        "document": document,
        "agency": document.agency,
        "year": document.year,
        "findings": [i for i in items if i.code != gate.MISSING_EXPLANATION],
        "explanations": [i for i in items if i.code == gate.MISSING_EXPLANATION],
        "blocking_count": sum(1 for i in items if i.blocking),
    }
    return render(request, "reports/checklist.html", context)


@login_required
@require_POST
def document_sign_view(request: HttpRequest, doc: str) -> HttpResponse:
    document = _document_for(request.user, doc)
    if not access_for(user=request.user, agency=document.agency).sign_documents:
        raise PermissionDenied("Hanya kepala perangkat daerah yang dapat mencatat tanda tangan LKjIP.")
    ctx = AuditContext(user=request.user, channel=Channel.FORM, reason=request.POST.get("reason", ""))
    try:
        document_sign(document=document, ctx=ctx)
    except RuleViolation as refused:
        messages.error(request, f"Tanda tangan tidak dicatat: {refused}.")
    else:
        messages.success(request, f"Versi {document.number} tercatat ditandatangani: inilah LKjIP {document.agency.name} "
                                  f"tahun {document.year}.")
    return redirect("reports:documents", code=document.agency.code, year=document.year)


@login_required
@require_POST
def document_retry_view(request: HttpRequest, doc: str) -> HttpResponse:
    document = _document_for(request.user, doc)
    if not may_request_documents(user=request.user, agency=document.agency):
        raise PermissionDenied("Hanya perencana, kepala perangkat daerah, atau peran pemda yang dapat mengulang.")
    document_retry(document=document)
    messages.info(request, f"Versi {document.number} dicoba dibuat ulang.")
    return redirect("reports:documents", code=document.agency.code, year=document.year)


def document_file(request: HttpRequest, doc: str, field: str, content_type: str) -> FileResponse:
    document = _document_for(request.user, doc)
    stored = getattr(document, field)
    if document.status != LkjipDocument.Status.DONE or not stored:
        raise Http404("Dokumen belum selesai dibuat.")
    extension = "pdf" if field == "pdf" else "xlsx"
    suffix = "" if field == "pdf" else "-bab3"
    name = f"LKjIP-{document.agency.code}-{document.year}-v{document.number}{suffix}.{extension}"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=name, content_type=content_type)


@login_required
@require_safe
def document_pdf(request: HttpRequest, doc: str) -> FileResponse:
    return document_file(request, doc, "pdf", "application/pdf")


@login_required
@require_safe
def document_xlsx(request: HttpRequest, doc: str) -> FileResponse:
    return document_file(
        request, doc, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@login_required
@require_safe
def document_compare(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency = agency_get_visible(user=request.user, code=code)
    try:
        numbers = [int(request.GET["a"]), int(request.GET["b"])]
    except (KeyError, ValueError) as exc:
        raise Http404("Pilih dua versi yang ada untuk dibandingkan.") from exc
    if not all(0 < number < 2**31 for number in numbers):  # SQLite refuses a larger integer (probe F11)
        raise Http404("Pilih dua versi yang ada untuk dibandingkan.")
    versions = {v.number: v for v in LkjipDocument.objects.filter(agency=agency, year=year, number__in=numbers)}
    if len(versions) != len(set(numbers)):
        raise Http404("Pilih dua versi yang ada untuk dibandingkan.")
    before, after = versions[numbers[0]], versions[numbers[1]]
    context = {
        "agency": agency,
        "year": year,
        "before": before,
        "after": after,
        "changes": compare_snapshots(before.snapshot, after.snapshot),
    }
    return render(request, "reports/compare.html", context)


def _check(document: LkjipDocument, upload) -> dict[str, object]:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    checked = digest.hexdigest()
    return {
        "checked": checked,
        "matches": document.status == LkjipDocument.Status.DONE and checked == document.pdf_sha256,
        "other": LkjipDocument.objects.filter(pdf_sha256=checked).exclude(pk=document.pk).first(),
    }


def verify(request: HttpRequest, doc: str) -> HttpResponse:
    """Public: anyone holding a printed or downloaded copy can check it is an unaltered version.

    Shows only what the document's own cover shows (agency, year, version) plus its hash.
    """
    document = get_object_or_404(LkjipDocument.objects.select_related("agency"), code=doc)
    context: dict[str, object] = {"document": document, "url": verify_url(document)}
    if request.method == "POST":
        too_large = declared_size_exceeds(request, MAX_VERIFY_BYTES)
        upload = None if too_large else request.FILES.get("berkas")
        if too_large or (upload is not None and upload.size > MAX_VERIFY_BYTES):
            context["problem"] = "Berkas terlalu besar untuk sebuah dokumen LKjIP (lebih dari 20 MB)."
        elif upload is None:
            context["problem"] = "Pilih berkas PDF yang ingin diperiksa."
        else:
            context.update(_check(document, upload))
    return render(request, "reports/verify.html", context, status=400 if context.get("problem") else 200)
