"""manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]: the deadline reminders on demand."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import date_format

from periods.locks import today
from periods.reminders import DUE, FAILED, SENT, SKIPPED, reminders_send
from periods.templatetags.periods import sisa_hari


class Command(BaseCommand):
    help = (
        "Kirim e-mail pengingat batas waktu pengisian realisasi (sama dengan tugas harian Celery beat): "
        "kepada operator dan perencana perangkat daerah yang masih memiliki isian kosong atau dikembalikan."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="tanggal pengingat (YYYY-MM-DD); bawaan: hari ini (WIB)")
        parser.add_argument("--dry-run", action="store_true", help="tampilkan saja, jangan kirim")

    def handle(self, *args, **options) -> None:
        if options["date"]:
            try:
                on = datetime.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date harus berbentuk YYYY-MM-DD, bukan {options['date']!r}") from exc
        else:
            on = today()
        days = ", ".join(f"H-{n}" for n in settings.REMINDER_DAYS)
        self.stdout.write(f"Pengingat untuk {date_format(on, 'j F Y')} ({days}){' — uji coba' if options['dry_run'] else ''}:")
        outcomes = reminders_send(on=on, dry_run=options["dry_run"])
        for outcome in outcomes:
            r = outcome.reminder
            line = (
                f"  {outcome.status:<12} {r.user.email}  {r.period.label} {r.agency.name}: {r.summary} "
                f"(batas {r.closes}, {sisa_hari(r.days_left)})"
            )
            if outcome.status == SKIPPED:
                line += " — sudah dikirim pada tanggal ini"
            if outcome.error:
                line += f" — {outcome.error}"
            self.stdout.write(line)
        counts = {status: sum(1 for o in outcomes if o.status == status) for status in (SENT, DUE, SKIPPED, FAILED)}
        if not outcomes:
            self.stdout.write("Tidak ada pengingat untuk tanggal ini.")
        elif options["dry_run"]:
            self.stdout.write(f"{counts[DUE]} e-mail akan dikirim, {counts[SKIPPED]} sudah dikirim. "
                              "Uji coba: tidak ada e-mail yang dikirim.")
        else:
            self.stdout.write(f"{counts[SENT]} e-mail terkirim, {counts[SKIPPED]} dilewati, {counts[FAILED]} gagal.")
        if counts[FAILED]:
            raise CommandError(f"{counts[FAILED]} e-mail gagal dikirim; jalankan lagi untuk mencoba ulang.")
