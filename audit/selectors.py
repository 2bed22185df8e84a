"""Reads of the audit trail for the history pages and the `history` command.

Which entries belong to an indicator's year, an agency's change log or an import batch, and how
each changed field reads to a person: the field's Indonesian verbose name from its model, values
in Indonesian notation, "(kosong)" for empty. The stored strings stay exact (the JSON output
uses them as they are); only what is shown is formatted.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst

from agencies.models import Agency, User
from agencies.permissions import agency_for_user
from lkjip.numbers import format_id, format_rupiah
from performance.measurement import plan_for
from performance.models import Indicator

from .models import AuditEntry, Channel, ImportBatch

EMPTY = "(kosong)"
PAGE_SIZE = 50
NOT_FOUND = "Perangkat daerah tidak ditemukan."
# Dates outside this range cannot be turned into a UTC timestamp on every database; nothing in
# the trail is older than the app anyway.
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2999, 12, 31)

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
TARGET_DOCUMENT = {"renstra": "Renstra", "iku": "IKU", "pk": "PK", "renja": "Renja"}
VERSIONED_DOCUMENTS = {"renstra", "pk"}  # the others have only a murni version, not worth saying
# Records that belong to one indicator's year: the log names them by indicator code and year
# rather than by their str(), which prints raw decimals ("IKU1 2025 tahunan: 7.3300").
INDICATOR_RECORDS = {"realization", "target", "benchmark", "narrative"}
# What tells two records of one indicator-year apart. An update entry carries only the fields
# that changed, so these are read from the record itself, or from the entry that created or
# deleted it (which carries every field) when the record is gone.
NATURAL_KEYS = {"target": ("document", "version"), "benchmark": ("scope",), "narrative": ("section",)}
MONEY_MODELS = {"budgetline"}  # its decimals are rupiah
# Fields declared without a verbose name, which Django would show in English.
FIELD_LABELS = {
    "order": "urutan",
    "parent": "induk",
    "status_changed_at": "waktu perubahan status",
    "status_changed_by": "status diubah oleh",
}
LONG_TEXT = 120


# ---- models and fields by the names the trail stores ----


@functools.cache
def model_for(object_type: str) -> type[models.Model] | None:
    for model in apps.get_models():
        if model._meta.model_name == object_type:
            return model
    return None


def type_label(object_type: str) -> str:
    model = model_for(object_type)
    return capfirst(str(model._meta.verbose_name)) if model else object_type


@functools.cache
def _field(object_type: str, attname: str) -> models.Field | None:
    model = model_for(object_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(attname)  # the forward-field map knows attnames (indicator_id) too
    except FieldDoesNotExist:
        return None


def field_label(object_type: str, attname: str) -> str:
    found = _field(object_type, attname)
    if found is None:
        return attname
    label = str(found.verbose_name)
    if label == found.name.replace("_", " "):  # Django's default, i.e. none was given
        if found.name in FIELD_LABELS:
            label = FIELD_LABELS[found.name]
        elif found.is_relation and found.related_model is not None:
            label = str(found.related_model._meta.verbose_name)
    return capfirst(label)


def _choice_label(object_type: str, attname: str, value: str | None) -> str | None:
    found = _field(object_type, attname)
    if value is None or found is None or not found.choices:
        return value
    return str(dict(found.flatchoices).get(value, value))


def _is_ordinal(attname: str) -> bool:
    """Integers that are years, quarters or positions: shown as typed (2025, not 2.025)."""
    return "year" in attname or attname in {"quarter", "order", "valid_from"}


def value_text(object_type: str, attname: str, value: str | None) -> str:
    """One stored value as a person reads it."""
    if value is None or value == "":
        return EMPTY
    found = _field(object_type, attname)
    if found is None or found.is_relation:
        return value
    if found.choices:
        return _choice_label(object_type, attname, value) or value
    try:
        if isinstance(found, models.BooleanField):
            return "ya" if value == "true" else "tidak"
        if isinstance(found, models.DecimalField):
            number = Decimal(value)
            return format_rupiah(number) if object_type in MONEY_MODELS else format_id(number)
        if isinstance(found, models.IntegerField) and not _is_ordinal(attname):
            return format_id(Decimal(value))
        if isinstance(found, models.DateTimeField):
            moment = datetime.datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d-%m-%Y %H:%M")
        if isinstance(found, models.DateField):
            return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
        if isinstance(found, models.JSONField):
            decoded = json.loads(value)
            if isinstance(decoded, list):
                return ", ".join(str(item) for item in decoded) or EMPTY
    except (InvalidOperation, ValueError):
        pass  # a value the field's type no longer fits: show it as stored
    return value


# ---- entries as rows ----


@dataclass(frozen=True)
class FieldChange:
    field: str  # the attname, as stored
    label: str
    old: str | None
    new: str | None
    old_text: str
    new_text: str
    is_reference: bool = False  # a foreign key: an id, which means nothing to a reader

    @property
    def is_long(self) -> bool:
        return len(self.old_text) > LONG_TEXT or len(self.new_text) > LONG_TEXT


@dataclass
class HistoryRow:
    entry: AuditEntry
    subject: str  # "Realisasi TW IV", "Target PK Murni", "Indikator"
    detail: str  # which record: "IKU1 2025", or the record's label
    changes: list[FieldChange] = field(default_factory=list)

    @property
    def channel_label(self) -> str:
        return channel_label(self.entry.channel)

    @property
    def type_label(self) -> str:
        return type_label(self.entry.object_type)

    @property
    def action_label(self) -> str:
        return self.entry.get_action_display()

    @property
    def lines(self) -> list[FieldChange | None]:
        """The changes to show, or one empty line: an entry without field changes still shows who
        and when. A created or deleted record's references are left out: which indicator, plan or
        PK it hangs on is what the Data column already says, and the ids would only be noise."""
        whole = self.entry.action in (AuditEntry.Action.CREATE, AuditEntry.Action.DELETE)
        shown = [change for change in self.changes if not (whole and change.is_reference)]
        return shown or [None]

    @property
    def span(self) -> int:
        return len(self.lines)


def channel_label(channel: str) -> str:
    return str(Channel(channel).label) if channel in Channel.values else channel


def _known_value(change: list[str | None]) -> str | None:
    old, new = change
    return new if new is not None else old


def _natural_keys(entries: list[AuditEntry]) -> dict[tuple[str, int], dict[str, str | None]]:
    """(object_type, object_id) → its natural-key values, in at most one query per type."""
    keys: dict[tuple[str, int], dict[str, str | None]] = {}
    missing: dict[str, set[int]] = defaultdict(set)
    for entry in entries:
        names = NATURAL_KEYS.get(entry.object_type)
        if not names:
            continue
        key = keys.setdefault((entry.object_type, entry.object_id), {})
        for name in names:
            if key.get(name) is None and name in entry.changes:
                key[name] = _known_value(entry.changes[name])
    for (object_type, object_id), key in keys.items():
        if any(key.get(name) is None for name in NATURAL_KEYS[object_type]):
            missing[object_type].add(object_id)
    for object_type, ids in missing.items():
        model = model_for(object_type)
        if model is None:
            continue
        names = NATURAL_KEYS[object_type]
        for values in model._base_manager.filter(pk__in=ids).values("pk", *names):
            key = keys[(object_type, values["pk"])]
            for name in names:
                if key.get(name) is None:
                    key[name] = values[name]
    return keys


def subject(entry: AuditEntry, key: dict[str, str | None]) -> str:
    """What kind of record, told apart from its siblings: "Realisasi TW IV", "Target PK Murni"."""
    kind = entry.object_type
    if kind == "realization":
        return f"Realisasi TW {ROMAN.get(entry.quarter, entry.quarter)}" if entry.quarter else "Realisasi tahunan"
    if kind == "target":
        document = key.get("document")
        if not document:
            return "Target"
        text = f"Target {TARGET_DOCUMENT.get(document, document)}"
        if document in VERSIONED_DOCUMENTS and key.get("version"):
            text += f" {_choice_label('target', 'version', key['version'])}"
        return text
    if kind == "benchmark":
        scope = key.get("scope")
        return f"Pembanding {_choice_label('benchmark', 'scope', scope)}" if scope else "Pembanding"
    if kind == "narrative":
        section = key.get("section")
        return f"Narasi: {_choice_label('narrative', 'section', section)}" if section else "Narasi"
    return type_label(kind)


def detail(entry: AuditEntry) -> str:
    if entry.object_type in INDICATOR_RECORDS:
        return " ".join(part for part in (entry.indicator_code, str(entry.year or "")) if part) or entry.object_label
    return entry.object_label


def _is_reference(object_type: str, attname: str) -> bool:
    found = _field(object_type, attname)
    return bool(found is not None and found.is_relation)


def field_changes(entry: AuditEntry) -> list[FieldChange]:
    kind = entry.object_type
    return [
        FieldChange(
            field=name,
            label=field_label(kind, name),
            old=old,
            new=new,
            old_text=value_text(kind, name, old),
            new_text=value_text(kind, name, new),
            is_reference=_is_reference(kind, name),
        )
        for name, (old, new) in entry.changes.items()
    ]


def history_rows(entries: Iterable[AuditEntry]) -> list[HistoryRow]:
    """The entries as display rows; reads no more than one query per record type, whatever the
    number of entries."""
    entries = list(entries)
    keys = _natural_keys(entries)
    return [
        HistoryRow(
            entry=entry,
            subject=subject(entry, keys.get((entry.object_type, entry.object_id), {})),
            detail=detail(entry),
            changes=field_changes(entry),
        )
        for entry in entries
    ]


# ---- which entries ----


def day_start(day: datetime.date) -> datetime.datetime:
    """Midnight of a local (Asia/Jakarta) calendar day: what "dari 1 Maret" means to the reader."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass(frozen=True)
