"""The rules a change of performance records must keep, shared by every write path.

The services call these before writing; the importer turns a violation into a row error, the
admin into a form error, and (later) the API into a 400. Each function only reads what it is
given, so the bulk path checks a whole workbook without a query per row.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format

from lkjip.numbers import as_shown, format_id, format_percent

from .calculations import Band, validate_bands
from .models import PerformanceAgreement, Realization, Recommendation, Target

LOCKED_TARGET_FIELDS = ("value", "q1", "q2", "q3", "q4", "reason")


@dataclass(frozen=True)
class Violation:
    key: Any  # the natural key of the offending record, so a caller can point at its row
    field: str
    value: str
    message: str


class RuleViolation(Exception):
    def __init__(self, violations: list[Violation]):
        super().__init__("; ".join(v.message for v in violations))
        self.violations = violations


def approved_agreement_message(agreement: PerformanceAgreement) -> str:
    return (
        f"{agreement} sudah disetujui dan tidak dapat diubah; perubahan dibuat sebagai PK perubahan "
        "(versi baru) di halaman Perjanjian Kinerja, atau di buku kerja dengan dokumen pk_perubahan selama "
        "tahun itu belum memiliki PK perubahan"
    )


def closed_agreement_message(agreement: PerformanceAgreement) -> str:
    """Why a version that is not a draft (or returned) cannot change: approved, or under review."""
    if agreement.is_locked:
        return approved_agreement_message(agreement)
    return (f"{agreement} sedang diajukan untuk persetujuan: tarik kembali pengajuannya di halaman "
            "Perjanjian Kinerja sebelum mengubahnya")


def target_violations(
    *,
    existing: Mapping[Any, Target],
    wanted: Mapping[Any, Mapping[str, Any]],
    agreements: Mapping[int, PerformanceAgreement],
) -> list[Violation]:
    """An approved PK is what was signed, and a submitted one is what the Pemda is reviewing: their
    targets can neither change nor be added to."""
    violations = []
    for key, values in wanted.items():
        agreement = agreements.get(values.get("agreement_id"))
        if agreement is None or agreement.editable:
            continue
        current = existing.get(key)
        if current is None or any(
            name in values and getattr(current, name) != values[name] for name in LOCKED_TARGET_FIELDS
        ):
            violations.append(Violation(key, "target", str(values["value"]), closed_agreement_message(agreement)))
    return violations


def target_instance_violations(*, target: Target, stored: Target | None, deleting: bool = False) -> list[Violation]:
    """The same rule for one target edited (or deleted) in the admin."""
    agreements = {}
    for candidate in (target, stored):
        if candidate is not None and candidate.agreement_id:
            agreements[candidate.agreement_id] = candidate.agreement
    if deleting:
        locked = [a for a in agreements.values() if not a.editable]
        return [Violation(target.pk, "target", str(target.value), closed_agreement_message(locked[0]))] if locked else []
    values = {name: getattr(target, name) for name in LOCKED_TARGET_FIELDS}
    values["agreement_id"] = target.agreement_id
    violations = target_violations(existing={0: stored} if stored else {}, wanted={0: values}, agreements=agreements)
    if stored is not None and stored.agreement_id != target.agreement_id and not stored.agreement.editable:
        violations.append(Violation(0, "agreement", str(stored.agreement), closed_agreement_message(stored.agreement)))
    return violations


# ---- Perjanjian Kinerja ----

SIGNATORY_REQUIRED = (
    ("first_name", "nama pihak pertama"), ("first_position", "jabatan pihak pertama"),
    ("second_name", "nama pihak kedua"), ("second_position", "jabatan pihak kedua"),
    ("signed_place", "tempat penandatanganan"), ("signed_on", "tanggal penandatanganan"),
)


def agreement_editable_violations(agreement: PerformanceAgreement) -> list[Violation]:
    if agreement.editable:
        return []
    return [Violation(agreement.pk, "status", agreement.status, closed_agreement_message(agreement))]


def agreement_state_message(agreement: PerformanceAgreement, transition: str) -> str:
    state = agreement.get_status_display().lower()
    action = {"submit": "diajukan", "withdraw": "ditarik kembali", "send_back": "dikembalikan",
              "approve": "disetujui"}[transition]
    return f"PK {agreement.version_label} berstatus {state}, tidak dapat {action}"


def effective_date_violations(*, key: Any, year: int, effective_from: Any, previous: PerformanceAgreement | None) -> list[Violation]:
    import datetime

    if not isinstance(effective_from, datetime.date):
        return [Violation(key, "effective_from", str(effective_from or ""), "isi tanggal mulai berlaku perubahan")]
    if effective_from.year != year:
        return [Violation(key, "effective_from", effective_from.isoformat(),
                          f"tanggal mulai berlaku harus dalam tahun {year}")]
    if previous is not None and previous.effective_from and effective_from < previous.effective_from:
        return [Violation(key, "effective_from", effective_from.isoformat(),
                          f"tidak boleh sebelum PK {previous.version_label} berlaku ({previous.effective_from:%d-%m-%Y})")]
    return []


def agreement_content_violations(
    *,
    agreement: PerformanceAgreement,
    header: Mapping[str, Any],
    rows: Mapping[int, Any],
    programs: Mapping[int, Any],
    indicators: Mapping[int, Any],
    items: Mapping[int, Any],
    renstra: Mapping[int, Decimal],
    ceilings: Mapping[int, Decimal],
) -> list[Violation]:
    """What a saved PK version must already keep: its indicators and programs are the agency's,
    a target that differs from the Renstra and a budget that differs from the pagu say why, an
    acting first party names the SK, an amendment has a cause and an effective date."""
    problems = []
    for indicator_id, row in rows.items():
        if indicator_id not in indicators:
            problems.append(Violation(("row", indicator_id), "indicator", str(indicator_id),
                                      "indikator tidak ada di Renstra yang berlaku tahun ini"))
            continue
        if row.value is None:
            problems.append(Violation(("row", indicator_id), "value", "", "target wajib diisi"))
            continue
        expected = renstra.get(indicator_id)
        if expected is not None and row.value != expected and not row.reason.strip():
            problems.append(Violation(("row", indicator_id), "reason", format_id(row.value),
                                      f"target berbeda dari Renstra ({format_id(expected)}): tuliskan alasannya"))
    for item_id, program in programs.items():
        if item_id not in items:
            problems.append(Violation(("program", item_id), "item", str(item_id), "program tidak ada di data anggaran"))
            continue
        if program.amount is None or program.amount < 0:
            problems.append(Violation(("program", item_id), "amount", str(program.amount or ""),
                                      "anggaran wajib diisi, tidak boleh negatif"))
            continue
        ceiling = ceilings.get(item_id)
        if program.amount != (ceiling or 0) and not program.reason.strip():
            shown = f"Rp {format_id(ceiling)}" if ceiling else "tidak ada"
            problems.append(Violation(("program", item_id), "reason", format_id(program.amount),
                                      f"anggaran berbeda dari pagu pada data anggaran ({shown}): tuliskan alasannya"))
    return problems + agreement_header_violations(agreement=agreement, header=header)


def agreement_header_violations(*, agreement: PerformanceAgreement, header: Mapping[str, Any]) -> list[Violation]:
    """The header's own rules, whichever path writes it (form, import, admin, a transition):
    signing near the PK year, an SK for a Plt./Plh., an amendment's cause and effective date."""
    problems = []
    signed_on = header.get("signed_on")
    if signed_on is not None and not agreement.year - 1 <= signed_on.year <= agreement.year:
        problems.append(Violation("signed_on", "signed_on", signed_on.isoformat(),
                                  f"tanggal penandatanganan PK {agreement.year} harus pada tahun "
                                  f"{agreement.year - 1} atau {agreement.year}"))
    decree_on = header.get("first_decree_date")
    if decree_on is not None and signed_on is not None and decree_on > signed_on:
        problems.append(Violation("first_decree_date", "first_decree_date", decree_on.isoformat(),
                                  "SK Plt./Plh. harus sudah ada pada tanggal penandatanganan"))
    if header.get("first_capacity") in ("plt", "plh"):
        if not header.get("first_decree_number"):
            problems.append(Violation("first_decree_number", "first_decree_number", "",
                                      "pihak pertama Plt./Plh.: isi nomor SK penunjukan"))
        if not header.get("first_decree_date"):
            problems.append(Violation("first_decree_date", "first_decree_date", "",
                                      "pihak pertama Plt./Plh.: isi tanggal SK penunjukan"))
    if agreement.number > 0:
        if header.get("cause") not in PerformanceAgreement.Cause.values:
            problems.append(Violation("cause", "cause", str(header.get("cause") or ""), "pilih sebab perubahan"))
        if not header.get("cause_note"):
            problems.append(Violation("cause_note", "cause_note", "", "uraikan sebab perubahan"))
        problems += effective_date_violations(key="effective_from", year=agreement.year,
                                              effective_from=header.get("effective_from"), previous=agreement.amends)
    elif header.get("cause") or header.get("effective_from"):
        problems.append(Violation("cause", "cause", str(header.get("cause") or ""),
                                  "PK murni tidak memiliki sebab perubahan atau tanggal berlaku perubahan"))
    return problems


