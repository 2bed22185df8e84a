"""Small builders for records the tests need; personas follow the Healthchecks alice/bob/charlie idea."""

from __future__ import annotations

from decimal import Decimal

from agencies.models import Agency, AgencyMembership, AgencyYear, Government, GovernmentRole, User
from budget.models import BudgetItem, BudgetLine
from performance.models import Indicator, PerformanceAgreement, PlanNode, Realization, StrategicPlan, Target

PASSWORD = "rahasia-uji-123"  # noqa: S105


def government(name: str = "Pemerintah Kota Contoh") -> Government:
    return Government.objects.create(name=name, kind="kota")


def agency(code: str, gov: Government | None = None, year: int = 2025) -> Agency:
    gov = gov or Government.objects.get_or_create(name="Pemerintah Kota Contoh", defaults={"kind": "kota"})[0]
    created = Agency.objects.create(government=gov, code=code, name=f"Dinas {code}")
    AgencyYear.objects.create(agency=created, year=year, head_title="Kepala Dinas", head_name="Budi")
    return created


def user(username: str, *, agency: Agency | None = None, role: str = "staff",
         government: Government | None = None, gov_role: str | None = None) -> User:
    created = User.objects.create_user(username=username, password=PASSWORD)
    if agency is not None:
        AgencyMembership.objects.create(user=created, agency=agency, role=role)
    if government is not None and gov_role:
        GovernmentRole.objects.create(user=created, government=government, role=gov_role)
    return created


def measured_indicator(
    owner_agency: Agency,
    *,
    code: str = "TPT",
    year: int = 2025,
    target: str = "7.73",
    actual: str | None = "7.33",
    polarity: str = "negatif",
) -> Indicator:
    """A Renstra with one sasaran and one indicator with a PK target and an annual realisasi."""
    plan, _ = StrategicPlan.objects.get_or_create(agency=owner_agency, start_year=2025, end_year=2029)
    goal, _ = PlanNode.objects.get_or_create(plan=plan, code="T1", defaults={"kind": "tujuan", "text": "Tujuan"})
    indicator = Indicator.objects.create(plan=plan, code=code, name=f"Indikator {code}", unit="%",
                                         polarity=polarity, owner_node=goal)
    agreement, _ = PerformanceAgreement.objects.get_or_create(agency=owner_agency, year=year, version="murni")
    Target.objects.create(indicator=indicator, year=year, document="pk", agreement=agreement, value=Decimal(target))
    if actual is not None:
        Realization.objects.create(indicator=indicator, year=year, value=Decimal(actual))
    return indicator


def budget_leaf(owner_agency: Agency, *, year: int = 2025, ceiling: str = "1000", spent: str = "900") -> BudgetLine:
    program, _ = BudgetItem.objects.get_or_create(agency=owner_agency, code="2.07.03",
                                                  defaults={"kind": "program", "name": "Program"})
    activity, _ = BudgetItem.objects.get_or_create(agency=owner_agency, code="2.07.03.2.01",
                                                   defaults={"kind": "kegiatan", "name": "Kegiatan", "parent": program})
    return BudgetLine.objects.create(item=activity, year=year, ceiling_original=Decimal(ceiling), spent_q4=Decimal(spent))


SIGNATORIES = {
    "first_name": "Dr. Contoh Kepala", "first_nip": "197001011990031001", "first_position": "Kepala Dinas",
    "second_name": "Contoh Wali Kota", "second_position": "Wali Kota Contoh",
    "signed_place": "Kota Contoh", "signed_on": __import__("datetime").date(2025, 1, 31),
}


def agreement_rows(agreement: PerformanceAgreement, reason: str = "uji: berbeda dari Renstra"):
    """The version's rows and programs as the save service takes them, each with a reason."""
    from performance.services import AgreementProgramInput, AgreementRowInput

    rows = {t.indicator_id: AgreementRowInput(t.value, tuple(t.quarters), t.reason or reason)
            for t in agreement.targets.all()}
    programs = {p.item_id: AgreementProgramInput(p.amount, p.reason or reason) for p in agreement.programs.all()}
    return rows, programs


def approve_agreement(agreement: PerformanceAgreement, *, user: User | None = None, note: str = "uji",
                      submitter: User | None = None):
    """Complete the signatories and reasons, submit (as `submitter`, default the system) and
    approve (as `user`): a PK the way a Pemda approves it."""
    from audit.services import AuditContext
    from performance.services import agreement_save, agreement_transition

    ctx = AuditContext(user=submitter, reason=note)
    rows, programs = agreement_rows(agreement)
    agreement_save(agreement=agreement, header=SIGNATORIES, rows=rows, programs=programs, revision=None, ctx=ctx)
    agreement = agreement_transition(agreement=agreement, transition="submit", ctx=ctx)
    return agreement_transition(agreement=agreement, transition="approve", ctx=AuditContext(user=user, reason=note))
