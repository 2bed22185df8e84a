"""The reviu services: open with prefilled rows, the working paper, notes, close, statement; the
audit trail of every step; refusals write nothing."""

from __future__ import annotations

import datetime

import pytest

from audit.models import AuditEntry
from audit.services import AuditContext
from budget.models import BudgetItem
from performance.models import Indicator
from performance.rules import RuleViolation
from reports.snapshot import reviewed_hash
from reviews import checklist, services
from reviews.models import Review, ReviewItem, ReviewNote, ReviewStatement

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def ctx(user, reason: str = "", channel: str = "form") -> AuditContext:
    return AuditContext(user=user, channel=channel, reason=reason)


def assess_all(review, user, status="terpenuhi"):
    items = {
        i.code: services.ItemInput(condition=i.proposed_condition or "diperiksa", status=status,
                                   recommendation="" if status == "terpenuhi" else "perbaiki")
        for i in review.items.all()
    }
    return services.review_items_save(review=review, items=items, revision=None, ctx=ctx(user))


def test_open_prefills_every_checklist_item(agency, document, auditor):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    items = list(review.items.order_by("order"))
    assert [i.code for i in items] == [item.code for item in checklist.ITEMS]
    assert all(i.proposed_condition and i.proposed_status for i in items)
    assert all(not i.condition and not i.status and not i.confirmed for i in items)
    by_code = {i.code: i for i in items}
    # The minimal workbook's PK is not approved: the targets row says so.
    assert by_code["target_pk"].proposed_status == "tidak_terpenuhi"
    assert "belum disetujui" in by_code["target_pk"].proposed_condition
    # IKU2's TW I has no source and no evidence.
    assert "IKU2 TW I" in by_code["bukti"].proposed_condition
    assert by_code["hitung_ulang"].proposed_status in ("terpenuhi", "dengan_catatan")
    entries = AuditEntry.objects.filter(object_type__in=["review", "reviewitem"], action="create")
    assert entries.count() == 1 + len(items)
    assert set(entries.values_list("channel", flat=True)) == {"form"}
    assert set(entries.values_list("agency_code", flat=True)) == {agency.code}


def test_one_open_review_per_year_and_only_own_done_documents(agency, document, auditor):
    services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    with pytest.raises(RuleViolation, match="masih ada reviu"):
        services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    with pytest.raises(RuleViolation, match="bukan milik"):
        services.review_open(agency=agency, year=YEAR + 1, document=document, ctx=ctx(auditor))
    assert Review.objects.count() == 1


def test_working_paper_rules_and_concurrency(agency, document, auditor):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    before = AuditEntry.objects.count()
    with pytest.raises(RuleViolation) as refused:
        services.review_items_save(review=review, revision=None, ctx=ctx(auditor), items={
            "sistematika": services.ItemInput(condition="", status="terpenuhi"),
            "bukti": services.ItemInput(condition="x", status="dengan_catatan"),
            "hitung_ulang": services.ItemInput(condition="x", status="salah"),
            "efisiensi": services.ItemInput(condition="x", evidence=[999999]),
            "tidak-ada": services.ItemInput(),
        })
    messages = " | ".join(v.message for v in refused.value.violations)
    assert "isi Kondisi" in messages and "perlu Rekomendasi" in messages and "status salah satu" in messages
    assert "bukan milik realisasi" in messages and "tidak dikenal" in messages
    assert AuditEntry.objects.count() == before
    review.refresh_from_db()
    changed = services.review_items_save(review=review, revision=review.revision, ctx=ctx(auditor), items={
        "sistematika": services.ItemInput(condition="Lengkap", status="terpenuhi")})
    assert changed == 1
    item = ReviewItem.objects.get(review=review, code="sistematika")
    assert item.confirmed and item.confirmed_by == auditor and item.status == "terpenuhi"
    assert item.proposed_condition and item.condition == "Lengkap"
    with pytest.raises(RuleViolation, match="muat ulang"):
        services.review_items_save(review=review, revision=review.revision, ctx=ctx(auditor), items={
            "sistematika": services.ItemInput(condition="Lain", status="terpenuhi")})


def test_close_needs_every_item_assessed_and_reopen_needs_a_reason(agency, document, auditor):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    with pytest.raises(RuleViolation, match="belum dinilai"):
        services.review_close(review=review, ctx=ctx(auditor))
    assess_all(review, auditor)
    review = services.review_close(review=review, ctx=ctx(auditor))
    assert review.status == "closed" and review.closed_by == auditor
    with pytest.raises(RuleViolation, match="alasan"):
        services.review_reopen(review=review, ctx=ctx(auditor))
    review = services.review_reopen(review=review, ctx=ctx(auditor, "ada data baru"))
    assert review.status == "open" and review.closed_at is None
    transitions = AuditEntry.objects.filter(object_type="review", action="transition").order_by("pk")
    assert [t.changes["status"] for t in transitions] == [["open", "closed"], ["closed", "open"]]


