"""Who gets what, for every URL of the project: URL × role × own/other agency × method.

Every view must have its rows here. `test_every_url_pattern_has_a_row` walks the URL
configuration and fails, naming the pattern, when a URL has no row (or a row names a URL that
is gone); add one row per method the view answers: GET, and POST where it takes POST (a
POST-only view also gets a GET row that expects 405).

Reading a row. `own` is agency A (kode `uji-disnaker`, Pemerintah Kota Uji), the home of the
roles op … gov_adm; `other` is agency B (`lain-disnaker`, Pemerintah Kota Lain), the home of
the outsiders out_op, out_pln, out_head, so for them "other" is their own agency. A row without
`other` is not about one agency's data (the home page, the upload form, login and logout).
For a Pemda's pages (the reporting calendar, the completeness dashboard) `own` is Pemda P
(Pemerintah Kota Uji, agency A's) and `other` is Pemda Q (Pemerintah Kota Lain, agency B's).

    200  shown (or, for a dry-run upload, checked)
    302  anonymous: to the login page; anyone else: where the row's `then` says
    303  after a POST that wrote (or refused with a message): where the row's `then` says
    400  an upload whose file is refused
    403  the role may see the agency but may not do this (an operator asking for a document)
    404  anyone of another agency, or a Pemda role of another Pemda: never 403 for
         another agency's data; a Pemda page for anyone without a role in that Pemda
    405  wrong method

Whenever a logged-in role may not see the agency a request is about, the answer (status and
page) must be the one for a code that does not exist, so nobody learns that it exists.

The policy, in short: an agency's pages are for its members, its Pemda's roles and superusers;
documents may be asked for by everyone but the operator; workbooks may be imported by planners
(of the agency in the file) and by the Pemda's planners and admins; `/v/<code>/` is public.
A Pemda's calendar and dashboard are for its government roles (and superusers); changing the
calendar and reopenings is its planners and admins; an agency's planner locks its quarters.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import TestCase, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agencies.models import Agency, Government, User
from api.models import ApiToken
from api.services import token_create
from audit.models import ImportBatch
from audit.services import AuditContext
from evidence.models import Evidence
from evidence.services import evidence_attach, scan_attach
from images.services import image_upload
from lkjip.celery import app as celery_app
from performance.models import PerformanceAgreement, Realization
from periods.models import Reopening
from reports.models import LkjipDocument
from reports.services import document_request
from reviews.models import Review, ReviewNote
from reviews.services import NoteAnchor, review_note_add, review_open
from sectorstats.services import TableInput, statistics_table_save
from tests import factories
from tests.workbook.helpers import as_file, build_workbook, minimal_data
from workbook.services import workbook_import

YEAR = 2025
INDICATOR = "IKU1"
EVIDENCE_INDICATOR = "IKU2"  # the workbook gives it a TW I 2025 realisasi
MISSING_CODE = "tidak-ada"

# The columns of every row, in this order.
ROLES = (
    "anon",  # not logged in
    "op",  # agency A: operator (membership "staff")
    "pln",  # agency A: planner
    "head",  # agency A: head
    "gov_pln",  # Pemda P (agency A's): planner
    "gov_eval",  # Pemda P: evaluator
    "gov_insp",  # Pemda P: inspector
    "gov_adm",  # Pemda P: admin
    "su",  # superuser
    "out_op",  # agency B (Pemda Q): operator
    "out_pln",  # agency B: planner
    "out_head",  # agency B: head
)
AGENCY_ROLES = {"op": "staff", "pln": "planner", "head": "head"}
GOV_ROLES = {"gov_pln": "planner", "gov_eval": "evaluator", "gov_insp": "inspector", "gov_adm": "admin"}
OUTSIDERS = {"out_op": "staff", "out_pln": "planner", "out_head": "head"}


# ---- the objects a URL points at ----


@dataclass(frozen=True)
class Target:
    """What one agency's URLs are built from; `missing` holds codes and ids that do not exist."""

    code: str
    doc: str
    batch: int
    indicator: str
    workbook: bytes
    government: int = 0  # the agency's Pemda
    reopening: int = 0  # a running reopening granted to the agency
    evidence: int = 0  # an Evidence of the indicator EVIDENCE_INDICATOR's TW I entry
    entry_indicator: int = 0  # that indicator's pk
    scan: int = 0  # an Evidence of the PK murni (version 0, a draft): the scan of its signed paper
    review: int = 0  # an open reviu of the rendered document, no row assessed yet
    note: int = 0  # an open note of that reviu, anchored to the lampiran
    table: int = 0  # a statistics table of 2025 (the only one: moving it changes nothing)
    image: int = 0  # the agency's logo


def _dry_run(t: Target, role: str) -> dict[str, Any]:
    return {"workbook": SimpleUploadedFile("uji.xlsx", t.workbook), "dry_run": "1"}


def _login(t: Target, role: str) -> dict[str, Any]:
    return {} if role == "anon" else {"username": role, "password": factories.PASSWORD}


