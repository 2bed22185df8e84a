from __future__ import annotations

import datetime
import json

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from agencies.models import Agency
from audit import selectors

CHUNK = 2000


def _since(text: str) -> datetime.datetime:
    """An ISO date (from local midnight) or date-time (naive = Asia/Jakarta)."""
    try:
        if len(text) <= 10:
            day = datetime.date.fromisoformat(text)
            moment = datetime.datetime.combine(day, datetime.time.min)
        else:
            moment = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Tanggal --since {text!r} tidak valid; gunakan format ISO, mis. 2025-01-31 atau 2025-01-31T08:00."
        ) from None
    if not selectors.DATE_MIN <= moment.date() <= selectors.DATE_MAX:
        raise CommandError(
            f"Tanggal --since {text!r} di luar rentang {selectors.DATE_MIN:%Y-%m-%d} sampai {selectors.DATE_MAX:%Y-%m-%d}."
        )
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Cetak riwayat perubahan satu perangkat daerah (isi yang sama dengan halaman Riwayat perubahan), "
        "urut dari yang terlama, satu baris per kolom yang berubah."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="kode_instansi, mis. bekasi-disnaker")
        parser.add_argument("--year", type=int, help="hanya perubahan data tahun ini (perubahan indikator tanpa tahun tidak ikut)")
        parser.add_argument("--since", help="hanya perubahan sejak tanggal ini (ISO, mis. 2025-01-31; waktu WIB)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, agency: str, year: int | None, since: str | None, format: str, **options: object):
        found = Agency.objects.filter(code=agency).first()
        if found is None:
            raise CommandError(f"Perangkat daerah dengan kode {agency!r} tidak ditemukan.")
        filters = selectors.LogFilters(start=_since(since) if since else None, year=year)
        entries = selectors.agency_entries(agency=found, filters=filters).order_by("at", "pk")
        if format == "json":
            records = []
            for rows in self._chunks(entries):
                records += selectors.field_records(rows)
            self.stdout.write(json.dumps(records, ensure_ascii=False, indent=2))
            return
        self._text(found, filters, entries)

    def _chunks(self, entries):
        """Display rows a few thousand entries at a time: memory and queries stay bounded per chunk."""
        chunk = []
        for entry in entries.iterator(chunk_size=CHUNK):
            chunk.append(entry)
            if len(chunk) == CHUNK:
                yield selectors.history_rows(chunk)
                chunk = []
        if chunk:
            yield selectors.history_rows(chunk)

    def _text(self, agency: Agency, filters: selectors.LogFilters, entries) -> None:
        out = self.stdout.write
        scope = []
        if filters.year is not None:
            scope.append(f"data tahun {filters.year}")
        if filters.start is not None:
            scope.append(f"sejak {timezone.localtime(filters.start):%d-%m-%Y %H:%M} WIB")
        out(f"Riwayat perubahan {agency.name} ({agency.code})" + (f", {', '.join(scope)}" if scope else "")
            + "; urut dari yang terlama, waktu WIB (Asia/Jakarta).")
        entry_count = line_count = 0
        for rows in self._chunks(entries):
            for row in rows:
                entry_count += 1
                entry = row.entry
                head = (
                    f"{timezone.localtime(entry.at):%Y-%m-%d %H:%M:%S} · {entry.user_label} · {row.channel_label} · "
                    f"{row.subject} · {row.detail} · {row.action_label}"
                )
                tail = ""
                if entry.batch_id:
                    tail += f" · impor #{entry.batch_id}"
                if entry.reason:
                    tail += f" · alasan: {entry.reason}"
                # Every field, references too (unlike the pages): the same lines as --format json.
                for change in row.changes or [None]:
                    line_count += 1
                    what = f"{change.label}: {change.old_text} → {change.new_text}" if change else "tanpa rincian kolom"
                    out(f"{head} · {what}{tail}".replace("\r", "").replace("\n", " ↵ "))
        if entry_count == 0:
            out("Tidak ada perubahan yang tercatat.")
        else:
            out(f"Jumlah: {entry_count} perubahan data, {line_count} baris kolom.")
