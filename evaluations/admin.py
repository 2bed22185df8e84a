from django.contrib import admin

from audit.admin import ServiceAdmin, ServiceInline

from .models import Evaluation, EvaluationBand, EvaluationComponent, EvaluationFramework, EvaluationScore


class ComponentInline(ServiceInline, admin.TabularInline):
    model = EvaluationComponent
    extra = 0
    fields = ["code", "name", "weight", "order"]


class BandInline(ServiceInline, admin.TabularInline):
    model = EvaluationBand
    extra = 0
    fields = ["label", "meaning", "lower", "lower_inclusive", "upper", "upper_inclusive", "order"]


@admin.register(EvaluationFramework)
class EvaluationFrameworkAdmin(ServiceAdmin):
    """Weights adding up to 100 and bands covering 0..100 are checked where scores are recorded
    (evaluations.services.evaluation_save), and the evaluation page names what is wrong. Once an
    evaluation is scored by the framework, its weights and bands are refused a change here too
    (evaluations.services.instance_violations)."""

    list_display = ["name", "government", "valid_from"]
    inlines = [ComponentInline, BandInline]


class ScoreInline(ServiceInline, admin.TabularInline):
    model = EvaluationScore
    extra = 0
    fields = ["component", "value"]


@admin.register(Evaluation)
class EvaluationAdmin(ServiceAdmin):
    list_display = ["agency", "evaluated_year", "evaluator", "printed_total", "printed_predikat"]
    list_filter = ["evaluated_year", "agency__government"]
    inlines = [ScoreInline]
