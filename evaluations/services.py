"""Every write of evaluation records: frameworks, the LHE of one agency's LKjIP, its
recommendations and the agency's tindak lanjut.

The page, the admin and the demo loader call these (the API will too); none writes itself.
Each checks evaluations.rules, takes the agency's write lock and records the audit entries in
the same transaction. RuleViolation carries Indonesian messages keyed by field.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone
from django.utils.formats import date_format

from agencies.locks import agency_lock
from agencies.models import Agency, Government
from audit import services as audit
from audit.services import AuditContext
from performance.calculations import Band
from performance.models import Recommendation

from . import calculations as calc
from . import rules
from .models import Evaluation, EvaluationBand, EvaluationComponent, EvaluationFramework, EvaluationScore
from .rules import RuleViolation, Violation

HEADER_FIELDS = ("evaluator", "lhe_number", "lhe_date", "printed_total", "printed_predikat", "printed_source", "note")


# ---- reading what a write needs ----


def framework_for(*, government: Government | None, year: int) -> EvaluationFramework | None:
    """The framework in force for LKjIP `year`: the Pemda's own, else the national default."""
    found = (
        EvaluationFramework.objects.filter(valid_from__lte=year)
        .filter(Q(government=government) | Q(government__isnull=True) if government else Q(government__isnull=True))
        .order_by(F("government").asc(nulls_last=True), "-valid_from")
        .first()
    )
    return found


def framework_parts(framework: EvaluationFramework | None) -> tuple[list[calc.Component], list[Band]]:
    if framework is None:
        return [], []
    components = [calc.Component(c.code, c.name, c.weight) for c in framework.components.all()]
    return components, [b.as_band() for b in framework.bands.all()]


def framework_problems(framework: EvaluationFramework | None) -> list[Violation]:
    if framework is None:
        return []
    components, bands = framework_parts(framework)
    return rules.framework_violations(components=components, bands=bands)


# ---- frameworks ----


@dataclass(frozen=True)
class ComponentInput:
    code: str
    name: str
    weight: Decimal


@dataclass(frozen=True)
class BandInput:
    label: str
    meaning: str
    lower: Decimal
    upper: Decimal
    lower_inclusive: bool = False
    upper_inclusive: bool = True


@transaction.atomic
def framework_save(
    *, government: Government | None, name: str, valid_from: int, components: Sequence[ComponentInput],
    bands: Sequence[BandInput], ctx: AuditContext,
) -> EvaluationFramework:
    """Create or replace (same Pemda and year) a framework as a whole: its components and bands.
    Refused, nothing written, while an evaluation is scored by it and a weight or a band would
    change (rules.framework_change_violations): make a new framework with a later valid_from."""
    wanted_components = [calc.Component(c.code, c.name, c.weight) for c in components]
    wanted_bands = [Band(b.label, b.lower, b.lower_inclusive, b.upper, b.upper_inclusive) for b in bands]
    problems = rules.framework_violations(components=wanted_components, bands=wanted_bands)
    if problems:
        raise RuleViolation(problems)
    current = EvaluationFramework.objects.select_for_update(of=("self",)).filter(
        government_id=government.pk if government else None, valid_from=valid_from).first()
    if current is not None:
        stored_components, stored_bands = framework_parts(current)
        problems = rules.framework_change_violations(
            scored=EvaluationScore.objects.filter(component__framework=current).exists(),
            stored_components=stored_components, stored_bands=stored_bands,
            components=wanted_components, bands=wanted_bands,
        )
        if problems:
            raise RuleViolation(problems)
    framework, _ = audit.upsert_one(
        model=EvaluationFramework, lookup={"government_id": government.pk if government else None, "valid_from": valid_from},
        values={"name": name}, ctx=ctx,
    )
    stored = {c.code: c for c in framework.components.all()}
    wanted_codes = {c.code: c for c in components}
    audit.upsert(
        model=EvaluationComponent, existing=stored,
        wanted={c.code: {"framework_id": framework.pk, "code": c.code, "name": c.name, "weight": c.weight, "order": i}
                for i, c in enumerate(components)},
        fields=["name", "weight", "order"], ctx=ctx,
    )
    audit.objects_delete(objects=[c for code, c in stored.items() if code not in wanted_codes], ctx=ctx)
    stored_bands = {b.label: b for b in framework.bands.all()}
    audit.upsert(
        model=EvaluationBand, existing=stored_bands,
        wanted={b.label: {"framework_id": framework.pk, "label": b.label, "meaning": b.meaning, "lower": b.lower,
                          "upper": b.upper, "lower_inclusive": b.lower_inclusive, "upper_inclusive": b.upper_inclusive,
                          "order": i} for i, b in enumerate(bands)},
        fields=["meaning", "lower", "upper", "lower_inclusive", "upper_inclusive", "order"], ctx=ctx,
    )
    labels = {b.label for b in bands}
    audit.objects_delete(objects=[b for label, b in stored_bands.items() if label not in labels], ctx=ctx)
    return framework


# ---- the evaluation ----


