"""Data-quality findings for one agency and year, computed from the records.

They point at what a reviewer (or the Inspektorat) would otherwise find in the printed
report: a PK that is not approved, money spent above the ceiling, targets that silently
differ between documents, capaian nobody explained. Findings never block an import; they
are shown next to it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q

from agencies.models import Agency
from budget.summary import BudgetSummary, Completeness, budget_summary, completeness
from lkjip.numbers import as_shown, format_id, format_percent, format_rupiah
from performance import calculations as calc
from performance.measurement import HIGH_PROGRAM_ACHIEVEMENT, Measurement, measure, program_runs
from performance.models import Realization
from performance.narrative_figures import NarrativeFigures, narrative_figures_for

HIGH_ACHIEVEMENT = Decimal(150)
EXPLANATION_SECTIONS = ("analisis", "penghambat", "upaya")


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str  # "galat" (a figure is wrong or impossible) or "peringatan" (needs attention)
    message: str
    indicator: str = ""

    def __str__(self) -> str:
        return f"[{self.severity}] {self.message}"


def findings_for(*, agency_code: str, year: int) -> list[Finding]:
    agency = Agency.objects.select_related("government").get(code=agency_code)
    return agency_findings(
        measurement=measure(agency=agency, year=year), budget=budget_summary(agency=agency, year=year)
    )


def agency_findings(
    *,
    measurement: Measurement,
    budget: BudgetSummary,
    previous: Completeness | None = None,
    narrative_figures: NarrativeFigures | None = None,
) -> list[Finding]:
    """Findings from figures the caller already computed (the page and the snapshot have them).
    `previous`: the year before's budget against this one (budget.summary.completeness); read
    here when the caller has none."""
    if previous is None:
        previous = completeness(budget_summary(agency=measurement.agency, year=measurement.year - 1), budget,
                                period=measurement.periods.get(measurement.year - 1))
    found: list[Finding] = []
    found += _agreement(measurement)
    found += _budget(budget)
    found += _indicators(measurement)
    found += _scale(measurement)
    found += _evaluation(measurement)
    found += _spending_by_type(measurement, budget)
    found += _not_run(measurement, budget)
    found += _earlier_years(measurement, previous)
    found += narrative_findings(measurement=measurement, budget=budget, figures=narrative_figures)
    return found


# Blocking kinds (severity galat): prose stating a figure the app computed otherwise, and a
# placeholder that does not exist or cannot be computed (the document would print it, or "–").
NARRATIVE_CONTRADICTS = "narasi_angka_bertentangan"
NARRATIVE_UNKNOWN_PLACEHOLDER = "narasi_placeholder_tidak_dikenal"
NARRATIVE_PLACEHOLDER_EMPTY = "narasi_placeholder_tanpa_nilai"


def narrative_where(section: str, indicator: str = "", quarter: int | None = None) -> str:
    """"kesimpulan", "analisis IK-01", "penghambat IK-01 TW 2": how a message names a narrative."""
    parts = [section.replace("_", " "), indicator, f"TW {quarter}" if quarter else ""]
    return " ".join(p for p in parts if p)


def narrative_findings(
    *, measurement: Measurement, budget: BudgetSummary, figures: NarrativeFigures | None = None
) -> list[Finding]:
    """Every number in the year's narratives (report-level, per indicator, per quarter) that
    matches no computed figure of its context, and every placeholder that cannot be resolved."""
    from performance.models import Narrative
    from performance.placeholders import resolve
    from performance.prose_numbers import contradictions

    agency = measurement.agency
    figures = figures or narrative_figures_for(agency=agency, year=measurement.year, measurement=measurement,
                                               budget=budget)
    order = {f.code: i for i, f in enumerate(measurement.indicators)}
    notes = sorted(
        Narrative.objects.filter(agency=agency, year=measurement.year).select_related("indicator"),
        key=lambda n: (n.indicator_id is not None, order.get(n.indicator.code, 0) if n.indicator_id else 0,
                       n.section, n.quarter or 0),
    )
    found: list[Finding] = []
    for note in notes:
        code = note.indicator.code if note.indicator_id else ""
        where = narrative_where(note.section, code, note.quarter)
        seen = set()
        for problem in resolve(note.text, values=figures.values, indicator=code or None).problems:
            kind = NARRATIVE_UNKNOWN_PLACEHOLDER if problem.kind == "tidak_dikenal" else NARRATIVE_PLACEHOLDER_EMPTY
            found.append(Finding(kind, "galat", f"Narasi {where}: {problem.message}.", code))
        for contradiction in contradictions(note.text, figures.context(code or None)):
            figure = contradiction.nearest
            computed = f"; {figure.label} yang dihitung {figure.shown}" if figure else ""
            message = f"Narasi {where} menyebut {contradiction.mention.text}{computed}."
            if message not in seen:
                seen.add(message)
                found.append(Finding(NARRATIVE_CONTRADICTS, "galat", message, code))
    return found


def _spending_by_type(measurement: Measurement, budget: BudgetSummary) -> list[Finding]:
    """Belanja per jenis whose total is not the program tree's: both are printed, one is wrong. Reported,
    never adjusted (budget.spending.spending_differences)."""
    from budget.spending import spending_differences, spending_summary

    spending = spending_summary(agency=measurement.agency, year=measurement.year)
    return [
        Finding("belanja_jenis_berbeda", "galat",
                f"Belanja per jenis tahun {measurement.year}: {difference.message}; periksa data jenis belanja "
                "atau data anggaran.")
        for difference in spending_differences(spending, budget)
    ]


def _not_run(measurement: Measurement, budget: BudgetSummary) -> list[Finding]:
    """A program whose own capaian is high while one of its kegiatan did not run: its indicator
    does not show what happened (Pontianak 2.07.03 at 96,15 % beside a training kegiatan that
    trained 0 of 52)."""
    found = []
    for code, run in program_runs(measurement, budget).items():
        shown = as_shown(run.achievement.value)
        if shown is None or shown < HIGH_PROGRAM_ACHIEVEMENT or not run.activities_not_run:
            continue
        items = "; ".join(f"{n.code} {n.name} ({n.reason})" for n in run.activities_not_run)
        found.append(Finding("capaian_program_kegiatan_tidak_dilaksanakan", "peringatan",
                             f"Program {code} {run.name}: capaian indikator program "
                             f"{format_percent(run.achievement.value)}, sedangkan kegiatan berikut tidak "
                             f"dilaksanakan: {items}. Periksa indikator program dan realisasinya."))
    return found


def _earlier_years(measurement: Measurement, previous: Completeness) -> list[Finding]:
    """Comparisons with a year whose records are incomplete: budget lines of the report year
    missing (or without value) the year before, and years whose data covers only some months."""
    year = measurement.year
    found = []
    if previous.available and (previous.absent or previous.empty):
        parts = []
        if previous.absent:
            parts.append(f"{len(previous.absent)} baris anggaran Tahun {year} tidak tercatat pada Tahun "
                         f"{previous.year} ({_items(previous.absent)})")
        if previous.empty:
            parts.append(f"{len(previous.empty)} baris Tahun {previous.year} tanpa nilai pagu dan realisasi "
                         f"({_items(previous.empty)})")
        found.append(Finding("data_tahun_lalu_tidak_lengkap", "peringatan",
                             f"Data anggaran Tahun {previous.year} tidak lengkap: {'; '.join(parts)}. "
                             f"Perbandingan anggaran dengan Tahun {previous.year} tidak setara."))
    for past in sorted(measurement.periods):
        start, end, note = measurement.periods[past]
        label = calc.period_label(start, end, past)
        why = f"; {note[0].lower()}{note[1:]}" if note else ""
        consequence = (f"Perbandingan dengan Tahun {past} tidak setara dengan satu tahun penuh." if past < year
                       else "Capaian dan serapan tahun laporan tidak mencakup satu tahun penuh.")
        found.append(Finding("data_tahun_lalu_tidak_lengkap", "peringatan",
                             f"Data Tahun {past} hanya mencakup {label}{why}. {consequence}"))
    return found


def _items(items: list[tuple[str, str, str]], limit: int = 5) -> str:
    shown = "; ".join(f"{code} {name}" for code, _, name in items[:limit])
    return shown + (f"; dan {len(items) - limit} lainnya" if len(items) > limit else "")


def _evaluation(measurement: Measurement) -> list[Finding]:
    """The LHE the year's document prints (of LKjIP year - 1): a total or predikat the source
    printed that differs from the one computed from its component scores, or a quoted figure
    without component scores (it cannot be checked). One query when nothing was quoted."""
    from evaluations.models import Evaluation
    from evaluations.selectors import evaluation_data, evaluations_of

    year = measurement.year - 1
    quoted = Evaluation.objects.filter(agency=measurement.agency, evaluated_year=year).filter(
        Q(printed_total__isnull=False) | ~Q(printed_predikat=""))
    if not quoted.exists():
        return []
    data = evaluation_data(evaluations_of(agency=measurement.agency, years=[year]).get())
    source = f" ({data['printed_source']})" if data["printed_source"] else ""
    found = []
    if not data["scored"]:
        found.append(Finding("lhe_tanpa_komponen", "peringatan",
                             f"Hasil evaluasi AKIP atas LKjIP {year}: sumber{source} mencetak "
                             f"{_printed(data)} tanpa nilai komponen; nilai itu dikutip sebagaimana tercetak dan "
                             "tidak dapat diperiksa."))
    if data["total_differs"]:
        found.append(Finding("lhe_nilai_berbeda", "galat",
                             f"Hasil evaluasi AKIP atas LKjIP {year}: nilai tercetak{source} "
                             f"{format_id(Decimal(data['printed_total']), 2)}, sedangkan jumlah nilai komponen "
                             f"{format_id(Decimal(data['total']), 2)}; dokumen mencetak jumlah komponen."))
    if data["predikat_differs"]:
        found.append(Finding("lhe_predikat_berbeda", "galat",
                             f"Hasil evaluasi AKIP atas LKjIP {year}: predikat tercetak{source} "
                             f"{data['printed_predikat']}, sedangkan nilai {format_id(Decimal(data['total']), 2)} "
                             f"berpredikat {data['predikat']['label']}; dokumen mencetak predikat hasil hitungan."))
    return found


def _printed(data: dict) -> str:
    parts = []
    if data["printed_total"] is not None:
        parts.append(f"nilai {format_id(Decimal(data['printed_total']), 2)}")
    if data["printed_predikat"]:
        parts.append(f"predikat {data['printed_predikat']}")
    return " dan ".join(parts)


def _agreement(measurement: Measurement) -> list[Finding]:
    """The year's PK: none, none approved yet (the capaian is provisional), or an amendment
    under way after an approved version (the capaian and the document keep the approved one)."""
    state = measurement.agreement_state
    if state is None:
        return []
    year = measurement.year
    if not state.versions:
        return [Finding("pk_belum_disetujui", "peringatan",
                        f"Perjanjian Kinerja tahun {year} belum tercatat: capaian tidak dapat diukur terhadap PK "
                        "yang disetujui.")]
    if not state.approved:
        latest = state.latest
        return [Finding("pk_belum_disetujui", "peringatan",
                        f"PK {latest.version_label} tahun {year} belum disetujui (status: "
                        f"{latest.get_status_display()}); capaian diukur sementara terhadapnya dan laporan "
                        "mencantumkannya sebagai belum disetujui.")]
    pending = state.pending
    if pending is not None:
        return [Finding("pk_perubahan_belum_disetujui", "peringatan",
                        f"PK {pending.version_label} tahun {year} belum disetujui (status: "
                        f"{pending.get_status_display()}); capaian dan laporan memakai PK "
                        f"{state.counting.version_label} yang disetujui sampai perubahan tersebut disetujui.")]
    return []


def _budget(summary: BudgetSummary) -> list[Finding]:
    return [
        Finding(
            "realisasi_melebihi_pagu",
            "galat",
            f"Realisasi anggaran {node.code} {node.item.name} ({format_rupiah(node.spent)}) melebihi pagu "
            f"({format_rupiah(node.ceiling)}).",
        )
        for _, node in summary.rows()
        if not node.children and node.over_ceiling
    ]


def _indicators(measurement: Measurement) -> list[Finding]:
    found = []
    missing_source = 0
    for figure in measurement.indicators:
        indicator = figure.indicator
        label = f"{indicator.code} {indicator.name}"
        quarter_values = [q.value for q in figure.quarters if q is not None and q.value is not None]
        if indicator.aggregation == calc.Aggregation.CUMULATIVE.value:
            if any(value < 0 for value in quarter_values):
                found.append(Finding("kumulatif_menurun", "galat",
                                     f"{label}: indikator kumulatif dengan nilai triwulan negatif (capaian "
                                     "s.d. triwulan menurun).", indicator.code))
            if figure.annual and figure.annual.value is not None and quarter_values:
                quarter_sum = sum(quarter_values, Decimal(0))
                if figure.annual.value < quarter_sum:
                    found.append(Finding("kumulatif_menurun", "galat",
                                         f"{label}: realisasi tahunan {format_id(figure.annual.value)} lebih kecil "
                                         f"dari jumlah triwulan {format_id(quarter_sum)}.", indicator.code))
        value = figure.achievement.value
        shown = as_shown(value)
        if shown is not None and shown > HIGH_ACHIEVEMENT:
            found.append(Finding("capaian_di_atas_150", "peringatan",
                                 f"{label}: capaian {format_percent(value)} di atas 150 %; periksa target dan "
                                 "realisasinya.", indicator.code))
        found += _target_conflicts(figure, label)
        has_quarters = any(q is not None for q in figure.quarters)
        if has_quarters and figure.quarters[3] is None and figure.annual is None:
            found.append(Finding("tw4_kosong", "peringatan",
                                 f"{label}: realisasi triwulan IV belum diisi.", indicator.code))
        entries = [figure.annual] if figure.annual else [q for q in figure.quarters if q]
        # A written source or an attached evidence file (measure() annotates has_evidence) counts as sourced.
        missing_source += sum(
            1 for e in entries
            if e.status != Realization.Status.NOT_AVAILABLE and not e.source and not getattr(e, "has_evidence", False)
        )
        if shown is not None and shown < 100 and not any(figure.narratives.get(s) for s in EXPLANATION_SECTIONS):
            found.append(Finding("capaian_tanpa_penjelasan", "peringatan",
                                 f"{label}: capaian {format_percent(value)} di bawah 100 % tanpa penjelasan "
                                 "(narasi analisis, penghambat atau upaya).", indicator.code))
    if missing_source:
        found.append(Finding("tanpa_bukti", "peringatan",
                             f"{missing_source} realisasi tahun {measurement.year} belum mencantumkan sumber/bukti."))
    return found


def _target_conflicts(figure, label: str) -> list[Finding]:
    """The target of the PK in force against the Renstra in force that year (perubahan where
    revised). A difference the PK explains (the row's recorded reason) is no finding."""
    pk = figure.target if figure.target is not None and figure.target.document == "pk" else None
    targets = {t.key: t.value for t in figure.other_targets}
    revised = targets.get(("renstra", "perubahan"))
    renstra = revised if revised is not None else targets.get(("renstra", "murni"))
    if pk is None or renstra is None or pk.value == renstra or pk.reason.strip():
        return []
    which = "Renstra Perubahan" if revised is not None else "Renstra, tanpa perubahan Renstra yang tercatat"
    return [
        Finding(
            "target_pk_beda_renstra",
            "peringatan",
            f"{label}: target {pk.label} {format_id(pk.value)} berbeda dari target "
            f"{format_id(renstra)} pada {which}, tanpa alasan yang tercatat pada PK.",
            figure.indicator.code,
        )
    ]


def _scale(measurement: Measurement) -> list[Finding]:
    if measurement.scale is None:
        bands = "; ".join(f"{b.label} {b.describe()}" for b in calc.DEFAULT_BANDS)
        return [Finding("skala_belum_ada", "peringatan",
                        "Skala penilaian (predikat) belum ditetapkan untuk perangkat daerah maupun pemdanya; "
                        f"predikat diberikan menurut skala bawaan {calc.DEFAULT_SCALE_REGULATION}: {bands}.")]
    return [
        Finding("skala_bercelah", "galat", f"Skala {measurement.scale.name}: {problem}")
        for problem in calc.validate_bands(measurement.bands)
    ]
