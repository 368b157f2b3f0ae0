"""/candidacies/: a person standing in an election, claimed by a source or
given by official results (with a contest); the list and one candidacy."""

from __future__ import annotations

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, known, linked_against, links, viewpoint
from bench.limit.people import CANDIDACY, candidacy_json
from bench.limit.shapes import PERSON, REVIEW, citations, columns, moment, nested, review
from records.models import Candidacy, Election, Party, Person

ROW = (*CANDIDACY, *columns("person", PERSON), "updated_at", *REVIEW)
ORDERS = {"election": "election_id", "votes": "votes", "updated": "updated_at", "id": "id"}


def record_json(row, cited, linking) -> dict:
    body = candidacy_json(row, cited, linking)
    return {
        "id": body.pop("id"),
        "person": nested(row, "person", PERSON),
        **body,
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def _yes(params, name: str) -> bool:
    return params[name].lower() in ("true", "1")


def filtered(params, seen=EVERY_SOURCE):
    found = Candidacy.objects.filter(known(Candidacy, seen))
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        found = found.filter(person=person)
    election = lookups.by_id_or_key(params, "election", Election.objects.all(), "slug")
    if election:
        found = found.filter(election=election)
    party = lookups.by_id_or_key(params, "party", Party.objects.all(), "slug", "abbreviation__iexact")
    if party:
        found = found.filter(party=party)
    place = lookups.place(params)
    if place:
        found = found.filter(place__in=lookups.subtree_ids(place))
    if params.getlist("status"):
        found = found.filter(status__in=params.getlist("status"))
    if params.get("official"):
        found = found.filter(contest__isnull=not _yes(params, "official"))
    if params.get("won"):
        found = found.filter(won=_yes(params, "won"))
    if params.get("disputed"):
        found = (
            found.filter(linked_against(Candidacy))
            if _yes(params, "disputed")
            else found.exclude(linked_against(Candidacy))
        )
    if params.get("review_status"):
        found = found.filter(review_status=params["review_status"])
    return found


def keys(params):
    return paging.keys_for(params, ORDERS, "id", frozenset({"votes"}))


def _records_json(rows, seen) -> list[dict]:
    ids = {Candidacy: [r["id"] for r in rows]}
    cited, linking = citations(ids, seen), links(ids, seen)
    return [record_json(r, cited, linking) for r in rows]


@viewpoint
def candidacies(request, seen):
    page = paging.page(request, filtered(request.GET, seen), keys(request.GET), ROW)
    return envelope(request, page, _records_json(page.rows, seen))


@viewpoint
def candidacy(request, key: str, seen):
    found = (
        list(Candidacy.objects.filter(known(Candidacy, seen), pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    )
    if not found:
        return not_found()
    return json_response(_records_json(found, seen)[0])
