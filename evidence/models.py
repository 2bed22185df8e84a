"""Evidence (bukti dukung): a file kept outside static, with its sha256, served only through a
view that checks the same permissions as the record it belongs to. It belongs to exactly one
record: a quarter's realisasi, or a Perjanjian Kinerja version (the scan of the signed paper)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.scope import Scope, agency_scope
from performance.models import PerformanceAgreement, Realization


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is random: the original name is shown, never used as a path.
    return f"evidence/{instance.owner.year}/{uuid.uuid4().hex}"


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PDF = "application/pdf", "PDF"
        JPEG = "image/jpeg", "JPG"
        PNG = "image/png", "PNG"
        XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"

    # Exactly one of the two (evidence_one_owner).
    realization = models.ForeignKey(
        Realization, models.CASCADE, null=True, blank=True, related_name="evidence", verbose_name=_("realisasi")
    )
    agreement = models.ForeignKey(
        PerformanceAgreement, models.CASCADE, null=True, blank=True, related_name="scans",
        verbose_name=_("Perjanjian Kinerja"),
    )
    file = models.FileField(_("berkas"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis"), max_length=100, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("ukuran (byte)"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_by_label = models.CharField(_("diunggah oleh"), max_length=200)
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        verbose_name = _("bukti dukung")
        verbose_name_plural = _("bukti dukung")
        ordering = ["realization", "uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(realization__isnull=False, agreement__isnull=True)
                | Q(realization__isnull=True, agreement__isnull=False),
                name="evidence_one_owner",
            ),
            # The service refuses a second copy with a message; these keep it so on any path. The
            # owner the row does not have is NULL, and NULLs never collide in a unique index.
            models.UniqueConstraint(fields=["realization", "sha256"], name="evidence_unique_file_per_entry"),
            models.UniqueConstraint(fields=["agreement", "sha256"], name="evidence_unique_file_per_agreement"),
        ]

    def __str__(self) -> str:
        return self.original_name

    AUDIT_RELATED = ("realization__indicator__plan__agency", "agreement__agency")

    @property
    def owner(self) -> Realization | PerformanceAgreement:
        """The realisasi or the PK version the file is evidence of."""
        return self.realization if self.realization_id is not None else self.agreement

    @property
    def agency(self):
        if self.realization_id is not None:
            return self.realization.indicator.plan.agency
        return self.agreement.agency

    def audit_scope(self) -> Scope:
        if self.realization_id is None:
            return agency_scope(self.agreement.agency, year=self.agreement.year)
        r = self.realization
        return agency_scope(
            r.indicator.plan.agency, year=r.year, quarter=r.quarter, indicator_id=r.indicator_id,
            indicator_code=r.indicator.code,
        )
