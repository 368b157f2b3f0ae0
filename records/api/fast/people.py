"""Persons: the list row and the full detail, from ``.values()`` rows."""

from __future__ import annotations

from django.db.models import F, Q

from records.api.fast.rows import (
    ELECTION_REF,
    ORGANISATION_REF,
    PARTY_REF,
    PERSON_REF,
    PLACE_REF,
    citations_of,
    ref,
    ref_fields,
)
from records.api.fast.views import FastList
from records.api.person_context import CONSTITUENCY, person_context, person_contexts
from records.api.representation import REVIEW_VALUES, fuzzy, fuzzy_fields, review, timestamp
from records.careers import career_order
from records.models import (
    Candidacy,
    Event,
    Organisation,
    Person,
    PersonAlias,
    PersonIdentifier,
    PersonRelation,
    Posting,
)

PERSON_FIELDS = (
    "id",
    "slug",
    "name",
    *fuzzy_fields("birth_date"),
    "gender",
    "social_group",
    *ref_fields("native_place", PLACE_REF),
    "updated_at",
    *REVIEW_VALUES,
)


def person_row(row: dict, context: dict) -> dict:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "name": row["name"],
        "birth_date": fuzzy(row, "birth_date"),
        "gender": row["gender"],
        "social_group": row["social_group"],
        "native_place": ref(row, "native_place", PLACE_REF),
        "context": context,
        "updated_at": timestamp(row["updated_at"]),
        **review(row),
    }


def person_rows(rows: list[dict]) -> list[dict]:
    contexts = person_contexts([r["id"] for r in rows])
    return [person_row(r, contexts[r["id"]]) for r in rows]


# -- the detail ---------------------------------------------------------------

POSTING_FIELDS = (
    "id",
    "role",
    "rank",
    *ref_fields("organisation", ORGANISATION_REF),
    *ref_fields("place", PLACE_REF),
    *fuzzy_fields("start"),
    *fuzzy_fields("end"),
    "previous_id",
    "note",
    "status",
)
CANDIDACY_FIELDS = (
    "id",
    *ref_fields("election", ELECTION_REF),
    *ref_fields("party", PARTY_REF),
    *ref_fields("place", PLACE_REF),
    "contest_id",
    *ref_fields(CONSTITUENCY, ("id", "slug", "number", "name", "reservation")),
    *ref_fields(f"{CONSTITUENCY}__district", PLACE_REF),
    "ballot_name",
    "votes",
    "rank",
    "won",
    "margin",
    "status",
    "election__start_earliest",
)
EVENT_FIELDS = ("id", "kind", "title", *ref_fields("organisation", ORGANISATION_REF), *fuzzy_fields("date"), "status")


def person_detail(lookup: Q) -> dict | None:
    """Everything about one person, in a fixed number of queries (at most 11;
    fewer when a kind of related row is absent): the person, aliases,
    identifiers, relations both ways, postings, candidacies, events, their
    participants and contradictions, and every citation of all of them."""
    found = list(Person.objects.filter(lookup).order_by().values(*PERSON_FIELDS)[:1])
    if not found:
        return None
    row = found[0]
    person_id = row["id"]
    aliases = list(PersonAlias.objects.filter(person_id=person_id).values("id", "name", "kind", "status"))
    identifiers = list(PersonIdentifier.objects.filter(person_id=person_id).values("scheme", "value"))
    as_subject = list(
        PersonRelation.objects.filter(subject_id=person_id)
        .order_by("id")
        .values("id", "kind", "status", *ref_fields("object", PERSON_REF))
    )
    as_object = list(
        PersonRelation.objects.filter(object_id=person_id)
        .order_by("id")
        .values("id", "kind", "status", *ref_fields("subject", PERSON_REF))
    )
    postings = list(Posting.objects.filter(person_id=person_id).values(*POSTING_FIELDS, "organisation__kind"))
    by_id = {p["id"]: p for p in postings}
    postings = [by_id[pk] for pk in career_order(postings)]
    candidacies = list(Candidacy.objects.filter(person_id=person_id).values(*CANDIDACY_FIELDS))
    events = list(Event.objects.filter(person_id=person_id).values(*EVENT_FIELDS))
    participants, contradicts = _event_links([e["id"] for e in events])
    cited = citations_of(
        {
            Person: [person_id],
            PersonAlias: [a["id"] for a in aliases],
            PersonRelation: [r["id"] for r in as_subject + as_object],
            Posting: [p["id"] for p in postings],
            Candidacy: [c["id"] for c in candidacies],
            Event: [e["id"] for e in events],
        }
    )

    def cites(model, pk):
        return cited.get((model, pk), [])

    relations = [_relation(r, "child" if r["kind"] == "parent" else r["kind"], "object", cites) for r in as_subject]
    relations += [_relation(r, r["kind"], "subject", cites) for r in as_object]
    party = Organisation.Kind.PARTY
    return {
        **person_row(row, person_context(postings, candidacies)),
        "aliases": [{**a, "citations": cites(PersonAlias, a["id"])} for a in aliases],
        "identifiers": identifiers,
        "relations": sorted(relations, key=lambda r: r["id"]),
        "postings": [_posting(p, cites) for p in postings if p["organisation__kind"] != party],
        "memberships": [_membership(p, cites) for p in postings if p["organisation__kind"] == party],
        "candidacies": [_candidacy(c, cites) for c in candidacies],
        "events": [
            {
                "id": e["id"],
                "kind": e["kind"],
                "title": e["title"],
                "organisation": ref(e, "organisation", ORGANISATION_REF),
                "date": fuzzy(e, "date"),
                "participants": participants.get(e["id"], []),
                "contradicts": contradicts.get(e["id"], []),
                "status": e["status"],
                "citations": cites(Event, e["id"]),
            }
            for e in events
        ],
        "citations": cites(Person, person_id),
    }


