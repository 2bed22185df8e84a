"""The national framework survives what empties a database between transactional tests."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from evaluations.models import EvaluationFramework


@pytest.mark.django_db(transaction=True)
def test_a_flush_leaves_the_national_framework_in_place():
    call_command("flush", "--no-input", verbosity=0)
    framework = EvaluationFramework.objects.get(government=None, valid_from=2021)
    assert list(framework.components.order_by("order").values_list("code", "weight")) == [
        ("A", 30), ("B", 30), ("C", 15), ("D", 25)]
    assert framework.bands.count() == 7
