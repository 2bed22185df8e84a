"""The Django admin works for every model: list, add and change pages render."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from agencies.models import Government, User
from performance.models import RatingScale
from workbook.services import workbook_import

pytestmark = pytest.mark.django_db
BEKASI = Path(__file__).resolve().parents[1] / "demo" / "workbooks" / "bekasi-disnaker.xlsx"


def test_every_registered_model_has_working_admin_pages(client):
    assert workbook_import(source=BEKASI).ok
    client.force_login(User.objects.create_superuser("root", password="x"))
    for model in admin.site._registry:
        meta = model._meta
        changelist = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, changelist
        add = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
        # Generated documents are frozen: their admin refuses to add or edit.
        assert add.status_code == (200 if admin.site._registry[model].has_add_permission(add.wsgi_request) else 403)
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_agency_staff_cannot_use_the_admin(client):
    client.force_login(User.objects.create_user("staff", password="x"))
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_scale_with_a_gap_cannot_be_saved_in_the_admin(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    form = {
        "name": "Skala bercelah",
        "valid_from": "2025",
        "objective_method": "rata-rata",
        "agency": "",
        "government": "",
        "bands-TOTAL_FORMS": "2",
        "bands-INITIAL_FORMS": "0",
        "bands-0-label": "Rendah",
        "bands-0-upper": "50",
        "bands-0-upper_inclusive": "on",
        "bands-0-order": "0",
        "bands-1-label": "Tinggi",
        "bands-1-lower": "51",
        "bands-1-lower_inclusive": "on",
        "bands-1-order": "1",
    }
    form["government"] = str(Government.objects.create(name="Pemerintah Kota Uji", kind="kota").pk)
    response = client.post(reverse("admin:performance_ratingscale_add"), form)
    assert response.status_code == 200
    assert "Ada celah antara" in response.content.decode()
    assert not RatingScale.objects.exists()
    form["bands-1-lower"] = "50"
    form.pop("bands-1-lower_inclusive")
    response = client.post(reverse("admin:performance_ratingscale_add"), form)
    assert response.status_code == 302
    assert RatingScale.objects.get().bands.count() == 2
