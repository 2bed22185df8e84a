from django import forms

from .services import DEFAULT_DAYS, MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(label="Nama token", max_length=100, help_text="mis. nama aplikasi atau keperluannya")
    days = forms.IntegerField(label="Berlaku (hari)", min_value=1, max_value=MAX_DAYS, initial=DEFAULT_DAYS)


class RevokeForm(forms.Form):
    reason = forms.CharField(label="Alasan", max_length=500, required=False)
