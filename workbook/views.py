from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from agencies.permissions import may_import
from lkjip.uploads import declared_size_exceeds
from reports.findings import findings_for

from .issues import Issue
from .services import workbook_import


@login_required
def upload(request: HttpRequest) -> HttpResponse:
    if not may_import(user=request.user):
        raise PermissionDenied("Hanya perencana atau administrator yang dapat mengimpor workbook.")
    context: dict[str, object] = {"max_mb": settings.WORKBOOK_MAX_BYTES // (1024 * 1024)}
    if request.method == "POST":
        if declared_size_exceeds(request, settings.WORKBOOK_MAX_BYTES + 64 * 1024):
            context["report_errors"] = [Issue("", None, "", "", f"berkas paling besar {context['max_mb']} MB")]
            return render(request, "workbook/upload.html", context, status=400)
        upload_file = request.FILES.get("workbook")
        dry_run = bool(request.POST.get("dry_run"))
        if upload_file is None:
            context["report_errors"] = [Issue("", None, "", "", "pilih berkas workbook .xlsx untuk diunggah")]
        elif upload_file.size > settings.WORKBOOK_MAX_BYTES:
            context["report_errors"] = [
                Issue("", None, "", f"{upload_file.size} byte", f"berkas paling besar {context['max_mb']} MB")
            ]
        else:
            report = workbook_import(source=upload_file, dry_run=dry_run, user=request.user)
            context.update(report=report, report_errors=report.errors, filename=upload_file.name,
                           error_total=max(report.error_total, len(report.errors)))
            if report.ok and not dry_run:
                context["findings"] = findings_for(agency_code=report.agency_code, year=report.year)
        context.setdefault("error_total", len(context.get("report_errors", [])))
        status = 400 if context.get("report_errors") else 200
        return render(request, "workbook/upload.html", context, status=status)
    return render(request, "workbook/upload.html", context)
