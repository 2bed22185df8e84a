from django.contrib import admin

from audit.admin import ServiceAdmin

from .gate import DEFAULT_BLOCKING, FINDINGS
from .models import LkjipDocument, ReportVariant


@admin.register(ReportVariant)
class ReportVariantAdmin(ServiceAdmin):
    list_display = ["__str__", "title", "five_chapters", "blocking_findings"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "blocking_findings":
            field.help_text = (
                f"{field.help_text} Kode yang dikenal: "
                + "; ".join(f"{code} ({label})" for code, label in FINDINGS.items())
                + ". Daftar bawaan: " + ", ".join(DEFAULT_BLOCKING) + "."
            )
        return field


@admin.register(LkjipDocument)
class LkjipDocumentAdmin(admin.ModelAdmin):
    """Generated versions are frozen: the admin shows them and never edits them."""

    list_display = ["agency", "year", "number", "final", "status", "signed_at", "page_count", "requested_by",
                    "requested_at"]
    list_filter = ["status", "final", "year", "agency"]
    readonly_fields = [field.name for field in LkjipDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
