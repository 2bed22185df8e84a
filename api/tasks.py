from __future__ import annotations

from celery import shared_task

from .services import request_log_prune


@shared_task(name="api.tasks.prune_request_log")
def prune_request_log() -> int:
    """Daily (CELERY_BEAT_SCHEDULE): API request log lines older than API_LOG_DAYS go."""
    return request_log_prune()
