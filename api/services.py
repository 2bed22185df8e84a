"""Creating and revoking personal API tokens: the one write path for them, audited."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from audit.models import AuditEntry
from audit.services import AuditContext, audit_value, entries_write

from .models import ApiRequest, ApiToken

MAX_DAYS = 366
DEFAULT_DAYS = 90
MAX_ACTIVE_PER_USER = 20


class TokenError(ValueError):
    """A request for a token that cannot be granted; the message is for the user."""


def token_create(*, context: AuditContext, user: User, name: str, days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """A new token for `user`, valid `days` days (1 … 366); returns it and its plaintext,
    which is stored nowhere and so can be shown only this once."""
    name = name.strip()
    if not name:
        raise TokenError("Nama token wajib diisi (mis. nama aplikasi atau keperluannya).")
    if len(name) > 100:
        raise TokenError("Nama token paling panjang 100 karakter.")
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"Masa berlaku token 1 sampai {MAX_DAYS} hari.")
    if not user.is_active:
        raise TokenError("Akun ini tidak aktif.")
    with transaction.atomic():
        # Lock the user's row, not the tokens: PostgreSQL refuses FOR UPDATE with an aggregate (count).
        User.objects.select_for_update().filter(pk=user.pk).first()
        active = ApiToken.objects.filter(user=user, revoked_at=None, expiry__gt=timezone.now())
        if active.count() >= MAX_ACTIVE_PER_USER:
            raise TokenError(f"Paling banyak {MAX_ACTIVE_PER_USER} token aktif per pengguna; cabut yang tidak dipakai.")
        if active.filter(name=name).exists():
            raise TokenError(f"Sudah ada token aktif bernama “{name}”.")
        token, raw = ApiToken.objects.create(user=user, expiry=datetime.timedelta(days=days), name=name)
        changes = {f: [None, audit_value(getattr(token, f))] for f in ("name", "token_key", "expiry")}
        changes["user"] = [None, user.get_username()]
        entries_write(ctx=context, changes=[(AuditEntry.Action.CREATE, token, changes)])
    return token, raw


def token_revoke(*, context: AuditContext, token: ApiToken) -> None:
    """Revoke a token from now on; it stays listed (and named in the request log)."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise TokenError("Token ini sudah dicabut.")
        token.revoked_at = context.at
        token.save(update_fields=["revoked_at"])
        entries_write(
            ctx=context,
            changes=[(AuditEntry.Action.UPDATE, token, {"revoked_at": [None, audit_value(token.revoked_at)]})],
        )


def request_log_write(*, user: User | None, token: ApiToken | None, method: str, path: str, query: str,
                      status: int, duration_ms: int, address: str | None) -> ApiRequest:
    """One line of the API request log. The log records requests, not records, so it has no
    audit entry of its own (like django-axes' access log); the fields are cut to their sizes."""
    return ApiRequest.objects.create(
        at=timezone.now(), user=user, user_label=user.get_username() if user is not None else "anonim",
        token=token, method=method[:10], path=path[:500], query=query[:500], status=status,
        duration_ms=duration_ms, address=address,
    )


def request_log_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete API request log lines older than settings.API_LOG_DAYS (the retention the Pemda
    sets; the log is of requests, not of records, whose history stays in the audit trail)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.API_LOG_DAYS)
    deleted, _ = ApiRequest.objects.filter(at__lt=cutoff).delete()
    return deleted
