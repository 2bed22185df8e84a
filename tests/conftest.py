from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_passwords_and_media(settings, tmp_path):
    # Argon2 is deliberately slow; tests only need passwords to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
