from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, bool]:
    """Links in the top bar, shown only to those who may follow them."""
    from agencies.permissions import may_import

    user = request.user
    return {"nav_may_import": bool(may_import(user=user))}
