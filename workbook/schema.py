"""The standard workbook, format version 1 (../shared/WORKBOOK.md), as data.

Each sheet lists its columns with the converter that turns a cell into a Python value.
The parser and the exporter both read this one description, so they cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Kind(Enum):
    TEXT = "text"
    CELL = "cell"  # kept as read (number or text): a statistics table's cell (sectorstats.grid)
    INT = "int"
    DECIMAL = "decimal"
    MONEY = "money"
    YEAR = "year"
    DATE = "date"
    BOOL = "bool"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 0


@dataclass(frozen=True)
class Sheet:
    name: str
    required: bool
    columns: tuple[Column, ...] = field(default_factory=tuple)
    # Columns that are deliberately not imported, with the warning that says why.
    ignored: tuple[tuple[str, str], ...] = ()

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


# The workbook's `dokumen` values and the (document, version) each one is stored as.
DOCUMENT_VERSION = {
    "renstra": ("renstra", "murni"),
    "renstra_perubahan": ("renstra", "perubahan"),
    "iku": ("iku", "murni"),
    "pk": ("pk", "murni"),
    "pk_perubahan": ("pk", "perubahan"),
    "renja": ("renja", "murni"),
}
DOCUMENT_NAME = {stored: name for name, stored in DOCUMENT_VERSION.items()}
DOCUMENTS = tuple(DOCUMENT_VERSION)
NARRATIVE_SECTIONS = (
    "kata_pengantar",
    "latar_belakang",
    "dasar_hukum",
    "tugas_fungsi",
    "struktur_organisasi",
    "sumber_daya",
    "isu_strategis",
    "analisis",
    "pendukung",
    "penghambat",
    "upaya",
    "efisiensi",
    "inovasi",
    "penghargaan",
    "kesimpulan",
    "saran",
)

# Instansi is a key/value sheet: these are its keys, not its columns.
INSTANSI_KEYS: tuple[Column, ...] = (
    Column("kode_instansi", required=True, max_length=80),
    Column("nama_instansi", required=True, max_length=250),
    Column("singkatan", max_length=60),
    Column("pemda", required=True, max_length=200),
    Column("jenis_pemda", required=True, choices=("kota", "kabupaten", "provinsi")),
    Column("provinsi", max_length=100),
    Column("alamat", max_length=300),
    Column("telepon", max_length=60),
    Column("email", max_length=254),
    Column("situs", max_length=200),
    Column("tahun_laporan", Kind.YEAR, required=True),
    Column("periode_renstra", required=True),
    Column("visi"),
    Column("kepala_daerah_jabatan", max_length=120),
    Column("kepala_daerah_nama", max_length=200),
    Column("kepala_jabatan", max_length=150),
    Column("kepala_nama", max_length=200),
    Column("kepala_pangkat", max_length=120),
    Column("kepala_nip", max_length=30),
    Column("tempat_ttd", max_length=100),
    Column("tanggal_ttd", Kind.DATE),
)

INSTANSI = Sheet("Instansi", True, (Column("kunci", required=True), Column("nilai")))

RENSTRA = Sheet(
    "Renstra",
    True,
    (
        Column("kode", required=True, max_length=40),
        Column("jenis", required=True, choices=("misi", "tujuan", "sasaran")),
        Column("induk", max_length=40),
        Column("uraian", required=True),
    ),
)

INDIKATOR = Sheet(
    "Indikator",
    True,
    (
        Column("kode", required=True, max_length=40),
        Column("pemilik", required=True, max_length=40),
        Column("nama", required=True),
        Column("satuan", required=True, max_length=60),
        Column("polaritas", required=True, choices=("positif", "negatif")),
        Column("agregasi", choices=("kumulatif", "akhir", "rata-rata")),
        Column("jenis"),
        Column("definisi"),
        Column("sumber_data", max_length=250),
        Column("baseline_tahun", Kind.YEAR),
        Column("baseline", Kind.DECIMAL),
        Column("penanggung_jawab", max_length=200),
    ),
)

TARGET = Sheet(
    "Target",
    True,
    (
        Column("kode_indikator", required=True),
        Column("tahun", Kind.YEAR, required=True),
        Column("dokumen", required=True, choices=DOCUMENTS),
        Column("target", Kind.DECIMAL, required=True),
        Column("tw1", Kind.DECIMAL),
        Column("tw2", Kind.DECIMAL),
        Column("tw3", Kind.DECIMAL),
        Column("tw4", Kind.DECIMAL),
        Column("target_akhir", Kind.DECIMAL),
    ),
)

REALISASI = Sheet(
    "Realisasi",
    True,
    (
        Column("kode_indikator", required=True),
        Column("tahun", Kind.YEAR, required=True),
        Column("triwulan", Kind.INT, choices=("1", "2", "3", "4")),
        Column("realisasi", Kind.DECIMAL),
        Column("status", choices=("final", "sementara", "belum_tersedia")),
        Column("pembilang", Kind.DECIMAL),
        Column("penyebut", Kind.DECIMAL),
        Column("keterangan"),
        Column("sumber", max_length=250),
    ),
)

ANGGARAN = Sheet(
    "Anggaran",
    True,
    (
        Column("kode", required=True, max_length=40),
        Column("jenis", required=True, choices=("program", "kegiatan", "subkegiatan")),
        Column("uraian", required=True),
        Column("sasaran", max_length=40),
        Column("tahun", Kind.YEAR, required=True),
        Column("sumber_dana", max_length=100),
        Column("pagu_murni", Kind.MONEY),
        Column("pagu_perubahan", Kind.MONEY),
        Column("realisasi_tw1", Kind.MONEY),
        Column("realisasi_tw2", Kind.MONEY),
        Column("realisasi_tw3", Kind.MONEY),
        Column("realisasi_tw4", Kind.MONEY),
        Column("penanggung_jawab", max_length=200),
    ),
)

SKALA = Sheet(
    "Skala",
    False,
    (
        Column("label", required=True, max_length=60),
        Column("min", Kind.DECIMAL),
        Column("min_inklusif", Kind.BOOL),
        Column("max", Kind.DECIMAL),
        Column("max_inklusif", Kind.BOOL),
        Column("urutan", Kind.INT),
    ),
)

PEMBANDING = Sheet(
    "Pembanding",
    False,
    (
        Column("kode_indikator", required=True),
        Column("tahun", Kind.YEAR, required=True),
        Column("lingkup", required=True, choices=("nasional", "provinsi", "kabupaten_kota")),
        Column("nilai", Kind.DECIMAL),
        Column("sumber", max_length=250),
        Column("keterangan", max_length=250),
    ),
)

NARASI = Sheet(
    "Narasi",
    False,
    (
        Column("bagian", required=True, choices=NARRATIVE_SECTIONS),
        Column("kode_indikator"),
        Column("teks", required=True),
    ),
)

PEGAWAI = Sheet(
    "Pegawai",
    False,
    (
        Column("dimensi", required=True, choices=("jabatan", "golongan", "pendidikan", "eselon")),
        Column("kategori", required=True, max_length=150),
        Column("status", required=True, choices=("PNS", "PPPK", "Non-ASN")),
        Column("jumlah", Kind.INT, required=True),
    ),
)

REKOMENDASI = Sheet(
    "Rekomendasi",
    False,
    (
        Column("tahun", Kind.YEAR, required=True),
        Column("komponen", max_length=200),
        Column("rekomendasi", required=True),
        Column("tindak_lanjut"),
        Column("status", max_length=100),
    ),
)

# ---- the Perjanjian Kinerja: optional sheets of this app (README, "The standard workbook") ----
# Each row names one PK document as sheet Target does: `pk` is the PK murni (version 0),
# `pk_perubahan` the latest amendment.
AGREEMENT_DOCUMENTS = ("pk", "pk_perubahan")
AGREEMENT_CAUSES = ("pejabat", "strategi", "anggaran", "prioritas", "koreksi")
FIRST_CAPACITIES = ("definitif", "plt", "plh")
SECOND_CAPACITIES = ("definitif", "plt", "plh", "pj")
# Sheet PK column → PerformanceAgreement field.
AGREEMENT_HEADER_COLUMNS = (
    ("sebab", "cause"),
    ("uraian_sebab", "cause_note"),
    ("berlaku_mulai", "effective_from"),
    ("pihak_pertama_nama", "first_name"),
    ("pihak_pertama_nip", "first_nip"),
    ("pihak_pertama_jabatan", "first_position"),
    ("pihak_pertama_kedudukan", "first_capacity"),
    ("sk_nomor", "first_decree_number"),
    ("sk_tanggal", "first_decree_date"),
    ("pihak_kedua_nama", "second_name"),
    ("pihak_kedua_nip", "second_nip"),
    ("pihak_kedua_jabatan", "second_position"),
    ("pihak_kedua_kedudukan", "second_capacity"),
    ("tempat_ttd", "signed_place"),
    ("tanggal_ttd", "signed_on"),
)
AGREEMENT_STATUS_IGNORED = (
    "status PK tidak diimpor: PK diajukan dan disetujui hanya di aplikasi (halaman Perjanjian Kinerja); "
    "kolom diabaikan"
)

PK = Sheet(
    "PK",
    False,
    (
        Column("dokumen", required=True, choices=AGREEMENT_DOCUMENTS),
        Column("tahun", Kind.YEAR, required=True),
        Column("sebab", choices=AGREEMENT_CAUSES),
        Column("uraian_sebab"),
        Column("berlaku_mulai", Kind.DATE),
        Column("pihak_pertama_nama", max_length=200),
        Column("pihak_pertama_nip", max_length=30),
        Column("pihak_pertama_jabatan", max_length=200),
        Column("pihak_pertama_kedudukan", choices=FIRST_CAPACITIES),
        Column("sk_nomor", max_length=120),
        Column("sk_tanggal", Kind.DATE),
        Column("pihak_kedua_nama", max_length=200),
        Column("pihak_kedua_nip", max_length=30),
        Column("pihak_kedua_jabatan", max_length=200),
        Column("pihak_kedua_kedudukan", choices=SECOND_CAPACITIES),
        Column("tempat_ttd", max_length=100),
        Column("tanggal_ttd", Kind.DATE),
    ),
    ignored=(("status", AGREEMENT_STATUS_IGNORED),),
)

PK_ANGGARAN = Sheet(
    "PK_Anggaran",
    False,
    (
        Column("dokumen", required=True, choices=AGREEMENT_DOCUMENTS),
        Column("tahun", Kind.YEAR, required=True),
        Column("kode_program", required=True, max_length=40),
        Column("anggaran", Kind.MONEY, required=True),
        Column("alasan"),
    ),
)

PK_ALASAN = Sheet(
    "PK_Alasan",
    False,
    (
        Column("dokumen", required=True, choices=AGREEMENT_DOCUMENTS),
        Column("tahun", Kind.YEAR, required=True),
        Column("kode_indikator", required=True),
        Column("alasan", required=True),
    ),
)

# ---- the report's own sections: optional sheets of this app (README, "The standard workbook") ----
SPENDING_KINDS = (
    "operasi", "pegawai", "barang_jasa", "bunga", "subsidi", "hibah", "bantuan_sosial", "modal", "tidak_terduga",
    "transfer", "bagi_hasil", "bantuan_keuangan",
)
BELANJA = Sheet(
    "Belanja",
    False,
    (
        Column("tahun", Kind.YEAR, required=True),
        Column("jenis", required=True, choices=SPENDING_KINDS),
        Column("pagu_murni", Kind.MONEY, required=True),
        Column("pagu_perubahan", Kind.MONEY),
        Column("realisasi", Kind.MONEY),
    ),
)

STATISTICS_SECTIONS = tuple(section for section in NARRATIVE_SECTIONS if section != "kata_pengantar")
STATISTICS_COLUMNS = 20  # sectorstats.grid.MAX_COLUMNS
CELL_COLUMNS = tuple(Column(f"kolom_{n}", Kind.CELL) for n in range(1, STATISTICS_COLUMNS + 1))
STATISTIK = Sheet(
    "Statistik",
    False,
    (
        Column("kode", required=True, max_length=40),
        Column("judul", required=True, max_length=300),
        Column("bagian", required=True, choices=STATISTICS_SECTIONS),
        Column("kode_indikator"),
        Column("sumber", max_length=300),
        Column("catatan"),
        *(Column(f"kolom_{n}", max_length=200) for n in range(1, STATISTICS_COLUMNS + 1)),
    ),
)
STATISTIK_ISI = Sheet("Statistik_Isi", False, (Column("kode_tabel", required=True, max_length=40), *CELL_COLUMNS))

SHEETS: tuple[Sheet, ...] = (
    INSTANSI,
    RENSTRA,
    INDIKATOR,
    TARGET,
    REALISASI,
    ANGGARAN,
    SKALA,
    PEMBANDING,
    NARASI,
    PEGAWAI,
    REKOMENDASI,
    PK,
    PK_ANGGARAN,
    PK_ALASAN,
    BELANJA,
    STATISTIK,
    STATISTIK_ISI,
)

# Hostile-file guards: a real agency workbook is far below these.
MAX_ROWS_PER_SHEET = 250_000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 20_000
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_ZIP_ENTRIES = 2_000
MAX_COMPRESSION_RATIO = 200
# Errors and warnings kept for the report: every one is counted, but a list of 200.000 is no help to the user
# and made a 28 MB page that timed out. Fixing the first ones and importing again shows the next.
MAX_REPORTED_ERRORS = 500
