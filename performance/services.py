"""Every write of performance records: Renstra, indicators, targets, PK, realisasi, benchmarks,
narratives, recommendations and rating scales.

The importer, the admin and (later) forms and the API call these; none writes itself. Each
service checks the rules (performance.rules), takes the agency's write lock, writes and
records the audit entries in one transaction. Bulk services take rows keyed by their natural
key and read what exists in one query per table.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django_fsm import can_proceed

from agencies.locks import agency_lock
from agencies.models import Agency
from audit import services as audit
from audit.models import AuditEntry
from audit.services import AuditContext, UpsertResult
from lkjip.numbers import format_id
from periods.locks import agency_periods, agency_years_periods

from . import measurement, rules
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
    """The PK a workbook's (year, version) means, created as a draft where missing: `murni` is
    version 0, `perubahan` the latest amendment (version 1 when there is none yet, amending
    that year's murni). Returns (key → agreement, how many were created)."""
    agency_lock(agency.code)
    keys = set(keys)
    result: dict[tuple[int, str], PerformanceAgreement] = {}
    for agreement in PerformanceAgreement.objects.filter(agency=agency).order_by("year", "number"):
        result[(agreement.year, agreement.version)] = agreement  # the highest number wins
    created = 0
    for version in ("murni", "perubahan"):
        wanted = {}
        for year, v in sorted(keys):
            if v != version or (year, v) in result:
                continue
            amends = result.get((year, "murni")) if version == "perubahan" else None
            wanted[(year, v)] = {
                "agency_id": agency.pk, "year": year, "version": v, "number": 0 if v == "murni" else 1,
                "amends_id": amends.pk if amends else None,
            }
        part = audit.upsert(model=PerformanceAgreement, existing={}, wanted=wanted, fields=[], ctx=ctx)
        result.update(part.objects)
        created += part.created
    return result, created


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
    agreements = list(agreements)
    # A PK's earlier versions keep their own targets; the rows address the versions given.
    stored = Target.objects.filter(indicator__plan=plan).filter(
        Q(agreement__isnull=True) | Q(agreement__in=[a.pk for a in agreements])
    )
    existing = {(t.indicator_id, t.year, t.document, t.version): t for t in stored}
    wanted = {
        key: {"indicator_id": key[0], "year": key[1], "document": key[2], "version": key[3], **values}
        for key, values in rows.items()
    }
    violations = rules.target_violations(
        existing=existing, wanted=wanted, agreements={a.pk: a for a in agreements}
    )
    if violations:
        raise rules.RuleViolation(violations)
    touched = {values["agreement_id"] for key, values in wanted.items() if values.get("agreement_id") and (
        key not in existing or any(getattr(existing[key], f) != values[f] for f in TARGET_FIELDS if f in values))}
    result = audit.upsert(model=Target, existing=existing, wanted=wanted, fields=TARGET_FIELDS, ctx=ctx)
    if touched:
        # An open PK form is stale once the import changed the version's rows.
        PerformanceAgreement.objects.filter(pk__in=touched).update(revision=F("revision") + 1)
    return result


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def realizations_upsert(
    *, plan: StrategicPlan, rows: dict[tuple[int, int, int | None], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[Realization]:
    """rows: (indicator_id, year, quarter or None) → REALIZATION_FIELDS. Raises RuleViolation
    (keys as given) for a change in a locked period or of a verified entry."""
    agency_lock(plan.agency.code)
    existing = {
        (r.indicator_id, r.year, r.quarter): r for r in Realization.objects.filter(indicator__plan=plan)
    }
    wanted = {
        key: {"indicator_id": key[0], "year": key[1], "quarter": key[2], **values} for key, values in rows.items()
    }
    violations = rules.realization_lock_violations(
        existing=existing, wanted=wanted, states=agency_years_periods(agency=plan.agency, years={k[1] for k in wanted})
    )
    if violations:
        raise rules.RuleViolation(violations)
    return audit.upsert(model=Realization, existing=existing, wanted=wanted, fields=REALIZATION_FIELDS, ctx=ctx)


# ---- the quarterly entry (forms and, later, the API) ----


@dataclass(frozen=True)
class EntryInput:
    """One indicator's realisasi for the quarter as a form (or the API) gives it, parsed."""

    indicator_id: int
    status: str
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    source: str = ""
    explanations: Mapping[str, str] = field(default_factory=dict)  # Narrative section → text
    revision: int | None = None  # the entry's revision the form was made from; None: it saw none

    @property
    def blank(self) -> bool:
        return (
            self.value is None and self.numerator is None and self.denominator is None
            and self.status != Realization.Status.NOT_AVAILABLE and not self.note and not self.source
            and not any(text.strip() for text in self.explanations.values())
        )


@dataclass
class EntriesSaved:
    saved: list[int] = field(default_factory=list)  # indicator ids whose entry changed
    unchanged: int = 0
    entries: int = 0  # audit entries written


def conflict_message(*, current: Realization, last: AuditEntry | None) -> str:
    shown = "belum tersedia" if current.value is None else format_id(current.value)
    who = last.user_label if last else "pengguna lain"
    when = date_format(timezone.localtime(last.at), "j F Y H:i") if last else ""
    return (
        f"sementara Anda mengisi, {who} mengubah realisasi ini menjadi {shown}"
        f"{' pada ' + when if when else ''}. Periksa nilainya; simpan lagi untuk menggantinya dengan isian Anda"
    )


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def entries_save(
    *, agency: Agency, year: int, quarter: int, entries: Iterable[EntryInput], ctx: AuditContext
) -> EntriesSaved:
    """Save a quarter's entries as drafts (new ones start as draft; returned ones stay returned).

    All or nothing: any violation (a lock, an entry past draft/returned, a value that does not
    add up, someone else's newer save) raises RuleViolation keyed by indicator id and writes
    nothing. A blank input for an indicator without an entry is skipped.
    """
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    agency_lock(agency.code)
    plan = measurement.plan_for(agency, year)
    if plan is None:
        raise rules.RuleViolation([rules.Violation(None, "", "", f"belum ada Renstra yang mencakup tahun {year}")])
    entries = [e for e in entries]
    indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan, pk__in=[e.indicator_id for e in entries])}
    plan_codes = (frozenset(Indicator.objects.filter(plan=plan).values_list("code", flat=True))
                  if any(e.explanations for e in entries) else frozenset())
    stored = {
        r.indicator_id: r
        for r in Realization.objects.filter(indicator__plan=plan, year=year, quarter=quarter, indicator_id__in=indicators)
    }
    narratives, yearly = {}, {}
    for n in Narrative.objects.filter(agency=agency, year=year, indicator_id__in=indicators).filter(
        Q(quarter=quarter) | Q(quarter__isnull=True)
    ):
        (narratives if n.quarter else yearly)[(n.indicator_id, n.section)] = n
    violations: list[rules.Violation] = []
    wanted: dict[int, dict[str, Any]] = {}
    wanted_text: dict[tuple[int, str], dict[str, Any]] = {}
    stale_text: list[Narrative] = []
    conflicts: list[int] = []
    for entry in entries:
        indicator = indicators.get(entry.indicator_id)
        if indicator is None:
            violations.append(rules.Violation(entry.indicator_id, "", "", "indikator tidak termasuk Renstra tahun ini"))
            continue
        current = stored.get(indicator.pk)
        if current is None and entry.blank:
            continue
        values = {
            "indicator_id": indicator.pk, "year": year, "quarter": quarter, "status": entry.status,
            "value": entry.value, "numerator": entry.numerator, "denominator": entry.denominator,
            "note": entry.note.strip(), "source": entry.source.strip(),
        }
        if values["value"] is None and entry.numerator is not None and entry.denominator:
            values["value"] = rules.computed_value(
                numerator=entry.numerator, denominator=entry.denominator, unit=indicator.unit
            )
        text_changes = []
        for section, text in entry.explanations.items():
            note = narratives.get((indicator.pk, section))
            text = text.strip()
            year_text = yearly.get((indicator.pk, section))
            if note is None and year_text is not None and text == year_text.text:
                continue  # the form showed the year's text and it was left as it is
            if note is None and text:
                wanted_text[(indicator.pk, section)] = {
                    "agency_id": agency.pk, "year": year, "quarter": quarter, "section": section,
                    "indicator_id": indicator.pk, "text": text,
                }
                text_changes.append(section)
            elif note is not None and note.text != text:
                if text:
                    wanted_text[(indicator.pk, section)] = {**{"text": text}}
                else:
                    stale_text.append(note)
                text_changes.append(section)
        for section in text_changes:
            # Only a changed text: one imported with an unknown placeholder does not block the entry.
            violations += narrative_placeholder_violations(
                key=indicator.pk, text=entry.explanations[section], codes=plan_codes, indicator=indicator.code,
                where=f"{section} {indicator.code} TW {quarter}", field=section)
        value_change = rules.realization_changes(current, values)
        if not value_change and not text_changes:
            continue
        violations += rules.entry_value_violations(key=indicator.pk, values=values, unit=indicator.unit)
        if current is not None and entry.revision != current.revision:
            conflicts.append(indicator.pk)
        wanted[indicator.pk] = values
    lock = agency_periods(agency=agency, year=year)[quarter].lock
    if lock is not None and wanted:
        raise rules.RuleViolation([rules.Violation(i, "period", "", lock.message) for i in wanted])
    for indicator_id in wanted:
        # An explanation is part of the entry: it changes only while the entry does.
        current = stored.get(indicator_id)
        if current is not None and not current.editable_state:
            message = (
                rules.verified_message(current) if current.review == Realization.Review.VERIFIED
                else rules.submitted_message(current)
            )
            violations.append(rules.Violation(indicator_id, "review", current.review, message))
    if conflicts:
        last = audit.last_entries(Realization, [stored[i].pk for i in conflicts])
        violations += [
            rules.Violation(i, "conflict", "", conflict_message(current=stored[i], last=last.get(stored[i].pk)))
            for i in conflicts
        ]
    if violations:
        raise rules.RuleViolation(violations)
    result = EntriesSaved()
    changed_values = {k: v for k, v in wanted.items() if rules.realization_changes(stored.get(k), v)}
    # An explanation is part of its entry: its change moves the entry's revision too, so a save
    # from an older page conflicts instead of overwriting the text.
    text_only = [stored[k] for k in wanted if k in stored and k not in changed_values]
    for entry in text_only:
        entry.revision += 1
    Realization.objects.bulk_update(text_only, ["revision"])
    upsert = audit.upsert(
        model=Realization, existing={k: stored[k] for k in changed_values if k in stored}, wanted=changed_values,
        fields=REALIZATION_FIELDS, ctx=ctx,
    )
    existing_text = {key: narratives[key] for key in wanted_text if key in narratives}
    text_rows = {
        key: {**(_narrative_values(existing_text[key]) if key in existing_text else {}), **values}
        for key, values in wanted_text.items()
    }
    text_upsert = audit.upsert(model=Narrative, existing=existing_text, wanted=text_rows, fields=["text"], ctx=ctx)
    deleted = audit.objects_delete(objects=stale_text, ctx=ctx)
    result.saved = sorted(wanted)
    result.unchanged = len([e for e in entries if e.indicator_id in indicators]) - len(wanted)
    result.entries = upsert.entries + text_upsert.entries + deleted
    return result


def _narrative_values(note: Narrative) -> dict[str, Any]:
    return {
        "agency_id": note.agency_id, "year": note.year, "quarter": note.quarter, "section": note.section,
        "indicator_id": note.indicator_id, "text": note.text,
    }


TRANSITIONS = {
    # name: (who may, reason required)
    "submit": False,
    "withdraw": False,
    "verify": False,
    "send_back": True,
    "reopen": True,
}


# A savepoint: callers catch the RuleViolation and carry on in their own transaction.
@transaction.atomic
def entries_transition(
    *,
    agency: Agency,
    year: int,
    quarter: int,
    transition: str,
    indicator_ids: Iterable[int] | None,
    ctx: AuditContext,
    revisions: Mapping[int, int] | None = None,
) -> list[Realization]:
    """Move the quarter's entries through verification: submit, withdraw, verify, send_back
    (return) or reopen. `indicator_ids` None: every entry the transition applies to.

    Raises RuleViolation (keyed by indicator id) when the period is locked, a reason is missing
    for a return or reopening, an entry is not in a state the transition leaves from, or (on
    submit) an entry is incomplete: no value and not "belum tersedia", or below target without
    the sebab/penghambat/upaya explanation. Writes nothing then.
    """
    if transition not in TRANSITIONS:
        raise ValueError(f"unknown transition {transition!r}")
    if quarter not in (1, 2, 3, 4):
        raise ValueError("quarter must be 1-4")
    agency_lock(agency.code)
    if TRANSITIONS[transition] and not ctx.reason.strip():
        raise rules.RuleViolation([rules.Violation(None, "reason", "", "alasan wajib diisi")])
    state = agency_periods(agency=agency, year=year)[quarter]
    if state.lock is not None:
        raise rules.RuleViolation([rules.Violation(None, "period", "", state.lock.message)])
    entries = Realization.objects.select_for_update().filter(
        indicator__plan__agency=agency, year=year, quarter=quarter
    ).select_related("indicator")
    chosen = None if indicator_ids is None else set(indicator_ids)
    if chosen is not None:
        entries = entries.filter(indicator_id__in=chosen)
    entries = list(entries)
    method = getattr(Realization, transition)
    violations = []
    if chosen is not None:
        found = {e.indicator_id for e in entries}
        violations += [rules.Violation(i, "", "", "indikator ini belum memiliki realisasi untuk triwulan ini") for i in chosen - found]
        violations += [
            rules.Violation(e.indicator_id, "review", e.review, f"tidak dapat {TRANSITION_LABEL[transition]} realisasi yang berstatus {e.get_review_display().lower()}")
            for e in entries if not can_proceed(getattr(e, transition))
        ]
    else:
        entries = [e for e in entries if can_proceed(getattr(e, transition))]
    if revisions is not None:
        # The page's view of each entry: verifying what was not seen is refused, as a save is.
        moved = [e for e in entries if revisions.get(e.indicator_id) != e.revision]
        last = audit.last_entries(Realization, [e.pk for e in moved]) if moved else {}
        violations += [
            rules.Violation(e.indicator_id, "conflict", "", conflict_message(current=e, last=last.get(e.pk)).split(". ")[0]
                            + ". Muat ulang halaman dan periksa nilainya")
            for e in moved
        ]
    if transition == "submit":
        sheet = measurement.measure(agency=agency, year=year)
        explanations = explanations_for(agency=agency, year=year, quarter=quarter)
        for entry in entries:
            violations += rules.submit_violations(
                entry=entry, figures=_figures_of(sheet, entry.indicator_id), quarter=quarter,
                explanations=explanations.get(entry.indicator_id, {}),
            )
    if violations:
        raise rules.RuleViolation(violations)
    by = ctx.user_label if ctx.user_id is None else (ctx.user.get_full_name() or ctx.user_label)
    changes = []
    for entry in entries:
        old = entry.review
        method(entry, by=by, note=ctx.reason.strip())
        changes.append((AuditEntry.Action.TRANSITION, entry, {"review": [old, entry.review]}))
    Realization.objects.bulk_update(entries, ["review", "review_note", "review_by_label", "review_at"])
    # One write for all the entries (and their scopes read once), not a query per entry.
    audit.entries_write(ctx=ctx, changes=changes)
    return entries


TRANSITION_LABEL = {
    "submit": "mengajukan", "withdraw": "menarik kembali", "verify": "memverifikasi",
    "send_back": "mengembalikan", "reopen": "membuka kembali",
}


def explanations_for(*, agency: Agency, year: int, quarter: int) -> dict[int, dict[str, str]]:
    """indicator id → section → text explaining the quarter: the quarter's own, else the
    year's (what BAB III prints when the quarter has none)."""
    out: dict[int, dict[str, str]] = {}
    notes = Narrative.objects.filter(agency=agency, year=year, indicator__isnull=False).filter(
        Q(quarter=quarter) | Q(quarter__isnull=True)
    ).order_by(F("quarter").asc(nulls_first=True))
    for note in notes:
        out.setdefault(note.indicator_id, {})[note.section] = note.text
    return out


def _figures_of(sheet: measurement.Measurement, indicator_id: int) -> measurement.IndicatorFigures | None:
    return next((f for f in sheet.indicators if f.indicator.pk == indicator_id), None)


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
    existing = {
        (n.section, n.indicator_id): n for n in Narrative.objects.filter(agency=agency, year=year, quarter__isnull=True)
    }
    wanted = {
        (section, indicator_id): {
            "agency_id": agency.pk, "year": year, "section": section, "indicator_id": indicator_id, "text": text,
        }
        for (section, indicator_id), text in rows.items()
    }
    return audit.upsert(model=Narrative, existing=existing, wanted=wanted, fields=["text"], ctx=ctx)


def lhe_years(*, agency_ids: set[int], years: set[int]) -> set[tuple[int, int]]:
    """(agency id, year) of the recommendation years whose LHE is recorded: an
    evaluations.Evaluation of that agency with evaluated_year = year - 1."""
    from evaluations.models import Evaluation  # evaluations builds on performance, not the reverse

    if not agency_ids or not years:
        return set()
    return {(agency_id, evaluated + 1) for agency_id, evaluated in Evaluation.objects.filter(
        agency_id__in=agency_ids, evaluated_year__in=[year - 1 for year in years]).values_list("agency_id", "evaluated_year")}


@transaction.atomic(savepoint=False)
def recommendations_replace(
    *, agency: Agency, rows: dict[tuple[int, int], dict[str, Any]], ctx: AuditContext
) -> UpsertResult[Recommendation]:
    """rows: (year, order) → component, text, follow_up, status, order being the position in the
    source. The years named are replaced whole: a recommendation no longer listed for its year
    is deleted. Except in a year whose LHE is recorded (evaluations.Evaluation of year - 1): its
    recommendations are the evaluator's, so the rows must name exactly those (component and text;
    rules.lhe_recommendations_match) and only their follow_up and status are written.
    RuleViolation keyed by the row's (year, order); nothing is written then."""
    agency_lock(agency.code)
    years = {year for year, _ in rows}
    protected = {year for _, year in lhe_years(agency_ids={agency.pk}, years=years)}
    stored = list(Recommendation.objects.filter(agency=agency, year__in=years).order_by("year", "order"))
    existing = {(r.year, r.order): r for r in stored if r.year not in protected}
    wanted = {
        (year, order): {"agency_id": agency.pk, "year": year, "order": order, **values}
        for (year, order), values in rows.items() if year not in protected
    }
    violations = []
    for year in sorted(protected):
        matched, found = rules.lhe_recommendations_match(
            year=year, stored=[r for r in stored if r.year == year],
            rows={key: values for key, values in rows.items() if key[0] == year},
        )
        violations += found
        for key, recommendation in matched.items():
            existing[key] = recommendation
            wanted[key] = {"agency_id": agency.pk, "year": year, "order": recommendation.order,
                           "component": recommendation.component, "text": recommendation.text,
                           "follow_up": rows[key]["follow_up"], "status": rows[key]["status"]}
    if violations:
        raise rules.RuleViolation(violations)
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
    if isinstance(instance, PerformanceAgreement):
        # An approved version is immutable in the admin too, and a submitted one is under review.
        stored = PerformanceAgreement.objects.filter(pk=instance.pk).first() if instance.pk else None
        if stored is not None and not stored.editable:
            return [rules.Violation(instance.pk, "status", stored.status, rules.closed_agreement_message(stored))]
        if deleting:
            return []
        # The header keeps the form's rules (an SK for a Plt./Plh., an amendment's cause and date).
        return rules.agreement_header_violations(agreement=instance, header=_stored_header(instance))
    if deleting and isinstance(instance, (StrategicPlan, PlanNode, Indicator)):
        # Deleting these cascades to targets: not to those of a submitted or approved PK.
        path = {StrategicPlan: "indicator__plan", PlanNode: "indicator__owner_node", Indicator: "indicator"}[type(instance)]
        closed = Target.objects.filter(**{path: instance}, agreement__isnull=False).exclude(
            agreement__status__in=[PerformanceAgreement.Status.DRAFT, PerformanceAgreement.Status.RETURNED]
        ).select_related("agreement").first()
        if closed is not None:
            return [rules.Violation(instance.pk, "target", str(closed.value), rules.closed_agreement_message(closed.agreement))]
        return []
    from .models import AgreementProgram

    if isinstance(instance, AgreementProgram):
        stored = AgreementProgram.objects.select_related("agreement").filter(pk=instance.pk).first() if instance.pk else None
        for agreement in {instance.agreement if instance.agreement_id else None, stored.agreement if stored else None} - {None}:
            if not agreement.editable:
                return [rules.Violation(instance.pk, "amount", str(instance.amount), rules.closed_agreement_message(agreement))]
        return []
    if isinstance(instance, Realization):
        return _realization_instance_violations(instance=instance, deleting=deleting)
    if isinstance(instance, Narrative) and not deleting and instance.agency_id and instance.year:
        # The admin refuses a placeholder the document could not resolve, as the narrative page does.
        plan = measurement.plan_for(instance.agency, instance.year)
        codes = frozenset(Indicator.objects.filter(plan=plan).values_list("code", flat=True)) if plan else frozenset()
        code = instance.indicator.code if instance.indicator_id else None
        where = " ".join(p for p in (instance.section.replace("_", " "), code or "") if p)
        return narrative_placeholder_violations(key=instance.pk, text=instance.text, codes=codes, indicator=code,
                                                where=where)
    if isinstance(instance, Recommendation):
        stored = Recommendation.objects.filter(pk=instance.pk).first() if instance.pk else None
        if instance.agency_id is None or instance.year is None:
            return []  # the form reports the missing fields itself
        pairs = {(instance.agency_id, instance.year)} | ({(stored.agency_id, stored.year)} if stored else set())
        protected = lhe_years(agency_ids={a for a, _ in pairs}, years={y for _, y in pairs}) & pairs
        return rules.lhe_recommendation_instance_violations(
            recommendation=instance, stored=stored, lhe_years=sorted(protected), deleting=deleting)
    return []


def _realization_instance_violations(*, instance: Realization, deleting: bool) -> list[rules.Violation]:
    """A locked period (deadline, quarter lock) is read-only in the admin too: no change, no
    deletion, no moving an entry into or out of it."""
    stored = Realization.objects.select_related("indicator__plan__agency").filter(pk=instance.pk).first() if instance.pk else None
    if instance.indicator_id is None or instance.year is None:
        return []  # the form reports the missing fields itself
    agency = Indicator.objects.select_related("plan__agency").get(pk=instance.indicator_id).plan.agency
    periods = {(instance.year, instance.quarter)} | ({(stored.year, stored.quarter)} if stored else set())
    states = agency_years_periods(agency=agency, years={year for year, _ in periods})
    if deleting:
        lock = states[(stored.year, stored.quarter)].lock if stored else None
        return [rules.Violation(instance.pk, "realisasi", str(stored.value), lock.message)] if lock else []
    if stored is not None and (stored.year, stored.quarter) != (instance.year, instance.quarter):
        # Moved to another period: neither the one it leaves nor the one it enters may be locked.
        locks = [states[period].lock for period in sorted(periods, key=lambda p: (p[0], p[1] or 5))]
        found = [rules.Violation(instance.pk, "realisasi", str(instance.value), lock.message) for lock in locks if lock]
        if not found and stored.review == Realization.Review.VERIFIED:
            found = [rules.Violation(instance.pk, "realisasi", str(instance.value), rules.verified_message(stored))]
        return found[:1]
    values = {name: getattr(instance, name) for name in REALIZATION_FIELDS}
    violations = rules.realization_lock_violations(
        existing={0: stored} if stored else {}, wanted={0: {**values, "year": instance.year, "quarter": instance.quarter}},
        states=states,
    )
    return violations


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


# ---- Perjanjian Kinerja: drafting, amendments, approval ----

AGREEMENT_HEADER_FIELDS = [
    "first_name", "first_nip", "first_position", "first_capacity", "first_decree_number", "first_decree_date",
    "second_name", "second_nip", "second_position", "second_capacity", "signed_place", "signed_on",
    "cause", "cause_note", "effective_from",
]


@dataclass(frozen=True)
class AgreementRowInput:
    """One indicator's row in a PK: the year's target, the Rencana Aksi per quarter (target to
    date by the indicator's rule) and why it differs from the Renstra, if it does."""

    value: Decimal
    quarters: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None] = (None, None, None, None)
    reason: str = ""


