"""A full, streamed export of the records database, and its all-or-nothing import.

The file is JSON lines (gzip if the name ends in .gz; read either way):

    {"format": "political-records-export", "version": 1, "migration": ..., "models": [...]}
    {"user": {"id": 3, "username": "curator"}}                 every user a record refers to
    {"model": "records.place", "pk": 1, "fields": {...}}       Django's serialisation, one row a line
    ...
    {"end": {"rows": {"records.place": 40, ...}, "users": 1}}  counts: a truncated file is refused

Every table of the records app is exported, the edit history (Historical*) and
person merges included, with their primary keys, so that links between rows,
history ids and the API's ids survive. Content types and users are written by
natural key (app label and model; username), because their ids differ between
databases. Users are exported by id and username only: never a password, an
email address or an API token. An import recreates a missing user without a
usable password (an administrator gives one back with `changepassword`).

Not exported: API tokens (secrets), sessions, the admin's log, login attempts,
groups and permissions (rebuilt by migrations and the role commands).
"""

from __future__ import annotations

import datetime
import gzip
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT = "political-records-export"
VERSION = 1
CHUNK = 1000  # rows read, serialised or inserted at a time


class PortabilityError(Exception):
    """The file cannot be imported; nothing was written."""


def exported_models() -> list[type[models.Model]]:
    """Every concrete table of the records app, parents before children."""
    app_models = [m for m in apps.get_app_config("records").get_models() if not m._meta.proxy]
    ordered = serializers.sort_dependencies([("records", app_models)], allow_cycles=True)
    return [m for m in ordered if m in app_models]


def user_fields(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is get_user_model()]


def latest_migration(using: str) -> str | None:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    names = sorted(name for app, name in applied if app == "records")
    return names[-1] if names else None


# -- export ---------------------------------------------------------------------


def open_output(path: Path, *, gzipped: bool) -> io.TextIOBase:
    if gzipped:
        return gzip.open(path, "wt", encoding="utf-8", compresslevel=6)
    return path.open("w", encoding="utf-8")


def export_lines(using: str = "default") -> Iterator[str]:
    """The export, line by line; read in chunks so memory stays flat, and in
    one transaction so that it is one moment's database: a posting written
    while the export runs is in it with its person, or not at all."""
    connection = connections[using]
    outermost = not connection.in_atomic_block  # inside a caller's transaction, that one is the snapshot
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one snapshot for every table, not one per statement
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield from _export_lines(using)


