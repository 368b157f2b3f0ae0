"""Places (a country, its states and districts) and organisations (police
forces with district units, services, legislatures, parties with aliases)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from django.utils.text import slugify

from records.corpus.names import NATIONAL_PARTIES, STATE_ABBREVIATIONS, STATES, place_name
from records.corpus.sink import Sink
from records.models import Organisation, OrganisationAlias, Place
from records.models.gazetteer import tree_path


@dataclass
class State:
    place: Place
    districts: list[Place]
    police: Organisation
    units: list[Organisation]  # one police unit per district, under ``police``
    assembly: Organisation
    parties: list[Organisation]  # state parties; national ones stand everywhere too


@dataclass
class Gazetteer:
    country: Place
    states: list[State]
    services: list[Organisation]
    national_parties: list[Organisation]
    all_parties: list[Organisation] = field(default_factory=list)


def _place(sink: Sink, name: str, kind: str, parent: Place | None, slug: str | None = None, **extra) -> Place:
    slug = slug or slugify(name)
    place = Place(name=name, slug=slug, kind=kind, parent=parent, path=tree_path(parent and parent.path, slug), **extra)
    return sink.add(place)


def _organisation(sink: Sink, name: str, kind: str, *, parent=None, place=None, abbreviation="", slug=None):
    slug = slug or slugify(name)
    org = Organisation(
        name=name,
        slug=slug,
        kind=kind,
        parent=parent,
        place=place,
        abbreviation=abbreviation,
        path=tree_path(parent and parent.path, slug),
    )
    return sink.add(org)


def build_gazetteer(sink: Sink, rng: random.Random, *, states: int, districts_per_state: int) -> Gazetteer:
    country = _place(sink, "India", Place.Kind.COUNTRY, None, other_names=["Bharat"])
    taken: set[str] = set()
    services = [
        _organisation(sink, "Indian Police Service", Organisation.Kind.SERVICE, abbreviation="IPS", place=country),
        _organisation(sink, "Indian Administrative Service", Organisation.Kind.SERVICE, abbreviation="IAS"),
    ]
    national = []
    for name, abbreviation, variants in NATIONAL_PARTIES:
        party = _organisation(sink, name, Organisation.Kind.PARTY, abbreviation=abbreviation, place=country)
        _aliases(sink, party, variants)
        national.append(party)
    out = []
    for state_name in STATES[:states]:
        abbreviation = STATE_ABBREVIATIONS.get(state_name, "")
        state = _place(sink, state_name, Place.Kind.STATE, country, other_names=[abbreviation] if abbreviation else [])
        districts = [
            _place(sink, name, Place.Kind.DISTRICT, state, slug=f"{state.slug}-{slugify(name)}")
            for name in (place_name(rng, taken) for _ in range(districts_per_state))
        ]
        police = _organisation(sink, f"{state_name} Police", Organisation.Kind.POLICE, place=state)
        units = [
            _organisation(
                sink, f"{d.name} Police", Organisation.Kind.POLICE, parent=police, place=d, slug=f"{d.slug}-police"
            )
            for d in districts
        ]
        assembly = _organisation(sink, f"{state_name} Legislative Assembly", Organisation.Kind.LEGISLATURE, place=state)
        parties = []
        for word in ("Lok Morcha", "Vikas Party"):
            party_name = f"{state_name} {word}"
            initials = "".join(w[0] for w in party_name.split())
            party = _organisation(sink, party_name, Organisation.Kind.PARTY, abbreviation=initials, place=state)
            _aliases(sink, party, [party_name.replace("Party", "Parti")] if "Party" in party_name else [])
            parties.append(party)
        out.append(State(state, districts, police, units, assembly, parties))
    gazetteer = Gazetteer(country, out, services, national)
    gazetteer.all_parties = national + [p for s in out for p in s.parties]
    return gazetteer


def _aliases(sink: Sink, organisation: Organisation, names: list[str]) -> None:
    for name in names:
        kind = OrganisationAlias.Kind.SPELLING_VARIANT if len(name) > 8 else OrganisationAlias.Kind.SHORT_NAME
        sink.add(OrganisationAlias(organisation=organisation, name=name, kind=kind))
