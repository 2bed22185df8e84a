from django.contrib import admin

from .models import ApiRequest, ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Read-only: tokens are created and revoked by their owners (api.services), never here."""

    list_display = ("name", "user", "token_key", "created", "expiry", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username", "token_key")
    readonly_fields = ("name", "user", "token_key", "created", "expiry", "revoked_at")
    exclude = ("digest",)

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ApiRequest)
class ApiRequestAdmin(admin.ModelAdmin):
    list_display = ("at", "user_label", "token", "method", "path", "status", "duration_ms", "address")
    list_filter = ("status", "method")
    search_fields = ("user_label", "path")
    date_hierarchy = "at"

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        return [f.name for f in ApiRequest._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False