def _pdf_copy(t: Target, role: str) -> dict[str, Any]:
    return {"berkas": SimpleUploadedFile("salinan.pdf", b"%PDF-1.7 bukan dokumen ini", "application/pdf")}


def _scan(t: Target, role: str) -> dict[str, Any]:
    # Not the file the world attached (a second copy is refused); back to the overview, as `then` says.
    return {"file": SimpleUploadedFile("pk.pdf", b"%PDF-1.7 pindaian lain", "application/pdf"),
            "next": to_overview(t)}


def _scan_removal(t: Target, role: str) -> dict[str, Any]:
    return {"reason": "uji", "next": to_overview(t)}


def _evidence(t: Target, role: str) -> dict[str, Any]:
    # Not the file the world attached: a second copy of the same file is refused.
    return {"indicator": t.entry_indicator,
            "file": SimpleUploadedFile("bukti.pdf", b"%PDF-1.7 bukti lain", "application/pdf")}


# ---- the matrix ----


@dataclass(frozen=True)
class Row:
    """One URL pattern and one method: the status each role gets on agency A's object (`own`)
    and on agency B's (`other`; None when the URL is not about one agency's data)."""

    name: str  # the pattern's name, with its namespace
    method: str
    args: Callable[[Target], list[Any]]
    own: dict[str, int]
    other: dict[str, int] | None = None
    query: str = ""
    body: Callable[[Target, str], dict[str, Any]] | None = None
    then: Callable[[Target], str] | None = None  # where a 302 sends a logged-in role
    public: bool = False  # anyone may use it with an object's code: no outsiders, no oracle check

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def row(name: str, method: str, args: Callable[[Target], list[Any]], own: tuple[int, ...],
        other: tuple[int, ...] | None = None, **more: Any) -> Row:
    def cells(statuses: tuple[int, ...]) -> dict[str, int]:
        return dict(zip(ROLES, statuses, strict=True))

    return Row(name, method, args, cells(own), cells(other) if other is not None else None, **more)


def none(t: Target) -> list[Any]:
    return []


def agency(t: Target) -> list[Any]:
    return [t.code]


def agency_year(t: Target) -> list[Any]:
    return [t.code, YEAR]


def document(t: Target) -> list[Any]:
    return [t.doc]


ENTRY_QUARTER = 3  # no realisasi in the matrix workbook's TW III: a save there changes nothing


def quarter_args(t: Target) -> list[Any]:
    return [t.code, YEAR, ENTRY_QUARTER]


def to_entry(t: Target) -> str:
    return reverse("performance:entry", args=quarter_args(t))


def _save_nothing(t: Target, role: str) -> dict[str, Any]:
    return {"action": "save"}


def _preview(t: Target, role: str) -> dict[str, Any]:
    from performance.models import Indicator

    found = Indicator.objects.filter(plan__agency__code=t.code, code=t.indicator).first()
    pk = found.pk if found else 0
    return {"indicator": pk, f"r{pk}-value": "7,33"}


def _verify_all(t: Target, role: str) -> dict[str, Any]:
    return {"act": "verify:all"}


def to_documents(t: Target) -> str:
    return reverse("reports:documents", args=[t.code, YEAR])


def pemda_year(t: Target) -> list[Any]:
    return [t.government, YEAR]


def to_calendar(t: Target) -> str:
    return reverse("periods:calendar", args=[t.government, YEAR])


def to_overview(t: Target) -> str:
    return reverse("reports:overview", args=[t.code, YEAR])


def to_evaluation(t: Target) -> str:
    return reverse("evaluations:detail", args=[t.code, YEAR])


def _deadlines(t: Target, role: str) -> dict[str, Any]:
    return {"q1_deadline": "2025-04-15", "q2_deadline": "2025-07-15", "q3_deadline": "2025-10-15",
            "q4_deadline": "2026-01-15", "annual_deadline": "2026-03-31", "reason": ""}


def _reopening(t: Target, role: str) -> dict[str, Any]:
    found = Agency.objects.filter(code=t.code).first()
    return {"agency": found.pk if found else "", "period": "1", "until": "2099-01-31", "reason": "uji"}


def _reason(t: Target, role: str) -> dict[str, Any]:
    return {"reason": "uji", "alasan": "uji"}
def agency_year_q1(t: Target) -> list[Any]:
    return [t.code, YEAR, 1]


def evidence(t: Target) -> list[Any]:
    return [t.evidence]


def pk_version(t: Target) -> list[Any]:
    return [t.code, YEAR, 0]  # the world's PK murni 2025, a draft imported from the workbook


def to_pk_index(t: Target) -> str:
    return reverse("performance:agreement_index", args=[t.code, YEAR])


def to_pk_detail(t: Target) -> str:
    return reverse("performance:agreement_detail", args=pk_version(t))


def _amendment(t: Target, role: str) -> dict[str, Any]:
    return {"cause": "koreksi", "cause_note": "uji", "effective_from": f"{YEAR}-07-01"}