@dataclass(frozen=True)
class AgreementProgramInput:
    amount: Decimal
    reason: str = ""


def _agreement_for_update(agreement: PerformanceAgreement) -> PerformanceAgreement:
    agency_lock(agreement.agency.code)
    return PerformanceAgreement.objects.select_for_update().select_related("agency", "agency__government").get(
        pk=agreement.pk
    )


def _agreement_rows(agreement: PerformanceAgreement) -> tuple[dict[int, Target], dict[int, Any]]:
    from .models import AgreementProgram

    targets = {t.indicator_id: t for t in Target.objects.filter(agreement=agreement)}
    programs = {p.item_id: p for p in AgreementProgram.objects.filter(agreement=agreement)}
    return targets, programs


def _write_agreement_rows(
    *, agreement: PerformanceAgreement, rows: Mapping[int, AgreementRowInput],
    programs: Mapping[int, AgreementProgramInput], ctx: AuditContext,
) -> None:
    from .models import AgreementProgram

    stored_targets, stored_programs = _agreement_rows(agreement)
    wanted_targets = {
        indicator_id: {
            "indicator_id": indicator_id, "year": agreement.year, "document": Target.Document.PK,
            "version": agreement.version, "agreement_id": agreement.pk, "value": row.value,
            "q1": row.quarters[0], "q2": row.quarters[1], "q3": row.quarters[2], "q4": row.quarters[3],
            "end_value": None, "reason": row.reason.strip(),
        }
        for indicator_id, row in rows.items()
    }
    audit.upsert(model=Target, existing=stored_targets, wanted=wanted_targets,
                 fields=["value", "q1", "q2", "q3", "q4", "reason"], ctx=ctx)
    audit.objects_delete(objects=[t for i, t in stored_targets.items() if i not in rows], ctx=ctx)
    # A program keeps its place (the signed PK's order); a new one goes last.
    next_order = max((p.order for p in stored_programs.values()), default=-1) + 1
    orders = {}
    for item_id in programs:
        if item_id in stored_programs:
            orders[item_id] = stored_programs[item_id].order
        else:
            orders[item_id], next_order = next_order, next_order + 1
    wanted_programs = {
        item_id: {"agreement_id": agreement.pk, "item_id": item_id, "amount": program.amount,
                  "reason": program.reason.strip(), "order": orders[item_id]}
        for item_id, program in programs.items()
    }
    audit.upsert(model=AgreementProgram, existing=stored_programs, wanted=wanted_programs,
                 fields=["amount", "reason", "order"], ctx=ctx)
    audit.objects_delete(objects=[p for i, p in stored_programs.items() if i not in programs], ctx=ctx)


