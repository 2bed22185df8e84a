"""Writing records together with their audit entries, single and bulk.

This is the mechanism under every app's services (performance, budget, agencies): they decide
the rules, these functions write the rows and, in the same transaction, one AuditEntry per
changed record with each changed field's old and new value. Bulk writes stay set-based: the
entries are built in memory and inserted in batches, so the query count grows with batches,
not rows. Unchanged rows write nothing.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import chain, islice
from typing import Any, Generic, TypeVar

from django.db import models, router, transaction
from django.db.models import prefetch_related_objects
from django.db.models.deletion import Collector
from django.utils import timezone

from .models import AuditEntry, Channel, ImportBatch
from .scope import Scope

M = TypeVar("M", bound=models.Model)
BATCH = 1000
SYSTEM_LABEL = "sistem"


@dataclass(frozen=True)
class AuditContext:
    """Who is writing, through which channel, and why: passed to every write service."""

    user: Any = None  # agencies.User, or None for the system (CLI, demo loader)
    channel: str = Channel.COMMAND
    reason: str = ""
    batch: ImportBatch | None = None
    at: datetime.datetime = field(default_factory=timezone.now)
    # Records this operation already holds, by (model, pk): the entries' scopes and labels are
    # read from them instead of being queried again (an import knows its agency, plan, indicators).
    known: dict = field(default_factory=dict, compare=False, repr=False)

    def remember(self, objects: Iterable[models.Model]) -> None:
        for obj in objects:
            self.known[(type(obj), obj.pk)] = obj

    def __post_init__(self) -> None:
        if self.channel not in Channel.values:
            raise ValueError(f"unknown audit channel {self.channel!r}")

    @property
    def user_label(self) -> str:
        if self.user is None or not getattr(self.user, "is_authenticated", False):
            return SYSTEM_LABEL
        return self.user.get_username()

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user_label != SYSTEM_LABEL else None


def audit_value(value: object) -> str | None:
    """A field value as the trail stores it: an exact string (Decimal without trailing zeros)."""
    kind = type(value)
    if value is None or kind is str:
        return value  # type: ignore[return-value]
    if kind is int:  # the common cases first: an import converts ~10 values per record
        return str(value)
    if kind is bool:
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, models.Model):
        return str(value.pk)
    return str(value)


def _is_empty(value: object) -> bool:
    """None, "", [] and {} record nothing on creation; 0, Decimal("0") and False are values."""
    return value is None or (type(value) in (str, list, dict) and not value)


def concrete_fields(model: type[models.Model]) -> list[str]:
    return [f.attname for f in model._meta.concrete_fields if not f.primary_key]


def _scope_of(obj: models.Model) -> Scope:
    describe = getattr(obj, "audit_scope", None)
    return describe() if describe is not None else Scope()


def _prime(objects: Sequence[models.Model], path: str, known: dict) -> None:
    """Fill the related-object caches along `path` from records already in hand."""
    level = list(objects)
    for name in path.split("__"):
        if not level:
            return
        relation = type(level[0])._meta.get_field(name)
        following = []
        for obj in level:
            if not relation.is_cached(obj):
                target = known.get((relation.related_model, getattr(obj, relation.attname)))
                if target is None:
                    continue
                relation.set_cached_value(obj, target)
            value = relation.get_cached_value(obj)
            if value is not None:
                following.append(value)
        level = following


def _prefetch_scopes(objects: Sequence[models.Model], known: dict | None = None) -> None:
    """Load what audit_scope() and str() read: from records in hand, else once per model and
    relation, never once per row."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for obj in objects:
        by_model.setdefault(type(obj), []).append(obj)
    for model, group in by_model.items():
        related = getattr(model, "AUDIT_RELATED", ())
        for path in related if known else ():
            _prime(group, path, known)
        if related:
            prefetch_related_objects(group, *related)


ENTRY_COLUMNS = (
    "at", "user_id", "user_label", "channel", "action", "object_type", "object_id", "object_label",
    "government_id", "agency_id", "agency_code", "year", "quarter", "indicator_id", "indicator_code", "changes",
    "reason", "batch_id",
)


