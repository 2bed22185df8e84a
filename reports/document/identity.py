"""What every page and the signature blocks print about the document itself: its titles, the
signatory, the verification block (code, version, QR) and the running header and footer."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.safestring import mark_safe

from .formatting import tanggal
from .pdf import TIMEZONE, _utc, css_string, qr_svg
from .source import Source


def titles(doc: Source) -> dict[str, str]:
    long = (doc.variant.get("long") or "Laporan Kinerja Instansi Pemerintah").strip()
    short = (doc.variant.get("short") or "").strip()
    agency = doc.s["agency"]
    full = f"{long.upper()}{f' ({short})' if short else ''} TAHUN {doc.year}"
    return {
        "long": long,
        "long_upper": long.upper(),
        "short": short,
        "name": short or long,
        "full": full,
        "running": f"{short or long} Tahun {doc.year}",
        "agency_running": agency.get("name", ""),
    }


def signature(doc: Source) -> dict[str, Any]:
    sig = doc.s.get("signatory") or {}
    agency = doc.s["agency"]
    title = (sig.get("title") or "").strip()
    if not title:
        title = f"{'Plt. ' if sig.get('acting') else ''}Kepala {agency.get('name', '')}".strip()
    place = (sig.get("place") or "").strip()
    date_text = tanggal(sig.get("date"))
    return {
        "title": title,
        "name": (sig.get("name") or "").strip(),
        "rank": (sig.get("rank") or "").strip(),
        "nip": (sig.get("nip") or "").strip(),
        "acting": bool(sig.get("acting")),
        "place": place,
        "date": date_text,  # "" when not recorded: the template prints a blank to fill, never a guessed year
    }


def _local_generated(doc: Source) -> datetime.datetime:
    value = doc.generated_at
    if value.tzinfo is not None:
        value = value.astimezone(TIMEZONE)
    return value


def created_iso(doc: Source) -> str:
    return _utc(doc.generated_at).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def verification(doc: Source) -> dict[str, Any] | None:
    if doc.code is None:
        return None
    local = _local_generated(doc)
    zone = " WIB" if doc.generated_at.tzinfo is not None else ""
    return {
        "url": doc.verify_url,
        "code": doc.code,
        "number": doc.number,
        "generated": f"{tanggal(local.date())} pukul {local:%H.%M}{zone}",
        "qr": mark_safe(qr_svg(doc.verify_url)),
    }


def page_css(doc: Source, running: str) -> str:
    agency = doc.s["agency"]
    # A render that is not a stored version has no code to verify: its footer says so.
    footer = ("Bukan versi terverifikasi: dicetak langsung, tanpa kode verifikasi" if doc.code is None
              else f"Verifikasi keaslian dokumen: {doc.verify_url}")
    return mark_safe(
        "@page { @top-left { content: " + css_string(f"{running} · {agency.get('name', '')}")
        + "; } @bottom-left { content: " + css_string(footer) + "; } }"
    )
