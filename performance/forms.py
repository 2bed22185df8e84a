"""Forms of the quarterly entry: they validate and parse (Indonesian notation), nothing more.

The rules (locks, verification, values that must add up, someone else's newer save) are the
services'; a form only turns text into values and says, per field, what it could not read.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms

from lkjip.numbers import NotationError, format_id, parse_id_decimal

from .models import Realization
from .services import EntryInput

NOTATION_HELP = "tulis angka cara Indonesia: 7,33 atau 1.234,5 (titik pemisah ribuan, koma desimal)"


class IndonesianDecimalField(forms.CharField):
    """Text in Indonesian notation ("7,33", "1.234,5", "85%") to a Decimal; empty → None."""

    MAX_TEXT = 40

    def __init__(self, *, max_abs: Decimal = Decimal("1e15"), **kwargs: object) -> None:
        self.max_abs = max_abs
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def widget_attrs(self, widget: forms.Widget) -> dict:
        return {**super().widget_attrs(widget), "maxlength": str(self.MAX_TEXT)}

    def to_python(self, value: object) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        if len(text) > self.MAX_TEXT:
            raise forms.ValidationError(f"paling banyak {self.MAX_TEXT} karakter", code="max_length")
        try:
            number = parse_id_decimal(text)
        except NotationError:
            raise forms.ValidationError(
                f"“{text}” bukan angka yang dapat dibaca; {NOTATION_HELP}", code="notation"
            ) from None
        if abs(number) >= self.max_abs:
            raise forms.ValidationError(f"“{text}” terlalu besar", code="too_large")
        if number.as_tuple().exponent < -4:  # type: ignore[operator]
            raise forms.ValidationError(f"“{text}”: paling banyak 4 angka di belakang koma", code="places")
        return number


class EntryForm(forms.Form):
    """One indicator's realisasi for the quarter (prefix: the indicator)."""

    value = IndonesianDecimalField(label="Realisasi")
    numerator = IndonesianDecimalField(label="Pembilang")
    denominator = IndonesianDecimalField(label="Penyebut")
    status = forms.ChoiceField(
        label="Status data", choices=Realization.Status.choices, initial=Realization.Status.FINAL, required=False
    )
    note = forms.CharField(label="Alasan/keterangan", required=False, max_length=2000)
    source = forms.CharField(label="Sumber data", required=False, max_length=250)
    analisis = forms.CharField(label="Sebab (analisis capaian)", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    penghambat = forms.CharField(label="Faktor penghambat", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    upaya = forms.CharField(label="Upaya/solusi", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: object, indicator_label: str = "", **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.indicator_label = indicator_label
        # What changed is judged against what the page showed (posted back as initial-…), not
        # against the records now: a row someone else saved meanwhile, left untouched here,
        # is not sent again, so it neither conflicts nor overwrites their value.
        for name, field in self.fields.items():
            if name != "revision":
                field.show_hidden_initial = True

    def edited(self) -> bool:
        """The user changed something on this row (the revision is bookkeeping, not an edit)."""
        return bool(set(self.changed_data) - {"revision"})

    def clean(self) -> dict:
        data = super().clean()
        data["status"] = data.get("status") or Realization.Status.FINAL
        if data.get("status") == Realization.Status.NOT_AVAILABLE and not (data.get("note") or "").strip():
            self.add_error("note", "alasan wajib diisi bila status data 'belum tersedia'")
        return data

    def entry_input(self, indicator_id: int) -> EntryInput:
        data = self.cleaned_data
        return EntryInput(
            indicator_id=indicator_id,
            status=data["status"],
            value=data["value"],
            numerator=data["numerator"],
            denominator=data["denominator"],
            note=data["note"],
            source=data["source"],
            explanations={section: data[section] for section in ("analisis", "penghambat", "upaya")},
            revision=data["revision"],
        )

    def error_list(self) -> list[tuple[str, str]]:
        """(field label, message) pairs for the summary at the top of the page."""
        return [
            (self.fields[name].label if name in self.fields else "", message)
            for name, messages in self.errors.items()
            for message in messages
        ]


def initial_for(row: object) -> dict:
    """The form's initial values from an entry row of performance.entry."""
    entry = row.entry  # type: ignore[attr-defined]
    explanations = row.explanations  # type: ignore[attr-defined]
    initial = {section: explanations.get(section, "") for section in ("analisis", "penghambat", "upaya")}
    if entry is None:
        initial.update(status=Realization.Status.FINAL, source=row.indicator.data_source)  # type: ignore[attr-defined]
        return initial

    def text(value: Decimal | None) -> str:
        return format_id(value, empty="")

    initial.update(
        value=text(entry.value), numerator=text(entry.numerator), denominator=text(entry.denominator),
        status=entry.status, note=entry.note, source=entry.source, revision=entry.revision,
    )
    return initial


class ReviewForm(forms.Form):
    """A verification action on the quarter's entries."""

    reason = forms.CharField(label="Alasan", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