def agreement_submit_violations(*, agreement: PerformanceAgreement, contents: Mapping[str, Any]) -> list[Violation]:
    """What stops a version from being submitted: no rows, a missing reason (the Renstra or the
    pagu may have changed since it was saved), signatories or signing place/date missing."""
    problems = []
    if not contents["rows"]:
        problems.append(Violation(agreement.pk, "rows", "", "PK belum memuat indikator"))
    for row in contents["rows"]:
        if row["renstra"] is not None and Decimal(row["renstra"]) != Decimal(row["target"]) and not row["reason"]:
            problems.append(Violation(("row", row["indicator"]), "reason", row["target"],
                                      f"{row['indicator']}: target berbeda dari Renstra "
                                      f"({format_id(Decimal(row['renstra']))}): tuliskan alasannya"))
    for program in contents["programs"]:
        if Decimal(program["amount"]) != Decimal(program["pagu"] or 0) and not program["reason"]:
            problems.append(Violation(("program", program["code"]), "reason", program["amount"],
                                      f"{program['code']}: anggaran berbeda dari pagu: tuliskan alasannya"))
    for name, label in SIGNATORY_REQUIRED:
        if not getattr(agreement, name):
            problems.append(Violation(name, name, "", f"{label} wajib diisi sebelum diajukan"))
    return problems


