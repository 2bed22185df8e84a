"""The narrative page (instansi/<code>/<year>/narasi/) as a browser uses it: the placeholders with
their current values next to every field, a save through performance.services.narratives_save
with its audit entry, a preview that writes nothing, an unknown placeholder refused with a message
naming it, and a text someone else changed meanwhile never silently overwritten."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from audit.services import AuditContext
from performance import services
from performance.models import Narrative
from performance.rules import RuleViolation

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def url(code="uji-disnaker"):
    return reverse("performance:narratives", args=[code, YEAR])


def browser_form(response) -> dict[str, str]:
    """Every field of the page as the browser posts it back."""
    data = {}
    for item in response.context["page"].fields:
        data[item.name] = item.text
        data[item.seen_name] = item.digest
    return data


def test_the_page_lists_the_placeholders_with_this_agencys_values_next_to_the_fields(client, agency, operator, iku1):
    client.force_login(operator)
    response = client.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "{serapan}" in html and "{capaian:KODE}" in html and "Pratinjau teks tercetak" in html
    page = response.context["page"]
    block = next(b for b in page.indicators if b.indicator == iku1)
    shown = {row.syntax: row.value for row in block.placeholders}
    values = page.figures.values.indicators["IKU1"]
    assert shown["{capaian}"] == (values["capaian"] or "–") and shown["{target}"] == values["target"]
    assert [f.section for f in block.fields] == list(services.INDICATOR_SECTIONS)


def test_saving_writes_the_text_with_an_audit_entry_and_the_document_prints_it_resolved(client, agency, operator):
    client.force_login(operator)
    data = browser_form(client.get(url()))
    data["n-kesimpulan"] = "Kami menyerap {serapan} dari pagu {pagu}."
    data["action"] = "simpan"
    response = client.post(url(), data)
    assert response.status_code == 303 and response["Location"] == url()
    stored = Narrative.objects.get(agency=agency, year=YEAR, section="kesimpulan", indicator=None)
    assert stored.text == "Kami menyerap {serapan} dari pagu {pagu}."
    entry = AuditEntry.objects.filter(object_type="narrative", object_id=stored.pk).latest("pk")
    assert entry.user_id == operator.pk and entry.channel == "form"
    from reports.snapshot import build_snapshot

    printed = build_snapshot(agency=agency, year=YEAR)["narratives"]["kesimpulan"]
    assert "{" not in printed and printed.startswith("Kami menyerap ") and "Rp " in printed


def test_the_preview_shows_the_printed_text_and_the_contradictions_and_writes_nothing(client, agency, operator):
    client.force_login(operator)
    data = browser_form(client.get(url()))
    data["n-kesimpulan"] = "Serapan {serapan}; capaian 12,34 %."
    data["action"] = "pratinjau"
    response = client.post(url(), data)
    assert response.status_code == 200
    item = next(f for f in response.context["page"].report if f.section == "kesimpulan")
    assert "{serapan}" not in item.preview and item.preview.startswith("Serapan ")
    assert any(check.startswith("menyebut 12,34 %") for check in item.checks)
    assert not Narrative.objects.filter(agency=agency, section="kesimpulan").exists()


def test_an_unknown_placeholder_is_refused_naming_it_and_nothing_is_written(client, agency, operator, iku1):
    client.force_login(operator)
    data = browser_form(client.get(url()))
    data["n-saran"] = "Tetap baik."
    data[f"n-analisis-{iku1.pk}"] = "Capaian {capaian:IK-99} dan {capain}."
    data["action"] = "simpan"
    response = client.post(url(), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "placeholder {capaian:IK-99}: indikator berkode IK-99 tidak dikenal" in html
    assert "placeholder {capain} tidak dikenal" in html
    assert "Capaian {capaian:IK-99} dan {capain}." in html  # what was typed is kept
    assert not Narrative.objects.filter(agency=agency, year=YEAR, quarter__isnull=True,
                                        section__in=["saran", "analisis"], text__contains="Tetap").exists()


def test_a_text_changed_meanwhile_is_not_overwritten_until_saved_again(client, agency, operator, planner):
    client.force_login(operator)
    data = browser_form(client.get(url()))
    services.narratives_save(
        agency=agency, year=YEAR, ctx=AuditContext(user=planner, channel="form"),
        narratives=[services.NarrativeInput("saran", None, "Teks perencana.", services.text_digest(""))])
    data["n-saran"] = "Teks operator."
    data["action"] = "simpan"
    response = client.post(url(), data)
    assert response.status_code == 409
    assert "sementara Anda mengisi, perencana mengubah narasi ini" in response.content.decode()
    assert Narrative.objects.get(agency=agency, section="saran", indicator=None).text == "Teks perencana."
    again = client.post(url(), {**browser_form(response), "action": "simpan"})
    assert again.status_code == 303
    assert Narrative.objects.get(agency=agency, section="saran", indicator=None).text == "Teks operator."


def test_emptying_a_field_deletes_the_narrative(client, agency, operator):
    client.force_login(operator)
    services.narratives_save(agency=agency, year=YEAR, ctx=AuditContext(user=operator, channel="form"),
                             narratives=[services.NarrativeInput("saran", None, "Ada.", services.text_digest(""))])
    data = browser_form(client.get(url()))
    data["n-saran"] = "  "
    data["action"] = "simpan"
    assert client.post(url(), data).status_code == 303
    assert not Narrative.objects.filter(agency=agency, section="saran", indicator=None).exists()
    assert AuditEntry.objects.filter(object_type="narrative", action=AuditEntry.Action.DELETE).exists()


def test_the_service_refuses_a_section_an_indicator_has_not(agency, operator, iku1):
    with pytest.raises(RuleViolation) as refused:
        services.narratives_save(agency=agency, year=YEAR, ctx=AuditContext(user=operator, channel="form"),
                                 narratives=[services.NarrativeInput("kesimpulan", iku1.pk, "x", services.text_digest(""))])
    assert "bagian narasi kesimpulan tidak dikenal" in str(refused.value)


def test_those_who_only_read_see_the_text_without_fields(client, agency, operator):
    from tests import factories

    services.narratives_save(agency=agency, year=YEAR, ctx=AuditContext(user=operator, channel="form"),
                             narratives=[services.NarrativeInput("saran", None, "Dibaca saja.", services.text_digest(""))])
    head = factories.user("kepala", agency=agency, role="head")
    client.force_login(head)
    html = client.get(url()).content.decode()
    assert "Dibaca saja." in html and "<textarea" not in html
    assert client.post(url(), {"action": "simpan"}).status_code == 403


def test_the_quarter_entry_page_lists_the_placeholders_beside_the_explanations(client, agency, operator, iku1):
    client.force_login(operator)
    html = client.get(reverse("performance:entry", args=[agency.code, YEAR, 1])).content.decode()
    assert "Placeholder angka untuk IKU1" in html and "{capaian}" in html


def test_a_quarter_explanation_with_an_unknown_placeholder_is_refused(agency, operator, iku1):
    entry = services.EntryInput(indicator_id=iku1.pk, status="final", value=None, explanations={"analisis": "{foo}"})
    with pytest.raises(RuleViolation) as refused:
        services.entries_save(agency=agency, year=YEAR, quarter=1, entries=[entry],
                              ctx=AuditContext(user=operator, channel="form"))
    assert any(v.field == "analisis" and "placeholder {foo} tidak dikenal" in v.message
               for v in refused.value.violations)
    assert re.search("IKU1 TW 1", str(refused.value))


def test_the_admin_refuses_an_unknown_placeholder_as_the_page_does(agency, iku1):
    narrative = Narrative(agency=agency, year=YEAR, section="analisis", indicator=iku1, text="{capaian} {foo:IKU1}")
    violations = services.instance_violations(instance=narrative)
    assert [v.value for v in violations] == ["{foo:IKU1}"]
    narrative.text = "{capaian} {target:IKU2}"
    assert services.instance_violations(instance=narrative) == []
