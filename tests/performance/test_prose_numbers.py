"""Numbers in prose: which are claims, what they say, and whether a computed figure matches. No ORM."""

from __future__ import annotations

from decimal import Decimal

import pytest

from performance.prose_numbers import Context, contradictions, matches, mentions


def claims(text: str) -> list[tuple[str, Decimal, str]]:
    return [(m.kind, m.value, m.text) for m in mentions(text)]


def context(*figures: tuple[str, str, str]) -> Context:
    out = Context()
    for kind, value, label in figures:
        out.add(kind, Decimal(value), label, value)
    return out


# ---- what is a claim ----


@pytest.mark.parametrize(("text", "kind", "value", "written"), [
    ("capaian sebesar 98,19%.", "persen", Decimal("98.19"), "98,19%"),
    ("mencapai 94 % dengan predikat", "persen", Decimal("94"), "94 %"),
    ("naik 12 persen dari tahun lalu", "persen", Decimal("12"), "12 persen"),
    ("capaian realisasi-(89,4 %)", "persen", Decimal("89.4"), "89,4 %"),
    ("sebesar 1.234,5 % dari", "persen", Decimal("1234.5"), "1.234,5 %"),
    ("sebesar Rp 18.113.302.758 untuk", "rupiah", Decimal("18113302758"), "Rp 18.113.302.758"),
    ("sebesar Rp., 18.113.302.758 capaian", "rupiah", Decimal("18113302758"), "Rp., 18.113.302.758"),
    ("anggaran Rp. 1.060.707.000,- (satu milyar)", "rupiah", Decimal("1060707000"), "Rp. 1.060.707.000"),
    ("pagu Rp18.000.000 saja", "rupiah", Decimal("18000000"), "Rp18.000.000"),
    ("sekitar Rp 1,5 miliar", "rupiah", Decimal("1500000000"), "Rp 1,5 miliar"),
    ("didukung oleh 72 orang pegawai", "pegawai", Decimal(72), "72 orang pegawai"),
    ("59 orang Pegawai Negeri Sipil (PNS)", "pns", Decimal(59), "59 orang Pegawai Negeri Sipil"),
    ("dan 32 orang Pegawai Pemerintah dengan Perjanjian Kerja", "pppk", Decimal(32),
     "32 orang Pegawai Pemerintah dengan Perjanjian Kerja"),
    ("terdiri atas 38 PNS, atau", "pns", Decimal(38), "38 PNS"),
    ("56 Orang Non ASN", "nonasn", Decimal(56), "56 Orang Non ASN"),
    ("melaksanakan 4 (4) program", "program", Decimal(4), "4 (4) program"),
    ("15 (sebelas) kegiatan yang", "kegiatan", Decimal(15), "15 (sebelas) kegiatan"),
    ("sebanyak 2 (dua) sub kegiatan diantaranya", "subkegiatan", Decimal(2), "2 (dua) sub kegiatan"),
    ("19 Subkegiatan", "subkegiatan", Decimal(19), "19 Subkegiatan"),
    ("dari 2 (dua) indikator", "indikator", Decimal(2), "2 (dua) indikator"),
    ("dari 22 (dua puluh dua) kasus yang masuk", "kasus", Decimal(22), "22 (dua puluh dua) kasus"),
    ("sebanyak 2.978 orang selama", "orang", Decimal(2978), "2.978 orang"),
])
def test_a_claim_and_what_it_says(text, kind, value, written):
    assert claims(text) == [(kind, value, written)]


@pytest.mark.parametrize("text", [
    "Peraturan Menteri PANRB Nomor 53 Tahun 2014 tentang Petunjuk Teknis",
    "Peraturan Pemerintah No 8 Tahun 2006 dan Pasal 3 ayat (1)",
    "sampai dengan 31 Desember 2025 pada tahun 2025",
    "Program 2.07.03 dan kegiatan 2.07.03.2.01",
    "indikator IK-01 dan IKU1 pada Renstra 2025-2029",
    "1. Program penunjang\n2. Kegiatan pelatihan\n(3) Sub kegiatan",
    "- 4. kegiatan pelatihan",
    "dua program dan sebelas kegiatan",
    "pada tahun 2025 program ini berjalan",
    "Tabel 3 program dan Tabel 4 kegiatan",
    "triwulan 2 kegiatan berjalan",
    "nilai 7.33 ditulis salah",
    "Nilai Terendah 2: 87,9 dan realisasi 7,33 dari target 7,73",
    "kepada 1.234 penduduk",
    "belum tercapai 100% dari target",
    "capaian kinerja melebihi 100%.",
])
def test_no_claim(text):
    assert claims(text) == []


def test_numbers_inside_placeholders_are_no_claims_and_other_braces_stay_text():
    assert claims("capaian {capaian:IK-01} atau {capaian} dari {target:IK.2.07.03}") == []
    assert claims("catatan { 94 % } tetap") == [("persen", Decimal(94), "94 %")]