def _pk_header(t: Target, role: str) -> dict[str, Any]:
    return {"first_capacity": "definitif", "second_capacity": "definitif", "action": "save"}


def pk_scan(t: Target) -> list[Any]:
    return [t.code, YEAR, 0, t.scan]


def operators_token(t: Target) -> list[Any]:
    """A token of the operator of agency A (its owner is the only one who may revoke it)."""
    token = ApiToken.objects.filter(user__username="op", revoked_at=None).first()
    if token is None:
        token = token_create(context=AuditContext(), user=User.objects.get(username="op"), name="matriks")[0]
    return [token.pk]


def review_args(t: Target) -> list[Any]:
    return [t.code, YEAR, t.review]


def note_args(t: Target) -> list[Any]:
    return [t.code, YEAR, t.review, t.note]


def to_reviews(t: Target) -> str:
    return reverse("reviews:index", args=[t.code, YEAR])


def to_review(t: Target) -> str:
    return reverse("reviews:detail", args=review_args(t))


def _unchanged_items(t: Target, role: str) -> dict[str, Any]:
    """The working paper as stored: saving it changes nothing."""
    from reviews.models import ReviewItem

    return {f"{i.code}-criteria": i.criteria for i in ReviewItem.objects.filter(review_id=t.review)}


def _statement(t: Target, role: str) -> dict[str, Any]:
    return {"place": "Uji", "issued_on": f"{YEAR + 1}-03-01", "signer_name": "Inspektur", "signer_nip": "1",
            "signer_position": "Inspektur Kota Uji"}


def table_args(t: Target) -> list[Any]:
    return [t.code, YEAR, t.table]


def image_args(t: Target) -> list[Any]:
    return [t.code, YEAR, t.image]


def to_tables(t: Target) -> str:
    return reverse("sectorstats:index", args=[t.code, YEAR])


def to_images(t: Target) -> str:
    return reverse("images:index", args=[t.code, YEAR])


def _table_form(t: Target, role: str) -> dict[str, Any]:
    return {"code": f"uji-{role}", "title": "Tabel uji", "section": "analisis", "content": "Bulan\tKasus\nJanuari\t2"}


def _png(t: Target, role: str) -> dict[str, Any]:
    return {"kind": "logo", "file": SimpleUploadedFile("logo.png", png_bytes(role), "image/png")}


def png_bytes(note: str = "") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (32, 32), (len(note) * 20 % 256, 40, 90)).save(out, "PNG")
    return out.getvalue()


# Reading the columns: gPln … gAdm are gov_pln … gov_adm, xOp … xHed are out_op … out_head.

