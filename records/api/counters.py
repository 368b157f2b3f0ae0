"""One cache entry read and rewritten without losing another worker's write:
the rate limits' counters (records/api/throttling.py), on every request.

``counting`` holds a lock that every worker honours: a database transaction
for the database cache (SQLite's begins with the write lock; PostgreSQL takes
an advisory lock on the key), a Redis lock for Redis, none for a per-process
or file cache.

On the database cache, ``update`` needs no lock: it reads the row, then
writes it back only if it is still what it read (a compare-and-set), two
statements in autocommit (three on a client's first request, which counts
the table to cull it as Django's cache does). A write that lost to another
worker's reads again and retries, so no request is lost from a count. The
locked way took five round trips on PostgreSQL (BEGIN, the advisory lock,
the read, the upsert, COMMIT), 0.9 ms a request; ``cache.get`` then
``cache.set`` took more.

A worker remembers what it last wrote to each key (``_Written``): the
client's next request through that worker skips the read and sets the row
only if it still holds that value and expiry, one statement. A row another
worker wrote since, or one cleared or culled, fails that condition, and the
count reads the row as above. A refusal is never decided on the remembered
value alone (the counters may have been cleared since): it reads the row.

Entries are written as Django's DatabaseCache writes them (pickled, base64,
an expiry to the second), so ``cache.get`` reads them and ``cache.clear``
empties them as before.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import pickle
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now

# What ``change`` answers: the entry's new value and its lifetime in seconds, or None to leave it as it is.
Change = Callable[[Any], tuple[Any, int] | None]


@contextlib.contextmanager
def counting(key: str):
    """Holds ``key``'s entry for one read-and-write, across every worker."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        database = router.db_for_write(cache.cache_model_class)
        with transaction.atomic(using=database):
            connection = connections[database]
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [advisory_lock(key)])
            yield  # SQLite: the transaction began with the write lock (transaction_mode IMMEDIATE)
    elif isinstance(cache, RedisCache):
        client = cache._cache.get_client(key, write=True)
        with client.lock(f"{cache.make_key(key)}:lock", timeout=5, blocking_timeout=5):
            yield
    else:  # locmem (one process) or files: no shared lock to take
        yield


def unlog_cache_tables(using: str = "default") -> None:
    """On PostgreSQL, the database cache's table skips the write-ahead log
    (UNLOGGED): a counter's write then commits without waiting for the disk
    (0.29 ms of each request's 0.32 ms of statements). What is lost is what the
    counters may lose: after a crash the table starts empty, every client
    with a fresh allowance. Counters live on the primary only
    (records/db_router.py), so a replica's lack of the table's rows is moot."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    for alias in settings.CACHES:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache) or not router.allow_migrate_model(using, cache.cache_model_class):
            continue
        table = connection.ops.quote_name(cache._table)
        with connection.cursor() as cursor:
            cursor.execute("SELECT relpersistence FROM pg_class WHERE oid = to_regclass(%s)", [table])
            row = cursor.fetchone()
            if row is not None and row[0] == "p":  # permanent: logged
                cursor.execute(f"ALTER TABLE {table} SET UNLOGGED")


def advisory_lock(key: str) -> int:
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


@dataclass
class Alongside:
    """A read of the caller's (one SELECT, on the database ``using``) that a
    count may run in its own statement: on PostgreSQL, the count's write in a
    WITH, one round trip for both. ``rows`` is what it read, None when it was
    not run (the caller then runs it)."""

    sql: str
    params: list
    using: str = "default"
    rows: list | None = None


def update(key: str, change: Change, *, alongside: Alongside | None = None) -> None:
    """Reads ``key``'s entry (None when there is none, or it expired), calls
    ``change`` with it and stores what it answers, as one step that no other
    worker's write comes between: under the key's lock, or on the database
    cache by a compare-and-set, which calls ``change`` again when it lost.
    ``change`` may be called more than once (first on what this worker wrote
    last): only its last answer counts, so it must have no other effect."""
    cache = caches["default"]
    if isinstance(cache, DatabaseCache):
        database = router.db_for_write(cache.cache_model_class)
        if connections[database].vendor in ("sqlite", "postgresql") and _update_row(
            cache, database, key, change, alongside
        ):
            return
    with counting(key):
        changed = change(cache.get(key))
        if changed is not None:
            value, timeout = changed
            cache.set(key, value, timeout)


# A compare-and-set that keeps losing to other writers (it never should) gives up after this many tries.
ATTEMPTS = 20


def _update_row(cache: DatabaseCache, database: str, key: str, change: Change, alongside: Alongside | None) -> bool:
    """Read the row, then write it back only if it is still what was read
    (compare-and-set, in autocommit): two statements, no transaction or lock.
    A write that lost to another worker's reads the row again and retries;
    False after ``ATTEMPTS`` losses (never seen), for the locked way."""
    connection = connections[database]
    table, cache_key, value_column, expires = _quoted_names(cache, connection)
    stored_key = cache.make_and_validate_key(key)
    written = (database, cache._table, stored_key)
    if _update_written(cache, connection, written, change, alongside):
        return True
    for _ in range(ATTEMPTS):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {value_column}, {expires} FROM {table} WHERE {cache_key} = %s", [stored_key])
            row = cursor.fetchone()
            now = tz_now()
            current = None
            if row is not None and _moment(connection, row[1]) >= now:  # as DatabaseCache.get: expired is absent
                current = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode()))
            changed = change(current)
            if changed is None:
                return True
            encoded, until, expires_at = _encoded(cache, connection, *changed)
            if row is None:
                # A new entry: keep the table within its size as DatabaseCache.set does (an update adds no row).
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                entries = cursor.fetchone()[0]
                if entries > cache._max_entries:
                    cache._cull(database, cursor, now.replace(microsecond=0), entries)
                cursor.execute(
                    f"INSERT INTO {table} ({cache_key}, {value_column}, {expires}) VALUES (%s, %s, %s) "
                    f"ON CONFLICT ({cache_key}) DO NOTHING",
                    [stored_key, encoded, until],
                )
            else:
                cursor.execute(
                    f"UPDATE {table} SET {value_column} = %s, {expires} = %s "
                    f"WHERE {cache_key} = %s AND {value_column} = %s",
                    [encoded, until, stored_key, row[0]],
                )
            if cursor.rowcount == 1:
                _WRITTEN.remember(written, encoded, until, expires_at)
                return True
    return False


def _quoted_names(cache: DatabaseCache, connection) -> tuple[str, str, str, str]:
    """The cache table's name and its key, value and expiry columns, quoted for SQL."""
    quote = connection.ops.quote_name
    return tuple(quote(name) for name in (cache._table, "cache_key", "value", "expires"))


