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


class SpendingType(models.TextChoices):
    """Jenis belanja daerah (Permendagri 77/2020): operasi with its kinds, modal, tidak terduga,
    transfer with its kinds. The order here is the order of the printed table."""

    OPERATING = "operasi", _("Belanja Operasi")
    PERSONNEL = "pegawai", _("Belanja Pegawai")
    GOODS_SERVICES = "barang_jasa", _("Belanja Barang dan Jasa")
    INTEREST = "bunga", _("Belanja Bunga")
    SUBSIDY = "subsidi", _("Belanja Subsidi")
    GRANT = "hibah", _("Belanja Hibah")
    SOCIAL_AID = "bantuan_sosial", _("Belanja Bantuan Sosial")
    CAPITAL = "modal", _("Belanja Modal")
    UNFORESEEN = "tidak_terduga", _("Belanja Tidak Terduga")
    TRANSFER = "transfer", _("Belanja Transfer")
    REVENUE_SHARING = "bagi_hasil", _("Belanja Bagi Hasil")
    FINANCIAL_AID = "bantuan_keuangan", _("Belanja Bantuan Keuangan")


# A kind's group: operasi and transfer are the sum of their kinds when any kind is recorded.
SPENDING_PARENT = {
    SpendingType.PERSONNEL: SpendingType.OPERATING,
    SpendingType.GOODS_SERVICES: SpendingType.OPERATING,
    SpendingType.INTEREST: SpendingType.OPERATING,
    SpendingType.SUBSIDY: SpendingType.OPERATING,
    SpendingType.GRANT: SpendingType.OPERATING,
    SpendingType.SOCIAL_AID: SpendingType.OPERATING,
    SpendingType.REVENUE_SHARING: SpendingType.TRANSFER,
    SpendingType.FINANCIAL_AID: SpendingType.TRANSFER,
}


class SpendingByType(models.Model):
    """The agency's budget of one year by jenis belanja: pagu murni, pagu perubahan, realisasi.

    Recorded as the agency's finance office reports it (it is not derived from the program tree,
    whose lines carry no jenis belanja); its total is checked against the tree's total
    (budget.spending.spending_differences), never made to fit it. A group (operasi, transfer)
    carries amounts of its own only when none of its kinds is recorded that year (the service's
    rule): otherwise its amounts are the sum of its kinds, as on the Anggaran sheet.
    """

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="spending_by_type")
    year = models.PositiveSmallIntegerField(_("tahun"))
    kind = models.CharField(_("jenis belanja"), max_length=20, choices=SpendingType.choices)
    ceiling_original = models.DecimalField(_("pagu murni"), **MONEY)
    ceiling_amended = models.DecimalField(_("pagu perubahan"), null=True, blank=True, **MONEY)
    # None: the realisasi is not recorded (Pontianak prints the pagu by type, not its realisasi).
    spent = models.DecimalField(_("realisasi"), null=True, blank=True, **MONEY)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("belanja per jenis")
        verbose_name_plural = _("belanja per jenis")
        ordering = ["agency", "year", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "kind"], name="spendingbytype_unique_kind"),
            models.CheckConstraint(
                condition=Q(ceiling_original__gte=0)
                & (Q(ceiling_amended__isnull=True) | Q(ceiling_amended__gte=0))
                & (Q(spent__isnull=True) | Q(spent__gte=0)),
                name="spendingbytype_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SpendingType.values), name="spendingbytype_known_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.year}"

    AUDIT_RELATED = ("agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)

    @property
    def ceiling(self) -> Decimal:
        return self.ceiling_amended if self.ceiling_amended is not None else self.ceiling_original
