"""Import a validated workbook into the records, all or nothing.

Writes are set-based: per table one query reads what exists, then new rows go in with
bulk_create and changed rows with bulk_update, so the number of queries grows with the
number of tables and batches, not with the number of rows. Importing the same workbook
again changes nothing; an edited workbook updates rows in place.

A re-import adds and updates; it never deletes indicators, targets or realisasi (those
are removed deliberately, in the admin). Sheets that describe a whole year at once
(Pegawai, Rekomendasi, Skala) replace that year's rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.db import models, transaction

from agencies.models import Agency, AgencyYear, Government, StaffCount, User
from budget.models import BudgetItem, BudgetLine
from performance.models import (
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

from .issues import Issue
from .parser import WorkbookData, budget_parent_code, parse
from .reader import UnreadableWorkbook, read_workbook
from .schema import DOCUMENT_VERSION

BATCH = 1000
LABELS = {
    "government": "Pemda",
    "agency": "Perangkat daerah",
    "agency_year": "Tahun laporan",
    "plan": "Renstra",
    "node": "Misi/tujuan/sasaran",
    "budget_item": "Program/kegiatan/sub kegiatan",
    "budget_line": "Baris anggaran",
    "indicator": "Indikator",
    "agreement": "Perjanjian Kinerja",
    "target": "Target",
    "realization": "Realisasi",
    "benchmark": "Nilai pembanding",
    "narrative": "Narasi",
    "staff": "Jumlah pegawai",
    "recommendation": "Rekomendasi",
    "scale": "Skala penilaian",
}


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0


@dataclass
class ImportReport:
    ok: bool
    dry_run: bool
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    error_total: int = 0  # every error found; `errors` keeps the first schema.MAX_REPORTED_ERRORS
    counts: dict[str, Counts] = field(default_factory=dict)
    agency_code: str = ""
    year: int | None = None

    def summary_lines(self) -> list[str]:
        lines = []
        for key, counts in self.counts.items():
            if counts.created or counts.updated or counts.deleted or counts.unchanged:
                lines.append(
                    f"{LABELS.get(key, key)}: {counts.created} baru, {counts.updated} diperbarui, "
                    f"{counts.unchanged} tetap" + (f", {counts.deleted} dihapus" if counts.deleted else "")
                )
        return lines


class ImportRejected(Exception):
    def __init__(self, issues: list[Issue]):
        super().__init__("; ".join(str(i) for i in issues))
        self.issues = issues


def workbook_import(
    *, source: str | Path | IO[bytes], dry_run: bool = False, user: User | None = None
) -> ImportReport:
    """Validate and import one workbook. Nothing is written when there is any error, or when
    dry_run is set; the report says what was (or would have been) created and updated.

    `user` is the uploader in the web UI: they must be a planner of the agency in the file
    or an admin of its Pemda. The CLI passes None (it runs with the operator's authority).
    """
    try:
        sheets = read_workbook(source)
    except UnreadableWorkbook as exc:
        return ImportReport(ok=False, dry_run=dry_run, errors=[exc.issue], error_total=1)
    parsed = parse(sheets)
    report = ImportReport(ok=False, dry_run=dry_run, errors=parsed.errors, warnings=parsed.warnings,
                          error_total=parsed.error_total)
    if parsed.errors:
        return report
    data = parsed.data
    report.agency_code, report.year = data.instansi["kode_instansi"], data.year
    try:
        with transaction.atomic():
            _Writer(data, report, user).run()
            if dry_run:
                transaction.set_rollback(True)
    except ImportRejected as exc:
        report.errors = exc.issues
        report.error_total = len(exc.issues)
        report.counts = {}
        return report
    report.ok = True
    return report


class _Writer:
    def __init__(self, data: WorkbookData, report: ImportReport, user: User | None):
        self.data = data
        self.report = report
        self.user = user

    # ---- generic upsert ----

    def counts(self, key: str) -> Counts:
        return self.report.counts.setdefault(key, Counts())

    def upsert(
        self,
        key: str,
        model: type[models.Model],
        existing: dict[Any, models.Model],
        wanted: dict[Any, dict[str, Any]],
        fields: list[str],
    ) -> dict[Any, models.Model]:
        """Create what is missing, update what differs, leave the rest; returns key → object."""
        counts = self.counts(key)
        to_create, to_update = [], []
        result = dict(existing)
        for natural_key, values in wanted.items():
            obj = existing.get(natural_key)
            if obj is None:
                obj = model(**values)
                to_create.append(obj)
                result[natural_key] = obj
                continue
            changed = [name for name in fields if getattr(obj, name) != values[name]]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                to_update.append(obj)
            else:
                counts.unchanged += 1
        model.objects.bulk_create(to_create, batch_size=BATCH)
        if to_update:
            model.objects.bulk_update(to_update, fields, batch_size=BATCH // 2)
        counts.created += len(to_create)
        counts.updated += len(to_update)
        return result

    def upsert_one(self, key: str, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        obj = model.objects.filter(**lookup).first()
        found = {tuple(lookup.values()): obj} if obj else {}
        return self.upsert(key, model, found, {tuple(lookup.values()): {**lookup, **values}}, list(values))[
            tuple(lookup.values())
        ]

    # ---- the sheets, in dependency order ----

    def run(self) -> None:
        info = self.data.instansi
        self._guard(info["kode_instansi"], info["pemda"])
        government_fields = {
            "kind": info["jenis_pemda"],
            "province": info.get("provinsi") or "",
            "head_title": info.get("kepala_daerah_jabatan") or "",
            "head_name": info.get("kepala_daerah_nama") or "",
        }
        if self.may_edit_government:
            self.government = self.upsert_one("government", Government, {"name": info["pemda"]}, government_fields)
        else:
            # An agency planner imports into a Pemda record shared by every agency of that Pemda:
            # they may name it, not change it.
            self.government = Government.objects.get(name=info["pemda"])
            self.counts("government").unchanged += 1
        self.agency = self.upsert_one(
            "agency",
            Agency,
            {"code": info["kode_instansi"]},
            {
                "government_id": self.government.pk,
                "name": info["nama_instansi"],
                "short_name": info.get("singkatan") or "",
                "address": info.get("alamat") or "",
                "phone": info.get("telepon") or "",
                "email": info.get("email") or "",
                "website": info.get("situs") or "",
            },
        )
        self.upsert_one(
            "agency_year",
            AgencyYear,
            {"agency_id": self.agency.pk, "year": self.data.year},
            {
                "head_title": info.get("kepala_jabatan") or "",
                "head_name": info.get("kepala_nama") or "",
                "head_rank": info.get("kepala_pangkat") or "",
                "head_nip": info.get("kepala_nip") or "",
                "signature_place": info.get("tempat_ttd") or "",
                "signature_date": info.get("tanggal_ttd"),
            },
        )
        start, end = self.data.period
        self.plan = self.upsert_one(
            "plan",
            StrategicPlan,
            {"agency_id": self.agency.pk, "start_year": start, "end_year": end},
            {"vision": info.get("visi") or ""},
        )
        self.nodes = self._nodes()
        self.items = self._budget_items()
        self._budget_lines()
        self.indicators = self._indicators()
        self._targets()
        self._realizations()
        self._benchmarks()
        self._narratives()
        self._staff()
        self._recommendations()
        self._scale()

    def _guard(self, code: str, pemda: str) -> None:
        """Who may import this file, decided before anything is written.

        The uploader's authority is checked first, and a refusal says the same whether or not
        the agency code exists, so a file cannot be used to learn about other agencies.
        """
        existing = Agency.objects.filter(code=code).select_related("government").first()
        government = Government.objects.filter(name=pemda).first()
        self.may_edit_government = self.user is None or _may_edit_government(self.user, government)
        if self.user is not None and not (
            self.may_edit_government or _is_planner_of(self.user, existing, government)
        ):
            raise ImportRejected(
                [Issue("Instansi", None, "nilai (kode_instansi)", code,
                       "perangkat daerah tempat Anda menjadi perencana (atau administrator/perencana pemdanya)")]
            )
        if existing and existing.government.name != pemda:
            raise ImportRejected(
                [
                    Issue(
                        "Instansi",
                        None,
                        "nilai (pemda)",
                        pemda,
                        f"{existing.government.name}: kode_instansi {code} sudah terdaftar di pemda tersebut",
                    )
                ]
            )

    def _levels(self, rows: list[dict], parent_of: Callable[[dict], str | None]) -> Iterable[list[dict]]:
        """Rows grouped so every parent is written before its children."""
        placed: set[str] = set()
        pending = list(rows)
        while pending:
            level = [row for row in pending if parent_of(row) is None or parent_of(row) in placed]
            if not level:  # pragma: no cover - the parser rejects orphans and cycles
                raise ImportRejected([Issue("", None, "", "", "struktur induk yang tidak melingkar")])
            yield level
            placed |= {row["kode"] for row in level}
            pending = [row for row in pending if row["kode"] not in placed]

    def _nodes(self) -> dict[str, PlanNode]:
        existing = {node.code: node for node in PlanNode.objects.filter(plan=self.plan)}
        result = dict(existing)
        order = {row["kode"]: index for index, row in enumerate(self.data.renstra)}
        for level in self._levels(self.data.renstra, lambda row: row["induk"] or None):
            wanted = {
                row["kode"]: {
                    "plan_id": self.plan.pk,
                    "code": row["kode"],
                    "kind": row["jenis"],
                    "parent_id": result[row["induk"]].pk if row["induk"] else None,
                    "text": row["uraian"],
                    "order": order[row["kode"]],
                }
                for row in level
            }
            result.update(self.upsert("node", PlanNode, existing, wanted, ["kind", "parent_id", "text", "order"]))
        return result

    def _budget_items(self) -> dict[str, BudgetItem]:
        # One item per code; its name and sasaran come from the latest year that names it.
        latest: dict[str, dict] = {}
        for row in sorted(self.data.anggaran, key=lambda r: r["tahun"]):
            latest[row["kode"]] = row
        existing = {item.code: item for item in BudgetItem.objects.filter(agency=self.agency)}
        result = dict(existing)
        parent = {code: budget_parent_code(code, row["jenis"]) for code, row in latest.items()}
        for level in self._levels(list(latest.values()), lambda row: parent[row["kode"]]):
            wanted = {
                row["kode"]: {
                    "agency_id": self.agency.pk,
                    "code": row["kode"],
                    "kind": row["jenis"],
                    "name": row["uraian"],
                    "parent_id": result[parent[row["kode"]]].pk if parent[row["kode"]] else None,
                    "objective_id": self.nodes[row["sasaran"]].pk if row["sasaran"] else None,
                }
                for row in level
            }
            result.update(
                self.upsert("budget_item", BudgetItem, existing, wanted, ["kind", "name", "parent_id", "objective_id"])
            )
        return result

    def _budget_lines(self) -> None:
        existing = {
            (line.item_id, line.year): line for line in BudgetLine.objects.filter(item__agency=self.agency)
        }
        wanted = {}
        for row in self.data.anggaran:
            if not row["_leaf"]:
                continue
            item = self.items[row["kode"]]
            wanted[(item.pk, row["tahun"])] = {
                "item_id": item.pk,
                "year": row["tahun"],
                "funding_source": row["sumber_dana"] or "",
                "ceiling_original": row["pagu_murni"],
                "ceiling_amended": row["pagu_perubahan"],
                "spent_q1": row["realisasi_tw1"] or 0,
                "spent_q2": row["realisasi_tw2"] or 0,
                "spent_q3": row["realisasi_tw3"] or 0,
                "spent_q4": row["realisasi_tw4"] or 0,
                "responsible": row["penanggung_jawab"] or "",
            }
        fields = ["funding_source", "ceiling_original", "ceiling_amended", "spent_q1", "spent_q2", "spent_q3",
                  "spent_q4", "responsible"]
        self.upsert("budget_line", BudgetLine, existing, wanted, fields)
        # A row that now has sub-rows, or no money, for a year no longer carries money of its own that year.
        without_money = {
            (self.items[row["kode"]].pk, row["tahun"]) for row in self.data.anggaran if not row["_leaf"]
        }
        stale = [line.pk for key, line in existing.items() if key in without_money]
        if stale:
            BudgetLine.objects.filter(pk__in=stale).delete()
            self.counts("budget_line").deleted += len(stale)

    def _indicators(self) -> dict[str, Indicator]:
        existing = {ind.code: ind for ind in Indicator.objects.filter(plan=self.plan)}
        wanted = {}
        for index, row in enumerate(self.data.indikator):
            owner = row["pemilik"]
            node = self.nodes.get(owner) if owner in self.nodes and self.nodes[owner].kind != "misi" else None
            wanted[row["kode"]] = {
                "plan_id": self.plan.pk,
                "code": row["kode"],
                "name": row["nama"],
                "unit": row["satuan"],
                "polarity": row["polaritas"],
                "aggregation": row["agregasi"],
                "tags": row["jenis"],
                "definition": row["definisi"] or "",
                "data_source": row["sumber_data"] or "",
                "baseline_year": row["baseline_tahun"],
                "baseline": row["baseline"],
                "responsible": row["penanggung_jawab"] or "",
                "owner_node_id": node.pk if node else None,
                "owner_budget_item_id": None if node else self.items[owner].pk,
                "order": index,
            }
        fields = [name for name in next(iter(wanted.values()), {}) if name not in ("plan_id", "code")]
        return self.upsert("indicator", Indicator, existing, wanted, fields)

    def _agreements(self, keys: set[tuple[int, str]]) -> dict[tuple[int, str], PerformanceAgreement]:
        existing = {
            (a.year, a.version): a for a in PerformanceAgreement.objects.filter(agency=self.agency)
        }
        result = dict(existing)
        for year, version in sorted(keys, key=lambda k: (k[0], k[1] != "murni")):
            if (year, version) in result:
                continue
            amends = result.get((year, "murni")) if version == "perubahan" else None
            agreement = PerformanceAgreement(
                agency=self.agency, year=year, version=version, amends=amends
            )
            agreement.save()
            result[(year, version)] = agreement
            self.counts("agreement").created += 1
        return result

    def _targets(self) -> None:
        rows = self.data.target
        pk_keys = {(row["tahun"], DOCUMENT_VERSION[row["dokumen"]][1]) for row in rows if row["dokumen"].startswith("pk")}
        agreements = self._agreements(pk_keys)
        existing = {
            (t.indicator_id, t.year, t.document, t.version): t
            for t in Target.objects.filter(indicator__plan=self.plan)
        }
        wanted = {}
        for row in rows:
            document, version = DOCUMENT_VERSION[row["dokumen"]]
            indicator = self.indicators[row["kode_indikator"]]
            agreement = agreements[(row["tahun"], version)] if document == "pk" else None
            wanted[(indicator.pk, row["tahun"], document, version)] = {
                "indicator_id": indicator.pk,
                "year": row["tahun"],
                "document": document,
                "version": version,
                "agreement_id": agreement.pk if agreement else None,
                "value": row["target"],
                "q1": row["tw1"],
                "q2": row["tw2"],
                "q3": row["tw3"],
                "q4": row["tw4"],
                "end_value": row["target_akhir"],
                "_row": row["_row"],
            }
        self._guard_locked_agreements(existing, wanted, agreements)
        for values in wanted.values():
            values.pop("_row")
        self.upsert("target", Target, existing, wanted, ["agreement_id", "value", "q1", "q2", "q3", "q4", "end_value"])

    def _guard_locked_agreements(self, existing: dict, wanted: dict, agreements: dict) -> None:
        locked = {a.pk: a for a in agreements.values() if a.is_locked}
        issues = []
        for key, values in wanted.items():
            if values["agreement_id"] not in locked:
                continue
            current = existing.get(key)
            if current is None or any(
                getattr(current, name) != values[name] for name in ("value", "q1", "q2", "q3", "q4")
            ):
                agreement = locked[values["agreement_id"]]
                issues.append(
                    Issue("Target", values["_row"], "target", str(values["value"]),
                          f"nilai yang sama dengan {agreement} yang sudah disetujui; perubahan target "
                          "dicatat sebagai dokumen pk_perubahan")
                )
        if issues:
            raise ImportRejected(issues)

    def _realizations(self) -> None:
        existing = {
            (r.indicator_id, r.year, r.quarter): r for r in Realization.objects.filter(indicator__plan=self.plan)
        }
        wanted = {}
        for row in self.data.realisasi:
            indicator = self.indicators[row["kode_indikator"]]
            wanted[(indicator.pk, row["tahun"], row["triwulan"])] = {
                "indicator_id": indicator.pk,
                "year": row["tahun"],
                "quarter": row["triwulan"],
                "value": row["realisasi"],
                "status": row["status"],
                "numerator": row["pembilang"],
                "denominator": row["penyebut"],
                "note": row["keterangan"] or "",
                "source": row["sumber"] or "",
            }
        fields = ["value", "status", "numerator", "denominator", "note", "source"]
        self.upsert("realization", Realization, existing, wanted, fields)

    def _benchmarks(self) -> None:
        existing = {
            (b.indicator_id, b.year, b.scope): b for b in Benchmark.objects.filter(indicator__plan=self.plan)
        }
        wanted = {}
        for row in self.data.pembanding:
            indicator = self.indicators[row["kode_indikator"]]
            wanted[(indicator.pk, row["tahun"], row["lingkup"])] = {
                "indicator_id": indicator.pk,
                "year": row["tahun"],
                "scope": row["lingkup"],
                "value": row["nilai"],
                "source": row["sumber"] or "",
                "note": row["keterangan"] or "",
            }
        self.upsert("benchmark", Benchmark, existing, wanted, ["value", "source", "note"])

    def _narratives(self) -> None:
        year = self.data.year
        existing = {
            (n.section, n.indicator_id): n for n in Narrative.objects.filter(agency=self.agency, year=year)
        }
        wanted = {}
        for row in self.data.narasi:
            indicator_id = self.indicators[row["kode_indikator"]].pk if row["kode_indikator"] else None
            wanted[(row["bagian"], indicator_id)] = {
                "agency_id": self.agency.pk,
                "year": year,
                "section": row["bagian"],
                "indicator_id": indicator_id,
                "text": row["teks"],
            }
        self.upsert("narrative", Narrative, existing, wanted, ["text"])

    def _staff(self) -> None:
        if not self.data.pegawai:
            return
        year = self.data.year
        current = StaffCount.objects.filter(agency=self.agency, year=year)
        existing = {(s.dimension, s.category, s.status): s for s in current}
        wanted = {
            (row["dimensi"], row["kategori"], row["status"]): {
                "agency_id": self.agency.pk,
                "year": year,
                "dimension": row["dimensi"],
                "category": row["kategori"],
                "status": row["status"],
                "count": row["jumlah"],
                "order": index,
            }
            for index, row in enumerate(self.data.pegawai)
        }
        self.upsert("staff", StaffCount, existing, wanted, ["count", "order"])
        stale = [s.pk for key, s in existing.items() if key not in wanted]
        if stale:
            StaffCount.objects.filter(pk__in=stale).delete()
            self.counts("staff").deleted += len(stale)

    def _recommendations(self) -> None:
        if not self.data.rekomendasi:
            return
        years = {row["tahun"] for row in self.data.rekomendasi}
        current = Recommendation.objects.filter(agency=self.agency, year__in=years)
        existing = {(r.year, r.order): r for r in current}
        wanted = {}
        position: dict[int, int] = {}
        for row in self.data.rekomendasi:
            order = position[row["tahun"]] = position.get(row["tahun"], -1) + 1
            wanted[(row["tahun"], order)] = {
                "agency_id": self.agency.pk,
                "year": row["tahun"],
                "order": order,
                "component": row["komponen"] or "",
                "text": row["rekomendasi"],
                "follow_up": row["tindak_lanjut"] or "",
                "status": row["status"] or "",
            }
        self.upsert("recommendation", Recommendation, existing, wanted, ["component", "text", "follow_up", "status"])
        stale = [r.pk for key, r in existing.items() if key not in wanted]
        if stale:
            Recommendation.objects.filter(pk__in=stale).delete()
            self.counts("recommendation").deleted += len(stale)

    def _scale(self) -> None:
        if not self.data.has_skala:
            return
        year = self.data.year
        rows = sorted(self.data.skala, key=lambda r: (r["urutan"] is None, r["urutan"] or 0))
        wanted = [
            (r["label"], r["min"], r["min_inklusif"], r["max"], r["max_inklusif"], index)
            for index, r in enumerate(rows)
        ]
        in_force = (
            RatingScale.objects.filter(agency=self.agency, valid_from__lte=year).order_by("-valid_from").first()
        )
        if in_force is not None:
            current = [
                (b.label, b.lower, b.lower_inclusive, b.upper, b.upper_inclusive, b.order)
                for b in in_force.bands.order_by("order")
            ]
            if current == wanted:
                self.counts("scale").unchanged += 1
                return
        scale = in_force if in_force is not None and in_force.valid_from == year else None
        if scale is None:
            scale = RatingScale.objects.create(
                agency=self.agency, name=f"Skala {self.agency.short_name or self.agency.name}", valid_from=year
            )
            self.counts("scale").created += 1
        else:
            scale.bands.all().delete()
            self.counts("scale").updated += 1
        RatingBand.objects.bulk_create(
            RatingBand(scale=scale, label=label, lower=lower, lower_inclusive=lower_inc, upper=upper,
                       upper_inclusive=upper_inc, order=order)
            for label, lower, lower_inc, upper, upper_inc, order in wanted
        )


def _may_edit_government(user: User, government: Government | None) -> bool:
    """Superusers, and planners/admins of that Pemda; a new Pemda only by a superuser."""
    if user.is_superuser:
        return True
    return government is not None and user.government_roles.filter(
        government=government, role__in=["admin", "planner"]
    ).exists()


def _is_planner_of(user: User, agency: Agency | None, government: Government | None) -> bool:
    return (
        agency is not None
        and government is not None
        and agency.government_id == government.pk
        and user.memberships.filter(agency=agency, role="planner").exists()
    )