def agreement_order_violations(
    *, agreement: PerformanceAgreement, unapproved_earlier: PerformanceAgreement | None
) -> list[Violation]:
    """Versions are approved in order: an amendment only after the version it amends."""
    earlier = unapproved_earlier
    if earlier is None:
        return []
    return [Violation(agreement.pk, "status", agreement.status,
                      f"PK {earlier.version_label} belum disetujui; setujui versi sebelumnya lebih dulu")]


def scale_violations(*, bands: list[Band]) -> list[Violation]:
    """A scale must rate every value exactly once."""
    return [Violation(None, "bands", "", problem) for problem in validate_bands(bands)]


# ---- recommendations of a recorded LHE (evaluations.Evaluation) ----
# The recommendations of year N are the LHE of the LKjIP N - 1. Once that LHE is recorded
# (an Evaluation of evaluated_year N - 1 exists), its recommendations are the evaluator's or
# the inspectorate's: the agency writes only its tindak lanjut (follow_up, status). Without a
# recorded LHE the rows are seed data (the workbook's sheet Rekomendasi) and replace as before.

LHE_FIELDS = ("agency_id", "year", "component", "text", "order")


def lhe_recommendation_message(year: int) -> str:
    return (f"Rekomendasi LHE tahun {year} dicatat oleh evaluator/Inspektorat; "
            "perangkat daerah hanya mengisi tindak lanjut")


def _same_text(a: str | None, b: str | None) -> bool:
    """Equal as written, whatever the whitespace (line breaks a spreadsheet may rewrite)."""
    return " ".join((a or "").split()) == " ".join((b or "").split())


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 80 else text[:77] + "…"


