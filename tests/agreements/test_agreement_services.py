"""The PK's versions as the services and the measurement see them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from audit.services import AuditContext
from performance import agreements as pk
from performance import calculations as calc
from performance.entry import quarter_sheet
from performance.measurement import measure
from performance.models import PerformanceAgreement
from performance.rules import RuleViolation
from performance.services import (
    AgreementProgramInput,
    AgreementRowInput,
    agreement_save,
    agreement_start,
    agreement_transition,
    amendment_start,
)
from tests.factories import SIGNATORIES, agreement_rows, approve_agreement

from .conftest import NEXT

pytestmark = pytest.mark.django_db
CTX = AuditContext(reason="uji")


def amend(agreement, *, effective=datetime.date(NEXT, 7, 1), **values):
    amendment = amendment_start(agreement=agreement, cause="koreksi", cause_note="uji", effective_from=effective, ctx=CTX)
    rows, programs = agreement_rows(amendment)
    for indicator_id, value in values.items():
        rows[int(indicator_id)] = AgreementRowInput(value, (None,) * 4, "koreksi")
    agreement_save(agreement=amendment, header={}, rows=rows, programs=programs, revision=None, ctx=CTX)
    return amendment


def test_an_amendment_counts_from_its_effective_date(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    iku1 = murni.targets.get(indicator__code="IKU1").indicator
    amendment = amend(murni, **{str(iku1.pk): Decimal("7.1")})
    approve_agreement(amendment)
    # TW I and II were measured against the murni; from TW III (1 July) the amendment counts.
    early = quarter_sheet(agency=agency, year=NEXT, quarter=2).measurement
    late = quarter_sheet(agency=agency, year=NEXT, quarter=3).measurement
    assert early.get("IKU1").target.value == Decimal("7.5") and early.agreement_state.counting == murni
    assert late.get("IKU1").target.value == Decimal("7.1") and late.agreement_state.counting.number == 1
    assert measure(agency=agency, year=NEXT).get("IKU1").target.value == Decimal("7.1")


def test_a_second_amendment_is_numbered_and_labelled(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    iku1 = murni.targets.get(indicator__code="IKU1").indicator_id
    first = approve_agreement(amend(murni, **{str(iku1): Decimal("7.1")}))
    second = approve_agreement(amend(first, effective=datetime.date(NEXT, 10, 1), **{str(iku1): Decimal("7")}))
    assert (second.number, second.version_label, second.amends) == (2, "Perubahan ke-2", first)
    target = measure(agency=agency, year=NEXT).get("IKU1").target
    assert (target.value, target.label) == (Decimal("7"), "PK Perubahan ke-2")
    with pytest.raises(RuleViolation, match="tidak boleh sebelum PK Perubahan ke-2 berlaku"):
        amendment_start(agreement=second, cause="koreksi", cause_note="x", effective_from=datetime.date(NEXT, 8, 1), ctx=CTX)


def test_an_unapproved_year_is_measured_provisionally_and_says_so(agency):
    draft = agreement_start(agency=agency, year=NEXT, ctx=CTX)
    state = measure(agency=agency, year=NEXT).agreement_state
    assert state.counting == draft and not state.approved
    assert "belum disetujui" in state.notice and "Draf" in state.notice
    assert "Belum ada Perjanjian Kinerja" in measure(agency=agency, year=NEXT + 1).agreement_state.notice


def test_versions_are_approved_in_order(agency):
    murni = agreement_start(agency=agency, year=NEXT, ctx=CTX)
    # A perubahan imported beside an unapproved murni waits for it.
    rows, programs = agreement_rows(murni)
    amendment = PerformanceAgreement.objects.create(agency=agency, year=NEXT, number=1, version="perubahan",
                                                    amends=murni, cause="koreksi", cause_note="x",
                                                    effective_from=datetime.date(NEXT, 7, 1), **SIGNATORIES)
    agreement_save(agreement=amendment, header={}, rows=rows, programs=programs, revision=None, ctx=CTX)
    with pytest.raises(RuleViolation, match="PK Murni belum disetujui"):
        agreement_transition(agreement=amendment, transition="submit", ctx=CTX)


def test_a_program_budget_that_differs_from_the_pagu_needs_a_reason(agency):
    agreement = agreement_start(agency=agency, year=NEXT, ctx=CTX)
    rows, _ = agreement_rows(agreement)
    program = agreement.programs.get()
    with pytest.raises(RuleViolation, match="anggaran berbeda dari pagu"):
        agreement_save(agreement=agreement, header={}, rows=rows, revision=None, ctx=CTX,
                       programs={program.item_id: AgreementProgramInput(Decimal("27929947878"))})
    agreement_save(agreement=agreement, header={}, rows=rows, revision=None, ctx=CTX,
                   programs={program.item_id: AgreementProgramInput(Decimal("27929947878"), "angka PK yang ditandatangani")})
    assert pk.contents(agreement)["total"] == "27929947878.00"


def test_the_diff_names_every_kind_of_change(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    amendment = amendment_start(agreement=murni, cause="pejabat", cause_note="Kepala dinas baru",
                                effective_from=datetime.date(NEXT, 4, 1), ctx=CTX)
    rows, programs = agreement_rows(amendment)
    iku1, iku2 = (murni.targets.get(indicator__code=c).indicator_id for c in ("IKU1", "IKU2"))
    rows[iku1] = AgreementRowInput(Decimal("7.5"), (Decimal("7.9"), Decimal("7.8"), Decimal("7.6"), Decimal("7.5")), "")
    del rows[iku2]
    (item_id, program), = programs.items()
    programs[item_id] = AgreementProgramInput(program.amount + 1, "pergeseran")
    agreement_save(agreement=amendment, header={"first_name": "Kepala Baru"}, rows=rows, programs=programs,
                   revision=None, ctx=CTX)
    amendment.refresh_from_db()
    changes = {(c.part, c.key, c.kind, c.old, c.new) for c in pk.diff(pk.shown_contents(murni), pk.contents(amendment))}
    assert ("indikator", "IKU2", "dihapus", "1300.0000", None) in changes
    assert any(c[:3] == ("indikator", "IKU1", "diubah") and c[4] == "7.9000" for c in changes)  # TW I added
    assert any(c[0] == "anggaran" and c[2] == "diubah" for c in changes)
    assert ("penandatangan", "first.name", "diubah", SIGNATORIES["first_name"], "Kepala Baru") in changes
    assert not pk.diff(pk.shown_contents(murni), pk.shown_contents(murni))


def test_the_frozen_contents_do_not_follow_later_record_changes(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    indicator = murni.targets.get(indicator__code="IKU1").indicator
    indicator.name = "Nama baru sesudah persetujuan"
    indicator.save()
    frozen = {r["indicator"]: r["name"] for r in pk.shown_contents(murni)["rows"]}
    assert frozen["IKU1"] != "Nama baru sesudah persetujuan"
    assert pk.contents_hash(murni.frozen) == murni.frozen_sha256


@pytest.mark.parametrize(("method", "quarters", "warns"), [
    ("kumulatif", ("25", "25", "25", "25"), False),
    ("kumulatif", ("25", "50", "75", "100"), True),
    ("akhir", ("90", "95", "98", "100"), False),
    ("rata-rata", ("90", "100", "110", "100"), False),
    ("rata-rata", ("90", "90", "90", "90"), True),
])
def test_rencana_aksi_adds_up_by_the_indicators_rule(method, quarters, warns):
    warning = pk.quarter_targets_warning(value=Decimal(100), quarters=[Decimal(q) for q in quarters], aggregation=method)
    assert bool(warning) is warns


def test_the_target_to_date_follows_the_same_rule_as_the_realisasi():
    # A cumulative indicator's Rencana Aksi per quarter: by TW II the target to date is 50.
    result = calc.quarter_achievement(quarters=[Decimal(20), Decimal(25), None, None], quarter=2, method="kumulatif",
                                      polarity="positif", annual_target=Decimal(100),
                                      quarter_target=calc.quarter_to_date([Decimal(25)] * 4, 2, "kumulatif").value)
    assert result.target == Decimal(50) and result.result.value == Decimal(90)


def test_an_indicator_the_amendment_drops_is_measured_against_its_other_documents(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    amendment = amendment_start(agreement=murni, cause="strategi", cause_note="RPJMD baru",
                                effective_from=datetime.date(NEXT, 1, 1), ctx=CTX)
    rows, programs = agreement_rows(amendment)
    iku2 = murni.targets.get(indicator__code="IKU2").indicator_id
    del rows[iku2]
    agreement_save(agreement=amendment, header={}, rows=rows, programs=programs, revision=None, ctx=CTX)
    approve_agreement(amendment)
    figure = measure(agency=agency, year=NEXT).get("IKU2")
    assert (figure.target.document, figure.target.value) == ("renstra", Decimal("1300"))
    superseded = [t for t in figure.other_targets if t.document == "pk"]
    assert [(t.label, t.superseded) for t in superseded] == [("PK", True)]


def test_no_one_approves_what_they_submitted(agency, planner):
    from agencies.permissions import access_for
    from tests import factories

    agreement = agreement_start(agency=agency, year=NEXT, ctx=CTX)
    rows, programs = agreement_rows(agreement)
    agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs=programs, revision=None, ctx=CTX)
    both = factories.user("rangkap", agency=agency, role="planner", government=agency.government, gov_role="planner")
    assert not access_for(user=both, agency=agency).approve_agreements  # an agency member never approves
    own = AuditContext(user=both)
    agreement_transition(agreement=agreement, transition="submit", ctx=own)
    with pytest.raises(RuleViolation, match="yang mengajukan PK tidak dapat menyetujui"):
        agreement_transition(agreement=agreement, transition="approve", ctx=own)


def test_approval_checks_again_what_moved_since_submission(agency):
    from performance.models import Target

    agreement = agreement_start(agency=agency, year=NEXT, ctx=CTX)
    rows, programs = agreement_rows(agreement)
    agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs=programs, revision=None, ctx=CTX)
    agreement_transition(agreement=agreement, transition="submit", ctx=CTX)
    # The Renstra's target moves after submission: the PK now differs without a reason.
    Target.objects.filter(indicator__code="IKU2", year=NEXT, document="renstra").update(value=Decimal("1400"))
    Target.objects.filter(agreement=agreement, indicator__code="IKU2").update(reason="")
    with pytest.raises(RuleViolation, match="IKU2: target berbeda dari Renstra"):
        agreement_transition(agreement=agreement, transition="approve", ctx=CTX)


def test_an_amendment_without_cause_or_date_cannot_be_submitted(agency):
    murni = approve_agreement(agreement_start(agency=agency, year=NEXT, ctx=CTX))
    rows, programs = agreement_rows(murni)
    amendment = PerformanceAgreement.objects.create(agency=agency, year=NEXT, number=1, version="perubahan",
                                                    amends=murni, **SIGNATORIES)  # as an import may leave it
    agreement_save_unchecked = amendment  # rows come from the murni
    for target in murni.targets.all():
        target.pk, target.agreement, target.version = None, agreement_save_unchecked, "perubahan"
        target.save()
    with pytest.raises(RuleViolation) as refused:
        agreement_transition(agreement=amendment, transition="submit", ctx=CTX)
    messages = str(refused.value)
    assert "pilih sebab perubahan" in messages and "tanggal mulai berlaku" in messages


def test_an_import_makes_an_open_pk_form_stale(agency):
    from tests.workbook.helpers import as_file, build_workbook
    from workbook.services import workbook_import

    from .conftest import data_with_next_year

    agreement = PerformanceAgreement.objects.get(agency=agency, year=2025)
    before = agreement.revision
    data = data_with_next_year()
    data["Target"][1]["target"] = "7,4"
    assert workbook_import(source=as_file(build_workbook(data))).ok
    agreement.refresh_from_db()
    assert agreement.revision > before
