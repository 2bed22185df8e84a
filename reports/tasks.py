from __future__ import annotations

from celery import shared_task

from .services import document_render


@shared_task(name="reports.tasks.render_document", acks_late=True)
def render_document_task(document_id: int) -> str:
    """Thin wrapper: the work and its error handling live in the service."""
    return document_render(document_id=document_id).status
