"""The statistics table form: header fields and the contents as pasted text (first line: headers)."""

from __future__ import annotations

from django import forms

from .grid import Grid, grid_from_paste
from .models import SECTIONS

CONTENT_HELP = (
    "Tempel dari lembar kerja (sel dipisah tab) atau ketik dengan tanda | di antara sel. Baris pertama "
    "berisi judul kolom; judul di bawah judul bersama ditulis “Judul bersama / Judul kolom”, mis. "
    "“Semester I / Laki-laki”. Angka dalam notasi Indonesia (1.117 atau 35,5) dicatat sebagai angka; isi lain "
    "dicetak sebagaimana ditulis."
)


class StatisticsTableForm(forms.Form):
    code = forms.CharField(label="Kode", max_length=40, help_text="Pendek dan tetap, mis. 3.5; kunci tabel di buku kerja.")
    title = forms.CharField(label="Judul", max_length=300)
    section = forms.ChoiceField(label="Bagian laporan", choices=SECTIONS)
    indicator = forms.TypedChoiceField(label="Indikator", required=False, coerce=int, empty_value=None)
    source = forms.CharField(label="Sumber", max_length=300, required=False)
    note = forms.CharField(label="Catatan", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    content = forms.CharField(label="Isi tabel", help_text=CONTENT_HELP, max_length=200_000,
                              widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}), strip=False)
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: object, indicators: list[tuple[int, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = [("", "— tidak terkait satu indikator —"), *indicators]

    def clean_content(self) -> Grid:
        grid = grid_from_paste(self.cleaned_data["content"])
        if grid.problems:
            raise forms.ValidationError(grid.problems)
        return grid
