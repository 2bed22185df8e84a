"""Template helpers of the evidence partial: {% load bukti_dukung %}."""

from __future__ import annotations

from django import template
from django.conf import settings

from evidence.display import format_size
from performance.models import Realization

register = template.Library()


@register.filter
def ukuran_berkas(size: int | None) -> str:
    """Bytes the Indonesian way: 350 KB, 1,5 MB."""
    return "–" if size is None else format_size(size)


@register.simple_tag
def evidence_max_size() -> str:
    return format_size(settings.EVIDENCE_MAX_BYTES)


@register.filter
def evidence_editable(entry: Realization | None) -> bool:
    """The entry exists and is not verified (the period lock is the page's part of can_edit)."""
    return entry is not None and entry.review != Realization.Review.VERIFIED
