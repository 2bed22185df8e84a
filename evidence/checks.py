"""Evidence files must never be reachable by a public URL: refuse settings that would put
MEDIA_ROOT where whitenoise (or collectstatic) serves files from."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import Error, register


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


@register()
def media_not_public(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    media = Path(settings.MEDIA_ROOT).resolve()
    served = [Path(settings.STATIC_ROOT).resolve()] if settings.STATIC_ROOT else []
    for entry in settings.STATICFILES_DIRS:
        served.append(Path(entry[1] if isinstance(entry, (list, tuple)) else entry).resolve())
    return [
        Error(
            f"MEDIA_ROOT ({media}) lies inside a folder served as static files ({folder}); "
            "evidence would be public.",
            hint="Keep MEDIA_ROOT outside STATIC_ROOT and STATICFILES_DIRS.",
            id="evidence.E001",
        )
        for folder in served
        if _inside(media, folder)
    ]
