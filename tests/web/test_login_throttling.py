"""Sign-in holds: failed attempts are counted per account and per client address (django-axes, with
the settings in lkjip/settings.py), and either count at the limit locks sign-in for the cool-off.

The limit and cool-off expected are the README's (5 failures, 15 minutes), or the environment's when
it sets them, never read back from the settings: a changed default fails here."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import Client
from django.urls import reverse

from agencies.models import User
from tests import factories

pytestmark = pytest.mark.django_db

HOME = "203.0.113.10"  # the address the attacks and mistakes come from
ELSEWHERE = "198.51.100.20"  # another client's address
LOCKED_TITLE = "Masuk dikunci sementara"
LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
COOL_OFF = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))


@pytest.fixture
def people():
    return {
        "staff_a": factories.user("staff_a"),
        "staff_b": factories.user("staff_b"),
        "root": User.objects.create_superuser("root", password=factories.PASSWORD),
    }


def attempt(
    username: str, password: str = factories.PASSWORD, *, address: str = HOME, url: str | None = None, **headers: str
):
    """One sign-in from a fresh browser (no cookies), as the client at `address`."""
    client = Client(REMOTE_ADDR=address, **headers)
    response = client.post(url or reverse("login"), {"username": username, "password": password})
    response.signed_in = "_auth_user_id" in client.session
    return response


def fail(username: str, times: int, **where: str):
    responses = [attempt(username, "kata-sandi-salah", **where) for _ in range(times)]
    return responses[-1] if responses else None


def is_refused_for_password(response) -> bool:
    return response.status_code == 200 and "kata sandi salah" in response.content.decode()


def is_locked(response) -> bool:
    return response.status_code == 429 and LOCKED_TITLE in response.content.decode() and not response.signed_in


def is_signed_in(response) -> bool:
    return response.status_code == 302 and response.signed_in


def test_one_failure_short_of_the_limit_the_right_password_still_signs_in(people):
    for _ in range(LIMIT - 1):
        assert is_refused_for_password(attempt("staff_a", "kata-sandi-salah"))
    assert is_signed_in(attempt("staff_a"))


def test_at_the_limit_even_the_right_password_gets_the_indonesian_lockout_page(people):
    for _ in range(LIMIT - 1):
        assert is_refused_for_password(attempt("staff_a", "kata-sandi-salah"))
    assert is_locked(attempt("staff_a", "kata-sandi-salah"))  # the failure that reaches the limit
    response = attempt("staff_a")
    assert is_locked(response)
    minutes = int(COOL_OFF.total_seconds() // 60)
    page = response.content.decode()
    assert "Terlalu banyak percobaan masuk yang gagal" in page
    assert f"Silakan coba lagi dalam {minutes} menit, setelah pukul" in page
    assert response["Retry-After"] == str(minutes * 60)


def test_the_account_lock_holds_from_any_address(people):
    fail("staff_a", LIMIT, address=HOME)
    assert is_locked(attempt("staff_a", address=ELSEWHERE))
    # What is locked is the account, not the other address: another account signs in from there.
    assert is_signed_in(attempt("staff_b", address=ELSEWHERE))


def test_the_address_lock_holds_for_every_account_even_when_no_account_reached_the_limit(people):
    # One failure each at LIMIT different names (existing or not): no account is near its limit.
    for username in ["staff_a", *(f"tebakan-{i}" for i in range(LIMIT - 1))]:
        fail(username, 1, address=HOME)
    assert is_locked(attempt("staff_b", address=HOME))
    # What is locked is the address: the same accounts sign in from elsewhere.
    assert is_signed_in(attempt("staff_b", address=ELSEWHERE))
    assert is_signed_in(attempt("staff_a", address=ELSEWHERE))


def test_the_admin_login_is_locked_as_well(people):
    admin_login = reverse("admin:login")
    assert is_signed_in(attempt("root", url=admin_login))
    fail("root", LIMIT, url=admin_login)
    response = attempt("root", url=admin_login)
    assert is_locked(response)
    assert "Terlalu banyak percobaan masuk yang gagal" in response.content.decode()
    # The same count guards the app's own sign-in page.
    assert is_locked(attempt("root"))


def test_failures_at_the_app_login_lock_the_admin_login(people):
    fail("root", LIMIT)
    assert is_locked(attempt("root", url=reverse("admin:login"), address=ELSEWHERE))


def backdate_attempts(by: timedelta) -> None:
    """Move the recorded failures into the past, as the clock moving on would."""
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - by)


def test_the_lock_ends_one_cool_off_after_it_was_set_however_often_the_owner_retries(people):
    fail("staff_a", LIMIT)
    backdate_attempts(COOL_OFF - timedelta(minutes=1))
    # A minute before the end: still locked, and retrying (right or wrong) does not prolong the lock.
    assert is_locked(attempt("staff_a"))
    assert is_locked(attempt("staff_a", "kata-sandi-salah"))
    backdate_attempts(timedelta(minutes=1, seconds=1))
    assert is_signed_in(attempt("staff_a"))


def test_a_successful_sign_in_resets_the_accounts_count(people):
    fail("staff_a", LIMIT - 1)
    assert is_signed_in(attempt("staff_a"))
    # Counting on from LIMIT - 1 the next failure would lock; after the reset it takes LIMIT more.
    for _ in range(LIMIT - 1):
        assert is_refused_for_password(attempt("staff_a", "kata-sandi-salah"))
    assert is_signed_in(attempt("staff_a"))


def test_signing_in_to_ones_own_account_does_not_clear_the_failures_at_another(people):
    # An attacker with a valid account of their own, guessing at staff_b's password from one address.
    fail("staff_b", LIMIT - 1, address=HOME)
    assert is_signed_in(attempt("staff_a", address=HOME))
    assert is_locked(attempt("staff_b", "kata-sandi-salah", address=HOME))
    assert is_locked(attempt("staff_b", address=ELSEWHERE))


PROXY_GATEWAY = "172.18.0.1"  # what gunicorn sees behind docker's port mapping: the same for every client


def test_behind_the_proxy_the_address_counted_is_the_one_the_proxy_appended(people, settings):
    # Production reads X-Forwarded-For (lkjip/settings.py); the embedded run borrows that setting, while
    # the run against PostgreSQL (production settings) checks the default itself.
    if settings.EMBEDDED:
        settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    assert settings.AXES_IPWARE_PROXY_COUNT == 0  # the host's proxy alone, as docker-compose.yml has it

    def via_proxy(client_address: str, forged: str = "") -> dict[str, str]:
        chain = f"{forged}, {client_address}" if forged else client_address
        return {"address": PROXY_GATEWAY, "HTTP_X_FORWARDED_FOR": chain}

    # Each failure forges a different (public) address in front of the one the proxy appended.
    for i in range(LIMIT):
        fail(f"tebakan-{i}", 1, **via_proxy(HOME, forged=f"8.8.8.{i + 1}"))
    assert is_locked(attempt("staff_b", **via_proxy(HOME)))
    assert is_locked(attempt("staff_b", **via_proxy(HOME, forged=ELSEWHERE)))
    # Another client through the same proxy (same REMOTE_ADDR) is not locked.
    assert is_signed_in(attempt("staff_b", **via_proxy(ELSEWHERE)))


def test_embedded_mode_ignores_a_forged_forwarded_for(people, settings):
    if not settings.EMBEDDED:
        pytest.skip("embedded mode only: production reads X-Forwarded-For from its proxy")
    for i in range(LIMIT):
        fail(f"tebakan-{i}", 1, address=HOME, HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}")
    assert is_locked(attempt("staff_b", address=HOME, HTTP_X_FORWARDED_FOR=ELSEWHERE))
