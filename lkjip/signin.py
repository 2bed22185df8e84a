"""Sign-in throttling around django-axes: the lockout page, and what a successful sign-in clears."""

from __future__ import annotations

import math
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict | None = None
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the Indonesian page for /masuk/ and the admin's login alike, HTTP 429.

    Attempts during the lock are not counted (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so one
    cool-off from now the lock has ended at the latest: that is the time the page states."""
    cool_off = get_cool_off(request)
    context: dict[str, Any] = {"failure_limit": settings.AXES_FAILURE_LIMIT}
    if cool_off:
        context["cool_off_minutes"] = math.ceil(cool_off.total_seconds() / 60)
        context["unlocked_at"] = timezone.localtime(timezone.now() + cool_off)
    response = render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if cool_off:
        response["Retry-After"] = str(math.ceil(cool_off.total_seconds()))
    return response


def reset_account_failures(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    """On user_logged_in: the account's owner knew its password, so its failures (from any address)
    are cleared. Failures from the same address at other accounts stay (see AXES_RESET_ON_SUCCESS)."""
    if settings.AXES_ENABLED:
        AxesProxyHandler.reset_attempts(username=user.get_username())
