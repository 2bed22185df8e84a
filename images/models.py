"""Logos and organisation charts the LKjIP prints: the agency's logo, its Pemda's logo (shared by
every agency of the Pemda) and the agency's organisation chart of a year (organisations change).

Files are named by their content (`images/<sha256>.<ext>` under MEDIA_ROOT) and never deleted when
a record is replaced or removed: a stored document version refers to its images by sha256 and
storage name (reports.snapshot), and must still render years later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Government
from audit.scope import Scope, agency_scope


class ReportImage(models.Model):
    class Kind(models.TextChoices):
        AGENCY_LOGO = "logo", _("Logo perangkat daerah")
        GOVERNMENT_LOGO = "logo_pemda", _("Logo Pemda")
        ORG_CHART = "bagan", _("Bagan struktur organisasi")

    class ContentType(models.TextChoices):
        PNG = "image/png", "PNG"
        JPEG = "image/jpeg", "JPG"

    government = models.ForeignKey(Government, models.CASCADE, related_name="images")
    # Empty for the Pemda's logo; the agency (of that Pemda) otherwise.
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="images")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    # The organisation chart's year; empty for a logo.
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    file = models.FileField(_("berkas"), max_length=200)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    content_type = models.CharField(_("jenis berkas"), max_length=20, choices=ContentType.choices)
    size = models.PositiveIntegerField(_("ukuran (byte)"))
    width = models.PositiveIntegerField(_("lebar (piksel)"))
    height = models.PositiveIntegerField(_("tinggi (piksel)"))
    sha256 = models.CharField(_("sha256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    uploaded_by_label = models.CharField(_("diunggah oleh"), max_length=200)
    uploaded_at = models.DateTimeField(_("diunggah pada"))

    class Meta:
        verbose_name = _("logo atau bagan organisasi")
        verbose_name_plural = _("logo dan bagan organisasi")
        ordering = ["government", "agency", "kind", "year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="logo_pemda", agency__isnull=True, year__isnull=True)
                | Q(kind="logo", agency__isnull=False, year__isnull=True)
                | Q(kind="bagan", agency__isnull=False, year__isnull=False),
                name="reportimage_owner_fits_kind",
            ),
            models.CheckConstraint(condition=Q(content_type__in=["image/png", "image/jpeg"]),
                                   name="reportimage_png_or_jpeg"),
            # One current image of each: an upload replaces the one before (its file stays).
            models.UniqueConstraint(fields=["government"], condition=Q(kind="logo_pemda"),
                                    name="reportimage_one_government_logo"),
            models.UniqueConstraint(fields=["agency"], condition=Q(kind="logo"), name="reportimage_one_agency_logo"),
            models.UniqueConstraint(fields=["agency", "year"], condition=Q(kind="bagan"),
                                    name="reportimage_one_chart_per_year"),
        ]

    def __str__(self) -> str:
        owner = self.agency or self.government
        return f"{self.get_kind_display()} {owner}" + (f" {self.year}" if self.year else "")

    AUDIT_RELATED = ("agency", "government")

    def audit_scope(self) -> Scope:
        if self.agency_id is None:
            return Scope(government_id=self.government_id)
        return agency_scope(self.agency, year=self.year)