def _stale(current: Any, revision: int | None, what: str) -> list[Violation]:
    if revision is None or current is None or revision == current.revision:
        return []
    last = audit.last_entries(type(current), [current.pk]).get(current.pk)
    who = last.user_label if last else "pengguna lain"
    when = date_format(timezone.localtime(last.at), "j F Y H:i") if last else ""
    return [Violation("revision", "revision", str(revision),
                      f"sementara Anda mengisi, {who} mengubah {what}{' pada ' + when if when else ''}; "
                      "muat ulang halaman dan ulangi perubahan Anda")]


@transaction.atomic
def evaluation_save(
    *,
    agency: Agency,
    evaluated_year: int,
    scores: Mapping[str, Decimal],
    ctx: AuditContext,
    evaluator: str = "",
    lhe_number: str = "",
    lhe_date: datetime.date | None = None,
    printed_total: Decimal | None = None,
    printed_predikat: str = "",
    printed_source: str = "",
    note: str = "",
    revision: int | None = None,
) -> Evaluation:
    """Record (create or change) the LHE of the agency's LKjIP `evaluated_year`: the header as
    the LHE states it and the component scores (code → value; empty: the source printed none).
    The total and the predikat are never stored: they are computed. The framework is the one
    the evaluation already has, else the one in force for the year. All or nothing."""
    agency_lock(agency.code)
    # Only the evaluation's row: its framework may be empty (an outer join PostgreSQL cannot lock).
    current = (Evaluation.objects.select_for_update(of=("self",)).select_related("framework")
               .filter(agency=agency, evaluated_year=evaluated_year).first())
    problems = _stale(current, revision, f"hasil evaluasi LKjIP {evaluated_year}")
    if problems:
        raise RuleViolation(problems)
    framework = current.framework if current and current.framework_id else framework_for(
        government=agency.government, year=evaluated_year)
    values = {"evaluator": evaluator.strip(), "lhe_number": lhe_number.strip(), "lhe_date": lhe_date,
              "printed_total": printed_total, "printed_predikat": printed_predikat.strip(),
              "printed_source": printed_source.strip(), "note": note.strip()}
    components, _ = framework_parts(framework)
    problems = rules.header_violations(evaluated_year=evaluated_year, values=values) + rules.score_violations(
        components=components, values=scores, framework_problems=framework_problems(framework) if scores else [])
    if problems:
        raise RuleViolation(problems)
    evaluation = current or Evaluation(agency=agency, evaluated_year=evaluated_year)
    evaluation.framework = framework
    for name, value in values.items():
        setattr(evaluation, name, value)
    header_diff = audit.instance_save(instance=evaluation, ctx=ctx)
    by_code = {c.code: c for c in framework.components.all()} if framework else {}
    stored = {s.component_id: s for s in EvaluationScore.objects.filter(evaluation=evaluation)}
    wanted = {by_code[code].pk: {"evaluation_id": evaluation.pk, "component_id": by_code[code].pk, "value": value}
              for code, value in scores.items()}
    result = audit.upsert(model=EvaluationScore, existing=stored, wanted=wanted, fields=["value"], ctx=ctx)
    removed = audit.objects_delete(objects=[s for pk, s in stored.items() if pk not in wanted], ctx=ctx)
    if (result.created or result.updated or removed) and not (current is None or header_diff):
        # A change of the scores alone moves the revision too: another open form is then stale.
        Evaluation.objects.filter(pk=evaluation.pk).update(revision=F("revision") + 1)
        evaluation.revision += 1
    return evaluation


# ---- recommendations and tindak lanjut ----


@transaction.atomic
def recommendation_add(*, agency: Agency, year: int, component: str, text: str, ctx: AuditContext) -> Recommendation:
    """The evaluator adds a recommendation to the LHE of `year` (= evaluated year + 1), last in order."""
    problems = rules.recommendation_violations(key="new", component=component, text=text)
    if problems:
        raise RuleViolation(problems)
    agency_lock(agency.code)
    last = Recommendation.objects.filter(agency=agency, year=year).aggregate(m=Max("order"))["m"]
    recommendation = Recommendation(agency=agency, year=year, component=component.strip(), text=text.strip(),
                                    order=0 if last is None else last + 1)
    audit.instance_save(instance=recommendation, ctx=ctx)
    return recommendation


@dataclass(frozen=True)
class FollowUpInput:
    follow_up: str
    status: str = ""
    revision: int | None = None  # the recommendation's revision as the form showed it