def _event_links(event_ids: list[int]) -> tuple[dict, dict]:
    """Participants (people, by name) and contradicting events (by date) of each event."""
    if not event_ids:
        return {}, {}
    participants: dict[int, list] = {}
    rows = (
        Event.participants.through.objects.filter(event_id__in=event_ids)
        .order_by("person__name", "person__id")
        .values("event_id", *ref_fields("person", PERSON_REF))
    )
    for row in rows:
        participants.setdefault(row["event_id"], []).append(ref(row, "person", PERSON_REF))
    contradicts: dict[int, list] = {}
    links = Event.contradicts.through.objects.filter(from_event_id__in=event_ids).order_by(
        # Event's own ordering, as the serializers' prefetch gives it: undated events last.
        "to_event__person_id",
        F("to_event__date_earliest").asc(nulls_last=True),
        "to_event_id",
    )
    for row in links.values("from_event_id", "to_event_id"):
        contradicts.setdefault(row["from_event_id"], []).append(row["to_event_id"])
    return participants, contradicts


def _relation(row: dict, kind: str, other: str, cites) -> dict:
    return {
        "id": row["id"],
        "relation": kind,
        "person": ref(row, other, PERSON_REF),
        "status": row["status"],
        "citations": cites(PersonRelation, row["id"]),
    }


def _posting(p: dict, cites) -> dict:
    return {
        "id": p["id"],
        "role": p["role"],
        "rank": p["rank"],
        "organisation": ref(p, "organisation", ORGANISATION_REF),
        "place": ref(p, "place", PLACE_REF),
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "previous": p["previous_id"],
        "note": p["note"],
        "status": p["status"],
        "citations": cites(Posting, p["id"]),
    }


def _membership(p: dict, cites) -> dict:
    return {
        "id": p["id"],
        "party": {f: p[f"organisation__{f}"] for f in PARTY_REF},
        "role": p["role"],
        "start": fuzzy(p, "start"),
        "end": fuzzy(p, "end"),
        "status": p["status"],
        "citations": cites(Posting, p["id"]),
    }


def _candidacy(c: dict, cites) -> dict:
    contest = None
    if c["contest_id"] is not None:
        constituency = {f: c[f"{CONSTITUENCY}__{f}"] for f in ("id", "slug", "number", "name", "reservation")}
        constituency["district"] = ref(c, f"{CONSTITUENCY}__district", PLACE_REF)
        contest = {"id": c["contest_id"], "constituency": constituency}
    return {
        "id": c["id"],
        "election": ref(c, "election", ELECTION_REF),
        "party": ref(c, "party", PARTY_REF),
        "place": ref(c, "place", PLACE_REF),
        "contest": contest,
        "ballot_name": c["ballot_name"],
        "votes": c["votes"],
        "rank": c["rank"],
        "won": c["won"],
        "margin": c["margin"],
        "status": c["status"],
        "citations": cites(Candidacy, c["id"]),
    }


PERSON_LIST = FastList(fields=PERSON_FIELDS, build=person_rows)
