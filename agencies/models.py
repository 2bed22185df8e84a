from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from audit.scope import Scope, agency_scope


class User(AbstractUser):
    """The project's own user model, so roles and profile fields can grow without a swap later."""

    full_name = models.CharField(_("nama lengkap"), max_length=200, blank=True)
    nip = models.CharField(_("NIP"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")

    def __str__(self) -> str:
        return self.full_name or self.username


class Government(models.Model):
    """A Pemda: the local government that owns agencies, rating scales and calendars."""

    class Kind(models.TextChoices):
        CITY = "kota", _("Kota")
        REGENCY = "kabupaten", _("Kabupaten")
        PROVINCE = "provinsi", _("Provinsi")

    name = models.CharField(_("nama pemda"), max_length=200, unique=True)
    kind = models.CharField(_("jenis pemda"), max_length=10, choices=Kind.choices)
    province = models.CharField(_("provinsi"), max_length=100, blank=True)
    head_title = models.CharField(_("jabatan kepala daerah"), max_length=120, blank=True)
    head_name = models.CharField(_("nama kepala daerah"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pemerintah daerah")
        verbose_name_plural = _("pemerintah daerah")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return Scope(government_id=self.pk)


class Agency(models.Model):
    """A Perangkat Daerah (OPD): one reporting agency."""

    government = models.ForeignKey(Government, models.PROTECT, related_name="agencies", verbose_name=_("pemda"))
    code = models.SlugField(_("kode instansi"), max_length=80, unique=True)
    name = models.CharField(_("nama instansi"), max_length=250)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    address = models.CharField(_("alamat"), max_length=300, blank=True)
    phone = models.CharField(_("telepon"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.CharField(_("situs"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("perangkat daerah")
        verbose_name_plural = _("perangkat daerah")
        ordering = ["government__name", "name"]

    def __str__(self) -> str:
        return self.name

    def audit_scope(self) -> Scope:
        return agency_scope(self)


class AgencyYear(models.Model):
    """What belongs to one agency's reporting year: its signatory and where and when it signs.

    The head is kept per year because the head who signs the 2025 report may be a Plt.
    who is gone by 2026.
    """

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="years", verbose_name=_("perangkat daerah"))
    year = models.PositiveSmallIntegerField(_("tahun laporan"))
    head_title = models.CharField(_("jabatan kepala"), max_length=150, blank=True)
    head_name = models.CharField(_("nama kepala"), max_length=200, blank=True)
    head_rank = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    head_nip = models.CharField(_("NIP"), max_length=30, blank=True)
    signature_place = models.CharField(_("tempat penandatanganan"), max_length=100, blank=True)
    signature_date = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    # The months the year's records cover: an agency formed in October (Pontianak 2022) has only
    # October-December, and a comparison with that year has to say so.
    data_from_month = models.PositiveSmallIntegerField(_("periode data: bulan awal"), default=1)
    data_to_month = models.PositiveSmallIntegerField(_("periode data: bulan akhir"), default=12)
    data_note = models.CharField(_("keterangan periode data"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("tahun laporan perangkat daerah")
        verbose_name_plural = _("tahun laporan perangkat daerah")
        ordering = ["agency", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year"], name="agencyyear_unique"),
            models.CheckConstraint(condition=Q(year__gte=2000, year__lte=2100), name="agencyyear_year_range"),
            models.CheckConstraint(
                condition=Q(data_from_month__gte=1, data_to_month__lte=12, data_from_month__lte=models.F("data_to_month")),
                name="agencyyear_data_period_months",
                violation_error_message=_("Periode data: bulan awal dan bulan akhir 1–12, bulan awal tidak sesudah "
                                          "bulan akhir."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)

    @property
    def head_is_acting(self) -> bool:
        """Plt. (pelaksana tugas) heads sign as such; the report must say so."""
        return self.head_title.strip().lower().startswith(("plt", "plh", "pj"))


class AgencyMembership(models.Model):
    """A user's role inside one agency."""

    class Role(models.TextChoices):
        STAFF = "staff", _("Operator")
        PLANNER = "planner", _("Perencana perangkat daerah")
        HEAD = "head", _("Kepala perangkat daerah")

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, models.CASCADE, related_name="memberships")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices, default=Role.STAFF)

    class Meta:
        verbose_name = _("keanggotaan perangkat daerah")
        verbose_name_plural = _("keanggotaan perangkat daerah")
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.agency} · {self.get_role_display()}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency)


class GovernmentRole(models.Model):
    """A government-level role: sees every agency of its Pemda."""

    class Role(models.TextChoices):
        PLANNER = "planner", _("Perencana pemda (Bappeda/Bagian Organisasi)")
        EVALUATOR = "evaluator", _("Evaluator")
        INSPECTOR = "inspector", _("Inspektorat")
        ADMIN = "admin", _("Administrator")

    user = models.ForeignKey(User, models.CASCADE, related_name="government_roles")
    government = models.ForeignKey(Government, models.CASCADE, related_name="roles")
    role = models.CharField(_("peran"), max_length=10, choices=Role.choices)
    # The head of the unit behind the role (pimpinan unit): an inspector role with head=True is the
    # Inspektur, who signs the Pernyataan Telah Direviu.
    head = models.BooleanField(_("pimpinan unit"), default=False,
                               help_text=_("Mis. Inspektur untuk peran Inspektorat: menandatangani pernyataan reviu."))
    position = models.CharField(_("jabatan"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("peran pemda")
        verbose_name_plural = _("peran pemda")
        constraints = [models.UniqueConstraint(fields=["user", "government", "role"], name="govrole_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.government} · {self.get_role_display()}"

    def audit_scope(self) -> Scope:
        return Scope(government_id=self.government_id)


class StaffCount(models.Model):
    """Headcount by one dimension (jabatan, golongan, …), category and employment status."""

    class Dimension(models.TextChoices):
        POSITION = "jabatan", _("Jabatan")
        GRADE = "golongan", _("Golongan")
        EDUCATION = "pendidikan", _("Pendidikan")
        ECHELON = "eselon", _("Eselon")

    class Status(models.TextChoices):
        PNS = "PNS", "PNS"
        PPPK = "PPPK", "PPPK"
        NON_ASN = "Non-ASN", "Non-ASN"

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="staff_counts")
    year = models.PositiveSmallIntegerField(_("tahun"))
    dimension = models.CharField(_("dimensi"), max_length=12, choices=Dimension.choices)
    category = models.CharField(_("kategori"), max_length=150)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    count = models.PositiveIntegerField(_("jumlah"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("jumlah pegawai")
        verbose_name_plural = _("jumlah pegawai")
        ordering = ["agency", "year", "dimension", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "dimension", "category", "status"], name="staffcount_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.dimension}/{self.category}/{self.status}: {self.count}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)