def lhe_recommendations_match(
    *, year: int, stored: Sequence[Recommendation], rows: Mapping[Any, Mapping[str, Any]]
) -> tuple[dict[Any, Recommendation], list[Violation]]:
    """Which stored recommendation of the recorded LHE of `year` each given row (key → component,
    text, …, in the source's order) is. A row is the stored recommendation with the same
    component and text (whitespace aside), whatever its position: the sheet has no key but the
    text, and a sorted or reordered sheet still names the same recommendations. Every row must
    be one and every stored one must be named: a changed text or component, a new row and a
    missing one are refused, keyed by the row (a missing one by the year's last row).
    Returns (row key → stored recommendation, violations)."""
    base = lhe_recommendation_message(year)
    free = sorted(stored, key=lambda r: r.order)
    number = {id(r): i for i, r in enumerate(free, 1)}  # as the evaluation page numbers them
    matched: dict[Any, Recommendation] = {}
    unmatched: list[Any] = []
    for key, values in rows.items():
        found = next((r for r in free if _same_text(r.component, values.get("component"))
                      and _same_text(r.text, values.get("text"))), None)
        if found is None:
            unmatched.append(key)
        else:
            matched[key] = found
            free.remove(found)
    found_violations = []
    for key, recommendation in zip(unmatched, free, strict=False):
        values = rows[key]
        field, value = (("component", values.get("component") or "")
                        if _same_text(recommendation.text, values.get("text")) else ("text", values.get("text") or ""))
        found_violations.append(Violation(key, field, value, f"{base}: komponen dan teks harus sama dengan yang "
                                          f"tercatat, {_named(recommendation, number[id(recommendation)])}"))
    for key in unmatched[len(free):]:
        found_violations.append(Violation(key, "text", rows[key].get("text") or "",
                                          f"{base}: rekomendasi baru tidak dapat ditambahkan lewat impor"))
    last = next(reversed(list(rows)), None)
    for recommendation in free[len(unmatched):]:
        found_violations.append(Violation(
            last, "year", str(year),
            f"{base}: {_named(recommendation, number[id(recommendation)])} tidak ada di lembar untuk tahun ini "
            "dan tidak dapat dihapus lewat impor; cantumkan kembali barisnya"))
    return matched, found_violations


def _named(recommendation: Recommendation, number: int) -> str:
    component = f"{recommendation.component} · " if recommendation.component else ""
    return f"rekomendasi {number} ({component}«{_quoted(recommendation.text)}»)"


def lhe_recommendation_instance_violations(
    *, recommendation: Recommendation, stored: Recommendation | None, lhe_years: Sequence[tuple[int, int]],
    deleting: bool = False,
) -> list[Violation]:
    """One recommendation changed on its own (the admin): in a year whose LHE is recorded
    (lhe_years: (agency id, year) pairs), only its tindak lanjut and status may change; it
    cannot be added, deleted, reworded, reordered or moved to another agency or year."""
    def refused(year: int, how: str) -> list[Violation]:
        return [Violation(recommendation.pk, "text", "", f"{lhe_recommendation_message(year)} ({how})")]

    old = (stored.agency_id, stored.year) if stored is not None else None
    new = (recommendation.agency_id, recommendation.year)
    if deleting:
        return refused(old[1], "tidak dapat dihapus") if old in lhe_years else []
    if stored is None:
        return refused(new[1], "rekomendasi dicatat evaluator di halaman evaluasi") if new in lhe_years else []
    changed = any(getattr(stored, name) != getattr(recommendation, name) for name in LHE_FIELDS)
    for key in (old, new):
        if changed and key in lhe_years:
            return refused(key[1], "rekomendasi, komponen, urutan dan tahunnya tidak dapat diubah")
    return []


# ---- realisasi: period locks, verification, concurrency, completeness ----

REALIZATION_VALUE_FIELDS = ("value", "status", "numerator", "denominator", "note", "source")
MAX_VALUE = Decimal("1e16")  # numeric(20, 4): 16 digits before the decimal comma


def verified_message(entry: Realization) -> str:
    when = date_format(timezone.localtime(entry.review_at), "j F Y H:i") if entry.review_at else ""
    return (
        f"realisasi ini sudah diverifikasi oleh {entry.review_by_label or 'perencana'}"
        f"{' pada ' + when if when else ''}; perencana harus membukanya kembali sebelum diubah"
    )


def submitted_message(entry: Realization) -> str:
    return (
        f"realisasi ini sudah diajukan oleh {entry.review_by_label or 'operator'} dan menunggu verifikasi; "
        "tarik kembali pengajuannya atau minta perencana mengembalikannya sebelum diubah"
    )


def realization_changes(current: Realization | None, values: Mapping[str, Any]) -> bool:
    if current is None:
        return True
    return any(getattr(current, name) != values[name] for name in REALIZATION_VALUE_FIELDS if name in values)


def realization_lock_violations(
    *,
    existing: Mapping[Any, Realization],
    wanted: Mapping[Any, Mapping[str, Any]],
    states: Mapping[tuple[int, int | None], Any],
    submitted_editable: bool = True,
) -> list[Violation]:
    """A change (never an unchanged row) of a locked period, or of an entry past draft/returned.

    `states` maps (year, quarter) → periods.locks.PeriodState. Keys are the callers' own.
    The importer and the admin may still correct a submitted entry (`submitted_editable`); the
    entry form may not, so the operator and the planner never edit under each other's hands.
    """
    violations = []
    for key, values in wanted.items():
        current = existing.get(key)
        if not realization_changes(current, values):
            continue
        shown = "" if values.get("value") is None else str(values["value"])
        state = states.get((values["year"], values["quarter"]))
        lock = state.lock if state is not None else None
        if lock is not None:
            violations.append(Violation(key, "realisasi", shown, lock.message))
        elif current is not None and current.review == Realization.Review.VERIFIED:
            violations.append(Violation(key, "realisasi", shown, verified_message(current)))
        elif current is not None and current.review == Realization.Review.SUBMITTED and not submitted_editable:
            violations.append(Violation(key, "realisasi", shown, submitted_message(current)))
    return violations