def test_notes_anchor_answer_resolve_reopen(agency, document, auditor, planner):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    iku1 = Indicator.objects.get(plan__agency=agency, code="IKU1")
    note = services.review_note_add(review=review, text="Sumber realisasi TPT?", ctx=ctx(auditor),
                                    anchor=services.NoteAnchor("indikator", indicator_id=iku1.pk, year=YEAR, quarter=4))
    assert note.anchor_label == "indikator IKU1 tahun 2025 TW IV"
    entry = AuditEntry.objects.get(object_type="reviewnote", action="create")
    assert entry.indicator_code == "IKU1" and entry.quarter == 4
    program = BudgetItem.objects.get(agency=agency, code="2.07.03")
    services.review_note_add(review=review, text="Pagu?", ctx=ctx(auditor),
                             anchor=services.NoteAnchor("anggaran", budget_item_id=program.pk))
    services.review_note_add(review=review, text="Lampiran?", ctx=ctx(auditor),
                             anchor=services.NoteAnchor("bagian", section="lampiran"))
    for bad, message in ((services.NoteAnchor("indikator", indicator_id=999999), "pilih indikator"),
                         (services.NoteAnchor("anggaran", budget_item_id=999999), "baris anggaran"),
                         (services.NoteAnchor("bagian", section="bab9"), "bagian dokumen"),
                         (services.NoteAnchor("indikator", indicator_id=iku1.pk, quarter=5), "triwulan"),
                         (services.NoteAnchor("lain"), "acuan catatan")):
        with pytest.raises(RuleViolation, match=message):
            services.review_note_add(review=review, text="x", ctx=ctx(auditor), anchor=bad)
    with pytest.raises(RuleViolation, match="wajib diisi"):
        services.review_note_answer(note=note, text="  ", ctx=ctx(planner))
    note = services.review_note_answer(note=note, text="Sakernas BPS Agustus 2025", ctx=ctx(planner))
    assert note.status == "answered" and note.answered_by == planner
    with pytest.raises(RuleViolation, match="tidak menunggu jawaban"):
        services.review_note_answer(note=note, text="lagi", ctx=ctx(planner))
    note = services.review_note_reopen(note=note, ctx=ctx(auditor, "lampirkan berita resmi statistik"))
    note = services.review_note_answer(note=note, text="BRS dilampirkan", ctx=ctx(planner))
    note = services.review_note_resolve(note=note, text="cukup", ctx=ctx(auditor))
    assert note.status == "resolved" and note.resolved_by == auditor
    steps = [e.changes["status"] for e in AuditEntry.objects.filter(object_type="reviewnote", object_id=note.pk,
                                                                    action="transition").order_by("pk")]
    assert steps == [["open", "answered"], ["answered", "open"], ["open", "answered"], ["answered", "resolved"]]


def test_statement_after_close_lists_open_matters(agency, document, auditor, inspektur, planner):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    iku1 = Indicator.objects.get(plan__agency=agency, code="IKU1")
    services.review_note_add(review=review, text="Sumber realisasi TPT?", ctx=ctx(auditor),
                             anchor=services.NoteAnchor("indikator", indicator_id=iku1.pk, year=YEAR))
    assess_all(review, auditor)
    services.review_items_save(review=review, revision=None, ctx=ctx(auditor), items={
        "target_pk": services.ItemInput(condition="PK belum disetujui", status="tidak_terpenuhi",
                                        recommendation="Ajukan PK untuk disetujui")})
    kwargs = dict(place="Uji", issued_on=datetime.date.today(), signer_name="Drs. Inspektur Uji",
                  signer_nip="196801011990031002", signer_position="Inspektur Kota Uji", additional="")
    with pytest.raises(RuleViolation, match="tutup reviu"):
        services.statement_issue(review=review, ctx=ctx(inspektur), **kwargs)
    review = services.review_close(review=review, ctx=ctx(auditor))
    with pytest.raises(RuleViolation, match="NIP hanya angka"):
        services.statement_issue(review=review, ctx=ctx(inspektur), **{**kwargs, "signer_nip": "abc"})
    defaults = services.statement_defaults(review=review, user=inspektur)
    assert defaults["signer_name"] == "Drs. Inspektur Uji, M.Si." and defaults["signer_nip"] == "196801011990031002"
    assert defaults["signer_position"] == "Inspektur Kota Uji" and defaults["place"] == "Uji"
    statement = services.statement_issue(review=review, ctx=ctx(inspektur), **kwargs)
    assert statement.document_number == document.number and statement.document_code == document.code
    assert statement.document_data_sha256 == reviewed_hash(document.snapshot)
    matters = " ".join(statement.open_matters)
    assert "Ajukan PK untuk disetujui" in matters and "indikator IKU1 tahun 2025" in matters
    with pytest.raises(RuleViolation, match="sudah diterbitkan"):
        services.statement_issue(review=review, ctx=ctx(inspektur), **kwargs)
    with pytest.raises(RuleViolation, match="tidak dapat dibuka kembali"):
        services.review_reopen(review=review, ctx=ctx(auditor, "x"))
    assert ReviewStatement.objects.count() == 1
    assert AuditEntry.objects.filter(object_type="reviewstatement", action="create").count() == 1
    assert ReviewNote.objects.get().status == "open"
