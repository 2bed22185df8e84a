from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme


class HttpResponseSeeOther(HttpResponseRedirect):
    """303 after a POST: the browser GETs the page again, so a reload never resubmits."""

    status_code = 303


def back_to_next(request: HttpRequest, fallback: str, *, read_body: bool = True) -> HttpResponseSeeOther:
    """To `next` (form field, then query string) when it is a URL of this site, else to
    `fallback`. `read_body=False` looks only at the query string, so a refused oversized upload
    is never parsed for it."""
    candidates = [request.POST.get("next")] if read_body else []
    candidates.append(request.GET.get("next"))
    for url in candidates:
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseSeeOther(url)
    return HttpResponseSeeOther(fallback)
