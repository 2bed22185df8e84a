"""The working-paper page reads in a fixed number of queries, whatever the number of notes and
of evidence the rows link."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.services import AuditContext
from budget.models import BudgetItem
from evidence.services import evidence_attach
from performance.models import Indicator, Realization
from reviews import services

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["auditor", "planner"])
def test_working_paper_page_queries_do_not_grow(client, agency, document, auditor, planner, role):
    ctx = AuditContext(user=auditor, channel="form")
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx)
    url = reverse("reviews:detail", args=[agency.code, YEAR, review.pk])
    client.force_login({"auditor": auditor, "planner": planner}[role])
    iku1 = Indicator.objects.get(plan__agency=agency, code="IKU1")
    services.review_note_add(review=review, text="satu", ctx=ctx,
                             anchor=services.NoteAnchor("indikator", indicator_id=iku1.pk, year=YEAR))
    count(client, url)  # warm caches (content types, sessions)
    few = count(client, url)
    program = BudgetItem.objects.get(agency=agency, code="2.07.03")
    for i in range(6):
        services.review_note_add(review=review, text=f"catatan {i}", ctx=ctx,
                                 anchor=services.NoteAnchor("anggaran", budget_item_id=program.pk))
        services.review_note_add(review=review, text=f"bagian {i}", ctx=ctx,
                                 anchor=services.NoteAnchor("bagian", section="bab3"))
    note = review.notes.first()
    services.review_note_answer(note=note, text="jawab", ctx=AuditContext(user=planner))
    entries = Realization.objects.filter(indicator__plan__agency=agency, year=YEAR).exclude(value=None)
    ids = [evidence_attach(realization=e, ctx=ctx,
                           upload=SimpleUploadedFile(f"b{e.pk}.pdf", f"%PDF-1.7 {e.pk}".encode(), "application/pdf")).pk
           for e in entries]
    services.review_items_save(review=review, revision=None, ctx=ctx, items={
        code: services.ItemInput(condition="uji", status="terpenuhi", evidence=ids)
        for code in ("bukti", "hitung_ulang", "sistematika")})
    assert len(ids) >= 2
    assert count(client, url) == few