def computed_value(*, numerator: Decimal, denominator: Decimal, unit: str) -> Decimal:
    """pembilang ÷ penyebut, × 100 when the indicator is a percentage; to the stored precision."""
    if denominator == 0:
        raise ZeroDivisionError
    ratio = numerator / denominator
    if "%" in unit or "persen" in unit.lower():
        ratio *= 100
    return ratio.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def entry_value_violations(*, key: Any, values: Mapping[str, Any], unit: str) -> list[Violation]:
    """The value and the status agree; pembilang/penyebut agree with the value (to the decimals
    the value was written with)."""
    status, value = values["status"], values["value"]
    numerator, denominator = values.get("numerator"), values.get("denominator")
    out = []
    if (numerator is None) != (denominator is None):
        out.append(Violation(key, "denominator" if denominator is None else "numerator", "",
                             "isi pembilang dan penyebut berdua, atau kosongkan keduanya"))
    if denominator is not None and denominator == 0:
        out.append(Violation(key, "denominator", "0", "penyebut tidak boleh nol"))
    if value is not None and abs(value) >= MAX_VALUE:
        return [Violation(key, "value", str(value), "realisasi terlalu besar (paling banyak 16 angka sebelum koma)")]
    if status == Realization.Status.NOT_AVAILABLE:
        if value is not None and numerator is None:
            out.append(Violation(key, "value", str(value), "status 'belum tersedia' tidak disertai nilai; kosongkan nilainya"))
        elif numerator is not None:
            out.append(Violation(key, "numerator", "", "status 'belum tersedia' tidak disertai pembilang/penyebut; kosongkan keduanya"))
        if not values.get("note", "").strip():
            out.append(Violation(key, "note", "", "alasan wajib diisi bila data belum tersedia"))
        return out
    if value is None:
        out.append(Violation(key, "value", "", "isi realisasi (atau pembilang dan penyebut), atau pilih status 'belum tersedia'"))
    elif numerator is not None and denominator:
        # To as many decimals as the value was written with: "37" agrees with 36,92, "36,9" does not.
        computed = computed_value(numerator=numerator, denominator=denominator, unit=unit)
        exponent = value.as_tuple().exponent
        step = Decimal(1).scaleb(max(-4, min(0, exponent if isinstance(exponent, int) else 0)))
        if computed.quantize(step, rounding=ROUND_HALF_UP) != value.quantize(step, rounding=ROUND_HALF_UP):
            out.append(Violation(
                key, "value", str(value),
                f"realisasi {format_id(value)} tidak sama dengan pembilang ÷ penyebut = {format_id(computed)}",
            ))
    return out


EXPLANATION_SECTIONS = ("analisis", "penghambat", "upaya")  # Narrative sections: sebab, hambatan, upaya


def explanation_required(achievement: Any) -> bool:
    """Below target as printed (capaian < 100,00 %): the quarter's entry must say why."""
    shown = as_shown(achievement.result.value)
    return shown is not None and shown < 100


def submit_violations(
    *, entry: Realization, figures: Any, quarter: int, explanations: Mapping[str, str]
) -> list[Violation]:
    """A quarter's entry is complete enough to submit: it has a value (or says why not) and,
    below target, the explanation BAB III prints."""
    key = entry.indicator_id
    if entry.status != Realization.Status.NOT_AVAILABLE and entry.value is None:
        return [Violation(key, "value", "", "realisasi belum diisi")]
    if figures is None or entry.value is None:
        return []
    from .measurement import quarter_figures

    achievement = quarter_figures(figures=figures, quarter=quarter)
    missing = [s for s in EXPLANATION_SECTIONS if not explanations.get(s, "").strip()]
    if explanation_required(achievement) and missing:
        return [Violation(
            key, missing[0], "",
            f"capaian {format_percent(achievement.result.value)} di bawah target: isi sebab, faktor penghambat "
            "dan upaya sebelum diajukan",
        )]
    return []