def _stored_header(agreement: PerformanceAgreement) -> dict[str, Any]:
    return {name: getattr(agreement, name) for name in AGREEMENT_HEADER_FIELDS}


def _header_values(header: Mapping[str, Any]) -> dict[str, Any]:
    values = {}
    for name in AGREEMENT_HEADER_FIELDS:
        if name in header:
            value = header[name]
            values[name] = value.strip() if isinstance(value, str) else value
    return values


@transaction.atomic
def agreement_start(*, agency: Agency, year: int, ctx: AuditContext) -> PerformanceAgreement:
    """The year's PK murni as a draft, from the Renstra in force: every tujuan/sasaran indicator
    with a Renstra target for the year, that target; every program with a pagu that year, its
    pagu in force; the signatories from the agency's profile and the Pemda."""
    from . import agreements as pk

    agency_lock(agency.code)
    if PerformanceAgreement.objects.filter(agency=agency, year=year).exists():
        raise rules.RuleViolation([rules.Violation(year, "tahun", str(year),
                                                   f"PK tahun {year} sudah ada; buka dan lanjutkan yang ada")])
    plan = measurement.plan_for(agency, year)
    if plan is None:
        raise rules.RuleViolation([rules.Violation(year, "tahun", str(year),
                                                   f"belum ada Renstra yang mencakup tahun {year}")])
    indicators = Indicator.objects.filter(plan=plan, owner_node__isnull=False).order_by("order", "pk")
    renstra = pk.renstra_targets(indicator_ids=[i.pk for i in indicators], year=year)
    rows = {i.pk: AgreementRowInput(value=renstra[i.pk]) for i in indicators if i.pk in renstra}
    if not rows:
        raise rules.RuleViolation([rules.Violation(year, "tahun", str(year),
                                                   f"Renstra {plan.start_year}–{plan.end_year} tidak memuat target tahun {year}")])
    programs = {
        item_id: AgreementProgramInput(amount=ceiling)
        for item_id, ceiling in pk.program_ceilings(agency=agency, year=year).items() if ceiling > 0
    }
    agreement = PerformanceAgreement(agency=agency, year=year, number=0, version="murni",
                                     **pk.head_defaults(agency=agency, year=year))
    audit.instance_save(instance=agreement, ctx=ctx)
    _write_agreement_rows(agreement=agreement, rows=rows, programs=programs, ctx=ctx)
    return agreement


