"""Reading Perjanjian Kinerja: a version's contents, the diff of two versions, which version
counts for the capaian, and what a year's PK state says to the reader.

`contents` is the one serialisation of a PK: the approval freezes it, the PK document and the
LKjIP print it, the diff compares two of them. Numbers are full-precision strings.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch

from agencies.models import Agency, AgencyYear
from lkjip.numbers import as_stored

from . import calculations as calc
from .models import AgreementProgram, PerformanceAgreement, Target

CONTENTS_FORMAT = 1


def contents_hash(contents: dict[str, Any]) -> str:
    canonical = json.dumps(contents, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def renstra_targets(*, indicator_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    """The Renstra's target of each indicator for the year (the revised Renstra's where there is one)."""
    result: dict[int, Decimal] = {}
    rows = Target.objects.filter(indicator_id__in=list(indicator_ids), year=year, document=Target.Document.RENSTRA)
    for target in sorted(rows, key=lambda t: t.version == "perubahan"):
        result[target.indicator_id] = target.value
    return result


def program_ceilings(*, agency: Agency, year: int) -> dict[int, Decimal]:
    """Pagu in force of each program (budget item id) in the year's budget records."""
    from budget.summary import budget_summary

    return {node.item.pk: node.ceiling for node in budget_summary(agency=agency, year=year).programs}


def _party(agreement: PerformanceAgreement, side: str) -> dict[str, Any]:
    capacity = getattr(agreement, f"{side}_capacity")
    party = {
        "name": getattr(agreement, f"{side}_name"),
        "nip": getattr(agreement, f"{side}_nip"),
        "position": getattr(agreement, f"{side}_position"),
        "capacity": capacity,
        "capacity_label": str(PerformanceAgreement.Capacity(capacity).label),
    }
    if side == "first":
        party["decree_number"] = agreement.first_decree_number
        party["decree_date"] = agreement.first_decree_date.isoformat() if agreement.first_decree_date else None
    return party


def signed_position(party: dict[str, Any]) -> str:
    """"Plt. Kepala Dinas …": the jabatan as the signature block prints it."""
    prefix = {"plt": "Plt.", "plh": "Plh.", "pj": "Pj."}.get(party.get("capacity") or "")
    position = party.get("position") or ""
    if prefix and not position.startswith(prefix):
        return f"{prefix} {position}".strip()
    return position


def contents(agreement: PerformanceAgreement) -> dict[str, Any]:
    """Everything a PK version says, from the records: rows (sasaran or program, indicator,
    target, Rencana Aksi, the Renstra's target and the reason where they differ), programs
    and their budget (with the pagu of the records beside the PK's figure), signatories."""
    targets = list(
        agreement.targets.select_related("indicator", "indicator__owner_node", "indicator__owner_budget_item")
    )
    renstra = renstra_targets(indicator_ids=[t.indicator_id for t in targets], year=agreement.year)
    ceilings = program_ceilings(agency=agreement.agency, year=agreement.year)

    def row_key(target: Target) -> tuple:
        indicator = target.indicator
        if indicator.owner_node_id:
            return (0, indicator.owner_node.order, indicator.order, indicator.pk)
        return (1, indicator.owner_budget_item.code, indicator.order, indicator.pk)

    rows = []
    for target in sorted(targets, key=row_key):
        indicator = target.indicator
        node, item = indicator.owner_node, indicator.owner_budget_item
        rows.append({
            "indicator": indicator.code,
            "name": indicator.name,
            "unit": indicator.unit,
            "aggregation": indicator.aggregation,
            "level": "strategic" if node else "program",
            "owner_code": node.code if node else item.code,
            "owner_kind": node.kind if node else item.kind,
            "owner_text": node.text if node else item.name,
            "target": str(target.value),
            "quarters": [as_stored(q) for q in target.quarters],
            "renstra": as_stored(renstra.get(indicator.pk)),
            "reason": target.reason,
        })
    programs = []
    for program in agreement.programs.select_related("item").order_by("item__code"):
        programs.append({
            "code": program.item.code,
            "name": program.item.name,
            "amount": str(program.amount),
            "pagu": as_stored(ceilings.get(program.item_id)),
            "reason": program.reason,
        })
    total = sum((Decimal(p["amount"]) for p in programs), Decimal(0))
    return {
        "format": CONTENTS_FORMAT,
        "agency": {"code": agreement.agency.code, "name": agreement.agency.name},
        "year": agreement.year,
        "number": agreement.number,
        "version": agreement.version,
        "label": f"PK {agreement.version_label}",
        "cause": agreement.cause,
        "cause_label": str(agreement.get_cause_display()) if agreement.cause else "",
        "cause_note": agreement.cause_note,
        "effective_from": agreement.effective_from.isoformat() if agreement.effective_from else None,
        "first": _party(agreement, "first"),
        "second": _party(agreement, "second"),
        "signed_place": agreement.signed_place,
        "signed_on": agreement.signed_on.isoformat() if agreement.signed_on else None,
        "rows": rows,
        "programs": programs,
        "total": str(total),
    }


