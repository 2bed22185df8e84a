"""The audit trail: who changed which record, when, through which channel, from what to what.

Entries are written by the services in the same transaction as the change itself (the
pretix `log_action` pattern), so they exist in both modes, SQLite and PostgreSQL, and for
bulk writes too. They are append-only: the model refuses updates and deletes, and on
PostgreSQL a trigger refuses them for raw SQL as well (migration 0002).

Foreign keys carry no database constraint and nothing cascades into this table: deleting an
agency or an indicator must not erase, or rewrite, the history of what it was. The codes and
labels are copied onto the entry for the same reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _trail_fk(to: str, **kwargs: object) -> models.ForeignKey:
    return models.ForeignKey(
        to, models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+", **kwargs
    )


class Channel(models.TextChoices):
    FORM = "form", _("Formulir")
    IMPORT = "import", _("Impor workbook")
    API = "api", _("API")
    ADMIN = "admin", _("Admin")
    COMMAND = "command", _("Perintah (manage.py)")


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise AppendOnlyError("Riwayat perubahan tidak dapat diubah.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Riwayat perubahan tidak dapat dihapus.")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise AppendOnlyError("Riwayat perubahan tidak dapat diubah.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("Riwayat perubahan tidak dapat dihapus.")


class ImportBatch(AppendOnlyModel):
    """One committed workbook import: every entry it wrote points here."""

    at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    user = _trail_fk(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"))
    user_label = models.CharField(_("pengguna"), max_length=200)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    file_name = models.CharField(_("nama berkas"), max_length=255)
    file_sha256 = models.CharField(_("sha256 berkas"), max_length=64)
    # The code, not a key: the batch is opened before the import creates a new agency, and what it
    # changed is counted from its entries rather than stored twice.
    agency_code = models.CharField(_("kode instansi"), max_length=80, db_index=True)
    year = models.PositiveSmallIntegerField(_("tahun laporan"))

    class Meta:
        verbose_name = _("impor workbook")
        verbose_name_plural = _("impor workbook")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Impor {self.file_name} ({self.agency_code} {self.year})"


class AuditEntry(AppendOnlyModel):
    """One change of one record: created, updated, deleted or moved to another state."""

    class Action(models.TextChoices):
        CREATE = "create", _("dibuat")
        UPDATE = "update", _("diubah")
        DELETE = "delete", _("dihapus")
        TRANSITION = "transition", _("status berubah")

    at = models.DateTimeField(_("waktu"), db_index=True)
    user = _trail_fk(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"))
    user_label = models.CharField(_("pengguna"), max_length=200)
    channel = models.CharField(_("saluran"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("tindakan"), max_length=10, choices=Action.choices)
    object_type = models.CharField(_("jenis data"), max_length=40)
    object_id = models.BigIntegerField(_("id data"))
    object_label = models.CharField(_("data"), max_length=250)
    government = _trail_fk("agencies.Government")
    agency = _trail_fk("agencies.Agency")
    agency_code = models.CharField(_("kode instansi"), max_length=80, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    indicator = _trail_fk("performance.Indicator")
    indicator_code = models.CharField(_("kode indikator"), max_length=40, blank=True)
    # {field: [old, new]}, values as strings (None when empty): exact, and the same on both databases.
    changes = models.JSONField(_("perubahan"), default=dict)
    reason = models.TextField(_("alasan"), blank=True)
    batch = _trail_fk("audit.ImportBatch", verbose_name=_("impor"))

    class Meta:
        verbose_name = _("riwayat perubahan")
        verbose_name_plural = _("riwayat perubahan")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "at"], name="audit_agency_at"),
            models.Index(fields=["indicator", "year"], name="audit_indicator_year"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["batch"], name="audit_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_label} {self.get_action_display()} {self.object_label}"
