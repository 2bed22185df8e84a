from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Links in the top bar, shown only to those who may follow them."""
    from workbook.views import may_upload

    user = request.user
    return {"nav_may_import": bool(user.is_authenticated and may_upload(user))}
