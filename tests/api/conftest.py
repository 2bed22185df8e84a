from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_throttle():
    """Request counts live in the cache; ids repeat between tests, so counts must not."""
    cache.clear()
    yield
    cache.clear()
