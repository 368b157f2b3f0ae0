"""Which database a request reads from, when there are read replicas.

A request reads from the primary when it must see the latest data: a write
(POST, PUT, PATCH, DELETE: its checks and its answer), the admin, and a client
that wrote within the last DATABASE_READ_YOUR_WRITES_SECONDS (read-your-writes).
Any other request reads from one replica, chosen at random among those not
known to be down.

Read-your-writes: a successful write sets a signed, expiring cookie (browsers,
the admin, any client that keeps cookies) and, for a token, a pin in the shared
cache under a hash of the token (API clients that keep no cookies); either
sends that client's reads to the primary until it expires. A forged or expired
cookie is ignored.

Failing over: a replica that refuses the connection (checked before the view,
at the cost of the health check Django makes anyway) is marked down for
DATABASE_REPLICA_RETRY_SECONDS, and the request reads from the primary. A
replica that fails during a request (a 503) has the request answered again
from the primary, once: only requests that change nothing are ever replayed.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError, connections
from django.urls import reverse
from rest_framework.authentication import get_authorization_header

from records.db_router import choose_replica, mark_down, reading_from

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
COOKIE = "records_wrote"
SALT = "records.read-your-writes"
TOKEN_KEYWORD = b"token"


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        if not settings.DATABASE_REPLICAS:
            raise MiddlewareNotUsed  # one database: nothing to decide, no cost
        self.get_response = get_response
        self._admin_prefix: str | None = None

    def __call__(self, request):
        replica = None if self.must_read_primary(request) else answering_replica()
        response = self.respond(request, replica) if replica else self.get_response(request)
        if request.method not in SAFE_METHODS and response.status_code < 400:
            remember_write(request, response)
        return response

    def respond(self, request, replica: str):
        with reading_from(replica):
            response = self.get_response(request)
        if response.status_code != 503:  # 503: the database did not answer (records/api/errors.py)
            return response
        # The replica may be what failed: answer from the primary (a safe request changes nothing, so may run twice).
        if not answers(replica):
            mark_down(replica, "failed during a request")
        return self.get_response(request)

    def must_read_primary(self, request) -> bool:
        if request.method not in SAFE_METHODS or request.path.startswith(self.admin_prefix()):
            return True
        return wrote_recently(request)

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:  # not in __init__: the URLconf may not be importable yet
            self._admin_prefix = reverse("admin:index")
        return self._admin_prefix


def answering_replica() -> str | None:
    """A replica that answers, or None: then the request reads from the primary."""
    while replica := choose_replica():
        try:
            # Connects if needed, and runs the health check Django makes on a request's first query anyway.
            connections[replica].cursor().close()
        except DatabaseError as error:
            mark_down(replica, error)
            continue
        return replica
    return None


def answers(alias: str) -> bool:
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def wrote_recently(request) -> bool:
    seconds = settings.READ_YOUR_WRITES_SECONDS
    if request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=seconds):
        return True
    token = token_key(request)
    return bool(token) and cache.get(pin_key(token)) is not None


def remember_write(request, response) -> None:
    seconds = settings.READ_YOUR_WRITES_SECONDS
    if not seconds:
        return
    response.set_signed_cookie(
        COOKIE,
        "1",
        salt=SALT,
        max_age=seconds,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    token = token_key(request)
    if token:
        cache.set(pin_key(token), 1, timeout=seconds)


def token_key(request) -> str | None:
    words = get_authorization_header(request).split()
    if len(words) == 2 and words[0].lower() == TOKEN_KEYWORD:
        return words[1].decode("latin-1")
    return None


def pin_key(token: str) -> str:
    # A hash: the cache (the database, Redis) never holds a usable token.
    return "read-your-writes:" + hashlib.sha256(token.encode()).hexdigest()
