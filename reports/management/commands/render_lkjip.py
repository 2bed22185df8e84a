from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from performance.measurement import plan_for
from reports.models import LkjipDocument
from reports.services import FinalBlocked, document_render_direct, document_request


class Command(BaseCommand):
    help = "Buat PDF LKjIP satu perangkat daerah dan satu tahun."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="kode_instansi, mis. bekasi-disnaker")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", type=Path, help="tulis PDF ke berkas ini (tanpa menyimpan versi)")
        parser.add_argument(
            "--queue", action="store_true",
            help="simpan sebagai versi dan serahkan ke antrean reports (worker Celery), lalu tunggu hasilnya",
        )
        parser.add_argument(
            "--final", action="store_true",
            help="(dengan --queue) versi final tanpa tanda air DRAF; ditolak selama ada temuan yang menghalangi",
        )
        parser.add_argument("--timeout", type=int, default=300, help="detik menunggu worker (dengan --queue)")

    def handle(self, *args: object, agency: str, year: int, output: Path | None, queue: bool, timeout: int,
               final: bool, **options: object) -> None:
        found = Agency.objects.select_related("government").filter(code=agency).first()
        if found is None:
            raise CommandError(f"Perangkat daerah dengan kode {agency!r} tidak ditemukan.")
        if plan_for(found, year) is None:
            raise CommandError(f"Tidak ada Renstra {agency} yang mencakup tahun {year}.")
        if final and not queue:
            raise CommandError("--final hanya bersama --queue: PDF yang dibuat langsung (--output) bukan versi "
                               "tersimpan dan selalu berupa draf tanpa kode verifikasi.")
        if queue:
            self._queued(found, year, timeout, final)
            return
        if output is None:
            raise CommandError("Sebutkan --output BERKAS.pdf, atau --queue untuk membuat versi lewat antrean.")
        started = time.perf_counter()
        pdf, pages = document_render_direct(agency=found, year=year)
        try:
            output.write_bytes(pdf)
        except OSError as exc:
            raise CommandError(f"Tidak dapat menulis {output}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(
            f"{output}: {pages} halaman, {time.perf_counter() - started:.1f} detik (draf langsung, bukan versi "
            "tersimpan: tanpa kode verifikasi)"))

    def _queued(self, agency: Agency, year: int, timeout: int, final: bool) -> None:
        try:
            document, created = document_request(agency=agency, year=year, user=None, final=final)
        except FinalBlocked as refused:
            lines = [refused.summary] + [f"- [{item.code}] {item.message}" for item in refused.items]
            raise CommandError("\n".join(lines)) from None
        kind = "final" if final else "draf"
        self.stdout.write(f"Versi {document.number} {kind} ({'baru' if created else 'data tidak berubah'}), "
                          f"kode {document.code}")
        deadline = time.monotonic() + timeout
        while True:
            document.refresh_from_db()
            if document.is_finished:
                break
            if time.monotonic() > deadline:
                raise CommandError(f"Worker belum selesai setelah {timeout} detik (status: {document.status}).")
            time.sleep(0.5)
        if document.status == LkjipDocument.Status.FAILED:
            raise CommandError(f"Pembuatan dokumen gagal: {document.error}")
        self.stdout.write(self.style.SUCCESS(
            f"Selesai: {document.page_count} halaman, sha256 {document.pdf_sha256}, berkas {document.pdf.name}"))
