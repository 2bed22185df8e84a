"""Forms of the Perjanjian Kinerja pages: they validate and parse, nothing more.

The rules (a reason where a target differs from the Renstra, an SK for a Plt./Plh., the
order of approval, an approved version being immutable) are the services'.
"""

from __future__ import annotations

from django import forms

from .forms import IndonesianDecimalField
from .models import PerformanceAgreement
from .services import AgreementProgramInput, AgreementRowInput

DATE_HELP = "tanggal, mis. 2025-01-31"
FIRST_CAPACITIES = [c for c in PerformanceAgreement.Capacity.choices if c[0] != "pj"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(),
                           error_messages={"invalid": f"bukan tanggal yang dapat dibaca; {DATE_HELP}"})


class AgreementHeaderForm(forms.Form):
    """The signatories, the place and date of signing and, for an amendment, its cause."""

    first_name = forms.CharField(label="Nama pihak pertama", max_length=200, required=False)
    first_nip = forms.CharField(label="NIP pihak pertama", max_length=30, required=False)
    first_position = forms.CharField(label="Jabatan pihak pertama", max_length=200, required=False,
                                     help_text="tanpa awalan Plt./Plh.; kedudukan dipilih di sebelah")
    first_capacity = forms.ChoiceField(label="Kedudukan pihak pertama", choices=FIRST_CAPACITIES)
    first_decree_number = forms.CharField(label="Nomor SK Plt./Plh.", max_length=120, required=False)
    first_decree_date = _date("Tanggal SK Plt./Plh.")
    second_name = forms.CharField(label="Nama pihak kedua", max_length=200, required=False)
    second_nip = forms.CharField(label="NIP pihak kedua", max_length=30, required=False)
    second_position = forms.CharField(label="Jabatan pihak kedua", max_length=200, required=False,
                                      help_text="Wali Kota/Bupati/Gubernur, tanpa awalan Pj./Plt.")
    second_capacity = forms.ChoiceField(label="Kedudukan pihak kedua", choices=PerformanceAgreement.Capacity.choices)
    signed_place = forms.CharField(label="Tempat penandatanganan", max_length=100, required=False)
    signed_on = _date("Tanggal penandatanganan")
    cause = forms.ChoiceField(label="Sebab perubahan", required=False,
                              choices=[("", "–"), *PerformanceAgreement.Cause.choices])
    cause_note = forms.CharField(label="Uraian sebab perubahan", required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    effective_from = _date("Berlaku mulai")

    def __init__(self, *args: object, amendment: bool, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not amendment:
            for name in ("cause", "cause_note", "effective_from"):
                del self.fields[name]


class AmendmentForm(forms.Form):
    cause = forms.ChoiceField(label="Sebab perubahan", choices=PerformanceAgreement.Cause.choices)
    cause_note = forms.CharField(label="Uraian sebab perubahan", max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 2}),
                                 error_messages={"required": "uraikan sebab perubahan"})
    effective_from = _date("Berlaku mulai", required=True)


class AgreementRowForm(forms.Form):
    """One indicator in the PK (prefix r<indicator id>): whether it is in, its target, the
    Rencana Aksi per quarter and the reason where it differs from the Renstra."""

    included = forms.BooleanField(label="Masuk PK", required=False)
    value = IndonesianDecimalField(label="Target")
    q1 = IndonesianDecimalField(label="TW I")
    q2 = IndonesianDecimalField(label="TW II")
    q3 = IndonesianDecimalField(label="TW III")
    q4 = IndonesianDecimalField(label="TW IV")
    reason = forms.CharField(label="Alasan berbeda dari Renstra", required=False, max_length=2000)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("included") and data.get("value") is None and "value" not in self.errors:
            self.add_error("value", "target wajib diisi untuk indikator yang masuk PK")
        return data

    def as_input(self) -> AgreementRowInput | None:
        data = self.cleaned_data
        if not data.get("included"):
            return None
        return AgreementRowInput(data["value"], (data["q1"], data["q2"], data["q3"], data["q4"]), data["reason"] or "")


class AgreementProgramForm(forms.Form):
    """One program in the PK (prefix p<budget item id>) and its budget."""

    included = forms.BooleanField(label="Masuk PK", required=False)
    amount = IndonesianDecimalField(label="Anggaran (Rp)")
    reason = forms.CharField(label="Alasan berbeda dari pagu", required=False, max_length=2000)

    def clean(self) -> dict:
        data = super().clean()
        amount = data.get("amount")
        if data.get("included") and amount is None and "amount" not in self.errors:
            self.add_error("amount", "anggaran wajib diisi untuk program yang masuk PK")
        if amount is not None and (amount < 0 or amount.as_tuple().exponent < -2):  # type: ignore[operator]
            self.add_error("amount", "rupiah tidak negatif, paling banyak 2 angka di belakang koma")
        return data

    def as_input(self) -> AgreementProgramInput | None:
        data = self.cleaned_data
        if not data.get("included"):
            return None
        return AgreementProgramInput(data["amount"], data["reason"] or "")


class TransitionForm(forms.Form):
    act = forms.ChoiceField(choices=[(a, a) for a in ("submit", "withdraw", "send_back", "approve")])
    reason = forms.CharField(required=False, max_length=2000)
    revision = forms.IntegerField(required=False, min_value=0)


class DiffForm(forms.Form):
    a = forms.IntegerField(min_value=0, max_value=99)
    b = forms.IntegerField(min_value=0, max_value=99)
