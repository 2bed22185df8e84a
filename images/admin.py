"""The admin uploads through images.services like the page: the file is checked by its content and
the record written with its audit entry; an image is replaced by a new upload, never edited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from audit.models import Channel
from audit.services import AuditContext
from performance.rules import RuleViolation

from .models import ReportImage
from .services import image_remove, image_upload


class UploadForm(forms.ModelForm):
    upload = forms.FileField(label="Berkas PNG atau JPG")

    class Meta:
        model = ReportImage
        fields = ["kind", "government", "agency", "year"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("upload")
        if upload is None or self.errors:
            return data
        self.uploaded: ReportImage | None = None
        try:
            self.uploaded = image_upload(
                kind=data["kind"], government=data["government"], agency=data.get("agency"), year=data.get("year"),
                upload=upload, ctx=AuditContext(user=self.request_user, channel=Channel.ADMIN),
            )
        except RuleViolation as refused:
            raise forms.ValidationError([v.message for v in refused.violations]) from refused
        return data

    def _post_clean(self) -> None:
        pass  # the record is the service's (written in clean), not this form's instance


@admin.register(ReportImage)
class ReportImageAdmin(admin.ModelAdmin):
    list_display = ["kind", "government", "agency", "year", "original_name", "width", "height", "uploaded_at"]
    list_filter = ["kind", "government"]
    readonly_fields = ["file", "original_name", "content_type", "size", "width", "height", "sha256",
                       "uploaded_by_label", "uploaded_at"]

    def has_change_permission(self, request: HttpRequest, obj: ReportImage | None = None) -> bool:
        return False

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = UploadForm if obj is None else super().get_form(request, obj, change, **kwargs)
        form.request_user = request.user
        return form

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        uploaded = getattr(form, "uploaded", None)
        return uploaded if uploaded is not None else super().save_form(request, form, change)

    def save_model(self, request: HttpRequest, obj: ReportImage, form: Any, change: bool) -> None:
        pass  # written by the service in the form's clean(), with its audit entry

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        pass

    def log_addition(self, request: HttpRequest, obj: Any, message: Any) -> None:
        pass  # the audit trail has the entry (images.services)

    def delete_model(self, request: HttpRequest, obj: ReportImage) -> None:
        image_remove(image=obj, ctx=AuditContext(user=request.user, channel=Channel.ADMIN))

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for image in queryset:
            image_remove(image=image, ctx=AuditContext(user=request.user, channel=Channel.ADMIN))
