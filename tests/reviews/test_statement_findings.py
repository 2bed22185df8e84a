"""The reviewer's findings on the Pernyataan Telah Direviu: a row Tidak terpenuhi qualifies the
conclusion (stored, shown, printed; the form warns); whether a later version changed is judged on
what the reviu covered (reports.snapshot.reviewed_hash), from the two stored snapshots, also for a
statement that stored the old data-part hash; the rows built from today's records say so."""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from agencies.models import Agency
from audit.services import AuditContext
from performance.models import Indicator, Narrative
from reports.document import document_html
from reports.snapshot import DATA_KEYS, build_snapshot, data_hash, reviewed_hash
from reviews import checklist, services, wording
from reviews.checklist import Facts
from reviews.models import Review, ReviewStatement

from .conftest import YEAR, make_document
from .test_review_pages import pdf_text

pytestmark = pytest.mark.django_db

CLEAN = "Berdasarkan reviu kami, tidak terdapat kondisi atau hal-hal yang menimbulkan perbedaan"
QUALIFIED = "Berdasarkan reviu kami, kecuali hal-hal yang diuraikan dalam paragraf berikut, tidak terdapat kondisi"


def ctx(user, reason: str = "") -> AuditContext:
    return AuditContext(user=user, channel="form", reason=reason)


def closed_review(agency, document, auditor, **statuses: str) -> Review:
    """A reviu of `document` with every row Terpenuhi except `statuses` (code → status), closed."""
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    items = {}
    for item in review.items.all():
        status = statuses.get(item.code, "terpenuhi")
        items[item.code] = services.ItemInput(condition=f"Kondisi {item.code}.", status=status,
                                              recommendation="" if status == "terpenuhi" else f"Perbaiki {item.code}.")
    services.review_items_save(review=review, items=items, revision=None, ctx=ctx(auditor))
    return services.review_close(review=review, ctx=ctx(auditor))


def issue(review: Review, inspektur) -> ReviewStatement:
    return services.statement_issue(review=review, ctx=ctx(inspektur), place="Uji",
                                    issued_on=timezone.localtime(review.closed_at).date(),
                                    signer_name="Drs. Inspektur Uji", signer_nip="196801011990031002",
                                    signer_position="Inspektur Kota Uji", additional="")


def html_of(snapshot: dict) -> str:
    return document_html(snapshot, verify_url="https://lkjip.example.go.id/v/x", code="x", number=2,
                         generated_at=datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC))


# ---- 1. a row Tidak terpenuhi qualifies the conclusion ----


def test_a_row_not_met_qualifies_the_conclusion_stored_shown_and_printed(
        client, agency, document, auditor, inspektur, django_capture_on_commit_callbacks):
    # sistematika (row 1) only Dengan catatan; target_pk (row 3) Tidak terpenuhi.
    review = closed_review(agency, document, auditor, sistematika="dengan_catatan", target_pk="tidak_terpenuhi")
    detail = reverse("reviews:detail", args=[agency.code, YEAR, review.pk])

    # The form warns and names the failed row, but offers to issue (the Inspektur decides).
    client.force_login(inspektur)
    page = client.get(detail).content.decode()
    warning = page[page.index('id="butir-tidak-terpenuhi"'):]
    warning = warning[:warning.index("</div>")]
    assert "1 butir kertas kerja berstatus <em>Tidak terpenuhi</em>" in warning
    assert "3. Target dan Perjanjian Kinerja" in warning and "Sistematika penyajian" not in warning
    assert "kecuali hal-hal yang diuraikan" in warning and "Terbitkan pernyataan" in page

    statement = issue(review, inspektur)
    assert statement.qualified is True
    # The explanatory paragraph lists the failed row first, before the earlier row Dengan catatan.
    assert statement.open_matters[0].startswith("Target dan Perjanjian Kinerja (tidak terpenuhi): ")
    assert statement.open_matters[1].startswith("Sistematika penyajian (dengan catatan): ")

    page = client.get(detail).content.decode()
    assert QUALIFIED in page and CLEAN not in page

    second = make_document(agency, django_capture_on_commit_callbacks)
    assert second.snapshot["review"]["qualified"] is True
    text = pdf_text(second)
    statement_text = text[text.rindex(wording.TITLE):]
    assert QUALIFIED in statement_text and CLEAN not in statement_text
    assert statement_text.index("Target dan Perjanjian Kinerja (tidak terpenuhi)") < statement_text.index(
        "Sistematika penyajian (dengan catatan)")


