"""Every write of the reviu: open a reviu on a stored document version, keep its working paper,
write, answer, resolve and reopen notes, close and reopen it, issue the Pernyataan Telah Direviu.

The browser pages and (later) the API call these; neither writes itself. Each service checks the
rules, takes the agency's write lock and records the audit entries (channel = ctx.channel) in the
same transaction. A refusal is a performance.rules.RuleViolation with Indonesian messages and
nothing written. Who may call which service is agencies.permissions.Access (review,
answer_review_notes, issue_review_statement): the caller asks it first.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django_fsm import can_proceed

from agencies.locks import agency_lock
from agencies.models import Agency, GovernmentRole
from audit import services as audit
from audit.models import AuditEntry
from audit.services import AuditContext
from performance.models import Indicator
from performance.rules import RuleViolation, Violation
from reports.models import LkjipDocument
from reports.snapshot import reviewed_hash

from . import checklist, selectors
from .models import DOCUMENT_SECTIONS, ItemStatus, Review, ReviewItem, ReviewNote, ReviewStatement

TEXT_LIMIT = 10_000
ITEM_TEXT_FIELDS = ("condition", "criteria", "effect", "recommendation", "references")
ITEM_FIELDS = [*ITEM_TEXT_FIELDS, "status", "evidence", "confirmed", "confirmed_by_id", "confirmed_at"]


@dataclass(frozen=True)
class ItemInput:
    """One working-paper row as the inspector confirms it. `criteria` None keeps the stored one.
    A status (terpenuhi, dengan_catatan, tidak_terpenuhi) confirms the row; blank leaves it open."""

    condition: str = ""
    effect: str = ""
    recommendation: str = ""
    status: str = ""
    evidence: Sequence[int] = ()
    references: str = ""
    criteria: str | None = None


@dataclass(frozen=True)
class NoteAnchor:
    """What a note points at: kind "indikator" (indicator id, year, optional quarter 1–4),
    "anggaran" (budget item id) or "bagian" (a key of models.DOCUMENT_SECTIONS)."""

    kind: str
    indicator_id: int | None = None
    year: int | None = None
    quarter: int | None = None
    budget_item_id: int | None = None
    section: str = ""


def _by(ctx: AuditContext) -> Any:
    return ctx.user if ctx.user_id else None


def _refuse(key: Any, field: str, value: Any, message: str) -> RuleViolation:
    return RuleViolation([Violation(key, field, "" if value is None else str(value), message)])


def _stale(model: type, obj: Any, revision: int | None, what: str) -> list[Violation]:
    if revision is None or revision == obj.revision:
        return []
    last = audit.last_entries(model, [obj.pk]).get(obj.pk)
    who = last.user_label if last else "pengguna lain"
    when = date_format(timezone.localtime(last.at), "j F Y H:i") if last else ""
    return [Violation(obj.pk, "revision", str(revision),
                      f"sementara Anda mengisi, {who} mengubah {what}{' pada ' + when if when else ''}; "
                      "muat ulang halaman dan ulangi perubahan Anda")]


def _review_for_update(review: Review) -> Review:
    agency_lock(review.agency.code)
    return Review.objects.select_for_update(of=("self",)).select_related(
        "agency", "agency__government", "document").get(
        pk=review.pk)


def _note_for_update(note: ReviewNote) -> ReviewNote:
    agency_lock(note.review.agency.code)
    # Only the note's row: PostgreSQL cannot lock the nullable side of the anchor's outer joins.
    locked = ReviewNote.objects.select_for_update(of=("self",)).select_related(
        "review", "review__agency", "review__agency__government", "review__document", "indicator", "budget_item",
    ).get(pk=note.pk)
    return locked


def _text(value: str | None, key: Any, field: str, label: str, *, required: bool = False) -> tuple[str, list[Violation]]:
    text = (value or "").strip()
    if required and not text:
        return text, [Violation(key, field, "", f"{label} wajib diisi")]
    if len(text) > TEXT_LIMIT:
        return text, [Violation(key, field, text[:40], f"{label} paling banyak {TEXT_LIMIT} karakter")]
    return text, []


def _open_violations(review: Review) -> list[Violation]:
    if review.is_open:
        return []
    return [Violation(review.pk, "status", review.status,
                      "reviu ini sudah selesai (ditutup): buka kembali reviu sebelum mengubahnya")]


# ---- the reviu ----


@transaction.atomic
def review_open(*, agency: Agency, year: int, document: LkjipDocument, ctx: AuditContext) -> Review:
    """Open a reviu of a stored, rendered document version of the agency and year, with one
    working-paper row per checklist item prefilled from the version's snapshot (proposed
    Kondisi and Status, kept apart from what the inspector confirms). At most one reviu of an
    agency and year is open at a time."""
    agency_lock(agency.code)
    if document.agency_id != agency.pk or document.year != year:
        raise _refuse(document.pk, "document", document.pk, f"versi dokumen ini bukan milik {agency.name} tahun {year}")
    if document.status != LkjipDocument.Status.DONE:
        raise _refuse(document.pk, "document", document.number,
                      f"dokumen versi {document.number} belum selesai dibuat; reviu dilakukan atas dokumen yang sudah jadi")
    current = Review.objects.filter(agency=agency, year=year, status=Review.Status.OPEN).select_related("document").first()
    if current is not None:
        raise _refuse(current.pk, "status", current.status,
                      f"masih ada reviu tahun {year} yang berjalan (dokumen versi {current.document.number}): "
                      "selesaikan atau lanjutkan reviu itu")
    review = Review(agency=agency, year=year, document=document, opened_by=_by(ctx), opened_at=ctx.at)
    try:
        with transaction.atomic():
            audit.instance_save(instance=review, ctx=ctx)
    except IntegrityError:
        raise _refuse(None, "status", "", f"masih ada reviu tahun {year} yang berjalan; muat ulang halaman") from None
    facts = selectors.checklist_facts(agency=agency, year=year, as_of=timezone.localtime(review.opened_at).date())
    proposals = checklist.proposals(document.snapshot, facts)
    ctx.remember([review, agency])
    wanted = {
        item.code: {
            "review_id": review.pk, "code": item.code, "order": order, "aspect": item.aspect,
            "criteria": item.criteria, "proposed_condition": proposals[item.code].condition,
            "proposed_status": proposals[item.code].status,
        }
        for order, item in enumerate(checklist.ITEMS, 1)
    }
    audit.upsert(model=ReviewItem, existing={}, wanted=wanted, fields=list(next(iter(wanted.values()))), ctx=ctx)
    return review


@transaction.atomic
def review_items_save(
    *, review: Review, items: Mapping[str, ItemInput], revision: int | None, ctx: AuditContext
) -> int:
    """Save working-paper rows, keyed by checklist code: Kondisi, Kriteria, Catatan/Akibat,
    Rekomendasi, Status (a status confirms the row, by whom and when), evidence (ids of the
    agency-year's realisasi evidence) and other references. All or nothing; RuleViolation keyed
    by the code. Returns how many rows changed; the reviu's revision moves when any does."""
    review = _review_for_update(review)
    problems = _open_violations(review) + _stale(Review, review, revision, "kertas kerja reviu ini")
    if problems:
        raise RuleViolation(problems)
    stored = {i.code: i for i in ReviewItem.objects.filter(review=review)}
    allowed_evidence = set(selectors.year_evidence(agency=review.agency, year=review.year).values_list("pk", flat=True))
    wanted: dict[str, dict[str, Any]] = {}
    for code, given in items.items():
        item = stored.get(code)
        if item is None:
            problems.append(Violation(code, "code", code, "butir kertas kerja tidak dikenal"))
            continue
        values: dict[str, Any] = {}
        for name, label in (("condition", "Kondisi"), ("effect", "Catatan/Akibat"), ("recommendation", "Rekomendasi"),
                            ("references", "Rujukan bukti")):
            values[name], found = _text(getattr(given, name), code, name, label)
            problems += found
        if given.criteria is None:
            values["criteria"] = item.criteria
        else:
            values["criteria"], found = _text(given.criteria, code, "criteria", "Kriteria", required=True)
            problems += found
        if given.status not in ItemStatus.values:
            problems.append(Violation(code, "status", given.status,
                                      "status salah satu dari: terpenuhi, dengan_catatan, tidak_terpenuhi (atau kosong)"))
            continue
        values["status"] = given.status
        if given.status and not values["condition"]:
            problems.append(Violation(code, "condition", "", f"{item.aspect}: isi Kondisi sebelum menilai butir ini"))
        if given.status in (ItemStatus.NOTED, ItemStatus.NOT_MET) and not values["recommendation"]:
            problems.append(Violation(code, "recommendation", "",
                                      f"{item.aspect}: butir yang tidak terpenuhi atau dengan catatan perlu Rekomendasi"))
        try:
            evidence = sorted({int(e) for e in given.evidence})
        except (TypeError, ValueError):
            problems.append(Violation(code, "evidence", str(given.evidence), "bukti dukung berupa id angka"))
            continue
        if set(evidence) - allowed_evidence:
            problems.append(Violation(code, "evidence", ", ".join(map(str, sorted(set(evidence) - allowed_evidence))),
                                      f"bukti dukung bukan milik realisasi {review.agency.name} tahun {review.year}"))
        values["evidence"] = evidence
        if all(getattr(item, name) == value for name, value in values.items()):
            continue
        confirmed = bool(values["status"])
        values.update(confirmed=confirmed, confirmed_by_id=ctx.user_id if confirmed else None,
                      confirmed_at=ctx.at if confirmed else None)
        wanted[code] = values
    if problems:
        raise RuleViolation(problems)
    if not wanted:
        return 0
    for item in stored.values():
        item.review = review
    ctx.remember([review])
    result = audit.upsert(model=ReviewItem, existing={c: stored[c] for c in wanted}, wanted=wanted,
                          fields=ITEM_FIELDS, ctx=ctx)
    Review.objects.filter(pk=review.pk).update(revision=F("revision") + 1)
    return result.updated


def _transition(review: Review, name: str, ctx: AuditContext, *args: Any) -> Review:
    old = review.status
    getattr(review, name)(*args)
    review.revision += 1
    review.save()
    audit.transition_log(instance=review, ctx=ctx, field_name="status", old=old, new=review.status)
    return review


@transaction.atomic
def review_close(*, review: Review, ctx: AuditContext, revision: int | None = None) -> Review:
    """Close the reviu: every working-paper row assessed (confirmed with a status). Notes still
    open are allowed; they are listed in the statement's explanatory paragraph."""
    review = _review_for_update(review)
    if not can_proceed(review.close):
        raise _refuse(review.pk, "status", review.status, "reviu ini sudah ditutup")
    problems = _stale(Review, review, revision, "reviu ini")
    unassessed = list(ReviewItem.objects.filter(review=review, confirmed=False).order_by("order").values_list("aspect", flat=True))
    if unassessed:
        problems.append(Violation(review.pk, "items", str(len(unassessed)),
                                  f"{len(unassessed)} butir kertas kerja belum dinilai: {', '.join(unassessed)}"))
    if problems:
        raise RuleViolation(problems)
    return _transition(review, "close", ctx, _by(ctx))


@transaction.atomic
def review_reopen(*, review: Review, ctx: AuditContext, revision: int | None = None) -> Review:
    """Open a closed reviu again (with a reason), while no statement has been issued on it and
    no other reviu of the agency and year is open."""
    review = _review_for_update(review)
    if not can_proceed(review.reopen):
        raise _refuse(review.pk, "status", review.status, "reviu ini masih berjalan")
    problems = _stale(Review, review, revision, "reviu ini")
    if ReviewStatement.objects.filter(review=review).exists():
        problems.append(Violation(review.pk, "statement", "", "pernyataan telah direviu sudah diterbitkan; reviu tidak "
                                                              "dapat dibuka kembali (buka reviu baru atas versi berikutnya)"))
    if Review.objects.filter(agency=review.agency, year=review.year, status=Review.Status.OPEN).exists():
        problems.append(Violation(review.pk, "status", review.status, f"ada reviu lain tahun {review.year} yang berjalan"))
    if not ctx.reason.strip():
        problems.append(Violation(review.pk, "reason", "", "tuliskan alasan membuka kembali reviu"))
    if problems:
        raise RuleViolation(problems)
    return _transition(review, "reopen", ctx)


# ---- notes ----


def _anchor_values(review: Review, anchor: NoteAnchor) -> tuple[dict[str, Any], list[Violation]]:
    from budget.models import BudgetItem
    from performance.measurement import plan_for

    key = "anchor"
    if anchor.kind == ReviewNote.Anchor.INDICATOR:
        year = anchor.year if anchor.year is not None else review.year
        plan = plan_for(review.agency, year)
        indicator = Indicator.objects.filter(pk=anchor.indicator_id, plan=plan).first() if plan and anchor.indicator_id else None
        problems = []
        if indicator is None:
            problems.append(Violation(key, "indicator", str(anchor.indicator_id or ""),
                                      f"pilih indikator Renstra {review.agency.name} yang mencakup tahun {year}"))
        if not (review.year - 10 <= year <= review.year):
            problems.append(Violation(key, "year", str(year), f"tahun acuan paling lambat {review.year}"))
        if anchor.quarter is not None and anchor.quarter not in (1, 2, 3, 4):
            problems.append(Violation(key, "quarter", str(anchor.quarter), "triwulan 1 sampai 4, atau kosong untuk tahunan"))
        return {"anchor": anchor.kind, "indicator": indicator, "anchor_year": year, "anchor_quarter": anchor.quarter,
                "budget_item": None, "section": ""}, problems
    if anchor.kind == ReviewNote.Anchor.BUDGET:
        item = (BudgetItem.objects.filter(pk=anchor.budget_item_id, agency=review.agency).first()
                if anchor.budget_item_id else None)
        problems = [] if item else [Violation(key, "budget_item", str(anchor.budget_item_id or ""),
                                              f"pilih baris anggaran {review.agency.name}")]
        return {"anchor": anchor.kind, "indicator": None, "anchor_year": None, "anchor_quarter": None,
                "budget_item": item, "section": ""}, problems
    if anchor.kind == ReviewNote.Anchor.SECTION:
        problems = [] if anchor.section in DOCUMENT_SECTIONS else [
            Violation(key, "section", anchor.section, "pilih bagian dokumen: " + ", ".join(DOCUMENT_SECTIONS))]
        return {"anchor": anchor.kind, "indicator": None, "anchor_year": None, "anchor_quarter": None,
                "budget_item": None, "section": anchor.section}, problems
    return {}, [Violation(key, "kind", anchor.kind, "acuan catatan: indikator, anggaran atau bagian")]


@transaction.atomic
def review_note_add(*, review: Review, anchor: NoteAnchor, text: str, ctx: AuditContext) -> ReviewNote:
    """A note of the inspector on an open reviu, anchored to an indicator (+ year, quarter), a
    budget line or a document section of the agency."""
    review = _review_for_update(review)
    problems = _open_violations(review)
    values, found = _anchor_values(review, anchor)
    problems += found
    text, found = _text(text, "text", "text", "Catatan", required=True)
    problems += found
    if problems:
        raise RuleViolation(problems)
    note = ReviewNote(review=review, text=text, author=_by(ctx), created_at=ctx.at, **values)
    audit.instance_save(instance=note, ctx=ctx)
    return note


def _note_transition(note: ReviewNote, name: str, ctx: AuditContext, *args: Any) -> ReviewNote:
    old = note.status
    before = {f: getattr(note, f) for f in ("answer", "resolution")}
    getattr(note, name)(*args)
    note.revision += 1
    note.save()
    changes = {"status": [old, note.status]}
    changes |= {f: [audit.audit_value(v), audit.audit_value(getattr(note, f))] for f, v in before.items()
                if v != getattr(note, f)}
    audit.entries_write(ctx=ctx, changes=[(AuditEntry.Action.TRANSITION, note, changes)])
    return note


def _note_checks(note: ReviewNote, transition: Any, message: str, revision: int | None) -> list[Violation]:
    problems = _open_violations(note.review)
    if not can_proceed(transition):
        problems.append(Violation(note.pk, "status", note.status, message))
    return problems + _stale(ReviewNote, note, revision, "catatan ini")


@transaction.atomic
def review_note_answer(*, note: ReviewNote, text: str, ctx: AuditContext, revision: int | None = None) -> ReviewNote:
    """The agency's answer to an open note (again after the inspector reopened it)."""
    note = _note_for_update(note)
    problems = _note_checks(note, note.give_answer, f"catatan ini berstatus {note.get_status_display().lower()}, "
                                                    "tidak menunggu jawaban", revision)
    text, found = _text(text, note.pk, "answer", "Jawaban", required=True)
    if problems + found:
        raise RuleViolation(problems + found)
    return _note_transition(note, "give_answer", ctx, _by(ctx), text)


@transaction.atomic
def review_note_resolve(*, note: ReviewNote, text: str, ctx: AuditContext, revision: int | None = None) -> ReviewNote:
    """The inspector settles a note (answered, or open when the data were corrected otherwise)."""
    note = _note_for_update(note)
    problems = _note_checks(note, note.resolve, "catatan ini sudah selesai", revision)
    text, found = _text(text, note.pk, "resolution", "Tanggapan")
    if problems + found:
        raise RuleViolation(problems + found)
    return _note_transition(note, "resolve", ctx, _by(ctx), text)


@transaction.atomic
def review_note_reopen(*, note: ReviewNote, ctx: AuditContext, revision: int | None = None) -> ReviewNote:
    """The inspector asks again (reason required): an answered or resolved note waits for a new answer."""
    note = _note_for_update(note)
    problems = _note_checks(note, note.reopen, "catatan ini masih menunggu jawaban", revision)
    if not ctx.reason.strip():
        problems.append(Violation(note.pk, "reason", "", "tuliskan alasan membuka kembali catatan"))
    if problems:
        raise RuleViolation(problems)
    return _note_transition(note, "reopen", ctx)


# ---- the statement ----


def failed_items(items: Sequence[ReviewItem]) -> list[ReviewItem]:
    """The rows Tidak terpenuhi: any of them qualifies the statement's conclusion."""
    return [item for item in items if item.status == ItemStatus.NOT_MET]


def _matters(paper: selectors.WorkingPaper) -> list[str]:
    matters = []
    # The rows Tidak terpenuhi first (the qualified conclusion excepts them), then Dengan catatan.
    failed = failed_items(paper.items)
    noted = [item for item in paper.items if item.status == ItemStatus.NOTED]
    for item in failed + noted:
        text = f"{item.aspect} ({item.get_status_display().lower()}): {(item.effect or item.condition).strip()}"
        if item.recommendation.strip():
            text += f" Rekomendasi: {item.recommendation.strip()}"
        matters.append(text)
    for note in paper.unresolved:
        text = f"Catatan atas {note.anchor_label}: {note.text}"
        if note.answer and note.status == ReviewNote.Status.ANSWERED:
            text += f" (dijawab: {note.answer}; belum diselesaikan)"
        else:
            text += " (belum dijawab)"
        matters.append(text)
    return matters


def open_matters(*, review: Review) -> list[str]:
    """The matters left open, for the statement's explanatory paragraph: every row not
    Terpenuhi (Tidak terpenuhi first) and every note not resolved."""
    return _matters(selectors.working_paper(review=review))


def statement_defaults(*, review: Review, user: Any) -> dict[str, Any]:
    """What the statement form starts with: the Inspektur's name, NIP and jabatan from their
    user and role, the place from the agency's Pemda, today's date."""
    role = None
    if user is not None and getattr(user, "is_authenticated", False):
        role = GovernmentRole.objects.filter(user=user, government_id=review.agency.government_id,
                                             role=GovernmentRole.Role.INSPECTOR).order_by("-head").first()
    government = review.agency.government
    place = government.name
    for prefix in ("Pemerintah Kota ", "Pemerintah Kabupaten ", "Pemerintah Provinsi "):
        if place.startswith(prefix):
            place = place.removeprefix(prefix)
    name = (user.full_name or user.get_full_name() or user.get_username()) if role else ""
    return {
        "place": place,
        "issued_on": timezone.localdate(),
        "signer_name": name,
        "signer_nip": getattr(user, "nip", "") if role else "",
        "signer_position": (role.position if role and role.position else f"Inspektur {government.name.removeprefix('Pemerintah ')}"),
    }


@transaction.atomic
def statement_issue(
    *, review: Review, place: str, issued_on: datetime.date, signer_name: str, signer_nip: str,
    signer_position: str, additional: str, ctx: AuditContext,
) -> ReviewStatement:
    """Issue the Pernyataan Telah Direviu of a closed reviu, once: place, date, the signer's name,
    NIP and jabatan, the generated list of matters left open and an optional further paragraph.
    It names the reviewed version (number, code, snapshot sha256, reports.snapshot.reviewed_hash);
    the agency's next document version prints it after BAB IV. A row Tidak terpenuhi does not
    stop it (the Inspektur decides; the form warns) but qualifies the conclusion, decided here
    from the rows and stored (`qualified`); those rows lead the explanatory paragraph."""
    review = _review_for_update(review)
    problems: list[Violation] = []
    if review.is_open:
        problems.append(Violation(review.pk, "status", review.status, "tutup reviu sebelum menerbitkan pernyataan"))
    if ReviewStatement.objects.filter(review=review).exists():
        problems.append(Violation(review.pk, "statement", "", "pernyataan reviu ini sudah diterbitkan"))
    values = {}
    for name, label, value, required in (("place", "Tempat", place, True), ("signer_name", "Nama", signer_name, True),
                                         ("signer_position", "Jabatan", signer_position, True),
                                         ("signer_nip", "NIP", signer_nip, False),
                                         ("additional", "Paragraf penjelas tambahan", additional, False)):
        values[name], found = _text(value, name, name, label, required=required)
        problems += found
    limits = {"place": 100, "signer_name": 200, "signer_position": 200, "signer_nip": 30}
    for name, limit in limits.items():
        if len(values[name]) > limit:
            problems.append(Violation(name, name, values[name][:40], f"paling banyak {limit} karakter"))
    if values["signer_nip"] and not values["signer_nip"].replace(" ", "").isdigit():
        problems.append(Violation("signer_nip", "signer_nip", values["signer_nip"], "NIP hanya angka (boleh berspasi)"))
    if not isinstance(issued_on, datetime.date):
        problems.append(Violation("issued_on", "issued_on", str(issued_on or ""), "isi tanggal pernyataan"))
    elif review.closed_at and issued_on < timezone.localtime(review.closed_at).date():
        problems.append(Violation("issued_on", "issued_on", issued_on.isoformat(),
                                  "tanggal pernyataan tidak boleh sebelum reviu ditutup"))
    if problems:
        raise RuleViolation(problems)
    document = review.document
    paper = selectors.working_paper(review=review)
    statement = ReviewStatement(
        review=review, issued_on=issued_on, qualified=bool(failed_items(paper.items)), open_matters=_matters(paper),
        document_number=document.number, document_code=document.code,
        document_snapshot_sha256=document.snapshot_sha256, document_data_sha256=reviewed_hash(document.snapshot),
        issued_by=_by(ctx), issued_at=ctx.at, **values,
    )
    audit.instance_save(instance=statement, ctx=ctx)
    return statement
