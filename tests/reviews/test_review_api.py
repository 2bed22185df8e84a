"""The reviu through the API, end to end: the inspector opens it on version 1, assesses the
working paper, writes a note anchored to a figure; the agency's planner answers it; the
inspector resolves it and closes the reviu; the Inspektur issues the statement; the next
document version prints it. Every step is in the trail with channel "api"."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create
from audit.models import AuditEntry
from audit.services import AuditContext
from reviews.models import Review, ReviewItem

from .conftest import YEAR, make_document
from .test_review_pages import pdf_text

pytestmark = pytest.mark.django_db


def token(user) -> dict[str, str]:
    made = ApiToken.objects.filter(user=user).count()
    raw = token_create(context=AuditContext(), user=user, name=f"reviu {made}", days=5)[1]
    return {"HTTP_AUTHORIZATION": f"Token {raw}"}


def test_reviu_through_the_api(client, agency, document, auditor, inspektur, planner, operator,
                               django_capture_on_commit_callbacks):
    inspector, answerer, reader, head = token(auditor), token(planner), token(operator), token(inspektur)
    lists = reverse("api:review_list")

    # Only an inspector opens; a planner of the agency may see but not open (403), a bad version is a 404.
    body = {"agency": "uji-disnaker", "year": YEAR, "document_number": document.number}
    assert client.post(lists, body, content_type="application/json", **answerer).status_code == 403
    missing = client.post(lists, {**body, "document_number": 99}, content_type="application/json", **inspector)
    assert missing.status_code == 404 and "Versi dokumen" in missing.json()["detail"]
    opened = client.post(lists, body, content_type="application/json", **inspector)
    assert opened.status_code == 201, opened.content
    review = opened.json()
    assert review["document_code"] == document.code and len(review["items"]) == 9
    assert all(item["proposed_condition"] for item in review["items"])
    again = client.post(lists, body, content_type="application/json", **inspector)
    assert again.status_code == 400 and again.json()["errors"]
    pk = review["id"]
    urls = {name: reverse(f"api:review_{name}", args=[pk]) for name in ("detail", "items", "close", "notes",
                                                                      "statement")}

    # Closing before every row is assessed is refused, with the reason.
    refused = client.post(urls["close"], {"revision": review["revision"]}, content_type="application/json",
                          **inspector)
    assert refused.status_code == 400 and refused.json()["detail"].startswith("Reviu belum ditutup:")

    # The working paper: every row assessed as proposed; a stale revision is a 409 and writes nothing.
    rows = [{"code": i["code"], "condition": i["proposed_condition"], "status": i["proposed_status"],
             "recommendation": "" if i["proposed_status"] == "terpenuhi" else "Lengkapi."} for i in review["items"]]
    stale = client.put(urls["items"], {"revision": review["revision"] + 5, "items": rows},
                       content_type="application/json", **inspector)
    assert stale.status_code == 409
    assert not ReviewItem.objects.filter(review_id=pk, confirmed=True).exists()
    bad = client.put(urls["items"], {"revision": review["revision"], "items": [{"code": "tidak-ada", "status": "x"}]},
                     content_type="application/json", **inspector)
    assert bad.status_code == 400 and "status" in bad.json()["detail"]
    saved = client.put(urls["items"], {"revision": review["revision"], "items": rows},
                       content_type="application/json", **inspector)
    assert saved.status_code == 200, saved.content
    assert all(item["confirmed"] for item in saved.json()["items"])
    assert client.put(urls["items"], {"revision": 0, "items": rows}, content_type="application/json",
                      **answerer).status_code == 403

    # A note on IKU1 2025 TW IV; the operator may not answer it, the planner does.
    note = client.post(urls["notes"], {"anchor": {"kind": "indikator", "indicator": "IKU1", "year": YEAR, "quarter": 4},
                                       "text": "Sebutkan sumber data realisasi TW IV."},
                       content_type="application/json", **inspector)
    assert note.status_code == 201, note.content
    note = note.json()
    assert note["anchor"]["indicator"] == "IKU1" and note["status"] == "open"
    unknown = client.post(urls["notes"], {"anchor": {"kind": "indikator", "indicator": "XX", "year": YEAR},
                                          "text": "x"}, content_type="application/json", **inspector)
    assert unknown.status_code == 400 and "XX" in unknown.json()["detail"]
    answer_url = reverse("api:review_note_answer", args=[pk, note["id"]])
    assert client.post(answer_url, {"text": "BPS"}, content_type="application/json", **reader).status_code == 403
    answered = client.post(answer_url, {"text": "Sumber: Sakernas BPS Agustus 2025.", "revision": note["revision"]},
                           content_type="application/json", **answerer)
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    resolved = client.post(reverse("api:review_note_resolve", args=[pk, note["id"]]), {"text": "Diterima."},
                           content_type="application/json", **inspector)
    assert resolved.status_code == 200 and resolved.json()["status"] == "resolved"

    # Close; only the Inspektur issues the statement.
    current = client.get(urls["detail"], **reader).json()
    closed = client.post(urls["close"], {"revision": current["revision"]}, content_type="application/json",
                         **inspector)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    statement = {"place": "Kota Uji", "issued_on": timezone.localdate().isoformat(), "signer_name": "Drs. Inspektur Uji, M.Si.",
                 "signer_nip": "196801011990031002", "signer_position": "Inspektur Kota Uji"}
    assert client.post(urls["statement"], statement, content_type="application/json", **inspector).status_code == 403
    issued = client.post(urls["statement"], statement, content_type="application/json", **head)
    assert issued.status_code == 201, issued.content
    assert issued.json()["statement"]["document_code"] == document.code
    # The minimal workbook's PK is not approved: that row is Tidak terpenuhi, the conclusion qualified.
    assert issued.json()["statement"]["qualified"] is True

    # Every step through the API is in the trail as such.
    kinds = set(AuditEntry.objects.filter(channel="api", object_type__startswith="review")
                .values_list("object_type", "action"))
    assert {("review", "create"), ("reviewitem", "update"), ("reviewnote", "create"), ("reviewnote", "transition"),
            ("review", "transition"), ("reviewstatement", "create")} <= kinds

    # The next version prints it.
    second = make_document(agency, django_capture_on_commit_callbacks)
    text = pdf_text(second)
    assert "PERNYATAAN TELAH DIREVIU" in text and f"kode {document.code}" in text
    assert Review.objects.get(pk=pk).status == "closed"


def test_outsiders_get_404_for_a_reviu(client, agency, document, auditor, outsider):
    opened = client.post(reverse("api:review_list"),
                         {"agency": "uji-disnaker", "year": YEAR, "document_number": document.number},
                         content_type="application/json", **token(auditor)).json()
    for url in (reverse("api:review_detail", args=[opened["id"]]), reverse("api:review_detail", args=[10**9])):
        response = client.get(url, **token(outsider))
        assert (response.status_code, response.json()["detail"]) == (404, "Reviu tidak ditemukan.")
    listed = client.get(reverse("api:review_list"), **token(outsider)).json()["results"]
    assert listed == []


def test_a_note_names_the_indicator_of_the_renstra_covering_its_year(client, agency, document, auditor):
    from performance.models import Indicator, PlanNode, StrategicPlan

    later = StrategicPlan.objects.create(agency=agency, start_year=2030, end_year=2034)
    goal = PlanNode.objects.create(plan=later, code="T1", kind="tujuan", text="Tujuan baru")
    Indicator.objects.create(plan=later, code="IKU1", name="IKU1 Renstra baru", unit="%", owner_node=goal)
    headers = token(auditor)
    review = client.post(reverse("api:review_list"),
                         {"agency": "uji-disnaker", "year": YEAR, "document_number": document.number},
                         content_type="application/json", **headers).json()
    note = client.post(reverse("api:review_notes", args=[review["id"]]),
                       {"anchor": {"kind": "indikator", "indicator": "IKU1", "year": YEAR}, "text": "uji"},
                       content_type="application/json", **headers)
    assert note.status_code == 201, note.content
    assert Review.objects.get().notes.get().indicator.plan.start_year < 2030
