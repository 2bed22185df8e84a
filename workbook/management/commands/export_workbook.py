from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from workbook.exporter import ExportError, workbook_export


class Command(BaseCommand):
    help = "Ekspor data satu perangkat daerah dan satu tahun ke workbook LKjIP standar."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="kode_instansi, mis. bekasi-disnaker")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, type=Path)

    def handle(self, *args: object, agency: str, year: int, output: Path, **options: object) -> None:
        found = Agency.objects.select_related("government").filter(code=agency).first()
        if found is None:
            raise CommandError(f"Perangkat daerah dengan kode {agency!r} tidak ditemukan.")
        try:
            data = workbook_export(agency=found, year=year)
        except ExportError as exc:
            raise CommandError(str(exc)) from exc
        try:
            output.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis {output}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"Workbook ditulis ke {output}"))
