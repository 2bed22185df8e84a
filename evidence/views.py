"""Evidence pages: upload and removal (POST, then back to the page they came from) and the
download, the only way a stored file ever leaves the server.

Access is the record's: whoever may see the agency may download its evidence; whoever may
enter its realisasi (Access.enter_realizations) may attach and remove a realisasi's evidence,
and whoever may submit its PK (Access.submit_agreements) the scan of a signed PK version.
Anyone else gets the 404 of an agency that does not exist, never a hint that it does.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST, require_safe

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import back_to_next
from lkjip.uploads import declared_size_exceeds
from performance.measurement import plan_for
from performance.models import Indicator, PerformanceAgreement, Realization
from performance.rules import RuleViolation
from periods.models import QUARTERS, period_label

from .display import download_name
from .models import Evidence
from .services import evidence_attach, evidence_remove, scan_attach, scan_remove, too_large_message

NOT_FOUND = "Bukti dukung tidak ditemukan."
MAY_NOT_ENTER = "Hanya operator atau perencana perangkat daerah ini yang dapat melampirkan atau menghapus bukti dukung."
NO_ENTRY = "simpan realisasi triwulan ini dulu sebelum melampirkan bukti"
AGREEMENT_NOT_FOUND = "Versi Perjanjian Kinerja tidak ditemukan."
MAY_NOT_SUBMIT = "Hanya perencana atau kepala perangkat daerah ini yang dapat mengunggah atau menghapus pindaian PK."
# Multipart framing around the file: the declared size may exceed the file by this much.
FORM_OVERHEAD = 64 * 1024


def _overview(agency: Agency, year: int) -> str:
    return reverse("reports:overview", args=[agency.code, year])


def _refused(request: HttpRequest, what: str, message: str) -> None:
    messages.error(request, f"{what}: {message.rstrip('.')}.")


def _may_enter(access: Access) -> None:
    if not access.enter_realizations:
        raise PermissionDenied(MAY_NOT_ENTER)


def _ctx(request: HttpRequest) -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM)


@login_required
@require_POST
def upload(request: HttpRequest, code: str, year: int, quarter: int) -> HttpResponse:
    agency, access = agency_for_user(user=request.user, code=code)
    _may_enter(access)
    if quarter not in QUARTERS or not 0 < year < 10_000:
        raise Http404("Triwulan tidak dikenal.")
    what = "Bukti dukung tidak dilampirkan"
    fallback = _overview(agency, year)
    if declared_size_exceeds(request, settings.EVIDENCE_MAX_BYTES + FORM_OVERHEAD):
        _refused(request, what, too_large_message())
        return back_to_next(request, fallback, read_body=False)
    back = back_to_next(request, fallback)
    try:
        indicator_id = int(request.POST.get("indicator", ""))
    except ValueError:
        indicator_id = None
    if indicator_id is not None and not 0 < indicator_id < 2**63:
        indicator_id = None  # no such key, and SQLite cannot even be asked
    plan = plan_for(agency, year)
    indicator = (
        Indicator.objects.filter(plan=plan, pk=indicator_id).first() if plan is not None and indicator_id else None
    )
    if indicator is None:
        _refused(request, what, f"indikator tidak termasuk Renstra perangkat daerah ini untuk tahun {year}")
        return back
    entry = (
        Realization.objects.select_related("indicator__plan__agency")
        .filter(indicator=indicator, year=year, quarter=quarter)
        .first()
    )
    if entry is None:
        _refused(request, what, f"{indicator.code} {period_label(year, quarter)}: {NO_ENTRY}")
        return back
    upload_file = request.FILES.get("file")
    if upload_file is None:
        _refused(request, what, "pilih berkas bukti dukung untuk diunggah")
        return back
    if upload_file.size > settings.EVIDENCE_MAX_BYTES:
        _refused(request, what, too_large_message())
        return back
    try:
        evidence = evidence_attach(realization=entry, upload=upload_file, ctx=_ctx(request))
    except RuleViolation as refused:
        _refused(request, what, "; ".join(v.message for v in refused.violations))
        return back
    messages.success(
        request, f"Bukti dukung “{evidence.original_name}” dilampirkan pada {indicator.code} {period_label(year, quarter)}."
    )
    return back


def evidence_for_user(request: HttpRequest, pk: int) -> tuple[Evidence, Agency, Access]:
    """The evidence and what the user may do with its agency; the same 404 when it does not
    exist and when the user may not see its agency."""
    evidence = (
        Evidence.objects.select_related("realization__indicator__plan__agency")
        .filter(pk=pk, realization__isnull=False).first()
        if pk < 2**63 else None  # a larger key cannot exist (and SQLite cannot even be asked)
    )
    if evidence is None:
        raise Http404(NOT_FOUND)
    try:
        agency, access = agency_for_user(user=request.user, code=evidence.realization.indicator.plan.agency.code)
    except Http404:
        raise Http404(NOT_FOUND) from None
    return evidence, agency, access


def content_disposition(name: str) -> str:
    """attachment with an ASCII fallback name and the exact name in RFC 5987 form (filename*)."""
    fallback = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    fallback = "".join("_" if ch in '"\\' or not ch.isprintable() else ch for ch in fallback).strip() or "bukti-dukung"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def file_response(evidence: Evidence) -> FileResponse:
    try:
        handle = evidence.file.storage.open(evidence.file.name, "rb")
    except OSError:
        raise Http404("Berkas bukti dukung tidak ada di penyimpanan.") from None
    response = FileResponse(handle, content_type=evidence.content_type)
    response["Content-Disposition"] = content_disposition(download_name(evidence.original_name, evidence.content_type))
    # The file is the user's, not ours: never sniffed, rendered with scripts, cached or embedded elsewhere.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_safe
def download(request: HttpRequest, pk: int) -> FileResponse:
    evidence, _, _ = evidence_for_user(request, pk)
    return file_response(evidence)


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence, agency, access = evidence_for_user(request, pk)
    _may_enter(access)
    back = back_to_next(request, _overview(agency, evidence.realization.year))
    try:
        evidence_remove(evidence=evidence, ctx=_ctx(request))
    except RuleViolation as refused:
        _refused(request, "Bukti dukung tidak dihapus", "; ".join(v.message for v in refused.violations))
        return back
    messages.success(request, f"Bukti dukung “{evidence.original_name}” dihapus.")
    return back


# ---- the scan of a signed PK version ----


def _agreement_for(request: HttpRequest, code: str, year: int, number: int) -> tuple[PerformanceAgreement, Access]:
    """The version and what the user may do with its agency; 404 for an agency the user may not
    see (as for one that does not exist), then for a version that does not exist."""
    agency, access = agency_for_user(user=request.user, code=code)
    agreement = (
        PerformanceAgreement.objects.filter(agency=agency, year=year, number=number).first()
        if 0 < year < 10_000 and 0 <= number < 2**15 else None  # SQLite cannot even be asked a larger key
    )
    if agreement is None:
        raise Http404(AGREEMENT_NOT_FOUND)
    agreement.agency = agency
    return agreement, access


def _scan_for(request: HttpRequest, code: str, year: int, number: int,
              pk: int) -> tuple[Evidence, PerformanceAgreement, Access]:
    """A scan of that very version of that agency; the same 404 for any other evidence id."""
    agreement, access = _agreement_for(request, code, year, number)
    scan = Evidence.objects.filter(pk=pk, agreement=agreement).first() if pk < 2**63 else None
    if scan is None:
        raise Http404(NOT_FOUND)
    scan.agreement = agreement
    return scan, agreement, access


def _may_submit(access: Access) -> None:
    if not access.submit_agreements:
        raise PermissionDenied(MAY_NOT_SUBMIT)


def agreement_page(agreement: PerformanceAgreement) -> str:
    """The version's page, where the scans are shown (the year's overview until there is one)."""
    try:
        return reverse("performance:agreement_detail", args=[agreement.agency.code, agreement.year, agreement.number])
    except NoReverseMatch:
        return _overview(agreement.agency, agreement.year)


@login_required
@require_POST
def agreement_upload(request: HttpRequest, code: str, year: int, number: int) -> HttpResponse:
    agreement, access = _agreement_for(request, code, year, number)
    _may_submit(access)
    what = "Pindaian PK tidak diunggah"
    fallback = agreement_page(agreement)
    if declared_size_exceeds(request, settings.EVIDENCE_MAX_BYTES + FORM_OVERHEAD):
        _refused(request, what, too_large_message())
        return back_to_next(request, fallback, read_body=False)
    back = back_to_next(request, fallback)
    upload_file = request.FILES.get("file")
    if upload_file is None:
        _refused(request, what, "pilih berkas pindaian PK yang sudah ditandatangani")
        return back
    if upload_file.size > settings.EVIDENCE_MAX_BYTES:
        _refused(request, what, too_large_message())
        return back
    try:
        scan = scan_attach(agreement=agreement, upload=upload_file, ctx=_ctx(request))
    except RuleViolation as refused:
        _refused(request, what, "; ".join(v.message for v in refused.violations))
        return back
    messages.success(
        request, f"Pindaian “{scan.original_name}” diunggah sebagai bukti PK {agreement.version_label} {agreement.year}."
    )
    return back


@login_required
@require_safe
def agreement_download(request: HttpRequest, code: str, year: int, number: int, pk: int) -> FileResponse:
    scan, _, _ = _scan_for(request, code, year, number, pk)
    return file_response(scan)


@login_required
@require_POST
def agreement_delete(request: HttpRequest, code: str, year: int, number: int, pk: int) -> HttpResponse:
    scan, agreement, access = _scan_for(request, code, year, number, pk)
    _may_submit(access)
    back = back_to_next(request, agreement_page(agreement))
    ctx = AuditContext(user=request.user, channel=Channel.FORM, reason=request.POST.get("reason", "").strip())
    try:
        scan_remove(evidence=scan, ctx=ctx)
    except RuleViolation as refused:
        _refused(request, "Pindaian PK tidak dihapus", "; ".join(v.message for v in refused.violations))
        return back
    messages.success(request, f"Pindaian “{scan.original_name}” dihapus dari PK {agreement.version_label} {agreement.year}.")
    return back
