"""Readers of the entity sections: places, organisations, persons, elections.

An entity has a local ``id`` (its slug when first seen) and is merged with
the same entity of other documents by any of its names.
"""

from __future__ import annotations

from records.identifiers import identifier_problem
from records.models import (
    Election,
    ElectionPhase,
    Organisation,
    OrganisationAlias,
    OrganisationIdentifier,
    Party,
    PartyResult,
    Person,
    PersonAlias,
    PersonIdentifier,
    Place,
    PlaceIdentifier,
)
from records.seedbuilder.annotations import Mapping
from records.seedbuilder.reading import Cite, Where
from records.seedbuilder.registry import Registry
from records.text import normalise_name


class EntityReaders(Registry):
    """``_read_<section>(spec, where)`` for each entity section."""

    def _read_place(self, spec: Mapping, where: Where) -> None:
        allowed = {"id", "name", "kind", "other_names", "part_of", "identifiers", "cite"}
        if not self._check_keys(spec, allowed, {"id", "name", "kind"}, where):
            return
        other_names = self._string_list(spec.get("other_names"), where.child("other_names"))
        entry = self._entity(
            "place",
            Place,
            spec,
            where,
            names=[spec["name"], *other_names],
            fields={"name": spec["name"], "kind": spec["kind"]},
        )
        if entry:
            entry.obj.other_names = sorted(set(entry.obj.other_names) | set(other_names))
            self._identifiers(PlaceIdentifier, entry, spec, where)
            if spec.get("part_of"):
                self.deferred.append(("place_parent", entry, where, spec["part_of"]))

    def _read_organisation(self, spec: Mapping, where: Where) -> None:
        allowed = {"id", "name", "kind", "abbreviation", "part_of", "place", "aliases", "identifiers", "cite"}
        if not self._check_keys(spec, allowed, {"id", "name", "kind"}, where):
            return
        aliases = self._aliases(spec, where)
        fields = {"name": spec["name"], "kind": spec["kind"], "abbreviation": str(spec.get("abbreviation") or "")}
        if spec.get("place"):
            fields["place_id"] = self._ref_pk(where.child("place"), "place", spec["place"])
        entry = self._entity(
            "organisation",
            Party if spec["kind"] == Organisation.Kind.PARTY else Organisation,
            spec,
            where,
            names=[spec["name"], fields["abbreviation"], *_alias_names(aliases)],
            fields=fields,
        )
        if not entry:
            return
        if spec.get("part_of"):
            self.deferred.append(("organisation_parent", entry, where, spec["part_of"]))
        for sub, alias in aliases:
            self._alias(OrganisationAlias, "organisation", entry, alias, sub)
        self._identifiers(OrganisationIdentifier, entry, spec, where)

    def _read_person(self, spec: Mapping, where: Where) -> None:
        allowed = {
            "id",
            "name",
            "aliases",
            "birth_date",
            "native_place",
            "gender",
            "social_group",
            "identifiers",
            "cite",
        }
        if not self._check_keys(spec, allowed, {"id", "name"}, where):
            return
        aliases = self._aliases(spec, where)
        field_cites: list[Cite] = []
        fields: dict[str, object] = {"name": spec["name"]}
        for name in ("gender", "social_group"):
            value, cites = self._value(spec, name, where)
            if value is not None:
                fields[name] = str(value)
                field_cites += cites
        value, cites = self._value(spec, "native_place", where)
        if value is not None:
            fields["native_place_id"] = self._ref_pk(where.child("native_place"), "place", value)
            field_cites += cites
        value, cites = self._value(spec, "birth_date", where)
        if value is not None:
            fields["birth_date"] = self._date(value, "birth_date", cites, where.child("birth_date"))
            field_cites += cites
        names = [spec["name"], *_alias_names(aliases)]
        entry = self._entity("person", Person, spec, where, names=names, fields=fields)
        if not entry:
            return
        entry.cites += field_cites
        if normalise_name(spec["name"]) != normalise_name(entry.obj.name):
            # Another document's main name for a merged person is one of its aliases.
            self._alias(PersonAlias, "person", entry, Mapping(name=spec["name"], kind="other"), where, entry.cites)
        for sub, alias in aliases:
            self._alias(PersonAlias, "person", entry, alias, sub)
        self._identifiers(PersonIdentifier, entry, spec, where)

    def _read_election(self, spec: Mapping, where: Where) -> None:
        allowed = {"id", "name", "jurisdiction", "body", "seats", "start", "end", "announced", "counting"}
        allowed |= {"status", "cite", "phases", "results"}
        if not self._check_keys(spec, allowed, {"id", "name", "jurisdiction", "status"}, where):
            return
        cites = self._cites(spec.get("cite"), where)
        fields: dict[str, object] = {
            "name": spec["name"],
            "status": spec["status"],
            "jurisdiction_id": self._ref_pk(where.child("jurisdiction"), "place", spec["jurisdiction"]),
        }
        if spec.get("body"):
            fields["body_id"] = self._ref_pk(where.child("body"), "organisation", spec["body"])
        if spec.get("seats") is not None:
            fields["seats"] = self._integer(spec["seats"], where.child("seats"))
        for name in ("start", "end", "announced", "counting"):
            if spec.get(name) is not None:
                fields[name] = self._date(spec[name], name, cites, where.child(name))
        entry = self._entity("election", Election, spec, where, names=[spec["name"]], fields=fields, cites=cites)
        if not entry:
            return
        for sub, phase in self._mappings(spec, "phases", where):
            if not self._check_keys(phase, {"number", "poll_date", "status", "cite"}, {"number", "poll_date"}, sub):
                continue
            phase_cites = self._cites(phase.get("cite"), sub)
            number = self._integer(phase["number"], sub.child("number"))
            obj = ElectionPhase(
                election_id=entry.obj.pk,
                number=number,
                poll_date=self._date(phase["poll_date"], "poll_date", phase_cites, sub.child("poll_date")),
                status=phase.get("status") or entry.obj.status,
            )
            self._claim(("phase", entry.obj.pk, number), obj, sub, phase_cites, {"poll_date": obj.poll_date})
        for sub, result in self._mappings(spec, "results", where):
            allowed = {"party", "seats_won", "seats_with_allies", "vote_share", "status", "cite"}
            if not self._check_keys(result, allowed, {"party", "status"}, sub):
                continue
            party_id = self._ref_pk(sub.child("party"), "organisation", result["party"])
            numbers = {
                "seats_won": self._integer(result.get("seats_won"), sub.child("seats_won")),
                "seats_with_allies": self._integer(result.get("seats_with_allies"), sub.child("seats_with_allies")),
                "vote_share": self._decimal(result.get("vote_share"), sub.child("vote_share")),
            }
            obj = PartyResult(election_id=entry.obj.pk, party_id=party_id, status=result["status"], **numbers)
            key = ("result", entry.obj.pk, obj.party_id, *numbers.values())
            self._claim(key, obj, sub, self._cites(result.get("cite"), sub), {"status": obj.status})

    def _identifiers(self, model, entry, spec: Mapping, where: Where) -> None:
        """``identifiers: [{scheme, value, cite}]`` of a person, an organisation or a place:
        a scheme of the registry (records/identifiers.py), a value in its format, one record's."""
        kind = model.identifies
        for sub, ident in self._mappings(spec, "identifiers", where):
            if not self._check_keys(ident, {"scheme", "value", "cite"}, {"scheme", "value"}, sub):
                continue
            scheme, value = str(ident["scheme"]), str(ident["value"])
            problem = identifier_problem(kind, scheme, value)
            if problem is not None:
                self._problem(sub, f"identifier {scheme}:{value}: {problem[1]}")
                continue
            key = ("identifier", kind, scheme, value)
            owner = self.claims.get(key)
            if owner is not None and getattr(owner.obj, f"{kind}_id") != entry.obj.pk:
                self._problem(sub, f"identifier {scheme}:{value} already belongs to another {kind} ({owner.origin})")
                continue
            obj = model(**{f"{kind}_id": entry.obj.pk}, scheme=scheme, value=value)
            self._claim(key, obj, sub, self._cites(ident.get("cite"), sub), {})

    def _aliases(self, spec: Mapping, where: Where) -> list[tuple[Where, Mapping]]:
        return self._mappings(spec, "aliases", where)


def _alias_names(aliases: list[tuple[Where, Mapping]]) -> list:
    return [alias.get("name") for _, alias in aliases if isinstance(alias.get("name"), str)]
