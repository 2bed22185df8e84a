"""The agency's logo, its Pemda's logo and its organisation chart of a year: the page (upload,
replace, remove) and the file itself, served only here with the agency's permissions.

Whoever sees the agency sees its images; the agency's planners and head upload its logo and chart
(Access.upload_images), the Pemda's planners and admins its Pemda's logo (upload_government_logo).
Anyone else gets the 404 of an agency that does not exist.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther
from lkjip.uploads import declared_size_exceeds
from performance.rules import RuleViolation

from .models import ReportImage
from .selectors import chart_for
from .services import image_remove, image_upload, too_large_message

FORM_OVERHEAD = 64 * 1024
KIND_LABELS = dict(ReportImage.Kind.choices)


def _agency(request: HttpRequest, code: str, year: int) -> tuple[Agency, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if not 2000 <= year <= 2100:
        raise Http404("Tahun tidak dikenal.")
    return agency, access


def _page_url(agency: Agency, year: int) -> str:
    return reverse("images:index", args=[agency.code, year])


def _may(access: Access, kind: str) -> bool:
    return access.upload_government_logo if kind == ReportImage.Kind.GOVERNMENT_LOGO else access.upload_images


def _image(agency: Agency, pk: int) -> ReportImage:
    """One of the images this agency prints: its own, or its Pemda's logo; else 404."""
    image = ReportImage.objects.filter(
        Q(agency=agency) | Q(agency__isnull=True, government_id=agency.government_id), pk=pk,
    ).first() if pk < 2**31 else None
    if image is None:
        raise Http404("Gambar tidak ditemukan.")
    return image


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if request.method == "POST":
        kind = request.POST.get("kind", "") if not declared_size_exceeds(
            request, settings.IMAGE_MAX_BYTES + FORM_OVERHEAD) else request.GET.get("kind", "")
        if kind not in KIND_LABELS:
            kind = ReportImage.Kind.AGENCY_LOGO
        if not _may(access, kind):
            raise PermissionDenied("Anda tidak dapat mengunggah gambar ini.")
        what = f"{KIND_LABELS[kind]} tidak diunggah"
        if declared_size_exceeds(request, settings.IMAGE_MAX_BYTES + FORM_OVERHEAD):
            messages.error(request, f"{what}: {too_large_message()}.")
            return HttpResponseSeeOther(_page_url(agency, year))
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, f"{what}: pilih berkas PNG atau JPG.")
            return HttpResponseSeeOther(_page_url(agency, year))
        try:
            image_upload(kind=kind, government=agency.government, agency=agency, upload=upload,
                         year=year if kind == ReportImage.Kind.ORG_CHART else None,
                         ctx=AuditContext(user=request.user, channel=Channel.FORM))
        except RuleViolation as refused:
            messages.error(request, f"{what}: {'; '.join(v.message for v in refused.violations)}.")
        else:
            messages.success(request, f"{KIND_LABELS[kind]} diunggah.")
        return HttpResponseSeeOther(_page_url(agency, year))
    images = {
        "logo": ReportImage.objects.filter(agency=agency, kind=ReportImage.Kind.AGENCY_LOGO).first(),
        "logo_pemda": ReportImage.objects.filter(government_id=agency.government_id,
                                                 kind=ReportImage.Kind.GOVERNMENT_LOGO).first(),
        "bagan": ReportImage.objects.filter(agency=agency, kind=ReportImage.Kind.ORG_CHART, year=year).first(),
    }
    return render(request, "images/index.html", {
        "agency": agency, "year": year, "access": access, "images": images,
        "chart_in_force": chart_for(agency=agency, year=year), "max_size": too_large_message(),
    })


@login_required
@require_safe
def download(request: HttpRequest, code: str, year: int, pk: int) -> FileResponse:
    agency, _ = _agency(request, code, year)
    image = _image(agency, pk)
    try:
        handle = image.file.storage.open(image.file.name, "rb")
    except OSError:
        raise Http404("Berkas gambar tidak ada di penyimpanan.") from None
    response = FileResponse(handle, content_type=image.content_type)
    response["Content-Disposition"] = "inline"
    # Checked PNG/JPEG, yet the user's file: never sniffed, run, cached or embedded by another site.
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "sandbox"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@login_required
@require_POST
def delete(request: HttpRequest, code: str, year: int, pk: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    image = _image(agency, pk)
    if not _may(access, image.kind):
        raise PermissionDenied("Anda tidak dapat menghapus gambar ini.")
    image_remove(image=image, ctx=AuditContext(user=request.user, channel=Channel.FORM))
    messages.success(request, f"{image.get_kind_display()} dihapus.")
    return HttpResponseSeeOther(_page_url(agency, year))
