"""Every role, and what each may do: the one place where access is decided.

Views, the importer, the admin and (later) the API ask here. Scoping follows Healthchecks'
`_get_check_for_user`: `agency_for_user` returns the agency together with what the user may
do with it, and answers 404 for an agency the user may not see, so an outsider cannot even
learn that the code exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Agency, AgencyMembership, Government, GovernmentRole, User

# The roles, by name.
OPERATOR = AgencyMembership.Role.STAFF
AGENCY_PLANNER = AgencyMembership.Role.PLANNER
AGENCY_HEAD = AgencyMembership.Role.HEAD
GOV_PLANNER = GovernmentRole.Role.PLANNER
GOV_EVALUATOR = GovernmentRole.Role.EVALUATOR
GOV_INSPECTOR = GovernmentRole.Role.INSPECTOR
GOV_ADMIN = GovernmentRole.Role.ADMIN

# Who may do what (a government role applies to every agency of its Pemda).
IMPORT_AGENCY_ROLES = {AGENCY_PLANNER}
IMPORT_GOVERNMENT_ROLES = {GOV_PLANNER, GOV_ADMIN}  # also the roles that may edit the shared Pemda record
DOCUMENT_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
DOCUMENT_GOVERNMENT_ROLES = set(GovernmentRole.Role)
# The LKjIP is the agency head's report: only its head records that a final version is signed.
SIGN_AGENCY_ROLES = {AGENCY_HEAD}
# The quarterly entry: operators and the agency's planners type realisasi, attach evidence and
# submit; the agency's planners verify, return, reopen and lock the quarter.
ENTRY_AGENCY_ROLES = {OPERATOR, AGENCY_PLANNER}
VERIFY_AGENCY_ROLES = {AGENCY_PLANNER}
# The year's narratives (the narrative page): the agency's operators and planners write them.
NARRATIVE_AGENCY_ROLES = {OPERATOR, AGENCY_PLANNER}
# The Pemda's reporting calendar and reopenings: its planners (Bappeda) and admins.
CALENDAR_GOVERNMENT_ROLES = {GOV_PLANNER, GOV_ADMIN}
# The completeness dashboard: every government-level role of the Pemda.
DASHBOARD_GOVERNMENT_ROLES = set(GovernmentRole.Role)
# The Perjanjian Kinerja: the agency's planners draft it and start amendments; they or the
# agency head submit it (and upload the signed scan); the Pemda's planners return or approve.
PK_DRAFT_AGENCY_ROLES = {AGENCY_PLANNER}
PK_SUBMIT_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
PK_APPROVE_GOVERNMENT_ROLES = {GOV_PLANNER}
# The reviu of the LKjIP: the Pemda's inspectors (APIP) open it, keep the working paper, write
# and resolve notes and close it; the agency's planners and head answer the notes; the Inspektur
# (an inspector role with head=True) issues the Pernyataan Telah Direviu. Nobody reviews an
# agency they are a member of.
REVIEW_GOVERNMENT_ROLES = {GOV_INSPECTOR}
REVIEW_ANSWER_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
# The report's own sections: belanja per jenis and the statistics tables are typed by the agency's
# operators and planners; its logo and organisation chart are uploaded by its planners and head,
# the Pemda's logo (shared by all its agencies) by the Pemda's planners and admins.
SECTIONS_AGENCY_ROLES = {OPERATOR, AGENCY_PLANNER}
IMAGES_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
GOVERNMENT_LOGO_ROLES = IMPORT_GOVERNMENT_ROLES
# The SAKIP evaluation (LHE): the Pemda's evaluator and inspectorate record the scores and the
# recommendations (not of an agency they are a member of); the agency's planner and head answer
# each recommendation with its tindak lanjut.
EVALUATION_GOVERNMENT_ROLES = {GOV_EVALUATOR, GOV_INSPECTOR}
ANSWER_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
# The report's own sections: belanja per jenis and the statistics tables are typed by the agency's
# operators and planners; its logo and organisation chart are uploaded by its planners and head,
# the Pemda's logo (shared by all its agencies) by the Pemda's planners and admins.
SECTIONS_AGENCY_ROLES = {OPERATOR, AGENCY_PLANNER}
IMAGES_AGENCY_ROLES = {AGENCY_PLANNER, AGENCY_HEAD}
GOVERNMENT_LOGO_ROLES = IMPORT_GOVERNMENT_ROLES


@dataclass(frozen=True)
class Access:
    """What one user may do with one agency they can see."""

    agency_roles: frozenset[str]
    government_roles: frozenset[str]
    superuser: bool = False
    inspector_head: bool = False  # holds an inspector role of the Pemda marked as its head (the Inspektur)

    @property
    def request_documents(self) -> bool:
        return self.superuser or bool(
            self.agency_roles & DOCUMENT_AGENCY_ROLES or self.government_roles & DOCUMENT_GOVERNMENT_ROLES
        )

    @property
    def sign_documents(self) -> bool:
        """Mark a finished final version of the agency's LKjIP as signed (the year's LKjIP)."""
        return self.superuser or bool(self.agency_roles & SIGN_AGENCY_ROLES)

    @property
    def import_workbook(self) -> bool:
        return self.superuser or bool(
            self.agency_roles & IMPORT_AGENCY_ROLES or self.government_roles & IMPORT_GOVERNMENT_ROLES
        )

    @property
    def enter_realizations(self) -> bool:
        """Type a quarter's realisasi and budget spending, attach and remove evidence, submit."""
        return self.superuser or bool(self.agency_roles & ENTRY_AGENCY_ROLES)

    @property
    def edit_narratives(self) -> bool:
        """Write the year's narratives (report-level sections, per-indicator analisis …)."""
        return self.superuser or bool(self.agency_roles & NARRATIVE_AGENCY_ROLES)

    @property
    def verify_realizations(self) -> bool:
        """Verify, return and reopen entries; lock and unlock a verified quarter."""
        return self.superuser or bool(self.agency_roles & VERIFY_AGENCY_ROLES)

    @property
    def draft_agreements(self) -> bool:
        """Start the year's PK from the Renstra, edit a draft or returned version, start an amendment."""
        return self.superuser or bool(self.agency_roles & PK_DRAFT_AGENCY_ROLES)

    @property
    def submit_agreements(self) -> bool:
        """Submit a PK version for approval, withdraw it, upload the signed scan."""
        return self.superuser or bool(self.agency_roles & PK_SUBMIT_AGENCY_ROLES)

    @property
    def approve_agreements(self) -> bool:
        """Return (with a reason) or approve a submitted PK version of the Pemda's agencies; not
        of an agency the user is a member of (no one approves their own agency's PK)."""
        if self.agency_roles:
            return False
        return self.superuser or bool(self.government_roles & PK_APPROVE_GOVERNMENT_ROLES)

    @property
    def review(self) -> bool:
        """Open a reviu of a document version, keep its working paper, write, resolve and reopen
        notes, close and reopen it: the Pemda's inspectors, not a member of the agency."""
        if self.agency_roles:
            return False
        return self.superuser or bool(self.government_roles & REVIEW_GOVERNMENT_ROLES)

    @property
    def answer_review_notes(self) -> bool:
        """Answer the inspectors' notes: the agency's planners and head."""
        return self.superuser or bool(self.agency_roles & REVIEW_ANSWER_AGENCY_ROLES)

    @property
    def issue_review_statement(self) -> bool:
        """Issue the Pernyataan Telah Direviu of a closed reviu: the Inspektur."""
        if self.agency_roles:
            return False
        return self.superuser or (self.inspector_head and GOV_INSPECTOR in self.government_roles)

    @property
    def record_evaluations(self) -> bool:
        """Record the LHE AKIP of the agency's LKjIP (scores, LHE details, recommendations): the
        Pemda's evaluator and inspector; not a member of the agency (no one evaluates their own)."""
        if self.agency_roles:
            return False
        return self.superuser or bool(self.government_roles & EVALUATION_GOVERNMENT_ROLES)

    @property
    def answer_recommendations(self) -> bool:
        """Write the agency's tindak lanjut (and its status) of the LHE recommendations."""
        return self.superuser or bool(self.agency_roles & ANSWER_AGENCY_ROLES)

    @property
    def edit_report_sections(self) -> bool:
        """Record belanja per jenis and the statistics tables of the agency's report."""
        return self.superuser or bool(self.agency_roles & SECTIONS_AGENCY_ROLES)

    @property
    def upload_images(self) -> bool:
        """Upload and remove the agency's logo and organisation chart."""
        return self.superuser or bool(self.agency_roles & IMAGES_AGENCY_ROLES)

    @property
    def upload_government_logo(self) -> bool:
        """Upload and remove the Pemda's logo (every agency of the Pemda prints it without its own)."""
        return self.superuser or bool(self.government_roles & GOVERNMENT_LOGO_ROLES)

    @property
    def view_history(self) -> bool:
        # The agency's members and its Pemda's roles: everyone who can see the agency at all.
        return True


