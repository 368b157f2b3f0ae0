"""Reads from a streaming replica, writes to the primary (README: "Read replicas").

With `DATABASE_REPLICA_URLS`, the settings name the replicas `replica_1`,
`replica_2`... and this router sends:

- every write, and every migration, to the primary (`default`);
- the reads of an HTTP request to the replica that ReplicaReadsMiddleware
  chose for it (records/replica_middleware.py), unless that request must see
  the latest data: then, as for everything outside a request (commands,
  migrations, the shell, the test suite), to the primary;
- any read inside a transaction on the primary to the primary: a transaction
  must see its own writes (and a replica refuses SELECT ... FOR UPDATE);
- the rate-limit counters (the database cache) to the primary: each request
  reads the counter it has just written, and a lagging replica would undercount.
"""

from __future__ import annotations

import contextlib
import logging
import random
import time
from collections.abc import Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

logger = logging.getLogger(__name__)

PRIMARY = DEFAULT_DB_ALIAS
# The database cache's table (django.core.cache.backends.db.CacheEntry's app label).
PRIMARY_ONLY_APPS = frozenset({"django_cache"})

# The database this request's reads go to; the primary outside requests.
_reads_from: ContextVar[str] = ContextVar("reads_from", default=PRIMARY)
# Replicas that did not answer, and until when (time.monotonic()) to leave them alone. Per process.
_down_until: dict[str, float] = {}


@contextlib.contextmanager
def reading_from(alias: str) -> Iterator[None]:
    token = _reads_from.set(alias)
    try:
        yield
    finally:
        _reads_from.reset(token)


def replicas_up() -> list[str]:
    now = time.monotonic()
    return [alias for alias in settings.DATABASE_REPLICAS if _down_until.get(alias, 0.0) <= now]


def choose_replica() -> str | None:
    """A replica not known to be down, at random (spreading the load), or None."""
    up = replicas_up()
    return random.choice(up) if up else None


def mark_down(alias: str, error: BaseException | None = None) -> None:
    seconds = settings.REPLICA_RETRY_SECONDS
    _down_until[alias] = time.monotonic() + seconds
    logger.warning("Database %s does not answer (%s); reading from the primary for %s s.", alias, error, seconds)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        alias = _reads_from.get()
        if alias == PRIMARY or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        # Rows related to a row already read come from the same database, so one answer is one snapshot.
        instance = hints.get("instance")
        if instance is not None and instance._state.db:
            return instance._state.db
        return alias

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool | None:
        # Every database holds the same rows: a replica is a copy of the primary.
        same_data = {PRIMARY, *settings.DATABASE_REPLICAS}
        return True if {obj1._state.db, obj2._state.db} <= same_data else None

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY  # replicas copy the primary's schema; they cannot be written
