"""Forms of the reviu pages: they validate and parse, nothing more; the rules are the services'."""

from __future__ import annotations

from django import forms

from .models import DOCUMENT_SECTIONS, ItemStatus, ReviewNote
from .services import ItemInput, NoteAnchor

TEXTAREA = {"rows": 3}


class OpenForm(forms.Form):
    document = forms.IntegerField(label="Versi dokumen", min_value=1,
                                  error_messages={"required": "pilih versi dokumen yang direviu",
                                                  "invalid": "pilih versi dokumen yang direviu"})


class ItemForm(forms.Form):
    """One working-paper row (prefix = the checklist code)."""

    condition = forms.CharField(label="Kondisi", required=False, max_length=10_000,
                                widget=forms.Textarea(attrs=TEXTAREA))
    criteria = forms.CharField(label="Kriteria", max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}),
                               error_messages={"required": "Kriteria wajib diisi"})
    effect = forms.CharField(label="Catatan/Akibat", required=False, max_length=10_000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    recommendation = forms.CharField(label="Rekomendasi", required=False, max_length=10_000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label="Status", required=False, choices=ItemStatus.choices)
    evidence = forms.MultipleChoiceField(label="Bukti dukung", required=False, widget=forms.SelectMultiple(attrs={"size": 3}))
    references = forms.CharField(label="Rujukan bukti lain", required=False, max_length=10_000,
                                 widget=forms.Textarea(attrs={"rows": 1}))

    def __init__(self, *args: object, evidence_choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["evidence"].choices = evidence_choices
        self.fields["evidence"].error_messages["invalid_choice"] = "bukti dukung tidak dikenal untuk tahun ini"

    def as_input(self) -> ItemInput:
        d = self.cleaned_data
        return ItemInput(condition=d["condition"], criteria=d["criteria"], effect=d["effect"],
                         recommendation=d["recommendation"], status=d["status"],
                         evidence=tuple(int(e) for e in d["evidence"]), references=d["references"])


class NoteForm(forms.Form):
    anchor = forms.ChoiceField(label="Acuan", choices=ReviewNote.Anchor.choices)
    indicator = forms.TypedChoiceField(label="Indikator", required=False, coerce=int, empty_value=None)
    anchor_year = forms.IntegerField(label="Tahun", required=False, min_value=2000, max_value=2100)
    anchor_quarter = forms.TypedChoiceField(label="Triwulan", required=False, coerce=int, empty_value=None,
                                            choices=[("", "tahunan"), ("1", "TW I"), ("2", "TW II"), ("3", "TW III"),
                                                     ("4", "TW IV")])
    budget_item = forms.TypedChoiceField(label="Baris anggaran", required=False, coerce=int, empty_value=None)
    section = forms.ChoiceField(label="Bagian dokumen", required=False,
                                choices=[("", "–"), *DOCUMENT_SECTIONS.items()])
    text = forms.CharField(label="Catatan", max_length=10_000, widget=forms.Textarea(attrs=TEXTAREA),
                           error_messages={"required": "tuliskan catatan"})

    def __init__(self, *args: object, indicators: list, budget_items: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["indicator"].choices = [("", "–"), *((str(i.pk), f"{i.code} {i.name}") for i in indicators)]
        self.fields["budget_item"].choices = [("", "–"), *((str(b.pk), f"{b.code} {b.name}") for b in budget_items)]

    def as_anchor(self) -> NoteAnchor:
        d = self.cleaned_data
        return NoteAnchor(kind=d["anchor"], indicator_id=d["indicator"], year=d["anchor_year"],
                          quarter=d["anchor_quarter"], budget_item_id=d["budget_item"], section=d["section"] or "")


class NoteActForm(forms.Form):
    act = forms.ChoiceField(choices=[(a, a) for a in ("answer", "resolve", "reopen")])
    text = forms.CharField(required=False, max_length=10_000)
    revision = forms.IntegerField(required=False, min_value=0)


class ReviewActForm(forms.Form):
    act = forms.ChoiceField(choices=[(a, a) for a in ("close", "reopen")])
    reason = forms.CharField(required=False, max_length=2000)
    revision = forms.IntegerField(required=False, min_value=0)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class StatementForm(forms.Form):
    place = forms.CharField(label="Tempat", max_length=100)
    issued_on = forms.DateField(label="Tanggal", widget=DateInput(),
                                error_messages={"invalid": "bukan tanggal yang dapat dibaca; mis. 2026-03-15"})
    signer_name = forms.CharField(label="Nama", max_length=200)
    signer_nip = forms.CharField(label="NIP", max_length=30, required=False)
    signer_position = forms.CharField(label="Jabatan", max_length=200)
    additional = forms.CharField(label="Paragraf penjelas tambahan", required=False, max_length=10_000,
                                 widget=forms.Textarea(attrs=TEXTAREA),
                                 help_text="ditambahkan setelah daftar hal-hal yang perlu menjadi perhatian")
