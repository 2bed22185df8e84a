"""schemathesis against the schema the app serves (checked equal to docs/openapi.yaml in
test_api.py): generated requests to every operation, with a real token, give no server error."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
import yaml
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.services import token_create
from audit.services import AuditContext
from lkjip.wsgi import application
from tests import factories

SCHEMA = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA.read_text()))
schema.app = application


@pytest.fixture
def token(db) -> str:
    gov = factories.government("Pemerintah Kota Uji")
    agency = factories.agency("uji-disnaker", gov)
    factories.measured_indicator(agency)
    factories.budget_leaf(agency)
    inspector = factories.user("inspektur", government=gov, gov_role="inspector")
    return token_create(context=AuditContext(), user=inspector, name="fuzz", days=1)[1]


@pytest.fixture(autouse=True)
def _one_connection():
    """As Django's test client does: the app must not close the test's connection (inside its
    transaction) at the start and end of each request schemathesis sends through WSGI."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_throttle(monkeypatch):
    from api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "100000/minute"})


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_no_server_errors(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}", "Host": "testserver"},
                           checks=[not_a_server_error])