@transaction.atomic
def amendment_start(
    *, agreement: PerformanceAgreement, cause: str, cause_note: str, effective_from: Any, ctx: AuditContext
) -> PerformanceAgreement:
    """A new numbered version (PK perubahan) of the year's latest approved PK, as a draft with
    the same rows, budget and signatories, for the planner to change and submit."""
    agency_lock(agreement.agency.code)
    latest = PerformanceAgreement.objects.filter(agency=agreement.agency, year=agreement.year).order_by("-number").first()
    problems = []
    if latest is None or not latest.is_locked:
        problems.append(rules.Violation(agreement.pk, "status", latest.status if latest else "",
                                        f"PK {latest.version_label} belum disetujui: perubahan dibuat dari PK yang "
                                        "sudah disetujui" if latest else "belum ada PK"))
    if cause not in PerformanceAgreement.Cause.values:
        problems.append(rules.Violation(agreement.pk, "cause", cause or "", "pilih sebab perubahan"))
    if not (cause_note or "").strip():
        problems.append(rules.Violation(agreement.pk, "cause_note", "", "uraikan sebab perubahan"))
    problems += rules.effective_date_violations(key=agreement.pk, year=agreement.year, effective_from=effective_from,
                                                previous=latest)
    if problems:
        raise rules.RuleViolation(problems)
    stored_targets, stored_programs = _agreement_rows(latest)
    amendment = PerformanceAgreement(
        agency=latest.agency, year=latest.year, number=latest.number + 1, version="perubahan", amends=latest,
        **{name: getattr(latest, name) for name in AGREEMENT_HEADER_FIELDS if name not in ("cause", "cause_note", "effective_from")},
        cause=cause, cause_note=cause_note.strip(), effective_from=effective_from,
    )
    audit.instance_save(instance=amendment, ctx=ctx)
    rows = {i: AgreementRowInput(t.value, tuple(t.quarters), t.reason) for i, t in stored_targets.items()}
    programs = {i: AgreementProgramInput(p.amount, p.reason) for i, p in
                sorted(stored_programs.items(), key=lambda kv: kv[1].order)}
    _write_agreement_rows(agreement=amendment, rows=rows, programs=programs, ctx=ctx)
    return amendment


