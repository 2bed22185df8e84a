"""The reviu in the browser, end to end: the inspector opens a reviu on a stored version, keeps
the working paper, writes notes; the agency answers; the inspector resolves and closes; the
Inspektur issues the statement; the next document version prints it after BAB IV and before
the lampiran, and says whether the data changed since."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEntry
from performance.models import Indicator, Realization
from reports.models import LkjipDocument
from reviews.models import Review, ReviewItem, ReviewNote, ReviewStatement

from .conftest import YEAR, make_document

pytestmark = pytest.mark.django_db


def pdf_text(document: LkjipDocument) -> str:
    document.refresh_from_db()
    with document.pdf.open("rb") as handle:
        reader = PdfReader(BytesIO(handle.read()))
    text = re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))
    # A word the layout hyphenated at a line end ("beru‐ bah") reads whole again.
    return re.sub(r"(?<=[a-z])\u2010 (?=[a-z])", "", text)


def urls(review: Review) -> dict[str, str]:
    args = ["uji-disnaker", YEAR, review.pk]
    return {name: reverse(f"reviews:{name}", args=args) for name in ("detail", "items", "act", "note_add", "statement")}


def items_post(review: Review, **changes: dict[str, str]) -> dict[str, str]:
    """Every row as the form shows it (the proposals), each assessed as the proposal says."""
    data = {"revision": str(review.revision)}
    for item in ReviewItem.objects.filter(review=review):
        data |= {f"{item.code}-criteria": item.criteria, f"{item.code}-condition": item.proposed_condition,
                 f"{item.code}-status": item.proposed_status,
                 f"{item.code}-recommendation": "" if item.proposed_status == "terpenuhi" else "Lengkapi."}
        for name, value in changes.get(item.code, {}).items():
            data[f"{item.code}-{name}"] = value
    return data


def test_reviu_end_to_end(client, agency, document, auditor, inspektur, planner, operator,
                          django_capture_on_commit_callbacks):
    # The inspector opens the reviu on version 1.
    client.force_login(auditor)
    index = reverse("reviews:index", args=["uji-disnaker", YEAR])
    page = client.get(index).content.decode()
    assert "Buka reviu" in page and "versi 1" in page
    response = client.post(reverse("reviews:open", args=["uji-disnaker", YEAR]), {"document": document.number})
    assert response.status_code == 303
    review = Review.objects.get()
    u = urls(review)
    assert response["Location"] == u["detail"]
    page = client.get(u["detail"]).content.decode()
    assert "Usulan aplikasi" in page and "Simpan kertas kerja" in page

    # Bad input: a status without Kondisi is refused with the aspect named, nothing written.
    before = AuditEntry.objects.count()
    bad = client.post(u["items"], items_post(review, sistematika={"condition": "", "status": "terpenuhi"}))
    assert bad.status_code == 400 and "Sistematika penyajian" in bad.content.decode()
    assert "isi Kondisi" in bad.content.decode() and AuditEntry.objects.count() == before

    # The working paper, all rows confirmed from the proposals.
    response = client.post(u["items"], items_post(review))
    assert response.status_code == 303, response.content.decode()[:2000]
    assert ReviewItem.objects.filter(review=review, confirmed=True).count() == ReviewItem.objects.filter(review=review).count()
    # An older page is stale.
    stale = client.post(u["items"], items_post(review, efisiensi={"condition": "lain"}))
    assert stale.status_code == 400 and "muat ulang" in stale.content.decode()

    # Two notes: one on IKU1 TW IV, one on the lampiran.
    iku1 = Indicator.objects.get(plan__agency=agency, code="IKU1")
    client.post(u["note_add"], {"anchor": "indikator", "indicator": iku1.pk, "anchor_year": YEAR, "anchor_quarter": 4,
                                "text": "Sebutkan sumber realisasi TPT."})
    client.post(u["note_add"], {"anchor": "bagian", "section": "lampiran", "text": "Lampirkan PK yang ditandatangani."})
    refused = client.post(u["note_add"], {"anchor": "bagian", "section": "", "text": "x"}, follow=True)
    assert "pilih bagian dokumen" in refused.content.decode()
    tpt, lampiran = ReviewNote.objects.order_by("pk")
    assert ReviewNote.objects.count() == 2

    # The agency sees the notes and answers; the operator may only read.
    client.force_login(operator)
    page = client.get(u["detail"]).content.decode()
    assert "Sebutkan sumber realisasi TPT." in page and "Kirim jawaban" not in page
    note_url = reverse("reviews:note_act", args=["uji-disnaker", YEAR, review.pk, tpt.pk])
    assert client.post(note_url, {"act": "answer", "text": "x"}).status_code == 403
    client.force_login(planner)
    assert "Kirim jawaban" in client.get(u["detail"]).content.decode()
    assert client.post(note_url, {"act": "answer", "text": "Sakernas BPS Agustus 2025."}).status_code == 303
    assert client.post(note_url, {"act": "resolve", "text": ""}).status_code == 403

    # The inspector resolves the answered note, leaves the other open and closes.
    client.force_login(auditor)
    assert client.post(note_url, {"act": "resolve", "text": "Cukup."}).status_code == 303
    assert client.post(u["act"], {"act": "close", "revision": Review.objects.get().revision}).status_code == 303
    review.refresh_from_db()
    assert review.status == "closed"
    # An inspector who is not the Inspektur may not issue the statement.
    assert client.post(u["statement"], {}).status_code == 403

    # The Inspektur issues it, prefilled with their name, NIP and jabatan.
    client.force_login(inspektur)
    page = client.get(u["detail"]).content.decode()
    assert "Drs. Inspektur Uji, M.Si." in page and "196801011990031002" in page and "Lampirkan PK" in page
    bad = client.post(u["statement"], {"place": "Uji", "issued_on": "kemarin", "signer_name": "x",
                                       "signer_position": "Inspektur"}, follow=True)
    assert "bukan tanggal" in bad.content.decode() and not ReviewStatement.objects.exists()
    response = client.post(u["statement"], {
        "place": "Uji", "issued_on": timezone.localtime(review.closed_at).date().isoformat(), "signer_name": "Drs. Inspektur Uji, M.Si.",
        "signer_nip": "196801011990031002", "signer_position": "Inspektur Kota Uji",
        "additional": "Perangkat daerah agar melengkapi bukti dukung realisasi.",
    })
    assert response.status_code == 303
    statement = ReviewStatement.objects.get()
    assert any("Lampirkan PK yang ditandatangani." in m for m in statement.open_matters)
    assert not any("Sebutkan sumber" in m for m in statement.open_matters)  # resolved: not a matter left open
    page = client.get(u["detail"]).content.decode()
    assert "Kami telah mereviu" in page and "keyakinan terbatas" in page

    # The trail has every step, channel form.
    kinds = set(AuditEntry.objects.filter(channel="form", object_type__startswith="review")
                .values_list("object_type", "action"))
    assert {("review", "create"), ("reviewitem", "update"), ("reviewnote", "create"), ("reviewnote", "transition"),
            ("review", "transition"), ("reviewstatement", "create")} <= kinds

    # The next version prints the statement after BAB IV and before the lampiran; data unchanged.
    second = make_document(agency, django_capture_on_commit_callbacks)
    assert second.number == document.number + 1 and second.snapshot["review"]["data_changed"] is False
    text = pdf_text(second)
    heading = text.rindex("PERNYATAAN TELAH DIREVIU")
    assert text.rindex("PENUTUP") < heading < text.rindex("LAMPIRAN")
    statement_text = text[heading:]
    assert "Kami telah mereviu Laporan Kinerja Instansi Pemerintah Dinas Tenaga Kerja Kota Uji Tahun 2025" in statement_text
    assert "keyakinan terbatas" in statement_text and "Hal-hal yang perlu menjadi perhatian" in statement_text
    assert "Lampirkan PK yang ditandatangani." in statement_text
    assert f"Reviu dilakukan atas dokumen versi {document.number}, kode {document.code}" in statement_text
    assert "sama dengan versi 1 yang direviu" in statement_text
    assert "NIP. 196801011990031002" in statement_text and "Inspektur Kota Uji" in statement_text
    assert "PERNYATAAN TELAH DIREVIU" not in pdf_text(document)

    # The data change: the version after says so.
    entry = Realization.objects.get(indicator=iku1, year=YEAR, quarter=None)
    Realization.objects.filter(pk=entry.pk).update(value="7.10")
    third = make_document(agency, django_capture_on_commit_callbacks)
    assert third.snapshot["review"]["data_changed"] is True
    assert "telah berubah sejak versi 1 yang direviu" in pdf_text(third)


def test_a_refused_row_names_its_aspect_once(client, agency, document, auditor):
    client.force_login(auditor)
    client.post(reverse("reviews:open", args=["uji-disnaker", YEAR]), {"document": document.number})
    review = Review.objects.get()
    bad = client.post(urls(review)["items"], items_post(review, sistematika={"condition": ""},
                                                        keselarasan={"status": "dengan_catatan", "recommendation": ""}))
    assert bad.status_code == 400
    page = bad.content.decode()
    summary = re.search(r'<ul class="errorlist" role="alert">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", summary) == [
        "Sistematika penyajian: isi Kondisi sebelum menilai butir ini",
        "Sasaran dan IKU: butir yang tidak terpenuhi atau dengan catatan perlu Rekomendasi",
    ]
    # In the row (its legend names the aspect) the message is on the input, without the aspect.
    assert ('<ul class="errorlist" id="id_keselarasan-recommendation_error"><li>butir yang tidak terpenuhi atau '
            'dengan catatan perlu Rekomendasi</li></ul>') in page
    assert not ReviewItem.objects.filter(review=review, confirmed=True).exists()


def test_pages_refuse_outsiders_and_unknown_reviews(client, agency, document, auditor, outsider):
    client.force_login(auditor)
    client.post(reverse("reviews:open", args=["uji-disnaker", YEAR]), {"document": document.number})
    review = Review.objects.get()
    client.force_login(outsider)
    assert client.get(reverse("reviews:detail", args=["uji-disnaker", YEAR, review.pk])).status_code == 404
    client.force_login(auditor)
    assert client.get(reverse("reviews:detail", args=["uji-disnaker", YEAR, review.pk + 99])).status_code == 404
    assert client.get(reverse("reviews:detail", args=["uji-disnaker", YEAR + 1, review.pk])).status_code == 404
    refused = client.post(reverse("reviews:open", args=["uji-disnaker", YEAR]), {"document": "99"}, follow=True)
    assert "pilih versi dokumen" in refused.content.decode()
    assert Review.objects.count() == 1


def test_only_the_inspektur_issues_the_statement(agency, auditor, inspektur, planner):
    from agencies.models import AgencyMembership
    from agencies.permissions import access_for

    assert access_for(user=auditor, agency=agency).review
    assert not access_for(user=auditor, agency=agency).issue_review_statement
    assert access_for(user=inspektur, agency=agency).issue_review_statement
    assert not access_for(user=planner, agency=agency).review
    assert access_for(user=planner, agency=agency).answer_review_notes
    # A member of the agency never reviews it, whatever Pemda role they also hold.
    AgencyMembership.objects.create(user=inspektur, agency=agency, role="staff")
    mixed = access_for(user=inspektur, agency=agency)
    assert not mixed.review and not mixed.issue_review_statement
