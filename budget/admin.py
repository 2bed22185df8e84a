from django.contrib import admin

from audit.admin import ServiceAdmin, ServiceInline

from .models import BudgetItem, BudgetLine, SpendingByType


class BudgetLineInline(ServiceInline, admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(BudgetItem)
class BudgetItemAdmin(ServiceAdmin):
    list_display = ["code", "kind", "name", "agency", "objective"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(ServiceAdmin):
    list_display = ["item", "year", "ceiling_original", "ceiling_amended", "funding_source"]
    list_filter = ["year", "item__agency"]


@admin.register(SpendingByType)
class SpendingByTypeAdmin(ServiceAdmin):
    list_display = ["agency", "year", "kind", "ceiling_original", "ceiling_amended", "spent"]
    list_filter = ["year", "kind", "agency"]
    fields = ["agency", "year", "kind", "ceiling_original", "ceiling_amended", "spent", "order"]
