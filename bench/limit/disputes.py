"""/disputes/: every ``contradicts`` link between two claims of any type, with
both claims as their own records tell them (each with its type, key, person,
status, what it claims and its citations) and the link's own citations. A
dispute is known once the link and both its claims are."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q, Subquery

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, first_published, known, viewpoint
from bench.limit.people import CANDIDACY, candidacy_json
from bench.limit.shapes import (
    ELECTION,
    ORGANISATION,
    PARTY,
    PERSON,
    PLACE,
    cents,
    citations,
    columns,
    day,
    fuzzy,
    fuzzy_columns,
    nested,
)
from records.models import Candidacy, Citation, ClaimLink, Event, PartyResult, Person, PersonRelation, Posting

ROW = ("id", "claim_type_id", "claim_id", "target_type_id", "target_id", "since")
ORDERS = {"id": "id"}
TYPES = {
    "posting": Posting,
    "event": Event,
    "candidacy": Candidacy,
    "partyresult": PartyResult,
    "personrelation": PersonRelation,
}
# What each type's side reads.
SIDE_ROWS = {
    Posting: (
        "id",
        "key",
        *columns("person", PERSON),
        "role",
        "rank",
        *columns("organisation", ORGANISATION),
        *columns("place", PLACE),
        *fuzzy_columns("start"),
        *fuzzy_columns("end"),
        "status",
    ),
    Event: (
        "id",
        "key",
        *columns("person", PERSON),
        "kind",
        "title",
        *columns("organisation", ORGANISATION),
        *fuzzy_columns("date"),
        "status",
    ),
    Candidacy: (*CANDIDACY, *columns("person", PERSON)),
    PartyResult: (
        "id",
        *columns("election", ELECTION),
        *columns("party", PARTY),
        "seats_won",
        "seats_with_allies",
        "vote_share",
        "status",
    ),
    PersonRelation: ("id", *columns("subject", PERSON), "kind", *columns("object", PERSON), "status"),
}


def _type_name(type_pk: int) -> str:
    return ContentType.objects.get_for_id(type_pk).model


def _side_json(model, row, cited) -> dict:
    core = {"type": model._meta.model_name, "id": row["id"]}
    if model is Posting:
        return {
            **core,
            "key": row["key"],
            "person": nested(row, "person", PERSON),
            "role": row["role"],
            "rank": row["rank"],
            "organisation": nested(row, "organisation", ORGANISATION),
            "place": nested(row, "place", PLACE),
            "start": fuzzy(row, "start"),
            "end": fuzzy(row, "end"),
            "status": row["status"],
            "citations": cited[(model, row["id"])],
        }
    if model is Event:
        return {
            **core,
            "key": row["key"],
            "person": nested(row, "person", PERSON),
            "kind": row["kind"],
            "title": row["title"],
            "organisation": nested(row, "organisation", ORGANISATION),
            "date": fuzzy(row, "date"),
            "status": row["status"],
            "citations": cited[(model, row["id"])],
        }
    if model is Candidacy:
        body = candidacy_json(row, cited, defaultdict(list))
        return {
            **core,
            "key": row["key"],
            "person": nested(row, "person", PERSON),
            **{name: body[name] for name in ("election", "party", "place", "contest", "status", "citations")},
        }
    if model is PartyResult:
        return {
            **core,
            "key": "",
            "person": None,
            "election": nested(row, "election", ELECTION),
            "party": nested(row, "party", PARTY),
            "seats_won": row["seats_won"],
            "seats_with_allies": row["seats_with_allies"],
            "vote_share": cents(row["vote_share"]),
            "status": row["status"],
            "citations": cited[(model, row["id"])],
        }
    return {
        **core,
        "key": "",
        "person": nested(row, "subject", PERSON),
        "kind": row["kind"],
        "object": nested(row, "object", PERSON),
        "status": row["status"],
        "citations": cited[(model, row["id"])],
    }


def _disputes_json(rows, seen) -> list[dict]:
    wanted = defaultdict(set)
    for row in rows:
        for side in ("claim", "target"):
            wanted[TYPES[_type_name(row[f"{side}_type_id"])]].add(row[f"{side}_id"])
    claims = {}
    for model, ids in wanted.items():
        for claim in model.objects.filter(pk__in=ids).values(*SIDE_ROWS[model]):
            claims[(model, claim["id"])] = claim
    cited = citations({**wanted, ClaimLink: [r["id"] for r in rows]}, seen)

    def side(row, name):
        model = TYPES[_type_name(row[f"{name}_type_id"])]
        claim = claims.get((model, row[f"{name}_id"]))
        return None if claim is None else _side_json(model, claim, cited)

    out = []
    for row in rows:
        claim_type, target_type = _type_name(row["claim_type_id"]), _type_name(row["target_type_id"])
        out.append(
            {
                "id": row["id"],
                "type": claim_type if claim_type == target_type else "mixed",
                "claim": side(row, "claim"),
                "disputed_by": side(row, "target"),
                "since": day(row["since"]),
                "citations": cited[(ClaimLink, row["id"])],
            }
        )
    return out


def _told(seen, side: str) -> Q:
    """Links whose ``side`` claim some seen source is cited for."""
    if not seen:
        return Q()
    citing = Citation.objects.filter(
        seen.sources(), content_type_id=OuterRef(f"{side}_type_id"), object_id=OuterRef(f"{side}_id")
    )
    return Q(Exists(citing))


def _contradictions(seen):
    return ClaimLink.objects.filter(
        known(ClaimLink, seen), _told(seen, "claim"), _told(seen, "target"), kind="contradicts"
    ).annotate(since=first_published(ClaimLink))


def _of_person(person) -> Q:
    """Links with a claim about ``person`` on either side (the subject or object of a relation)."""
    found = Q()
    for model, field in (
        (Posting, "person"),
        (Event, "person"),
        (Candidacy, "person"),
        (PersonRelation, "subject"),
        (PersonRelation, "object"),
    ):
        type_pk = ContentType.objects.get_for_model(model).pk
        theirs = Subquery(model.objects.filter(**{field: person}).values("id"))
        found |= Q(claim_type_id=type_pk, claim_id__in=theirs) | Q(target_type_id=type_pk, target_id__in=theirs)
    return found


def filtered(params, seen=EVERY_SOURCE):
    links = _contradictions(seen)
    person = lookups.by_id_or_key(params, "person", Person.objects.all(), "slug")
    if person:
        links = links.filter(_of_person(person))
    if params.getlist("type"):
        type_pks = [ContentType.objects.get_by_natural_key("records", name).pk for name in params.getlist("type")]
        links = links.filter(Q(claim_type_id__in=type_pks) | Q(target_type_id__in=type_pks))
    return links


def keys(params):
    return paging.keys_for(params, ORDERS, "id")


@viewpoint
def disputes(request, seen):
    page = paging.page(request, filtered(request.GET, seen), keys(request.GET), ROW)
    return envelope(request, page, _disputes_json(page.rows, seen))


@viewpoint
def dispute(request, key: str, seen):
    found = list(_contradictions(seen).filter(pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    return json_response(_disputes_json(found, seen)[0]) if found else not_found()
