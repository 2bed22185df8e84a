"""The Inspektorat's reviu of an LKjIP: the review of one stored document version, its working
paper (kertas kerja reviu, one row per checklist item), the notes anchored to a figure and the
Pernyataan Telah Direviu.

Fields, constraints and state transitions only; every write goes through reviews.services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from agencies.models import Agency
from audit.scope import Scope, agency_scope
from budget.models import BudgetItem
from performance.models import Indicator
from reports.models import LkjipDocument

# The parts of the document a note may point at (Bagian dokumen).
DOCUMENT_SECTIONS = {
    "sampul": "Sampul",
    "kata_pengantar": "Kata Pengantar",
    "ikhtisar": "Ikhtisar Eksekutif",
    "bab1": "BAB I Pendahuluan",
    "bab2": "BAB II Perencanaan Kinerja",
    "bab2_pk": "BAB II Perjanjian Kinerja",
    "bab3": "BAB III Akuntabilitas Kinerja",
    "bab3_pengukuran": "BAB III Pengukuran Kinerja",
    "bab3_efisiensi": "BAB III Analisis Efisiensi",
    "bab3_anggaran": "BAB III Realisasi Anggaran",
    "penutup": "BAB Penutup",
    "lampiran": "Lampiran",
}
QUARTER_LABEL = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV"}


class Review(FSMModelMixin, models.Model):
    """A reviu of one stored document version of an agency and year: open → closed (every
    checklist item assessed), closed → open again while no statement has been issued."""

    class Status(models.TextChoices):
        OPEN = "open", _("Berjalan")
        CLOSED = "closed", _("Selesai")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="reviews", verbose_name=_("perangkat daerah"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    document = models.ForeignKey(LkjipDocument, models.PROTECT, related_name="reviews",
                                 verbose_name=_("versi dokumen yang direviu"))
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, protected=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    opened_at = models.DateTimeField(_("dibuka pada"), default=timezone.now)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("reviu LKjIP")
        verbose_name_plural = _("reviu LKjIP")
        ordering = ["agency", "-year", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], condition=Q(status="open"),
                                    name="review_one_open_per_year"),
            models.CheckConstraint(condition=Q(status="open", closed_at__isnull=True)
                                   | Q(status="closed", closed_at__isnull=False), name="review_closed_has_date"),
        ]

    def __str__(self) -> str:
        return f"Reviu {self.agency} {self.year} (dokumen versi {self.document.number})"

    AUDIT_RELATED = ("agency", "document")
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)

    @transition(field=status, source=Status.OPEN, target=Status.CLOSED)
    def close(self, by: object = None) -> None:
        self.closed_by = by  # type: ignore[assignment]
        self.closed_at = timezone.now()

    @transition(field=status, source=Status.CLOSED, target=Status.OPEN)
    def reopen(self) -> None:
        self.closed_by = None
        self.closed_at = None

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class ItemStatus(models.TextChoices):
    BLANK = "", _("Belum dinilai")
    MET = "terpenuhi", _("Terpenuhi")
    NOTED = "dengan_catatan", _("Dengan catatan")
    NOT_MET = "tidak_terpenuhi", _("Tidak terpenuhi")


class ReviewItem(models.Model):
    """One row of the working paper (KKR): aspect, Kondisi, Kriteria, Catatan/Akibat,
    Rekomendasi, Status and evidence. What the app proposed when the reviu was opened is kept
    apart (proposed_*) from what the inspector confirmed."""

    review = models.ForeignKey(Review, models.CASCADE, related_name="items")
    code = models.CharField(_("kode butir"), max_length=40)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    aspect = models.CharField(_("aspek"), max_length=200)
    criteria = models.TextField(_("kriteria"))
    condition = models.TextField(_("kondisi"), blank=True)
    effect = models.TextField(_("catatan/akibat"), blank=True)
    recommendation = models.TextField(_("rekomendasi"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices, blank=True, default="")
    evidence = models.JSONField(_("bukti dukung (id)"), default=list, blank=True,
                                help_text=_("Id bukti dukung realisasi perangkat daerah dan tahun ini."))
    references = models.TextField(_("rujukan bukti lain"), blank=True,
                                  help_text=_("Satu rujukan per baris: dokumen, tautan, nomor surat."))
    proposed_condition = models.TextField(_("kondisi usulan aplikasi"), blank=True, editable=False)
    proposed_status = models.CharField(_("status usulan aplikasi"), max_length=20, choices=ItemStatus.choices,
                                       blank=True, default="", editable=False)
    confirmed = models.BooleanField(_("dikonfirmasi"), default=False)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("butir kertas kerja reviu")
        verbose_name_plural = _("butir kertas kerja reviu")
        ordering = ["review", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["review", "code"], name="reviewitem_unique_code"),
            models.CheckConstraint(condition=Q(confirmed=False) | ~Q(status=""), name="reviewitem_confirmed_has_status"),
        ]

    def __str__(self) -> str:
        return f"Butir {self.order} {self.aspect}"

    AUDIT_RELATED = ("review__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.review.agency, year=self.review.year)


class ReviewNote(FSMModelMixin, models.Model):
    """A reviewer's note anchored to a figure: an indicator (with year and optionally quarter),
    a budget line, or a section of the document. open → answered (the agency) → resolved (the
    inspector); the inspector may reopen it for another answer."""

    class Anchor(models.TextChoices):
        INDICATOR = "indikator", _("Indikator")
        BUDGET = "anggaran", _("Baris anggaran")
        SECTION = "bagian", _("Bagian dokumen")

    class Status(models.TextChoices):
        OPEN = "open", _("Menunggu jawaban")
        ANSWERED = "answered", _("Dijawab")
        RESOLVED = "resolved", _("Selesai")

    review = models.ForeignKey(Review, models.CASCADE, related_name="notes")
    anchor = models.CharField(_("jenis acuan"), max_length=10, choices=Anchor.choices)
    indicator = models.ForeignKey(Indicator, models.PROTECT, null=True, blank=True, related_name="+")
    anchor_year = models.PositiveSmallIntegerField(_("tahun acuan"), null=True, blank=True)
    anchor_quarter = models.PositiveSmallIntegerField(_("triwulan acuan"), null=True, blank=True)
    budget_item = models.ForeignKey(BudgetItem, models.PROTECT, null=True, blank=True, related_name="+")
    section = models.CharField(_("bagian dokumen"), max_length=40, blank=True)
    text = models.TextField(_("catatan"))
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, protected=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    answer = models.TextField(_("jawaban"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(_("tanggapan penyelesaian"), blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("catatan reviu")
        verbose_name_plural = _("catatan reviu")
        ordering = ["review", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(anchor="indikator", indicator__isnull=False, anchor_year__isnull=False,
                            budget_item__isnull=True, section="")
                | Q(anchor="anggaran", indicator__isnull=True, budget_item__isnull=False, section="")
                | Q(anchor="bagian", indicator__isnull=True, budget_item__isnull=True) & ~Q(section=""),
                name="reviewnote_one_anchor",
            ),
            models.CheckConstraint(condition=Q(anchor_quarter__isnull=True) | Q(anchor_quarter__gte=1, anchor_quarter__lte=4),
                                   name="reviewnote_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"Catatan reviu #{self.pk or '-'} · {self.anchor_label}"

    @property
    def anchor_label(self) -> str:
        """"IKU1 tahun 2025 TW IV", "anggaran 2.07.03 Program …", "bagian BAB III …"."""
        if self.anchor == self.Anchor.INDICATOR and self.indicator_id:
            quarter = f" {QUARTER_LABEL[self.anchor_quarter]}" if self.anchor_quarter else ""
            return f"indikator {self.indicator.code} tahun {self.anchor_year}{quarter}"
        if self.anchor == self.Anchor.BUDGET and self.budget_item_id:
            return f"anggaran {self.budget_item.code} {self.budget_item.name}"
        return f"bagian {DOCUMENT_SECTIONS.get(self.section, self.section)}"

    AUDIT_RELATED = ("review__agency", "indicator", "budget_item")
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.review.agency, year=self.review.year, quarter=self.anchor_quarter,
                            indicator_id=self.indicator_id,
                            indicator_code=self.indicator.code if self.indicator_id else "")

    @transition(field=status, source=[Status.OPEN], target=Status.ANSWERED)
    def give_answer(self, by: object = None, text: str = "") -> None:
        self.answer = text
        self.answered_by = by  # type: ignore[assignment]
        self.answered_at = timezone.now()

    @transition(field=status, source=[Status.OPEN, Status.ANSWERED], target=Status.RESOLVED)
    def resolve(self, by: object = None, text: str = "") -> None:
        self.resolution = text
        self.resolved_by = by  # type: ignore[assignment]
        self.resolved_at = timezone.now()

    @transition(field=status, source=[Status.ANSWERED, Status.RESOLVED], target=Status.OPEN)
    def reopen(self) -> None:
        self.resolution = ""
        self.resolved_by = None
        self.resolved_at = None


class ReviewStatement(models.Model):
    """The Pernyataan Telah Direviu of a closed reviu, issued once by the Inspektur. It names the
    reviewed version (number, code, snapshot sha256 and the hash of what the reviu covered,
    reports.snapshot.reviewed_hash) so a later document version can say whether it changed since.
    `qualified`: some working-paper row was Tidak terpenuhi when it was issued, so the conclusion
    reads "kecuali hal-hal yang diuraikan dalam paragraf berikut"."""

    review = models.OneToOneField(Review, models.PROTECT, related_name="statement")
    place = models.CharField(_("tempat"), max_length=100)
    issued_on = models.DateField(_("tanggal"))
    signer_name = models.CharField(_("nama"), max_length=200)
    signer_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    signer_position = models.CharField(_("jabatan"), max_length=200)
    qualified = models.BooleanField(
        _("simpulan dengan pengecualian"), default=False,
        help_text=_("Ada butir kertas kerja yang tidak terpenuhi saat pernyataan diterbitkan."))
    open_matters = models.JSONField(_("hal-hal yang perlu menjadi perhatian"), default=list, blank=True)
    additional = models.TextField(_("paragraf penjelas tambahan"), blank=True)
    document_number = models.PositiveIntegerField(_("versi dokumen yang direviu"))
    document_code = models.CharField(_("kode dokumen yang direviu"), max_length=12)
    document_snapshot_sha256 = models.CharField(max_length=64)
    document_data_sha256 = models.CharField(max_length=64)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("pernyataan telah direviu")
        verbose_name_plural = _("pernyataan telah direviu")
        ordering = ["-issued_at", "-pk"]

    def __str__(self) -> str:
        return f"Pernyataan Telah Direviu {self.review.agency} {self.review.year}"

    AUDIT_RELATED = ("review__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.review.agency, year=self.review.year)
