from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """Cursor pages ordered by the primary key: stable while records are added, and each
    page is one indexed range query whatever its position."""

    ordering = "pk"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
    invalid_cursor_message = "Kursor halaman tidak valid."
