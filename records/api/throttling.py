"""Rate limits per client: a burst rate (per minute) and a sustained rate (per
day) for anonymous clients by address, higher ones for signed-in clients by
account. Over a limit: 429 with Retry-After and the usual JSON error body.

Rates are read from settings on every request (DRF reads them once, when its
classes are defined), so that a test can set them deliberately. Counters live
in the default cache (see DJANGO_CACHE_URL), shared by every worker. DRF reads
a client's history, then writes it back: two workers doing so at once would
lose a request from the count, so each read-and-write holds a lock on its key
(`counting`): a database transaction (SQLite's begins with the write lock;
PostgreSQL takes an advisory lock on the key) or a Redis lock.
"""

from __future__ import annotations

import contextlib
import hashlib

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from records.client_ip import client_ip

SCOPES = ("anon_burst", "anon_sustained", "user_burst", "user_sustained")


@contextlib.contextmanager
def counting(key: str):
    """Holds `key`'s counter for one read-and-write, across every worker."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        database = router.db_for_write(cache.cache_model_class)
        with transaction.atomic(using=database):
            connection = connections[database]
            if connection.vendor == "postgresql":
                lock = int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            yield  # SQLite: the transaction began with the write lock (transaction_mode IMMEDIATE)
    elif isinstance(cache, RedisCache):
        client = cache._cache.get_client(key, write=True)
        with client.lock(f"{cache.make_key(key)}:lock", timeout=5, blocking_timeout=5):
            yield
    else:  # locmem (one process) or files: no shared lock to take
        yield


class _RateFromSettings(SimpleRateThrottle):
    signed_in: bool

    def get_rate(self):
        try:
            return api_settings.DEFAULT_THROTTLE_RATES[self.scope]
        except KeyError:
            message = f"REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'] has no {self.scope!r} rate."
            raise ImproperlyConfigured(message) from None

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        with counting(key):
            return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        user = request.user
        is_signed_in = bool(user and user.is_authenticated)
        if is_signed_in != self.signed_in:
            return None  # the other pair of limits applies
        ident = user.pk if is_signed_in else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonBurstThrottle(_RateFromSettings):
    scope = "anon_burst"
    signed_in = False


class AnonSustainedThrottle(_RateFromSettings):
    scope = "anon_sustained"
    signed_in = False


class UserBurstThrottle(_RateFromSettings):
    scope = "user_burst"
    signed_in = True


class UserSustainedThrottle(_RateFromSettings):
    scope = "user_sustained"
    signed_in = True


class WrongTokenThrottle(_RateFromSettings):
    """Requests with a wrong token, per address, at the anonymous rates
    (records/api/authentication.py checks and records them itself)."""

    SCOPES = ("anon_burst", "anon_sustained")
    cache_format = "throttle_wrong_token_%(scope)s_%(ident)s"

    def __init__(self, scope: str):
        self.scope = scope
        super().__init__()

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
        with counting(self.key):  # read again: another worker may have counted since
            history = [t for t in self.cache.get(self.key, []) if t > self.now - self.duration]
            self.cache.set(self.key, [self.now, *history], self.duration)