def programs_left_out(agreement: PerformanceAgreement, shown: dict[str, Any]) -> list[str]:
    """Programs with a pagu that year that the version does not hold: a warning, since a signed
    PK may well print no budget (Bekasi's, Serang's), but the approver should see it."""
    from budget.models import BudgetItem

    held = {p["code"] for p in shown.get("programs", [])}
    ceilings = program_ceilings(agency=agreement.agency, year=agreement.year)
    names = dict(BudgetItem.objects.filter(pk__in=list(ceilings)).values_list("pk", "code"))
    from lkjip.numbers import format_rupiah

    return [
        f"Program {names[item_id]} (pagu {format_rupiah(ceiling)}) tidak dimuat dalam PK ini."
        for item_id, ceiling in sorted(ceilings.items(), key=lambda kv: names[kv[0]])
        if ceiling > 0 and names[item_id] not in held
    ]


def shown_contents(agreement: PerformanceAgreement) -> dict[str, Any]:
    """What a document prints: the frozen contents of an approved version, else the records."""
    return agreement.frozen if agreement.frozen is not None else contents(agreement)


# ---- comparing two versions ----


@dataclass(frozen=True)
class Change:
    part: str  # "indikator", "anggaran", "dokumen", "penandatangan"
    key: str  # indicator or program code, or the field
    label: str
    kind: str  # "ditambah", "dihapus", "diubah"
    old: str | None
    new: str | None
    text: bool = False  # words (a reason, a name), not a number or an amount


_ROW_FIELDS = (("target", "Target"), ("q1", "Target TW I"), ("q2", "Target TW II"), ("q3", "Target TW III"),
               ("q4", "Target TW IV"), ("reason", "Alasan"))
_PARTY_FIELDS = (("name", "nama"), ("nip", "NIP"), ("position", "jabatan"), ("capacity_label", "kedudukan"))


def _row_values(row: dict[str, Any]) -> dict[str, str | None]:
    q = row.get("quarters") or [None] * 4
    return {"target": row["target"], "q1": q[0], "q2": q[1], "q3": q[2], "q4": q[3], "reason": row.get("reason") or None}


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every indicator, target, quarterly target, budget line and signatory that differs
    between two versions' contents (values compared as numbers, not as written)."""
    changes: list[Change] = []

    def same(a: str | None, b: str | None) -> bool:
        if a is None or b is None:
            return a == b
        try:
            return Decimal(a) == Decimal(b)
        except ArithmeticError:
            return a == b

    old_rows = {r["indicator"]: r for r in old.get("rows", [])}
    new_rows = {r["indicator"]: r for r in new.get("rows", [])}
    for code, row in new_rows.items():
        label = f"{code} {row['name']}"
        if code not in old_rows:
            changes.append(Change("indikator", code, label, "ditambah", None, row["target"]))
            continue
        before, after = _row_values(old_rows[code]), _row_values(row)
        for name, field_label in _ROW_FIELDS:
            if not (before[name] == after[name] if name == "reason" else same(before[name], after[name])):
                changes.append(Change("indikator", code, f"{label}: {field_label}", "diubah", before[name], after[name],
                                      text=name == "reason"))
    for code, row in old_rows.items():
        if code not in new_rows:
            changes.append(Change("indikator", code, f"{code} {row['name']}", "dihapus", row["target"], None))
    old_programs = {p["code"]: p for p in old.get("programs", [])}
    new_programs = {p["code"]: p for p in new.get("programs", [])}
    for code, program in new_programs.items():
        label = f"{code} {program['name']}"
        if code not in old_programs:
            changes.append(Change("anggaran", code, label, "ditambah", None, program["amount"]))
        elif not same(old_programs[code]["amount"], program["amount"]):
            changes.append(Change("anggaran", code, label, "diubah", old_programs[code]["amount"], program["amount"]))
    for code, program in old_programs.items():
        if code not in new_programs:
            changes.append(Change("anggaran", code, f"{code} {program['name']}", "dihapus", program["amount"], None))
    for name, field_label in (("cause_label", "Sebab perubahan"), ("cause_note", "Uraian sebab perubahan"),
                              ("effective_from", "Berlaku mulai"), ("signed_place", "Tempat penandatanganan"),
                              ("signed_on", "Tanggal penandatanganan")):
        a, b = old.get(name) or None, new.get(name) or None
        if a != b:
            changes.append(Change("dokumen", name, field_label, "diubah", a, b, text=True))
    for side, side_label in (("first", "Pihak pertama"), ("second", "Pihak kedua")):
        for name, field_label in _PARTY_FIELDS:
            a, b = (old.get(side) or {}).get(name) or None, (new.get(side) or {}).get(name) or None
            if a != b:
                changes.append(Change("penandatangan", f"{side}.{name}", f"{side_label}: {field_label}", "diubah", a, b,
                                      text=True))
    return changes


