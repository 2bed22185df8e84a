"""The reviu checklist (kertas kerja reviu), as data, and what the app proposes for each item.

Each item has a code, its aspect and the Kriteria (PermenPANRB 53/2014, the LKE of PermenPANRB
88/2021 where apt). Its prefill function reads the reviewed version's stored snapshot (which
also holds the data-quality findings of reports/findings.py) and a few facts the snapshot does
not carry (which realisasi have a source and evidence, the year's deadline), and returns a
proposed Kondisi and Status for the inspector to confirm or edit. The facts are the records of
the day the reviu opened, not of the stored version: the rows that use them (bukti, pengesahan)
say "berdasarkan data per <tanggal>". Pure: no ORM, no clock.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from lkjip.numbers import as_decimal, as_shown, format_id, format_percent
from performance import calculations as calc

MET, NOTED, NOT_MET = "terpenuhi", "dengan_catatan", "tidak_terpenuhi"
SAMPLE = 10  # how many offending entries a Kondisi names before "dan n lainnya"


@dataclass(frozen=True)
class Proposal:
    condition: str
    status: str


@dataclass(frozen=True)
class Facts:
    """What the snapshot does not hold, gathered from the records when the reviu is opened."""

    entries: int = 0  # realisasi of the year (excluding "belum tersedia")
    unsourced: list[str] = field(default_factory=list)  # "IKU1 TW IV": neither a source nor an evidence file
    without_evidence: list[str] = field(default_factory=list)  # no evidence file (a source may be written)
    deadline: datetime.date | None = None  # the annual report's deadline
    # When they were read (the day the reviu opened): they are today's records, not the reviewed
    # version's, and the Kondisi of the rows that use them says so.
    as_of: datetime.date | None = None


def _as_of(facts: Facts) -> str:
    """" (berdasarkan data per 15-03-2026)": the rows built from the records, not the snapshot."""
    return f" (berdasarkan data per {facts.as_of:%d-%m-%Y})" if facts.as_of else ""


@dataclass(frozen=True)
class Item:
    code: str
    aspect: str
    criteria: str
    prefill: Callable[[Mapping[str, Any], Facts], Proposal]


def _listed(labels: list[str], limit: int = SAMPLE) -> str:
    shown = ", ".join(labels[:limit])
    return shown + (f" dan {len(labels) - limit} lainnya" if len(labels) > limit else "")


def _indicators(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    return [i for g in (snapshot.get("measurement") or {}).get("groups", []) for i in g.get("indicators", [])]


def _strategic_indicators(snapshot: Mapping[str, Any]) -> list[dict[str, Any]]:
    groups = (snapshot.get("measurement") or {}).get("groups", [])
    return [i for g in groups if g.get("strategic") for i in g.get("indicators", [])] or _indicators(snapshot)


def _findings(snapshot: Mapping[str, Any], *codes: str) -> list[dict[str, Any]]:
    return [f for f in snapshot.get("findings") or [] if f.get("code") in codes]


# ---- the items' prefill functions ----


def outline(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    variant = snapshot.get("variant") or {}
    sections = variant.get("sections") or {}
    missing = [label for key, label in (("ikhtisar", "ikhtisar eksekutif"), ("appendix", "lampiran"))
               if sections.get(key) is False]
    notes = []
    if not ((snapshot.get("narratives") or {}).get("kata_pengantar") or "").strip():
        notes.append("kata pengantar belum ditulis perangkat daerah")
    chapters = ("BAB I Pendahuluan, BAB II Perencanaan Kinerja, BAB III Akuntabilitas Kinerja, "
                + ("BAB IV Tindak Lanjut Rekomendasi, BAB V Penutup" if variant.get("five_chapters") else "BAB IV Penutup"))
    text = f"Dokumen memuat kata pengantar, daftar isi, {chapters}"
    if missing:
        text += f"; bagian yang dimatikan pada varian laporan: {', '.join(missing)}"
        return Proposal(text + "." + (f" Catatan: {'; '.join(notes)}." if notes else ""), NOT_MET)
    text += ", ikhtisar eksekutif dan lampiran (Perjanjian Kinerja dan formulir pengukuran kinerja)."
    if notes:
        return Proposal(text + f" Catatan: {'; '.join(notes)}.", NOTED)
    return Proposal(text, MET)


def alignment(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    year = str(snapshot.get("year"))
    plan = snapshot.get("plan") or {}
    strategic_kinds = {"tujuan", "sasaran"}
    renstra = {
        i["code"] for i in plan.get("indicators", [])
        if i.get("owner_kind") in strategic_kinds
        and year in {**(i.get("renstra_targets") or {}), **(i.get("renstra_targets_revised") or {})}
    }
    iku = sorted(i["code"] for i in plan.get("indicators", []) if "IKU" in (i.get("tags") or []))
    agreements = snapshot.get("agreements") or []
    if not agreements:
        return Proposal(f"Belum ada Perjanjian Kinerja tahun {year}: sasaran dan IKU laporan tidak dapat "
                        "dibandingkan dengan PK.", NOT_MET)
    pk = agreements[-1]
    in_pk = {r["indicator"] for r in pk.get("rows", []) if r.get("level") == "strategic"}
    reported = {i["code"] for i in _strategic_indicators(snapshot)}
    problems = []
    if renstra - in_pk:
        problems.append(f"indikator sasaran Renstra yang tidak ada di {pk.get('label', 'PK')}: {_listed(sorted(renstra - in_pk))}")
    if in_pk - renstra:
        problems.append(f"indikator {pk.get('label', 'PK')} tanpa target Renstra tahun {year}: {_listed(sorted(in_pk - renstra))}")
    if in_pk - reported:
        problems.append(f"indikator PK yang tidak diukur dalam laporan: {_listed(sorted(in_pk - reported))}")
    text = (f"{len(reported)} indikator tujuan/sasaran diukur dalam laporan, {len(in_pk)} dalam {pk.get('label', 'PK')}, "
            f"{len(renstra)} dengan target Renstra tahun {year}" + (f"; IKU: {', '.join(iku)}" if iku else "; belum ada indikator bertanda IKU"))
    if problems:
        return Proposal(text + ". Perbedaan: " + "; ".join(problems) + ".", NOTED)
    return Proposal(text + ". Sasaran dan indikatornya sama pada Renstra, PK dan laporan.", MET if iku else NOTED)


def targets(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    agreements = snapshot.get("agreements") or []
    year = snapshot.get("year")
    if not agreements:
        return Proposal(f"Perjanjian Kinerja tahun {year} belum tercatat; target laporan tidak berasal dari PK.", NOT_MET)
    approved = [a for a in agreements if a.get("approved")]
    problems = []
    if not approved:
        problems.append(f"{agreements[-1].get('label', 'PK')} belum disetujui; capaian diukur sementara terhadapnya")
    not_pk = [f"{i['code']} ({i.get('target_document') or 'tanpa target'})" for i in _indicators(snapshot)
              if not (i.get("target_document") or "").startswith("PK")]
    if not_pk:
        problems.append(f"indikator yang diukur terhadap target selain PK: {_listed(not_pk)}")
    for finding in _findings(snapshot, "target_pk_beda_renstra", "pk_perubahan_belum_disetujui"):
        problems.append(finding["message"].rstrip("."))
    amendments = [a for a in approved if a.get("number", 0) > 0]
    undocumented = [a.get("label", "PK perubahan") for a in amendments
                    if not a.get("cause") or not (a.get("cause_note") or "").strip() or not a.get("effective_from")]
    if undocumented:
        problems.append(f"perubahan tanpa sebab atau tanggal berlaku: {', '.join(undocumented)}")
    text = "PK yang disetujui: " + (", ".join(
        f"{a.get('label')} (disetujui {a.get('approved_on') or '-'}"
        + (f"; sebab perubahan: {a.get('cause_label') or a.get('cause')}, berlaku {a.get('effective_from')}" if a.get("number") else "")
        + ")" for a in approved) or "belum ada")
    if problems:
        return Proposal(text + ". " + "; ".join(problems) + ".", NOT_MET if not approved else NOTED)
    return Proposal(text + ". Target setiap indikator dalam laporan adalah target PK tersebut.", MET)


def evidence(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    year = snapshot.get("year")
    if not facts.entries:
        return Proposal(f"Belum ada realisasi tahun {year} yang dapat diuji petik{_as_of(facts)}.", NOT_MET)
    text = f"{facts.entries} realisasi tahun {year} tercatat{_as_of(facts)}"
    if facts.unsourced:
        return Proposal(text + f"; {len(facts.unsourced)} tanpa sumber data maupun bukti dukung: "
                        f"{_listed(facts.unsourced)}. Uji petik atas yang lain perlu dicatat pada kolom bukti.", NOTED)
    if facts.without_evidence:
        return Proposal(text + f"; semuanya menyebut sumber data, {len(facts.without_evidence)} tanpa berkas bukti "
                        f"dukung: {_listed(facts.without_evidence)}.", NOTED)
    return Proposal(text + "; semuanya menyebut sumber data dan memiliki bukti dukung (uji petik dicatat pada kolom bukti).", MET)


def recomputation(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    wrong, aggregated, checked = [], [], 0
    for i in _indicators(snapshot):
        stored = as_decimal((i.get("achievement") or {}).get("value"))
        target, actual = as_decimal(i.get("target")), as_decimal(i.get("actual"))
        again = calc.achievement(target, actual, i.get("polarity") or "positif").value
        if stored is not None or again is not None:
            checked += 1
        if as_shown(stored) != as_shown(again):
            wrong.append(f"{i['code']}: dokumen {format_percent(stored) if stored is not None else 'tanpa capaian'}, "
                         f"hitung ulang {format_percent(again) if again is not None else 'tanpa capaian'}")
        quarters = [as_decimal(q) for q in i.get("quarters") or []]
        if actual is not None and quarters and all(q is not None for q in quarters):
            total = calc.aggregate_quarters(quarters, i.get("aggregation") or "akhir").value
            if total is not None and total != actual:
                aggregated.append(f"{i['code']} (tahunan {format_id(actual)}, {i.get('aggregation')} triwulan "
                                  f"{format_id(total)})")
    negative = sum(1 for i in _indicators(snapshot) if i.get("polarity") == "negatif")
    text = (f"Capaian {checked} indikator dihitung ulang dari target, realisasi dan polaritas dalam dokumen "
            f"({negative} berpolaritas negatif: (2 × target − realisasi) ÷ target × 100)")
    problems = []
    if wrong:
        problems.append("berbeda: " + "; ".join(wrong))
    if aggregated:
        problems.append("realisasi tahunan berbeda dari agregasi triwulannya: " + _listed(aggregated))
    problems += [f["message"].rstrip(".") for f in _findings(snapshot, "kumulatif_menurun", "capaian_di_atas_150")]
    if problems:
        return Proposal(text + ". " + "; ".join(problems) + ".", NOT_MET if wrong else NOTED)
    return Proposal(text + ": semuanya sama dengan capaian dalam dokumen.", MET)


def comparisons(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    indicators = _strategic_indicators(snapshot)
    if not indicators:
        return Proposal("Laporan tidak memuat indikator yang dapat dibandingkan.", NOT_MET)
    no_end = [i["code"] for i in indicators if i.get("end_target") is None]
    no_history = [i["code"] for i in indicators if not any(p.get("value") is not None for p in i.get("history") or [])]
    no_bench = [i["code"] for i in indicators if not i.get("benchmarks")]
    benchmarks_on = ((snapshot.get("variant") or {}).get("sections") or {}).get("benchmarks", True)
    text = (f"{len(indicators)} indikator tujuan/sasaran dibandingkan dengan target tahunan; "
            f"dengan target akhir Renstra: {len(indicators) - len(no_end)}; dengan tahun sebelumnya: "
            f"{len(indicators) - len(no_history)}; dengan angka nasional/provinsi: {len(indicators) - len(no_bench)}")
    gaps = []
    if no_end:
        gaps.append(f"tanpa target akhir Renstra: {_listed(no_end)}")
    if no_history:
        gaps.append(f"tanpa realisasi tahun sebelumnya: {_listed(no_history)}")
    if no_bench:
        gaps.append(f"tanpa pembanding nasional/provinsi: {_listed(no_bench)}")
    if not benchmarks_on:
        gaps.append("bagian perbandingan nasional/provinsi dimatikan pada varian laporan")
    if not gaps:
        return Proposal(text + ".", MET)
    total_gap = len(no_end) == len(no_history) == len(no_bench) == len(indicators)
    return Proposal(text + ". " + "; ".join(gaps) + ".", NOT_MET if total_gap else NOTED)


EXPLAINED = ("analisis", "penghambat", "upaya")


def explanations(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    below = [i for i in _indicators(snapshot) if (i.get("achievement") or {}).get("value") is not None and not i.get("met")]
    if not below:
        return Proposal("Seluruh indikator yang terukur mencapai target; penjelasan keberhasilan dinilai dari narasi "
                        "analisis capaian.", MET)
    lacking = [i["code"] for i in below if not any((i.get("narratives") or {}).get(s) for s in EXPLAINED)]
    partial = [i["code"] for i in below if i["code"] not in lacking
               and not all((i.get("narratives") or {}).get(s) for s in ("penghambat", "upaya"))]
    text = f"{len(below)} indikator belum mencapai target"
    if lacking:
        status = NOT_MET if len(lacking) == len(below) else NOTED
        return Proposal(text + f"; tanpa penjelasan sebab, penghambat maupun upaya: {_listed(lacking)}.", status)
    if partial:
        return Proposal(text + f"; penghambat atau upaya belum diuraikan untuk: {_listed(partial)}.", NOTED)
    return Proposal(text + "; setiap indikator diberi uraian sebab, faktor penghambat dan upaya perbaikan.", MET)


def efficiency(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    rows = snapshot.get("efficiency") or []
    on = ((snapshot.get("variant") or {}).get("sections") or {}).get("efficiency", True)
    if not on:
        return Proposal("Analisis efisiensi dimatikan pada varian laporan.", NOT_MET)
    if not rows:
        return Proposal("Laporan tidak memuat analisis efisiensi: tidak ada program yang dikaitkan dengan sasaran.", NOT_MET)
    shown = "; ".join(
        f"{r['code']}: capaian {format_percent(as_decimal(r['achievement']['value'])) if r['achievement']['value'] else '–'}, "
        f"serapan {format_percent(as_decimal(r['absorption']['value'])) if r['absorption']['value'] else '–'}"
        for r in rows[:SAMPLE])
    return Proposal(f"Efisiensi disajikan untuk {len(rows)} sasaran (capaian kinerja − serapan anggaran): {shown}.", MET)


def signed(snapshot: Mapping[str, Any], facts: Facts) -> Proposal:
    sig = snapshot.get("signatory") or {}
    name, date = (sig.get("name") or "").strip(), sig.get("date")
    if not name or not date:
        missing = [w for w, v in (("nama penandatangan", name), ("tanggal penandatanganan", date)) if not v]
        return Proposal(f"Laporan belum ditetapkan: {' dan '.join(missing)} belum diisi.", NOT_MET)
    signed_on = datetime.date.fromisoformat(date)
    text = f"Ditandatangani {sig.get('title') or 'kepala perangkat daerah'} {name} pada {signed_on:%d-%m-%Y}"
    if facts.deadline is None:
        return Proposal(text + f"; batas waktu penyampaian tidak diketahui{_as_of(facts)}.", NOTED)
    if signed_on > facts.deadline:
        return Proposal(text + f", melewati batas penyampaian {facts.deadline:%d-%m-%Y}{_as_of(facts)}.", NOTED)
    return Proposal(text + f", sebelum batas penyampaian {facts.deadline:%d-%m-%Y}{_as_of(facts)}.", MET)


ITEMS: tuple[Item, ...] = (
    Item("sistematika", "Sistematika penyajian",
         "Laporan Kinerja disusun menurut sistematika PermenPANRB 53/2014: ikhtisar eksekutif, BAB I Pendahuluan, "
         "BAB II Perencanaan Kinerja, BAB III Akuntabilitas Kinerja, BAB IV Penutup, dan lampiran (Perjanjian "
         "Kinerja, formulir pengukuran kinerja).", outline),
    Item("keselarasan", "Sasaran dan IKU",
         "Sasaran strategis dan Indikator Kinerja Utama dalam laporan sama dengan Renstra dan Perjanjian Kinerja "
         "(PermenPANRB 53/2014; LKE PermenPANRB 88/2021 komponen 3.a).", alignment),
    Item("target_pk", "Target dan Perjanjian Kinerja",
         "Target yang dilaporkan adalah target Perjanjian Kinerja yang disetujui; setiap PK perubahan "
         "didokumentasikan dengan sebab dan tanggal berlakunya.", targets),
    Item("bukti", "Keandalan data realisasi",
         "Setiap realisasi dapat ditelusuri ke bukti dukung dan menyebutkan sumber datanya (diuji petik) "
         "(LKE PermenPANRB 88/2021 3.a.4: informasi kinerja andal dan akurat).", evidence),
    Item("hitung_ulang", "Perhitungan capaian",
         "Capaian dihitung sesuai polaritas indikator (positif: realisasi ÷ target × 100; negatif: (2 × target − "
         "realisasi) ÷ target × 100), aritmetikanya benar, dan realisasi tahunan sesuai sifat indikator "
         "(kumulatif atau nilai akhir).", recomputation),
    Item("perbandingan", "Perbandingan capaian",
         "Capaian dibandingkan dengan target tahunan, target akhir Renstra, realisasi tahun-tahun sebelumnya dan "
         "capaian nasional/provinsi (PermenPANRB 53/2014, BAB III).", comparisons),
    Item("penjelasan", "Analisis sebab dan upaya",
         "Penyebab keberhasilan atau kegagalan, faktor penghambat dan upaya/solusi diuraikan, beserta rencana "
         "perbaikan (PermenPANRB 53/2014, BAB III).", explanations),
    Item("efisiensi", "Efisiensi sumber daya",
         "Efisiensi penggunaan sumber daya disajikan: capaian kinerja dibandingkan dengan realisasi anggaran per "
         "sasaran atau program (PermenPANRB 53/2014, BAB III).", efficiency),
    Item("pengesahan", "Penetapan dan ketepatan waktu",
         "Laporan ditandatangani pimpinan perangkat daerah dan disampaikan tepat waktu, paling lambat tiga bulan "
         "setelah tahun anggaran berakhir (PermenPANRB 53/2014).", signed),
)
BY_CODE = {item.code: item for item in ITEMS}


def proposals(snapshot: Mapping[str, Any], facts: Facts) -> dict[str, Proposal]:
    """What the app proposes for every checklist item, from the reviewed version's snapshot."""
    return {item.code: item.prefill(snapshot, facts) for item in ITEMS}