@transaction.atomic
def follow_ups_save(
    *, agency: Agency, year: int, rows: Mapping[int, FollowUpInput], ctx: AuditContext
) -> int:
    """The agency writes its tindak lanjut (and status) of the recommendations of `year`, keyed by
    recommendation id; all or nothing, a fixed number of queries whatever the count. Returns how
    many changed. A row with the stored values is no change, whatever its revision; a changed row
    whose revision is not the stored one (someone else saved meanwhile) refuses the save.
    RuleViolation keyed by the recommendation id."""
    agency_lock(agency.code)
    stored = {r.pk: r for r in Recommendation.objects.select_for_update().filter(agency=agency, year=year, pk__in=list(rows))}
    problems = [Violation(pk, "id", str(pk), "rekomendasi ini tidak ada (lagi); muat ulang halaman")
                for pk in rows if pk not in stored]
    for pk, row in rows.items():
        problems += rules.follow_up_violations(key=pk, follow_up=row.follow_up, status=row.status)
        current = stored.get(pk)
        unchanged = current is not None and (current.follow_up, current.status) == (row.follow_up.strip(), row.status.strip())
        if current is not None and not unchanged and row.revision is not None and row.revision != current.revision:
            problems += [Violation(pk, "revision", str(row.revision), v.message)
                         for v in _stale(current, row.revision, f"tindak lanjut rekomendasi {current.order + 1}")]
    if problems:
        raise RuleViolation(problems)
    wanted = {pk: {"follow_up": row.follow_up.strip(), "status": row.status.strip()} for pk, row in rows.items()}
    for pk, values in wanted.items():
        current = stored[pk]
        values.update(agency_id=current.agency_id, year=current.year, order=current.order,
                      component=current.component, text=current.text)
    result = audit.upsert(model=Recommendation, existing=stored, wanted=wanted, fields=["follow_up", "status"], ctx=ctx)
    return result.updated


# ---- one record at a time (the admin) ----


def _scored(framework_id: int | None) -> bool:
    return framework_id is not None and EvaluationScore.objects.filter(component__framework_id=framework_id).exists()


def _framework_part_violations(*, instance: Any, deleting: bool) -> list[Violation]:
    """A component or band of a framework an evaluation is scored by keeps its weight, or its
    label and range (rules.framework_change_violations); none is added, removed or moved."""
    stored = type(instance).objects.filter(pk=instance.pk).first() if instance.pk else None

    def parts(obj: Any) -> tuple[list[calc.Component], list[Band]]:
        if obj is None:
            return [], []
        if isinstance(obj, EvaluationComponent):
            return [calc.Component(obj.code, obj.name, obj.weight)], []
        return [], [obj.as_band()]

    after = None if deleting else instance
    if stored is not None and after is not None and stored.framework_id != after.framework_id:
        # Moved to another framework: it leaves one and enters the other.
        checks = [(stored.framework_id, stored, None), (after.framework_id, None, after)]
    else:
        checks = [(stored.framework_id if stored else instance.framework_id, stored, after)]
    found = []
    for framework_id, before, now in checks:
        if not _scored(framework_id):
            continue
        (old_components, old_bands), (new_components, new_bands) = parts(before), parts(now)
        found += rules.framework_change_violations(
            scored=True, stored_components=old_components, stored_bands=old_bands,
            components=new_components, bands=new_bands)
    return [Violation(instance.pk, v.field, v.value, v.message) for v in found]


def instance_violations(*, instance: Any, deleting: bool = False) -> list[Violation]:
    if isinstance(instance, (EvaluationComponent, EvaluationBand)) and instance.framework_id:
        found = _framework_part_violations(instance=instance, deleting=deleting)
        if found:
            return found
    if deleting:
        if isinstance(instance, (EvaluationComponent, EvaluationFramework)) and instance.pk:
            path = "component" if isinstance(instance, EvaluationComponent) else "component__framework"
            if EvaluationScore.objects.filter(**{path: instance}).exists():
                return [Violation(instance.pk, "scores", "", "sudah dipakai untuk menilai evaluasi; tidak dapat dihapus")]
        return []
    if isinstance(instance, Evaluation):
        values = {name: getattr(instance, name) for name in HEADER_FIELDS}
        return rules.header_violations(evaluated_year=instance.evaluated_year or 0, values=values)
    if isinstance(instance, EvaluationScore) and instance.component_id:
        component = EvaluationComponent.objects.get(pk=instance.component_id)
        evaluation = Evaluation.objects.filter(pk=instance.evaluation_id).first()
        if evaluation is not None and evaluation.framework_id != component.framework_id:
            return [Violation(instance.pk, "component", component.code,
                              "komponen ini bukan bagian dari kerangka evaluasi yang dipakai")]
        problems = calc.score_problems([calc.Component(component.code, component.name, component.weight)],
                                       {component.code: instance.value}) if instance.value is not None else {}
        return [Violation(instance.pk, "value", str(instance.value), m) for m in problems.values()]
    return []


@transaction.atomic(savepoint=False)
def instance_save(*, instance: Any, ctx: AuditContext) -> dict:
    violations = instance_violations(instance=instance)
    if violations:
        raise RuleViolation(violations)
    return audit.instance_save(instance=instance, ctx=ctx)


@transaction.atomic(savepoint=False)
def instance_delete(*, instance: Any, ctx: AuditContext) -> None:
    violations = instance_violations(instance=instance, deleting=True)
    if violations:
        raise RuleViolation(violations)
    audit.objects_delete(objects=[instance], ctx=ctx)