def agencies_visible_to(*, user: User) -> QuerySet[Agency]:
    """Agencies the user is a member of, plus every agency of a Pemda where the user holds a
    government-level role. Superusers see all; anonymous users see none."""
    if not user.is_authenticated:
        return Agency.objects.none()
    if user.is_superuser:
        return Agency.objects.all()
    member_of = AgencyMembership.objects.filter(user=user).values("agency_id")
    governments = GovernmentRole.objects.filter(user=user).values("government_id")
    return Agency.objects.filter(Q(pk__in=member_of) | Q(government_id__in=governments))


def access_for(*, user: User, agency: Agency) -> Access:
    if not user.is_authenticated:
        return Access(frozenset(), frozenset())
    agency_roles = AgencyMembership.objects.filter(user=user, agency=agency).values_list("role", flat=True)
    government_roles = list(
        GovernmentRole.objects.filter(user=user, government_id=agency.government_id).values_list("role", "head")
    )
    return Access(frozenset(agency_roles), frozenset(role for role, _ in government_roles), superuser=user.is_superuser,
                  inspector_head=any(head and role == GOV_INSPECTOR for role, head in government_roles))


def agency_for_user(*, user: User, code: str) -> tuple[Agency, Access]:
    """The agency with this code and what the user may do with it; 404 when it does not exist
    *or* the user may not see it."""
    agency = agencies_visible_to(user=user).select_related("government").filter(code=code).first()
    if agency is None:
        raise Http404("Perangkat daerah tidak ditemukan.")
    return agency, access_for(user=user, agency=agency)


