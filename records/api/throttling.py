"""Rate limits per client: a burst rate (per minute) and a sustained rate (per
day) for anonymous clients by address, higher ones for signed-in clients by
account. Over a limit: 429 with Retry-After and the usual JSON error body.

Each limit is a fixed window that opens at the client's first request: a
count and the window's start, so a request costs at most one read and one
write of one small cache entry per client, whatever the rates (DRF's
throttles keep every request's time, two entries per client: at a high
rate, thousands of timestamps read and written on every request).

A CSV export (records/api/csv_export.py) or a Popolo document
(records/api/popolo.py) counts as one request per ``ROWS_PER_REQUEST``
records it sends (``RateCharge``), the most a JSON page holds, so that
exporting is no way around the page size; it is counted as it streams and
never cut off midway, so the export that reaches a limit finishes and the
client's next requests wait.

Rates are read from settings on every request (DRF reads them once, when its
classes are defined), so that a test can set them deliberately. Counters live
in the default cache (see DJANGO_CACHE_URL), shared by every worker. A
read-and-write by two workers at once must not lose a request from the count
(records/api/counters.py): in the database, a request's count is a
compare-and-set (after a read, unless this worker wrote the entry last),
retried when another worker wrote in between, in a table that skips
PostgreSQL's write-ahead log; in Redis, a lock on the key.

A view may hand the count a read of its own (``read_with_rate_count``, a
``counters.Alongside``): the lists and details read their tables' data
versions for the ETag that way, in the count's round trip on PostgreSQL.
"""

from __future__ import annotations

import time

from django.core.exceptions import ImproperlyConfigured
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle, SimpleRateThrottle

from records.api import counters
from records.api.pagination import MAX_PAGE_SIZE
from records.client_ip import client_ip

# A CSV export is counted as one request per this many rows: what the largest JSON page holds.
ROWS_PER_REQUEST = MAX_PAGE_SIZE


def rate_setting(scope: str) -> str | None:
    """A scope's rate as settings give it ("60/min"), read now; None for no limit."""
    try:
        return api_settings.DEFAULT_THROTTLE_RATES[scope]
    except KeyError:
        message = f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no {scope!r} rate."
        raise ImproperlyConfigured(message) from None


def rate_of(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) of a scope's rate in settings, or None for no limit."""
    rate = rate_setting(scope)
    if rate is None:
        return None
    number, period = rate.split("/")
    return int(number), {"s": 1, "m": 60, "h": 3600, "d": 86400}[period[0]]


class RateLimitThrottle(BaseThrottle):
    """The burst and sustained limits of the client: anonymous by address,
    signed in by account. A refused request is not counted."""

    SCOPES = {False: ("anon_burst", "anon_sustained"), True: ("user_burst", "user_sustained")}

    def allow_request(self, request, view):
        # A read the view wants done with the count, in its round trip (records/api/counters.py).
        return self.count(request, 1, refuse_when_full=True, alongside=getattr(view, "read_with_rate_count", None))

    @classmethod
    def charge(cls, request, requests: int) -> None:
        """Counts ``requests`` more against the client's limits without refusing
        anything: the price of a response already under way (a CSV export
        pays for its rows as it sends them, records/api/csv_export.py)."""
        if requests > 0:
            cls().count(request, requests, refuse_when_full=False)

    def count(self, request, requests: int, *, refuse_when_full: bool, alongside=None) -> bool:
        user = request.user
        signed_in = bool(user and user.is_authenticated)
        limits = {scope: rate for scope in self.SCOPES[signed_in] if (rate := rate_of(scope)) is not None}
        if not limits:
            return True
        key = f"throttle_{'user' if signed_in else 'anon'}_{user.pk if signed_in else client_ip(request)}"
        now = time.time()
        allowed = True

        def change(windows):  # may be called again, on the entry read afresh (records/api/counters.py)
            nonlocal allowed
            allowed = True
            windows = windows or {}
            for scope, (_, seconds) in limits.items():
                start, count = windows.get(scope, (now, 0))
                windows[scope] = (now, 0) if now - start >= seconds else (start, count)
            full = [windows[s][0] + seconds - now for s, (number, seconds) in limits.items() if windows[s][1] >= number]
            if full and refuse_when_full:
                self.retry_after, allowed = max(full), False
                return None
            for scope in limits:
                start, count = windows[scope]
                windows[scope] = (start, count + requests)
            return windows, max(seconds for _, seconds in limits.values())

        counters.update(key, change, alongside=alongside)
        return allowed

    def wait(self):
        return self.retry_after


class WrongTokenThrottle(SimpleRateThrottle):
    """Requests with a wrong token, per address, at the anonymous rates
    (records/api/authentication.py checks and records them itself). DRF's
    throttle (a list of request times): wrong tokens are few."""

    SCOPES = ("anon_burst", "anon_sustained")
    cache_format = "throttle_wrong_token_%(scope)s_%(ident)s"

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

    def get_rate(self):
        return rate_setting(self.scope)

    def get_cache_key(self, request, view=None):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def over_limit(self, request) -> bool:
        """Whether the address has used up its allowance; records nothing."""
        if self.rate is None:
            self.key = None
            return False
        self.key = self.get_cache_key(request)
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        return len(self.history) >= self.num_requests

    def record(self) -> None:
        if self.key is None:
            return
        with counters.counting(self.key):  # read again: another worker may have counted since
            history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
            self.cache.set(self.key, [self.now, *history], self.duration)


class RateCharge:
    """Counts a streamed answer against the client's limits as its records go
    out: the request itself paid for the first ``per`` records, each further
    ``per`` (or part of them) costs one request more. Call it with the number
    of records just sent."""

    def __init__(self, view, request, *, per: int | None = None):
        self.throttles = [t for t in view.get_throttles() if hasattr(t, "charge")]
        self.request, self.records, self.charged = request, 0, 0
        self.per = per or ROWS_PER_REQUEST

    def __call__(self, records: int) -> None:
        self.records += records
        due = max(0, -(-self.records // self.per) - 1)
        if due > self.charged:
            for throttle in self.throttles:
                throttle.charge(self.request, due - self.charged)
            self.charged = due
