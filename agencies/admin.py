from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from audit.admin import ServiceAdmin, ServiceFormsetMixin, ServiceInline

from .models import Agency, AgencyMembership, AgencyYear, Government, GovernmentRole, StaffCount, User


class MembershipInline(ServiceInline, admin.TabularInline):
    model = AgencyMembership
    extra = 0
    autocomplete_fields = ["agency"]


class GovernmentRoleInline(ServiceInline, admin.TabularInline):
    model = GovernmentRole
    extra = 0


@admin.register(User)
class UserAdmin(ServiceFormsetMixin, BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("LKjIP", {"fields": ("full_name", "nip")}))
    inlines = [MembershipInline, GovernmentRoleInline]
    list_display = ["username", "full_name", "email", "is_staff", "is_superuser"]


@admin.register(Government)
class GovernmentAdmin(ServiceAdmin):
    list_display = ["name", "kind", "province", "head_title", "head_name"]
    search_fields = ["name"]


class AgencyYearInline(ServiceInline, admin.StackedInline):
    model = AgencyYear
    extra = 0


@admin.register(Agency)
class AgencyAdmin(ServiceAdmin):
    list_display = ["name", "code", "government"]
    list_filter = ["government"]
    search_fields = ["name", "code", "short_name"]
    inlines = [AgencyYearInline]


@admin.register(AgencyMembership)
class AgencyMembershipAdmin(ServiceAdmin):
    list_display = ["user", "agency", "role"]
    list_filter = ["role", "agency"]
    autocomplete_fields = ["user", "agency"]


@admin.register(GovernmentRole)
class GovernmentRoleAdmin(ServiceAdmin):
    list_display = ["user", "government", "role", "head", "position"]
    list_filter = ["role", "government"]


@admin.register(StaffCount)
class StaffCountAdmin(ServiceAdmin):
    list_display = ["agency", "year", "dimension", "category", "status", "count"]
    list_filter = ["agency", "year", "dimension", "status"]
