from __future__ import annotations

import uuid

import pytest


@pytest.fixture(autouse=True)
def _fresh_throttle(monkeypatch):
    """Request counts live in the cache (Redis in the PostgreSQL run, shared by the test workers)
    and ids repeat between tests: each test counts under its own keys, nobody clears the cache."""
    from api.throttling import TokenRateThrottle

    monkeypatch.setattr(TokenRateThrottle, "cache_format", f"throttle_%(scope)s_{uuid.uuid4().hex}_%(ident)s")
