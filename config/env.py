"""Read settings from the environment; fail loudly on values that make no sense."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name}.")
        return default
    return value


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean; use 1/0, true/false, yes/no or on/off.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}.")
    return number


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = os.environ.get(name)
    if value is None:
        return default
    if value not in choices:
        raise ImproperlyConfigured(f"{name}={value!r} is not one of: {', '.join(choices)}.")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_hosts(name: str, default: list[str]) -> list[str]:
    """Host names for ALLOWED_HOSTS: a name, an IP address, a bracketed IPv6
    address, ".example.org" for a domain and its subdomains, or "*"; no scheme,
    path or port (Django would never match them)."""
    hosts = env_list(name, default)
    for host in hosts:
        if not _HOST.fullmatch(host):
            raise ImproperlyConfigured(
                f"{name}: {host!r} is not a host name (no scheme, path or port: e.g. records.example.org)."
            )
    return hosts


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
_HOST = re.compile(rf"\*|\.?{_LABEL}(?:\.{_LABEL})*|\[[0-9A-Fa-f:.]+\]")


def env_origins(name: str) -> list[str]:
    """Origins such as https://records.example.org or http://127.0.0.1:8000:
    a scheme, a host and maybe a port, nothing else."""
    origins = env_list(name)
    for origin in origins:
        parts = urlsplit(origin)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query or parts.fragment:
            raise ImproperlyConfigured(
                f"{name}: {origin!r} is not an origin (scheme://host[:port], e.g. https://records.example.org)."
            )
    return origins


_RATE = re.compile(r"[0-9]+/(?:s|sec|second|m|min|minute|h|hour|d|day)")


def env_rate(name: str, default: str) -> str:
    """A request rate as DRF's throttles read it: 60/min, 1000/day..."""
    rate = env_str(name, default).strip()
    if not _RATE.fullmatch(rate):
        raise ImproperlyConfigured(f"{name}={rate!r} is not a rate; write requests/period, e.g. 60/min or 5000/day.")
    return rate


def env_database(name: str, default: str, **options) -> dict:
    """A database URL (postgres://user@host:5432/name, sqlite:///path)."""
    url = env_str(name, default)
    try:
        database = dj_database_url.parse(url, **options)
    except ValueError as exc:  # the message may quote the URL, password included: name the variable only
        raise ImproperlyConfigured(
            f"{name} is not a database URL ({type(exc).__name__}); e.g. postgres://user@host:5432/name."
        ) from None
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # SQLite ignores SELECT ... FOR UPDATE: a write transaction takes the
        # write lock when it begins, so two writers checking If-Match run one
        # after the other (the second sees the first's change and gets a 412)
        # instead of both passing the check or failing with "database is locked".
        database.setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
        # Write-ahead logging: readers are never blocked by a writer (every request
        # writes its rate-limit counter), and a commit appends to the log instead of
        # syncing the whole database file (3 ms a request on a 1 GB file). With
        # synchronous=NORMAL a commit survives a killed process; only a power cut
        # can lose the last ones. (An in-memory database ignores both.)
        database["OPTIONS"].setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL")
    return _without_jit(database)


def _without_jit(database: dict) -> dict:
    """PostgreSQL compiles a query it estimates as costly to machine code (JIT)
    before running it: 15-20 ms on every execution, paid by each request that
    counts a long list or orders contests by margin, for queries that run in
    tens of milliseconds. Off for the app's connections; a URL's own
    ``?options=-c jit=on`` comes after, and wins."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = database.setdefault("OPTIONS", {})
        options["options"] = " ".join(filter(None, ["-c jit=off", options.get("options", "")]))
    return database


def env_replicas(name: str, primary: dict, *, connect_timeout: int, **options) -> list[dict]:
    """Read replicas of the primary database: comma-separated PostgreSQL URLs,
    each parsed as the primary's is. A replica that does not answer must fail
    fast (the request then reads from the primary), so each connects within
    `connect_timeout` seconds unless its URL says otherwise (?connect_timeout=N)."""
    replicas = []
    for number, url in enumerate(env_list(name), start=1):
        try:
            replica = dj_database_url.parse(url, **options)
        except ValueError as exc:  # never echo the URL: it may hold a password
            raise ImproperlyConfigured(
                f"{name}: replica {number} is not a database URL ({type(exc).__name__}); "
                "e.g. postgres://user@replica-host:5432/name."
            ) from None
        if replica["ENGINE"] != "django.db.backends.postgresql" or primary["ENGINE"] != replica["ENGINE"]:
            raise ImproperlyConfigured(
                f"{name}: read replicas need a PostgreSQL primary (DATABASE_URL) and PostgreSQL replicas "
                f"(replica {number} is not one, or the primary is not)."
            )
        replica = _without_jit(replica)
        replica.setdefault("OPTIONS", {}).setdefault("connect_timeout", connect_timeout)
        replicas.append(replica)
    return replicas


def env_cache(name: str, default: str) -> dict:
    """A cache from a URL: db://TABLE (the database; `migrate` creates the
    table), redis://HOST:PORT/DB or rediss:// (a Redis server), file:///PATH
    (a directory shared by the processes of one machine) or locmem:// (this
    process only: each gunicorn worker would count on its own)."""
    url = env_str(name, default)
    parts = urlsplit(url)
    location = parts.netloc + parts.path
    if parts.scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": location}
    if parts.scheme == "db" and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", location):
        return {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": location}
    if parts.scheme in ("redis", "rediss") and parts.hostname:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if parts.scheme == "file" and not parts.netloc and parts.path.startswith("/"):
        return {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": parts.path}
    raise ImproperlyConfigured(
        f"{name}={url!r} is not a cache URL; use db://TABLE_NAME, redis://HOST:PORT/DB, file:///ABSOLUTE/PATH "
        "or locmem://."
    )
