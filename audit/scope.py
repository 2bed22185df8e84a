"""Where a change belongs (which Pemda, agency, year, quarter and indicator), kept apart from
the audit models so domain models can describe their own scope without importing them."""

from __future__ import annotations

from dataclasses import dataclass


# slots, not frozen: one is built per audit entry, and a frozen dataclass is slow to build.
@dataclass(slots=True)
class Scope:
    government_id: int | None = None
    agency_id: int | None = None
    agency_code: str = ""
    year: int | None = None
    quarter: int | None = None
    indicator_id: int | None = None
    indicator_code: str = ""


def agency_scope(agency: object, **more: object) -> Scope:
    return Scope(
        government_id=agency.government_id,  # type: ignore[attr-defined]
        agency_id=agency.pk,  # type: ignore[attr-defined]
        agency_code=agency.code,  # type: ignore[attr-defined]
        **more,  # type: ignore[arg-type]
    )
