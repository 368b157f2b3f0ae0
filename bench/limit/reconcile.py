"""/reconcile/: the reconciliation service's manifest, its suggestions and a
person's preview card, written from the protocol (W3C reconciliation API 0.2)
and the API's documentation. A batch's answers are not here: scoring them is
the person matcher's work, which the limit does not reimplement."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.db.models import F, Q
from django.http import HttpResponse
from django.utils.html import escape

from bench.limit.http import json_response, not_found
from bench.limit.search import RANK, indexed_name_matches, with_rank
from records.models import (
    Candidacy,
    Constituency,
    ConstituencyAlias,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Place,
    Posting,
)

PAGE = 10
TYPES = [
    ("person", "Person", "A political figure: a candidate, an office holder, an official."),
    ("party", "Party", "A political party, by its name, abbreviation or other names."),
    (
        "constituency",
        "Constituency",
        'An electoral constituency, by its name; a reservation may follow it: "Kannauj (SC)".',
    ),
    ("place", "Place", "A country, state, district, city or other place, by its names."),
]
PERSON_PROPERTIES = [
    (
        "party",
        "Party",
        "A party the person stood for or belongs to: its name, abbreviation (BJP) or another name, or the id of a "
        "reconciled party.",
    ),
    (
        "constituency",
        "Constituency",
        'Where the person stood: a constituency\'s name, with its reservation if any ("Kannauj (SC)"), or the id '
        "of a reconciled constituency.",
    ),
    ("year", "Year", "A year in which the person stood in an election or held a post: 2017."),
]
RESOURCES = {"person": "persons", "party": "parties", "constituency": "constituencies", "place": "places"}


def manifest(request):
    base = request.build_absolute_uri("/limit/v1/")
    service = f"{base}reconcile"
    return json_response(
        {
            "versions": ["0.2"],
            "name": "Political Records API",
            "identifierSpace": base,
            "schemaSpace": f"{service}/properties",
            "defaultTypes": [{"id": "person", "name": "Person"}],
            "view": {"url": base + "{{id}}/"},
            "preview": {"url": service + "/preview/?id={{id}}", "width": 420, "height": 180},
            "suggest": {
                kind: {"service_url": service, "service_path": f"/suggest/{kind}/"}
                for kind in ("entity", "type", "property")
            },
            "batchSize": getattr(django_settings, "RECONCILE_MAX_QUERIES", 50),
        }
    )


def _found(kind: str, text: str):
    if kind == "party":
        by_name = Organisation.objects.filter(indexed_name_matches(Organisation, text)).order_by().values("id")
        by_alias = OrganisationAlias.objects.filter(indexed_name_matches(OrganisationAlias, text))
        ids = by_name.union(Organisation.objects.filter(abbreviation__iexact=text).order_by().values("id"))
        found = Organisation.objects.filter(Q(id__in=ids) | Q(id__in=by_alias.values("organisation_id")), kind="party")
        return with_rank(found, text, OrganisationAlias, "organisation", abbreviation=True)
    if kind == "constituency":
        by_alias = ConstituencyAlias.objects.filter(indexed_name_matches(ConstituencyAlias, text))
        found = Constituency.objects.filter(
            Q(indexed_name_matches(Constituency, text)) | Q(id__in=by_alias.values("constituency_id"))
        )
        return with_rank(found, text, ConstituencyAlias, "constituency")
    if kind == "place":
        return with_rank(Place.objects.filter(indexed_name_matches(Place, text)), text)
    by_alias = PersonAlias.objects.filter(indexed_name_matches(PersonAlias, text)).values("person_id")
    found = Person.objects.filter(Q(indexed_name_matches(Person, text)) | Q(id__in=by_alias))
    return with_rank(found, text, PersonAlias, "person")


def suggest_entity(request):
    kind, start = request.GET.get("type") or "person", int(request.GET.get("cursor", 0))
    rows = _found(kind, request.GET["prefix"].strip()).order_by(RANK, "name", "id").values("slug", "name")
    results = [{"id": f"{RESOURCES[kind]}/{r['slug']}", "name": r["name"]} for r in rows[start : start + PAGE]]
    return json_response({"result": results})


def _like(prefix: str, items) -> list:
    wanted = prefix.strip().casefold()
    return [i for i in items if any(w.startswith(wanted) for w in f"{i[0]} {i[1]}".casefold().split())]


def suggest_type(request):
    found = _like(request.GET["prefix"], TYPES)
    return json_response({"result": [{"id": i, "name": n, "description": d} for i, n, d in found[:PAGE]]})


def suggest_property(request):
    taken = PERSON_PROPERTIES if (request.GET.get("type") or "person") == "person" else []
    found = _like(request.GET["prefix"], taken)
    return json_response({"result": [{"id": i, "name": n, "description": d} for i, n, d in found[:PAGE]]})


def preview(request):
    """A person's card: name, born, parties, the latest posts and candidacies."""
    resource, _, slug = request.GET.get("id", "").partition("/")
    person = Person.objects.filter(slug=slug).first() if resource == "persons" else None
    if person is None:
        return not_found()
    posts = Posting.objects.filter(person=person).select_related("organisation", "place")
    parties, lines = [], []
    for post in posts.order_by(F("start_earliest").desc(nulls_last=True), "-id")[:16]:
        org = post.organisation
        if org is not None and org.kind == "party" and org.name not in parties:
            parties.append(org.name)
        where = ", ".join(x for x in [org.name if org else "", post.place.name if post.place else ""] if x)
        what = " - ".join(x for x in [post.role or "member", where] if x)
        span = (
            (f"{post.start or '?'} to {post.end}" if post.end else f"from {post.start}")
            if post.start or post.end
            else ""
        )
        lines.append(" ".join(x for x in [what, span, f"({post.status})"] if x))
    stood = Candidacy.objects.filter(person=person).select_related(
        "election", "party", "contest__constituency", "place"
    )
    candidacies = []
    for c in stood.order_by(F("election__start_earliest").desc(nulls_last=True), "-id")[:8]:
        where = (
            (c.contest.constituency.name if c.contest else "") or (c.place.name if c.place else "") or "no place given"
        )
        outcome = "won" if c.won else "lost" if c.won is False else c.status
        candidacies.append(f"{c.election.name}: {where}, {c.party.name if c.party else 'no party given'} ({outcome})")
        if c.party and c.party.name not in parties:
            parties.append(c.party.name)
    facts = ([f"Born: {person.birth_date}"] if person.birth_date else []) + (
        [f"Party: {', '.join(parties)}"] if parties else []
    )
    body = [f"<p>Person</p><h1>{escape(person.name)}</h1>", *(f"<p>{escape(f)}</p>" for f in facts)]
    for label, items in (("Posts", lines[:8]), ("Candidacies", candidacies)):
        if items:
            body.append(f"<p>{label}</p><ul>" + "".join(f"<li>{escape(i)}</li>" for i in items) + "</ul>")
    html = f"<!DOCTYPE html><html><head><title>{escape(person.name)}</title></head><body>{''.join(body)}</body></html>"
    return HttpResponse(html, content_type="text/html; charset=utf-8")
