"""For /api/ only: the request log, ETags with conditional GET, and caching headers."""

from __future__ import annotations

import hashlib
import logging
import re
import time
from collections.abc import Callable
from urllib.parse import parse_qsl, urlencode

from axes.helpers import get_client_ip_address
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers

from .services import request_log_write

logger = logging.getLogger(__name__)
PREFIX = "/api/"


SECRET_NAMES = re.compile(r"token|key|auth|pass|secret|sig", re.IGNORECASE)
LOOKS_SECRET = re.compile(r"[0-9a-f]{32,}", re.IGNORECASE)
HIDDEN = "[disembunyikan]"


def redacted(query: str) -> str:
    """The query string as logged: a token pasted into a URL by mistake is not kept."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([
        (name, HIDDEN if SECRET_NAMES.search(name) or LOOKS_SECRET.search(value) else value) for name, value in pairs
    ], safe="[]")


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        started = time.perf_counter()
        response = self.get_response(request)
        response = self._conditional(request, response)
        patch_vary_headers(response, ("Authorization", "Cookie"))
        # Scoped, personal data: no shared cache may keep it, and clients revalidate (ETag).
        response.setdefault("Cache-Control", "private, no-cache")
        self._log(request, response, time.perf_counter() - started)
        return response

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or response.status_code != 200 or response.streaming:
            return response
        if not response.has_header("ETag"):
            response["ETag"] = '"%s"' % hashlib.sha256(response.content).hexdigest()[:32]
        return get_conditional_response(request, etag=response["ETag"], response=response)

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, seconds: float) -> None:
        user = getattr(request, "user", None)
        known = user is not None and user.is_authenticated
        try:
            request_log_write(
                user=user if known else None,
                token=getattr(request, "api_token", None),
                method=request.method,
                path=request.path,
                query=redacted(request.META.get("QUERY_STRING", "")),
                status=response.status_code,
                duration_ms=round(seconds * 1000),
                address=get_client_ip_address(request),
            )
        except Exception:  # The answer must not fail because its log line could not be written.
            logger.exception("API request log not written")
