"""The user's own API tokens: create (shown once), list, revoke; and their recent API requests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Channel
from audit.services import AuditContext
from lkjip.http import HttpResponseSeeOther

from .forms import RevokeForm, TokenForm
from .models import ApiRequest, ApiToken
from .services import TokenError, token_create, token_revoke

RECENT = 20


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = token_create(
                context=AuditContext(user=request.user, channel=Channel.FORM),
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"],
            )
        except TokenError as exc:
            form.add_error(None, str(exc))
        else:
            # Rendered, not redirected: the plaintext exists only in this response.
            created = (token, raw)
            form = TokenForm()
    rows = list(
        ApiToken.objects.filter(user=request.user).annotate(last_used=Max("requests__at")).order_by("-created")
    )
    recent = ApiRequest.objects.filter(user=request.user).select_related("token")[:RECENT]
    response = render(request, "api/tokens.html", {
        "form": form, "created": created, "tokens": rows, "recent": recent, "docs": reverse("api:docs"),
    }, status=400 if request.method == "POST" and created is None else 200)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk if pk < 2**63 else 0, user=request.user)
    form = RevokeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        token_revoke(context=AuditContext(user=request.user, channel=Channel.FORM, reason=reason), token=token)
    except TokenError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Token “{token.name}” dicabut; aplikasi yang memakainya tidak dapat masuk lagi.")
    return HttpResponseSeeOther(reverse("api:tokens"))
