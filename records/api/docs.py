"""The API documentation pages, served under the site's content security
policy: no inline script without the request's nonce, nothing from elsewhere.

Swagger UI starts from a script of its own (a second request), not an inline
one. ReDoc writes its styles into the page at run time and runs its search in
a worker made from a blob: URL, so its page allows inline styles and blob:
workers, and nothing more.
"""

from __future__ import annotations

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView


def swagger_view():
    return SpectacularSwaggerSplitView.as_view(url_name="schema", template_name="api/swagger_ui.html")


def redoc_view():
    view = SpectacularRedocView.as_view(url_name="schema", template_name="api/redoc.html")
    return csp_replace({"style-src": [SELF, UNSAFE_INLINE], "worker-src": [SELF, "blob:"]})(view)
