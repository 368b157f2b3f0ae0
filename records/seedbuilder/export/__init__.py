"""A source's annotation, written back from the database (seeds/README.md).

``export_annotation(source)`` writes the YAML annotation of everything cited
to ``source``: the places, organisations, people and elections it names, its
claims with their keys, statuses, dates and links, and every quote with its
``field``, ``said`` words and ``occurrence``. Recording the source's text with
that annotation (``ingest_document``, where the records it links to are
recorded) gives the same records and citations again (tests/test_export_annotation.py).

What the export holds, and why:

- A record is in it when this source has a quote for it. A record that one of
  them refers to and that this source does not quote (a posting's
  organisation quoted only by another document) cannot be written: the format
  wants a quote for every record. Such a reference is a problem, reported with
  every other (``ExportFailed``), unless it is a place's or organisation's
  parent, an organisation's place or an election's body: those are what
  another source said and are left out.
- Person fields with their own quote (birth date, gender, native place, social
  group) are written only with this source's quotes for them; aliases,
  identifiers, phases and results only when this source quotes them.
- A date is written as the record holds it, with the source's relative words
  put back where they were read from ("on Saturday/.."), so that reading the
  export resolves them again to the same value and marks the same quote.
- Claims refer to other claims by key: ``previous`` and links (contradictions among them)
  (``posting:KEY``) are written as the database holds them and resolved, on
  ingest, in the export or in the database it goes to.
- What curators decide (review status, verification) is never exported.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import yaml
from django.contrib.contenttypes.models import ContentType
from django.db import models

from records.models import (
    Citation,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Organisation,
    OrganisationAlias,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    Source,
)
from records.seedbuilder.export.common import CLAIM_SECTIONS, ENTITY_SECTIONS, EXPORTED, LINKABLE
from records.seedbuilder.export.quotes import QuoteWriter
from records.seedbuilder.export.sections import SectionWriter

__all__ = ["ExportFailed", "export_annotation"]


class ExportFailed(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


class _Dumper(yaml.SafeDumper):
    pass


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:float", str(value))


_Dumper.add_representer(Decimal, _decimal)


def export_annotation(source: Source) -> str:
    """The annotation of ``source`` as YAML text; ``ExportFailed`` lists what cannot be written."""
    return _Export(source).run()


class _Export(SectionWriter, QuoteWriter):
    def __init__(self, source: Source):
        self.source = source
        self.problems: list[str] = []
        # (model, pk) -> this source's citations of the record, in the order they were made
        self.cites: dict[tuple[type[models.Model], int], list[Citation]] = defaultdict(list)
        self.records: dict[type[models.Model], dict[int, models.Model]] = {}

    def run(self) -> str:
        if self.source.kind == Source.Kind.DATASET:
            raise ExportFailed([f"{self.source.slug} is a dataset: its records cite rows, not quotes"])
        self._load()
        self._check_owners()
        document = {"source": self._source()}
        for model, section in ENTITY_SECTIONS.items():
            document[section] = [self._entity(model, record) for record in self._ordered(model)]
        for model, section in CLAIM_SECTIONS.items():
            document[section] = [self._claim(model, record) for record in self._ordered(model)]
        if self.problems:
            raise ExportFailed(self.problems)
        document = {name: items for name, items in document.items() if items}
        header = (
            f"# Annotation of {self.source.slug}, exported from the database (format: seeds/README.md).\n"
            "# Every quote is this document's; records are matched by names and keys when it is recorded.\n"
        )
        return header + yaml.dump(
            document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110, default_flow_style=False
        )

    def _load(self) -> None:
        models_by_type = {}
        counts: dict[str, int] = defaultdict(int)
        for citation in self.source.citations.order_by("pk"):
            if citation.content_type_id not in models_by_type:
                model = ContentType.objects.get_for_id(citation.content_type_id).model_class()
                models_by_type[citation.content_type_id] = model and model._meta.concrete_model
            model = models_by_type[citation.content_type_id]
            if model not in EXPORTED:
                counts[model._meta.verbose_name_plural if model else "records of a removed model"] += 1
                continue
            if not citation.quote:
                self.problems.append(f"citation {citation.pk} has no quote (a dataset row)")
                continue
            self.cites[(model, citation.object_id)].append(citation)
        for name, count in sorted(counts.items()):
            self.problems.append(f"{count} citation(s) of {name}: the annotation format has no section for them")
        ids = defaultdict(list)
        for model, pk in self.cites:
            ids[model].append(pk)
        for model in EXPORTED:
            self.records[model] = model._base_manager.in_bulk(ids[model]) if ids[model] else {}
            for pk in ids[model]:
                if pk not in self.records[model]:
                    self.problems.append(f"a citation names {model._meta.verbose_name} {pk}, which does not exist")

    def _check_owners(self) -> None:
        """A quoted alias, identifier, phase, result or link is written inside its
        record, which this source must quote too."""
        owners = (
            (PersonAlias, Person, "person_id"),
            (PersonIdentifier, Person, "person_id"),
            (OrganisationAlias, Organisation, "organisation_id"),
            (ElectionPhase, Election, "election_id"),
            (PartyResult, Election, "election_id"),
        )
        for model, owner, field in owners:
            for record in self._ordered(model):
                if not self._in_export(owner, getattr(record, field)):
                    self.problems.append(
                        f"{model._meta.verbose_name} {record} is quoted, but its {owner._meta.verbose_name} is not: "
                        "the annotation writes it inside its record"
                    )
        for link in self._ordered(ClaimLink):
            model = ContentType.objects.get_for_id(link.claim_type_id).model_class()
            if self.written_from_target(link):
                continue
            if model not in LINKABLE or not self._in_export(model, link.claim_id):
                self.problems.append(
                    f"claim link {link.pk} ({link.kind}) is quoted, but its claim is not: "
                    "the annotation writes a link inside the claim it starts from"
                )

    @staticmethod
    def between_events(link, kind) -> bool:
        event_type = ContentType.objects.get_for_model(Event)
        return link.kind == kind and link.claim_type_id == event_type.pk == link.target_type_id

    def written_from_target(self, link) -> bool:
        """A contradiction between two events whose first side this source does
        not tell is written in the other side's ``contradicts`` (the annotation
        names a contradiction from either event; it is one link either way)."""
        if not self.between_events(link, ClaimLink.Kind.CONTRADICTS):
            return False
        return not self._in_export(Event, link.claim_id) and self._in_export(Event, link.target_id)

    def _ordered(self, model) -> list[models.Model]:
        """The records in the order they were made: recording the export makes new ones in the same order."""
        return [self.records[model][pk] for pk in sorted(self.records[model])]

    def _in_export(self, model, pk: int | None) -> bool:
        return pk is not None and pk in self.records[model]

    def _slug(self, model, pk: int, label: str) -> str:
        """The export's id of a referenced entity; a problem when this source does not quote it."""
        record = self.records[model].get(pk)
        if record is None:
            other = model._base_manager.filter(pk=pk).values_list("slug", flat=True).first()
            self.problems.append(
                f"{label} refers to {model._meta.verbose_name} {other or pk!r}, which this source has no quote for: "
                "cite it from this source, or the annotation cannot name it"
            )
            return str(other or pk)
        return record.slug
