"""Taking documents into a live database: ``ingest(pairs)``.

A document and its annotation (seeds/README.md) are built as the fixture
builder builds them, then written by natural keys (records/ingest/writer.py)
into a database that may hold curators' edits, imported results and merges.
All or nothing: every problem of the build and of the write is reported
together (``IngestFailed``), and nothing is written. A document already
recorded (the same bytes) with what it says is skipped, so ingesting again
changes nothing; one recorded without a claim yet (added in the admin) takes
its annotation, keeping its slug and details.
"""

from __future__ import annotations

import hashlib
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from records.ingest.writer import Counts, Writer
from records.models import Source
from records.seedbuilder.builder import FixtureBuilder
from records.seedbuilder.documents import BuildFailed, Problem

__all__ = ["IngestFailed", "IngestResult", "ingest", "ingest_texts"]


class IngestFailed(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class IngestResult:
    ingested: list[str] = field(default_factory=list)  # the new sources' slugs
    already: list[str] = field(default_factory=list)  # documents recorded before, skipped
    counts: Counts = field(default_factory=Counts)


def ingest(pairs: list[tuple[Path, Path]], *, folder: str = "") -> IngestResult:
    """Write the (document, annotation) ``pairs`` into the database, in one
    transaction; raises ``IngestFailed`` with every problem, writing nothing."""
    result = IngestResult()
    # A document added with no claim yet (the workbench's "Add a document") takes its annotation.
    recorded = dict(Source.objects.filter(citations__isnull=False).distinct().values_list("sha256", "slug"))
    new_pairs = []
    for text_path, annotation_path in pairs:
        digest = hashlib.sha256(text_path.read_bytes()).hexdigest() if text_path.is_file() else None
        if digest in recorded:
            result.already.append(recorded[digest])
        else:
            new_pairs.append((text_path, annotation_path))
    if not new_pairs:
        return result
    builder = FixtureBuilder(pairs=new_pairs, folder=folder)
    builder.links_may_leave_build = True
    try:
        builder.build()
    except BuildFailed as exc:
        raise IngestFailed(exc.problems) from None
    with transaction.atomic():
        writer = Writer(builder)
        writer.run()
        if writer.problems:
            raise IngestFailed(writer.problems)  # rolls the transaction back
    # The records' slugs: a document added before keeps its own.
    result.ingested = [writer.records[(Source, e.obj.pk)].slug for e in builder.entries.get(Source, [])]
    result.counts = writer.counts
    return result


def ingest_texts(slug: str, text: str, annotation: str, *, folder: str) -> IngestResult:
    """``ingest`` for a document and annotation given as text (the API, the
    admin): written as ``<slug>.txt`` and ``<slug>.yaml`` to a scratch folder,
    whose problems are named under ``folder``."""
    with tempfile.TemporaryDirectory(prefix="document-") as scratch:
        text_path, annotation_path = Path(scratch) / f"{slug}.txt", Path(scratch) / f"{slug}.yaml"
        text_path.write_bytes(text.encode("utf-8"))
        annotation_path.write_bytes(annotation.encode("utf-8"))
        return ingest([(text_path, annotation_path)], folder=folder)
