"""A batch of queries in, their answers out (W3C reconciliation API 0.2):
``{"q0": {"result": [{"id", "name", "type", "score", "match", ...}]}}``.

The people of the whole batch are loaded at once, and each property value
(a party, a constituency) is looked up once however many queries give it."""

from __future__ import annotations

import functools

from records.identity.matcher import Matcher
from records.models import Constituency, Party, Place
from records.reconcile import named, people
from records.reconcile.batch import PropertyValue, Query
from records.reconcile.vocabulary import TYPES, parse_id


def reconcile(queries: list[Query]) -> dict[str, dict]:
    values = _PropertyValues()
    asked = {q.key: _person_query(q, values) for q in queries if q.type == "person"}
    candidates = {key: people.find_people(query.text) for key, query in asked.items()}
    loaded = people.People.load(set().union(*candidates.values())) if candidates else None
    matcher = Matcher(loaded.pool) if loaded else None
    out = {}
    for query in queries:
        if query.type == "person":
            result = people.answer(asked[query.key], loaded, matcher, candidates[query.key])
        else:
            result = named.answer(query.type, query.text, query.limit)
        out[query.key] = {"result": result}
    return out


def _person_query(query: Query, values: _PropertyValues) -> people.PersonQuery:
    given = query.properties
    year = given.get("year")
    return people.PersonQuery(
        text=query.text,
        limit=query.limit,
        party=values.party(given["party"][0]) if "party" in given else None,
        constituency=values.constituency(given["constituency"][0]) if "constituency" in given else None,
        year=int(year[0].text) if year else None,
    )


class _PropertyValues:
    """A batch's property values, each resolved once."""

    @functools.cache  # noqa: B019 (one instance per batch)
    def party(self, value: PropertyValue) -> people.PartyAsked:
        if value.id:
            ids = _ids_of(value.id, "party", Party)
            return people.PartyAsked(value.id, ids[0] if len(ids) == 1 else None)
        strong = [f for f in named.find_parties(value.text) if f.strong]
        return people.PartyAsked(value.text, strong[0].pk if len(strong) == 1 else None)

    @functools.cache  # noqa: B019
    def constituency(self, value: PropertyValue) -> people.ConstituencyAsked:
        if value.id:
            ids = _ids_of(value.id, "constituency", Constituency) or []
            names = list(Constituency.objects.filter(id__in=ids).values_list("name", flat=True))
            return people.ConstituencyAsked(names[0] if names else value.id, frozenset(ids), frozenset())
        strong = frozenset(f.pk for f in named.find_constituencies(value.text) if f.strong)
        name, _ = named.split_reservation(value.text)
        bearing = [f.pk for f in named.find_places(name) if f.strong]
        seats = Place.objects.filter(pk__in=bearing, kind=Place.Kind.CONSTITUENCY)
        places = frozenset(seats.values_list("pk", flat=True))
        return people.ConstituencyAsked(value.text, strong, places)


def _ids_of(value: str, type_id: str, model) -> list[int]:
    """The record a reconciled id names, if it is of the type wanted."""
    parsed = parse_id(value)
    if parsed is None or parsed[0] is not TYPES[type_id]:
        return []
    return list(model.objects.filter(slug=parsed[1]).values_list("id", flat=True))
