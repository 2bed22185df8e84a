"""The admin writes through the owning app's services, like every other channel.

`ServiceAdmin` (and `ServiceInline` for inlines) route save and delete to
`<app>.services.instance_save` / `instance_delete` when the app defines them (they check the
app's rules), else to the audit trail's generic single-record writes. The app's
`instance_violations` is asked on the form, so a refused change is a form error, not a 500;
an optional "Alasan perubahan" field goes into the trail. The trail itself is read-only here.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from . import services as audit_services
from .models import AuditEntry, Channel, ImportBatch


def _app_services(model: type[models.Model]) -> ModuleType | None:
    try:
        return import_module(f"{model._meta.app_label}.services")
    except ModuleNotFoundError:
        return None


def service_save(*, instance: models.Model, ctx: audit_services.AuditContext) -> None:
    module = _app_services(type(instance))
    save = getattr(module, "instance_save", None) or audit_services.instance_save
    save(instance=instance, ctx=ctx)


def service_delete(*, instance: models.Model, ctx: audit_services.AuditContext) -> None:
    module = _app_services(type(instance))
    delete = getattr(module, "instance_delete", None)
    if delete is not None:
        delete(instance=instance, ctx=ctx)
    else:
        audit_services.objects_delete(objects=[instance], ctx=ctx)


def service_violations(*, instance: models.Model, deleting: bool = False) -> list[str]:
    check = getattr(_app_services(type(instance)), "instance_violations", None)
    return [v.message for v in check(instance=instance, deleting=deleting)] if check else []


class AuditedForm(forms.ModelForm):
    audit_reason = forms.CharField(
        label="Alasan perubahan", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Dicatat di riwayat perubahan bersama nilai lama dan baru.",
    )

    # The record's change counter as the form was shown (models with AUDIT_REVISION): a save
    # over someone else's newer change is refused, as on the entry pages.
    audit_revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        revision = getattr(self._meta.model, "AUDIT_REVISION", None)
        if revision and self.instance.pk:
            self.fields["audit_revision"].initial = getattr(self.instance, revision)

    def _post_clean(self) -> None:
        super()._post_clean()  # the instance carries the submitted values from here on
        self._check_revision()
        for message in service_violations(instance=self.instance):
            self.add_error(None, message)

    def _check_revision(self) -> None:
        seen = self.cleaned_data.get("audit_revision")
        model = self._meta.model
        if seen is None or not self.instance.pk or not getattr(model, "AUDIT_REVISION", None):
            return
        stored = model._base_manager.filter(pk=self.instance.pk).values_list(model.AUDIT_REVISION, flat=True).first()
        if stored is not None and stored != seen:
            last = audit_services.last_entries(model, [self.instance.pk]).get(self.instance.pk)
            who = f" oleh {last.user_label} pada {timezone.localtime(last.at):%d-%m-%Y %H.%M}" if last else ""
            self.add_error(None, (
                f"Data ini diubah{who} sementara Anda mengedit; nilai Anda tidak disimpan. "
                "Muat ulang halaman untuk melihat nilai terbarunya."
            ))


def _ctx(request: Any, form: forms.Form | None = None) -> audit_services.AuditContext:
    reason = form.cleaned_data.get("audit_reason", "") if form is not None and hasattr(form, "cleaned_data") else ""
    return audit_services.AuditContext(user=request.user, channel=Channel.ADMIN, reason=reason)


class ServiceFormsetMixin:
    """Inline rows are saved and deleted through the services too."""

    def save_formset(self, request: Any, form: forms.Form, formset: Any, change: bool) -> None:
        ctx = _ctx(request, form)
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            service_delete(instance=obj, ctx=ctx)
        for obj in instances:
            service_save(instance=obj, ctx=ctx)
        formset.save_m2m()


class ServiceAdmin(ServiceFormsetMixin, admin.ModelAdmin):
    form = AuditedForm

    def save_model(self, request: Any, obj: models.Model, form: forms.Form, change: bool) -> None:
        service_save(instance=obj, ctx=_ctx(request, form))

    def delete_model(self, request: Any, obj: models.Model) -> None:
        service_delete(instance=obj, ctx=_ctx(request))

    def has_delete_permission(self, request: Any, obj: models.Model | None = None) -> bool:
        if obj is not None and service_violations(instance=obj, deleting=True):
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request: Any, queryset: models.QuerySet) -> None:
        ctx = _ctx(request)
        for obj in queryset:
            refused = service_violations(instance=obj, deleting=True)
            if refused:
                self.message_user(request, f"{obj}: {refused[0]}", level=messages.ERROR)
                continue
            service_delete(instance=obj, ctx=ctx)


class InlineForm(forms.ModelForm):
    def _post_clean(self) -> None:
        super()._post_clean()
        if self.has_changed():
            for message in service_violations(instance=self.instance):
                self.add_error(None, message)


class ServiceInlineFormSet(BaseInlineFormSet):
    """A row ticked for deletion is checked too (Django does not validate deleted forms): a
    refusal is a form error, not a failed save."""

    def clean(self) -> None:
        super().clean()
        refused = [
            f"{form.instance}: {message}"
            for form in self.deleted_forms if form.instance.pk
            for message in service_violations(instance=form.instance, deleting=True)
        ]
        if refused:
            raise forms.ValidationError(refused)


class ServiceInline:
    """Mixin for TabularInline/StackedInline next to a ServiceAdmin (or ServiceFormsetMixin)."""

    form = InlineForm
    formset = ServiceInlineFormSet


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_label", "channel", "action", "object_type", "object_label", "agency_code", "year"]
    list_filter = ["channel", "action", "object_type"]
    search_fields = ["object_label", "agency_code", "indicator_code", "user_label"]
    date_hierarchy = "at"


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    list_display = ["at", "user_label", "channel", "file_name", "agency_code", "year"]
    list_filter = ["channel"]
    search_fields = ["file_name", "agency_code", "file_sha256"]
