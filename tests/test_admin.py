"""The Django admin works for every model: list, add and change pages render."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from agencies.models import User
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
        assert client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 200
        obj = model.objects.first()
        if obj is not None:
            change = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
            assert client.get(change).status_code == 200, change


def test_agency_staff_cannot_use_the_admin(client):
    client.force_login(User.objects.create_user("staff", password="x"))
    assert client.get(reverse("admin:index")).status_code == 302
