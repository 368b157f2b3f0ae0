"""Token authentication that a flood of wrong tokens cannot turn into a flood
of database lookups.

DRF authenticates before it throttles, so a request with a wrong token is
refused (401) without ever being counted: an address could try tokens as fast
as the server answers, a lookup each. Here wrong tokens are counted per
address, at the anonymous rates, and an address over them gets 429 before its
token is looked up."""

from __future__ import annotations

from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled

from records.api.throttling import WrongTokenThrottle


class ThrottledTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None  # no token: the other schemes, or anonymous
        throttles = [WrongTokenThrottle(scope) for scope in WrongTokenThrottle.SCOPES]
        over = [throttle for throttle in throttles if throttle.over_limit(request)]
        if over:
            raise Throttled(wait=max(throttle.wait() or 0 for throttle in over))
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            for throttle in throttles:
                throttle.record()
            raise
