"""Placeholders in narratives: resolution, problems, braces that are text. No ORM."""

from __future__ import annotations

from performance.placeholders import PLACEHOLDERS, Values, resolve, unknown

VALUES = Values(
    report={"serapan": "97,97 %", "pagu": "Rp 18.113.302.758", "jumlah_pegawai": "72", "jumlah_program": None},
    indicators={"TPT": {"capaian": "99,86 %", "target": "7,32", "realisasi": "7,33", "predikat": "Cukup"},
                "IKM": {"capaian": None, "target": "85", "realisasi": None, "predikat": None}},
)


def test_report_level_and_coded_placeholders_print_the_computed_figures():
    result = resolve("Serapan {serapan} dari pagu {pagu}; TPT {realisasi:TPT} ({capaian:TPT}, {predikat:TPT}).",
                     values=VALUES)
    assert result.text == "Serapan 97,97 % dari pagu Rp 18.113.302.758; TPT 7,33 (99,86 %, Cukup)."
    assert result.problems == []


def test_the_short_form_means_the_indicator_of_the_narrative():
    assert resolve("capaian {capaian} dari target {target}", values=VALUES, indicator="TPT").text == \
        "capaian 99,86 % dari target 7,32"
    assert resolve("IKM: {target:IKM}", values=VALUES, indicator="TPT").text == "IKM: 85"


def test_a_figure_that_cannot_be_computed_prints_a_dash_and_is_a_problem():
    result = resolve("{capaian:IKM} dan {jumlah_program} program", values=VALUES)
    assert result.text == "– dan – program"
    assert [p.kind for p in result.problems] == ["tanpa_nilai", "tanpa_nilai"]
    assert "{capaian:IKM}" in result.problems[0].message


def test_unknown_names_codes_and_forms_stay_as_written_and_are_problems():
    result = resolve("{serapn} {capaian:IK-99} {capaian} {serapan:TPT}", values=VALUES)
    assert result.text == "{serapn} {capaian:IK-99} {capaian} {serapan:TPT}"
    assert [p.kind for p in result.problems] == ["tidak_dikenal"] * 4
    messages = [p.message for p in result.problems]
    assert "{serapn} tidak dikenal" in messages[0] and "{serapan}" in messages[0]
    assert "IK-99 tidak dikenal" in messages[1]
    assert "memerlukan kode indikator" in messages[2]
    assert "tidak memakai kode" in messages[3]


def test_braces_that_are_not_placeholders_survive():
    text = "Rumus {realisasi ÷ target} × 100; { catatan }; {Serapan}; {1}; kurung { saja"
    assert resolve(text, values=VALUES) == resolve(text, values=Values())
    assert resolve(text, values=VALUES).text == text
    assert resolve(text, values=VALUES).problems == []


def test_a_save_refuses_only_what_cannot_exist():
    codes = frozenset({"TPT", "IKM"})
    assert unknown("{capaian:IKM} {jumlah_program}", codes=codes) == []  # not computable yet: fine
    assert [p.placeholder for p in unknown("{capaian:IK-99} {foo} {capaian}", codes=codes)] == [
        "{capaian:IK-99}", "{foo}", "{capaian}"]
    assert unknown("{capaian}", codes=codes, indicator="TPT") == []


def test_every_placeholder_is_documented_with_an_example_using_its_own_name():
    assert len({p.name for p in PLACEHOLDERS}) == len(PLACEHOLDERS)
    for p in PLACEHOLDERS:
        assert p.meaning and p.example.startswith("{" + p.name)
