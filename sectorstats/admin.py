from django.contrib import admin

from audit.admin import ServiceAdmin, ServiceInline

from .models import StatisticsCell, StatisticsColumn, StatisticsTable


class StatisticsColumnInline(ServiceInline, admin.TabularInline):
    model = StatisticsColumn
    extra = 0
    fields = ["position", "group", "label"]


class StatisticsCellInline(ServiceInline, admin.TabularInline):
    model = StatisticsCell
    extra = 0
    fields = ["row", "column", "text", "number"]


@admin.register(StatisticsTable)
class StatisticsTableAdmin(ServiceAdmin):
    list_display = ["title", "code", "agency", "year", "section", "indicator", "order"]
    list_filter = ["year", "section", "agency"]
    search_fields = ["title", "code"]
    # The contents' fingerprint is the services' to keep: the page and the workbook write it.
    readonly_fields = ["content_sha256"]
    inlines = [StatisticsColumnInline, StatisticsCellInline]
