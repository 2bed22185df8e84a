"""`Authorization: Token <token>`: django-rest-knox's hashed tokens, with our expiry and revocation.

Knox deletes a token once it has expired; ours stay (marked expired or revoked) so that the
owner's token page and the request log can still name them.
"""

from __future__ import annotations

import binascii
from hmac import compare_digest

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import get_authorization_header

from .models import ApiToken

INVALID = "Token tidak dikenal."
HEADER = "Header Authorization harus berbentuk `Token <token>` (satu token, tanpa spasi di dalamnya)."


class TokenAuthentication(KnoxTokenAuthentication):
    """A personal token; the request then acts with the token owner's roles."""

    def authenticate(self, request):  # type: ignore[no-untyped-def]
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.authenticate_header(request).encode().lower():
            return None  # no token: the session (or nothing) decides
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(HEADER)
        found = self.authenticate_credentials(parts[1])
        # The request log (api.middleware) reads the token from the Django request.
        request._request.api_token = found[1]
        return found

    def authenticate_credentials(self, token: bytes):  # type: ignore[no-untyped-def,override]
        try:
            text = token.decode("utf-8")
            digest = hash_token(text)
        except (UnicodeDecodeError, TypeError, binascii.Error, ValueError):
            raise exceptions.AuthenticationFailed(INVALID) from None
        for candidate in ApiToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user"):
            if not compare_digest(digest, candidate.digest):
                continue
            if candidate.revoked_at is not None:
                raise exceptions.AuthenticationFailed("Token sudah dicabut.")
            if candidate.expiry is not None and candidate.expiry <= timezone.now():
                raise exceptions.AuthenticationFailed("Token sudah kedaluwarsa.")
            if not candidate.user.is_active:
                raise exceptions.AuthenticationFailed("Akun pemilik token tidak aktif.")
            return candidate.user, candidate
        raise exceptions.AuthenticationFailed(INVALID)
