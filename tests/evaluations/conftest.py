from __future__ import annotations

from decimal import Decimal

import pytest

from agencies.models import Government
from tests import factories

BANJAR = {"A": Decimal("25.03"), "B": Decimal("23.65"), "C": Decimal("12.01"), "D": Decimal("19.63")}


@pytest.fixture
def agency(db):
    gov = Government.objects.create(name="Pemerintah Kabupaten Uji", kind="kabupaten")
    return factories.agency("uji-dinas", gov)
