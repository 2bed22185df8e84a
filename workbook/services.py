"""Import a validated workbook into the records, all or nothing.

The importer maps sheets to records and hands them to the owning apps' bulk services
(agencies, performance, budget), which check the rules, write set-based (one query per table
to read what exists, batched inserts and updates) and record one audit entry per changed
record, all linked to this upload's ImportBatch. The whole import is one transaction under
the agency's write lock, so two imports of one agency give the result of one after the other.
Importing the same workbook again changes nothing and records only the batch.

A re-import adds and updates; it never deletes indicators, targets or realisasi (those
are removed deliberately, in the admin). Sheets that describe a whole year at once
(Pegawai, Rekomendasi, Skala) replace that year's rows; the recommendations of a year whose LHE is
recorded are the evaluator's, and the sheet writes only their tindak lanjut and status.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from django.db import IntegrityError, transaction

from agencies import permissions
from agencies import services as agency_services
from agencies.locks import agency_lock
from agencies.models import Agency, Government, User
from audit.models import AuditEntry, Channel
from audit.services import AuditContext, UpsertResult, batch_open
from budget import services as budget_services
from lkjip.numbers import format_id
from performance import services as performance_services
from performance.models import PerformanceAgreement
from performance.rules import RuleViolation

from .issues import Issue, shown
from .parser import WorkbookData, budget_parent_code, parse
from .reader import UnreadableWorkbook, read_bytes, read_workbook
from .schema import AGREEMENT_HEADER_COLUMNS, DOCUMENT_VERSION

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
    "agreement_program": "Program dalam PK",
    "agreement_reason": "Alasan target PK",
    "target": "Target",
    "realization": "Realisasi",
    "benchmark": "Nilai pembanding",
    "narrative": "Narasi",
    "staff": "Jumlah pegawai",
    "recommendation": "Rekomendasi",
    "scale": "Skala penilaian",
    "spending_by_type": "Belanja per jenis",
    "statistics_table": "Tabel statistik",
}

HEADER_COLUMN = {name: column for column, name in AGREEMENT_HEADER_COLUMNS}
PROGRAM_COLUMN = {"item": "kode_program", "amount": "anggaran", "reason": "alasan"}


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
    batch_id: int | None = None  # the ImportBatch that links this import's audit entries
    audit_entries: int = 0

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
    *,
    source: str | Path | IO[bytes],
    dry_run: bool = False,
    user: User | None = None,
    file_name: str = "",
    channel: str | None = None,
) -> ImportReport:
    """Validate and import one workbook. Nothing is written when there is any error, or when
    dry_run is set; the report says what was (or would have been) created and updated.

    `user` is the uploader in the web UI: they must be a planner of the agency in the file
    or an admin of its Pemda. The CLI passes None (it runs with the operator's authority);
    its changes are recorded as the system's, on the `command` channel.
    """
    try:
        content = read_bytes(source)  # kept: its sha256 identifies the batch
        sheets = read_workbook(content)
    except UnreadableWorkbook as exc:
        return ImportReport(ok=False, dry_run=dry_run, errors=[exc.issue], error_total=1)
    parsed = parse(sheets)
    report = ImportReport(ok=False, dry_run=dry_run, errors=parsed.errors, warnings=parsed.warnings,
                          error_total=parsed.error_total)
    if parsed.errors:
        return report
    data = parsed.data
    report.agency_code, report.year = data.instansi["kode_instansi"], data.year
    if not file_name:
        file_name = Path(source).name if isinstance(source, (str, Path)) else getattr(source, "name", "") or "workbook.xlsx"
    ctx = AuditContext(user=user, channel=channel or (Channel.IMPORT if user is not None else Channel.COMMAND))
    try:
        with transaction.atomic():
            agency_lock(report.agency_code)
            ctx = batch_open(
                ctx=ctx, file_name=file_name, file_sha256=hashlib.sha256(content).hexdigest(),
                agency_code=report.agency_code, year=report.year,
            )
            _Writer(data, report, user, ctx).run()
            report.batch_id = None if dry_run else ctx.batch.pk
            report.audit_entries = AuditEntry.objects.filter(batch=ctx.batch).count()
            if dry_run:
                transaction.set_rollback(True)
    except ImportRejected as exc:
        report.errors = exc.issues
        report.error_total = len(exc.issues)
        report.counts = {}
        return report
    except IntegrityError:
        # The lock serialises imports of one agency; what can still collide is a record two
        # agencies share (a new Pemda named by two workbooks at once).
        report.errors = [
            Issue("", None, "", "", "data yang sama sedang disimpan oleh pengguna lain pada saat yang sama; "
                  "tidak ada yang disimpan, ulangi impor")
        ]
        report.counts = {}
        return report
    report.ok = True
    return report


class _Writer:
    def __init__(self, data: WorkbookData, report: ImportReport, user: User | None, ctx: AuditContext):
        self.data = data
        self.report = report
        self.user = user
        self.ctx = ctx

    def counts(self, key: str) -> Counts:
        return self.report.counts.setdefault(key, Counts())

    def count(self, key: str, result: UpsertResult) -> dict:
        counts = self.counts(key)
        counts.created += result.created
        counts.updated += result.updated
        counts.unchanged += result.unchanged
        counts.deleted += result.deleted
        return result.objects

    # ---- the sheets, in dependency order ----

    def run(self) -> None:
        info = self.data.instansi
        self._guard(info["kode_instansi"], info["pemda"])
        ctx = self.ctx
        if self.may_edit_government:
            self.government, result = agency_services.government_upsert(
                name=info["pemda"],
                values={
                    "kind": info["jenis_pemda"],
                    "province": info.get("provinsi") or "",
                    "head_title": info.get("kepala_daerah_jabatan") or "",
                    "head_name": info.get("kepala_daerah_nama") or "",
                },
                ctx=ctx,
            )
            self.count("government", result)
        else:
            # An agency planner imports into a Pemda record shared by every agency of that Pemda:
            # they may name it, not change it.
            self.government = Government.objects.get(name=info["pemda"])
            self.counts("government").unchanged += 1
        self.agency, result = agency_services.agency_upsert(
            code=info["kode_instansi"],
            values={
                "government_id": self.government.pk,
                "name": info["nama_instansi"],
                "short_name": info.get("singkatan") or "",
                "address": info.get("alamat") or "",
                "phone": info.get("telepon") or "",
                "email": info.get("email") or "",
                "website": info.get("situs") or "",
            },
            ctx=ctx,
        )
        self.count("agency", result)
        _, result = agency_services.agency_year_upsert(
            agency=self.agency,
            year=self.data.year,
            values={
                "head_title": info.get("kepala_jabatan") or "",
                "head_name": info.get("kepala_nama") or "",
                "head_rank": info.get("kepala_pangkat") or "",
                "head_nip": info.get("kepala_nip") or "",
                "signature_place": info.get("tempat_ttd") or "",
                "signature_date": info.get("tanggal_ttd"),
            },
            ctx=ctx,
        )
        self.count("agency_year", result)
        start, end = self.data.period
        self.plan, result = performance_services.plan_upsert(
            agency=self.agency, start_year=start, end_year=end, vision=info.get("visi") or "", ctx=ctx
        )
        self.count("plan", result)
        self.nodes = self._nodes()
        self.items = self._budget_items()
        self._budget_lines()
        self.indicators = self._indicators()
        self._targets()
        self._agreement_headers()
        self._agreement_programs()
        self._agreement_reasons()
        self._realizations()
        self._benchmarks()
        self._narratives()
        self._staff()
        self._recommendations()
        self._scale()
        self._spending_by_type()
        self._statistics_tables()

    def _guard(self, code: str, pemda: str) -> None:
        """Who may import this file, decided before anything is written.

        The uploader's authority is checked first, and a refusal says the same whether or not
        the agency code exists, so a file cannot be used to learn about other agencies.
        """
        existing = Agency.objects.filter(code=code).select_related("government").first()
        government = Government.objects.filter(name=pemda).first()
        self.may_edit_government = permissions.may_edit_government(user=self.user, government=government)
        if not permissions.may_import_into(user=self.user, agency=existing, government=government):
            raise ImportRejected(
                [Issue("Instansi", None, "nilai (kode_instansi)", code,
                       "perangkat daerah tempat Anda menjadi perencana (atau administrator/perencana pemdanya)")]
            )
        if existing and existing.government.name != pemda:
            # Codes are unique across Pemda, so a taken code must be refused; but only someone who
            # may import into that agency learns which Pemda holds it.
            if permissions.may_import_into(user=self.user, agency=existing, government=existing.government):
                expected = f"{existing.government.name}: kode_instansi {code} sudah terdaftar di pemda tersebut"
            else:
                expected = f"kode_instansi yang belum dipakai perangkat daerah lain ({code} sudah dipakai)"
            raise ImportRejected([Issue("Instansi", None, "nilai (pemda)", pemda, expected)])

    def _nodes(self) -> dict:
        rows = {
            row["kode"]: {"kind": row["jenis"], "text": row["uraian"], "order": index}
            for index, row in enumerate(self.data.renstra)
        }
        parents = {row["kode"]: row["induk"] or None for row in self.data.renstra}
        return self.count(
            "node",
            performance_services.plan_nodes_upsert(plan=self.plan, rows=rows, parent_code=parents, ctx=self.ctx),
        )

    def _budget_items(self) -> dict:
        # One item per code; its name and sasaran come from the latest year that names it.
        latest: dict[str, dict] = {}
        for row in sorted(self.data.anggaran, key=lambda r: r["tahun"]):
            latest[row["kode"]] = row
        rows = {
            code: {
                "kind": row["jenis"],
                "name": row["uraian"],
                "objective_id": self.nodes[row["sasaran"]].pk if row["sasaran"] else None,
            }
            for code, row in latest.items()
        }
        parents = {code: budget_parent_code(code, row["jenis"]) for code, row in latest.items()}
        return self.count(
            "budget_item",
            budget_services.budget_items_upsert(agency=self.agency, rows=rows, parent_code=parents, ctx=self.ctx),
        )

    def _budget_lines(self) -> None:
        rows, row_numbers = {}, {}
        for row in self.data.anggaran:
            if not row["_leaf"]:
                continue
            row_numbers[(self.items[row["kode"]].pk, row["tahun"])] = row["_row"]
            rows[(self.items[row["kode"]].pk, row["tahun"])] = {
                "funding_source": row["sumber_dana"] or "",
                "ceiling_original": row["pagu_murni"],
                "ceiling_amended": row["pagu_perubahan"],
                "spent_q1": row["realisasi_tw1"] or 0,
                "spent_q2": row["realisasi_tw2"] or 0,
                "spent_q3": row["realisasi_tw3"] or 0,
                "spent_q4": row["realisasi_tw4"] or 0,
                "responsible": row["penanggung_jawab"] or "",
            }
        # A row that now has sub-rows, or no money, for a year no longer carries money of its own that year.
        without_money = {(self.items[row["kode"]].pk, row["tahun"]) for row in self.data.anggaran if not row["_leaf"]}
        try:
            result = budget_services.budget_lines_upsert(
                agency=self.agency, rows=rows, without_money=without_money, ctx=self.ctx
            )
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("Anggaran", row_numbers.get(v.key), v.field, v.value, v.message) for v in exc.violations]
            ) from exc
        self.count("budget_line", result)

    def _indicators(self) -> dict:
        rows = {}
        for index, row in enumerate(self.data.indikator):
            owner = row["pemilik"]
            node = self.nodes.get(owner) if owner in self.nodes and self.nodes[owner].kind != "misi" else None
            rows[row["kode"]] = {
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
        return self.count(
            "indicator", performance_services.indicators_upsert(plan=self.plan, rows=rows, ctx=self.ctx)
        )

    def _targets(self) -> None:
        data_rows = self.data.target
        pk_keys = {
            (row["tahun"], DOCUMENT_VERSION[row["dokumen"]][1]) for row in data_rows if row["dokumen"].startswith("pk")
        }
        before = set(PerformanceAgreement.objects.filter(agency=self.agency).values_list("pk", flat=True))
        agreements, created = performance_services.agreements_ensure(agency=self.agency, keys=pk_keys, ctx=self.ctx)
        self.counts("agreement").created += created
        self.agreements = agreements
        self.new_agreements = {a.pk for a in agreements.values()} - before
        rows, row_numbers = {}, {}
        for row in data_rows:
            document, version = DOCUMENT_VERSION[row["dokumen"]]
            indicator = self.indicators[row["kode_indikator"]]
            agreement = agreements[(row["tahun"], version)] if document == "pk" else None
            key = (indicator.pk, row["tahun"], document, version)
            row_numbers[key] = row["_row"]
            rows[key] = {
                "agreement_id": agreement.pk if agreement else None,
                "value": row["target"],
                "q1": row["tw1"],
                "q2": row["tw2"],
                "q3": row["tw3"],
                "q4": row["tw4"],
                "end_value": row["target_akhir"],
            }
        try:
            result = performance_services.targets_upsert(
                plan=self.plan, rows=rows, agreements=agreements.values(), ctx=self.ctx
            )
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("Target", row_numbers[v.key], v.field, v.value, v.message) for v in exc.violations]
            ) from exc
        self.count("target", result)
        # The indicator codes of each PK document's targets, in sheet order (PK_Alasan covers them).
        self.pk_targets: dict[tuple[str, int], list[str]] = {}
        for row in data_rows:
            if row["dokumen"].startswith("pk"):
                self.pk_targets.setdefault((row["dokumen"], row["tahun"]), []).append(row["kode_indikator"])

    # ---- the Perjanjian Kinerja sheets: header, program budget, reasons ----

    def _agreement(self, row: dict) -> PerformanceAgreement:
        return self.agreements[(row["tahun"], DOCUMENT_VERSION[row["dokumen"]][1])]

    def _agreement_headers(self) -> None:
        if not self.data.pk:
            return
        headers, row_numbers = {}, {}
        for row in self.data.pk:
            agreement = self._agreement(row)
            headers[agreement.pk] = {name: row[column] for column, name in AGREEMENT_HEADER_COLUMNS}
            row_numbers[agreement.pk] = row["_row"]
        # Which headers change, judged against the versions as read before the write; a PK this
        # import created is counted once, as created.
        by_pk = {a.pk: a for a in self.agreements.values()}
        changed = {
            pk for pk, header in headers.items()
            if any(getattr(by_pk[pk], name) != value
                   for name, value in performance_services.agreement_header_values(header).items())
        }
        try:
            performance_services.agreement_headers_upsert(agency=self.agency, headers=headers, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("PK", row_numbers.get(v.key), HEADER_COLUMN.get(v.field, v.field), v.value, v.message)
                 for v in exc.violations]
            ) from exc
        counts = self.counts("agreement")
        for pk in headers:
            if pk in self.new_agreements:
                continue
            if pk in changed:
                counts.updated += 1
            else:
                counts.unchanged += 1

    def _agreement_programs(self) -> None:
        if not self.data.pk_anggaran:
            return
        programs: dict[int, dict[int, performance_services.AgreementProgramInput]] = {}
        row_numbers, codes = {}, {}
        for row in self.data.pk_anggaran:
            agreement, item = self._agreement(row), self.items[row["kode_program"]]
            programs.setdefault(agreement.pk, {})[item.pk] = performance_services.AgreementProgramInput(
                row["anggaran"], row["alasan"] or ""
            )
            row_numbers[(agreement.pk, item.pk)] = row["_row"]
            codes[agreement.pk] = f"{row['dokumen']} {row['tahun']}"
        try:
            result = performance_services.agreement_programs_replace(agency=self.agency, programs=programs, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("PK_Anggaran", row_numbers.get(v.key), PROGRAM_COLUMN.get(v.field, v.field),
                       v.value if v.key in row_numbers else f"{codes.get(v.key[0], '')}: {v.value}", v.message)
                 for v in exc.violations]
            ) from exc
        self.count("agreement_program", result)
        # Submitting the PK needs a reason where its figure is not the pagu in force: say so now.
        from performance.agreements import program_ceilings

        ceilings = {year: program_ceilings(agency=self.agency, year=year)
                    for year in {row["tahun"] for row in self.data.pk_anggaran}}
        for row in self.data.pk_anggaran:
            ceiling = ceilings[row["tahun"]].get(self.items[row["kode_program"]].pk)
            if row["anggaran"] != (ceiling or 0) and not (row["alasan"] or "").strip():
                shown = f"Rp {format_id(ceiling)}" if ceiling else "tidak ada pagu"
                self.report.warnings.append(Issue(
                    "PK_Anggaran", row["_row"], "alasan", "",
                    f"anggaran berbeda dari pagu pada data anggaran ({shown}): tuliskan alasannya; "
                    "tanpa alasan PK tidak dapat diajukan",
                ))

    def _agreement_reasons(self) -> None:
        if not self.data.pk_alasan:
            return
        given = {
            (row["dokumen"], row["tahun"], row["kode_indikator"]): row for row in self.data.pk_alasan
        }
        reasons, row_numbers, codes = {}, {}, {}
        # Every PK target of a document the sheet names: its reason, or none.
        for document in {(row["dokumen"], row["tahun"]) for row in self.data.pk_alasan}:
            agreement = self._agreement({"dokumen": document[0], "tahun": document[1]})
            for indicator_code in self.pk_targets.get(document, ()):
                indicator = self.indicators[indicator_code]
                row = given.get((*document, indicator_code))
                reasons[(agreement.pk, indicator.pk)] = row["alasan"] if row else ""
                codes[(agreement.pk, indicator.pk)] = indicator_code
                if row:
                    row_numbers[(agreement.pk, indicator.pk)] = row["_row"]
        try:
            result = performance_services.agreement_reasons_set(agency=self.agency, reasons=reasons, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("PK_Alasan", row_numbers.get(v.key), "alasan" if v.key in row_numbers else "kode_indikator",
                       v.value if v.key in row_numbers else codes.get(v.key, ""), v.message)
                 for v in exc.violations]
            ) from exc
        self.count("agreement_reason", result)

    def _realizations(self) -> None:
        rows, row_numbers = {}, {}
        for row in self.data.realisasi:
            indicator = self.indicators[row["kode_indikator"]]
            row_numbers[(indicator.pk, row["tahun"], row["triwulan"])] = row["_row"]
            rows[(indicator.pk, row["tahun"], row["triwulan"])] = {
                "value": row["realisasi"],
                "status": row["status"],
                "numerator": row["pembilang"],
                "denominator": row["penyebut"],
                "note": row["keterangan"] or "",
                "source": row["sumber"] or "",
            }
        try:
            result = performance_services.realizations_upsert(plan=self.plan, rows=rows, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("Realisasi", row_numbers[v.key], "realisasi", v.value, v.message) for v in exc.violations]
            ) from exc
        self.count("realization", result)

    def _benchmarks(self) -> None:
        rows = {}
        for row in self.data.pembanding:
            indicator = self.indicators[row["kode_indikator"]]
            rows[(indicator.pk, row["tahun"], row["lingkup"])] = {
                "value": row["nilai"],
                "source": row["sumber"] or "",
                "note": row["keterangan"] or "",
            }
        self.count("benchmark", performance_services.benchmarks_upsert(plan=self.plan, rows=rows, ctx=self.ctx))

    def _narratives(self) -> None:
        rows = {}
        for row in self.data.narasi:
            indicator_id = self.indicators[row["kode_indikator"]].pk if row["kode_indikator"] else None
            rows[(row["bagian"], indicator_id)] = row["teks"]
        self.count(
            "narrative",
            performance_services.narratives_upsert(agency=self.agency, year=self.data.year, rows=rows, ctx=self.ctx),
        )

    def _staff(self) -> None:
        if not self.data.pegawai:
            return
        rows = {
            (row["dimensi"], row["kategori"], row["status"]): {"count": row["jumlah"], "order": index}
            for index, row in enumerate(self.data.pegawai)
        }
        self.count(
            "staff",
            agency_services.staff_counts_replace(agency=self.agency, year=self.data.year, rows=rows, ctx=self.ctx),
        )

    def _recommendations(self) -> None:
        if not self.data.rekomendasi:
            return
        rows, row_numbers = {}, {}
        position: dict[int, int] = {}
        for row in self.data.rekomendasi:
            order = position[row["tahun"]] = position.get(row["tahun"], -1) + 1
            row_numbers[(row["tahun"], order)] = row["_row"]
            rows[(row["tahun"], order)] = {
                "component": row["komponen"] or "",
                "text": row["rekomendasi"],
                "follow_up": row["tindak_lanjut"] or "",
                "status": row["status"] or "",
            }
        try:
            result = performance_services.recommendations_replace(agency=self.agency, rows=rows, ctx=self.ctx)
        except RuleViolation as exc:
            # A year whose LHE is recorded: the sheet may change only the tindak lanjut and status.
            column = {"component": "komponen", "text": "rekomendasi", "year": "tahun"}
            raise ImportRejected(
                [Issue("Rekomendasi", row_numbers.get(v.key), column.get(v.field, v.field), shown(v.value), v.message)
                 for v in exc.violations]
            ) from exc
        self.count("recommendation", result)

    def _scale(self) -> None:
        if not self.data.has_skala:
            return
        rows = sorted(self.data.skala, key=lambda r: (r["urutan"] is None, r["urutan"] or 0))
        bands = [
            {
                "label": r["label"], "lower": r["min"], "lower_inclusive": r["min_inklusif"], "upper": r["max"],
                "upper_inclusive": r["max_inklusif"], "order": index,
            }
            for index, r in enumerate(rows)
        ]
        try:
            outcome = performance_services.scale_replace(agency=self.agency, year=self.data.year, bands=bands, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected([Issue("Skala", None, "", "", v.message) for v in exc.violations]) from exc
        setattr(self.counts("scale"), outcome, getattr(self.counts("scale"), outcome) + 1)

    def _spending_by_type(self) -> None:
        """Each year the sheet names is replaced whole; years it does not name keep their rows."""
        if not self.data.belanja:
            return
        years: dict[int, dict[str, budget_services.SpendingTypeInput]] = {}
        row_numbers = {}
        for row in self.data.belanja:
            years.setdefault(row["tahun"], {})[row["jenis"]] = budget_services.SpendingTypeInput(
                ceiling_original=row["pagu_murni"], ceiling_amended=row["pagu_perubahan"], spent=row["realisasi"],
            )
            row_numbers[(row["tahun"], row["jenis"])] = row["_row"]
        column = {"ceiling_original": "pagu_murni", "ceiling_amended": "pagu_perubahan", "spent": "realisasi"}
        for year, rows in sorted(years.items()):
            try:
                result = budget_services.spending_by_type_replace(agency=self.agency, year=year, rows=rows, ctx=self.ctx)
            except RuleViolation as exc:
                raise ImportRejected(
                    [Issue("Belanja", row_numbers.get((year, v.key)), column.get(v.field, "jenis"), v.value, v.message)
                     for v in exc.violations]
                ) from exc
            self.count("spending_by_type", result)

    def _statistics_tables(self) -> None:
        """Sheets Statistik and Statistik_Isi replace the report year's tables, in sheet order."""
        if not self.data.has_statistik:
            return
        from sectorstats import services as statistics_services

        cells: dict[str, list] = {}
        for row in self.data.statistik_isi:
            if row.get("_cells"):
                cells.setdefault(row["kode_tabel"], []).append(row["_cells"])
        tables = [
            statistics_services.TableInput(
                code=row["kode"], title=row["judul"], section=row["bagian"], columns=row["_columns"],
                rows=cells.get(row["kode"], []),
                indicator_id=self.indicators[row["kode_indikator"]].pk if row["kode_indikator"] else None,
                source=row["sumber"] or "", note=row["catatan"] or "",
            )
            for row in self.data.statistik
        ]
        row_numbers = {row["kode"]: row["_row"] for row in self.data.statistik}
        column = {"code": "kode", "title": "judul", "section": "bagian", "indicator": "kode_indikator",
                  "source": "sumber", "isi": "kolom_1"}
        try:
            result = statistics_services.statistics_tables_replace(
                agency=self.agency, year=self.data.year, tables=tables, ctx=self.ctx)
        except RuleViolation as exc:
            raise ImportRejected(
                [Issue("Statistik", row_numbers.get(v.key), column.get(v.field, v.field), v.value, v.message)
                 for v in exc.violations]
            ) from exc
        self.count("statistics_table", result)
