"""django-csp's middleware, with the settings' policy built once, not per response.

django-csp builds the Content-Security-Policy header from the settings for
every response: about 80 us, a fifth of the cheapest API answer. The header
only differs from the settings' when the response carries a policy of its own
(the ReDoc page relaxes styles with ``csp_update``) or the page used the
request's nonce: those responses still go through django-csp. Every other one
gets the same header (and report-only header), built on first use and again
when the settings change (tests override them).
"""

from __future__ import annotations

import functools
import http.client

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as DjangoCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# What a view sets on its response to change the policy (django-csp's decorators).
OWN_POLICY = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro", "_csp_replace_ro")
DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
HEADERS = ((HEADER, False, "_csp_exempt"), (HEADER_REPORT_ONLY, True, "_csp_exempt_ro"))


@functools.cache
def settings_policy(report_only: bool) -> tuple[str, tuple[str, ...]]:
    """The header the settings give, and the path prefixes it is not sent for."""
    name = "CONTENT_SECURITY_POLICY_REPORT_ONLY" if report_only else "CONTENT_SECURITY_POLICY"
    prefixes = (getattr(settings, name, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
    return build_policy(report_only=report_only), tuple(prefixes)


@receiver(setting_changed)
def _forget_policy(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        settings_policy.cache_clear()


class CSPMiddleware(DjangoCSPMiddleware):
    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(hasattr(response, a) for a in OWN_POLICY):
            return super().process_response(request, response)
        if response.status_code in DEBUG_EXEMPT and settings.DEBUG:
            return response
        for header, report_only, exempt in HEADERS:
            policy, excluded = settings_policy(report_only)
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(excluded)
            ):
                response[header] = policy
        # As django-csp: a nonce asked for after the header is written is an error, not a silent omission.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response