# ---- which version counts ----


def counting_versions(agreements: Sequence[PerformanceAgreement], on: datetime.date) -> list[PerformanceAgreement]:
    """The versions whose targets the capaian is measured against: the approved ones in force
    on `on` (an amendment from its effective date); without any, every version, so a year
    whose PK is still a draft is measured provisionally (and says so) rather than not at all."""
    approved = [
        a for a in agreements
        if a.status == PerformanceAgreement.Status.APPROVED and (a.effective_from is None or a.effective_from <= on)
    ]
    return approved or list(agreements)


@dataclass(frozen=True)
class YearState:
    """A year's PK as the pages, the document and the findings describe it."""

    year: int
    versions: list[PerformanceAgreement]
    counting: PerformanceAgreement | None  # the latest version the capaian uses
    approved: bool  # the capaian is measured against an approved version

    @property
    def latest(self) -> PerformanceAgreement | None:
        return self.versions[-1] if self.versions else None

    @property
    def pending(self) -> PerformanceAgreement | None:
        """A version after the counting one that is not approved yet (an amendment under way)."""
        latest = self.latest
        return latest if latest is not None and latest is not self.counting and not latest.is_locked else None

    @property
    def notice(self) -> str:
        """One sentence for every page and the document; empty when all is approved."""
        if not self.versions:
            return f"Belum ada Perjanjian Kinerja tahun {self.year}: capaian tidak dapat diukur terhadap PK."
        if not self.approved:
            latest = self.latest
            return (
                f"Perjanjian Kinerja tahun {self.year} belum disetujui (PK {latest.version_label}: "
                f"{latest.get_status_display()}); capaian diukur sementara terhadap PK yang belum disetujui."
            )
        if self.pending is not None:
            return (
                f"PK {self.pending.version_label} tahun {self.year} berstatus {self.pending.get_status_display()}; "
                f"capaian diukur terhadap PK {self.counting.version_label} yang disetujui."
            )
        return ""


def year_state(*, agency: Agency, year: int, on: datetime.date | None = None,
               agreements: Sequence[PerformanceAgreement] | None = None) -> YearState:
    versions = sorted(
        agreements if agreements is not None else PerformanceAgreement.objects.filter(agency=agency, year=year),
        key=lambda a: a.number,
    )
    counting = counting_versions(versions, on or datetime.date(year, 12, 31))
    approved = bool(counting) and all(a.is_locked for a in counting)
    return YearState(year, versions, counting[-1] if counting else None, approved)


def with_rows(queryset):
    """Agreements with their targets and programs, for pages that show several."""
    return queryset.prefetch_related(
        Prefetch("targets", queryset=Target.objects.select_related("indicator")),
        Prefetch("programs", queryset=AgreementProgram.objects.select_related("item")),
    )


def quarter_targets_warning(*, value: Decimal | None, quarters: Sequence[Decimal | None], aggregation: str) -> str:
    """The Rencana Aksi should add up to the annual target by the indicator's rule; a warning
    (the PK may still be saved), empty when it adds up or there is nothing to check."""
    if value is None or all(q is None for q in quarters):
        return ""
    if any(q is None for q in quarters):
        return "Target triwulan tidak lengkap: isi TW I sampai TW IV, atau kosongkan semuanya."
    total = calc.aggregate_quarters(list(quarters), aggregation).value
    if total == value:
        return ""
    from lkjip.numbers import format_id

    rule = {"kumulatif": "jumlah TW I–IV", "akhir": "target TW IV", "rata-rata": "rata-rata TW I–IV"}[aggregation]
    return f"Target triwulan tidak sesuai target tahunan: {rule} = {format_id(total)}, target tahunan {format_id(value)}."


def head_defaults(*, agency: Agency, year: int) -> dict[str, Any]:
    """Signatories prefilled from the agency's profile of that year and the Pemda's head."""
    profile = AgencyYear.objects.filter(agency=agency, year=year).first()
    government = agency.government
    values: dict[str, Any] = {
        "second_name": government.head_name,
        "second_position": government.head_title,
        "signed_place": "",
    }
    if profile is not None:
        title = profile.head_title
        capacity = "definitif"
        for prefix, code in (("Plt.", "plt"), ("Plh.", "plh")):
            if title.startswith(prefix):
                capacity, title = code, title[len(prefix):].strip()
        if profile.head_is_acting and capacity == "definitif":
            capacity = "plt"
        values.update({
            "first_name": profile.head_name, "first_nip": profile.head_nip, "first_position": title,
            "first_capacity": capacity, "signed_place": profile.signature_place,
        })
    return values


