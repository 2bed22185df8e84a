"""The calendar page's forms. Labels and errors in Indonesian; dates as <input type="date">
(ISO) or typed the Indonesian way (15-04-2025, 15/04/2025)."""

from __future__ import annotations

from django import forms

from agencies.models import Agency, Government

from .models import ROMAN, ReportingCalendar
from .services import DEADLINE_FIELDS

INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
DATE_ERRORS = {"required": "Tanggal wajib diisi.", "invalid": "Masukkan tanggal yang benar, mis. 15-04-2025."}
ANNUAL_CHOICE = "tahunan"


def _date_field(label: str) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=INPUT_FORMATS, error_messages=DATE_ERRORS,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class CalendarForm(forms.Form):
    q1_deadline = _date_field("Batas TW I")
    q2_deadline = _date_field("Batas TW II")
    q3_deadline = _date_field("Batas TW III")
    q4_deadline = _date_field("Batas TW IV")
    annual_deadline = _date_field("Batas laporan tahunan")
    reason = forms.CharField(label="Alasan perubahan", required=False, max_length=1000,
                             widget=forms.TextInput(attrs={"placeholder": "opsional; dicatat di riwayat perubahan"}))

    @classmethod
    def for_calendar(cls, calendar: ReportingCalendar | None, defaults: dict) -> CalendarForm:
        initial = {name: getattr(calendar, name) if calendar else defaults[name] for name in DEADLINE_FIELDS}
        return cls(initial=initial)

    def deadlines(self) -> dict:
        return {name: self.cleaned_data[name] for name in DEADLINE_FIELDS}


class ReopeningForm(forms.Form):
    agency = forms.ModelChoiceField(
        label="Perangkat daerah", queryset=Agency.objects.none(), empty_label="— pilih —",
        error_messages={"required": "Pilih perangkat daerah.",
                        "invalid_choice": "Pilih perangkat daerah dari pemda ini."},
    )
    period = forms.ChoiceField(
        label="Periode",
        choices=[(str(q), f"TW {roman}") for q, roman in ROMAN.items()] + [(ANNUAL_CHOICE, "Laporan tahunan")],
        error_messages={"required": "Pilih periode.", "invalid_choice": "Pilih TW I–IV atau laporan tahunan."},
    )
    until = _date_field("Dibuka sampai dengan")
    reason = forms.CharField(label="Alasan", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": "Alasan wajib diisi."})

    def __init__(self, *args, government: Government, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(government=government).order_by("name")

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Alasan wajib diisi.")
        return reason

    @property
    def quarter(self) -> int | None:
        value = self.cleaned_data["period"]
        return None if value == ANNUAL_CHOICE else int(value)


class ReopeningEndForm(forms.Form):
    reason = forms.CharField(label="Alasan diakhiri", max_length=2000, error_messages={"required": "Alasan wajib diisi."})

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Alasan wajib diisi.")
        return reason