def _agreement_stale(agreement: PerformanceAgreement, revision: int | None) -> list[rules.Violation]:
    if revision is None or revision == agreement.revision:
        return []
    last = audit.last_entries(PerformanceAgreement, [agreement.pk]).get(agreement.pk)
    who = last.user_label if last else "pengguna lain"
    when = date_format(timezone.localtime(last.at), "j F Y H:i") if last else ""
    return [rules.Violation(agreement.pk, "revision", str(revision),
                            f"sementara Anda mengisi, {who} mengubah PK ini{' pada ' + when if when else ''}; "
                            "muat ulang halaman dan ulangi perubahan Anda")]


@transaction.atomic
def agreement_save(
    *,
    agreement: PerformanceAgreement,
    header: Mapping[str, Any],
    rows: Mapping[int, AgreementRowInput],
    programs: Mapping[int, AgreementProgramInput],
    revision: int | None,
    ctx: AuditContext,
) -> list[str]:
    """Save a draft or returned PK version: header (signatories, amendment cause), the rows and
    the program budget. All or nothing; RuleViolation keyed ("row", indicator id), ("program",
    item id) or the field name. Returns the warnings (Rencana Aksi that does not add up)."""
    from . import agreements as pk

    agreement = _agreement_for_update(agreement)
    problems = rules.agreement_editable_violations(agreement) or _agreement_stale(agreement, revision)
    if problems:
        raise rules.RuleViolation(problems)
    plan = measurement.plan_for(agreement.agency, agreement.year)
    indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan, pk__in=list(rows))} if plan else {}
    items = {
        i.pk: i for i in agreement.agency.budget_items.filter(pk__in=list(programs), kind="program")
    }
    values = {**_stored_header(agreement), **_header_values(header)}
    problems = rules.agreement_content_violations(
        agreement=agreement, header=values, rows=rows, programs=programs, indicators=indicators, items=items,
        renstra=pk.renstra_targets(indicator_ids=list(indicators), year=agreement.year),
        ceilings=pk.program_ceilings(agency=agreement.agency, year=agreement.year),
    )
    if problems:
        raise rules.RuleViolation(problems)
    for name, value in values.items():
        setattr(agreement, name, value)
    audit.instance_save(instance=agreement, ctx=ctx)
    _write_agreement_rows(agreement=agreement, rows=rows, programs=programs, ctx=ctx)
    # Row changes move the version's revision too: another open form of it is then stale.
    PerformanceAgreement.objects.filter(pk=agreement.pk).update(revision=F("revision") + 1)
    return [
        f"{indicators[i].code}: {warning}"
        for i, row in rows.items()
        if (warning := pk.quarter_targets_warning(value=row.value, quarters=row.quarters,
                                                  aggregation=indicators[i].aggregation))
    ]


