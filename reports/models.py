from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Government
from audit.scope import Scope, agency_scope

# Optional parts of the document, on by default; a Pemda or agency can switch them off.
OPTIONAL_SECTIONS = {
    "ikhtisar": _("Ikhtisar eksekutif"),
    "staff": _("Tabel pegawai (BAB I)"),
    "strategic_issues": _("Isu strategis (BAB I)"),
    "benchmarks": _("Perbandingan nasional/provinsi (BAB III)"),
    "efficiency": _("Efisiensi capaian terhadap serapan (BAB III)"),
    "innovation": _("Inovasi dan penghargaan (BAB III)"),
    "recommendations": _("Tindak lanjut rekomendasi evaluasi"),
    "appendix": _("Lampiran (PK dan formulir pengukuran kinerja)"),
}


class ReportVariant(models.Model):
    """How a Pemda (or one of its agencies) titles and shapes its report: configuration, not code."""

    class Title(models.TextChoices):
        LKJIP = "LKjIP", "LKjIP — Laporan Kinerja Instansi Pemerintah"
        LKIP = "LKIP", "LKIP — Laporan Kinerja Instansi Pemerintah"
        PLAIN = "Laporan Kinerja", "Laporan Kinerja"

    government = models.ForeignKey(Government, models.CASCADE, null=True, blank=True, related_name="report_variants")
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="report_variants")
    title = models.CharField(_("judul dokumen"), max_length=20, choices=Title.choices, default=Title.LKJIP)
    five_chapters = models.BooleanField(
        _("lima bab"), default=False, help_text=_("Tindak lanjut rekomendasi evaluasi menjadi BAB IV; penutup BAB V.")
    )
    sections = models.JSONField(
        _("bagian opsional"), default=dict, blank=True,
        help_text=_("Kunci bagian opsional dengan nilai true/false; yang tidak disebut tetap ditampilkan."),
    )
    # None inherits (an agency's from its Pemda, a Pemda's the default list); [] blocks nothing.
    blocking_findings = models.JSONField(
        _("temuan yang menghalangi versi final"), null=True, blank=True, default=None,
        help_text=_("Daftar kode temuan, mis. [\"pk_belum_disetujui\", \"tw4_kosong\"]. Kosong: mengikuti "
                    "pemda (untuk perangkat daerah) atau daftar bawaan aplikasi; [] berarti tidak ada yang menghalangi."),
    )

    class Meta:
        verbose_name = _("varian laporan")
        verbose_name_plural = _("varian laporan")
        constraints = [
            models.CheckConstraint(
                condition=Q(government__isnull=False, agency__isnull=True)
                | Q(government__isnull=True, agency__isnull=False),
                name="variant_exactly_one_owner",
            ),
            models.UniqueConstraint(fields=["government"], name="variant_one_per_government"),
            models.UniqueConstraint(fields=["agency"], name="variant_one_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.agency or self.government}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency) if self.agency_id else Scope(government_id=self.government_id)

    def clean(self) -> None:
        if not isinstance(self.sections, dict):
            raise ValidationError({"sections": _("Isi berupa objek JSON, mis. {\"appendix\": false}.")})
        unknown = sorted(set(self.sections) - set(OPTIONAL_SECTIONS))
        if unknown:
            raise ValidationError(
                {"sections": _("Bagian tidak dikenal: %(u)s. Yang tersedia: %(k)s.")
                 % {"u": ", ".join(unknown), "k": ", ".join(OPTIONAL_SECTIONS)}}
            )
        if any(not isinstance(v, bool) for v in self.sections.values()):
            raise ValidationError({"sections": _("Setiap nilai harus true atau false.")})
        self._clean_blocking()

    def _clean_blocking(self) -> None:
        from .gate import FINDINGS, unknown_codes

        codes = self.blocking_findings
        if codes is None:
            return
        if not isinstance(codes, list) or any(not isinstance(code, str) for code in codes):
            raise ValidationError({"blocking_findings": _(
                "Isi berupa daftar kode temuan dalam JSON, mis. [\"pk_belum_disetujui\"], atau kosongkan.")})
        unknown = unknown_codes(codes)
        if unknown:
            raise ValidationError({"blocking_findings": _("Kode temuan tidak dikenal: %(u)s. Yang tersedia: %(k)s.")
                                   % {"u": ", ".join(unknown), "k": ", ".join(FINDINGS)}})
        if len(set(codes)) != len(codes):
            raise ValidationError({"blocking_findings": _("Setiap kode temuan cukup disebut sekali.")})


def _new_code() -> str:
    # Short enough to type from paper, long enough not to be guessed (about 50 bits).
    return secrets.token_urlsafe(8).replace("-", "x").replace("_", "y")[:10]


class LkjipDocument(models.Model):
    """One generated version of an agency's report for a year, frozen with the data it used."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Dalam antrean")
        RENDERING = "rendering", _("Sedang dibuat")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    agency = models.ForeignKey(Agency, models.PROTECT, related_name="documents")
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveIntegerField(_("versi ke"))
    code = models.CharField(_("kode verifikasi"), max_length=12, unique=True, default=_new_code, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    progress_label = models.CharField(max_length=120, blank=True)
    snapshot = models.JSONField(_("data yang dipakai"))
    snapshot_sha256 = models.CharField(max_length=64, db_index=True)
    pdf = models.FileField(upload_to="lkjip/%Y/", blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    xlsx = models.FileField(upload_to="lkjip/%Y/", blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    render_seconds = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    error = models.TextField(_("galat"), blank=True)
    final = models.BooleanField(_("versi final"), default=False)
    # The findings that blocked a final version when this one was requested (the Pemda's list at
    # the time), so the version's checklist stays what it was.
    blocking_codes = models.JSONField(_("temuan penghalang versi final"), default=list, blank=True)
    # Where the app was reached when this version was requested (scheme and host): its verify
    # address in embedded mode, unless SITE_URL is set.
    base_url = models.CharField(_("alamat aplikasi"), max_length=200, blank=True)
    signed_at = models.DateTimeField(_("ditandatangani pada"), null=True, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+",
                                  verbose_name=_("ditandatangani oleh"))
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokumen LKjIP")
        verbose_name_plural = _("dokumen LKjIP")
        ordering = ["agency", "year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="document_unique_number"),
            # One version per state of the data: asking again returns it instead of a copy.
            # A draft and a final of the same data are two versions (their PDFs differ).
            models.UniqueConstraint(fields=["agency", "year", "snapshot_sha256", "final"],
                                    name="document_unique_snapshot_kind"),
            # Only the signed version is the LKjIP of the year.
            models.UniqueConstraint(fields=["agency", "year"], condition=Q(signed_at__isnull=False),
                                    name="document_one_signed_per_year"),
            models.CheckConstraint(condition=Q(signed_at__isnull=True) | Q(final=True, status="done"),
                                   name="document_signed_is_final_done"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="document_progress_0_100"),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(pdf_sha256=""), name="document_done_has_hash"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} v{self.number}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)

    @property
    def kind_label(self) -> str:
        return "Final" if self.final else "Draf"

    @property
    def official(self) -> bool:
        return self.signed_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
