from django.http import HttpResponseRedirect


class HttpResponseSeeOther(HttpResponseRedirect):
    """303 after a POST: the browser GETs the page again, so a reload never resubmits."""

    status_code = 303