AGREEMENT_TRANSITIONS = ("submit", "withdraw", "send_back", "approve")


@transaction.atomic
def agreement_transition(
    *, agreement: PerformanceAgreement, transition: str, ctx: AuditContext, revision: int | None = None
) -> PerformanceAgreement:
    """Move a PK version through its states with the reason in the trail: submit (complete
    rows, reasons and signatories), withdraw, send_back (reason required), approve (the
    earlier versions approved; the contents are frozen). RuleViolation when not allowed."""
    from . import agreements as pk

    if transition not in AGREEMENT_TRANSITIONS:
        raise ValueError(f"unknown transition {transition!r}")
    agreement = _agreement_for_update(agreement)
    if not can_proceed(getattr(agreement, transition)):
        raise rules.RuleViolation([rules.Violation(agreement.pk, "status", agreement.status,
                                                   rules.agreement_state_message(agreement, transition))])
    problems = _agreement_stale(agreement, revision)
    if transition in ("submit", "approve"):
        # Approval checks again what submission checked: the Renstra or the pagu may have moved
        # since, and the frozen contents must carry every reason.
        earlier = PerformanceAgreement.objects.filter(
            agency_id=agreement.agency_id, year=agreement.year, number__lt=agreement.number
        ).exclude(status=PerformanceAgreement.Status.APPROVED).order_by("number").first()
        problems += rules.agreement_order_violations(agreement=agreement, unapproved_earlier=earlier)
        problems += rules.agreement_submit_violations(agreement=agreement, contents=pk.contents(agreement))
        problems += rules.agreement_header_violations(agreement=agreement, header=_stored_header(agreement))
    if transition == "send_back" and not ctx.reason.strip():
        problems.append(rules.Violation(agreement.pk, "reason", "", "tuliskan alasan pengembalian"))
    if transition in ("approve", "send_back") and ctx.user_id and agreement.status_changed_by_id == ctx.user_id:
        problems.append(rules.Violation(agreement.pk, "status", agreement.status,
                                        "yang mengajukan PK tidak dapat menyetujui atau mengembalikannya sendiri"))
    if problems:
        raise rules.RuleViolation(problems)
    old = agreement.status
    by = ctx.user if ctx.user_id else None
    if transition == "approve":
        frozen = pk.contents(agreement)
        agreement.approve(by=by, note=ctx.reason, frozen=frozen, digest=pk.contents_hash(frozen))
    else:
        getattr(agreement, transition)(by=by, note=ctx.reason)
    agreement.revision += 1
    agreement.save()
    audit.transition_log(instance=agreement, ctx=ctx, field_name="status", old=old, new=agreement.status)
    return agreement


# ---- Perjanjian Kinerja from a workbook: header, program budget and reasons in bulk ----
# The importer's path (sheets PK, PK_Anggaran and PK_Alasan). A version that is submitted or
# approved refuses every change, with the message the form gives; the same values again are no
# change, so re-importing an exported workbook writes nothing.

AGREEMENT_TEXT_FIELDS = [
    "first_name", "first_nip", "first_position", "first_decree_number", "second_name", "second_nip",
    "second_position", "signed_place", "cause", "cause_note",
]


def agreement_header_values(header: Mapping[str, Any]) -> dict[str, Any]:
    """Every header field of a PK version from the given ones: blank text is "", a blank date
    None, a blank capacity definitif (the form's defaults)."""
    values: dict[str, Any] = {}
    for name in AGREEMENT_HEADER_FIELDS:
        value = header.get(name)
        if name in ("first_capacity", "second_capacity"):
            value = value or PerformanceAgreement.Capacity.DEFINITIVE
        elif name in AGREEMENT_TEXT_FIELDS:
            value = (value or "").strip() if isinstance(value, str) or value is None else value
        values[name] = value
    return values


def _locked_change(agreement: PerformanceAgreement, key: Any, field_name: str, value: Any) -> rules.Violation:
    """The refusal of a change to a submitted or approved version, keyed for the caller's row."""
    message = rules.agreement_editable_violations(agreement)[0].message
    return rules.Violation(key, field_name, "" if value is None else str(value), message)


def _agreements_of(agency: Agency, ids: Iterable[int]) -> dict[int, PerformanceAgreement]:
    ids = set(ids)
    found = {
        a.pk: a for a in PerformanceAgreement.objects.filter(agency=agency, pk__in=ids).select_related("amends")
    }
    missing = ids - set(found)
    if missing:
        raise ValueError(f"agreements {sorted(missing)} are not {agency.code}'s")
    for agreement in found.values():
        agreement.agency = agency  # known: the audit scopes need no query
    return found


