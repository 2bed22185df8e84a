from django.contrib import admin

from .models import BudgetItem, BudgetLine


class BudgetLineInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


@admin.register(BudgetItem)
class BudgetItemAdmin(admin.ModelAdmin):
    list_display = ["code", "kind", "name", "agency", "objective"]
    list_filter = ["kind", "agency"]
    search_fields = ["code", "name"]
    inlines = [BudgetLineInline]


@admin.register(BudgetLine)
class BudgetLineAdmin(admin.ModelAdmin):
    list_display = ["item", "year", "ceiling_original", "ceiling_amended", "funding_source"]
    list_filter = ["year", "item__agency"]