def test_without_a_failed_row_the_standard_conclusion_and_no_warning(client, agency, document, auditor, inspektur):
    review = closed_review(agency, document, auditor, sistematika="dengan_catatan")
    client.force_login(inspektur)
    page = client.get(reverse("reviews:detail", args=[agency.code, YEAR, review.pk])).content.decode()
    assert 'id="butir-tidak-terpenuhi"' not in page and "Terbitkan pernyataan" in page
    statement = issue(review, inspektur)
    assert statement.qualified is False
    snapshot = build_snapshot(agency=agency, year=YEAR)
    assert snapshot["review"]["qualified"] is False
    html = html_of(snapshot)
    assert CLEAN in html and "kecuali hal-hal" not in html
    # A snapshot written before the field existed has no key: the standard wording, as it printed.
    del snapshot["review"]["qualified"]
    assert CLEAN in html_of(snapshot)


def test_the_qualified_wording():
    clean = wording.assurance(title="LKjIP", agency="Dinas", year=2025)
    qualified = wording.assurance(title="LKjIP", agency="Dinas", year=2025, qualified=True)
    assert clean[:-1] == qualified[:-1]
    assert clean[-1].startswith(CLEAN) and qualified[-1].startswith(QUALIFIED)
    assert qualified[-1].endswith("meyakini keandalan informasi yang disajikan di dalam Laporan Kinerja ini.")


# ---- 2. what the reviu covered, not only DATA_KEYS ----


def test_changed_since_the_reviewed_version_covers_the_content_not_the_contact_details(
        agency, document, auditor, inspektur):
    statement = issue(closed_review(agency, document, auditor), inspektur)
    assert statement.document_data_sha256 == reviewed_hash(document.snapshot)
    assert build_snapshot(agency=agency, year=YEAR)["review"]["data_changed"] is False

    # Only the agency's contact details: nothing the reviu covered changed.
    Agency.objects.filter(pk=agency.pk).update(phone="(021) 555-0199", email="baru@uji.go.id",
                                               website="https://baru.uji.go.id", address="Jalan Baru 1")
    agency = Agency.objects.get(pk=agency.pk)
    snapshot = build_snapshot(agency=agency, year=YEAR)
    assert snapshot["review"]["data_changed"] is False
    assert data_hash(snapshot) != data_hash(document.snapshot)  # the API's data part does change
    assert "Data laporan dalam dokumen ini sama dengan versi 1 yang direviu." in html_of(snapshot)

    # The kata pengantar rewritten: changed, though DATA_KEYS are equal.
    Narrative.objects.update_or_create(agency=agency, year=YEAR, section="kata_pengantar", indicator=None,
                                       defaults={"text": "Kata pengantar yang ditulis ulang seluruhnya."})
    snapshot = build_snapshot(agency=agency, year=YEAR)
    assert snapshot["review"]["data_changed"] is True
    html = html_of(snapshot)
    assert "telah berubah sejak versi 1 yang direviu" in html and "Data laporan dalam dokumen ini" in html


