"""The months an earlier year's records cover, where a seed says the year was not a full one,
recorded through agencies.services.agency_year_upsert (AgencyYear.data_from_month/to_month).

- Pontianak (003:L765-769): the Dinas Tenaga Kerja Kota Pontianak was formed by Peraturan Wali
  Kota Nomor 4 Tahun 2022 in October 2022, so its 2022 figures (the budget of Tabel 1.5, the
  2022 realisasi beside 2023) cover October-December 2022 only. The seed compares with 2022
  without saying so; the document and a finding do.

Running again changes nothing (the service writes only what differs).
"""

from __future__ import annotations

from agencies.models import Agency
from agencies.services import agency_year_upsert
from audit.models import Channel
from audit.services import AuditContext

PERIODS = {
    "pontianak-disnaker": [
        (2022, 10, 12, "Dinas Tenaga Kerja Kota Pontianak dibentuk pada bulan Oktober 2022 berdasarkan "
                       "Peraturan Wali Kota Nomor 4 Tahun 2022"),
    ],
}


def data_periods_recorded(*, agency: Agency) -> str | None:
    """Record the demo agency's partial years; a line for the loader's output (None: none)."""
    periods = PERIODS.get(agency.code)
    if not periods:
        return None
    ctx = AuditContext(channel=Channel.COMMAND, reason="periode data sebagaimana tercetak di LKjIP (load_demo)")
    for year, start, end, note in periods:
        agency_year_upsert(agency=agency, year=year, ctx=ctx,
                           values={"data_from_month": start, "data_to_month": end, "data_note": note})
    return f"Periode data {agency.code}: " + ", ".join(f"{y} bulan {s}-{e}" for y, s, e, _ in periods)
