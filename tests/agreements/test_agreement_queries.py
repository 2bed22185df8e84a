"""The PK pages read in a fixed number of queries, whatever the size of the PK or of the Pemda.

What benchmarks/agreement_pages.py measures at 50 and 500 indicators (docs/benchmarks.md), kept
here at a smaller scale: the same pages for a PK of 2 indicators and 1 program and one of 14
indicators (4 of them program indicators) and 5 programs must issue the same number of queries,
and the Pemda overview the same for 1 agency and for 6 in every PK state.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Agency
from agencies.services import agency_upsert
from audit.services import AuditContext
from performance.agreements import renstra_targets
from performance.models import PerformanceAgreement
from performance.services import (
    AgreementProgramInput,
    AgreementRowInput,
    agreement_save,
    agreement_start,
    agreement_transition,
    amendment_start,
)
from tests import factories
from tests.workbook.helpers import as_file, build_workbook
from workbook.services import workbook_import

from .conftest import NEXT, data_with_next_year

pytestmark = pytest.mark.django_db


def workbook(code: str, pemda: str, *, indicators: int, programs: int) -> Agency:
    """The conftest workbook (IKU1, IKU2 and one program with a Renstra target and pagu in NEXT)
    with `indicators` more sasaran indicators, `programs` more programs with a pagu, each with
    one program indicator."""
    data = data_with_next_year()
    data["Instansi"].update(kode_instansi=code, nama_instansi=f"Dinas {code}", pemda=pemda)
    for i in range(indicators):
        data["Indikator"].append({"kode": f"IKS{i}", "pemilik": "T1.S1", "nama": f"Indikator sasaran {i}",
                                  "satuan": "%", "polaritas": "positif", "agregasi": "akhir"})
        data["Target"].append({"kode_indikator": f"IKS{i}", "tahun": NEXT, "dokumen": "renstra", "target": 50 + i})
    for j in range(programs):
        program = f"2.07.{10 + j:02d}"
        data["Anggaran"] += [
            {"kode": program, "jenis": "program", "uraian": f"Program uji {j}", "sasaran": "T1.S1", "tahun": NEXT},
            {"kode": f"{program}.2.01", "jenis": "kegiatan", "uraian": f"Kegiatan uji {j}", "tahun": NEXT,
             "pagu_murni": 1_000_000 * (j + 1)},
        ]
        data["Indikator"].append({"kode": f"IKP{j}", "pemilik": program, "nama": f"Indikator program {j}",
                                  "satuan": "kegiatan", "polaritas": "positif", "agregasi": "kumulatif"})
        data["Target"].append({"kode_indikator": f"IKP{j}", "tahun": NEXT, "dokumen": "renstra", "target": 4})
    report = workbook_import(source=as_file(build_workbook(data)), file_name=f"{code}.xlsx")
    assert report.ok, [str(e) for e in report.errors]
    return Agency.objects.get(code=code)


def ctx(user) -> AuditContext:
    return AuditContext(user=user, reason="uji")


def draft(agency, planner, *, program_rows: bool = True) -> PerformanceAgreement:
    """The PK murni from the Renstra with the signatories and, when asked, every program
    indicator as a row too (Rencana Aksi on every row that has a target, so quarters print)."""
    agreement = agreement_start(agency=agency, year=NEXT, ctx=ctx(planner))
    renstra = {t.indicator_id: t.value for t in agreement.targets.all()}
    if program_rows:
        program_indicators = agency.strategic_plans.get().indicators.filter(owner_budget_item__isnull=False)
        renstra |= renstra_targets(indicator_ids=[i.pk for i in program_indicators], year=NEXT)
    rows = {i: AgreementRowInput(v, (v, v, v, v), "") for i, v in renstra.items()}
    programs = {p.item_id: AgreementProgramInput(p.amount) for p in agreement.programs.order_by("order")}
    agreement_save(agreement=agreement, header=factories.SIGNATORIES, rows=rows, programs=programs, revision=None,
                   ctx=ctx(planner))
    agreement.refresh_from_db()
    return agreement


def versions(code: str, pemda: str, *, indicators: int, programs: int):
    """An agency whose PK murni is approved and whose PK perubahan is a draft."""
    agency = workbook(code, pemda, indicators=indicators, programs=programs)
    planner = factories.user(f"{code}-perencana", agency=agency, role="planner")
    bappeda = factories.user(f"{code}-bappeda", government=agency.government, gov_role="planner")
    approved = factories.approve_agreement(draft(agency, planner), user=bappeda)
    amendment = amendment_start(agreement=approved, cause="strategi", cause_note="Uji", ctx=ctx(planner),
                                effective_from=datetime.date(NEXT, 7, 1))
    return {"agency": agency, "planner": planner, "bappeda": bappeda, "approved": approved, "amendment": amendment}


def save_data(client, edit_url: str, target_value: str) -> dict:
    """The edit form as the browser sends it (test_agreement_pages.edit_data), its first row's
    target changed, with a reason."""
    page = client.get(edit_url)
    assert page.status_code == 200
    data = {"revision": page.context["agreement"].revision, "action": "save"}
    header = page.context["header"]
    for name, field in header.fields.items():
        value = header.initial.get(name, field.initial)
        data[name] = value.isoformat() if isinstance(value, datetime.date) else ("" if value is None else value)
    for _, form in page.context["row_forms"] + page.context["program_forms"]:
        for name in form.fields:
            value = form.initial.get(name)
            if name != "included":
                data[form.add_prefix(name)] = value or ""
            elif value:
                data[form.add_prefix(name)] = "on"
    first = next(form for _, form in page.context["row_forms"] if form.initial.get("included"))
    data[first.add_prefix("value")] = target_value
    data[first.add_prefix("reason")] = "Kebijakan baru"
    return data


def agency_page_queries(client, world) -> dict[str, int]:
    """Queries of every PK page of the world's agency, as its planner."""
    agency, approved, amendment = world["agency"], world["approved"], world["amendment"]
    client.force_login(world["planner"])

    def url(name: str, *args) -> str:
        return reverse(name, args=[agency.code, NEXT, *args])

    edit = url("performance:agreement_edit", amendment.number)
    pages = {
        "detail approved": url("performance:agreement_detail", approved.number),
        "detail draft": url("performance:agreement_detail", amendment.number),
        "edit": edit,
        "diff": url("performance:agreement_diff") + f"?a={approved.number}&b={amendment.number}",
        "pdf approved": url("reports:agreement_pdf", approved.number),
        "pdf draft": url("reports:agreement_pdf", amendment.number),
    }
    counts = {}
    for name, address in pages.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(queries)
    data = save_data(client, edit, "99,5")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(edit, data)
    assert response.status_code == 303, response.content.decode()[:1000]
    counts["save"] = len(queries)
    client.get(response["Location"])  # the version page shows the save's messages, as the browser would
    return counts


