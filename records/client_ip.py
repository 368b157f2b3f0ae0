"""The address a request came from, for rate limits and login lockouts.

REMOTE_ADDR, unless DJANGO_TRUSTED_PROXIES says how many reverse proxies of
ours stand in front: then the address the farthest of them saw, read from the
right of X-Forwarded-For. Anything further left was written by the client and
is never trusted (else a client could pick a new address per request).
"""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    addresses = [address.strip() for address in forwarded.split(",") if address.strip()]
    if proxies == 0 or not addresses:
        return remote
    return addresses[-min(proxies, len(addresses))]
