from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from agencies.models import Agency, AgencyMembership, GovernmentRole, User

pytestmark = pytest.mark.django_db


def test_load_demo_imports_five_agencies_and_one_login_per_role(settings):
    settings.EMBEDDED = True  # the same in both CI runs; production mode is the test below
    out = StringIO()
    call_command("load_demo", "--if-empty", stdout=out)
    assert Agency.objects.count() == 5
    text = out.getvalue()
    assert "demo-lkjip-2025" in text and "bekasi-disnaker" in text
    for username in ("admin", "bappeda", "evaluator", "inspektorat", "bekasi-disnaker-operator"):
        assert username in text
        assert User.objects.get(username=username).check_password("demo-lkjip-2025")
    assert AgencyMembership.objects.filter(role="head").count() == 5
    assert set(GovernmentRole.objects.values_list("role", flat=True)) == {"planner", "evaluator", "inspector"}
    # A second run with --if-empty imports nothing and still prints the logins.
    again = StringIO()
    call_command("load_demo", "--if-empty", stdout=again)
    assert "Diimpor" not in again.getvalue() and "demo-lkjip-2025" in again.getvalue()


def test_load_demo_refuses_production_mode_without_the_flag(settings):
    settings.EMBEDDED = False
    with pytest.raises(CommandError, match="--allow-production"):
        call_command("load_demo", stdout=StringIO())
    assert not Agency.objects.exists()