MATRIX: list[Row] = [
    # ---- reports/urls.py ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("reports:home", "GET", none,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    row("reports:agency", "GET", agency, then=lambda t: reverse("reports:overview", args=[t.code, YEAR]),
        own=  (302, 302, 302, 302, 302, 302, 302, 302, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 302, 302, 302)),
    row("reports:overview", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reports:documents", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reports:document_create", "GET", agency_year,  # POST only; anonymous is sent to log in first
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("reports:document_create", "POST", agency_year, then=to_documents,  # not the operator
        own=  (302, 403, 302, 302, 302, 302, 302, 302, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 403, 302, 302)),
    row("reports:document_compare", "GET", agency_year, query="a=1&b=1",
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("reports:document_retry", "GET", document,
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("reports:document_retry", "POST", document, then=to_documents,
        own=  (302, 403, 302, 302, 302, 302, 302, 302, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 403, 302, 302)),
    row("reports:document_checklist", "GET", document,  # the version's findings: whoever sees the agency
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reports:document_sign", "GET", document,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Only the agency's head (and a superuser) records the signature; the world's version is a draft,
    # so it is refused with a message, back to the documents page.
    row("reports:document_sign", "POST", document, then=to_documents,
        own=  (302, 403, 403, 302, 403, 403, 403, 403, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 403, 403, 302)),
    row("reports:document_pdf", "GET", document,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reports:document_xlsx", "GET", document,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reports:verify", "GET", document, public=True,  # public: anyone holding a printed copy
        own=  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        other=(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    row("reports:verify", "POST", document, public=True, body=_pdf_copy,
        own=  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200),
        other=(200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    row("reports:agreement_pdf", "GET", pk_version,  # the PK document: whoever sees the agency
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    # ---- workbook/urls.py ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("workbook:upload", "GET", none,  # offered to whoever may import some workbook; not about one agency
        own=  (302, 403, 200, 403, 200, 403, 403, 200, 200, 403, 200, 403)),
    # A dry run of agency A's (own) or B's (other) workbook. The agency is named by the file, not the
    # URL, so a refusal is an error of the file (400), the same as for an agency code that does not exist.
    row("workbook:upload", "POST", none, body=_dry_run,
        own=  (302, 403, 200, 403, 200, 403, 403, 200, 200, 403, 400, 403),
        other=(302, 403, 400, 403, 400, 403, 403, 400, 200, 403, 200, 403)),
    # ---- audit/urls.py ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("audit:agency_log", "GET", agency,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("audit:indicator_history", "GET", lambda t: [t.code, YEAR, t.indicator],
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("audit:batch", "GET", lambda t: [t.batch],
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    # ---- performance/urls.py: the quarterly entry (operators and agency planners write; the
    # agency planner verifies; everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("performance:entry_index", "GET", agency_year, then=lambda t: reverse("performance:entry", args=[t.code, YEAR, 1]),
        own=  (302, 302, 302, 302, 302, 302, 302, 302, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 302, 302, 302)),
    row("performance:entry", "GET", quarter_args,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("performance:entry", "POST", quarter_args, body=_save_nothing, then=to_entry,  # no changes: 303 back
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("performance:entry_preview", "GET", quarter_args,
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("performance:entry_preview", "POST", quarter_args, body=_preview,
        own=  (302, 200, 200, 403, 403, 403, 403, 403, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 403)),
    row("performance:entry_review", "GET", quarter_args,
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("performance:entry_review", "POST", quarter_args, body=_verify_all, then=to_entry,  # the agency planner
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    # ---- performance/urls.py: the year's narratives (the agency's operators and planners write;
    # everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("performance:narratives", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("performance:narratives", "POST", agency_year, body=lambda t, r: {"action": "simpan"},  # no changes: 303 back
        then=lambda t: reverse("performance:narratives", args=[t.code, YEAR]),
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    # ---- performance/urls.py: the Perjanjian Kinerja (the agency's planner drafts; its planner or
    # head submits; the Pemda's planner returns or approves; everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("performance:agreement_index", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("performance:agreement_start", "GET", agency_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world's 2025 PK exists, so the start is refused with a message.
    row("performance:agreement_start", "POST", agency_year, then=to_pk_index,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    row("performance:agreement_amend", "GET", agency_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world's PK is not approved, so the amendment is refused with a message.
    row("performance:agreement_amend", "POST", agency_year, body=_amendment, then=to_pk_index,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    row("performance:agreement_diff", "GET", agency_year, query="a=0&b=0",
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("performance:agreement_detail", "GET", pk_version,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("performance:agreement_edit", "GET", pk_version,
        own=  (302, 403, 200, 403, 403, 403, 403, 403, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 403, 200, 403)),
    row("performance:agreement_edit", "POST", pk_version, body=_pk_header, then=to_pk_detail,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    row("performance:agreement_act", "GET", pk_version,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Submitting: the agency's planner or head (refused with a message: no signatories yet); the
    # Pemda's roles may not submit (the planner returns or approves: tests/agreements).
    row("performance:agreement_act", "POST", pk_version, body=lambda t, r: {"act": "submit"}, then=to_pk_detail,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    # Returning: the Pemda's planner only (refused with a message: the world's PK is a draft).
    row("performance:agreement_act", "POST", pk_version, body=lambda t, r: {"act": "send_back", "reason": "uji"},
        then=to_pk_detail,
        own=  (302, 403, 403, 403, 303, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("performance:agreement_discard", "GET", pk_version,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The agency's planner; the world's draft has a signed scan, so the discard is refused with a message.
    row("performance:agreement_discard", "POST", pk_version, body=lambda t, r: {"reason": "uji"}, then=to_pk_detail,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    row("performance:agreement_overview", "GET", pemda_year,
        own=  (302, 404, 404, 404, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)),
    # ---- budget/urls.py ----
    row("budget:entry", "GET", quarter_args,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("budget:entry", "POST", quarter_args, then=lambda t: reverse("budget:entry", args=quarter_args(t)),
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    # ---- evaluations/urls.py: the LHE AKIP of the LKjIP 2025 (the Pemda's evaluator and inspector record
    # scores and recommendations, not the agency's members; the agency's planner and head write the
    # tindak lanjut; everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("evaluations:detail", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("evaluations:edit", "GET", agency_year,
        own=  (302, 403, 403, 403, 403, 200, 200, 403, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 403, 403, 403)),
    # Recording an evaluation with no scores (the source printed none): saved, back to the page.
    row("evaluations:edit", "POST", agency_year, body=lambda t, r: {"evaluator": "Inspektorat Uji"},
        then=to_evaluation,
        own=  (302, 403, 403, 403, 403, 303, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("evaluations:recommendation_add", "GET", agency_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("evaluations:recommendation_add", "POST", agency_year, body=lambda t, r: {"text": "uji"}, then=to_evaluation,
        own=  (302, 403, 403, 403, 403, 303, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("evaluations:follow_up", "GET", agency_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world has no recommendations of 2026: nothing to save, back to the page.
    row("evaluations:follow_up", "POST", agency_year, then=to_evaluation,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    # ---- budget/urls.py, sectorstats/urls.py, images/urls.py: the report's own sections (belanja per jenis
    # and statistics tables: the agency's operator and planner; logo and organisation chart: its planner
    # and head; everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("budget:spending_types", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    # Nothing typed: nothing recorded, nothing changes; back to the page.
    row("budget:spending_types", "POST", agency_year, then=lambda t: reverse("budget:spending_types", args=[t.code, YEAR]),
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("sectorstats:index", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("sectorstats:create", "GET", agency_year,
        own=  (302, 200, 200, 403, 403, 403, 403, 403, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 403)),
    row("sectorstats:create", "POST", agency_year, body=_table_form, then=to_tables,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("sectorstats:edit", "GET", table_args,
        own=  (302, 200, 200, 403, 403, 403, 403, 403, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 403)),
    row("sectorstats:edit", "POST", table_args, body=_table_form, then=to_tables,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("sectorstats:move", "GET", table_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world's only table is already last: nothing moves, back to the list.
    row("sectorstats:move", "POST", table_args, body=lambda t, r: {"arah": "turun"}, then=to_tables,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("sectorstats:delete", "GET", table_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("sectorstats:delete", "POST", table_args, then=to_tables,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("images:index", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    # The agency's logo: its planner and head (the Pemda's logo: the Pemda's planner and admin).
    row("images:index", "POST", agency_year, body=_png, then=to_images,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    row("images:download", "GET", image_args,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("images:delete", "GET", image_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("images:delete", "POST", image_args, then=to_images,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    # ---- lkjip/urls.py ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("login", "GET", none,
        own=  (200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    # With the role's own credentials; anonymous sends none and gets the form again.
    row("login", "POST", none, body=_login, then=lambda t: reverse("reports:home"),
        own=  (200, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    row("logout", "GET", none,
        own=  (405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("logout", "POST", none, then=lambda t: reverse("login"),
        own=  (302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302, 302)),
    # ---- periods/urls.py (Pemda pages: own = Pemda P, other = Pemda Q) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("periods:calendar", "GET", pemda_year,
        own=  (302, 404, 404, 404, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)),
    row("periods:calendar", "POST", pemda_year, body=_deadlines, then=to_calendar,
        own=  (302, 404, 404, 404, 303, 403, 403, 303, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 404, 404, 404)),
    row("periods:reopening_grant", "GET", pemda_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world's Pemda have no calendar for the year, so a grant is refused on the form (200).
    row("periods:reopening_grant", "POST", pemda_year, body=_reopening,
        own=  (302, 404, 404, 404, 200, 403, 403, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)),
    row("periods:reopening_end", "GET", lambda t: [t.government, YEAR, t.reopening],  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("periods:reopening_end", "POST", lambda t: [t.government, YEAR, t.reopening], body=_reason,
        then=to_calendar,
        own=  (302, 404, 404, 404, 303, 403, 403, 303, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 404, 404, 404)),
    row("periods:dashboard", "GET", pemda_year, query="tw=2&urut=-belum",
        own=  (302, 404, 404, 404, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)),
    row("periods:dashboard_xlsx", "GET", pemda_year,
        own=  (302, 404, 404, 404, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 404, 404, 404)),
    row("periods:dashboard_latest", "GET", lambda t: [t.government],
        then=lambda t: reverse("periods:dashboard", args=[t.government, YEAR]),
        own=  (302, 404, 404, 404, 302, 302, 302, 302, 302, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 302, 404, 404, 404)),
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("periods:quarter_lock", "GET", agency_year_q1,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The agency's planner only; the world's quarter is not verified, so the lock is refused with a message.
    row("periods:quarter_lock", "POST", agency_year_q1, then=to_overview,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    row("periods:quarter_unlock", "GET", agency_year_q1,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("periods:quarter_unlock", "POST", agency_year_q1, body=_reason, then=to_overview,
        own=  (302, 403, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 403)),
    # ---- evidence/urls.py ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("evidence:upload", "GET", agency_year_q1,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Those who enter realisasi (the agency's operator and planner); the others who see the agency: 403.
    row("evidence:upload", "POST", agency_year_q1, body=_evidence, then=to_overview,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    row("evidence:download", "GET", evidence,  # whoever sees the record sees its evidence
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("evidence:delete", "GET", evidence,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("evidence:delete", "POST", evidence, then=to_overview,
        own=  (302, 303, 303, 403, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 303, 303, 403)),
    # The scan of a signed PK version: those who submit the PK (the agency's planner and head) upload
    # and delete; whoever sees the agency downloads.
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("evidence:agreement_upload", "GET", pk_version,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("evidence:agreement_upload", "POST", pk_version, body=_scan, then=to_overview,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    row("evidence:agreement_download", "GET", pk_scan,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("evidence:agreement_delete", "GET", pk_scan,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("evidence:agreement_delete", "POST", pk_scan, body=_scan_removal, then=to_overview,
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    # ---- api/urls.py: the account's token page (the API itself: tests/api/test_api_matrix.py) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("api:tokens", "GET", none,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    row("api:tokens", "POST", none, body=lambda t, role: {"name": f"matriks {role}", "days": "30"},
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200)),
    row("api:token_revoke", "GET", operators_token,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("api:token_revoke", "POST", operators_token, then=lambda t: reverse("api:tokens"),  # only its owner
        own=  (302, 303, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404)),
    # ---- reviews/urls.py: the reviu (the Pemda's inspectors open it, keep the working paper, write and
    # resolve notes, close; the agency's planner and head answer notes; the Inspektur (gov_insp, head of
    # the unit) issues the statement; everyone who sees the agency reads) ----
    #         anon   op  pln head gPln gEvl gIns gAdm   su  xOp xPln xHed
    row("reviews:index", "GET", agency_year,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reviews:open", "GET", agency_year,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The world's reviu is open, so another is refused with a message.
    row("reviews:open", "POST", agency_year, body=lambda t, r: {"document": 1}, then=to_reviews,
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("reviews:detail", "GET", review_args,
        own=  (302, 200, 200, 200, 200, 200, 200, 200, 200, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 200, 200, 200, 200)),
    row("reviews:items", "GET", review_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("reviews:items", "POST", review_args, body=_unchanged_items, then=to_review,
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("reviews:act", "GET", review_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # No row is assessed yet, so closing is refused with a message.
    row("reviews:act", "POST", review_args, body=lambda t, r: {"act": "close"}, then=to_review,
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("reviews:note_add", "GET", review_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    row("reviews:note_add", "POST", review_args, body=lambda t, r: {"anchor": "bagian", "section": "bab3", "text": "uji"},
        then=lambda t: to_review(t) + "#catatan",
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("reviews:note_act", "GET", note_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # Answering: the agency's planner and head.
    row("reviews:note_act", "POST", note_args, body=lambda t, r: {"act": "answer", "text": "uji"},
        then=lambda t: to_review(t) + "#catatan",
        own=  (302, 403, 303, 303, 403, 403, 403, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 303, 303)),
    # Resolving: the Pemda's inspectors.
    row("reviews:note_act", "POST", note_args, body=lambda t, r: {"act": "resolve", "text": "uji"},
        then=lambda t: to_review(t) + "#catatan",
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
    row("reviews:statement", "GET", review_args,  # POST only
        own=  (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405),
        other=(302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)),
    # The Inspektur; the world's reviu is open, so issuing is refused with a message.
    row("reviews:statement", "POST", review_args, body=_statement, then=lambda t: to_review(t) + "#pernyataan",
        own=  (302, 403, 403, 403, 403, 403, 303, 403, 303, 404, 404, 404),
        other=(302, 404, 404, 404, 404, 404, 404, 404, 303, 403, 403, 403)),
]

# Pages that only read answer any other method with 405, before looking at the agency (so the
# same for own and other); anonymous users are sent to log in first.
READ_ONLY_POST = (302, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405, 405)
MATRIX += [
    row("reports:home", "POST", none, own=READ_ONLY_POST),
    *(
        row(name, "POST", args, own=READ_ONLY_POST, other=READ_ONLY_POST, query=query)
        for name, args, query in [
            ("reports:agency", agency, ""),
            ("reports:overview", agency_year, ""),
            ("reports:documents", agency_year, ""),
            ("reports:document_compare", agency_year, "a=1&b=1"),
            ("reports:document_pdf", document, ""),
            ("reports:document_xlsx", document, ""),
            ("audit:agency_log", agency, ""),
            ("audit:indicator_history", lambda t: [t.code, YEAR, t.indicator], ""),
            ("audit:batch", lambda t: [t.batch], ""),
            ("periods:dashboard", pemda_year, "tw=2"),
            ("periods:dashboard_xlsx", pemda_year, ""),
            ("periods:dashboard_latest", lambda t: [t.government], ""),
            ("performance:entry_index", agency_year, ""),
            ("performance:agreement_index", agency_year, ""),
            ("performance:agreement_diff", agency_year, "a=0&b=0"),
            ("performance:agreement_detail", pk_version, ""),
            ("performance:agreement_overview", pemda_year, ""),
            ("evidence:download", evidence, ""),
            ("reports:agreement_pdf", pk_version, ""),
            ("evidence:agreement_download", pk_scan, ""),
            ("reviews:index", agency_year, ""),
            ("reviews:detail", review_args, ""),
            ("evaluations:detail", agency_year, ""),
            ("sectorstats:index", agency_year, ""),
            ("images:download", image_args, ""),
        ]
    ),
]


# ---- the data: one small workbook and one rendered document per agency ----


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    targets: dict[str, Target] = field(default_factory=dict)  # "own" (agency A), "other" (agency B)
    # For each scope, objects that do not exist but are named the same way (a workbook of an
    # unknown agency code in the same Pemda).
    missing: dict[str, Target] = field(default_factory=dict)


# Which agency each role may see: an outsider gets exactly what a nonexistent object gets.
SEES = {"anon": set(), "su": {"own", "other"}}
SEES |= {role: {"own"} for role in (*AGENCY_ROLES, *GOV_ROLES)} | {role: {"other"} for role in OUTSIDERS}


def _workbook(code: str, pemda: str) -> bytes:
    data = minimal_data()
    # The name must not contain the code: `page()` blanks the code out before comparing bodies.
    data["Instansi"].update(kode_instansi=code, pemda=pemda, nama_instansi=pemda.replace("Pemerintah", "Disnaker"))
    return build_workbook(data)


@pytest.fixture(autouse=True)
def _fast_passwords_and_media():
    """Overrides the conftest's per-test settings: `world` sets both for the whole module, and the
    documents it rendered must stay where their files are."""


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction that is rolled back at the end; each test
    runs in its own savepoint (the `db` fixture), so the POSTs that write undo themselves."""
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        LKJIP_RENDER_IN_THREAD=False,
        CELERY_TASK_ALWAYS_EAGER=True,
    )
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        with django_db_blocker.unblock(), overrides, transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)
    finally:
        celery_app.conf.task_always_eager = eager


def _build_world() -> World:
    world = World()
    homes = {}
    for scope, code, pemda in (("own", "uji-disnaker", "Pemerintah Kota Uji"),
                               ("other", "lain-disnaker", "Pemerintah Kota Lain")):
        workbook = _workbook(code, pemda)
        report = workbook_import(source=as_file(workbook), file_name=f"{code}.xlsx")
        assert report.ok, [str(e) for e in report.errors]
        homes[scope] = Agency.objects.get(code=code)
        with TestCase.captureOnCommitCallbacks(execute=True):
            doc, created = document_request(agency=homes[scope], year=YEAR, user=None)
        doc.refresh_from_db()
        assert created and doc.status == LkjipDocument.Status.DONE, doc.error
        reopening = Reopening.objects.create(
            agency=homes[scope], year=YEAR, quarter=1, until=timezone.localdate() + datetime.timedelta(days=30),
            reason="uji", granted_by_label="sistem", granted_at=timezone.now(),
        )
        entry = Realization.objects.get(indicator__plan__agency=homes[scope], indicator__code=EVIDENCE_INDICATOR,
                                        year=YEAR, quarter=1)
        attached = evidence_attach(realization=entry, ctx=AuditContext(),
                                   upload=SimpleUploadedFile("bukti.pdf", b"%PDF-1.7 bukti", "application/pdf"))
        scan = scan_attach(agreement=PerformanceAgreement.objects.get(agency=homes[scope], year=YEAR, number=0),
                           upload=SimpleUploadedFile("pk.pdf", b"%PDF-1.7 pindaian", "application/pdf"),
                           ctx=AuditContext())
        review = review_open(agency=homes[scope], year=YEAR, document=doc, ctx=AuditContext())
        note = review_note_add(review=review, anchor=NoteAnchor("bagian", section="lampiran"), text="uji",
                               ctx=AuditContext())
        table = statistics_table_save(agency=homes[scope], year=YEAR, ctx=AuditContext(), data=TableInput(
            code="uji", title="Tabel uji", section="analisis", columns=[("", "Bulan")], rows=[]))
        logo = image_upload(kind="logo", government=homes[scope].government, agency=homes[scope], ctx=AuditContext(),
                            upload=SimpleUploadedFile("logo.png", png_bytes(scope), "image/png"))
        world.targets[scope] = Target(code=code, doc=doc.code, batch=report.batch_id, indicator=INDICATOR,
                                      workbook=workbook, government=homes[scope].government_id,
                                      reopening=reopening.pk, evidence=attached.pk,
                                      entry_indicator=entry.indicator_id, scan=scan.pk, review=review.pk, note=note.pk,
                                      table=table.pk, image=logo.pk)
        world.missing[scope] = Target(code=MISSING_CODE, doc="tidakada00", batch=0, indicator=INDICATOR,
                                      workbook=_workbook(MISSING_CODE, pemda))
    unused_batch = ImportBatch.objects.order_by("-pk").first().pk + 1000
    unused_government = Government.objects.order_by("-pk").first().pk + 1000
    unused_reopening = Reopening.objects.order_by("-pk").first().pk + 1000
    unused_evidence = Evidence.objects.order_by("-pk").first().pk + 1000
    unused_review = Review.objects.order_by("-pk").first().pk + 1000
    unused_note = ReviewNote.objects.order_by("-pk").first().pk + 1000
    world.missing = {
        scope: dataclasses.replace(t, batch=unused_batch, government=unused_government, reopening=unused_reopening,
                                   evidence=unused_evidence, entry_indicator=world.targets[scope].entry_indicator,
                                   scan=unused_evidence + 1, review=unused_review, note=unused_note,
                                   table=unused_review + 5000, image=unused_review + 5000)
        for scope, t in world.missing.items()
    }
    a, b = homes["own"], homes["other"]
    world.users["anon"] = None
    for role, membership in AGENCY_ROLES.items():
        world.users[role] = factories.user(role, agency=a, role=membership)
    for role, gov_role in GOV_ROLES.items():
        world.users[role] = factories.user(role, government=a.government, gov_role=gov_role)
    # The inspector is the Inspektur (head of the unit), who issues the reviu statement.
    world.users["gov_insp"].government_roles.update(head=True, position="Inspektur Kota Uji")
    world.users["su"] = factories.user("su")
    world.users["su"].is_superuser = world.users["su"].is_staff = True
    world.users["su"].save()
    for role, membership in OUTSIDERS.items():
        world.users[role] = factories.user(role, agency=b, role=membership)
    assert set(world.users) == set(ROLES)
    return world


# ---- requests ----


def without_csrf(text: str) -> str:
    """The page minus its CSRF token, which is masked afresh on every render."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text)


def fetch(client, world: World, entry: Row, target: Target, role: str):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    url = reverse(entry.name, args=entry.args(target))
    if entry.query:
        url += "?" + entry.query
    body = entry.body(target, role) if entry.body else {}
    return getattr(client, entry.method.lower())(url, body)


CELLS = [
    pytest.param(entry, scope, role, id=f"{entry.id} {scope} {role}")
    for entry in MATRIX
    for scope in (("own", "other") if entry.other is not None else ("own",))
    for role in ROLES
]


def page(response, target: Target) -> str:
    """The body as compared between an outsider's object and a missing one: without the CSRF
    token and with the agency code the request named (a refused workbook quotes it)."""
    return without_csrf(response.content.decode()).replace(target.code, "<kode>")


@pytest.mark.parametrize(("entry", "scope", "role"), CELLS)
def test_cell(client, world, db, entry, scope, role):
    expected = getattr(entry, scope)[role]
    target = world.targets[scope]
    response = fetch(client, world, entry, target, role)
    assert response.status_code == expected, (
        f"{entry.id} on agency {scope} as {role}: {response.status_code}, matrix says {expected}"
    )
    if expected in (302, 303):
        location = response["Location"]
        if role == "anon":
            assert location.split("?")[0] == reverse("login"), f"{entry.id} sends anonymous to {location}"
        else:
            assert entry.then is not None, f"{entry.id}: say where its 302 goes (then=...)"
            assert location == entry.then(target), f"{entry.id} as {role} redirects to {location}"
    if entry.other is not None and not entry.public and role != "anon" and scope not in SEES[role]:
        # No existence oracle: another agency's object answers exactly like one that does not exist
        # (the 404s, and the refusal of another agency's workbook).
        missing = fetch(client, world, entry, world.missing[scope], role)
        assert missing.status_code == expected, f"{entry.id} of a missing object as {role}: {missing.status_code}"
        assert page(response, target) == page(missing, world.missing[scope]), f"{entry.id} as {role}: bodies differ"


# ---- the matrix covers the project ----


def _url_patterns(patterns, prefix: str = "", namespace: str = ""):
    """(route, name, view) of every pattern, resolvers included, admin and static left out."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from _url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            bare = route.lstrip("^")
            if any(url and bare.startswith(url.lstrip("/")) for url in (settings.STATIC_URL, settings.MEDIA_URL)):
                continue
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield route, name, pattern.lookup_str


def test_every_url_pattern_has_a_row():
    # The API's endpoints have their own matrix, with tokens: tests/api/test_api_matrix.py.
    found = [p for p in _url_patterns(get_resolver().url_patterns) if not p[0].startswith("api/")]
    in_matrix = {entry.name for entry in MATRIX}
    problems = []
    for route, name, view in found:
        if name is None:
            problems.append(f"URL pattern {route!r} ({view}) has no name: name it, then add its rows to MATRIX")
        elif name not in in_matrix:
            problems.append(
                f"URL pattern {route!r} (name {name!r}, view {view}) has no row in MATRIX of "
                f"tests/test_access_matrix.py: add row({name!r}, \"GET\", ...) and a POST row if the view takes POST"
            )
    names = {name for _, name, _ in found}
    problems += [f"MATRIX row {entry.id!r} names no URL pattern of the project: remove it"
                 for entry in MATRIX if entry.name not in names]
    for name in in_matrix:
        if not any(entry.name == name and entry.method == "GET" for entry in MATRIX):
            problems.append(f"URL pattern {name!r} has no GET row (a POST-only view gets one that expects 405)")
    assert not problems, "\n".join(problems)


def test_home_lists_only_the_agencies_a_role_may_see(client, world, db):
    for role, visible in SEES.items():
        if role == "anon":
            continue
        client.force_login(world.users[role])
        page = client.get(reverse("reports:home")).content.decode()
        for scope, target in world.targets.items():
            link = reverse("reports:agency", args=[target.code])
            assert (f'href="{link}"' in page) == (scope in visible), f"home page of {role}, agency {scope}"
