"""/persons/: the list (each person with the context that tells namesakes
apart) and the detail (everything about one person)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db.models import Exists, F, OuterRef, Q

from bench.limit import careers, lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.identifiers import identifiers_of, with_citations
from bench.limit.knowledge import EVERY_SOURCE, known, linked, links, told, type_id, viewpoint
from bench.limit.search import indexed_name_matches, ranked_keys, with_rank
from bench.limit.shapes import (
    ELECTION,
    ORGANISATION,
    PARTY,
    PERSON,
    PLACE,
    REVIEW,
    citations,
    columns,
    fuzzy,
    fuzzy_columns,
    moment,
    nested,
    review,
)
from records.models import (
    Candidacy,
    ClaimLink,
    Event,
    Party,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Posting,
)

ROW = ("id", "slug", "name", *fuzzy_columns("birth_date"), "gender", "social_group", *columns("native_place", PLACE))
ORDERS = {"name": "name", "birth_date": "birth_date_earliest", "updated": "updated_at", "id": "id"}
CONSTITUENCY = ("id", "slug", "number", "name")
CONTEXT_POSTING = (
    *careers.COLUMNS,
    "role",
    "organisation__kind",
    *columns("organisation", PARTY),
    "place__name",
    "start",
    "end",
    "status",
)
CONTEXT_CANDIDACY = (
    "id",
    *columns("election", ELECTION),
    "election__start_earliest",
    *columns("party", PARTY),
    *columns("contest__constituency", CONSTITUENCY),
    *columns("place", PLACE),
    "won",
    "status",
)


def context(postings: list[dict], candidacies: list[dict]) -> dict:
    """The last post (not a party's), the party (last membership, else the
    latest candidacy's), the latest candidacy (by its election's first day)."""
    by_id = {p["id"]: p for p in postings}
    posts = [p for p in postings if p["organisation__kind"] != "party"]
    memberships = [p for p in postings if p["organisation__kind"] == "party"]
    latest = sorted(candidacies, key=lambda c: (c["election__start_earliest"] or date.min, c["id"]), reverse=True)
    post = by_id[careers.last_placed(posts)] if posts else None
    party = None
    if memberships:
        membership = by_id[careers.last_placed(memberships)]
        party = {
            **nested(membership, "organisation", PARTY),
            "role": membership["role"],
            "status": membership["status"],
            "via": "membership",
        }
    else:
        with_party = next((c for c in latest if c["party__id"] is not None), None)
        if with_party:
            party = {
                **nested(with_party, "party", PARTY),
                "role": None,
                "status": with_party["status"],
                "via": "candidacy",
            }
    return {
        "post": None
        if post is None
        else {
            "id": post["id"],
            "role": post["role"],
            "organisation": post["organisation__name"],
            "place": post["place__name"],
            "start": post["start"] or None,
            "end": post["end"] or None,
            "status": post["status"],
        },
        "party": party,
        "candidacy": None
        if not latest
        else {
            "id": latest[0]["id"],
            "election": nested(latest[0], "election", ELECTION),
            "constituency": nested(latest[0], "contest__constituency", CONSTITUENCY),
            "place": nested(latest[0], "place", PLACE),
            "won": latest[0]["won"],
            "status": latest[0]["status"],
        },
    }


def person_json(row: dict, person_context: dict) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "birth_date": fuzzy(row, "birth_date"),
        "gender": row["gender"],
        "social_group": row["social_group"],
        "native_place": nested(row, "native_place", PLACE),
        "context": person_context,
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def filtered(params, seen=EVERY_SOURCE):
    people = Person.objects.filter(known(Person, seen))
    postings, used = Posting.objects.all(), False
    party = lookups.by_id_or_key(params, "party", Party.objects.all(), "slug", "abbreviation__iexact")
    if party:
        postings, used = postings.filter(organisation=party), True
    organisation = lookups.organisation(params)
    if organisation:
        postings, used = postings.filter(organisation__in=lookups.subtree_ids(organisation)), True
    place = lookups.place(params)
    if place:
        postings, used = postings.filter(place__in=lookups.subtree_ids(place)), True
    if params.get("role"):
        postings, used = postings.filter(role__icontains=params["role"]), True
    day = lookups.iso_day(params, "active_on")
    if day:
        held = lookups.held_on(day, lookups.possibly(params), span_statistics=False)
        postings, used = postings.filter(held), True
    if params.getlist("status"):
        postings, used = postings.filter(status__in=params.getlist("status")), True
    if used:  # one posting meets every posting filter; EXISTS stops at the first
        people = people.filter(Exists(postings.filter(person_id=OuterRef("pk"))))
    if params.get("q"):
        by_name = Person.objects.filter(indexed_name_matches(Person, params["q"])).order_by().values("id")
        by_alias = PersonAlias.objects.filter(indexed_name_matches(PersonAlias, params["q"]))
        people = people.filter(id__in=by_name.union(by_alias.order_by().values("person_id")))
        people = with_rank(people, params["q"], PersonAlias, "person")
    if params.get("identifier"):  # scheme:value, the value may hold colons
        scheme, _, value = params["identifier"].partition(":")
        named = PersonIdentifier.objects.filter(scheme=scheme, value=value).values("person_id")
        people = people.filter(id__in=named)
    candidate_party = lookups.by_id_or_key(
        params, "candidate_party", Party.objects.all(), "slug", "abbreviation__iexact"
    )
    if candidate_party:
        people = people.filter(id__in=Candidacy.objects.filter(party=candidate_party).values("person_id"))
    if params.get("review_status"):
        people = people.filter(review_status=params["review_status"])
    return people


def contexts(person_ids: list[int]) -> dict[int, dict]:
    if not person_ids:
        return {}
    postings, candidacies = defaultdict(list), defaultdict(list)
    for row in Posting.objects.filter(person_id__in=person_ids).order_by().values("person_id", *CONTEXT_POSTING):
        postings[row["person_id"]].append(row)
    for row in Candidacy.objects.filter(person_id__in=person_ids).order_by().values("person_id", *CONTEXT_CANDIDACY):
        candidacies[row["person_id"]].append(row)
    return {pk: context(postings[pk], candidacies[pk]) for pk in person_ids}


def keys(params):
    return ranked_keys(params, paging.keys_for(params, ORDERS, "name", frozenset({"birth_date_earliest"})))


@viewpoint
def persons(request, seen):
    order = keys(request.GET)
    page = paging.page(request, filtered(request.GET, seen), order, [*ROW, "updated_at", *REVIEW])
    found = contexts([r["id"] for r in page.rows])
    return envelope(request, page, [person_json(r, found[r["id"]]) for r in page.rows])


# -- the detail -----------------------------------------------------------------

POSTING = (
    "id",
    "key",
    "role",
    "rank",
    *columns("organisation", ORGANISATION),
    *columns("place", PLACE),
    *columns("serves", PERSON),
    *fuzzy_columns("start"),
    *fuzzy_columns("end"),
    "previous_id",
    "note",
    "status",
)
CANDIDACY = (
    "id",
    "key",
    *columns("election", ELECTION),
    "election__start_earliest",
    *columns("party", PARTY),
    *columns("place", PLACE),
    "contest_id",
    *columns("contest__constituency", (*CONSTITUENCY, "reservation")),
    *columns("contest__constituency__district", PLACE),
    "ballot_name",
    "votes",
    "rank",
    "won",
    "margin",
    "status",
)


def record_q(key: str) -> Q:
    return Q(pk=int(key)) if key.isdigit() else Q(slug=key)


@viewpoint
def person(request, key: str, seen):
    found = list(Person.objects.filter(record_q(key), known(Person, seen)).values(*ROW, "updated_at", *REVIEW)[:1])
    if not found:
        return not_found()
    row = found[0]
    pk = row["id"]
    aliases = list(
        PersonAlias.objects.filter(known(PersonAlias, seen), person_id=pk)
        .order_by("name")
        .values("id", "name", "kind", "status")
    )
    identifiers = identifiers_of(PersonIdentifier, "person", pk, seen)
    subject_of = list(
        PersonRelation.objects.filter(known(PersonRelation, seen), subject_id=pk)
        .order_by("id")
        .values("id", "kind", "status", *columns("object", PERSON))
    )
    object_of = list(
        PersonRelation.objects.filter(known(PersonRelation, seen), object_id=pk)
        .order_by("id")
        .values("id", "kind", "status", *columns("subject", PERSON))
    )
    # Career order places every posting, seen or not; those the sources seen tell are shown.
    recorded = Posting.objects.filter(person_id=pk).order_by(F("start_sort").asc(nulls_last=True), "id")
    flag = ("told",) if seen else ()
    if seen:
        recorded = recorded.annotate(told=told(Posting, seen))
    review = ("drafted_by_id", "review_status")
    every = {p["id"]: p for p in recorded.values(*POSTING, "organisation__kind", *review, *flag)}
    hidden = set()
    for i, p in every.items():
        drafted_by, status = p.pop("drafted_by_id"), p.pop("review_status")
        if drafted_by is not None and status == "draft":
            hidden.add(i)
    postings = {i: p for i, p in every.items() if p.get("told", True) and (seen.pending or i not in hidden)}
    in_order = [postings[i] for i in careers.ordered(every.values())[0] if i in postings]
    candidacies = list(
        Candidacy.objects.filter(known(Candidacy, seen), person_id=pk).order_by("election_id", "id").values(*CANDIDACY)
    )
    events = list(
        Event.objects.filter(known(Event, seen), person_id=pk)
        .order_by(F("date_earliest").asc(nulls_last=True), "id")
        .values("id", "key", "kind", "title", *columns("organisation", ORGANISATION), *fuzzy_columns("date"), "status")
    )
    participants, contradicts = event_links([e["id"] for e in events], seen)
    claims = {
        PersonRelation: [r["id"] for r in subject_of + object_of],
        Posting: list(postings),
        Candidacy: [c["id"] for c in candidacies],
        Event: [e["id"] for e in events],
    }
    named = {PersonAlias: [a["id"] for a in aliases], PersonIdentifier: [i["id"] for i in identifiers]}
    cited = citations({Person: [pk], **named, **claims}, seen)
    linking = links(claims, seen)
    relations = [
        _relation(r, "child" if r["kind"] == "parent" else r["kind"], "object", cited, linking) for r in subject_of
    ] + [_relation(r, r["kind"], "subject", cited, linking) for r in object_of]
    return json_response(
        {
            **person_json(row, context(list(postings.values()), candidacies)),
            "aliases": [{**a, "citations": cited[(PersonAlias, a["id"])]} for a in aliases],
            "identifiers": with_citations(PersonIdentifier, identifiers, cited),
            "relations": sorted(relations, key=lambda r: r["id"]),
            "postings": [_posting(p, cited, linking) for p in in_order if p["organisation__kind"] != "party"],
            "memberships": [_membership(p, cited, linking) for p in in_order if p["organisation__kind"] == "party"],
            "candidacies": [candidacy_json(c, cited, linking) for c in candidacies],
            "events": [
                {
                    "id": e["id"],
                    "key": e["key"],
                    "kind": e["kind"],
                    "title": e["title"],
                    "organisation": nested(e, "organisation", ORGANISATION),
                    "date": fuzzy(e, "date"),
                    "participants": participants[e["id"]],
                    "contradicts": contradicts[e["id"]],
                    "status": e["status"],
                    "citations": cited[(Event, e["id"])],
                    **linked(Event, e["id"], linking),
                }
                for e in events
            ],
            "citations": cited[(Person, pk)],
        }
    )


def event_links(ids: list[int], seen=EVERY_SOURCE) -> tuple[dict, dict]:
    """The participants the sources seen tell of, and the versions they tell (by id)."""
    participants, contradicts = defaultdict(list), defaultdict(list)
    if ids:
        rows = (
            Event.participants.through.objects.filter(known(Person, seen, "person__"), event_id__in=ids)
            .order_by("person__name", "person__id")
            .values("event_id", *columns("person", PERSON))
        )
        for row in rows:
            participants[row["event_id"]].append(nested(row, "person", PERSON))
        contradicts = contradicting(ids, seen)
    return participants, contradicts


def contradicting(ids: list[int], seen=EVERY_SOURCE) -> dict:
    """{event id: ids of the events a seen contradicts link joins it to, either way},
    those seen only, in Event's order (person, earliest day with undated last, id)."""
    event_type = type_id(Event)
    pairs = ClaimLink.objects.filter(
        Q(claim_id__in=ids) | Q(target_id__in=ids),
        known(ClaimLink, seen),
        kind="contradicts",
        claim_type_id=event_type,
        target_type_id=event_type,
    ).values_list("claim_id", "target_id")
    others = defaultdict(set)
    for claim_id, target_id in pairs:
        others[claim_id].add(target_id)
        others[target_id].add(claim_id)
    told_ids = {pk for pk in ids if others[pk]}
    versions = {other for pk in told_ids for other in others[pk]}
    order = {
        row["id"]: (row["person_id"], row["date_earliest"] is None, row["date_earliest"] or date.min, row["id"])
        for row in Event.objects.filter(known(Event, seen), pk__in=versions).values("id", "person_id", "date_earliest")
    }
    found = defaultdict(list)
    for pk in told_ids:
        found[pk] = sorted((other for other in others[pk] if other in order), key=order.get)
    return found


