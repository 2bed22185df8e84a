"""The entry and budget pages as a browser uses them (without JavaScript): what they show, what a
save writes, and that bad input says where and what, writes nothing and never 500s."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from budget.models import BudgetLine
from performance.models import Realization

from .conftest import YEAR, calendar

pytestmark = pytest.mark.django_db


def page(code="uji-disnaker", quarter=4):
    return reverse("performance:entry", args=[code, YEAR, quarter])


def form_data(response) -> dict[str, str]:
    """What the browser would send: every field of every editable row, as rendered."""
    data = {}
    for form in response.context["groups"]:
        for _, entry_form in form[1]:
            if entry_form is None:
                continue
            for field in entry_form:
                value = field.value()
                data[field.html_name] = "" if value is None else str(value)
                if field.field.show_hidden_initial:  # what the page showed, as the browser posts it back
                    shown = entry_form.data.get(field.html_initial_name) if entry_form.is_bound else None
                    data[field.html_initial_name] = data[field.html_name] if shown is None else shown
    return data


def written() -> tuple[int, int]:
    return Realization.objects.count(), AuditEntry.objects.count()


def test_the_page_shows_targets_earlier_quarters_and_the_value_to_date(client, agency, operator, iku1, iku2):
    client.force_login(operator)
    response = client.get(page(quarter=2))
    html = response.content.decode()
    assert response.status_code == 200
    assert "IKU1 · Tingkat Pengangguran Terbuka" in html
    row = response.context["sheet"].row(iku2.pk)
    assert row.target.label == "PK" and row.target.value == Decimal(1200)
    assert [(q, e.value if e else None) for q, e in row.earlier] == [(1, Decimal(1234))]
    assert row.entry.status == "belum_tersedia"  # TW II: "Data belum dirilis"
    # Two clicks from the agency page: agency → overview → the quarter.
    overview = client.get(reverse("reports:overview", args=["uji-disnaker", YEAR])).content.decode()
    assert reverse("performance:entry_index", args=["uji-disnaker", YEAR]) in overview


def test_typing_and_saving_a_value_in_indonesian_notation(client, agency, operator, iku1):
    client.force_login(operator)
    data = form_data(client.get(page()))
    data[f"r{iku1.pk}-value"] = "7,33"
    response = client.post(page(), {**data, "action": "save"})
    assert response.status_code == 303 and response["Location"] == page()
    stored = Realization.objects.get(indicator=iku1, year=YEAR, quarter=4)
    assert stored.value == Decimal("7.33") and stored.review == "draf"
    shown = client.get(page())
    row = shown.context["sheet"].row(iku1.pk)
    # TW IV Rencana Aksi target 7,5, negative polarity: (2 × 7,5 − 7,33) ÷ 7,5 = 102,27 %.
    assert row.stored.basis == "triwulan" and f"{row.stored.result.value:.2f}" == "102.27"
    assert "102,27 %" in shown.content.decode()


@pytest.mark.parametrize(
    ("field", "typed", "words"),
    [
        ("value", "7.33.1", "“7.33.1” bukan angka"),
        ("value", "abc", "“abc” bukan angka"),
        ("value", "7.33", "“7.33” bukan angka"),  # 733 or 7,33? refused, not guessed
        ("numerator", "1,2,3", "bukan angka"),
        ("value", "1" * 41, "paling banyak 40 karakter"),
        ("value", "1,23456", "paling banyak 4 angka di belakang koma"),
        ("value", "9" * 16, "terlalu besar"),
        ("status", "entah", "pilihan yang valid"),
        ("note", "x" * 2001, "2000"),
    ],
)
def test_bad_input_names_the_indicator_and_field_and_writes_nothing(client, agency, operator, iku1, field, typed, words):
    client.force_login(operator)
    data = form_data(client.get(page()))
    before = written()
    data[f"r{iku1.pk}-{field}"] = typed
    response = client.post(page(), {**data, "action": "save"})
    assert response.status_code == 400
    errors = response.context["errors"]
    assert any(code == "IKU1" and words in message for code, _, message in errors), errors
    assert typed[:20] in response.content.decode() or field in ("note", "status")  # what was typed stays
    assert written() == before


def test_not_available_needs_a_reason(client, agency, operator, iku1):
    client.force_login(operator)
    data = form_data(client.get(page()))
    data[f"r{iku1.pk}-status"] = "belum_tersedia"
    response = client.post(page(), {**data, "action": "save"})
    assert response.status_code == 400
    assert ("IKU1", "Alasan/keterangan", "alasan wajib diisi bila status data 'belum tersedia'") in response.context["errors"]


def test_a_conflict_shows_the_other_value_and_a_second_save_overwrites(client, agency, operator, planner, iku1):
    client.force_login(operator)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,33", "action": "save"})
    mine = form_data(client.get(page()))  # the operator's page at revision 0
    client.force_login(planner)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,2", "action": "save"})
    client.force_login(operator)
    response = client.post(page(), {**mine, f"r{iku1.pk}-value": "7,5", "action": "save"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "perencana mengubah realisasi ini menjadi 7,2" in html
    assert Realization.objects.get(indicator=iku1, quarter=4).value == Decimal("7.2")
    again = form_data(response)
    assert again[f"r{iku1.pk}-value"] == "7,5" and again[f"r{iku1.pk}-revision"] == "1"
    assert client.post(page(), {**again, "action": "save"}).status_code == 303
    assert Realization.objects.get(indicator=iku1, quarter=4).value == Decimal("7.5")


def test_the_preview_computes_capaian_and_predikat_without_writing(client, agency, operator, iku1):
    client.force_login(operator)
    before = written()
    url = reverse("performance:entry_preview", args=["uji-disnaker", YEAR, 4])
    response = client.post(url, {"indicator": iku1.pk, f"r{iku1.pk}-value": "8"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "93,33 %" in html and "Baik" in html and "wajib diisi sebelum diajukan" in html
    bad = client.post(url, {"indicator": iku1.pk, f"r{iku1.pk}-value": "7.33.1"})
    assert bad.status_code == 200 and "“7.33.1” bukan angka" in bad.content.decode()
    assert client.post(url, {"indicator": "x"}).status_code == 404
    assert written() == before


def test_submit_then_the_planner_returns_with_a_reason_shown_at_the_top(client, agency, operator, planner, iku1):
    client.force_login(operator)
    data = form_data(client.get(page()))
    client.post(page(), {**data, f"r{iku1.pk}-value": "7,33", "action": "submit"})
    assert Realization.objects.get(indicator=iku1, quarter=4).review == "diajukan"
    client.force_login(planner)
    review = reverse("performance:entry_review", args=["uji-disnaker", YEAR, 4])
    refused = client.post(review, {"act": f"send_back:{iku1.pk}"}, follow=True)
    assert "alasan wajib diisi" in refused.content.decode()
    client.post(review, {"act": f"send_back:{iku1.pk}", f"reason-{iku1.pk}": "Lampirkan data BPS"})
    client.force_login(operator)
    html = client.get(page()).content.decode()
    top = html.index("Dikembalikan untuk diperbaiki")
    assert top < html.index(f'id="r{iku1.pk}"') and "Lampirkan data BPS" in html[top:]


def test_the_operator_may_not_verify(client, agency, operator, iku1):
    client.force_login(operator)
    review = reverse("performance:entry_review", args=["uji-disnaker", YEAR, 4])
    assert client.post(review, {"act": "verify:all"}).status_code == 403


def test_an_unknown_review_action_is_a_message_not_a_500(client, agency, planner):
    client.force_login(planner)
    review = reverse("performance:entry_review", args=["uji-disnaker", YEAR, 4])
    for act in ("", "hapus:1", "verify:abc", "verify:selected"):
        response = client.post(review, {"act": act})
        assert response.status_code == 303


def test_a_locked_period_is_read_only_and_says_why(client, agency, operator, iku1):
    calendar(agency, q4_deadline=datetime.date(2026, 1, 15))
    client.force_login(operator)
    response = client.get(page())
    html = response.content.decode()
    assert "Batas waktu pengisian TW IV 2025 telah lewat pada 15 Januari 2026." in html
    assert f'name="r{iku1.pk}-value"' not in html
    before = written()
    refused = client.post(page(), {f"r{iku1.pk}-value": "7,33", "action": "save"}, follow=True)
    assert "telah lewat" in refused.content.decode() and written() == before


def test_the_quarter_page_of_an_unknown_quarter_or_year_is_404(client, agency, operator):
    client.force_login(operator)
    assert client.get(page(quarter=5)).status_code == 404
    assert client.get(reverse("performance:entry", args=["uji-disnaker", 1990, 1])).status_code == 404


# ---- budget ----


def budget_page(quarter=3):
    return reverse("budget:entry", args=["uji-disnaker", YEAR, quarter])


def budget_data(response) -> dict[str, str]:
    data = {}
    for row in response.context["rows"]:
        if row["form"] is not None:
            for field in row["form"]:
                value = field.value()
                data[field.html_name] = "" if value is None else str(value)
                if field.field.show_hidden_initial:
                    data[field.html_initial_name] = data[field.html_name]
    return data


def leaf() -> BudgetLine:
    return BudgetLine.objects.get(item__code="2.07.03.2.01.0001")


def test_budget_realisasi_in_rupiah_with_absorption_to_date(client, agency, operator):
    client.force_login(operator)
    response = client.get(budget_page())
    data = budget_data(response)
    line = leaf()
    data[f"b{line.item_id}-amount"] = "Rp 1.234.567"
    assert client.post(budget_page(), data).status_code == 303
    assert leaf().spent_q3 == Decimal("1234567")
    html = client.get(budget_page()).content.decode()
    # s.d. TW III: 1.000.000 + 2.500.000,50 + 1.234.567 of the pagu perubahan 18.000.000.000
    assert "Rp 4.734.567,50" in html
    data[f"b{line.item_id}-amount"] = "1234567"
    data[f"b{line.item_id}-revision"] = "1"
    assert client.post(budget_page(), data).status_code == 303  # the same amount written plainly: no change
    assert leaf().revision == 1


def test_budget_above_the_pagu_is_refused_with_the_amounts(client, agency, operator):
    client.force_login(operator)
    data = budget_data(client.get(budget_page()))
    line = leaf()
    before = AuditEntry.objects.count()
    data[f"b{line.item_id}-amount"] = "Rp 17.999.999.999"
    response = client.post(budget_page(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "melebihi pagu Rp 18.000.000.000" in html and "Rp 18.006.499.999,75" in html
    assert leaf().spent_q3 == 0 and AuditEntry.objects.count() == before


@pytest.mark.parametrize("typed", ["abc", "-5", "1,234", "12.34"])
def test_budget_bad_amounts_say_what_and_write_nothing(client, agency, operator, typed):
    client.force_login(operator)
    data = budget_data(client.get(budget_page()))
    data[f"b{leaf().item_id}-amount"] = typed
    before = AuditEntry.objects.count()
    response = client.post(budget_page(), data)
    assert response.status_code == 400 and response.context["errors"]
    assert AuditEntry.objects.count() == before


def test_a_row_someone_else_saved_meanwhile_and_left_untouched_here_is_not_sent_again(
    client, agency, operator, planner, iku1, iku2
):
    client.force_login(operator)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,33", "action": "save"})
    mine = form_data(client.get(page()))  # the operator's page: IKU1 7,33 at revision 0
    client.force_login(planner)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,2", "action": "save"})
    client.force_login(operator)
    response = client.post(page(), {**mine, f"r{iku2.pk}-value": "300", "action": "save"})
    assert response.status_code == 303
    assert Realization.objects.get(indicator=iku1, quarter=4).value == Decimal("7.2")  # the planner's stays
    assert Realization.objects.get(indicator=iku2, quarter=4).value == Decimal("300")


def test_an_explanation_saved_meanwhile_is_a_conflict_not_lost(client, agency, operator, planner, iku1):
    client.force_login(operator)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "8", "action": "save"})
    mine = form_data(client.get(page()))
    client.force_login(planner)
    theirs = form_data(client.get(page()))
    client.post(page(), {**theirs, f"r{iku1.pk}-analisis": "Data BPS terlambat", "action": "save"})
    client.force_login(operator)
    response = client.post(page(), {**mine, f"r{iku1.pk}-value": "8,1", "action": "save"})
    assert response.status_code == 409
    from performance.models import Narrative

    assert Narrative.objects.get(indicator=iku1, quarter=4, section="analisis").text == "Data BPS terlambat"


def test_verifying_an_entry_changed_since_the_page_was_opened_is_refused(client, agency, operator, planner, iku1):
    client.force_login(operator)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,33", "action": "submit"})
    client.force_login(planner)
    shown = client.get(page()).content.decode()
    assert f'name="rev-{iku1.pk}" value="0"' in shown
    # Meanwhile the operator withdraws, changes and resubmits.
    client.force_login(operator)
    review = reverse("performance:entry_review", args=["uji-disnaker", YEAR, 4])
    client.post(review, {"act": f"withdraw:{iku1.pk}", f"rev-{iku1.pk}": "0"})
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,2", "action": "submit"})
    client.force_login(planner)
    refused = client.post(review, {"act": "verify:all", f"rev-{iku1.pk}": "0"}, follow=True)
    assert "mengubah realisasi ini menjadi 7,2" in refused.content.decode()
    assert Realization.objects.get(indicator=iku1, quarter=4).review == "diajukan"


def test_enter_in_the_review_form_does_nothing(client, agency, planner):
    client.force_login(planner)
    review = reverse("performance:entry_review", args=["uji-disnaker", YEAR, 4])
    response = client.post(review, {"act": "none"}, follow=True)
    assert "Pilih tindakan dengan menekan tombolnya." in response.content.decode()
    html = client.get(page()).content.decode()
    # The review form's first (default) button is the no-op, before "verify all".
    assert html.index('value="none"') < html.index("Verifikasi") if "verify:all" in html else True


def test_every_control_is_markup_not_escaped_text(client, agency, operator, iku1):
    client.force_login(operator)
    client.post(page(), {**form_data(client.get(page())), f"r{iku1.pk}-value": "7,33", "action": "save"})
    for url in (page(), reverse("budget:entry", args=["uji-disnaker", YEAR, 4])):
        html = client.get(url).content.decode()
        assert "&lt;input" not in html and "&lt;select" not in html and "&lt;textarea" not in html
    html = client.get(page()).content.decode()
    assert f'<input form="entry" id="id_r{iku1.pk}-revision" name="r{iku1.pk}-revision" type="hidden" value="0">' in html


def test_submit_takes_the_complete_entries_and_names_the_incomplete(client, agency, operator, iku1, iku2):
    client.force_login(operator)
    data = form_data(client.get(page()))
    # IKU1 8 is below target (93,33 %) and has no explanation; IKU2 has no capaian to check yet.
    data.update({f"r{iku1.pk}-value": "8", f"r{iku2.pk}-value": "300", "action": "submit"})
    response = client.post(page(), data, follow=True)
    text = response.content.decode()
    assert "1 realisasi diajukan" in text and "IKU1: capaian 93,33 % di bawah target" in text
    assert Realization.objects.get(indicator=iku2, quarter=4).review == "diajukan"
    assert Realization.objects.get(indicator=iku1, quarter=4).review == "draf"