def test_a_claim_per_number_in_a_list_of_counts():
    text = "melaksanakan 4 (empat) Program, 9 (Sembilan) Kegiatan dan 19 (sembilan belas) Sub Kegiatan"
    assert [(k, v) for k, v, _ in claims(text)] == [("program", 4), ("kegiatan", 9), ("subkegiatan", 19)]


def test_spending_by_type_is_its_own_class():
    text = ("Belanja Operasi sebesar Rp. 4.068.177.827 atau sebesar 89,98 % dari pagu anggaran dan "
            "Rp 107.410.000 untuk Belanja Modal. Pagu Rp 4.521.330.526.")
    assert [(k, v) for k, v, _ in claims(text)] == [
        ("belanja_jenis", Decimal(4068177827)), ("belanja_jenis_persen", Decimal("89.98")),
        ("belanja_jenis", Decimal(107410000)), ("rupiah", Decimal(4521330526))]


# ---- matching within the precision printed ----


@pytest.mark.parametrize(("written", "computed", "same"), [
    ("97,97 %", "97.9731", True),
    ("98,0 %", "97.9731", True),
    ("98 %", "97.9731", True),
    ("97,9 %", "97.9731", False),
    ("98,19 %", "98.1505", False),
    ("98,15 %", "98.1505", True),
    ("61,50 %", "61.4945", False),
    ("57,47 %", "57.4655", True),
    ("57,46 %", "57.4655", False),
    ("28,94 %", "-28.94", True),  # "penurunan sebesar 28,94 %": the size of a difference
    ("94 %", "94.99", False),
])
def test_percent_matches_when_rounding_half_up_to_the_printed_decimals_gives_it(written, computed, same):
    mention = mentions(f"capaian {written}")[0]
    figure = context(("persen", computed, "capaian")).figures[0]
    assert matches(mention, figure) is same


def test_rupiah_matches_to_the_rupiah_or_to_the_unit_written():
    pagu = context(("rupiah", "18113302758", "pagu")).figures[0]
    assert matches(mentions("Rp 18.113.302.758")[0], pagu)
    assert not matches(mentions("Rp 18.113.307.758")[0], pagu)
    assert matches(mentions("Rp 18,1 miliar")[0], pagu)
    assert not matches(mentions("Rp 18,2 miliar")[0], pagu)


def test_a_claim_matches_only_figures_of_its_class():
    staff = context(("pns", "39", "jumlah PNS"), ("pppk", "32", "jumlah PPPK"), ("pegawai", "72", "jumlah pegawai"))
    text = "72 orang pegawai, 59 orang PNS dan 32 orang PPPK, 39 kegiatan"
    found = contradictions(text, staff)
    # 39 kegiatan: no structure counts in this context, so nothing to hold it against.
    assert [(c.mention.text, c.nearest.label) for c in found] == [("59 orang PNS", "jumlah PNS")]
    assert contradictions("32 orang PNS", staff)[0].nearest.shown == "39"


def test_generic_counts_far_from_every_figure_are_statistics_not_claims():
    values = context(("nilai", "27", "penyebut"), ("nilai", "9", "pembilang"))
    assert contradictions("dari 2.978 orang pencari kerja", values) == []
    found = contradictions("9 kasus dari 22 kasus", values)
    assert [(c.mention.text, c.nearest.label) for c in found] == [("22 kasus", "penyebut")]


def test_a_clean_narrative_has_no_contradiction():
    figures = context(("persen", "97.9731", "serapan"), ("rupiah", "18113302758", "pagu"),
                      ("program", "4", "jumlah program"), ("kegiatan", "15", "jumlah kegiatan"))
    text = ("Pada Tahun 2025 (Peraturan Wali Kota Nomor 111 Tahun 2021) kami melaksanakan 4 (empat) program dan "
            "15 kegiatan dengan pagu Rp 18.113.302.758; serapan mencapai 97,97 % atau sekitar 98 %.")
    assert contradictions(text, figures) == []


def test_the_message_names_the_figure_the_sentence_speaks_of():
    figures = Context()
    figures.add("persen", Decimal("97.97"), "serapan", "97,97 %", ("serapan", "penyerapan", "anggaran"), 0)
    figures.add("persen", Decimal("99.86"), "capaian TPT", "99,86 %", ("capaian", "mencapai"), 2)
    figures.add("persen", Decimal("57.47"), "capaian terhadap target akhir Renstra", "57,47 %",
                ("capaian", "akhir", "renstra"), 2)
    first = contradictions("Realisasi Penyerapan Anggaran sebesar Rp 1 capaian realisasi-(89,4 %).", figures)
    assert first[0].nearest.label == "serapan"
    second = contradictions("Dibandingkan target akhir Renstra maka capaian hanya 57,46 %.", figures)
    assert second[0].nearest.label == "capaian terhadap target akhir Renstra"
    # "Rp. 4" does not end a sentence: the keyword before it still counts.
    third = contradictions("Penyerapan anggaran Rp. 4 atau 50 %.", figures)
    assert third[0].nearest.label == "serapan"