# ---- the pages ----


@dataclass
class IndicatorChoice:
    """An indicator the PK version may hold, with the Renstra's target and its row if it is in."""

    indicator: Any
    renstra: Decimal | None
    target: Target | None


@dataclass
class ProgramChoice:
    item: Any
    pagu: Decimal | None
    row: AgreementProgram | None


def edit_choices(agreement: PerformanceAgreement) -> tuple[list[IndicatorChoice], list[ProgramChoice]]:
    """What the edit page offers: the indicators of the Renstra in force with a target that
    year (tujuan/sasaran first, then program indicators) and every program of the agency."""
    from budget.models import BudgetItem

    from .measurement import plan_for
    from .models import Indicator

    plan = plan_for(agreement.agency, agreement.year)
    rows = {t.indicator_id: t for t in agreement.targets.all()}
    indicators = []
    if plan is not None:
        with_target = set(Target.objects.filter(indicator__plan=plan, year=agreement.year).values_list("indicator_id", flat=True))
        candidates = Indicator.objects.filter(plan=plan).select_related("owner_node", "owner_budget_item")
        renstra = renstra_targets(indicator_ids=[i.pk for i in candidates], year=agreement.year)
        for indicator in sorted(candidates, key=lambda i: (i.owner_node_id is None, i.order, i.pk)):
            if indicator.pk in rows or indicator.pk in with_target:
                indicators.append(IndicatorChoice(indicator, renstra.get(indicator.pk), rows.get(indicator.pk)))
    programs_in = {p.item_id: p for p in agreement.programs.all()}
    ceilings = program_ceilings(agency=agreement.agency, year=agreement.year)
    programs = [
        ProgramChoice(item, ceilings.get(item.pk), programs_in.get(item.pk))
        for item in BudgetItem.objects.filter(agency=agreement.agency, kind="program").order_by("code")
    ]
    return indicators, programs


def chain(agreements: Sequence[PerformanceAgreement]) -> list[Any]:
    """Who started, submitted, returned and approved each version, when, and why: from the trail."""
    from audit.models import AuditEntry

    return list(
        AuditEntry.objects.filter(
            object_type=PerformanceAgreement._meta.model_name, object_id__in=[a.pk for a in agreements],
            action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.TRANSITION],
        ).order_by("at", "pk")
    )


@dataclass
class OverviewRow:
    """One agency's PK of the year on the Pemda's overview: its state and who must act."""

    agency: Agency
    latest: PerformanceAgreement | None
    approved_count: int
    changed_at: Any
    changed_by: str

    @property
    def state(self) -> str:
        """none, draft, submitted, returned, approved or amended (an approved perubahan is the latest)."""
        if self.latest is None:
            return "none"
        if self.latest.is_locked and self.latest.number > 0:
            return "amended"
        return self.latest.status

    @property
    def state_label(self) -> str:
        latest = self.latest
        if latest is None:
            return "Belum ada PK"
        if self.state == "amended":
            return f"Disetujui (PK {latest.version_label})"
        return f"PK {latest.version_label}: {latest.get_status_display()}"

    @property
    def waiting(self) -> str:
        """Who the PK waits on."""
        return {
            "none": "perangkat daerah (menyusun PK)",
            "draft": "perangkat daerah (melengkapi dan mengajukan)",
            "returned": "perangkat daerah (memperbaiki dan mengajukan kembali)",
            "submitted": "Pemda (persetujuan)",
        }.get(self.state, "–")


def government_overview(*, government: Any, year: int) -> list[OverviewRow]:
    """Every agency of the Pemda with its PK of the year, in two queries."""
    agencies = list(Agency.objects.filter(government=government).order_by("name"))
    by_agency: dict[int, list[PerformanceAgreement]] = {}
    for agreement in PerformanceAgreement.objects.filter(agency__government=government, year=year).select_related(
        "status_changed_by"
    ).order_by("number"):
        by_agency.setdefault(agreement.agency_id, []).append(agreement)
    rows = []
    for agency in agencies:
        versions = by_agency.get(agency.pk, [])
        latest = versions[-1] if versions else None
        by = latest.status_changed_by if latest is not None else None
        rows.append(OverviewRow(
            agency, latest, sum(1 for v in versions if v.is_locked),
            latest.status_changed_at if latest is not None else None,
            (by.full_name or by.get_full_name() or by.get_username()) if by is not None else "",
        ))
    return rows
