"""The standard wording of the Pernyataan Telah Direviu (PermenPANRB 53/2014): limited assurance
on the accuracy, reliability and validity of the performance information. Pure text: the reviu
page and the LKjIP renderer (from the snapshot) print the same sentences."""

from __future__ import annotations

TITLE = "PERNYATAAN TELAH DIREVIU"


def assurance(*, title: str, agency: str, year: int | str) -> list[str]:
    """The paragraphs before the explanatory one."""
    return [
        f"Kami telah mereviu {title} {agency} Tahun {year} sesuai Pedoman Reviu atas Laporan Kinerja. "
        f"Substansi informasi yang dimuat dalam Laporan Kinerja menjadi tanggung jawab manajemen {agency}.",
        "Reviu bertujuan untuk memberikan keyakinan terbatas mengenai akurasi, keandalan, dan keabsahan informasi "
        f"kinerja dalam Laporan Kinerja kepada pimpinan {agency}. Reviu mencakup pengujian atas sistematika "
        "penyajian, keselarasan sasaran dan indikator dengan Renstra dan Perjanjian Kinerja, perhitungan capaian "
        "serta penelusuran data kinerja ke bukti dukungnya; ruang lingkupnya lebih sempit daripada audit, sehingga "
        "kami tidak menyatakan pendapat atas informasi kinerja tersebut.",
        "Berdasarkan reviu kami, tidak terdapat kondisi atau hal-hal yang menimbulkan perbedaan dalam meyakini "
        "keandalan informasi yang disajikan di dalam Laporan Kinerja ini.",
    ]


MATTERS_LEAD = "Hal-hal yang perlu menjadi perhatian:"


def version_sentence(*, number: int, code: str, data_sha256: str) -> str:
    return f"Reviu dilakukan atas dokumen versi {number}, kode {code} (sidik jari data {data_sha256[:16]}…)."


def change_sentence(*, data_changed: bool, number: int) -> str:
    if data_changed:
        return (f"Data pengukuran kinerja atau anggaran dalam dokumen ini telah berubah sejak versi {number} yang "
                "direviu; perubahan tersebut belum direviu.")
    return f"Data pengukuran kinerja dan anggaran dalam dokumen ini sama dengan versi {number} yang direviu."
