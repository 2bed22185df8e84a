from __future__ import annotations

import datetime

from celery import shared_task

from .locks import today
from .reminders import SENT, reminders_send


@shared_task(name="periods.tasks.send_reminders")
def send_reminders(on: str | None = None) -> int:
    """The daily deadline reminders (CELERY_BEAT_SCHEDULE, 07:00 WIB; queue `default`).
    Returns how many e-mails went out; the work and its idempotency live in periods.reminders."""
    day = datetime.date.fromisoformat(on) if on else today()
    return sum(1 for outcome in reminders_send(on=day) if outcome.status == SENT)
