"""The admin shows evidence read-only and deletes only through evidence_remove."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from agencies.models import User
from audit.models import AuditEntry
from audit.services import AuditContext
from evidence.models import Evidence
from evidence.services import evidence_attach
from tests import factories
from tests.evidence import files
from tests.evidence.helpers import quarter_entry, upload, verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("root", password="x"))
    return client


@pytest.fixture
def entry():
    return quarter_entry(factories.agency("uji-bukti"))


@pytest.fixture
def evidence(entry):
    return evidence_attach(realization=entry, upload=upload(files.pdf(), "SK.pdf"), ctx=AuditContext())


def test_pages_are_read_only_and_link_the_checked_download(admin_client, evidence):
    assert admin_client.get(reverse("admin:evidence_evidence_add")).status_code == 403
    page = admin_client.get(reverse("admin:evidence_evidence_change", args=[evidence.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f'href="{reverse("evidence:download", args=[evidence.pk])}"' in html
    assert "/media/" not in html
    assert admin_client.post(reverse("admin:evidence_evidence_change", args=[evidence.pk]),
                             {"original_name": "lain.pdf"}).status_code == 403
    evidence.refresh_from_db()
    assert evidence.original_name == "SK.pdf"
    assert "SK.pdf" in admin_client.get(reverse("admin:evidence_evidence_changelist")).content.decode()


def test_delete_goes_through_the_service(admin_client, evidence, django_capture_on_commit_callbacks):
    path = Path(evidence.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(reverse("admin:evidence_evidence_delete", args=[evidence.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Evidence.objects.exists() and not path.exists()
    log = AuditEntry.objects.get(object_type="evidence", action="delete")
    assert (log.channel, log.user_label, log.changes["sha256"][0]) == ("admin", "root", evidence.sha256)


def test_a_verified_entrys_evidence_cannot_be_deleted(admin_client, entry, evidence):
    verified(entry)
    url = reverse("admin:evidence_evidence_delete", args=[evidence.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    bulk = admin_client.post(reverse("admin:evidence_evidence_changelist"),
                             {"action": "delete_selected", "_selected_action": [evidence.pk], "post": "yes"})
    assert bulk.status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()
