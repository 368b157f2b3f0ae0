"""Where generated rows go: explicit ids, buffered bulk inserts, a progress bar.

Ids are assigned here rather than by the database, so that rows can point at
each other before any is written (no round trip per row, on any backend).

Rows are written with one prepared INSERT per table (``executemany``) on
SQLite and with ``COPY`` on PostgreSQL. ``bulk_create`` compiles a new
multi-row statement for every batch, which was half the time of a national
corpus; the values are prepared exactly as it prepares them (each field's
``pre_save`` then ``get_db_prep_save``), and tests/test_corpus.py checks that
both ways write the same rows."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections

from records.models import Citation, Source


class Sink:
    """Collects unsaved model instances per model and bulk-inserts them in batches.

    Models are flushed in the order they were first added, so a row is always
    written after the rows it points at (add parents before children)."""

    def __init__(self, progress=None, flush_at: int = 20_000):
        self.pending: dict[type, list] = defaultdict(list)
        self.next_ids: dict[type, int] = {}
        self.written: dict[type, int] = defaultdict(int)
        self.progress = progress
        self.flush_at = flush_at
        self._buffered = 0
        self._content_types: dict[type, int] = {}

    def new_id(self, model) -> int:
        if model not in self.next_ids:
            last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            self.next_ids[model] = (last or 0) + 1
        pk = self.next_ids[model]
        self.next_ids[model] = pk + 1
        return pk

    def add(self, instance) -> object:
        model = type(instance)._meta.concrete_model
        if instance.pk is None:
            instance.pk = self.new_id(model)
        self.pending[model].append(instance)
        self._buffered += 1
        if self._buffered >= self.flush_at:
            self.flush()
        return instance

    def content_type_id(self, model) -> int:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model).pk
        return self._content_types[model]

    def flush(self) -> None:
        for model, rows in self.pending.items():
            if rows:
                insert_rows(model, rows)
                self.written[model] += len(rows)
                if self.progress is not None:
                    self.progress.update(len(rows))
                rows.clear()
        self._buffered = 0

    def reset_sequences(self) -> None:
        """PostgreSQL: move each id sequence past the ids written here."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def insert_rows(model, rows: list) -> None:
    """Insert unsaved instances (explicit ids) of one concrete model, as
    ``bulk_create`` would but without compiling SQL per batch."""
    # The connection itself, not the thread-local proxy: the fields ask for it
    # once per value, millions of times.
    db = connections[DEFAULT_DB_ALIAS]
    fields = model._meta.concrete_fields
    values = [[field.get_db_prep_save(field.pre_save(row, True), db) for field in fields] for row in rows]
    quote = db.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            # The psycopg cursor under Django's wrapper; COPY takes Python values row by row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", values)


class Article:
    """A source document written sentence by sentence; each sentence can be
    cited, and its citation's offsets are where the quote really is."""

    def __init__(self, sink: Sink, slug: str, title: str, published_on, publisher: str):
        self.sink = sink
        self.source = Source(pk=sink.new_id(Source), slug=slug, title=title, published_on=published_on)
        self.source.publisher = publisher
        self.parts: list[str] = [title, "\n\n"]
        self.length = len(title) + 2
        self.citations: list[Citation] = []

    def say(self, sentence: str, record, field: str = "", said: str = "") -> None:
        """Add ``sentence`` and cite it (without its full stop) for ``record``."""
        start = self.length
        self.parts.append(sentence + ". ")
        self.length += len(sentence) + 2
        self.citations.append(
            Citation(
                source_id=self.source.pk,
                content_type_id=self.sink.content_type_id(type(record)),
                object_id=record.pk,
                field=field,
                quote=sentence,
                start=start,
                end=start + len(sentence),
                said=said,
            )
        )

    def publish(self) -> Source:
        self.source.text = "".join(self.parts).rstrip() + "\n"
        self.source.sha256 = hashlib.sha256(self.source.text.encode("utf-8")).hexdigest()
        self.sink.add(self.source)
        for citation in self.citations:
            self.sink.add(citation)
        return self.source
