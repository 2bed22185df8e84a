from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator

from .models import Channel
from .selectors import DATE_MAX, DATE_MIN, LogFilters, type_label

DATE_HELP = "gunakan format TTTT-BB-HH, mis. 2025-01-31"


def _date_field(label: str, which: str) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        # type=date submits ISO dates whatever the browser's language; the format makes the
        # widget echo them back the same way.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        validators=[
            MinValueValidator(DATE_MIN, f"Tanggal '{which}' paling awal {DATE_MIN:%d-%m-%Y}."),
            MaxValueValidator(DATE_MAX, f"Tanggal '{which}' paling akhir {DATE_MAX:%d-%m-%Y}."),
        ],
        error_messages={"invalid": f"Tanggal '{which}' tidak valid; {DATE_HELP}."},
    )


class ChangeLogFilterForm(forms.Form):
    """The change log's filters, read from the query string. A field that does not validate is
    reported and left out; the others still apply."""

    dari = _date_field("Dari tanggal", "dari")
    sampai = _date_field("Sampai tanggal", "sampai")
    pengguna = forms.ChoiceField(
        label="Pengguna",
        required=False,
        error_messages={"invalid_choice": "Pengguna %(value)s tidak ada dalam riwayat perangkat daerah ini."},
    )
    saluran = forms.ChoiceField(
        label="Saluran",
        required=False,
        choices=[("", "Semua saluran"), *Channel.choices],
        error_messages={"invalid_choice": "Saluran %(value)s tidak dikenal."},
    )
    jenis = forms.ChoiceField(
        label="Jenis data",
        required=False,
        error_messages={"invalid_choice": "Jenis data %(value)s tidak ada dalam riwayat perangkat daerah ini."},
    )

    def __init__(self, *args: object, users: list[str] = (), object_types: list[str] = (), **kwargs: object):
        super().__init__(*args, **kwargs)
        self.fields["pengguna"].choices = [("", "Semua pengguna"), *[(name, name) for name in users]]
        self.fields["jenis"].choices = [("", "Semua jenis data"), *[(kind, type_label(kind)) for kind in object_types]]

    def clean(self) -> dict:
        data = super().clean()
        since, until = data.get("dari"), data.get("sampai")
        if since and until and since > until:
            self.add_error("sampai", "Tanggal 'sampai' tidak boleh sebelum tanggal 'dari'.")
        return data

    def filters(self) -> LogFilters:
        if not self.is_bound:
            return LogFilters()
        self.is_valid()
        data = self.cleaned_data
        return LogFilters.for_days(
            since=data.get("dari"),
            until=data.get("sampai"),
            user=data.get("pengguna") or "",
            channel=data.get("saluran") or "",
            object_type=data.get("jenis") or "",
        )