def _encoded(cache: DatabaseCache, connection, value, timeout) -> tuple[str, object, datetime]:
    """A value and its lifetime as DatabaseCache stores them: pickled in base64,
    an expiry to the second (as the database takes it, and as a datetime)."""
    seconds = cache.get_backend_timeout(timeout)
    zone = UTC if settings.USE_TZ else None
    if seconds is None:
        until = datetime.max.replace(microsecond=0, tzinfo=zone)
    else:
        until = datetime.fromtimestamp(seconds, tz=zone).replace(microsecond=0)
    encoded = base64.b64encode(pickle.dumps(value, cache.pickle_protocol)).decode("latin1")
    return encoded, connection.ops.adapt_datetimefield_value(until), until


def _update_written(
    cache: DatabaseCache, connection, written: tuple, change: Change, alongside: Alongside | None = None
) -> bool:
    """The count in one statement, from what this worker wrote last: True when
    the row still held it and now holds the change. False (nothing written)
    when there is nothing remembered, it has expired, the change refuses, or
    the row is no longer what was written. ``alongside`` is read in the same
    statement on PostgreSQL, whether the write applied or not."""
    remembered = _WRITTEN.get(written)
    if remembered is None:
        return False
    encoded, until, expires_at = remembered
    if expires_at < tz_now():  # expired: the cache reads it as absent
        return False
    changed = change(pickle.loads(base64.b64decode(encoded.encode())))
    if changed is None:
        return False  # a refusal (or nothing to write): decided on the row as it stands
    new_encoded, new_until, new_expires_at = _encoded(cache, connection, *changed)
    table, cache_key, value_column, expires = _quoted_names(cache, connection)
    write = (
        f"UPDATE {table} SET {value_column} = %s, {expires} = %s "
        f"WHERE {cache_key} = %s AND {value_column} = %s AND {expires} = %s"
    )
    params = [new_encoded, new_until, written[2], encoded, until]
    with connection.cursor() as cursor:
        if alongside is not None and connection.vendor == "postgresql" and alongside.using == written[0]:
            written_rows = _write_alongside(cursor, write, params, alongside)
        else:
            cursor.execute(write, params)
            written_rows = cursor.rowcount
    if written_rows == 1:
        _WRITTEN.remember(written, new_encoded, new_until, new_expires_at)
        return True
    _WRITTEN.forget(written)
    return False


def _write_alongside(cursor, write: str, params: list, alongside: Alongside) -> int:
    """Runs ``write`` (an UPDATE) and ``alongside``'s SELECT as one statement;
    the rows the write changed. Each row answered carries that number, then
    whether a row of the read follows (none when it read nothing)."""
    cursor.execute(
        f"WITH written AS ({write} RETURNING 1) "
        "SELECT (SELECT COUNT(*) FROM written), alongside.* FROM (SELECT 1) AS one "
        f"LEFT JOIN (SELECT 1 AS present, read.* FROM ({alongside.sql}) AS read) AS alongside ON TRUE",
        [*params, *alongside.params],
    )
    rows = cursor.fetchall()
    alongside.rows = [row[2:] for row in rows if row[1] is not None]
    return rows[0][0]


class _Written:
    """What this worker last wrote per entry (the value as stored, its expiry),
    the most recently used ``SIZE`` entries; shared by a worker's threads."""

    SIZE = 10_000

    def __init__(self):
        self.entries: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def remember(self, key, encoded: str, until, expires_at: datetime) -> None:
        with self.lock:
            self.entries[key] = (encoded, until, expires_at)
            self.entries.move_to_end(key)
            while len(self.entries) > self.SIZE:
                self.entries.popitem(last=False)

    def forget(self, key) -> None:
        with self.lock:
            self.entries.pop(key, None)


_WRITTEN = _Written()


_EXPIRES = models.Expression(output_field=models.DateTimeField())


def _moment(connection, value) -> datetime:
    """The expiry column as an aware datetime (SQLite gives text), as DatabaseCache reads it."""
    for converter in connection.ops.get_db_converters(_EXPIRES) + _EXPIRES.get_db_converters(connection):
        value = converter(value, _EXPIRES, connection)
    return value
