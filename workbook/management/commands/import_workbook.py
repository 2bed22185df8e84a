from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lkjip.numbers import format_id
from workbook.services import workbook_import


class Command(BaseCommand):
    help = "Impor workbook LKjIP standar (.xlsx). Semua atau tidak sama sekali."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="periksa dan laporkan tanpa menyimpan apa pun")

    def handle(self, *args: object, path: Path, dry_run: bool, **options: object) -> None:
        report = workbook_import(source=path, dry_run=dry_run)
        for warning in report.warnings:
            self.stderr.write(f"Peringatan: {warning}")
        if not report.ok:
            for error in report.errors:
                self.stderr.write(f"Galat: {error}")
            total = max(report.error_total, len(report.errors))
            if total > len(report.errors):
                self.stderr.write(
                    f"Hanya {format_id(len(report.errors))} galat pertama yang ditampilkan dari {format_id(total)}."
                )
            raise CommandError(f"{format_id(total)} galat; tidak ada data yang disimpan.")
        for line in report.summary_lines():
            self.stdout.write(line)
        verdict = "Uji coba: tidak ada yang disimpan." if dry_run else "Impor selesai."
        self.stdout.write(self.style.SUCCESS(f"{verdict} {report.agency_code} tahun {report.year}."))
        from reports.findings import findings_for

        findings = findings_for(agency_code=report.agency_code, year=report.year) if not dry_run else []
        for finding in findings:
            self.stdout.write(f"Temuan: {finding}")
