import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from django.views.static import serve

from records.api.docs import FaviconView, redoc_bundle, redoc_view, schema_view, swagger_view
from records.api.errors import no_such_endpoint


def downloads_in_development():
    """In debug mode the development server serves the bulk downloads itself; in production a web server does."""
    if not (settings.DEBUG and settings.RECORDS_EXPORTS_DIR and settings.RECORDS_EXPORTS_URL.startswith("/")):
        return []
    prefix = settings.RECORDS_EXPORTS_URL.strip("/")
    return [re_path(rf"^{re.escape(prefix)}/(?P<path>.*)$", serve, {"document_root": settings.RECORDS_EXPORTS_DIR})]


urlpatterns = [
    path("", RedirectView.as_view(url="/api/v1/", permanent=False)),
    path("api/v1/", include("records.api.urls")),
    path("api/schema/", schema_view(), name="schema"),
    path("api/docs/", swagger_view(), name="swagger-ui"),
    path("api/redoc/", redoc_view(), name="redoc"),
    path("api/redoc/redoc.standalone.js", redoc_bundle, name="redoc-bundle"),
    path("admin/", admin.site.urls),
    path("favicon.ico", FaviconView.as_view()),
    *downloads_in_development(),
    # Last: any other URL under /api/ that ends in a slash (without one, CommonMiddleware adds it first).
    re_path(r"^api/(?:.*/)?$", no_such_endpoint),
]


handler404 = "records.api.errors.not_found"
handler500 = "records.api.errors.server_failure"
handler400 = "records.api.errors.bad_request"
