"""Cross-origin reading, never writing: other sites' scripts may GET the
public API (from the origins in DJANGO_CORS_ALLOWED_ORIGINS, under /api/ only),
but a write, or a preflight asking to write, gets no CORS headers at all, so a
browser refuses to send it or to hand its answer to the page."""

from __future__ import annotations

from corsheaders.middleware import CorsMiddleware

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ReadOnlyCorsMiddleware(CorsMiddleware):
    def is_enabled(self, request) -> bool:
        if request.method not in READ_METHODS:
            return False
        wanted = request.headers.get("access-control-request-method")
        if request.method == "OPTIONS" and wanted and wanted.upper() not in READ_METHODS:
            return False
        return super().is_enabled(request)
