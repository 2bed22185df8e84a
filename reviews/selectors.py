"""Reads of the reviu: the reviews of an agency-year, one review's working paper in a fixed
number of queries, the facts the checklist needs beyond the snapshot, and the statement a new
document snapshot prints."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from agencies.models import Agency
from evidence.models import Evidence
from performance.models import Indicator, Realization
from reports.models import LkjipDocument

from .checklist import Facts
from .models import DOCUMENT_SECTIONS, Review, ReviewItem, ReviewNote, ReviewStatement  # noqa: F401

QUARTER_LABEL = {1: "TW I", 2: "TW II", 3: "TW III", 4: "TW IV", None: "tahunan"}



def reviews_for(*, agency: Agency, year: int) -> QuerySet[Review]:
    return (Review.objects.filter(agency=agency, year=year)
            .select_related("document", "opened_by", "closed_by", "statement").order_by("-opened_at", "-pk"))


def review_get(*, agency: Agency, year: int, review_id: int) -> Review | None:
    return (Review.objects.filter(agency=agency, year=year, pk=review_id)
            .select_related("agency", "agency__government", "document", "opened_by", "closed_by").first())


@dataclass
class WorkingPaper:
    review: Review
    items: list[ReviewItem]
    notes: list[ReviewNote]
    statement: ReviewStatement | None
    evidence: dict[int, Evidence]  # the agency-year's evidence, by id
    available: list[Evidence]  # the same, in order: the choices of a row's evidence

    @property
    def assessed(self) -> int:
        return sum(1 for item in self.items if item.confirmed)

    @property
    def unresolved(self) -> list[ReviewNote]:
        return [n for n in self.notes if n.status != ReviewNote.Status.RESOLVED]


def working_paper(*, review: Review) -> WorkingPaper:
    """Items, notes (with their anchors and people), the statement and the linked evidence: a
    fixed number of queries whatever their number."""
    items = list(ReviewItem.objects.filter(review=review).select_related("confirmed_by").order_by("order", "pk"))
    notes = list(
        ReviewNote.objects.filter(review=review)
        .select_related("indicator", "budget_item", "author", "answered_by", "resolved_by")
        .order_by("created_at", "pk")
    )
    statement = ReviewStatement.objects.filter(review=review).select_related("issued_by").first()
    # The year's evidence (what a row may link, and what the rows do link): always one query.
    available = list(year_evidence(agency=review.agency, year=review.year))
    evidence = {e.pk: e for e in available}
    for item in items:
        item.review = review
        item.evidence_files = [evidence[i] for i in item.evidence if i in evidence]
    for note in notes:
        note.review = review
    return WorkingPaper(review=review, items=items, notes=notes, statement=statement, evidence=evidence,
                        available=available)


def year_evidence(*, agency: Agency, year: int) -> QuerySet[Evidence]:
    """The evidence files of the agency's realisasi of the year: what an item may link."""
    return (Evidence.objects.filter(realization__indicator__plan__agency=agency, realization__year=year)
            .select_related("realization__indicator").order_by("realization__indicator__order",
                                                               "realization__indicator__code",
                                                               "realization__quarter", "pk"))


def finished_document(*, agency: Agency, year: int, number: int) -> LkjipDocument | None:
    """A stored version of the agency-year that finished rendering: what a reviu may be opened on."""
    return LkjipDocument.objects.filter(agency=agency, year=year, number=number,
                                        status=LkjipDocument.Status.DONE).first()


def anchor_choices(*, agency: Agency, year: int) -> tuple[list[Indicator], list[Any]]:
    """Indicators of the agency's Renstra covering the year, and its budget items."""
    from budget.models import BudgetItem
    from performance.measurement import plan_for

    plan = plan_for(agency, year)
    indicators = list(Indicator.objects.filter(plan=plan).order_by("order", "code")) if plan else []
    items = list(BudgetItem.objects.filter(agency=agency).order_by("code"))
    return indicators, items


def checklist_facts(*, agency: Agency, year: int, as_of: datetime.date | None = None) -> Facts:
    """Which of the year's realisasi name a source and carry evidence, and the report's deadline:
    today's records (the snapshot does not hold them), dated `as_of` (default today) so the
    proposals say so."""
    from periods.models import ReportingCalendar, default_deadlines

    has_evidence = Exists(Evidence.objects.filter(realization=OuterRef("pk")))
    entries = (Realization.objects.filter(indicator__plan__agency=agency, year=year)
               .exclude(status=Realization.Status.NOT_AVAILABLE)
               .annotate(has_evidence=has_evidence).select_related("indicator")
               .order_by("indicator__order", "indicator__code", "quarter"))
    unsourced, without_evidence, count = [], [], 0
    for entry in entries:
        count += 1
        label = f"{entry.indicator.code} {QUARTER_LABEL.get(entry.quarter, '')}".strip()
        if not entry.has_evidence:
            without_evidence.append(label)
            if not entry.source.strip():
                unsourced.append(label)
    calendar = ReportingCalendar.objects.filter(government_id=agency.government_id, year=year).first()
    deadline = calendar.annual_deadline if calendar else default_deadlines(year)["annual_deadline"]
    return Facts(entries=count, unsourced=unsourced, without_evidence=without_evidence, deadline=deadline,
                 as_of=as_of or timezone.localdate())


def latest_statement(*, agency: Agency, year: int) -> ReviewStatement | None:
    return (ReviewStatement.objects.filter(review__agency=agency, review__year=year)
            .select_related("review__document").order_by("-issued_at", "-pk").first())


def statement_for_snapshot(*, agency: Agency, year: int, snapshot: dict[str, Any]) -> dict[str, Any] | None:
    """The snapshot's `review` part: the latest issued statement of the agency and year, the
    version it reviewed, and whether what the reviu covered (reports.snapshot.reviewed_hash)
    changed since. Both sides are hashed here from the two stored snapshots (the reviewed
    version's and the new one), so a hash stored under an earlier definition is never compared."""
    from reports.snapshot import reviewed_hash

    statement = latest_statement(agency=agency, year=year)
    if statement is None:
        return None
    reviewed = reviewed_hash(statement.review.document.snapshot or {})
    return {
        "place": statement.place,
        "date": statement.issued_on.isoformat(),
        "signer_name": statement.signer_name,
        "signer_nip": statement.signer_nip,
        "signer_position": statement.signer_position,
        "qualified": statement.qualified,
        "open_matters": list(statement.open_matters),
        "additional": statement.additional,
        "reviewed_number": statement.document_number,
        "reviewed_code": statement.document_code,
        "reviewed_snapshot_sha256": statement.document_snapshot_sha256,
        "reviewed_data_sha256": reviewed,
        "data_changed": reviewed != reviewed_hash(snapshot),
    }
