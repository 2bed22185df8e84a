from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from agencies.models import Agency, Government
from audit.scope import Scope, agency_scope

from . import calculations

VALUE = {"max_digits": 20, "decimal_places": 4}


class Version(models.TextChoices):
    ORIGINAL = "murni", _("Murni")
    AMENDED = "perubahan", _("Perubahan")


class StrategicPlan(models.Model):
    """A Renstra period of one agency. Its revision (perubahan) is recorded on the targets."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="strategic_plans")
    start_year = models.PositiveSmallIntegerField(_("tahun awal"))
    end_year = models.PositiveSmallIntegerField(_("tahun akhir"))
    vision = models.TextField(_("visi"), blank=True)

    class Meta:
        verbose_name = _("Renstra")
        verbose_name_plural = _("Renstra")
        ordering = ["agency", "-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "start_year", "end_year"], name="plan_unique_period"),
            models.CheckConstraint(condition=Q(end_year__gte=models.F("start_year")), name="plan_period_order"),
        ]

    def __str__(self) -> str:
        return f"Renstra {self.agency} {self.start_year}-{self.end_year}"

    AUDIT_RELATED = ("agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency)

    def covers(self, year: int) -> bool:
        return self.start_year <= year <= self.end_year


class PlanNode(models.Model):
    """Misi → tujuan → sasaran of a Renstra."""

    class Kind(models.TextChoices):
        MISSION = "misi", _("Misi")
        GOAL = "tujuan", _("Tujuan")
        OBJECTIVE = "sasaran", _("Sasaran")

    plan = models.ForeignKey(StrategicPlan, models.CASCADE, related_name="nodes")
    code = models.CharField(_("kode"), max_length=40)
    kind = models.CharField(_("jenis"), max_length=8, choices=Kind.choices)
    parent = models.ForeignKey("self", models.CASCADE, null=True, blank=True, related_name="children")
    text = models.TextField(_("uraian"))
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("misi/tujuan/sasaran")
        verbose_name_plural = _("misi/tujuan/sasaran")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="node_unique_code"),
            # A misi is the top; tujuan and sasaran hang below it.
            models.CheckConstraint(condition=~Q(kind="misi", parent__isnull=False), name="node_mission_is_root"),
            models.CheckConstraint(condition=~Q(kind="sasaran", parent__isnull=True), name="node_objective_has_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:60]}"

    AUDIT_RELATED = ("plan__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.plan.agency)


class Indicator(models.Model):
    """An indikator kinerja, owned by a tujuan/sasaran or by a program, kegiatan or sub kegiatan."""

    plan = models.ForeignKey(StrategicPlan, models.CASCADE, related_name="indicators")
    code = models.CharField(_("kode"), max_length=40)
    name = models.TextField(_("nama indikator"))
    unit = models.CharField(_("satuan"), max_length=60)
    polarity = models.CharField(
        _("polaritas"),
        max_length=8,
        choices=[(p.value, p.value.capitalize()) for p in calculations.Polarity],
        default=calculations.Polarity.POSITIVE.value,
    )
    aggregation = models.CharField(
        _("agregasi triwulan"),
        max_length=10,
        choices=[(a.value, a.value.capitalize()) for a in calculations.Aggregation],
        default=calculations.Aggregation.LAST.value,
    )
    tags = models.JSONField(_("jenis (IKU, IKD, IKK, PK)"), default=list, blank=True)
    definition = models.TextField(_("definisi/formula"), blank=True)
    data_source = models.CharField(_("sumber data"), max_length=250, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("tahun baseline"), null=True, blank=True)
    baseline = models.DecimalField(_("baseline"), null=True, blank=True, **VALUE)
    responsible = models.CharField(_("penanggung jawab"), max_length=200, blank=True)
    owner_node = models.ForeignKey(
        PlanNode, models.CASCADE, null=True, blank=True, related_name="indicators", verbose_name=_("tujuan/sasaran")
    )
    owner_budget_item = models.ForeignKey(
        "budget.BudgetItem",
        models.CASCADE,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("program/kegiatan/sub kegiatan"),
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("indikator")
        verbose_name_plural = _("indikator")
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_unique_code"),
            models.CheckConstraint(
                condition=Q(owner_node__isnull=False, owner_budget_item__isnull=True)
                | Q(owner_node__isnull=True, owner_budget_item__isnull=False),
                name="indicator_exactly_one_owner",
            ),
            models.CheckConstraint(condition=Q(polarity__in=["positif", "negatif"]), name="indicator_polarity"),
            models.CheckConstraint(
                condition=Q(aggregation__in=["kumulatif", "akhir", "rata-rata"]), name="indicator_aggregation"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name[:60]}"

    AUDIT_RELATED = ("plan__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.plan.agency, indicator_id=self.pk, indicator_code=self.code)

    @property
    def is_key(self) -> bool:
        return "IKU" in self.tags


class PerformanceAgreement(FSMModelMixin, models.Model):
    """A Perjanjian Kinerja: one agency, one year, one numbered version.

    Version 0 is the PK murni; every amendment (PK perubahan) is a new version with the next
    number, a cause and an effective date, so what was signed and approved stays as it was.
    Each version goes draft → submitted → returned (reason) | approved; at approval its
    contents (rows, targets, budget, signatories) are frozen and documents print that.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        RETURNED = "returned", _("Dikembalikan")
        APPROVED = "approved", _("Disetujui")

    class Cause(models.TextChoices):
        OFFICIAL = "pejabat", _("Pergantian pejabat")
        STRATEGY = "strategi", _("Perubahan strategi/kebijakan")
        BUDGET = "anggaran", _("Perubahan anggaran")
        PRIORITY = "prioritas", _("Perubahan prioritas")
        CORRECTION = "koreksi", _("Koreksi")

    class Capacity(models.TextChoices):
        DEFINITIVE = "definitif", _("Definitif")
        ACTING = "plt", _("Plt. (Pelaksana Tugas)")
        DAILY = "plh", _("Plh. (Pelaksana Harian)")
        INTERIM = "pj", _("Pj. (Penjabat)")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="agreements")
    year = models.PositiveSmallIntegerField(_("tahun"))
    number = models.PositiveSmallIntegerField(_("versi ke"), default=0)
    version = models.CharField(_("versi"), max_length=10, choices=Version.choices, default=Version.ORIGINAL)
    amends = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name=_("mengubah PK")
    )
    cause = models.CharField(_("sebab perubahan"), max_length=10, choices=Cause.choices, blank=True)
    cause_note = models.TextField(_("uraian sebab perubahan"), blank=True)
    effective_from = models.DateField(_("berlaku mulai"), null=True, blank=True)
    status = FSMField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, protected=True)
    status_note = models.TextField(_("catatan status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Pihak pertama: the agency head for the year, or a Plt./Plh. appointed by an SK.
    first_name = models.CharField(_("nama pihak pertama"), max_length=200, blank=True)
    first_nip = models.CharField(_("NIP pihak pertama"), max_length=30, blank=True)
    first_position = models.CharField(_("jabatan pihak pertama"), max_length=200, blank=True)
    first_capacity = models.CharField(
        _("kedudukan pihak pertama"), max_length=10, choices=Capacity.choices, default=Capacity.DEFINITIVE
    )
    first_decree_number = models.CharField(_("nomor SK Plt./Plh."), max_length=120, blank=True)
    first_decree_date = models.DateField(_("tanggal SK Plt./Plh."), null=True, blank=True)
    # Pihak kedua: the Wali Kota/Bupati/Gubernur, possibly a Pj./Plt.
    second_name = models.CharField(_("nama pihak kedua"), max_length=200, blank=True)
    second_nip = models.CharField(_("NIP pihak kedua"), max_length=30, blank=True)
    second_position = models.CharField(_("jabatan pihak kedua"), max_length=200, blank=True)
    second_capacity = models.CharField(
        _("kedudukan pihak kedua"), max_length=10, choices=Capacity.choices, default=Capacity.DEFINITIVE
    )
    signed_place = models.CharField(_("tempat penandatanganan"), max_length=100, blank=True)
    signed_on = models.DateField(_("tanggal penandatanganan"), null=True, blank=True)
    frozen = models.JSONField(_("isi yang disetujui"), null=True, blank=True, editable=False)
    frozen_sha256 = models.CharField(_("sha256 isi yang disetujui"), max_length=64, blank=True, editable=False)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("Perjanjian Kinerja")
        verbose_name_plural = _("Perjanjian Kinerja")
        ordering = ["agency", "-year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "number"], name="agreement_unique_number"),
            models.CheckConstraint(
                condition=Q(number=0, version="murni", amends__isnull=True, cause="")
                | Q(number__gt=0, version="perubahan"),
                name="agreement_number_matches_version",
            ),
            models.CheckConstraint(
                condition=Q(status="approved", frozen__isnull=False) | (~Q(status="approved") & Q(frozen__isnull=True)),
                name="agreement_frozen_iff_approved",
            ),
            models.CheckConstraint(
                condition=Q(first_capacity__in=["definitif", "plt", "plh"])
                & Q(second_capacity__in=["definitif", "plt", "plh", "pj"]),
                name="agreement_signatory_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"PK {self.version_label} {self.agency} {self.year}"

    AUDIT_RELATED = ("agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)

    @property
    def version_label(self) -> str:
        """"Murni", "Perubahan" or "Perubahan ke-2": the name the documents print."""
        if self.number == 0:
            return "Murni"
        return "Perubahan" if self.number == 1 else f"Perubahan ke-{self.number}"

    def _stamp(self, by: object, note: str) -> None:
        self.status_changed_at = timezone.now()
        self.status_changed_by = by  # type: ignore[assignment]
        self.status_note = note

    @transition(field=status, source=[Status.DRAFT, Status.RETURNED], target=Status.SUBMITTED)
    def submit(self, by: object = None, note: str = "") -> None:
        self._stamp(by, note)

    @transition(field=status, source=Status.SUBMITTED, target=Status.DRAFT)
    def withdraw(self, by: object = None, note: str = "") -> None:
        self._stamp(by, note)

    @transition(field=status, source=Status.SUBMITTED, target=Status.RETURNED)
    def send_back(self, by: object = None, note: str = "") -> None:
        self._stamp(by, note)

    @transition(field=status, source=Status.SUBMITTED, target=Status.APPROVED)
    def approve(self, by: object = None, note: str = "", frozen: dict | None = None, digest: str = "") -> None:
        self._stamp(by, note)
        self.frozen = frozen
        self.frozen_sha256 = digest

    @property
    def is_locked(self) -> bool:
        """An approved agreement is what was signed: its contents change only by amendment."""
        return self.status == self.Status.APPROVED

    @property
    def editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class AgreementProgram(models.Model):
    """One program and its budget in a PK: by default the pagu in force of the budget
    records; the PK's own figure, with a reason, where the signed PK states another."""

    agreement = models.ForeignKey(PerformanceAgreement, models.CASCADE, related_name="programs")
    # PROTECT: a budget re-import cannot silently take a program out of a signed PK.
    item = models.ForeignKey("budget.BudgetItem", models.PROTECT, related_name="agreement_rows", verbose_name=_("program"))
    amount = models.DecimalField(_("anggaran dalam PK"), max_digits=18, decimal_places=2)
    reason = models.TextField(_("alasan berbeda dari pagu"), blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("program dalam PK")
        verbose_name_plural = _("program dalam PK")
        ordering = ["agreement", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "item"], name="agreement_program_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="agreement_program_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.agreement}: {self.item.code}"

    AUDIT_RELATED = ("agreement__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.agreement.agency, year=self.agreement.year)


class Target(models.Model):
    """One indicator's target for one year in one planning document and version."""

    class Document(models.TextChoices):
        RENSTRA = "renstra", _("Renstra")
        IKU = "iku", _("IKU")
        PK = "pk", _("Perjanjian Kinerja")
        RENJA = "renja", _("Renja")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField(_("tahun"))
    document = models.CharField(_("dokumen"), max_length=10, choices=Document.choices)
    version = models.CharField(_("versi"), max_length=10, choices=Version.choices, default=Version.ORIGINAL)
    agreement = models.ForeignKey(
        PerformanceAgreement, models.CASCADE, null=True, blank=True, related_name="targets"
    )
    value = models.DecimalField(_("target"), **VALUE)
    q1 = models.DecimalField(_("target TW I"), null=True, blank=True, **VALUE)
    q2 = models.DecimalField(_("target TW II"), null=True, blank=True, **VALUE)
    q3 = models.DecimalField(_("target TW III"), null=True, blank=True, **VALUE)
    q4 = models.DecimalField(_("target TW IV"), null=True, blank=True, **VALUE)
    end_value = models.DecimalField(_("target akhir Renstra"), null=True, blank=True, **VALUE)
    # Why a PK target differs from the Renstra's for the year: shown to the approver and printed.
    reason = models.TextField(_("alasan berbeda dari Renstra"), blank=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("target")
        ordering = ["indicator", "year", "document", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "document", "version"], name="target_unique", condition=~Q(document="pk")
            ),
            # A PK has numbered versions: one target per indicator in each.
            models.UniqueConstraint(fields=["indicator", "agreement"], name="target_unique_in_agreement",
                                    condition=Q(document="pk")),
            models.CheckConstraint(condition=Q(reason="") | Q(document="pk"), name="target_reason_only_on_pk"),
            # PK targets belong to a Perjanjian Kinerja, and only PK targets do.
            models.CheckConstraint(
                condition=Q(document="pk", agreement__isnull=False) | (~Q(document="pk") & Q(agreement__isnull=True)),
                name="target_agreement_iff_pk",
            ),
            models.CheckConstraint(
                condition=Q(q1__isnull=True, q2__isnull=True, q3__isnull=True, q4__isnull=True) | Q(document="pk"),
                name="target_quarters_only_on_pk",
            ),
            models.CheckConstraint(
                condition=Q(end_value__isnull=True) | Q(document="renstra"), name="target_end_only_on_renstra"
            ),
            models.CheckConstraint(
                condition=Q(document__in=["pk", "renstra"]) | Q(version="murni"), name="target_versioned_documents"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.document}/{self.version}: {self.value}"

    AUDIT_RELATED = ("indicator__plan__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.indicator.plan.agency, year=self.year, indicator_id=self.indicator_id, indicator_code=self.indicator.code)

    @property
    def key(self) -> tuple[str, str]:
        return (self.document, self.version)

    @property
    def quarters(self) -> list:
        return [self.q1, self.q2, self.q3, self.q4]


class Realization(FSMModelMixin, models.Model):
    """A measured value for one indicator: per quarter, or for the year (quarter empty).

    A quarter's entry is verified by the agency planner: draft → submitted → verified or
    returned → submitted …; a verified entry changes only after the planner reopens it
    (back to returned). `revision` counts changes, so a form saved over someone else's newer
    value is refused instead of overwriting it.
    """

    class Status(models.TextChoices):
        FINAL = "final", _("Final")
        PROVISIONAL = "sementara", _("Sementara")
        NOT_AVAILABLE = "belum_tersedia", _("Belum tersedia")

    class Review(models.TextChoices):
        DRAFT = "draf", _("Draf")
        SUBMITTED = "diajukan", _("Diajukan")
        VERIFIED = "terverifikasi", _("Terverifikasi")
        RETURNED = "dikembalikan", _("Dikembalikan")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="realizations")
    year = models.PositiveSmallIntegerField(_("tahun"))
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    value = models.DecimalField(_("realisasi"), null=True, blank=True, **VALUE)
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.FINAL)
    numerator = models.DecimalField(_("pembilang"), null=True, blank=True, **VALUE)
    denominator = models.DecimalField(_("penyebut"), null=True, blank=True, **VALUE)
    note = models.TextField(_("keterangan"), blank=True)
    source = models.CharField(_("sumber"), max_length=250, blank=True)
    review = FSMField(_("verifikasi"), max_length=15, choices=Review.choices, default=Review.DRAFT, protected=True)
    review_note = models.TextField(_("catatan verifikasi"), blank=True)
    review_by_label = models.CharField(_("diverifikasi/diajukan oleh"), max_length=200, blank=True)
    review_at = models.DateTimeField(_("waktu verifikasi/pengajuan"), null=True, blank=True)
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("realisasi")
        verbose_name_plural = _("realisasi")
        ordering = ["indicator", "year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "quarter"], name="realization_unique_quarter", condition=Q(quarter__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"], name="realization_unique_annual", condition=Q(quarter__isnull=True)
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(quarter__gte=1, quarter__lte=4), name="realization_quarter_1_4"
            ),
            # "Not available" carries no number and says why; a final or provisional value has a number.
            models.CheckConstraint(
                condition=(Q(status="belum_tersedia", value__isnull=True) & ~Q(note=""))
                | (~Q(status="belum_tersedia") & Q(value__isnull=False)),
                name="realization_value_matches_status",
            ),
        ]

    def __str__(self) -> str:
        period = f"TW {self.quarter}" if self.quarter else "tahunan"
        return f"{self.indicator.code} {self.year} {period}: {self.value}"

    AUDIT_RELATED = ("indicator__plan__agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(
            self.indicator.plan.agency, year=self.year, quarter=self.quarter, indicator_id=self.indicator_id, indicator_code=self.indicator.code
        )

    def _review(self, by: str, note: str) -> None:
        self.review_by_label = by
        self.review_note = note
        self.review_at = timezone.now()

    @transition(field=review, source=[Review.DRAFT, Review.RETURNED], target=Review.SUBMITTED)
    def submit(self, by: str, note: str = "") -> None:
        self._review(by, note)

    @transition(field=review, source=Review.SUBMITTED, target=Review.DRAFT)
    def withdraw(self, by: str, note: str = "") -> None:
        self._review(by, note)

    @transition(field=review, source=Review.SUBMITTED, target=Review.VERIFIED)
    def verify(self, by: str, note: str = "") -> None:
        self._review(by, note)

    @transition(field=review, source=Review.SUBMITTED, target=Review.RETURNED)
    def send_back(self, by: str, note: str) -> None:
        self._review(by, note)

    @transition(field=review, source=Review.VERIFIED, target=Review.RETURNED)
    def reopen(self, by: str, note: str) -> None:
        self._review(by, note)

    @property
    def editable_state(self) -> bool:
        """Draft or returned: what the operator may still change."""
        return self.review in (self.Review.DRAFT, self.Review.RETURNED)


class RatingScale(models.Model):
    """A rating scale chosen by a Pemda, or by one agency, from a year on."""

    government = models.ForeignKey(Government, models.CASCADE, null=True, blank=True, related_name="rating_scales")
    agency = models.ForeignKey(Agency, models.CASCADE, null=True, blank=True, related_name="rating_scales")
    name = models.CharField(_("nama skala"), max_length=150)
    valid_from = models.PositiveSmallIntegerField(_("berlaku mulai tahun"))
    objective_method = models.CharField(
        _("metode agregasi sasaran"),
        max_length=10,
        choices=[(m.value, m.value.capitalize()) for m in calculations.ObjectiveMethod],
        default=calculations.ObjectiveMethod.MEAN.value,
    )
    objective_cap = models.DecimalField(
        _("batas atas capaian saat dirata-rata"), max_digits=7, decimal_places=2, null=True, blank=True,
        help_text=_("Kosong: batas bawaan 120 %, kecuali 'tanpa batas atas' dipilih."),
    )
    # Empty cap means the default (calculations.DEFAULT_CAP); "no cap" has to be said explicitly.
    objective_uncapped = models.BooleanField(
        _("tanpa batas atas saat dirata-rata"), default=False,
        help_text=_("Capaian indikator dihitung apa adanya dalam rata-rata tujuan/sasaran."),
    )

    class Meta:
        verbose_name = _("skala penilaian")
        verbose_name_plural = _("skala penilaian")
        constraints = [
            models.CheckConstraint(
                condition=Q(government__isnull=False, agency__isnull=True)
                | Q(government__isnull=True, agency__isnull=False),
                name="scale_exactly_one_owner",
            ),
            models.CheckConstraint(
                condition=Q(objective_cap__isnull=True) | Q(objective_uncapped=False, objective_cap__gt=0),
                name="scale_cap_positive_or_uncapped",
                violation_error_message=_("Batas atas capaian harus lebih dari 0, dan dikosongkan bila 'tanpa batas "
                                          "atas' dipilih."),
            ),
            models.UniqueConstraint(fields=["agency", "valid_from"], name="scale_unique_agency_year"),
            models.UniqueConstraint(fields=["government", "valid_from"], name="scale_unique_government_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from})"

    AUDIT_RELATED = ("agency", "government")

    def audit_scope(self) -> Scope:
        return (
            agency_scope(self.agency, year=self.valid_from)
            if self.agency_id
            else Scope(government_id=self.government_id, year=self.valid_from)
        )

    def aggregation_cap(self) -> tuple:
        """(cap used in averaging, where it comes from): calculations.aggregation_cap."""
        return calculations.aggregation_cap(self.objective_cap, self.objective_uncapped)

    def band_list(self) -> list[calculations.Band]:
        return [band.as_band() for band in self.bands.all()]


class RatingBand(models.Model):
    scale = models.ForeignKey(RatingScale, models.CASCADE, related_name="bands")
    label = models.CharField(_("predikat"), max_length=60)
    lower = models.DecimalField(_("batas bawah"), max_digits=9, decimal_places=4, null=True, blank=True)
    lower_inclusive = models.BooleanField(_("batas bawah inklusif"), default=True)
    upper = models.DecimalField(_("batas atas"), max_digits=9, decimal_places=4, null=True, blank=True)
    upper_inclusive = models.BooleanField(_("batas atas inklusif"), default=False)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        verbose_name = _("rentang predikat")
        verbose_name_plural = _("rentang predikat")
        ordering = ["scale", "order"]
        constraints = [models.UniqueConstraint(fields=["scale", "label"], name="band_unique_label")]

    def __str__(self) -> str:
        return f"{self.label}: {self.as_band().describe()}"

    AUDIT_RELATED = ("scale__agency",)

    def audit_scope(self) -> Scope:
        return self.scale.audit_scope()

    def as_band(self) -> calculations.Band:
        return calculations.Band(self.label, self.lower, self.lower_inclusive, self.upper, self.upper_inclusive)


class Benchmark(models.Model):
    """A national, provincial or city value of the same indicator, for comparison."""

    class Scope(models.TextChoices):
        NATIONAL = "nasional", _("Nasional")
        PROVINCE = "provinsi", _("Provinsi")
        CITY = "kabupaten_kota", _("Kabupaten/Kota")

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="benchmarks")
    year = models.PositiveSmallIntegerField(_("tahun"))
    scope = models.CharField(_("lingkup"), max_length=15, choices=Scope.choices)
    value = models.DecimalField(_("nilai"), null=True, blank=True, **VALUE)
    source = models.CharField(_("sumber"), max_length=250, blank=True)
    note = models.CharField(_("keterangan"), max_length=250, blank=True)

    class Meta:
        verbose_name = _("nilai pembanding")
        verbose_name_plural = _("nilai pembanding")
        constraints = [models.UniqueConstraint(fields=["indicator", "year", "scope"], name="benchmark_unique")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.year} {self.scope}: {self.value}"

    AUDIT_RELATED = ("indicator__plan__agency",)

    def audit_scope(self) -> Scope:
        return agency_scope(self.indicator.plan.agency, year=self.year, indicator_id=self.indicator_id, indicator_code=self.indicator.code)


class Narrative(models.Model):
    """Text the agency writes: report-level (indicator empty) or about one indicator."""

    class Section(models.TextChoices):
        FOREWORD = "kata_pengantar", _("Kata pengantar")
        BACKGROUND = "latar_belakang", _("Latar belakang")
        LEGAL_BASIS = "dasar_hukum", _("Dasar hukum")
        DUTIES = "tugas_fungsi", _("Tugas dan fungsi")
        ORGANISATION = "struktur_organisasi", _("Struktur organisasi")
        RESOURCES = "sumber_daya", _("Sumber daya")
        STRATEGIC_ISSUES = "isu_strategis", _("Isu strategis")
        ANALYSIS = "analisis", _("Analisis capaian")
        SUPPORTING = "pendukung", _("Faktor pendukung")
        HINDERING = "penghambat", _("Faktor penghambat")
        EFFORTS = "upaya", _("Upaya/solusi")
        EFFICIENCY = "efisiensi", _("Efisiensi")
        INNOVATION = "inovasi", _("Inovasi")
        AWARDS = "penghargaan", _("Penghargaan")
        CONCLUSION = "kesimpulan", _("Kesimpulan")
        SUGGESTIONS = "saran", _("Saran")

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="narratives")
    year = models.PositiveSmallIntegerField(_("tahun"))
    section = models.CharField(_("bagian"), max_length=20, choices=Section.choices)
    indicator = models.ForeignKey(Indicator, models.CASCADE, null=True, blank=True, related_name="narratives")
    # A quarter's explanation of one indicator (entered with its realisasi); empty: the year's.
    quarter = models.PositiveSmallIntegerField(_("triwulan"), null=True, blank=True)
    text = models.TextField(_("teks"))

    class Meta:
        verbose_name = _("narasi")
        verbose_name_plural = _("narasi")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "section", "indicator"],
                name="narrative_unique_indicator",
                condition=Q(indicator__isnull=False, quarter__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "section", "indicator", "quarter"],
                name="narrative_unique_indicator_quarter",
                condition=Q(indicator__isnull=False, quarter__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["agency", "year", "section"], name="narrative_unique_report", condition=Q(indicator__isnull=True)
            ),
            models.CheckConstraint(
                condition=Q(quarter__isnull=True) | Q(indicator__isnull=False, quarter__gte=1, quarter__lte=4),
                name="narrative_quarter_of_indicator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.year} {self.section}"

    AUDIT_RELATED = ("agency", "indicator")

    def audit_scope(self) -> Scope:
        return agency_scope(
            self.agency,
            year=self.year,
            indicator_id=self.indicator_id,
            indicator_code=self.indicator.code if self.indicator_id else "",
        )


class Recommendation(models.Model):
    """A recommendation from the last SAKIP evaluation, and what the agency did about it."""

    agency = models.ForeignKey(Agency, models.CASCADE, related_name="recommendations")
    # The year of the LHE and of its tindak lanjut: the LKjIP of this year prints it. The LHE
    # evaluated the LKjIP of year - 1 (evaluations.Evaluation.evaluated_year = year - 1).
    year = models.PositiveSmallIntegerField(_("tahun LHE / tindak lanjut"))
    component = models.CharField(_("komponen"), max_length=200, blank=True)
    text = models.TextField(_("rekomendasi"))
    follow_up = models.TextField(_("tindak lanjut"), blank=True)
    status = models.CharField(_("status"), max_length=100, blank=True)
    order = models.PositiveIntegerField(default=0)
    # Counts changes (optimistic concurrency of the tindak-lanjut form, evaluations app).
    revision = models.PositiveIntegerField(_("revisi"), default=0, editable=False)

    class Meta:
        verbose_name = _("rekomendasi evaluasi")
        verbose_name_plural = _("rekomendasi evaluasi")
        ordering = ["agency", "year", "order"]
        constraints = [models.UniqueConstraint(fields=["agency", "year", "order"], name="recommendation_unique_order")]

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.text[:60]}"

    AUDIT_RELATED = ("agency",)
    AUDIT_REVISION = "revision"

    def audit_scope(self) -> Scope:
        return agency_scope(self.agency, year=self.year)