class LogFilters:
    start: datetime.datetime | None = None  # inclusive
    end: datetime.datetime | None = None  # exclusive
    user: str = ""
    channel: str = ""
    object_type: str = ""
    year: int | None = None

    @classmethod
    def for_days(cls, *, since: datetime.date | None = None, until: datetime.date | None = None, **more: object):
        """Whole local days, both ends included."""
        return cls(
            start=day_start(since) if since else None,
            end=day_start(until + datetime.timedelta(days=1)) if until else None,
            **more,  # type: ignore[arg-type]
        )


def agency_entries(*, agency: Agency, filters: LogFilters | None = None) -> QuerySet[AuditEntry]:
    """The agency's change log, newest first."""
    filters = filters or LogFilters()
    entries = AuditEntry.objects.filter(agency_id=agency.pk)
    if filters.start is not None:
        entries = entries.filter(at__gte=filters.start)
    if filters.end is not None:
        entries = entries.filter(at__lt=filters.end)
    if filters.user:
        entries = entries.filter(user_label=filters.user)
    if filters.channel:
        entries = entries.filter(channel=filters.channel)
    if filters.object_type:
        entries = entries.filter(object_type=filters.object_type)
    if filters.year is not None:
        entries = entries.filter(year=filters.year)
    return entries.select_related("batch").order_by("-at", "-pk")


