"""Turn ``seeds/*.txt`` and their ``*.yaml`` annotations into fixture records.

The annotation format is documented in ``seeds/README.md``. The builder:

- checks every quote against the verbatim text and records its offsets;
- resolves relative dates ("on Saturday", "last year") against the
  document's publication date, keeping the words in the citation;
- merges the same place, organisation, person or election across documents
  by any of its names, and the same claim by its key;
- refuses to pick between sources that disagree on a value: it reports the
  conflict (encode disagreeing claims as separate records instead);
- collects every problem (file, claim, reason) and raises ``BuildFailed``
  rather than produce anything partial.

Its parts: ``reading`` reads the values of one annotation (keys, quotes,
dates, numbers); ``registry`` registers, merges and finishes the records;
``entities`` and ``claims`` read the sections; this module finds the
documents and runs the build.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import models

from records.models import Organisation, Place, Source
from records.seedbuilder.annotations import AnnotationSyntaxError, Mapping, load_annotation
from records.seedbuilder.claims import ClaimReaders
from records.seedbuilder.documents import BuildFailed, Problem, SeedDocument, read_document
from records.seedbuilder.entities import EntityReaders
from records.seedbuilder.reading import Where
from records.seedbuilder.registry import Entry

__all__ = ["Entry", "FixtureBuilder"]

SECTIONS = (
    "source",
    "places",
    "organisations",
    "persons",
    "elections",
    "relations",
    "postings",
    "events",
    "candidacies",
    "governments",
)
SOURCE_KEYS = {"title", "publisher", "url", "not_stated", "language", "sha256"}


class FixtureBuilder(EntityReaders, ClaimReaders):
    """One build: ``build()`` returns the records, or raises ``BuildFailed``."""

    def __init__(
        self, seeds_dir: Path | None = None, *, pairs: list[tuple[Path, Path]] | None = None, folder: str = ""
    ):
        """Every document of ``seeds_dir``, or the (document, annotation) ``pairs``
        given, whose problems name them under ``folder`` (default: their own)."""
        super().__init__()
        self.seeds_dir = seeds_dir
        self.pairs = pairs
        self.folder = folder
        self.documents: list[SeedDocument] = []

    def build(self) -> dict[type[models.Model], list[Entry]]:
        for document in self._documents():
            self._read_document(document)
        self._resolve_deferred()
        self._resolve_links()
        self._check_posting_order()
        self._compute_tree_paths(Place)
        self._compute_tree_paths(Organisation)
        self._finish(max((d.published_on for d in self.documents), default=None))
        if self.problems:
            raise BuildFailed(self.problems)
        return self.entries

    def _documents(self) -> Iterable[SeedDocument]:
        if self.pairs is not None:
            yield from self._given_documents()
            return
        texts = sorted(self.seeds_dir.glob("*.txt"))
        if not texts:
            self.problems.append(Problem(str(self.seeds_dir), "", "no seed documents (*.txt) found"))
        for orphan in sorted(self.seeds_dir.glob("*.yaml")):
            if not orphan.with_suffix(".txt").exists():
                self.problems.append(Problem(f"seeds/{orphan.name}", "", "annotation without a document beside it"))
        for text_path in texts:
            document = read_document(text_path)
            if isinstance(document, Problem):
                self.problems.append(document)
                continue
            if not document.annotation_path.exists():
                self.problems.append(Problem(f"seeds/{text_path.name}", "", "no annotation file beside it (.yaml)"))
                continue
            try:
                document.annotation = load_annotation(document.annotation_path)
            except AnnotationSyntaxError as exc:
                self.problems.append(Problem(document.annotation_name, "", str(exc)))
                continue
            self.documents.append(document)
            yield document

    def _given_documents(self) -> Iterable[SeedDocument]:
        for text_path, annotation_path in self.pairs:
            for path in (text_path, annotation_path):
                if not path.is_file():
                    self.problems.append(Problem(str(path), "", "no such file"))
            if not (text_path.is_file() and annotation_path.is_file()):
                continue
            document = read_document(text_path, annotation_path, folder=self.folder or str(text_path.parent))
            if isinstance(document, Problem):
                self.problems.append(document)
                continue
            try:
                document.annotation = load_annotation(annotation_path)
            except AnnotationSyntaxError as exc:
                self.problems.append(Problem(document.annotation_name, "", str(exc)))
                continue
            self.documents.append(document)
            yield document

    def _read_document(self, doc: SeedDocument) -> None:
        data = doc.annotation
        top = Where(doc, "")
        for key in data:
            if key not in SECTIONS:
                self._problem(top, f"unknown section {key!r} (expected one of {', '.join(SECTIONS)})")
        source = data.get("source")
        if source is not None and not isinstance(source, Mapping):
            self._problem(top.child("source"), "must be a mapping (sha256, title, ...)")
            source = None
        self._read_source(doc, source or Mapping(), top.child("source"))
        for section, reader in (
            ("places", self._read_place),
            ("organisations", self._read_organisation),
            ("persons", self._read_person),
            ("elections", self._read_election),
            ("relations", self._read_relation),
            ("postings", self._read_posting),
            ("events", self._read_event),
            ("candidacies", self._read_candidacy),
            ("governments", self._read_government),
        ):
            items = data.get(section) or []
            if not isinstance(items, list):
                self._problem(top.child(section), "must be a list")
                continue
            for index, spec in enumerate(items):
                label = f"{section}[{index}]"
                if isinstance(spec, Mapping):
                    name = spec.get("id") or spec.get("key")
                    label += f" {name!r}" if name else ""
                    label += f" (line {spec.line})"
                where = top.child(label)
                if not isinstance(spec, Mapping):
                    self._problem(where, "must be a mapping")
                    continue
                reader(spec, where)

    def _read_source(self, doc: SeedDocument, spec: Mapping, where: Where) -> None:
        # The annotation pins the exact bytes it was written for.
        if self._check_keys(spec, SOURCE_KEYS, {"sha256"}, where) and str(spec["sha256"]) != doc.sha256:
            self._problem(where, f"sha256 {spec['sha256']} does not match the document's bytes ({doc.sha256})")
        source = Source(
            slug=doc.slug,
            kind=Source.Kind.ARTICLE,
            title=str(spec.get("title") or ""),
            publisher=str(spec.get("publisher") or ""),
            url=str(spec.get("url") or ""),
            published_on=doc.published_on,
            language=str(spec.get("language") or "en"),
            path=f"seeds/{doc.text_path.name}" if doc.folder == "seeds" else "",
            text=doc.text,
            sha256=doc.sha256,
            not_stated=self._not_stated(spec, where),
        )
        self._add(source, where)

    def _not_stated(self, spec: Mapping, where: Where) -> list[str]:
        """What the document does not state (title, publisher, url): named, never left as an empty field."""
        names = spec.get("not_stated") or []
        if not isinstance(names, list) or any(name not in Source.STATABLE for name in names):
            self._problem(where, f"not_stated must list some of: {', '.join(Source.STATABLE)}")
            return []
        stated = [name for name in names if spec.get(name)]
        if stated:
            self._problem(where, f"not_stated names {', '.join(stated)}, which the annotation also gives")
        return [name for name in Source.STATABLE if name in names]
