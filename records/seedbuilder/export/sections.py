"""The annotation's sections, record by record (records/seedbuilder/export/)."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

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
)
from records.seedbuilder.export.common import LINKABLE, PERSON_VALUE_FIELDS


class SectionWriter:
    """Needs what ``_Export`` holds: the source, its quotes and records, ``problems``."""

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
            # A contradiction between two events is written as the seeds write it, in the
            # event's ``contradicts``: from the side it starts from, or from the other side
            # when this source does not tell the first (it is one link either way).
            others = []
            for link in self._ordered(ClaimLink):
                if not self.between_events(link, ClaimLink.Kind.CONTRADICTS):
                    continue
                if link.claim_id == claim.pk and not self.written_from_target(link):
                    others.append(link.target_id)
                elif link.target_id == claim.pk and self.written_from_target(link):
                    others.append(link.claim_id)
            if others:
                keys = dict(Event._base_manager.filter(pk__in=others).values_list("pk", "key"))
                spec["contradicts"] = [keys[pk] for pk in others]
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
            if self.between_events(link, ClaimLink.Kind.CONTRADICTS):
                continue  # written in the event's contradicts
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
