"""The reviu pages: the reviews of an agency-year (open one on a stored document version), the
working paper with its notes, and the statement.

Thin: agencies.permissions decides, reviews.selectors reads, reviews.forms parse,
reviews.services writes (with the audit trail). Outsiders get 404; a role that may see the
agency but not do this gets 403. Every POST answers 303.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from agencies.models import Agency
from agencies.permissions import Access, agency_for_user
from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther, back_to_next
from performance.rules import RuleViolation
from reports.models import LkjipDocument

from . import selectors, services, wording
from .forms import ItemForm, NoteActForm, NoteForm, OpenForm, ReviewActForm, StatementForm
from .models import Review, ReviewNote

YEARS = range(2000, 2101)


def _ctx(request: HttpRequest, reason: str = "") -> AuditContext:
    return AuditContext(user=request.user, channel=Channel.FORM, reason=reason)


def _agency(request: HttpRequest, code: str, year: int) -> tuple[Agency, Access]:
    agency, access = agency_for_user(user=request.user, code=code)
    if year not in YEARS:
        raise Http404("Tahun tidak dikenal.")
    return agency, access


def _review(request: HttpRequest, code: str, year: int, review_id: int) -> tuple[Review, Access]:
    agency, access = _agency(request, code, year)
    review = selectors.review_get(agency=agency, year=year, review_id=review_id)
    if review is None:
        raise Http404("Reviu tidak ditemukan.")
    return review, access


def _detail_url(review: Review) -> str:
    return reverse("reviews:detail", args=[review.agency.code, review.year, review.pk])


def _refusal(exc: RuleViolation) -> str:
    return "; ".join(dict.fromkeys(v.message for v in exc.violations))


def _revision(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
@require_safe
def review_index(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    reviews = list(selectors.reviews_for(agency=agency, year=year))
    documents = list(LkjipDocument.objects.filter(agency=agency, year=year, status=LkjipDocument.Status.DONE)
                     .order_by("-number").only("number", "code", "requested_at", "snapshot_sha256"))
    return render(request, "reviews/review_index.html", {
        "agency": agency, "year": year, "access": access, "reviews": reviews, "documents": documents,
        "may_open": access.review and documents and not any(r.is_open for r in reviews),
    })


@login_required
@require_POST
def review_open_view(request: HttpRequest, code: str, year: int) -> HttpResponse:
    agency, access = _agency(request, code, year)
    if not access.review:
        raise PermissionDenied("Hanya Inspektorat yang membuka reviu.")
    index = reverse("reviews:index", args=[agency.code, year])
    form = OpenForm(request.POST)
    document = None
    if form.is_valid():
        document = LkjipDocument.objects.filter(agency=agency, year=year, number=form.cleaned_data["document"]).first()
    if document is None:
        messages.error(request, "Reviu belum dibuka: pilih versi dokumen tahun ini yang sudah jadi.")
        return HttpResponseSeeOther(index)
    try:
        review = services.review_open(agency=agency, year=year, document=document, ctx=_ctx(request))
    except RuleViolation as exc:
        messages.error(request, f"Reviu belum dibuka: {_refusal(exc)}.")
        return HttpResponseSeeOther(index)
    messages.success(request, f"Reviu atas dokumen versi {document.number} dibuka. Butir kertas kerja diisi usulan "
                              "dari data dokumen; periksa, ubah dan nilai setiap butir.")
    return HttpResponseSeeOther(_detail_url(review))


def _evidence_choices(paper: selectors.WorkingPaper) -> list[tuple[str, str]]:
    from .models import QUARTER_LABEL

    return [
        (str(e.pk), f"{e.realization.indicator.code} {QUARTER_LABEL.get(e.realization.quarter, 'tahunan')}: "
                    f"{e.original_name}")
        for e in paper.available
    ]


def _item_forms(paper: selectors.WorkingPaper, data: object = None) -> list[tuple[object, ItemForm]]:
    choices = _evidence_choices(paper)
    forms = []
    for item in paper.items:
        initial = {
            "condition": item.condition or item.proposed_condition, "criteria": item.criteria,
            "effect": item.effect, "recommendation": item.recommendation,
            "status": item.status or item.proposed_status, "evidence": [str(e) for e in item.evidence],
            "references": item.references,
        }
        forms.append((item, ItemForm(data, prefix=item.code, initial=initial, evidence_choices=choices)))
    return forms


def _page(request: HttpRequest, review: Review, access: Access, *, item_forms=None, note_form=None,
          statement_form=None, errors: list[str] | None = None) -> HttpResponse:
    paper = selectors.working_paper(review=review)
    editing = access.review and review.is_open
    if item_forms is None and editing:
        item_forms = _item_forms(paper)
    if note_form is None and editing:
        indicators, budget_items = selectors.anchor_choices(agency=review.agency, year=review.year)
        note_form = NoteForm(indicators=indicators, budget_items=budget_items,
                             initial={"anchor_year": review.year, "anchor": "indikator"})
    statement = paper.statement
    may_issue = access.issue_review_statement and not review.is_open and statement is None
    if statement_form is None and may_issue:
        statement_form = StatementForm(initial=services.statement_defaults(review=review, user=request.user))
    titles = (review.document.snapshot.get("variant") or {}).get("long") or "Laporan Kinerja Instansi Pemerintah"
    return render(request, "reviews/review_detail.html", {
        "agency": review.agency, "year": review.year, "review": review, "access": access, "paper": paper,
        "item_forms": item_forms if editing else None, "note_form": note_form if editing else None,
        "statement_form": statement_form if may_issue else None, "statement": statement,
        "open_matters": services.open_matters(review=review) if may_issue else [],
        # Issuing is not refused with a row Tidak terpenuhi (the Inspektur decides): the form warns.
        "failed_items": services.failed_items(paper.items) if may_issue else [],
        "assurance": wording.assurance(title=titles, agency=review.agency.name, year=review.year,
                                       qualified=bool(statement and statement.qualified)),
        "qualified_conclusion": wording.QUALIFIED_CONCLUSION,
        "matters_lead": wording.MATTERS_LEAD,
        "version_sentence": wording.version_sentence(number=statement.document_number, code=statement.document_code,
                                                     data_sha256=statement.document_data_sha256) if statement else "",
        "errors": errors or [], "here": request.get_full_path(),
    }, status=400 if errors else 200)


@login_required
@require_safe
def review_detail(request: HttpRequest, code: str, year: int, review_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    return _page(request, review, access)


@login_required
@require_POST
def review_items(request: HttpRequest, code: str, year: int, review_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    if not access.review:
        raise PermissionDenied("Hanya Inspektorat yang mengisi kertas kerja reviu.")
    if not review.is_open:
        messages.error(request, "Reviu ini sudah ditutup: kertas kerja tidak dapat diubah.")
        return HttpResponseSeeOther(_detail_url(review))
    paper = selectors.working_paper(review=review)
    forms = _item_forms(paper, request.POST)
    if not all([f.is_valid() for _, f in forms]):
        errors = [f"{item.aspect} · {f.fields[n].label if n in f.fields else ''}: {' '.join(e)}"
                  for item, f in forms for n, e in f.errors.items()]
        return _page(request, review, access, item_forms=forms, errors=errors)
    try:
        changed = services.review_items_save(review=review, items={item.code: f.as_input() for item, f in forms},
                                             revision=_revision(request.POST.get("revision")), ctx=_ctx(request))
    except RuleViolation as exc:
        by_code = {item.code: (item, f) for item, f in forms}
        errors = []
        for v in exc.violations:
            if v.key in by_code:
                item, form = by_code[v.key]
                # Some of the service's messages name the aspect already (they stand alone in the
                # API): the row's own error goes without it (its legend names it), the list with it once.
                message = v.message.removeprefix(f"{item.aspect}: ")
                form.add_error(v.field if v.field in form.fields else None, message)
                errors.append(f"{item.aspect}: {message}")
            else:
                errors.append(v.message)
        return _page(request, review, access, item_forms=forms, errors=errors)
    messages.success(request, f"Kertas kerja disimpan ({changed} butir berubah)." if changed
                     else "Tidak ada perubahan pada kertas kerja.")
    return HttpResponseSeeOther(_detail_url(review))


@login_required
@require_POST
def review_act(request: HttpRequest, code: str, year: int, review_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    if not access.review:
        raise PermissionDenied("Hanya Inspektorat yang menutup atau membuka kembali reviu.")
    form = ReviewActForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tindakan tidak dikenal.")
        return HttpResponseSeeOther(_detail_url(review))
    act, done = form.cleaned_data["act"], {"close": "ditutup", "reopen": "dibuka kembali"}
    service = services.review_close if act == "close" else services.review_reopen
    try:
        service(review=review, ctx=_ctx(request, form.cleaned_data["reason"] or ""),
                revision=form.cleaned_data["revision"])
    except RuleViolation as exc:
        messages.error(request, f"Reviu belum {done[act]}: {_refusal(exc)}.")
    else:
        messages.success(request, f"Reviu {done[act]}.")
    return HttpResponseSeeOther(_detail_url(review))


@login_required
@require_POST
def note_add(request: HttpRequest, code: str, year: int, review_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    if not access.review:
        raise PermissionDenied("Hanya Inspektorat yang menulis catatan reviu.")
    indicators, budget_items = selectors.anchor_choices(agency=review.agency, year=review.year)
    form = NoteForm(request.POST, indicators=indicators, budget_items=budget_items)
    if not form.is_valid():
        problems = "; ".join(f"{form.fields[n].label if n in form.fields else ''}: {' '.join(e)}"
                             for n, e in form.errors.items())
        messages.error(request, f"Catatan belum disimpan: {problems}.")
        return HttpResponseSeeOther(_detail_url(review) + "#catatan")
    try:
        services.review_note_add(review=review, anchor=form.as_anchor(), text=form.cleaned_data["text"],
                                 ctx=_ctx(request))
    except RuleViolation as exc:
        messages.error(request, f"Catatan belum disimpan: {_refusal(exc)}.")
    else:
        messages.success(request, "Catatan reviu disimpan; perangkat daerah dapat menjawabnya di halaman ini.")
    return HttpResponseSeeOther(_detail_url(review) + "#catatan")


@login_required
@require_POST
def note_act(request: HttpRequest, code: str, year: int, review_id: int, note_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    note = ReviewNote.objects.filter(review=review, pk=note_id).select_related("indicator", "budget_item").first()
    if note is None:
        raise Http404("Catatan tidak ditemukan.")
    note.review = review
    form = NoteActForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Tindakan tidak dikenal.")
        return HttpResponseSeeOther(_detail_url(review) + "#catatan")
    act = form.cleaned_data["act"]
    if not (access.answer_review_notes if act == "answer" else access.review):
        raise PermissionDenied("Anda tidak berwenang untuk tindakan ini.")
    text, revision = form.cleaned_data["text"] or "", form.cleaned_data["revision"]
    done = {"answer": "dijawab", "resolve": "diselesaikan", "reopen": "dibuka kembali"}[act]
    try:
        if act == "answer":
            services.review_note_answer(note=note, text=text, ctx=_ctx(request), revision=revision)
        elif act == "resolve":
            services.review_note_resolve(note=note, text=text, ctx=_ctx(request), revision=revision)
        else:
            services.review_note_reopen(note=note, ctx=_ctx(request, text), revision=revision)
    except RuleViolation as exc:
        messages.error(request, f"Catatan belum {done}: {_refusal(exc)}.")
    else:
        messages.success(request, f"Catatan {done}.")
    return back_to_next(request, _detail_url(review) + "#catatan")


@login_required
@require_POST
def statement(request: HttpRequest, code: str, year: int, review_id: int) -> HttpResponse:
    review, access = _review(request, code, year, review_id)
    if not access.issue_review_statement:
        raise PermissionDenied("Hanya Inspektur yang menerbitkan pernyataan telah direviu.")
    form = StatementForm(request.POST)
    if form.is_valid():
        try:
            services.statement_issue(review=review, ctx=_ctx(request), **form.cleaned_data)
        except RuleViolation as exc:
            messages.error(request, f"Pernyataan belum diterbitkan: {_refusal(exc)}.")
        else:
            messages.success(request, "Pernyataan Telah Direviu diterbitkan. Versi dokumen berikutnya memuatnya "
                                      "setelah BAB Penutup.")
        return HttpResponseSeeOther(_detail_url(review) + "#pernyataan")
    problems = "; ".join(f"{form.fields[n].label if n in form.fields else ''}: {' '.join(e)}"
                         for n, e in form.errors.items())
    messages.error(request, f"Pernyataan belum diterbitkan: {problems}.")
    return HttpResponseSeeOther(_detail_url(review) + "#pernyataan")
