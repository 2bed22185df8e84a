"""Evidence in the admin: read-only. Files arrive only through the upload page (evidence_attach);
a delete goes through evidence_remove (audit.admin.ServiceAdmin finds evidence.services'
instance_delete), so it is refused for a verified entry or a locked period and leaves an entry
in the trail (the scan of an approved PK version needs a reason, so it is deleted on the PK's page,
not here). The stored file is linked through the permission-checked download, never MEDIA_URL."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from audit.admin import ServiceAdmin

from .display import format_size
from .models import Evidence


@admin.register(Evidence)
class EvidenceAdmin(ServiceAdmin):
    list_display = ["original_name", "entry", "content_type", "size_shown", "uploaded_by_label", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256", "realization__indicator__code",
                     "realization__indicator__plan__agency__code", "agreement__agency__code"]
    list_select_related = ["realization__indicator__plan__agency", "agreement__agency"]
    date_hierarchy = "uploaded_at"
    fields = ["entry", "download", "original_name", "content_type", "size_shown", "sha256", "uploaded_by_label",
              "uploaded_at"]
    readonly_fields = fields

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    @admin.display(description="bukti dari")
    def entry(self, obj: Evidence) -> str:
        if obj.realization_id is None:
            return f"{obj.agreement.agency.code} · {obj.agreement}"
        r = obj.realization
        return f"{r.indicator.plan.agency.code} · {r}"

    @admin.display(description="ukuran")
    def size_shown(self, obj: Evidence) -> str:
        return format_size(obj.size)

    @admin.display(description="berkas")
    def download(self, obj: Evidence) -> str:
        if obj.realization_id is None:
            agreement = obj.agreement
            url = reverse("evidence:agreement_download",
                          args=[agreement.agency.code, agreement.year, agreement.number, obj.pk])
        else:
            url = reverse("evidence:download", args=[obj.pk])
        return format_html('<a href="{}">Unduh</a>', url)
