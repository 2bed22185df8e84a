from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency
from budget.summary import budget_summary
from lkjip.numbers import format_id, format_percent, format_rupiah
from performance.measurement import measure
from reports.snapshot import build_measurement


class Command(BaseCommand):
    help = "Cetak tabel pengukuran kinerja (target, realisasi per triwulan, capaian, predikat) dan serapan anggaran."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="kode_instansi, mis. bekasi-disnaker")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: object, agency: str, year: int, format: str, **options: object) -> None:
        found = Agency.objects.select_related("government").filter(code=agency).first()
        if found is None:
            raise CommandError(f"Perangkat daerah dengan kode {agency!r} tidak ditemukan.")
        measurement = measure(agency=found, year=year)
        if measurement.plan is None:
            raise CommandError(f"Tidak ada Renstra {agency} yang mencakup tahun {year}.")
        if format == "json":
            # The same serialisation the LKjIP document is rendered from (its data part).
            data, _ = build_measurement(agency=found, year=year)
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self._text(measurement, budget_summary(agency=found, year=year))

    def _text(self, measurement, budget) -> None:
        out = self.stdout.write
        agency = measurement.agency
        out(f"PENGUKURAN KINERJA {agency.name.upper()} TAHUN {measurement.year}")
        scale = measurement.scale_name or "belum ditetapkan"
        if measurement.scale_default:
            scale += " (skala bawaan: Pemda belum menetapkan skala penilaian)"
        out(f"Skala penilaian: {scale}. Capaian sasaran: {measurement.method} capaian indikatornya"
            + (f", tiap capaian dibatasi {format_id(measurement.cap)} %" if measurement.cap else "") + ".")
        header = f"{'Kode':<10} {'Indikator':<48} {'Satuan':<9} {'Target':>10} {'Dokumen':<17} " \
                 f"{'TW I':>9} {'TW II':>9} {'TW III':>9} {'TW IV':>9} {'Realisasi':>10} {'Capaian':>10}  Predikat"
        for group in measurement.groups:
            out("")
            out(f"{group.kind} {group.code}: {group.label}")
            out(f"  Capaian {group.kind.lower()}: {format_percent(group.achievement.value, group.achievement.reason)}"
                + (f" ({group.rating})" if group.rating else ""))
            out(header)
            for f in group.indicators:
                quarters = [format_id(q.value, empty="–") if q else "–" for q in f.quarters]
                achievement = format_percent(f.achievement.value, empty="n/a")
                out(
                    f"{f.code:<10} {f.indicator.name[:48]:<48} {f.indicator.unit[:9]:<9} "
                    f"{format_id(f.target.value) if f.target else '–':>10} {f.target.label if f.target else '–':<17} "
                    f"{quarters[0]:>9} {quarters[1]:>9} {quarters[2]:>9} {quarters[3]:>9} "
                    f"{format_id(f.year_value.value):>10} {achievement:>10}  {f.rating or '–'}"
                )
                if f.achievement.value is None:
                    out(f"{'':<10} Capaian belum tersedia: {f.not_available_reason}")
                for other in f.other_targets:
                    out(f"{'':<10} Target {other.label}: {format_id(other.value)} → capaian "
                        f"{format_percent(other.achievement.value, empty='n/a')}")
        out("")
        out(f"ANGGARAN {measurement.year}")
        if budget.is_empty:
            out("Belum ada data anggaran.")
            return
        out(f"{'Kode':<20} {'Uraian':<60} {'Pagu':>22} {'Realisasi':>22} {'Serapan':>9}")
        for depth, node in budget.rows():
            out(f"{'  ' * depth + node.code:<20} {node.item.name[:60]:<60} {format_rupiah(node.ceiling):>22} "
                f"{format_rupiah(node.spent):>22} {format_percent(node.absorption.value):>9}")
        out(f"{'JUMLAH':<81} {format_rupiah(budget.ceiling):>22} {format_rupiah(budget.spent):>22} "
            f"{format_percent(budget.absorption.value):>9}")