def test_an_indicator_narrative_or_the_signatory_is_reviewed_content(agency, document, auditor, inspektur):
    issue(closed_review(agency, document, auditor), inspektur)
    iku1 = Indicator.objects.get(plan__agency=agency, code="IKU1")
    Narrative.objects.update_or_create(agency=agency, year=YEAR, section="analisis", indicator=iku1, quarter=None,
                                       defaults={"text": "Analisis capaian IKU1 yang baru."})
    assert build_snapshot(agency=agency, year=YEAR)["review"]["data_changed"] is True
    base = dict(document.snapshot)
    assert reviewed_hash({**base, "signatory": {**base["signatory"], "name": "Orang Lain"}}) != reviewed_hash(base)
    assert reviewed_hash({**base, "agency": {**base["agency"], "phone": "1"}}) == reviewed_hash(base)
    assert reviewed_hash({**base, "agency": {**base["agency"], "name": "Dinas Lain"}}) != reviewed_hash(base)
    # DATA_KEYS (the API, capaian --format json) stay as they were.
    assert DATA_KEYS == ("year", "agency", "scale", "measurement", "budget", "efficiency")


def test_a_statement_that_stored_the_old_data_hash(agency, document, auditor, inspektur):
    """Issued before reviewed_hash: it stored data_hash. Both sides are hashed from the stored
    snapshots, so the stored value is not compared; the migration moves it to reviewed_hash."""
    review = closed_review(agency, document, auditor, target_pk="tidak_terpenuhi", sistematika="dengan_catatan")
    statement = issue(review, inspektur)
    matters = list(statement.open_matters)
    # As 0001 left it: the old hash, no qualified, the rows in checklist order.
    old_order = sorted(matters, key=lambda m: not m.startswith("Sistematika"))
    ReviewStatement.objects.filter(pk=statement.pk).update(document_data_sha256=data_hash(document.snapshot),
                                                           qualified=False, open_matters=old_order)
    snapshot = build_snapshot(agency=agency, year=YEAR)
    assert snapshot["review"]["data_changed"] is False
    assert snapshot["review"]["reviewed_data_sha256"] == reviewed_hash(document.snapshot)
    Narrative.objects.update_or_create(agency=agency, year=YEAR, section="kata_pengantar", indicator=None,
                                       defaults={"text": "Ditulis ulang."})
    assert build_snapshot(agency=agency, year=YEAR)["review"]["data_changed"] is True

    migration = importlib.import_module("reviews.migrations.0002_statement_qualified_reviewed_hash")
    migration.forward(django_apps, None)
    statement.refresh_from_db()
    assert statement.qualified is True
    assert statement.document_data_sha256 == reviewed_hash(document.snapshot)
    assert statement.open_matters == matters  # the failed row first again
    migration.backward(django_apps, None)
    statement.refresh_from_db()
    assert statement.document_data_sha256 == data_hash(document.snapshot)


# ---- 3. the rows built from today's records say so ----


def test_rows_from_todays_records_are_dated():
    on = datetime.date(2026, 3, 15)
    year = {"year": 2025}
    assert "(berdasarkan data per 15-03-2026)" in checklist.evidence(year, Facts(entries=2, as_of=on)).condition
    assert "(berdasarkan data per 15-03-2026)" in checklist.evidence(year, Facts(as_of=on)).condition
    signed = {"signatory": {"name": "Siti", "date": "2026-03-02"}}
    assert "(berdasarkan data per 15-03-2026)" in checklist.signed(
        signed, Facts(deadline=datetime.date(2026, 3, 31), as_of=on)).condition
    assert "berdasarkan data per" not in checklist.evidence(year, Facts(entries=2)).condition


def test_open_dates_the_rows_from_todays_records(agency, document, auditor):
    review = services.review_open(agency=agency, year=YEAR, document=document, ctx=ctx(auditor))
    day = f"(berdasarkan data per {timezone.localtime(review.opened_at).date():%d-%m-%Y})"
    rows = {i.code: i.proposed_condition for i in review.items.all()}
    assert day in rows["bukti"] and day in rows["pengesahan"]
    # The rows read from the stored snapshot only are not dated.
    assert all(day not in text for code, text in rows.items() if code not in ("bukti", "pengesahan"))
