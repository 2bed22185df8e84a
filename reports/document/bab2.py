"""BAB II Perencanaan Kinerja: visi and misi, the Renstra table, the IKU and the PK versions
(also printed again, unnumbered, in the lampiran)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from lkjip.numbers import as_decimal
from performance.agreements import signed_position

from . import identity
from .formatting import DASH, and_list, decorate, differs, tanggal
from .numbering import Numbering
from .source import Source

PART = "bab2"


def build(doc: Source, numbering: Numbering) -> dict[str, Any]:
    chapter = numbering.chapter(PART, "Perencanaan Kinerja")
    plan = doc.s.get("plan") or {}
    result: dict[str, Any] = {"chapter": chapter, "sections": {}}
    sec = result["sections"]
    sec["visi"] = numbering.section(PART, (1,), "Visi dan Misi")
    misi = [n for n in plan.get("nodes", []) if n["kind"] == "misi"]
    supported = {doc.nodes[n["parent"]]["code"] for n in plan.get("nodes", [])
                 if n["kind"] == "tujuan" and n.get("parent") in doc.nodes}
    result["misi"] = [{**m, "supported": m["code"] in supported} for m in misi]
    result["supported_misi"] = [m for m in misi if m["code"] in supported]
    result["tujuan"] = [
        {**t, "sasaran": [x for x in plan.get("nodes", [])
                          if x["kind"] == "sasaran" and x.get("parent") == t["code"]]}
        for t in plan.get("nodes", []) if t["kind"] == "tujuan"
    ]
    sec["renstra"] = numbering.section(PART, (2,), "Rencana Strategis")
    result["renstra"] = _renstra(doc, numbering)
    sec["iku"] = numbering.section(PART, (3,), "Indikator Kinerja Utama")
    iku = [decorate(i) for i in plan.get("indicators", []) if "IKU" in (i.get("tags") or [])]
    result["iku"] = iku
    result["iku_table"] = numbering.table(PART, (3, 1), "Indikator Kinerja Utama") if iku else None
    sec["pk"] = numbering.section(PART, (4,), f"Perjanjian Kinerja Tahun {doc.year}")
    result["agreements"] = []
    for index, agreement in enumerate(doc.s.get("agreements") or []):
        result["agreements"].append(agreement_view(doc, numbering, agreement, at=(4, 1, index)))
    # Which PK the capaian rests on while none is approved: a note for the drafter (draft only).
    result["agreement_notice"] = (doc.s.get("agreement_notice") or "") if doc.draft else ""
    # Format 3: the printed versions are the approved ones (else the latest, not approved).
    result["approved_labels"] = [a["label"] for a in result["agreements"] if (a["status"] or {}).get("approved")]
    result["approved_phrase"] = and_list(result["approved_labels"])
    return result


def _owner_label(doc: Source, code: str) -> str:
    if code in doc.nodes:
        return doc.nodes[code]["text"]
    if code in doc.budget_rows:
        return doc.budget_rows[code]["name"]
    return code


def _renstra(doc: Source, numbering: Numbering) -> dict[str, Any] | None:
    plan = doc.s.get("plan") or {}
    indicators = [
        i for i in plan.get("indicators", [])
        if i.get("renstra_targets") or i.get("renstra_targets_revised") or i.get("end_target")
    ]
    if not indicators:
        return None
    years = sorted({int(y) for i in indicators for y in
                    list(i.get("renstra_targets", {})) + list(i.get("renstra_targets_revised", {}))})
    groups: list[dict[str, Any]] = []
    for indicator in indicators:
        owner = indicator.get("owner_code") or ""
        if not groups or groups[-1]["code"] != owner:
            groups.append({"code": owner, "kind": (indicator.get("owner_kind") or "").replace("subkegiatan",
                           "sub kegiatan").capitalize(), "label": _owner_label(doc, owner), "rows": []})
        murni = indicator.get("renstra_targets") or {}
        revised = indicator.get("renstra_targets_revised") or {}
        groups[-1]["rows"].append({
            "indicator": decorate(indicator),
            "targets": [murni.get(str(y)) for y in years],
            "revised": [revised.get(str(y)) for y in years] if revised else None,
        })
    for group in groups:
        group["span"] = sum(2 if r["revised"] else 1 for r in group["rows"])
    has_revised = any(r["revised"] for g in groups for r in g["rows"])
    return {
        "years": years,
        "groups": groups,
        "has_revised": has_revised,
        "wide": len(years) > 5,
        "table": numbering.table(PART, (2, 1), "Tujuan, Sasaran, Indikator dan Target Renstra"
                                 + (f" {plan['start']}{DASH}{plan['end']}" if plan.get("start") else "")),
    }


def agreement_view(doc: Source, numbering: Numbering, agreement: dict[str, Any], *,
                   at: tuple[int, ...] | None) -> dict[str, Any]:
    """One PK version as BAB II (numbered tables at `at`) and the lampiran (at=None) print it. Since snapshot format 3 an
    agreement is the version's own contents (performance.agreements.contents: rows of
    sasaran and program indicators, its program budget, signatories, approval); an older
    stored snapshot has rows only and takes the program budget from the budget records."""
    if "programs" not in agreement:
        return _agreement_format2(doc, numbering, agreement, at=at)
    number = agreement.get("number") or 0
    label = agreement.get("label") or "PK"
    title_doc = "Perjanjian Kinerja" + (
        " Murni" if number == 0 else " Perubahan" if number == 1 else f" Perubahan ke-{number}"
    )
    rows = agreement.get("rows") or []
    has_quarters = any(any(q is not None for q in row.get("quarters") or []) for row in rows)
    sections: list[dict[str, Any]] = []
    counter = 0
    strategic_title = ("Tujuan/sasaran strategis" if any(r.get("owner_kind") == "tujuan" for r in rows)
                       else "Sasaran strategis")
    for level, section_title in (("strategic", strategic_title), ("program", "Indikator kinerja program")):
        groups: list[dict[str, Any]] = []
        for row in rows:
            if (row.get("level") or "strategic") != level:
                continue
            if not groups or groups[-1]["code"] != row["owner_code"]:
                counter += 1
                groups.append({"no": counter, "code": row["owner_code"], "label": row["owner_text"], "rows": []})
            groups[-1]["rows"].append({**row, "renstra_diff": _renstra_diff(row),
                                       "responsible": _responsible(doc, row.get("indicator"))})
        if groups:
            sections.append({"title": section_title, "groups": groups})
    has_notes = any(r["renstra_diff"] for section in sections for g in section["groups"] for r in g["rows"])
    # Kept with the plan's indicators, not the PK version: printed only when any row names one.
    has_responsible = any(r["responsible"] for section in sections for g in section["groups"] for r in g["rows"])
    programs = [{**p, "pagu_diff": _pagu_diff(p)} for p in agreement.get("programs") or []]
    columns = 5 + (4 if has_quarters else 0) + (1 if has_notes else 0) + (1 if has_responsible else 0)
    return {
        "agreement": agreement,
        "title": f"{title_doc} Tahun {doc.year}",
        "label": label,
        "status": _agreement_status(agreement),
        "amendment": _amendment(agreement) if number else None,
        "sections": sections,
        "show_sections": len(sections) > 1,
        "has_quarters": has_quarters,
        "has_notes": has_notes,
        "has_responsible": has_responsible,
        "columns": columns,
        "programs": programs,
        "has_program_notes": any(p["pagu_diff"] for p in programs),
        "total": agreement.get("total") or str(sum((as_decimal(p["amount"]) or 0 for p in programs), Decimal(0))),
        "parties": _parties(doc, agreement),
        "table": numbering.table(PART, (*at, 1), f"{title_doc} Tahun {doc.year}: Sasaran, Indikator dan Target")
        if at is not None else None,
        "budget_table": numbering.table(PART, (*at, 2), f"Program dan Anggaran dalam {title_doc} Tahun {doc.year}")
        if at is not None and programs else None,
        "draft": False,
    }


def _agreement_status(agreement: dict[str, Any]) -> dict[str, Any]:
    """When and by whom the version was approved, or its state when it is not (_pk_status.html
    words it)."""
    if agreement.get("approved"):
        return {"approved": True, "on": tanggal(agreement.get("approved_on")), "by": agreement.get("approved_by") or "",
                "sha256": agreement.get("frozen_sha256") or ""}
    return {"approved": False, "label": agreement.get("status_label") or "Draf", "sha256": ""}


def _amendment(agreement: dict[str, Any]) -> dict[str, str]:
    cause = (agreement.get("cause_label") or "").strip()
    note = (agreement.get("cause_note") or "").strip().rstrip(".")
    return {"cause": cause, "note": note, "effective_from": tanggal(agreement.get("effective_from"))}


def _parties(doc: Source, agreement: dict[str, Any]) -> dict[str, Any]:
    """The signatories of the version as recorded; the year's profile and the Pemda's head
    where the version does not name them yet (a draft)."""
    signature = identity.signature(doc)
    agency = doc.s["agency"]
    first = agreement.get("first") or {}
    second = agreement.get("second") or {}
    decree = ""
    if first.get("decree_number"):
        decree = first["decree_number"] + (f" tanggal {tanggal(first['decree_date'])}"
                                           if first.get("decree_date") else "")
    return {
        "first_name": first.get("name") or signature["name"],
        "first_position": signed_position(first) if first.get("position") else signature["title"],
        "first_nip": first.get("nip") if first.get("name") else signature["nip"],
        "first_decree": decree,
        "second_name": second.get("name") or agency.get("government_head_name") or "",
        "second_position": signed_position(second) if second.get("position")
        else (agency.get("government_head_title") or "Kepala Daerah"),
        "place": agreement.get("signed_place") or signature["place"],
        "date": tanggal(agreement.get("signed_on")),
        "placeholder_year": doc.year,
    }


def _agreement_format2(doc: Source, numbering: Numbering, agreement: dict[str, Any], *,
                       at: tuple[int, ...] | None) -> dict[str, Any]:
    """A PK of a snapshot before format 3, printed as it was: the rows, and the program
    budget from the budget records (pagu murni, or after perubahan for the PK Perubahan)."""
    groups: list[dict[str, Any]] = []
    for row in agreement.get("rows", []):
        if not groups or groups[-1]["code"] != row["owner_code"]:
            groups.append({"no": len(groups) + 1, "code": row["owner_code"], "label": row["owner_text"],
                           "rows": []})
        groups[-1]["rows"].append(row)
    has_quarters = any(any(q is not None for q in row.get("quarters") or []) for row in agreement.get("rows", []))
    revised = agreement.get("version") == "perubahan"
    programs = []
    for row in (doc.s.get("budget") or {}).get("rows", []):
        if row["kind"] == "program":
            amount = row["ceiling"] if revised else row["ceiling_original"]
            programs.append({"code": row["code"], "name": row["name"], "amount": amount,
                             "funding": ", ".join(row.get("funding") or [])})
    total = sum((as_decimal(p["amount"]) or Decimal(0) for p in programs), Decimal(0))
    label = agreement.get("label") or "PK"
    title_doc = "Perjanjian Kinerja Perubahan" if revised else "Perjanjian Kinerja"
    signature = identity.signature(doc)
    agency = doc.s["agency"]
    return {
        "agreement": agreement,
        "format2": True,
        "title": f"{title_doc} Tahun {doc.year}",
        "label": label,
        "status": None,
        "amendment": None,
        "sections": [{"title": "", "groups": groups}],
        "show_sections": False,
        "has_quarters": has_quarters,
        "has_notes": False,
        "columns": 5 + (4 if has_quarters else 0),
        "programs": programs,
        "total": str(total),
        "parties": {
            "first_name": signature["name"], "first_position": signature["title"], "first_nip": signature["nip"],
            "first_decree": "", "second_name": agency.get("government_head_name") or "",
            "second_position": agency.get("government_head_title") or "Kepala Daerah",
            "place": signature["place"], "date": signature["date"],
            "placeholder_year": doc.year,
        },
        "table": numbering.table(PART, (*at, 1), f"{title_doc} Tahun {doc.year}: Sasaran, Indikator dan Target")
        if at is not None else None,
        "budget_table": numbering.table(PART, (*at, 2), f"Program dan Anggaran dalam {title_doc} Tahun {doc.year}")
        if at is not None and programs else None,
        "draft": agreement.get("status") == "draft",
    }


def _responsible(doc: Source, code: str | None) -> str:
    """The penanggung jawab of an indicator (plan.indicators[].responsible), "" when none is
    recorded or the snapshot predates the field."""
    return ((doc.plan_indicators.get(code or "") or {}).get("responsible") or "").strip()


def _renstra_diff(row: dict[str, Any]) -> dict[str, Any] | None:
    """Beside a PK target that differs from the Renstra's: that target and the recorded reason."""
    if not differs(row.get("renstra"), row.get("target")):
        return None
    return {"renstra": row["renstra"], "reason": (row.get("reason") or "").strip()}


def _pagu_diff(program: dict[str, Any]) -> dict[str, Any] | None:
    """Beside a PK budget that differs from the pagu of the budget records (or has none there):
    that pagu and the recorded reason."""
    pagu = program.get("pagu")
    if pagu is not None and not differs(pagu, program.get("amount")):
        return None
    return {"pagu": pagu, "reason": (program.get("reason") or "").strip()}
