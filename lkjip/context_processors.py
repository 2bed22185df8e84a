from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, object]:
    """Links in the top bar, shown only to those who may follow them."""
    from agencies.permissions import governments_visible_to, may_import

    user = request.user

    def governments() -> list:
        # Evaluated only by a page that shows the bar; a few links at most, else the home page's list.
        return list(governments_visible_to(user=user).order_by("name").only("pk", "name")[:4])

    return {"nav_may_import": bool(may_import(user=user)), "nav_governments": governments}