@transaction.atomic
def agreement_headers_upsert(
    *, agency: Agency, headers: Mapping[int, Mapping[str, Any]], ctx: AuditContext
) -> UpsertResult[PerformanceAgreement]:
    """Set the header (signatories, signing place and date, amendment cause and effective date)
    of existing PK versions of the agency: agreement id → AGREEMENT_HEADER_FIELDS (missing ones
    blank). RuleViolation keyed by agreement id, `field` the header field: a change to a
    submitted or approved version, or a header the PK rules refuse (an acting first party
    without the SK, an amendment without cause or effective date, a murni with one)."""
    agency_lock(agency.code)
    existing = _agreements_of(agency, headers)
    wanted = {pk: agreement_header_values(header) for pk, header in headers.items()}
    problems: list[rules.Violation] = []
    for pk, values in wanted.items():
        agreement = existing[pk]
        changed = [name for name in AGREEMENT_HEADER_FIELDS if getattr(agreement, name) != values[name]]
        if not changed:
            continue
        if not agreement.editable:
            problems.append(_locked_change(agreement, pk, changed[0], values[changed[0]]))
            continue
        for side, allowed in (("first", ("definitif", "plt", "plh")), ("second", PerformanceAgreement.Capacity.values)):
            if values[f"{side}_capacity"] not in allowed:
                problems.append(rules.Violation(pk, f"{side}_capacity", str(values[f"{side}_capacity"]),
                                                f"salah satu dari: {', '.join(allowed)}"))
        for problem in rules.agreement_header_violations(agreement=agreement, header=values):
            problems.append(rules.Violation(pk, problem.field, problem.value, problem.message))
    if problems:
        raise rules.RuleViolation(problems)
    return audit.upsert(model=PerformanceAgreement, existing=existing, wanted=wanted,
                        fields=AGREEMENT_HEADER_FIELDS, ctx=ctx)


@transaction.atomic
def agreement_programs_replace(
    *, agency: Agency, programs: Mapping[int, Mapping[int, AgreementProgramInput]], ctx: AuditContext
) -> UpsertResult:
    """Each named PK version's program budget becomes exactly the given programs, in order:
    agreement id → (program item id → amount, reason). RuleViolation keyed (agreement id, item id)
    (item id None for a program taken out): an item that is not one of the agency's programs, a
    negative amount, or a change to a submitted or approved version. The version's revision moves
    when its programs change, so a form opened before is stale."""
    from .models import AgreementProgram

    agency_lock(agency.code)
    agreements = _agreements_of(agency, programs)
    item_ids = {item_id for rows in programs.values() for item_id in rows}
    items = {i.pk: i for i in agency.budget_items.filter(pk__in=item_ids, kind="program")}
    stored = {
        (p.agreement_id, p.item_id): p
        for p in AgreementProgram.objects.filter(agreement_id__in=list(agreements)).select_related("item")
    }
    problems: list[rules.Violation] = []
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    stale: list[Any] = []
    changed: set[int] = set()
    locked_unchanged = 0
    for agreement_id, rows in programs.items():
        agreement = agreements[agreement_id]
        mine = {item_id: p for (a, item_id), p in stored.items() if a == agreement_id}
        for order, (item_id, program) in enumerate(rows.items()):
            key = (agreement_id, item_id)
            if item_id not in items:
                problems.append(rules.Violation(key, "item", str(item_id), "program tidak ada di data anggaran"))
                continue
            if program.amount is None or program.amount < 0:
                problems.append(rules.Violation(key, "amount", str(program.amount or ""),
                                                "anggaran wajib diisi, tidak boleh negatif"))
                continue
            reason = program.reason.strip()
            current = mine.get(item_id)
            differs = current is None or current.amount != program.amount or current.reason != reason
            if differs and not agreement.editable:
                problems.append(_locked_change(agreement, key, "amount" if current is None or
                                               current.amount != program.amount else "reason", program.amount))
                continue
            if agreement.editable:
                wanted[key] = {"agreement_id": agreement_id, "item_id": item_id, "amount": program.amount,
                               "reason": reason, "order": order}
            else:
                locked_unchanged += 1  # what was signed, given again (its order is not part of it)
            if differs:
                changed.add(agreement_id)
        for item_id, current in mine.items():
            if item_id in rows:
                continue
            if not agreement.editable:
                problems.append(_locked_change(agreement, (agreement_id, None), "item", current.item.code))
                continue
            stale.append(current)
            changed.add(agreement_id)
    if problems:
        raise rules.RuleViolation(problems)
    ctx.remember(agreements.values())
    result = audit.upsert(model=AgreementProgram, existing={k: stored[k] for k in wanted if k in stored},
                          wanted=wanted, fields=["amount", "reason", "order"], ctx=ctx)
    result.deleted = audit.objects_delete(objects=stale, ctx=ctx)
    result.unchanged += locked_unchanged
    if changed:
        PerformanceAgreement.objects.filter(pk__in=changed).update(revision=F("revision") + 1)
    return result


@transaction.atomic
def agreement_reasons_set(
    *, agency: Agency, reasons: Mapping[tuple[int, int], str], ctx: AuditContext
) -> UpsertResult[Target]:
    """Why each PK target differs from the Renstra: (agreement id, indicator id) → the reason
    ("" for none). Counts a reason given where there was none as created, one taken away as
    deleted. RuleViolation keyed (agreement id, indicator id): no such target in that version, or
    a change to a submitted or approved version."""
    agency_lock(agency.code)
    agreements = _agreements_of(agency, {agreement_id for agreement_id, _ in reasons})
    stored = {
        (t.agreement_id, t.indicator_id): t
        for t in Target.objects.filter(
            agreement_id__in=list(agreements), indicator_id__in={i for _, i in reasons}
        ).select_related("indicator")
    }
    problems: list[rules.Violation] = []
    wanted: dict[tuple[int, int], dict[str, Any]] = {}
    counts = {"created": 0, "deleted": 0}
    for key, reason in reasons.items():
        reason = (reason or "").strip()
        target = stored.get(key)
        if target is None:
            problems.append(rules.Violation(key, "reason", reason, "tidak ada target indikator ini dalam PK tersebut"))
            continue
        if target.reason == reason:
            continue
        agreement = agreements[key[0]]
        if not agreement.editable:
            problems.append(_locked_change(agreement, key, "reason", reason))
            continue
        wanted[key] = {"reason": reason}
        if not target.reason:
            counts["created"] += 1
        elif not reason:
            counts["deleted"] += 1
    if problems:
        raise rules.RuleViolation(problems)
    ctx.remember(agreements.values())
    result = audit.upsert(model=Target, existing={k: stored[k] for k in wanted}, wanted=wanted, fields=["reason"],
                          ctx=ctx)
    result.created, result.deleted = counts["created"], counts["deleted"]
    result.updated -= counts["created"] + counts["deleted"]
    result.unchanged = len(reasons) - len(wanted)
    if wanted:
        PerformanceAgreement.objects.filter(pk__in={k[0] for k in wanted}).update(revision=F("revision") + 1)
    return result


