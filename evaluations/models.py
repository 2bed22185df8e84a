"""The SAKIP evaluation (LHE AKIP) of one agency's LKjIP: the framework it was scored by
(components with weights, predikat bands), the evaluation and its component scores.

The years, explicitly: `Evaluation.evaluated_year` is the LKjIP year that was evaluated (N).
The LHE is issued during N+1, and the LKjIP of N+1 prints it with the agency's tindak lanjut
(`Evaluation.follow_up_year`). Its recommendations are `performance.Recommendation` rows of
that agency with `year = evaluated_year + 1`, the convention the workbook's sheet Rekomendasi
already uses ("LHE AKIP Tahun 2025" in the LKjIP 2025).

No total or predikat is stored as a figure: both are computed from the scores
(evaluations.calculations). What a source printed is kept as `printed_total` /
`printed_predikat`, shown as printed and compared with the computed figures.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency, Government
from audit.scope import Scope, agency_scope
from performance.calculations import Band

SCORE = {"max_digits": 9, "decimal_places": 4}


class EvaluationFramework(models.Model):
    """A scoring framework (e.g. PermenPANRB 88/2021): the national default (no Pemda) or one
    Pemda's own, for the evaluated years from `valid_from` on."""

    government = models.ForeignKey(
        Government, models.CASCADE, null=True, blank=True, related_name="evaluation_frameworks",
        help_text=_("kosong: kerangka nasional, berlaku bagi setiap Pemda yang tidak menetapkan sendiri"),
    )
    name = models.CharField(_("nama kerangka"), max_length=200)
    valid_from = models.PositiveSmallIntegerField(_("berlaku untuk LKjIP tahun"), help_text=_("tahun yang dievaluasi, mulai"))

    class Meta:
        verbose_name = _("kerangka evaluasi AKIP")
        verbose_name_plural = _("kerangka evaluasi AKIP")
        ordering = ["government", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["government", "valid_from"], name="framework_unique_government_year"),
            models.UniqueConstraint(fields=["valid_from"], condition=Q(government__isnull=True),
                                    name="framework_unique_national_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"

    AUDIT_RELATED = ("government",)

    def audit_scope(self) -> Scope:
        return Scope(government_id=self.government_id, year=self.valid_from)


class EvaluationComponent(models.Model):
    framework = models.ForeignKey(EvaluationFramework, models.CASCADE, related_name="components")
    code = models.CharField(_("kode"), max_length=10)
    name = models.CharField(_("komponen"), max_length=200)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("komponen evaluasi")
        verbose_name_plural = _("komponen evaluasi")
        ordering = ["framework", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="component_unique_code"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="component_weight_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name} ({self.weight})"

    AUDIT_RELATED = ("framework",)

    def audit_scope(self) -> Scope:
        return self.framework.audit_scope()


class EvaluationBand(models.Model):
    """One predikat of a framework: label (AA … D), its wording (Sangat Memuaskan …) and range."""

    framework = models.ForeignKey(EvaluationFramework, models.CASCADE, related_name="bands")
    label = models.CharField(_("predikat"), max_length=10)
    meaning = models.CharField(_("arti"), max_length=100, blank=True)
    lower = models.DecimalField(_("batas bawah"), max_digits=7, decimal_places=4)
    lower_inclusive = models.BooleanField(_("batas bawah inklusif"), default=False)
    upper = models.DecimalField(_("batas atas"), max_digits=7, decimal_places=4)
    upper_inclusive = models.BooleanField(_("batas atas inklusif"), default=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("rentang predikat evaluasi")
        verbose_name_plural = _("rentang predikat evaluasi")
        ordering = ["framework", "order"]
        constraints = [models.UniqueConstraint(fields=["framework", "label"], name="evaluation_band_unique_label")]

    def __str__(self) -> str:
        return f"{self.label}: {self.as_band().describe()}"

    AUDIT_RELATED = ("framework",)

    def audit_scope(self) -> Scope:
        return self.framework.audit_scope()

    def as_band(self) -> Band:
        return Band(self.label, self.lower, self.lower_inclusive, self.upper, self.upper_inclusive)


class Evaluation(models.Model):
    """The LHE AKIP of one agency's LKjIP of `evaluated_year`, as the evaluator recorded it."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="evaluations")
    evaluated_year = models.PositiveSmallIntegerField(
        _("LKjIP tahun yang dievaluasi"),
        help_text=_("LHE yang terbit pada tahun N+1 mengevaluasi LKjIP tahun N; isikan N"),
    )
    # Empty only while no score is recorded (a source that prints recommendations but no scores,
    # for a year no framework covers); scores need the framework their weights come from.
    framework = models.ForeignKey(EvaluationFramework, models.PROTECT, null=True, blank=True,
                                  related_name="evaluations", verbose_name=_("kerangka evaluasi"))
    evaluator = models.CharField(_("evaluator"), max_length=200, blank=True,
                                 help_text=_("mis. Inspektorat Kabupaten Banjar"))
    lhe_number = models.CharField(_("nomor LHE"), max_length=120, blank=True)
    lhe_date = models.DateField(_("tanggal LHE"), null=True, blank=True)
    printed_total = models.DecimalField(
        _("nilai sebagaimana tercetak"), null=True, blank=True, **SCORE,
        help_text=_("hanya bila sumber mencetak nilai: disimpan sebagai kutipan, bukan sebagai angka yang ditampilkan"),
    )
    printed_predikat = models.CharField(_("predikat sebagaimana tercetak"), max_length=10, blank=True)
    printed_source = models.CharField(_("sumber kutipan"), max_length=250, blank=True,
                                      help_text=_("di mana nilai/predikat itu tercetak, mis. LKjIP 2025 Tabel 3.9"))
    note = models.TextField(_("catatan / interpretasi"), blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("hasil evaluasi AKIP (LHE)")
        verbose_name_plural = _("hasil evaluasi AKIP (LHE)")
        ordering = ["agency", "-evaluated_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "evaluated_year"], name="evaluation_unique_agency_year"),
            models.CheckConstraint(condition=Q(printed_total__isnull=True) | Q(printed_total__gte=0),
                                   name="evaluation_printed_total_not_negative"),
        ]

    def __str__(self) -> str:
        return f"LHE AKIP {self.agency} atas LKjIP {self.evaluated_year}"

    AUDIT_RELATED = ("agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.evaluated_year)

    @property
    def follow_up_year(self) -> int:
        """The LKjIP year that prints this evaluation and its tindak lanjut (= the LHE's year)."""
        return self.evaluated_year + 1


class EvaluationScore(models.Model):
    evaluation = models.ForeignKey(Evaluation, models.CASCADE, related_name="scores")
    component = models.ForeignKey(EvaluationComponent, models.PROTECT, related_name="scores")
    value = models.DecimalField(_("nilai"), **SCORE)

    class Meta:
        verbose_name = _("nilai komponen")
        verbose_name_plural = _("nilai komponen")
        ordering = ["evaluation", "component__order"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "component"], name="score_unique_component"),
            models.CheckConstraint(condition=Q(value__gte=Decimal(0)), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.component.code}: {self.value}"

    AUDIT_RELATED = ("evaluation__agency", "component")

    def audit_scope(self) -> Scope:
        return self.evaluation.audit_scope()
