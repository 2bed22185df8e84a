"""The quarter's spending per sub kegiatan: rupiah as typed ("Rp 1.234.567" or "1234567")."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from performance.forms import IndonesianDecimalField


class RupiahField(IndonesianDecimalField):
    def to_python(self, value: object) -> Decimal | None:  # type: ignore[override]
        number = super().to_python(value)
        if number is not None and number.as_tuple().exponent < -2:  # type: ignore[operator]
            raise forms.ValidationError("rupiah paling banyak 2 angka di belakang koma (sen)", code="places")
        if number is not None and number < 0:
            raise forms.ValidationError("jumlah rupiah tidak boleh negatif", code="negative")
        return number


class SpendingForm(forms.Form):
    # Judged against what the page showed (initial-…), as on the entry page.
    amount = RupiahField(label="Realisasi", max_abs=Decimal("1e16"), show_hidden_initial=True)
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def edited(self) -> bool:
        return "amount" in self.changed_data


class SpendingTypeForm(forms.Form):
    """One jenis belanja of the year: blank everywhere means not recorded."""

    ceiling_original = RupiahField(label="Pagu murni", max_abs=Decimal("1e16"))
    ceiling_amended = RupiahField(label="Pagu perubahan", max_abs=Decimal("1e16"))
    spent = RupiahField(label="Realisasi", max_abs=Decimal("1e16"))

    def clean(self) -> dict:
        data = super().clean()
        given = [name for name in ("ceiling_original", "ceiling_amended", "spent") if data.get(name) is not None]
        if given and data.get("ceiling_original") is None:
            self.add_error("ceiling_original", "pagu murni wajib diisi bila pagu perubahan atau realisasi diisi")
        return data

    def recorded(self) -> bool:
        return self.cleaned_data.get("ceiling_original") is not None
