"""Every write of performance records: Renstra, indicators, targets, PK, realisasi, benchmarks,
narratives, recommendations and rating scales.

The importer, the admin and (later) forms and the API call these; none writes itself. Each
service checks the rules (performance.rules), takes the agency's write lock, writes and
records the audit entries in one transaction. Bulk services take rows keyed by their natural
key and read what exists in one query per table.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from agencies.locks import agency_lock
from agencies.models import Agency
from audit import services as audit
from audit.services import AuditContext, UpsertResult

from . import rules
from .models import (
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

REALIZATION_FIELDS = ["value", "status", "numerator", "denominator", "note", "source"]
TARGET_FIELDS = ["agreement_id", "value", "q1", "q2", "q3", "q4", "end_value"]


@transaction.atomic(savepoint=False)
def plan_upsert(*, agency: Agency, start_year: int, end_year: int, vision: str, ctx: AuditContext) -> tuple[StrategicPlan, UpsertResult]:
    agency_lock(agency.code)
    return audit.upsert_one(
        model=StrategicPlan,
        lookup={"agency_id": agency.pk, "start_year": start_year, "end_year": end_year},
        values={"vision": vision},
        ctx=ctx,
    )


@transaction.atomic(savepoint=False)
def plan_nodes_upsert(
    *, plan: StrategicPlan, rows: dict[str, dict[str, Any]], parent_code: dict[str, str | None], ctx: AuditContext
) -> UpsertResult[PlanNode]:
    """rows: code → kind, text, order (plan and parent filled in here)."""
    agency_lock(plan.agency.code)
    existing = {node.code: node for node in PlanNode.objects.filter(plan=plan)}
    wanted = {code: {"plan_id": plan.pk, "code": code, **values} for code, values in rows.items()}
    return audit.tree_upsert(
        model=PlanNode, existing=existing, wanted=wanted, parent_code=parent_code,
        fields=["kind", "parent_id", "text", "order"], ctx=ctx,
    )


@transaction.atomic(savepoint=False)
def indicators_upsert(*, plan: StrategicPlan, rows: dict[str, dict[str, Any]], ctx: AuditContext) -> UpsertResult[Indicator]:
    agency_lock(plan.agency.code)
    existing = {ind.code: ind for ind in Indicator.objects.filter(plan=plan)}
    wanted = {code: {"plan_id": plan.pk, "code": code, **values} for code, values in rows.items()}
    fields = [name for name in next(iter(rows.values()), {})]
    return audit.upsert(model=Indicator, existing=existing, wanted=wanted, fields=fields, ctx=ctx)


@transaction.atomic(savepoint=False)
def agreements_ensure(
    *, agency: Agency, keys: Iterable[tuple[int, str]], ctx: AuditContext
) -> tuple[dict[tuple[int, str], PerformanceAgreement], int]:
    """The PK of each (year, version), created as a draft where missing; a perubahan amends
    that year's murni. Returns (key → agreement, how many were created)."""
    agency_lock(agency.code)
    keys = set(keys)
    existing = {(a.year, a.version): a for a in PerformanceAgreement.objects.filter(agency=agency)}
    result = dict(existing)
    created = 0
    for version in ("murni", "perubahan"):
        wanted = {}
        for year, v in sorted(keys):
            if v != version or (year, v) in result:
                continue
            amends = result.get((year, "murni")) if version == "perubahan" else None
            wanted[(year, v)] = {
                "agency_id": agency.pk, "year": year, "version": v, "amends_id": amends.pk if amends else None,
            }
        part = audit.upsert(model=PerformanceAgreement, existing={}, wanted=wanted, fields=[], ctx=ctx)
        result.update(part.objects)
        created += part.created
    return result, created


@transaction.atomic(savepoint=False)
def agreement_transition(*, agreement: PerformanceAgreement, transition: str, ctx: AuditContext) -> PerformanceAgreement:
    """Move a PK through its states (submit, send_back, approve) with the reason in the trail."""
    if transition not in ("submit", "send_back", "approve"):
        raise ValueError(f"unknown transition {transition!r}")
    agency_lock(agreement.agency.code)
    agreement = PerformanceAgreement.objects.select_for_update().get(pk=agreement.pk)
    old = agreement.status
    getattr(agreement, transition)(by=ctx.user if ctx.user_id else None, note=ctx.reason)
    agreement.save()
    audit.transition_log(instance=agreement, ctx=ctx, field_name="status", old=old, new=agreement.status)
    return agreement


@transaction.atomic(savepoint=False)
def targets_upsert(
    *,
    plan: StrategicPlan,
    rows: dict[tuple[int, int, str, str], dict[str, Any]],
    agreements: Iterable[PerformanceAgreement],
    ctx: AuditContext,
) -> UpsertResult[Target]:
    """rows: (indicator_id, year, document, version) → TARGET_FIELDS. Raises RuleViolation
    (keys as given) when a target of an approved PK would change or be added."""
    agency_lock(plan.agency.code)
    existing = {(t.indicator_id, t.year, t.document, t.version): t for t in Target.objects.filter(indicator__plan=plan)}
    wanted = {
        key: {"indicator_id": key[0], "year": key[1], "document": key[2], "version": key[3], **values}
        for key, values in rows.items()
    }
    violations = rules.target_violations(
        existing=existing, wanted=wanted, agreements={a.pk: a for a in agreements}
    )
    if violations:
        raise rules.RuleViolation(violations)
    return audit.upsert(model=Target, existing=existing, wanted=wanted, fields=TARGET_FIELDS, ctx=ctx)


