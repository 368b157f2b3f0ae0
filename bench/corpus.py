"""Build a corpus once per (size, seed, generator version) and reuse it.

SQLite: a file under artifacts/bench/. PostgreSQL: a database of its own on
the server, never the project's. Both are built under a temporary name and
renamed when complete, so a run that was interrupted is never reused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

# Bump when records/corpus/ writes different rows, so that cached corpora are rebuilt
# (2: postings carry their sort days and career position; 3: names their sound keys, places
# their other names in the search forms).
CORPUS_VERSION = 3
ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "artifacts" / "bench"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class CorpusKey:
    people: int
    postings: int
    seed: int

    @property
    def name(self) -> str:
        return f"v{CORPUS_VERSION}_p{self.people}_m{self.postings}_s{self.seed}"


def manage(*args: str, database_url: str, stream: bool = False) -> None:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        check=True,
        stdout=None if stream else subprocess.DEVNULL,
        cwd=ROOT,
    )


def _generate(key: CorpusKey, database_url: str) -> float:
    manage("migrate", "-v0", database_url=database_url)
    began = time.monotonic()
    manage(
        "generate_corpus",
        f"--people={key.people}",
        f"--postings={key.postings}",
        f"--seed={key.seed}",
        database_url=database_url,
        stream=True,
    )
    return time.monotonic() - began


def corpus_url(engine: str, key: CorpusKey) -> str:
    if engine == "sqlite":
        return f"sqlite:///{CACHE / f'corpus_{key.name}.sqlite3'}"
    if engine == "postgres":
        return f"{PG_SERVER}/bench_political_records_{key.name}"
    raise ValueError(f"unknown engine {engine!r}")


def ensure_corpus(engine: str, key: CorpusKey, log=print) -> str:
    """The DATABASE_URL of a complete corpus, built now if not cached."""
    CACHE.mkdir(parents=True, exist_ok=True)
    meta_path = CACHE / f"corpus_{engine}_{key.name}.json"
    url = corpus_url(engine, key)
    if engine == "sqlite":
        path = CACHE / f"corpus_{key.name}.sqlite3"
        if not path.exists():
            partial = path.with_suffix(".partial")
            partial.unlink(missing_ok=True)
            log(f"building the SQLite corpus {path.name} ...")
            seconds = _generate(key, f"sqlite:///{partial}")
            partial.rename(path)
            meta_path.write_text(json.dumps({"generate_seconds": round(seconds, 1)}))
    elif engine == "postgres":
        name = url.rsplit("/", 1)[1]
        if not _pg_exists(name):
            partial = f"{name}_partial"
            _pg_admin(f'DROP DATABASE IF EXISTS "{partial}"')
            _pg_admin(f'CREATE DATABASE "{partial}"')
            log(f"building the PostgreSQL corpus {name} ...")
            seconds = _generate(key, f"{PG_SERVER}/{partial}")
            _pg_admin(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')
            meta_path.write_text(json.dumps({"generate_seconds": round(seconds, 1)}))
        manage(
            "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')", database_url=url
        )
    # Models may have moved on since the corpus was built. No system checks: they
    # import the URLs, which need not be importable for the schema to migrate.
    manage("migrate", "-v0", "--skip-checks", database_url=url)
    return url


def generation_seconds(engine: str, key: CorpusKey) -> float | None:
    meta_path = CACHE / f"corpus_{engine}_{key.name}.json"
    return json.loads(meta_path.read_text())["generate_seconds"] if meta_path.exists() else None


def _pg_admin(sql: str) -> None:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(sql)


def _pg_exists(name: str) -> bool:
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None
