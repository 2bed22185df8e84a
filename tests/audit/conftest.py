"""A workbook imported by the system, then re-imported by the agency's planner with TPT
7,33 → 6,12 and a few other edits; personas inside and outside the agency and its Pemda."""

from __future__ import annotations

import pytest

from agencies.models import Agency
from audit.models import ImportBatch
from tests import factories
from tests.audit.helpers import CODE, OTHER, edited_data, imported
from tests.workbook.helpers import minimal_data


@pytest.fixture
def world(db):
    first = imported(file_name="awal.xlsx")
    other_data = minimal_data()
    other_data["Instansi"].update(kode_instansi=OTHER, pemda="Pemerintah Kota Lain")
    other = imported(other_data, file_name="lain.xlsx")
    agency = Agency.objects.get(code=CODE)
    other_agency = Agency.objects.get(code=OTHER)
    neighbour = factories.agency("dinas-tetangga", agency.government)
    people = {
        "staff": factories.user("staff_uji", agency=agency),
        "planner": factories.user("planner_uji", agency=agency, role="planner"),
        "evaluator": factories.user("evaluator_uji", government=agency.government, gov_role="evaluator"),
        "inspector": factories.user("inspector_uji", government=agency.government, gov_role="inspector"),
        "neighbour": factories.user("staff_tetangga", agency=neighbour),
        "outsider": factories.user("staff_lain", agency=other_agency),
        "outsider_gov": factories.user("evaluator_lain", government=other_agency.government, gov_role="evaluator"),
    }
    second = imported(edited_data(), user=people["planner"], file_name="revisi.xlsx")
    return {
        "agency": agency,
        "other_agency": other_agency,
        "first_batch": ImportBatch.objects.get(pk=first.batch_id),
        "batch": ImportBatch.objects.get(pk=second.batch_id),
        "other_batch": ImportBatch.objects.get(pk=other.batch_id),
        **people,
    }