@transaction.atomic
def agreement_discard(*, agreement: PerformanceAgreement, ctx: AuditContext) -> None:
    """Throw away a draft or returned version (a PK started by mistake, an amendment given up):
    with its rows, each deletion in the trail with the reason. Not a submitted or approved one,
    not one with a signed scan, and only the latest version of the year."""
    agreement = _agreement_for_update(agreement)
    problems = rules.agreement_editable_violations(agreement)
    if not ctx.reason.strip():
        problems.append(rules.Violation(agreement.pk, "reason", "", "tuliskan alasan membuang versi ini"))
    if PerformanceAgreement.objects.filter(agency_id=agreement.agency_id, year=agreement.year,
                                           number__gt=agreement.number).exists():
        problems.append(rules.Violation(agreement.pk, "number", str(agreement.number),
                                        "hanya versi terakhir yang dapat dibuang"))
    if agreement.scans.exists():
        problems.append(rules.Violation(agreement.pk, "scans", "", "hapus dulu pindaian yang diunggah untuk versi ini"))
    if problems:
        raise rules.RuleViolation(problems)
    audit.objects_delete(objects=[agreement], ctx=ctx)


# ---- the year's narratives (the narrative page) ----

# The sections an indicator's yearly narrative has; report-level narratives may use any section.
INDICATOR_SECTIONS = (
    Narrative.Section.ANALYSIS, Narrative.Section.SUPPORTING, Narrative.Section.HINDERING,
    Narrative.Section.EFFORTS, Narrative.Section.EFFICIENCY,
)


@dataclass(frozen=True)
class NarrativeInput:
    """One yearly narrative as the page gives it: the new text and the text the page showed."""

    section: str
    indicator_id: int | None
    text: str
    seen: str  # text_digest() of the stored text the form was made from (of "" when there was none)


def text_digest(text: str) -> str:
    """What a form carries instead of the whole text it showed: equal texts, equal digests."""
    import hashlib

    return hashlib.sha256(text.replace("\r\n", "\n").strip().encode("utf-8")).hexdigest()


def narrative_placeholder_violations(
    *, key: Any, text: str, codes: frozenset[str] | set[str], indicator: str | None, where: str, field: str = "text"
) -> list[rules.Violation]:
    """A placeholder the page cannot resolve: unknown name, unknown indicator code, a form that
    needs a code. Named in the message, so the writer sees which one."""
    from .placeholders import unknown

    return [
        rules.Violation(key, field, problem.placeholder, f"narasi {where}: {problem.message}")
        for problem in unknown(text, codes=codes, indicator=indicator)
    ]


def narrative_conflict_message(*, current: Narrative | None, last: AuditEntry | None) -> str:
    who = last.user_label if last else "pengguna lain"
    when = date_format(timezone.localtime(last.at), "j F Y H:i") if last else ""
    done = "menghapus narasi ini" if current is None else "mengubah narasi ini"
    return (f"sementara Anda mengisi, {who} {done}{' pada ' + when if when else ''}. Periksa teksnya; simpan lagi "
            "untuk menggantinya dengan isian Anda")


# A savepoint: the page catches the RuleViolation and renders the form again.
@transaction.atomic
def narratives_save(
    *, agency: Agency, year: int, narratives: Iterable[NarrativeInput], ctx: AuditContext
) -> UpsertResult[Narrative]:
    """Save the year's narratives (report-level and per indicator) typed on the narrative page.

    All or nothing: a section that does not exist, an indicator not in the year's Renstra, a
    placeholder that cannot be resolved, or a text someone else changed since the page was made
    (optimistic: `seen` against the stored text) raises RuleViolation keyed by (section, indicator
    id) and writes nothing. An emptied text deletes the narrative. Audit entries in the same
    transaction.
    """
    agency_lock(agency.code)
    plan = measurement.plan_for(agency, year)
    inputs = list(narratives)
    indicators = (
        {i.pk: i for i in Indicator.objects.filter(plan=plan, pk__in=[n.indicator_id for n in inputs if n.indicator_id])}
        if plan is not None else {}
    )
    codes = frozenset(Indicator.objects.filter(plan=plan).values_list("code", flat=True)) if plan else frozenset()
    existing = {
        (n.section, n.indicator_id): n
        for n in Narrative.objects.filter(agency=agency, year=year, quarter__isnull=True)
    }
    violations: list[rules.Violation] = []
    wanted: dict[tuple[str, int | None], dict[str, Any]] = {}
    emptied: list[Narrative] = []
    conflicts: list[tuple[tuple[str, int | None], Narrative | None]] = []
    for item in inputs:
        key = (item.section, item.indicator_id)
        indicator = indicators.get(item.indicator_id) if item.indicator_id else None
        if item.section not in Narrative.Section.values or (item.indicator_id and item.section not in INDICATOR_SECTIONS):
            violations.append(rules.Violation(key, "section", item.section, f"bagian narasi {item.section} tidak dikenal"))
            continue
        if item.indicator_id and indicator is None:
            violations.append(rules.Violation(key, "indicator", str(item.indicator_id),
                                              f"indikator tidak termasuk Renstra tahun {year}"))
            continue
        text = item.text.replace("\r\n", "\n").strip()
        current = existing.get(key)
        stored = current.text if current else ""
        if text == stored:
            continue
        if item.seen != text_digest(stored):
            conflicts.append((key, current))
            continue
        code = indicator.code if indicator else None
        where = " ".join(p for p in (item.section.replace("_", " "), code or "") if p)
        violations += narrative_placeholder_violations(key=key, text=text, codes=codes, indicator=code, where=where)
        if text:
            wanted[key] = {"agency_id": agency.pk, "year": year, "section": item.section,
                           "indicator_id": item.indicator_id, "quarter": None, "text": text}
        elif current is not None:
            emptied.append(current)
    if conflicts:
        last = audit.last_entries(Narrative, [n.pk for _, n in conflicts if n is not None])
        violations += [
            rules.Violation(key, "conflict", "", narrative_conflict_message(
                current=note, last=last.get(note.pk) if note else None))
            for key, note in conflicts
        ]
    if violations:
        raise rules.RuleViolation(violations)
    result = audit.upsert(model=Narrative, existing={k: existing[k] for k in wanted if k in existing},
                          wanted=wanted, fields=["text"], ctx=ctx)
    result.deleted = audit.objects_delete(objects=emptied, ctx=ctx)
    result.entries += result.deleted
    return result
