"""Every API error is JSON with an Indonesian `detail`, whatever raised it."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NOT_FOUND = "Tidak ditemukan."
SERVER_ERROR = "Terjadi kesalahan pada server. Kejadian ini sudah dicatat."


def _first_message(data: Any) -> str | None:
    if isinstance(data, list) and data:
        return _first_message(data[0])
    if isinstance(data, dict):
        for key, value in data.items():
            message = _first_message(value)
            if message:
                return message if key == "non_field_errors" else f"{key}: {message}"
    if isinstance(data, str):
        return data
    return None


# Messages DRF raises without a translation (not wrapped in gettext), by their English start.
UNTRANSLATED = (
    ("JSON parse error - ", "Isi permintaan bukan JSON yang sah: "),
    ("CSRF Failed: ", "Permintaan dari sesi peramban ditolak (CSRF): kirim header X-CSRFToken dari cookie "
                      "csrftoken, atau pakai token API. Rincian: "),
    ("No data provided", "Tidak ada data yang dikirim."),
)


def _indonesian(data: Any) -> Any:
    if isinstance(data, dict):
        return {key: _indonesian(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_indonesian(value) for value in data]
    if isinstance(data, str):
        for english, indonesian in UNTRANSLATED:
            if data.startswith(english):
                rest = data[len(english):]
                return indonesian + rest if indonesian.endswith(": ") else indonesian
    return data


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    response.data = _indonesian(response.data)
    if isinstance(exc, exceptions.ValidationError):
        # Field errors stay under `errors`; `detail` names the first one, so a client that
        # only shows `detail` still says where and what.
        first = _first_message(response.data)
        response.data = {"detail": f"Data tidak valid: {first}" if first else "Data tidak valid.",
                         "errors": response.data}
    elif isinstance(exc, exceptions.Throttled):
        wait = exc.wait
        response.data = {"detail": "Terlalu banyak permintaan; coba lagi "
                                   + (f"dalam {int(wait) + 1} detik." if wait is not None else "nanti.")}
    elif not isinstance(response.data, dict) or "detail" not in response.data:
        response.data = {"detail": _first_message(response.data) or str(exc)}
    return response


def bad_request(request: Any, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Permintaan tidak sah (mis. nama host yang tidak dikenal)."},
                            status=status.HTTP_400_BAD_REQUEST)
    return defaults.bad_request(request, exception)


def permission_denied(request: Any, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Anda tidak berwenang untuk tindakan ini."}, status=status.HTTP_403_FORBIDDEN)
    return defaults.permission_denied(request, exception)


def page_not_found(request: Any, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": NOT_FOUND}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


def server_error(request: Any) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": SERVER_ERROR}, status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    return defaults.server_error(request)
