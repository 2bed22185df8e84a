"""Forms of the evaluation page: they validate and parse (Indonesian numbers), nothing more.
The rules (a value within its weight, every component or none, an LHE dated after the year it
evaluates, someone else's newer save) are the services'."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from lkjip.numbers import format_id
from performance.agreement_forms import DateInput
from performance.forms import IndonesianDecimalField

from .services import FollowUpInput

STATUS_CHOICES = ["belum ditindaklanjuti", "dalam proses", "selesai"]


def _text(value: Decimal | None) -> str:
    return format_id(value, empty="")


class EvaluationForm(forms.Form):
    """The LHE as the evaluator records it, and one field per component of the framework."""

    evaluator = forms.CharField(label="Evaluator", max_length=200, required=False,
                                help_text="mis. Inspektorat Kabupaten Banjar")
    lhe_number = forms.CharField(label="Nomor LHE", max_length=120, required=False)
    lhe_date = forms.DateField(label="Tanggal LHE", required=False, widget=DateInput(),
                               error_messages={"invalid": "bukan tanggal yang dapat dibaca; tanggal, mis. 2026-03-31"})
    printed_total = IndonesianDecimalField(
        label="Nilai sebagaimana tercetak", max_abs=Decimal(1000),
        help_text="hanya bila mengutip sumber yang mencetak nilai; yang ditampilkan tetap jumlah nilai komponen")
    printed_predikat = forms.CharField(label="Predikat sebagaimana tercetak", max_length=10, required=False)
    printed_source = forms.CharField(label="Sumber kutipan", max_length=250, required=False,
                                     help_text="mis. LHE nomor …, atau LKjIP 2025 Tabel 3.9")
    note = forms.CharField(label="Catatan / interpretasi", required=False, max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, components: list[dict[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.components = components
        for c in components:
            self.fields[f"c_{c['code']}"] = IndonesianDecimalField(
                label=f"{c['code']}. {c['name']} (bobot {format_id(Decimal(c['weight']))})", max_abs=Decimal(1000))

    @classmethod
    def initial_from(cls, data: dict[str, Any] | None) -> dict[str, Any]:
        if not data:
            return {}
        initial = {name: data.get(name) or "" for name in ("evaluator", "lhe_number", "printed_predikat",
                                                            "printed_source", "note")}
        initial["lhe_date"] = data.get("lhe_date")
        initial["printed_total"] = _text(Decimal(data["printed_total"])) if data.get("printed_total") else ""
        for c in data.get("components", []):
            initial[f"c_{c['code']}"] = _text(Decimal(c["value"])) if c.get("value") is not None else ""
        return initial

    def scores(self) -> dict[str, Decimal]:
        return {c["code"]: value for c in self.components
                if (value := self.cleaned_data.get(f"c_{c['code']}")) is not None}

    def header(self) -> dict[str, Any]:
        d = self.cleaned_data
        texts = {name: d.get(name) or "" for name in ("evaluator", "lhe_number", "printed_predikat",
                                                       "printed_source", "note")}
        return {**texts, "lhe_date": d.get("lhe_date"), "printed_total": d.get("printed_total")}


class RecommendationForm(forms.Form):
    component = forms.CharField(label="Komponen", max_length=200, required=False,
                                help_text="mis. Perencanaan Kinerja (boleh kosong)")
    text = forms.CharField(label="Rekomendasi", max_length=10_000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": "tuliskan rekomendasinya"})


class FollowUpForm(forms.Form):
    """One recommendation's tindak lanjut (prefix t<recommendation id>)."""

    follow_up = forms.CharField(label="Tindak lanjut", max_length=10_000, required=False,
                                widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.CharField(label="Status", max_length=100, required=False,
                             widget=forms.TextInput(attrs={"list": "status-tindak-lanjut"}))
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def as_input(self) -> FollowUpInput:
        data = self.cleaned_data
        return FollowUpInput(follow_up=data.get("follow_up") or "", status=data.get("status") or "",
                             revision=data.get("revision"))
