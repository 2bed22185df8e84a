from django.contrib import admin

from audit.admin import ServiceAdmin

from .models import LkjipDocument, ReportVariant


@admin.register(ReportVariant)
class ReportVariantAdmin(ServiceAdmin):
    list_display = ["__str__", "title", "five_chapters"]


@admin.register(LkjipDocument)
class LkjipDocumentAdmin(admin.ModelAdmin):
    """Generated versions are frozen: the admin shows them and never edits them."""

    list_display = ["agency", "year", "number", "status", "page_count", "requested_by", "requested_at"]
    list_filter = ["status", "year", "agency"]
    readonly_fields = [field.name for field in LkjipDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
