"""The Perjanjian Kinerja document of one version, as a PDF download.

Rendered on request (a PK is a few pages: well under a second), from the version's shown
contents: the frozen contents of an approved version, the records of any other (which then
prints "DRAF — BELUM DISETUJUI"). Whoever may see the agency may download it.
"""

from __future__ import annotations

from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils import timezone
from django.views.decorators.http import require_safe

from agencies.permissions import agency_for_user
from performance.agreements import shown_contents
from performance.models import PerformanceAgreement

from .agreement_document import file_name, record_of, render_agreement

NOT_FOUND = "Versi Perjanjian Kinerja tidak ditemukan."


@login_required
@require_safe
def agreement_pdf(request: HttpRequest, code: str, year: int, number: int) -> FileResponse:
    agency, _ = agency_for_user(user=request.user, code=code)
    agreement = (
        PerformanceAgreement.objects.select_related("amends").filter(agency=agency, year=year, number=number).first()
        if 0 < year < 10_000 and 0 <= number < 2**15 else None  # SQLite cannot even be asked a larger key
    )
    if agreement is None:
        raise Http404(NOT_FOUND)
    agreement.agency = agency  # with its government, as agency_for_user read it
    contents = shown_contents(agreement)
    record = record_of(agreement)
    rendered = render_agreement(contents, record, printed_at=timezone.now())
    response = FileResponse(BytesIO(rendered.pdf), as_attachment=True, filename=file_name(contents, record),
                            content_type="application/pdf")
    # A draft changes with its records, and both name officials with their NIP: never kept by a cache.
    response["Cache-Control"] = "private, no-store"
    return response
