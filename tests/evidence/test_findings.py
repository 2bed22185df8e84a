"""An entry with evidence is not a realisasi "without a source", at no extra query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audit.services import AuditContext
from evidence.services import evidence_attach, evidence_remove
from reports.findings import findings_for
from tests import factories
from tests.evidence import files
from tests.evidence.helpers import quarter_entry, upload

pytestmark = pytest.mark.django_db


def without_source() -> list[str]:
    return [f.message for f in findings_for(agency_code="uji-bukti", year=2025) if f.code == "tanpa_bukti"]


def test_evidence_clears_the_finding_without_more_queries(django_assert_num_queries):
    agency = factories.agency("uji-bukti")
    first = quarter_entry(agency, code="TPT")
    quarter_entry(agency, code="IKU2")
    quarter_entry(agency, code="IKU3", source="BPS")  # a written source already counts
    assert without_source() == ["2 realisasi tahun 2025 belum mencantumkan sumber/bukti."]
    with CaptureQueriesContext(connection) as before:
        findings_for(agency_code="uji-bukti", year=2025)

    evidence = evidence_attach(realization=first, upload=upload(files.pdf()), ctx=AuditContext())
    with django_assert_num_queries(len(before.captured_queries)):
        assert without_source() == ["1 realisasi tahun 2025 belum mencantumkan sumber/bukti."]

    evidence_remove(evidence=evidence, ctx=AuditContext())
    assert without_source() == ["2 realisasi tahun 2025 belum mencantumkan sumber/bukti."]