def filter_choices(*, agency: Agency) -> tuple[list[str], list[str]]:
    """Users and record types that occur in the agency's log, for the filter form."""
    base = AuditEntry.objects.filter(agency_id=agency.pk).order_by()
    users = sorted(set(base.values_list("user_label", flat=True).distinct()))
    types = sorted(set(base.values_list("object_type", flat=True).distinct()), key=type_label)
    return users, types


def history_indicator(*, agency: Agency, year: int, code: str) -> Indicator | None:
    """The indicator with this code in the Renstra that covers the year, as the overview shows it."""
    plan = plan_for(agency, year)
    if plan is None:
        return None
    return Indicator.objects.filter(plan=plan, code=code).first()


def indicator_entries(*, agency: Agency, year: int, indicator: Indicator) -> QuerySet[AuditEntry]:
    """Every change to the indicator's records of the year, and to the indicator itself, oldest first.

    The year's records are matched by agency and indicator code, not by the indicator's id, so
    the values of a record whose indicator was deleted and imported again still show.
    """
    return (
        AuditEntry.objects.filter(
            Q(agency_id=agency.pk, indicator_code=indicator.code, year=year)
            | Q(indicator_id=indicator.pk, year__isnull=True)
        )
        .select_related("batch")
        .order_by("at", "pk")
    )


