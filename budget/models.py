from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from audit.scope import Scope, agency_scope

MONEY = {"max_digits": 18, "decimal_places": 2}


class BudgetItem(models.Model):
    """A program, kegiatan or sub kegiatan of one agency, coded per Permendagri 90/2019.

    The tree is the code: 2.07.03 (program) → 2.07.03.2.01 (kegiatan) → 2.07.03.2.01.0001
    (sub kegiatan). Money lives on BudgetLine, per year.
    """

    class Kind(models.TextChoices):
        PROGRAM = "program", _("Program")
        ACTIVITY = "kegiatan", _("Kegiatan")
        SUB_ACTIVITY = "subkegiatan", _("Sub kegiatan")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="budget_items")
    code = models.CharField(_("kode"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    name = models.TextField(_("uraian"))
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    objective = models.ForeignKey(
        "performance.PlanNode",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_items",
        verbose_name=_("sasaran yang didukung"),
    )

    class Meta:
        verbose_name = _("program/kegiatan/sub kegiatan")
        verbose_name_plural = _("program/kegiatan/sub kegiatan")
        ordering = ["agency", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "code"], name="budgetitem_unique_code"),
            models.CheckConstraint(
                condition=Q(kind="program", parent__isnull=True) | (~Q(kind="program") & Q(parent__isnull=False)),
                name="budgetitem_program_is_root",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency)


class BudgetLine(models.Model):
    """Pagu and quarterly spending of one leaf item in one year.

    Only leaves carry money; every parent amount and total is a computed sum.
    """

    item = models.ForeignKey(BudgetItem, models.CASCADE, related_name="lines")
    year = models.PositiveSmallIntegerField(_("tahun"))
    funding_source = models.CharField(_("sumber dana"), max_length=100, blank=True)
    ceiling_original = models.DecimalField(_("pagu murni"), **MONEY)
    ceiling_amended = models.DecimalField(_("pagu perubahan"), null=True, blank=True, **MONEY)
    spent_q1 = models.DecimalField(_("realisasi TW I"), default=Decimal(0), **MONEY)
    spent_q2 = models.DecimalField(_("realisasi TW II"), default=Decimal(0), **MONEY)
    spent_q3 = models.DecimalField(_("realisasi TW III"), default=Decimal(0), **MONEY)
    spent_q4 = models.DecimalField(_("realisasi TW IV"), default=Decimal(0), **MONEY)
    responsible = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("anggaran")
        verbose_name_plural = _("anggaran")
        ordering = ["item", "year"]
        constraints = [
            models.UniqueConstraint(fields=["item", "year"], name="budgetline_unique_year"),
            models.CheckConstraint(
                condition=Q(ceiling_original__gte=0)
                & (Q(ceiling_amended__isnull=True) | Q(ceiling_amended__gte=0))
                & Q(spent_q1__gte=0, spent_q2__gte=0, spent_q3__gte=0, spent_q4__gte=0),
                name="budgetline_non_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.code} {self.year}"

    AUDIT_RELATED = ("item__agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.item.agency, year=self.year)

    @property
    def ceiling(self) -> Decimal:
        """The pagu in force: perubahan when there was a revision."""
        return self.ceiling_amended if self.ceiling_amended is not None else self.ceiling_original

    @property
    def spent(self) -> Decimal:
        return self.spent_q1 + self.spent_q2 + self.spent_q3 + self.spent_q4
