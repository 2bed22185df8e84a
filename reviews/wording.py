"""The standard wording of the Pernyataan Telah Direviu (PermenPANRB 53/2014): limited assurance
on the accuracy, reliability and validity of the performance information. Pure text: the reviu
page and the LKjIP renderer (from the snapshot) print the same sentences."""

from __future__ import annotations

TITLE = "PERNYATAAN TELAH DIREVIU"


CONCLUSION = ("Berdasarkan reviu kami, tidak terdapat kondisi atau hal-hal yang menimbulkan perbedaan dalam "
              "meyakini keandalan informasi yang disajikan di dalam Laporan Kinerja ini.")
# When a working-paper row is Tidak terpenuhi: the conclusion excepts the matters listed after it.
QUALIFIED_CONCLUSION = ("Berdasarkan reviu kami, kecuali hal-hal yang diuraikan dalam paragraf berikut, tidak "
                        "terdapat kondisi atau hal-hal yang menimbulkan perbedaan dalam meyakini keandalan "
                        "informasi yang disajikan di dalam Laporan Kinerja ini.")


def assurance(*, title: str, agency: str, year: int | str, qualified: bool = False) -> list[str]:
    """The paragraphs before the explanatory one; `qualified` (a row Tidak terpenuhi) excepts the
    matters of the explanatory paragraph from the conclusion."""
    return [
        f"Kami telah mereviu {title} {agency} Tahun {year} sesuai Pedoman Reviu atas Laporan Kinerja. "
        f"Substansi informasi yang dimuat dalam Laporan Kinerja menjadi tanggung jawab manajemen {agency}.",
        "Reviu bertujuan untuk memberikan keyakinan terbatas mengenai akurasi, keandalan, dan keabsahan informasi "
        f"kinerja dalam Laporan Kinerja kepada pimpinan {agency}. Reviu mencakup pengujian atas sistematika "
        "penyajian, keselarasan sasaran dan indikator dengan Renstra dan Perjanjian Kinerja, perhitungan capaian "
        "serta penelusuran data kinerja ke bukti dukungnya; ruang lingkupnya lebih sempit daripada audit, sehingga "
        "kami tidak menyatakan pendapat atas informasi kinerja tersebut.",
        QUALIFIED_CONCLUSION if qualified else CONCLUSION,
    ]


MATTERS_LEAD = "Hal-hal yang perlu menjadi perhatian:"


def version_sentence(*, number: int, code: str, data_sha256: str) -> str:
    return f"Reviu dilakukan atas dokumen versi {number}, kode {code} (sidik jari data {data_sha256[:16]}…)."


def change_sentence(*, data_changed: bool, number: int) -> str:
    """Whether what the reviu covered (reports.snapshot.reviewed_hash: figures, plan, PK,
    narratives, signatory; not the agency's contact details) differs from the reviewed version."""
    if data_changed:
        return (f"Data laporan dalam dokumen ini (capaian, anggaran, perencanaan, perjanjian kinerja atau uraian) "
                f"telah berubah sejak versi {number} yang direviu; perubahan tersebut belum direviu.")
    return f"Data laporan dalam dokumen ini sama dengan versi {number} yang direviu."
