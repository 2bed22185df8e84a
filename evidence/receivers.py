"""A deleted Evidence row takes its stored file with it, once the deletion commits.

A receiver rather than code in evidence_remove alone, because an entry's evidence is also
deleted by cascade (an indicator or realisasi removed in the admin); Django's Collector sends
post_delete for each row it removes, so no path leaves a file behind or deletes one early.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Evidence
from .services import file_delete_on_commit


@receiver(post_delete, sender=Evidence, dispatch_uid="evidence_file_delete_on_commit")
def _delete_file(sender: type[Evidence], instance: Evidence, **kwargs: Any) -> None:
    file_delete_on_commit(name=instance.file.name, storage=instance.file.storage)