def test_pk_pages_issue_the_same_queries_for_a_larger_pk(client):
    small = versions("pk-kecil", "Pemerintah Kota Kecil", indicators=0, programs=0)
    large = versions("pk-besar", "Pemerintah Kota Besar", indicators=8, programs=4)
    assert (small["amendment"].targets.count(), small["amendment"].programs.count()) == (2, 1)
    assert (large["amendment"].targets.count(), large["amendment"].programs.count()) == (14, 5)
    assert large["amendment"].targets.filter(indicator__owner_budget_item__isnull=False).count() == 4
    few = agency_page_queries(client, small)
    many = agency_page_queries(client, large)
    assert many == few, {name: (few[name], many[name]) for name in few if few[name] != many[name]}


def overview_queries(client, government, user) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("performance:agreement_overview", args=[government.pk, NEXT]))
    assert response.status_code == 200
    return len(queries)


def test_the_overview_issues_the_same_queries_for_more_agencies(client, django_assert_max_num_queries):
    world = versions("pk-satu", "Pemerintah Kota Uji", indicators=0, programs=0)
    government, bappeda = world["agency"].government, world["bappeda"]
    few = overview_queries(client, government, bappeda)
    # Five more agencies of the Pemda (the first one's latest version is a draft amendment):
    # submitted, returned, approved, approved amendment, no PK at all.
    for index, state in enumerate(("submitted", "returned", "approved", "amended")):
        agency = workbook(f"pk-{state}", "Pemerintah Kota Uji", indicators=index, programs=1)
        planner = factories.user(f"pk-{state}-perencana", agency=agency, role="planner")
        agreement = draft(agency, planner)
        if state in ("submitted", "returned"):
            agreement = agreement_transition(agreement=agreement, transition="submit", ctx=ctx(planner))
        if state == "returned":
            agreement_transition(agreement=agreement, transition="send_back", ctx=ctx(bappeda))
        if state == "approved":
            factories.approve_agreement(agreement, user=bappeda)
        if state == "amended":
            approved = factories.approve_agreement(agreement, user=bappeda)
            amendment = amendment_start(agreement=approved, cause="koreksi", cause_note="Uji", ctx=ctx(planner),
                                        effective_from=datetime.date(NEXT, 7, 1))
            amendment = agreement_transition(agreement=amendment, transition="submit", ctx=ctx(planner))
            agreement_transition(agreement=amendment, transition="approve", ctx=ctx(bappeda))
    agency_upsert(code="pk-kosong", values={"government_id": government.pk, "name": "Dinas tanpa PK"},
                  ctx=ctx(None))
    client.force_login(bappeda)
    with django_assert_max_num_queries(few):
        response = client.get(reverse("performance:agreement_overview", args=[government.pk, NEXT]))
    states = sorted(row.state for row in response.context["rows"])
    assert states == ["amended", "approved", "draft", "none", "returned", "submitted"]
