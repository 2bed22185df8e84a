"""Personal API tokens and the log of every API request.

Tokens are django-rest-knox tokens (stored as a SHA-512 digest, the plaintext shown once) with
a name and a numeric key, so that the audit trail, which identifies records by number, can
record their creation and revocation like any other record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken
from knox.settings import CONSTANTS

from audit.scope import Scope


class ApiToken(AbstractAuthToken):
    """One personal token: acts with its user's roles and no more."""

    id = models.BigAutoField(primary_key=True)
    digest = models.CharField(max_length=CONSTANTS.DIGEST_LENGTH, unique=True, editable=False)
    name = models.CharField(_("nama token"), max_length=100)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expiry__isnull=True) | models.Q(expiry__gt=models.F("created")),
                name="apitoken_expiry_after_created",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    def audit_scope(self) -> Scope:
        return Scope()

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class ApiRequest(models.Model):
    """One request to /api/: who, when, what, and the answer's status (no bodies are kept)."""

    at = models.DateTimeField(_("waktu"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    user_label = models.CharField(_("pengguna"), max_length=200)
    token = models.ForeignKey(
        ApiToken, models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="requests"
    )
    method = models.CharField(_("metode"), max_length=10)
    path = models.CharField(_("alamat"), max_length=500)
    query = models.CharField(_("parameter"), max_length=500, blank=True)
    status = models.PositiveSmallIntegerField(_("status"))
    duration_ms = models.PositiveIntegerField(_("durasi (ms)"))
    address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("permintaan API")
        verbose_name_plural = _("permintaan API")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="apirequest_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.user_label} {self.method} {self.path} {self.status}"
