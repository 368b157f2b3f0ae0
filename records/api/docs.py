"""The API documentation pages, served under the site's content security
policy: no inline script without the request's nonce, nothing from elsewhere.

Swagger UI starts from a script of its own (a second request), not an inline
one. ReDoc writes its styles into the page at run time and runs its search in
a worker made from a blob: URL, so its page allows inline styles and blob:
workers, and nothing more.
"""

from __future__ import annotations

import functools
import threading

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib.staticfiles import finders
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.response import Response

_schemas: dict[tuple, dict] = {}
_schemas_lock = threading.Lock()


class CachedSchemaView(SpectacularAPIView):
    """The OpenAPI document, generated once per process: it derives from the
    code alone (the public schema does not depend on who asks), and generating
    it costs about a hundred times more than rendering it."""

    def _get_schema_response(self, request):
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (version, self.urlconf, request.GET.get("lang"))
        with _schemas_lock:
            if key not in _schemas:
                generator = self.generator_class(urlconf=self.urlconf, api_version=version, patterns=self.patterns)
                _schemas[key] = generator.get_schema(request=request, public=self.serve_public)
        return Response(
            data=_schemas[key],
            headers={"Content-Disposition": f'inline; filename="{self._get_filename(request, version)}"'},
        )


SCHEMA_SETTINGS = {"ROOT_URLCONF", "INSTALLED_APPS", "REST_FRAMEWORK", "SPECTACULAR_SETTINGS"}


@receiver(setting_changed)
def _forget_schemas(setting, **kwargs) -> None:
    """A test that changes what the schema derives from gets a new one."""
    if setting in SCHEMA_SETTINGS:
        _schemas.clear()


REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
# ReDoc's side menu always shows Redocly's logo from their CDN, which the site's
# policy refuses (a console error on every visit). Served here without that
# address: an image with no source fails quietly, and ReDoc then hides it.
REDOC_REMOTE_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@functools.cache
def _redoc_bundle() -> bytes:
    path = finders.find(REDOC_BUNDLE)
    with open(path, encoding="utf-8") as bundle:
        return bundle.read().replace(REDOC_REMOTE_LOGO, "").encode("utf-8")


def redoc_bundle(request):
    response = HttpResponse(_redoc_bundle(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=86400"
    return response


class FaviconView(RedirectView):
    """/favicon.ico, which browsers ask for on every page: the docs' icon (its
    hashed static name is only known at run time)."""

    permanent = False

    def get_redirect_url(self, *args, **kwargs):
        return static("drf_spectacular_sidecar/swagger-ui-dist/favicon-32x32.png")


def schema_view():
    return CachedSchemaView.as_view()


def swagger_view():
    return SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")


def redoc_view():
    view = SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")
    return csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(view)
