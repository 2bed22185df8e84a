"""Sector statistics: tables an agency adds to a section of its LKjIP (Pontianak's training
participants by type, LPK per sector, job seekers and placements by education, disputes and
mediation by month), kept as the agency gives them: ordered columns, rows of cells, each cell's
text as written and, where it is a number in Indonesian notation, that number as a Decimal."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from agencies.models import Agency
from audit.scope import Scope, agency_scope
from performance.models import Indicator, Narrative

from .grid import MAX_COLUMNS, MAX_ROWS

# Where a table is printed: a section of the report (the narrative sections but the foreword),
# optionally next to one indicator's analysis.
SECTIONS = [(value, label) for value, label in Narrative.Section.choices if value != Narrative.Section.FOREWORD]

CELL_NUMBER = {"max_digits": 24, "decimal_places": 4}


class StatisticsTable(models.Model):
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="statistics_tables")
    year = models.PositiveSmallIntegerField(_("tahun"))
    code = models.CharField(_("kode"), max_length=40)  # the workbook's key (sheet Statistik)
    title = models.CharField(_("judul"), max_length=300)
    section = models.CharField(_("bagian laporan"), max_length=20, choices=SECTIONS)
    # SET_NULL: a removed indicator leaves the table in its section rather than taking it along.
    indicator = models.ForeignKey(
        Indicator, models.SET_NULL, null=True, blank=True, related_name="statistics_tables",
        verbose_name=_("indikator"),
    )
    source = models.CharField(_("sumber"), max_length=300, blank=True)
    note = models.TextField(_("catatan"), blank=True)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    # sha256 of the columns and cells: a change of the contents is a change of the table, so its
    # revision moves and the trail shows it on the table too.
    content_sha256 = models.CharField(_("sidik isi"), max_length=64, blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("tabel statistik")
        verbose_name_plural = _("tabel statistik")
        ordering = ["agency", "year", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "code"], name="statisticstable_unique_code"),
            models.CheckConstraint(condition=~Q(title=""), name="statisticstable_has_title"),
            models.CheckConstraint(condition=Q(section__in=[value for value, _ in SECTIONS]),
                                   name="statisticstable_known_section"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"

    AUDIT_RELATED = ("agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)


class StatisticsColumn(models.Model):
    table = models.ForeignKey(StatisticsTable, models.CASCADE, related_name="columns")
    position = models.PositiveSmallIntegerField(_("kolom ke"))
    label = models.CharField(_("judul kolom"), max_length=200)
    # A spanning header over adjacent columns ("Semester I" over "Laki-laki" and "Perempuan").
    group = models.CharField(_("kelompok kolom"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("kolom tabel statistik")
        verbose_name_plural = _("kolom tabel statistik")
        ordering = ["table", "position"]
        constraints = [
            models.UniqueConstraint(fields=["table", "position"], name="statisticscolumn_unique_position"),
            models.CheckConstraint(condition=Q(position__lt=MAX_COLUMNS), name="statisticscolumn_position_bounded"),
        ]

    def __str__(self) -> str:
        return f"{self.group} / {self.label}" if self.group else self.label

    AUDIT_RELATED = ("table__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.table.agency, year=self.table.year)


class StatisticsCell(models.Model):
    """One non-blank cell. `text` is what the agency wrote (printed as is); `number` is its value
    when the text is a number in Indonesian notation ("1.117", "35,5", "7,81 %"), else empty."""

    table = models.ForeignKey(StatisticsTable, models.CASCADE, related_name="cells")
    row = models.PositiveSmallIntegerField(_("baris ke"))
    column = models.PositiveSmallIntegerField(_("kolom ke"))
    text = models.CharField(_("isi"), max_length=500)
    number = models.DecimalField(_("angka"), null=True, blank=True, **CELL_NUMBER)

    class Meta:
        verbose_name = _("sel tabel statistik")
        verbose_name_plural = _("sel tabel statistik")
        ordering = ["table", "row", "column"]
        constraints = [
            models.UniqueConstraint(fields=["table", "row", "column"], name="statisticscell_unique_place"),
            models.CheckConstraint(condition=~Q(text=""), name="statisticscell_not_blank"),
            models.CheckConstraint(condition=Q(column__lt=MAX_COLUMNS, row__lt=MAX_ROWS),
                                   name="statisticscell_place_bounded"),
        ]

    def __str__(self) -> str:
        return self.text

    AUDIT_RELATED = ("table__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.table.agency, year=self.table.year)