def _insert_entries(rows: list[tuple]) -> None:
    """Write entries as plain values, skipping the model layer (instances and per-field
    preparation are most of a bulk_create's cost, and an import writes ~100.000 entries).

    PostgreSQL: one COPY per call. SQLite: multi-row INSERTs of up to 1.000 entries.
    """
    connection = transaction.get_connection()
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in ENTRY_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholder = "(" + ", ".join(["%s"] * len(ENTRY_COLUMNS)) + ")"
        per_statement = max(1, min(BATCH, connection.features.max_query_params // len(ENTRY_COLUMNS)))
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES " + ", ".join([placeholder] * len(chunk)),
                [value for row in chunk for value in row],
            )


def entries_write(
    *, ctx: AuditContext, changes: Iterable[tuple[str, models.Model, dict[str, list[str | None]]]]
) -> int:
    """Insert one entry per (action, object, {field: [old, new]}); returns how many.

    Streams in chunks of 1.000, so a 100.000-record import never holds all its entries at once.
    """
    connection = transaction.get_connection()
    at = connection.ops.adapt_datetimefield_value(ctx.at)
    batch_id = ctx.batch.pk if ctx.batch is not None else None
    written = 0
    iterator = iter(changes)
    while chunk := list(islice(iterator, BATCH)):
        _prefetch_scopes([obj for _, obj, _ in chunk], ctx.known)
        rows = []
        for action, obj, diff in chunk:
            scope = _scope_of(obj)
            rows.append((
                at, ctx.user_id, ctx.user_label, ctx.channel, action, obj._meta.model_name, obj.pk, str(obj)[:250],
                scope.government_id, scope.agency_id, scope.agency_code, scope.year, scope.quarter,
                scope.indicator_id, scope.indicator_code, json.dumps(diff), ctx.reason, batch_id,
            ))
        _insert_entries(rows)
        written += len(rows)
    return written


def _created(obj: models.Model, fields: Iterable[str]) -> dict[str, list[str | None]]:
    return {name: [None, audit_value(getattr(obj, name))] for name in fields if not _is_empty(getattr(obj, name))}


def _removed(obj: models.Model) -> dict[str, list[str | None]]:
    return {
        name: [audit_value(getattr(obj, name)), None]
        for name in concrete_fields(type(obj))
        if not _is_empty(getattr(obj, name))
    }


@dataclass
class UpsertResult(Generic[M]):
    objects: dict[Any, M]
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    entries: int = 0


def upsert(
    *,
    model: type[M],
    existing: dict[Any, M],
    wanted: dict[Any, dict[str, Any]],
    fields: list[str],
    ctx: AuditContext,
) -> UpsertResult[M]:
    """Create what is missing, update what differs (only `fields`), leave the rest.

    `existing` maps natural key → stored object (already read by the caller, in one query);
    `wanted` maps natural key → all field values. Returns key → object for existing and new.
    """
    result = UpsertResult(objects=dict(existing))
    to_create: list[tuple[M, dict[str, Any]]] = []
    to_update: list[M] = []
    log: list[tuple[str, models.Model, dict]] = []
    for key, values in wanted.items():
        obj = existing.get(key)
        if obj is None:
            obj = model(**values)
            to_create.append((obj, values))
            result.objects[key] = obj
            continue
        diff = {
            name: [audit_value(getattr(obj, name)), audit_value(values[name])]
            for name in fields
            if getattr(obj, name) != values[name]
        }
        if not diff:
            result.unchanged += 1
            continue
        for name in diff:
            setattr(obj, name, values[name])
        to_update.append(obj)
        log.append((AuditEntry.Action.UPDATE, obj, diff))
    revision = getattr(model, "AUDIT_REVISION", None)
    model.objects.bulk_create([obj for obj, _ in to_create], batch_size=BATCH)
    # bulk_update's cost is one CASE branch per object and field: update only the fields that
    # changed, grouped by which ones (a re-import typically changes one column of many rows).
    by_fields: dict[tuple[str, ...], list[M]] = {}
    for (_, obj, diff) in log:
        if revision:
            # The change counter moves with every change, through whichever path, and is not
            # itself an audited value: the entry already is the change.
            setattr(obj, revision, getattr(obj, revision) + 1)
            by_fields.setdefault((*diff, revision), []).append(obj)
            continue
        by_fields.setdefault(tuple(diff), []).append(obj)
    for changed, group in by_fields.items():
        model.objects.bulk_update(group, list(changed), batch_size=BATCH // 2)
    created = (
        (AuditEntry.Action.CREATE, obj, {name: [None, audit_value(v)] for name, v in values.items() if not _is_empty(v)})
        for obj, values in to_create
    )
    result.created, result.updated = len(to_create), len(to_update)
    ctx.remember(result.objects.values())
    result.entries = entries_write(ctx=ctx, changes=chain(created, log))
    return result


def _lock_agencies_of(objects: Sequence[models.Model]) -> None:
    """Single-record writes (the admin) take the write lock of the agency they belong to; in
    sorted order, so two writers never wait on each other crosswise."""
    from agencies.locks import agency_lock

    _prefetch_scopes(objects)
    for code in sorted({_scope_of(obj).agency_code for obj in objects} - {""}):
        agency_lock(code)


@transaction.atomic(savepoint=False)
def objects_delete(*, objects: Sequence[models.Model], ctx: AuditContext) -> int:
    """Delete the objects and everything that cascades from them, each with an entry.

    Django's Collector finds what the database would delete (and what SET_NULL would blank)
    before anything goes, so a cascade never removes a record without a trace.
    """
    if not objects:
        return 0
    _lock_agencies_of(objects)
    collector = Collector(using=router.db_for_write(type(objects[0])))
    collector.collect(list(objects))
    log: list[tuple[str, models.Model, dict]] = []
    for instances in collector.data.values():
        log += [(AuditEntry.Action.DELETE, obj, _removed(obj)) for obj in instances]
    for queryset in collector.fast_deletes:
        log += [(AuditEntry.Action.DELETE, obj, _removed(obj)) for obj in queryset]
    for (fk, value), groups in collector.field_updates.items():
        for group in groups:
            for obj in group:
                old = getattr(obj, fk.attname)
                log.append((AuditEntry.Action.UPDATE, obj, {fk.attname: [audit_value(old), audit_value(value)]}))
    entries_write(ctx=ctx, changes=log)
    collector.delete()
    return len(objects)


def instance_save(*, instance: models.Model, ctx: AuditContext) -> dict[str, list[str | None]]:
    """Save one object (new or changed) with its entry; returns the changed fields."""
    model = type(instance)
    revision = getattr(model, "AUDIT_REVISION", None)
    fields = [name for name in concrete_fields(model) if name != revision]
    with transaction.atomic(savepoint=False):
        _lock_agencies_of([instance])
        if instance._state.adding or instance.pk is None:
            instance.save()
            diff = _created(instance, fields)
            entries_write(ctx=ctx, changes=[(AuditEntry.Action.CREATE, instance, diff)])
            return diff
        stored = model._base_manager.get(pk=instance.pk)
        diff = {
            name: [audit_value(getattr(stored, name)), audit_value(getattr(instance, name))]
            for name in fields
            if getattr(stored, name) != getattr(instance, name)
        }
        if diff:
            names = [model._meta.get_field(name).name for name in diff]
            if revision:
                setattr(instance, revision, getattr(stored, revision) + 1)
                names.append(revision)
            instance.save(update_fields=names)
            entries_write(ctx=ctx, changes=[(AuditEntry.Action.UPDATE, instance, diff)])
        return diff


def transition_log(*, instance: models.Model, ctx: AuditContext, field_name: str, old: str, new: str) -> None:
    entries_write(ctx=ctx, changes=[(AuditEntry.Action.TRANSITION, instance, {field_name: [old, new]})])


def batch_open(*, ctx: AuditContext, file_name: str, file_sha256: str, agency_code: str, year: int) -> AuditContext:
    """Record an import batch and return the context whose entries point at it."""
    batch = ImportBatch.objects.create(
        user_id=ctx.user_id,
        user_label=ctx.user_label,
        channel=ctx.channel,
        file_name=file_name[:255],
        file_sha256=file_sha256,
        agency_code=agency_code,
        year=year,
    )
    return replace(ctx, batch=batch)


def upsert_one(*, model: type[M], lookup: dict[str, Any], values: dict[str, Any], ctx: AuditContext) -> tuple[M, UpsertResult[M]]:
    """The single-record form of `upsert`: find by `lookup`, create or update `values`."""
    key = tuple(lookup.values())
    found = model.objects.filter(**lookup).first()
    result = upsert(
        model=model, existing={key: found} if found else {}, wanted={key: {**lookup, **values}}, fields=list(values),
        ctx=ctx,
    )
    return result.objects[key], result


def tree_upsert(
    *,
    model: type[M],
    existing: dict[str, M],
    wanted: dict[str, dict[str, Any]],
    parent_code: dict[str, str | None],
    fields: list[str],
    ctx: AuditContext,
) -> UpsertResult[M]:
    """Upsert rows keyed by code whose parent is another row's code: parents are written first,
    level by level, so each child's parent_id is known."""
    total = UpsertResult(objects=dict(existing))
    placed: set[str] = set()
    pending = set(wanted)
    while pending:
        level = [code for code in wanted if code in pending and (parent_code[code] is None or parent_code[code] in placed)]
        if not level:
            raise ValueError("the parent codes form a cycle or name a missing row")
        rows = {}
        for code in level:
            parent = parent_code[code]
            rows[code] = {**wanted[code], "parent_id": total.objects[parent].pk if parent else None}
        part = upsert(model=model, existing=existing, wanted=rows, fields=fields, ctx=ctx)
        total.objects.update(part.objects)
        total.created += part.created
        total.updated += part.updated
        total.unchanged += part.unchanged
        total.entries += part.entries
        placed |= set(level)
        pending -= set(level)
    return total


def last_entries(model: type[models.Model], object_ids: list[int]) -> dict[int, AuditEntry]:
    """The latest create/update entry of each object: who changed it last, and when (one query)."""
    last: dict[int, AuditEntry] = {}
    # Changes of the values, not verification steps: "who changed it to what, when".
    for entry in AuditEntry.objects.filter(
        object_type=model._meta.model_name, object_id__in=object_ids,
        action__in=[AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE],
    ).order_by("at", "pk"):
        last[entry.object_id] = entry
    return last
