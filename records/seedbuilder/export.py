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
- Claims refer to other claims by key: ``previous``, ``contradicts`` and links
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
    Candidacy,
    Citation,
    ClaimLink,
    Election,
    ElectionPhase,
    Event,
    Government,
    Organisation,
    OrganisationAlias,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Place,
    Posting,
    Source,
)
from records.seedbuilder.reading import refines
from records.seedbuilder.relative_dates import RelativeDateError, resolve_relative_date

ENTITY_SECTIONS = {Place: "places", Organisation: "organisations", Person: "persons", Election: "elections"}
CLAIM_SECTIONS = {
    PersonRelation: "relations",
    Posting: "postings",
    Event: "events",
    Candidacy: "candidacies",
    Government: "governments",
}
NESTED = (PersonAlias, OrganisationAlias, PersonIdentifier, ElectionPhase, PartyResult, ClaimLink)
EXPORTED = (*ENTITY_SECTIONS, *CLAIM_SECTIONS, *NESTED)
LINKABLE = {Posting: "posting", Event: "event", Candidacy: "candidacy"}
PERSON_VALUE_FIELDS = ("birth_date", "gender", "native_place", "social_group")


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


class _Export:
    def __init__(self, source: Source):
        self.source = source
        self.problems: list[str] = []
        # (model, pk) -> this source's citations of the record, in the order they were made
        self.cites: dict[tuple[type[models.Model], int], list[Citation]] = defaultdict(list)
        self.records: dict[type[models.Model], dict[int, models.Model]] = {}

    # -- what is cited ---------------------------------------------------------

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
            if model not in LINKABLE or not self._in_export(model, link.claim_id):
                self.problems.append(
                    f"claim link {link.pk} ({link.kind}) is quoted, but its claim is not: "
                    "the annotation writes a link inside the claim it starts from"
                )

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

    # -- quotes ----------------------------------------------------------------

    def _occurrence(self, citation: Citation) -> int | None:
        text, quote, n = self.source.text, citation.quote, 1
        position = text.find(quote)
        while 0 <= position < citation.start:
            position, n = text.find(quote, position + 1), n + 1
        if position != citation.start:
            self.problems.append(f"citation {citation.pk}: {quote!r} is not at its offsets {citation.start}")
            return None
        return n

    def _cite_items(self, citations: list[Citation], folded: set[int] = frozenset(), field: str = "") -> list:
        """Quotes as the format writes them: plain text, or {quote, field, said, occurrence}."""
        items = []
        for citation in citations:
            occurrence = self._occurrence(citation)
            item = {"quote": citation.quote}
            if citation.field and citation.field != field:
                item["field"] = citation.field
            if citation.said and citation.pk not in folded:
                item["field"] = citation.field
                item["said"] = citation.said
            if occurrence and occurrence > 1:
                item["occurrence"] = occurrence
            items.append(item["quote"] if len(item) == 1 else item)
        return items

    def _date(self, value: str, field: str, citations: list[Citation], folded: set[int]) -> str:
        """The date as this source gave it: relative words a quote's ``said`` marks
        are put back where the value was read from ("on Saturday/.."), so that
        reading the export resolves them again, from the same quote. Where the
        value lies within the words ("2021-03" and "last year"), the value stays
        and the quote keeps its ``said``. Where another source made the value
        more precise than the words allow ("2022-01-10/.." and "on Saturday/.."),
        this source's own words are written: recorded with the other source, the
        more precise value wins again."""
        published_on = self.source.published_on
        sides = value.split("/") if value.count("/") == 1 else [value]
        for citation in citations:
            if citation.field != field or not citation.said or published_on is None:
                continue
            try:
                resolved = resolve_relative_date(citation.said, published_on)
            except RelativeDateError:
                continue
            # The reader marks the first of the claim's quotes that holds the words.
            first = next((c for c in citations if citation.said.lower() in c.quote.lower()), None)
            if first is not citation:
                continue
            if resolved == value:
                folded.add(citation.pk)
                return citation.said
            if resolved in sides and len(sides) == 2:
                folded.add(citation.pk)
                sides[sides.index(resolved)] = citation.said
                continue
            if refines(value, resolved):
                continue
            for index, side in enumerate(sides if len(sides) == 2 else ()):
                if side in ("", ".."):
                    continue
                candidate = sides.copy()
                candidate[index] = resolved
                if refines(value, "/".join(candidate)):
                    folded.add(citation.pk)
                    sides[index] = citation.said
                    break
        return "/".join(sides)

    # -- sections --------------------------------------------------------------

    def _source(self) -> dict:
        source = self.source
        spec = {"sha256": source.sha256}
        for name in ("title", "publisher", "url"):
            if getattr(source, name):
                spec[name] = getattr(source, name)
        spec["language"] = source.language
        if source.not_stated:
            spec["not_stated"] = list(source.not_stated)
        return spec

    def _entity(self, model, record) -> dict:
        citations = self.cites[(model, record.pk)]
        spec = {"id": record.slug, "name": record.name}
        if model is Place:
            spec["kind"] = record.kind
            if record.other_names:
                spec["other_names"] = list(record.other_names)
            if self._in_export(Place, record.parent_id):
                spec["part_of"] = self.records[Place][record.parent_id].slug
        elif model is Organisation:
            spec["kind"] = record.kind
            if record.abbreviation:
                spec["abbreviation"] = record.abbreviation
            if self._in_export(Organisation, record.parent_id):
                spec["part_of"] = self.records[Organisation][record.parent_id].slug
            if self._in_export(Place, record.place_id):
                spec["place"] = self.records[Place][record.place_id].slug
            self._aliases(spec, OrganisationAlias, "organisation_id", record.pk)
        elif model is Person:
            return self._person(record, spec, citations)
        elif model is Election:
            return self._election(record, spec, citations)
        spec["cite"] = self._cite_items(citations)
        return spec

    def _aliases(self, spec: dict, alias_model, owner: str, pk: int) -> None:
        aliases = []
        for alias in self._ordered(alias_model):
            if getattr(alias, owner) != pk:
                continue
            item = {"name": alias.name, "kind": alias.kind}
            if alias.status != "confirmed":
                item["status"] = alias.status
            item["cite"] = self._cite_items(self.cites[(alias_model, alias.pk)])
            aliases.append(item)
        if aliases:
            spec["aliases"] = aliases

    def _person(self, person: Person, spec: dict, citations: list[Citation]) -> dict:
        label = f"person {person.slug!r}"
        self._aliases(spec, PersonAlias, "person_id", person.pk)
        for name in PERSON_VALUE_FIELDS:
            own = [c for c in citations if c.field == name]
            value = getattr(person, f"{name}_id" if name == "native_place" else name)
            if not own or value in (None, ""):
                continue
            folded: set[int] = set()
            if name == "native_place":
                value = self._slug(Place, value, f"{label} native_place")
            elif name == "birth_date":
                value = self._date(value, name, own, folded)
            spec[name] = {"value": value, "cite": self._cite_items(own, folded, field=name)}
        identifiers = [
            {"scheme": i.scheme, "value": i.value, "cite": self._cite_items(self.cites[(PersonIdentifier, i.pk)])}
            for i in self._ordered(PersonIdentifier)
            if i.person_id == person.pk
        ]
        if identifiers:
            spec["identifiers"] = identifiers
        spec["cite"] = self._cite_items([c for c in citations if c.field not in PERSON_VALUE_FIELDS])
        if not spec["cite"]:
            del spec["cite"]
        return spec

    def _election(self, election: Election, spec: dict, citations: list[Citation]) -> dict:
        label = f"election {election.slug!r}"
        folded: set[int] = set()
        spec["jurisdiction"] = self._slug(Place, election.jurisdiction_id, f"{label} jurisdiction")
        if self._in_export(Organisation, election.body_id):
            spec["body"] = self.records[Organisation][election.body_id].slug
        if election.seats is not None:
            spec["seats"] = election.seats
        for name in ("start", "end", "announced", "counting"):
            if getattr(election, name):
                spec[name] = self._date(getattr(election, name), name, citations, folded)
        spec["status"] = election.status
        spec["cite"] = self._cite_items(citations, folded)
        phases = []
        for phase in self._ordered(ElectionPhase):
            if phase.election_id != election.pk:
                continue
            phase_cites, phase_folded = self.cites[(ElectionPhase, phase.pk)], set()
            item = {"number": phase.number}
            item["poll_date"] = self._date(phase.poll_date, "poll_date", phase_cites, phase_folded)
            item["status"] = phase.status
            item["cite"] = self._cite_items(phase_cites, phase_folded)
            phases.append(item)
        results = []
        for result in self._ordered(PartyResult):
            if result.election_id != election.pk:
                continue
            item = {"party": self._slug(Organisation, result.party_id, f"{label} result")}
            for name in ("seats_won", "seats_with_allies", "vote_share"):
                if getattr(result, name) is not None:
                    item[name] = getattr(result, name)
            item["status"] = result.status
            item["cite"] = self._cite_items(self.cites[(PartyResult, result.pk)])
            results.append(item)
        if phases:
            spec["phases"] = phases
        if results:
            spec["results"] = results
        return spec

    def _claim(self, model, claim) -> dict:
        citations, folded = self.cites[(model, claim.pk)], set()
        label = f"{model._meta.verbose_name} {getattr(claim, 'key', '') or claim.pk}"
        spec: dict = {}
        if model is PersonRelation:
            spec["subject"] = self._slug(Person, claim.subject_id, label)
            spec["kind"] = claim.kind
            spec["object"] = self._slug(Person, claim.object_id, label)
        elif model is Government:
            spec["party"] = self._slug(Organisation, claim.party_id, label)
            spec["place"] = self._slug(Place, claim.place_id, label)
        else:
            spec["key"] = claim.key
            spec["person"] = self._slug(Person, claim.person_id, label)
        if model is Posting:
            spec["role"] = claim.role
            if claim.rank:
                spec["rank"] = claim.rank
        if model is Event:
            spec["kind"] = claim.kind
            spec["title"] = claim.title
        if model is Candidacy:
            spec["election"] = self._slug(Election, claim.election_id, label)
        for name, target in (
            ("organisation", Organisation),
            ("party", Organisation),
            ("place", Place),
            ("serves", Person),
        ):
            pk = getattr(claim, f"{name}_id", None)
            if pk is not None and model is not Government:
                spec[name] = self._slug(target, pk, label)
        for name in ("start", "end", "date"):
            value = getattr(claim, name, "")
            if value:
                spec[name] = self._date(value, name, citations, folded)
        if model is Posting:
            if claim.previous_id:
                spec["previous"] = Posting.objects.values_list("key", flat=True).get(pk=claim.previous_id)
            if claim.note:
                spec["note"] = claim.note
        if model is Event:
            participants = sorted(claim.participants.values_list("pk", flat=True))
            if participants:
                spec["participants"] = [self._slug(Person, pk, label) for pk in participants]
            contradicts = list(claim.contradicts.order_by("pk").values_list("key", "person_id"))
            if any(person != claim.person_id for _, person in contradicts):
                self.problems.append(f"{label} contradicts another person's event: the format names the same person's")
            if contradicts:
                spec["contradicts"] = [key for key, _ in contradicts]
        spec["status"] = claim.status
        spec["cite"] = self._cite_items(citations, folded)
        if model in LINKABLE:
            links = self._links(model, claim, label)
            if links:
                spec["links"] = links
        return spec

    def _links(self, model, claim, label: str) -> list[dict]:
        claim_type = ContentType.objects.get_for_model(model)
        links = []
        for link in self._ordered(ClaimLink):
            if link.claim_type_id != claim_type.pk or link.claim_id != claim.pk:
                continue
            target_model = ContentType.objects.get_for_id(link.target_type_id).model_class()
            target = target_model._base_manager.filter(pk=link.target_id).first()
            if target is None or getattr(target, "person_id", None) != claim.person_id:
                self.problems.append(f"{label}: its {link.kind} link names a claim of another person, or none")
                continue
            links.append(
                {
                    "kind": link.kind,
                    "claim": f"{LINKABLE[target_model]}:{target.key}",
                    "cite": self._cite_items(self.cites[(ClaimLink, link.pk)]),
                }
            )
        return links