@transaction.atomic(savepoint=False)
def realizations_upsert(
    *, plan: StrategicPlan, rows: dict[tuple[int, int, int | None], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[Realization]:
    """rows: (indicator_id, year, quarter or None) → REALIZATION_FIELDS."""
    agency_lock(plan.agency.code)
    existing = {
        (r.indicator_id, r.year, r.quarter): r for r in Realization.objects.filter(indicator__plan=plan)
    }
    wanted = {
        key: {"indicator_id": key[0], "year": key[1], "quarter": key[2], **values} for key, values in rows.items()
    }
    return audit.upsert(model=Realization, existing=existing, wanted=wanted, fields=REALIZATION_FIELDS, ctx=ctx)


@transaction.atomic(savepoint=False)
def benchmarks_upsert(
    *, plan: StrategicPlan, rows: dict[tuple[int, int, str], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[Benchmark]:
    agency_lock(plan.agency.code)
    existing = {(b.indicator_id, b.year, b.scope): b for b in Benchmark.objects.filter(indicator__plan=plan)}
    wanted = {
        key: {"indicator_id": key[0], "year": key[1], "scope": key[2], **values} for key, values in rows.items()
    }
    return audit.upsert(model=Benchmark, existing=existing, wanted=wanted, fields=["value", "source", "note"], ctx=ctx)


@transaction.atomic(savepoint=False)
def narratives_upsert(
    *, agency: Agency, year: int, rows: dict[tuple[str, int | None], str], ctx: AuditContext
) -> UpsertResult[Narrative]:
    """rows: (section, indicator_id or None) → text."""
    agency_lock(agency.code)
    existing = {(n.section, n.indicator_id): n for n in Narrative.objects.filter(agency=agency, year=year)}
    wanted = {
        (section, indicator_id): {
            "agency_id": agency.pk, "year": year, "section": section, "indicator_id": indicator_id, "text": text,
        }
        for (section, indicator_id), text in rows.items()
    }
    return audit.upsert(model=Narrative, existing=existing, wanted=wanted, fields=["text"], ctx=ctx)


@transaction.atomic(savepoint=False)
def recommendations_replace(
    *, agency: Agency, rows: dict[tuple[int, int], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[Recommendation]:
    """rows: (year, order) → component, text, follow_up, status. The years named are replaced
    whole: a recommendation no longer listed for its year is deleted."""
    agency_lock(agency.code)
    years = {year for year, _ in rows}
    existing = {(r.year, r.order): r for r in Recommendation.objects.filter(agency=agency, year__in=years)}
    wanted = {
        (year, order): {"agency_id": agency.pk, "year": year, "order": order, **values}
        for (year, order), values in rows.items()
    }
    result = audit.upsert(
        model=Recommendation, existing=existing, wanted=wanted, fields=["component", "text", "follow_up", "status"],
        ctx=ctx,
    )
    stale = [r for key, r in existing.items() if key not in wanted]
    result.deleted = audit.objects_delete(objects=stale, ctx=ctx)
    return result


@transaction.atomic(savepoint=False)
def scale_replace(
    *, agency: Agency, year: int, bands: list[dict[str, Any]], ctx: AuditContext
) -> str:
    """The agency's rating scale from `year` on: unchanged if the scale in force already has
    these bands, else the bands of that year's scale are replaced (a new scale when the one in
    force starts earlier). bands: label, lower, lower_inclusive, upper, upper_inclusive, order.
    Returns "unchanged", "updated" or "created"."""
    violations = rules.scale_violations(
        bands=[RatingBand(**band).as_band() for band in bands]
    )
    if violations:
        raise rules.RuleViolation(violations)
    agency_lock(agency.code)
    keys = ("label", "lower", "lower_inclusive", "upper", "upper_inclusive", "order")
    wanted = [tuple(band[k] for k in keys) for band in bands]
    in_force = RatingScale.objects.filter(agency=agency, valid_from__lte=year).order_by("-valid_from").first()
    if in_force is not None:
        current = [tuple(getattr(b, k) for k in keys) for b in in_force.bands.order_by("order")]
        if current == wanted:
            return "unchanged"
    if in_force is not None and in_force.valid_from == year:
        scale, outcome = in_force, "updated"
        audit.objects_delete(objects=list(scale.bands.all()), ctx=ctx)
    else:
        scale, _ = audit.upsert_one(
            model=RatingScale,
            lookup={"agency_id": agency.pk, "valid_from": year},
            values={"name": f"Skala {agency.short_name or agency.name}"},
            ctx=ctx,
        )
        outcome = "created"
    audit.upsert(
        model=RatingBand,
        existing={},
        wanted={band["order"]: {"scale_id": scale.pk, **band} for band in bands},
        fields=[],
        ctx=ctx,
    )
    return outcome


# ---- one record at a time (the admin) ----


def instance_violations(*, instance: Any, deleting: bool = False) -> list[rules.Violation]:
    """What stops this single change; the admin shows it on the form before saving."""
    if isinstance(instance, Target):
        stored = Target.objects.select_related("agreement").filter(pk=instance.pk).first() if instance.pk else None
        return rules.target_instance_violations(target=instance, stored=stored, deleting=deleting)
    if isinstance(instance, PerformanceAgreement) and deleting and instance.is_locked:
        return [rules.Violation(instance.pk, "status", instance.status, rules.approved_agreement_message(instance))]
    return []


@transaction.atomic(savepoint=False)
def instance_save(*, instance: Any, ctx: AuditContext) -> dict:
    violations = instance_violations(instance=instance)
    if violations:
        raise rules.RuleViolation(violations)
    return audit.instance_save(instance=instance, ctx=ctx)


@transaction.atomic(savepoint=False)
def instance_delete(*, instance: Any, ctx: AuditContext) -> None:
    violations = instance_violations(instance=instance, deleting=True)
    if violations:
        raise rules.RuleViolation(violations)
    audit.objects_delete(objects=[instance], ctx=ctx)
