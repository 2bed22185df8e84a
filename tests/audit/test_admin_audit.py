"""The Django admin writes through the services: audited, and held to the same rules."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.forms.models import model_to_dict
from django.urls import reverse

from agencies.models import User
from audit.models import AuditEntry
from audit.services import AuditContext
from performance.models import Indicator, PerformanceAgreement, Realization, Target
from tests.factories import approve_agreement
from tests.workbook.helpers import as_file, build_workbook
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db


@pytest.fixture
def root(client):
    assert workbook_import(source=as_file(build_workbook())).ok
    user = User.objects.create_superuser("root", password="x")
    client.force_login(user)
    return user


def form_of(obj, **changes):
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
    data.update(changes)
    return data


def test_an_admin_edit_is_audited_with_who_and_reason(client, root):
    realization = Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None)
    url = reverse("admin:performance_realization_change", args=[realization.pk])
    response = client.post(url, form_of(realization, value="6,12".replace(",", "."), audit_reason="Koreksi BPS"))
    assert response.status_code == 302, response.content.decode()[:2000]
    realization.refresh_from_db()
    assert realization.value == Decimal("6.12")
    entry = AuditEntry.objects.get(channel="admin")
    assert (entry.user, entry.action, entry.reason) == (root, "update", "Koreksi BPS")
    assert entry.changes == {"value": ["7.33", "6.12"]}
    assert (entry.indicator_code, entry.year, entry.agency_code) == ("IKU1", 2025, "uji-disnaker")


def test_an_unchanged_admin_save_records_nothing(client, root):
    realization = Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None)
    url = reverse("admin:performance_realization_change", args=[realization.pk])
    assert client.post(url, form_of(realization)).status_code == 302
    assert not AuditEntry.objects.filter(channel="admin").exists()


def test_the_admin_cannot_change_a_target_of_an_approved_pk(client, root):
    approve_agreement(PerformanceAgreement.objects.get(year=2025, version="murni"))
    target = Target.objects.get(indicator__code="IKU1", document="pk")
    url = reverse("admin:performance_target_change", args=[target.pk])
    response = client.post(url, form_of(target, value="7.4"))
    assert response.status_code == 200
    assert "sudah disetujui" in response.content.decode()
    target.refresh_from_db()
    assert target.value == Decimal("7.5")
    assert not AuditEntry.objects.filter(channel="admin").exists()
    # Nor delete it: the admin offers no delete for it.
    assert client.get(reverse("admin:performance_target_delete", args=[target.pk])).status_code == 403


def test_an_admin_delete_records_everything_that_cascades(client, root):
    indicator = Indicator.objects.get(code="IKU1")
    targets = set(indicator.targets.values_list("pk", flat=True))
    realizations = set(indicator.realizations.values_list("pk", flat=True))
    url = reverse("admin:performance_indicator_delete", args=[indicator.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Indicator.objects.filter(pk=indicator.pk).exists()
    deleted = AuditEntry.objects.filter(channel="admin", action="delete")
    by_type = {}
    for entry in deleted:
        by_type.setdefault(entry.object_type, set()).add(entry.object_id)
    assert by_type["indicator"] == {indicator.pk}
    assert by_type["target"] == targets and by_type["realization"] == realizations
    tpt = deleted.get(object_type="realization", year=2025, quarter=None)
    assert tpt.changes["value"] == ["7.33", None] and tpt.indicator_code == "IKU1"


def test_an_admin_save_over_a_newer_change_is_refused(client, root):
    realization = Realization.objects.get(indicator__code="IKU1", year=2025, quarter=None)
    url = reverse("admin:performance_realization_change", args=[realization.pk])
    shown = client.get(url).content.decode()
    assert 'name="audit_revision" value="0"' in shown
    # Meanwhile an import changes the value (revision 0 → 1).
    from performance.services import realizations_upsert

    row = {"value": Decimal("7.1"), "status": "final", "numerator": None, "denominator": None, "note": "", "source": "BPS"}
    realizations_upsert(plan=realization.indicator.plan, rows={(realization.indicator_id, 2025, None): row},
                        ctx=AuditContext(channel="import"))
    response = client.post(url, form_of(realization, value="6.12", audit_revision="0"))
    assert response.status_code == 200
    assert "Data ini diubah oleh sistem pada" in response.content.decode()
    assert Realization.objects.get(pk=realization.pk).value == Decimal("7.1")
    saved = client.post(url, form_of(realization, value="6.12", audit_revision="1"))
    assert saved.status_code == 302 and Realization.objects.get(pk=realization.pk).value == Decimal("6.12")


def test_the_admin_cannot_change_an_approved_pk(client, root):
    agreement = approve_agreement(PerformanceAgreement.objects.get(year=2025, version="murni"))
    url = reverse("admin:performance_performanceagreement_change", args=[agreement.pk])
    data = form_of(agreement, first_name="Orang lain")
    data.update({"programs-TOTAL_FORMS": "0", "programs-INITIAL_FORMS": "0", "programs-MIN_NUM_FORMS": "0",
                 "programs-MAX_NUM_FORMS": "1000"})
    entries = AuditEntry.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200, response.status_code
    assert "sudah disetujui" in response.content.decode()
    agreement.refresh_from_db()
    assert agreement.first_name != "Orang lain" and AuditEntry.objects.count() == entries


def test_the_admin_inline_refuses_to_delete_a_target_of_an_approved_pk(client, root):
    agreement = approve_agreement(PerformanceAgreement.objects.get(year=2025, version="murni"))
    target = Target.objects.get(agreement=agreement, indicator__code="IKU1")
    indicator = target.indicator
    url = reverse("admin:performance_indicator_change", args=[indicator.pk])
    page = client.get(url)
    assert page.status_code == 200
    formset = next(f for f in page.context["inline_admin_formsets"] if f.formset.model is Target).formset
    data = form_of(indicator)
    data.update({f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
                 f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
                 f"{formset.prefix}-MIN_NUM_FORMS": "0", f"{formset.prefix}-MAX_NUM_FORMS": "1000"})
    for i, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            data[f"{formset.prefix}-{i}-{name}"] = "" if value is None else getattr(value, "pk", value)
        if form.instance.pk == target.pk:
            data[f"{formset.prefix}-{i}-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "sudah disetujui" in response.content.decode()
    assert Target.objects.filter(pk=target.pk).exists()
    # Nor can the indicator itself go, which would take the approved target with it.
    from performance.services import instance_violations

    assert instance_violations(instance=indicator, deleting=True)