def _export_lines(using: str) -> Iterator[str]:
    model_list = exported_models()
    yield _line(
        {
            "format": FORMAT,
            "version": VERSION,
            "migration": latest_migration(using),
            "models": [m._meta.label_lower for m in model_list],
        }
    )
    user_ids: set[int] = set()
    for model in model_list:
        for field in user_fields(model):
            user_ids.update(
                model._base_manager.using(using)
                .exclude(**{f"{field.attname}__isnull": True})
                # distinct ids only: history tables hold a user per edit
                .values_list(field.attname, flat=True)
                .order_by()
                .distinct()
            )
    users = get_user_model()._base_manager.using(using).filter(pk__in=user_ids).order_by("pk")
    for user in users.iterator(chunk_size=CHUNK):
        yield _line({"user": {"id": user.pk, "username": user.get_username()}})
    rows: Counter = Counter()
    for model in model_list:
        label = model._meta.label_lower
        for chunk in _chunks(model._base_manager.using(using).order_by("pk").iterator(chunk_size=CHUNK)):
            for row in serializers.serialize("python", chunk, use_natural_foreign_keys=True):
                rows[label] += 1
                yield _line(row)
    yield _line({"end": {"rows": dict(rows), "users": len(user_ids)}})


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, except that times keep their microseconds (it cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def _line(value) -> str:
    return json.dumps(value, cls=_ExactEncoder, ensure_ascii=False, sort_keys=True) + "\n"


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    chunk = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# -- import ---------------------------------------------------------------------


def open_input(path: Path) -> io.TextIOBase:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open("r", encoding="utf-8")


def non_empty_tables(using: str = "default") -> list[str]:
    return [m._meta.label_lower for m in exported_models() if m._base_manager.using(using).exists()]


def import_lines(lines: Iterable[str], *, replace: bool = False, using: str = "default") -> Counter:
    """Load an export in one transaction: everything or, on any problem, nothing."""
    connection = connections[using]
    with transaction.atomic(using=using):
        occupied = non_empty_tables(using)
        if occupied and not replace:
            raise PortabilityError(
                f"The database already holds records ({', '.join(occupied[:5])}...); "
                "import into an empty database, or pass --replace to delete them first."
            )
        if occupied:
            _delete_all(using)
        loader = _Loader(using)
        for number, line in enumerate(lines, start=1):
            try:
                loader.read(json.loads(line))
            except PortabilityError as error:
                raise PortabilityError(f"line {number}: {error}") from None
            except (
                ValueError,  # not JSON, a value of the wrong type
                LookupError,
                TypeError,
                FieldDoesNotExist,
                ValidationError,
                serializers.base.DeserializationError,
            ) as error:
                raise PortabilityError(f"line {number}: {type(error).__name__}: {error}") from None
        loader.finish()
        connection.check_constraints(table_names=[m._meta.db_table for m in exported_models()])
        _reset_sequences(using)
    return loader.rows


class _Loader:
    """Reads the export's lines in order, inserting rows in batches."""

    def __init__(self, using: str):
        self.using = using
        self.header = None
        self.ended = False
        self.rows: Counter = Counter()
        self.users: dict[str, int] = {}  # username -> id here
        self.batch: list[dict] = []
        self.known = {m._meta.label_lower: m for m in exported_models()}

    def read(self, value) -> None:
        if not isinstance(value, dict):
            raise PortabilityError("not an object")
        if self.ended:
            raise PortabilityError("data after the end line")
        if self.header is None:
            self._read_header(value)
        elif "user" in value:
            self._add_user(value["user"])
        elif "model" in value:
            if (self.batch and self.batch[0]["model"] != value["model"]) or len(self.batch) >= CHUNK:
                self._flush()
            if value["model"] not in self.known:
                raise PortabilityError(f"unknown table {value['model']!r}")
            self.batch.append(value)
        elif "end" in value:
            self._flush()
            self._check_end(value["end"])
            self.ended = True
        else:
            raise PortabilityError(f"unexpected line with keys {sorted(value)}")

    def finish(self) -> None:
        if self.header is None:
            raise PortabilityError("empty file")
        if not self.ended:
            raise PortabilityError("the file ends before its end line: truncated?")

    def _read_header(self, header: dict) -> None:
        if header.get("format") != FORMAT or header.get("version") != VERSION:
            raise PortabilityError(f"not a {FORMAT} file of version {VERSION}")
        here = latest_migration(self.using)
        if header.get("migration") and here and header["migration"] > here:
            raise PortabilityError(
                f"exported at migration {header['migration']}, newer than this database's {here}: migrate first"
            )
        self.header = header

    def _add_user(self, user: dict) -> None:
        User = get_user_model()
        manager = User._base_manager.db_manager(self.using)
        username, pk = str(user["username"]), int(user["id"])
        existing = manager.filter(**{User.USERNAME_FIELD: username}).first()
        if existing is None:
            existing = User(**{User.USERNAME_FIELD: username})
            if not manager.filter(pk=pk).exists():
                existing.pk = pk  # keep the id where it is free: an identical database
            existing.set_unusable_password()
            existing.save(using=self.using)
        self.users[username] = existing.pk

    def _flush(self) -> None:
        if not self.batch:
            return
        model = self.known[self.batch[0]["model"]]
        for row in self.batch:
            for field in user_fields(model):
                key = row["fields"].get(field.name)
                if key is not None:
                    if not isinstance(key, list) or len(key) != 1 or key[0] not in self.users:
                        raise PortabilityError(f"{row['model']} {row.get('pk')}: unknown user {key!r}")
                    row["fields"][field.name] = self.users[key[0]]
        objects = list(serializers.deserialize("python", self.batch, using=self.using))
        instances = [o.object for o in objects]
        for instance in instances:
            if instance.pk is None:
                raise PortabilityError(f"{model._meta.label_lower}: a row without a primary key")
        # Raw inserts, as loaddata does: values as exported (no auto_now, no
        # computed bounds, no history written for the import itself).
        model._base_manager.using(self.using)._insert(
            instances, fields=model._meta.local_concrete_fields, raw=True, using=self.using
        )
        for deserialized in objects:
            for name, values in (deserialized.m2m_data or {}).items():
                getattr(deserialized.object, name).set(values)
        self.rows[model._meta.label_lower] += len(instances)
        self.batch = []

    def _check_end(self, end: dict) -> None:
        expected = Counter(end.get("rows", {}))
        if +expected != +self.rows:
            raise PortabilityError(f"row counts differ from the end line: {dict(expected)} vs {dict(self.rows)}")
        if end.get("users") != len(self.users):
            raise PortabilityError(f"{len(self.users)} users read, the end line says {end.get('users')}")


def _delete_all(using: str) -> None:
    """Empty every exported table without signals (no history of the deletion)."""
    for model in reversed(exported_models()):
        for field in model._meta.local_many_to_many:
            field.remote_field.through._base_manager.using(using).all()._raw_delete(using)
        model._base_manager.using(using).all()._raw_delete(using)


def _reset_sequences(using: str) -> None:
    connection = connections[using]
    # Users too: restored accounts keep their ids, and the next new account must not collide.
    statements = connection.ops.sequence_reset_sql(no_style(), [*exported_models(), get_user_model()])
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
