from django.contrib import admin
from django.core.exceptions import ValidationError
from django_fsm import FSMField

from audit.admin import ServiceAdmin, ServiceInline, ServiceInlineFormSet

from .calculations import Band, validate_bands
from .models import (
    AgreementProgram,
    Benchmark,
    Indicator,
    Narrative,
    PerformanceAgreement,
    PlanNode,
    RatingBand,
    RatingScale,
    Realization,
    Recommendation,
    StrategicPlan,
    Target,
)
from .placeholders import PLACEHOLDERS


class PlanNodeInline(ServiceInline, admin.TabularInline):
    model = PlanNode
    extra = 0
    fields = ["code", "kind", "parent", "text", "order"]


@admin.register(StrategicPlan)
class StrategicPlanAdmin(ServiceAdmin):
    list_display = ["agency", "start_year", "end_year"]
    list_filter = ["agency"]
    inlines = [PlanNodeInline]


@admin.register(PlanNode)
class PlanNodeAdmin(ServiceAdmin):
    list_display = ["code", "kind", "text", "plan"]
    list_filter = ["kind", "plan__agency"]
    search_fields = ["code", "text"]


class TargetInline(ServiceInline, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ServiceAdmin):
    list_display = ["code", "name", "unit", "polarity", "aggregation", "plan"]
    list_filter = ["plan__agency", "polarity", "aggregation"]
    search_fields = ["code", "name"]
    inlines = [TargetInline]


class AgreementProgramInline(admin.TabularInline):
    model = AgreementProgram
    extra = 0
    fields = ["item", "amount", "reason", "order"]
    # Rows change through the PK page (performance.services.agreement_save); here they are read.
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PerformanceAgreement)
class PerformanceAgreementAdmin(ServiceAdmin):
    list_display = ["agency", "year", "number", "version", "status", "status_changed_at"]
    list_filter = ["status", "version", "agency"]
    # The status only moves through the approval services, never by editing the field; the
    # version number and what it amends are given when the version is started.
    readonly_fields = ["status", "status_changed_at", "status_changed_by", "number", "version", "amends",
                       "frozen_sha256"]
    inlines = [AgreementProgramInline]

    def get_readonly_fields(self, request, obj=None):
        # A version's agency and year are fixed once it exists: its rows carry them too.
        return [*self.readonly_fields, "agency", "year"] if obj is not None else self.readonly_fields

    formfield_overrides = {FSMField: {"disabled": True}}


@admin.register(Target)
class TargetAdmin(ServiceAdmin):
    list_display = ["indicator", "year", "document", "version", "value", "end_value"]
    list_filter = ["document", "version", "year", "indicator__plan__agency"]


@admin.register(Realization)
class RealizationAdmin(ServiceAdmin):
    list_display = ["indicator", "year", "quarter", "value", "status", "review"]
    list_filter = ["status", "review", "year", "quarter", "indicator__plan__agency"]
    # Verification moves only through the entry services (performance.services.entries_transition).
    readonly_fields = ["review", "review_note", "review_by_label", "review_at"]


class RatingBandFormSet(ServiceInlineFormSet):
    def clean(self) -> None:
        super().clean()
        bands = [
            Band(
                form.cleaned_data["label"],
                form.cleaned_data.get("lower"),
                form.cleaned_data.get("lower_inclusive", False),
                form.cleaned_data.get("upper"),
                form.cleaned_data.get("upper_inclusive", False),
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("label")
        ]
        problems = validate_bands(bands)
        if problems:
            raise ValidationError(problems)


class RatingBandInline(ServiceInline, admin.TabularInline):
    model = RatingBand
    formset = RatingBandFormSet
    extra = 0


@admin.register(RatingScale)
class RatingScaleAdmin(ServiceAdmin):
    list_display = ["name", "government", "agency", "valid_from", "objective_method", "objective_cap",
                    "objective_uncapped"]
    inlines = [RatingBandInline]


@admin.register(Benchmark)
class BenchmarkAdmin(ServiceAdmin):
    list_display = ["indicator", "year", "scope", "value", "note"]
    list_filter = ["scope", "year"]


@admin.register(Narrative)
class NarrativeAdmin(ServiceAdmin):
    list_display = ["agency", "year", "section", "indicator"]
    list_filter = ["section", "year", "agency"]

    def formfield_for_dbfield(self, db_field, request, **kwargs):  # noqa: ANN001, ANN201 - Django's signature
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text" and field is not None:
            # The placeholder list next to the field, as on the narrative page (values shown there).
            field.help_text = "Placeholder angka: " + "; ".join(
                f"{{{p.name}{':KODE' if p.per_indicator else ''}}} = {p.meaning}" for p in PLACEHOLDERS
            ) + ". Di narasi suatu indikator {capaian}, {target}, {realisasi}, {predikat} boleh tanpa kode."
        return field


@admin.register(Recommendation)
class RecommendationAdmin(ServiceAdmin):
    list_display = ["agency", "year", "component", "status"]
    list_filter = ["agency", "year"]