# ---- import batches ----


def batch_for_user(*, user: User | AnonymousUser, batch_id: int) -> tuple[ImportBatch, Agency]:
    """The batch and its agency; 404 when either does not exist or the user may not see the agency."""
    batch = ImportBatch.objects.filter(pk=batch_id).first()
    if batch is None:
        raise Http404(NOT_FOUND)
    agency, access = agency_for_user(user=user, code=batch.agency_code)
    if not access.view_history:
        raise Http404(NOT_FOUND)
    return batch, agency


@dataclass
class TypeCount:
    object_type: str
    label: str
    by_action: dict[str, int]

    @property
    def cells(self) -> list[int]:
        return [self.by_action[action] for action in AuditEntry.Action.values]

    @property
    def total(self) -> int:
        return sum(self.by_action.values())


@dataclass
class BatchCounts:
    rows: list[TypeCount]

    @property
    def actions(self) -> list[str]:
        return [str(label) for label in AuditEntry.Action.labels]

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*(row.cells for row in self.rows), strict=True)] or [0] * len(
            AuditEntry.Action.values
        )

    @property
    def total(self) -> int:
        return sum(row.total for row in self.rows)


def batch_counts(*, batch: ImportBatch) -> BatchCounts:
    """How many records of each type the batch created, changed, deleted: counted from its entries."""
    per_type: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(AuditEntry.Action.values, 0))
    grouped = (
        AuditEntry.objects.filter(batch=batch).order_by().values("object_type", "action").annotate(n=Count("pk"))
    )
    for item in grouped:
        per_type[item["object_type"]][item["action"]] = item["n"]
    rows = [TypeCount(kind, type_label(kind), counts) for kind, counts in per_type.items()]
    return BatchCounts(sorted(rows, key=lambda row: row.label))


def batch_entries(*, batch: ImportBatch, counts: BatchCounts, object_type: str = "") -> QuerySet[AuditEntry]:
    """What the batch changed, grouped by record type in the order of the counts table, and in
    the order it was written within a type."""
    entries = AuditEntry.objects.filter(batch=batch)
    if object_type:
        entries = entries.filter(object_type=object_type)
    rank = Case(
        *[When(object_type=row.object_type, then=Value(i)) for i, row in enumerate(counts.rows)],
        default=Value(len(counts.rows)),
        output_field=models.IntegerField(),
    )
    return entries.select_related("batch").order_by(rank, "object_type", "pk")


# ---- one line per changed field (the command) ----


def field_records(rows: Iterable[HistoryRow]) -> list[dict[str, str | None]]:
    """Each changed field of each entry as a flat record of strings; values exact, as stored."""
    records = []
    for row in rows:
        entry = row.entry
        for change in row.changes:
            records.append(
                {
                    "at": timezone.localtime(entry.at).isoformat(),
                    "user": entry.user_label,
                    "channel": entry.channel,
                    "object_type": entry.object_type,
                    "object": entry.object_label,
                    "indicator_code": entry.indicator_code or None,
                    "field": change.field,
                    "old": change.old,
                    "new": change.new,
                    "reason": entry.reason or None,
                    "batch": str(entry.batch_id) if entry.batch_id else None,
                }
            )
    return records