def _relation(row, kind, other, cited, linking) -> dict:
    return {
        "id": row["id"],
        "relation": kind,
        "person": nested(row, other, PERSON),
        "status": row["status"],
        "citations": cited[(PersonRelation, row["id"])],
        **linked(PersonRelation, row["id"], linking),
    }


def _posting(p, cited, linking) -> dict:
    return {
        "id": p["id"],
        "key": p["key"],
        "role": p["role"],
        "rank": p["rank"],
        "organisation": nested(p, "organisation", ORGANISATION),
        "place": nested(p, "place", PLACE),
        "serves": nested(p, "serves", PERSON),
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "previous": p["previous_id"],
        "note": p["note"],
        "status": p["status"],
        "citations": cited[(Posting, p["id"])],
        **linked(Posting, p["id"], linking),
    }


def _membership(p, cited, linking) -> dict:
    return {
        "id": p["id"],
        "key": p["key"],
        "party": {name: p[f"organisation__{name}"] for name in PARTY},
        "role": p["role"],
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "status": p["status"],
        "citations": cited[(Posting, p["id"])],
        **linked(Posting, p["id"], linking),
    }


def candidacy_json(c, cited, linking) -> dict:
    contest = None
    if c["contest_id"] is not None:
        constituency = {name: c[f"contest__constituency__{name}"] for name in (*CONSTITUENCY, "reservation")}
        contest = {
            "id": c["contest_id"],
            "constituency": {**constituency, "district": nested(c, "contest__constituency__district", PLACE)},
        }
    return {
        "id": c["id"],
        "key": c["key"],
        "election": nested(c, "election", ELECTION),
        "party": nested(c, "party", PARTY),
        "place": nested(c, "place", PLACE),
        "contest": contest,
        "ballot_name": c["ballot_name"],
        "votes": c["votes"],
        "rank": c["rank"],
        "won": c["won"],
        "margin": c["margin"],
        "status": c["status"],
        "citations": cited[(Candidacy, c["id"])],
        **linked(Candidacy, c["id"], linking),
    }