def agency_get_visible(*, user: User, code: str) -> Agency:
    return agency_for_user(user=user, code=code)[0]


def may_import(*, user: User) -> bool:
    """Whether to offer the upload page at all; the import then checks the agency in the file."""
    return user.is_authenticated and (
        user.is_superuser
        or user.memberships.filter(role__in=IMPORT_AGENCY_ROLES).exists()
        or user.government_roles.filter(role__in=IMPORT_GOVERNMENT_ROLES).exists()
    )


def may_edit_government(*, user: User | None, government: Government | None) -> bool:
    """The shared Pemda record: planners and admins of that Pemda; a new Pemda only a superuser.
    `None` is the system (CLI), which runs with the operator's authority."""
    if user is None or user.is_superuser:
        return True
    return government is not None and user.government_roles.filter(
        government=government, role__in=IMPORT_GOVERNMENT_ROLES
    ).exists()


def may_import_into(*, user: User | None, agency: Agency | None, government: Government | None) -> bool:
    """A workbook for `agency` (None: a new agency) of `government`: the Pemda's planners and
    admins, or a planner of that very agency."""
    if may_edit_government(user=user, government=government):
        return True
    return (
        agency is not None
        and government is not None
        and agency.government_id == government.pk
        and user.memberships.filter(agency=agency, role__in=IMPORT_AGENCY_ROLES).exists()
    )


def may_request_documents(*, user: User, agency: Agency) -> bool:
    return access_for(user=user, agency=agency).request_documents


@dataclass(frozen=True)
class GovernmentAccess:
    """What one user may do with one Pemda they hold a role in."""

    roles: frozenset[str]
    superuser: bool = False

    @property
    def manage_calendar(self) -> bool:
        """Set the deadlines and grant agencies reopenings."""
        return self.superuser or bool(self.roles & CALENDAR_GOVERNMENT_ROLES)

    @property
    def view_dashboard(self) -> bool:
        return self.superuser or bool(self.roles & DASHBOARD_GOVERNMENT_ROLES)

    @property
    def approve_agreements(self) -> bool:
        return self.superuser or bool(self.roles & PK_APPROVE_GOVERNMENT_ROLES)


def governments_visible_to(*, user: User) -> QuerySet[Government]:
    """Pemda where the user holds a government-level role (all for a superuser)."""
    if not user.is_authenticated:
        return Government.objects.none()
    if user.is_superuser:
        return Government.objects.all()
    return Government.objects.filter(pk__in=GovernmentRole.objects.filter(user=user).values("government_id"))


def government_for_user(*, user: User, government_id: int) -> tuple[Government, GovernmentAccess]:
    """The Pemda and what the user may do with it; 404 when it does not exist *or* the user
    holds no role in it (an agency's own members see their agency, not the Pemda's pages)."""
    government = governments_visible_to(user=user).filter(pk=government_id).first()
    if government is None:
        raise Http404("Pemda tidak ditemukan.")
    roles = GovernmentRole.objects.filter(user=user, government=government).values_list("role", flat=True)
    return government, GovernmentAccess(frozenset(roles), superuser=user.is_superuser)
