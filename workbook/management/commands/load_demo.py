from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from agencies.models import Agency, AgencyMembership, Government, GovernmentRole
from agencies.services import government_role_grant, membership_grant, user_ensure
from audit.services import AuditContext
from workbook.demo_agreements import agreements_in_progress
from workbook.demo_evaluations import evaluations_recorded
from workbook.demo_periods import data_periods_recorded
from workbook.demo_progress import quarter_in_progress
from workbook.services import workbook_import

DEMO_PASSWORD = "demo-lkjip-2025"  # noqa: S105 - printed on purpose: demo logins for a local instance only
AGENCY_ROLES = [
    ("operator", AgencyMembership.Role.STAFF, "Operator"),
    ("perencana", AgencyMembership.Role.PLANNER, "Perencana"),
    ("kepala", AgencyMembership.Role.HEAD, "Kepala"),
]
GOVERNMENT_ROLES = [
    ("bappeda", GovernmentRole.Role.PLANNER, "Perencana Pemda (Bappeda)"),
    ("evaluator", GovernmentRole.Role.EVALUATOR, "Evaluator"),
    ("inspektorat", GovernmentRole.Role.INSPECTOR, "Inspektorat"),
]


class Command(BaseCommand):
    help = "Muat data demo lima perangkat daerah (dari workbook di demo/workbooks) dan akun demo per peran."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--if-empty", action="store_true", help="lewati impor bila sudah ada perangkat daerah")
        parser.add_argument(
            "--allow-production", action="store_true", help="izinkan di mode produksi (akun demo berkata sandi umum)"
        )

    def handle(self, *args: object, if_empty: bool, allow_production: bool, **options: object) -> None:
        if not settings.EMBEDDED and not allow_production:
            raise CommandError(
                "Data demo membuat akun dengan kata sandi umum; di mode produksi jalankan dengan --allow-production."
            )
        if not (if_empty and Agency.objects.exists()):
            self._import()
            self._periods()
            self._users()
            self._agreements()
            self._quarters()
            self._evaluations()
        self._print_logins()

    def _import(self) -> None:
        paths = sorted(settings.DEMO_WORKBOOK_DIR.glob("*.xlsx"))
        if not paths:
            raise CommandError(f"Tidak ada workbook demo di {settings.DEMO_WORKBOOK_DIR}.")
        for path in paths:
            report = workbook_import(source=path)
            if not report.ok:
                for error in report.errors:
                    self.stderr.write(f"Galat: {error}")
                raise CommandError(f"Workbook demo {path.name} tidak dapat diimpor.")
            self.stdout.write(f"Diimpor: {report.agency_code} tahun {report.year}")

    def _periods(self) -> None:
        """Earlier years a seed says were not full years (workbook/demo_periods.py)."""
        for agency in Agency.objects.order_by("code"):
            line = data_periods_recorded(agency=agency)
            if line:
                self.stdout.write(line)

    def _users(self) -> None:
        ctx = AuditContext(reason="akun demo (load_demo)")
        user_ensure(username="admin", password=DEMO_PASSWORD, full_name="Administrator", is_superuser=True)
        for agency in Agency.objects.all():
            for suffix, role, label in AGENCY_ROLES:
                user = user_ensure(
                    username=f"{agency.code}-{suffix}", password=DEMO_PASSWORD, full_name=f"{label} {agency.name}"
                )
                membership_grant(user=user, agency=agency, role=role, ctx=ctx)
        # Government-level demo users see every demo Pemda, so one login shows all five agencies.
        for username, role, label in GOVERNMENT_ROLES:
            user = user_ensure(username=username, password=DEMO_PASSWORD, full_name=f"{label} (demo)")
            for government in Government.objects.all():
                # The demo inspector heads each Inspektorat, so the demo can issue a reviu statement.
                head = {"head": True, "position": f"Inspektur {government.name.removeprefix('Pemerintah ')}"} \
                    if role == GovernmentRole.Role.INSPECTOR else {}
                government_role_grant(user=user, government=government, role=role, ctx=ctx, **head)

    def _agreements(self) -> None:
        """Each agency's PK of its report year in a different state, through the PK services."""
        for agency in Agency.objects.select_related("government").order_by("code"):
            profile = agency.years.order_by("-year").first()
            if profile is None:
                continue
            states = agreements_in_progress(agency=agency, year=profile.year)
            if states:
                self.stdout.write(f"PK {profile.year} {agency.code}: {'; '.join(states)}")

    def _quarters(self) -> None:
        """Each agency's TW IV of its report year in progress, through the entry services."""
        for agency in Agency.objects.select_related("government").order_by("code"):
            profile = agency.years.order_by("-year").first()
            if profile is None:
                continue
            progress = quarter_in_progress(agency=agency, year=profile.year)
            if progress is not None:
                counts = ", ".join(f"{state} {n}" for state, n in progress.counts.items())
                self.stdout.write(f"TW IV {progress.year} {agency.code}: {counts}")

    def _evaluations(self) -> None:
        """The LHE AKIP each seed prints, through the evaluation services (workbook/demo_evaluations.py)."""
        for agency in Agency.objects.select_related("government").order_by("code"):
            line = evaluations_recorded(agency=agency)
            if line:
                self.stdout.write(line)

    def _print_logins(self) -> None:
        agencies = list(Agency.objects.order_by("code").values_list("code", flat=True))
        if not agencies:
            return
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Akun demo (kata sandi semua akun: " + DEMO_PASSWORD + ")"))
        self.stdout.write("  " + "admin".ljust(32) + " Administrator (semua data, /admin/)")
        for username, _, label in GOVERNMENT_ROLES:
            self.stdout.write(f"  {username:<32} {label}: semua perangkat daerah demo")
        roles = " / ".join(label.lower() for _, _, label in AGENCY_ROLES)
        self.stdout.write(f"  Per perangkat daerah ({roles}; hanya melihat perangkat daerahnya sendiri):")
        for code in agencies:
            self.stdout.write("    " + ", ".join(f"{code}-{suffix}" for suffix, _, _ in AGENCY_ROLES))
        self.stdout.write("  Buka http://127.0.0.1:8000/")
