"""/popolo/: the records as one Popolo document, built in memory from plain
queries: without parameters every record; with the persons list's filters the
people they choose, their postings and seats won as memberships, and the
posts, organisations, places, constituencies and elections those refer to
(ancestors included). Fuzzy dates are read from their stored bounds."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils.text import slugify

from bench.limit import people
from bench.limit.http import json_response
from bench.limit.knowledge import known, viewpoint
from records.models import (
    Candidacy,
    Citation,
    Constituency,
    ConstituencyAlias,
    Election,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    PersonIdentifier,
    Place,
    Posting,
)

NOT_CHOOSING = {"date_match"}
RESERVED = ("SC", "ST")


def _date(earliest, latest) -> str | None:
    if earliest is None or latest is None:
        return None
    if earliest == latest:
        return earliest.isoformat()
    if (earliest.year, earliest.month) == (latest.year, latest.month):
        return earliest.isoformat()[:7]
    return str(earliest.year).zfill(4) if earliest.year == latest.year else None


def _dates(row: dict, field: str, name: str) -> dict:
    if not row[field]:
        return {}
    popolo = _date(row[f"{field}_earliest"], row[f"{field}_latest"])
    out = {f"{name}_date": popolo} if popolo else {}
    if popolo != row[field]:
        out[f"{name}_date_edtf"] = row[field]
    return out


def _links(model, records, seen, request) -> dict[int, list[dict]]:
    citations = Citation.objects.filter(
        seen.sources(),
        content_type=ContentType.objects.get_for_model(model),
        object_id__in=records.order_by().values("id"),
    ).order_by("object_id", "id")
    out = defaultdict(list)
    for row in citations.values("object_id", "quote", "locator", "source__url", "source__slug", "source__sha256"):
        url = row["source__url"]
        if not url:
            url = request.build_absolute_uri(f"/limit/v1/sources/{row['source__slug']}/")
        link = {"url": url, "note": row["quote"] or row["locator"]}
        if link not in out[row["object_id"]]:
            out[row["object_id"]].append(link)
    return out


def _names(model, owner: str, records, seen) -> dict[int, list[dict]]:
    labels = dict(model.Kind.choices)
    out = defaultdict(list)
    rows = model.objects.filter(known(model, seen), **{f"{owner}__in": records.order_by().values("id")})
    for row in rows.order_by(f"{owner}_id", "id").values(f"{owner}_id", "name", "kind"):
        out[row[f"{owner}_id"]].append({"name": row["name"], "note": labels.get(row["kind"], row["kind"])})
    return out


def _some(**fields) -> dict:
    return {k: v for k, v in fields.items() if v}


def _post_id(organisation: str | None, area: str | None, role: str) -> str:
    return f"posts/{organisation or '-'}/{area or '-'}/{slugify(role, allow_unicode=True) or '-'}"


def _holds_post(row) -> bool:
    return not (row["organisation__kind"] == "party" and slugify(row["role"], allow_unicode=True) == "member")


def _upwards(model, pks: set) -> set:
    """The rows and all their ancestors, climbing parent by parent."""
    found, frontier = set(pks), set(pks)
    while frontier:
        frontier = set(model.objects.filter(id__in=frontier, parent__isnull=False).values_list("parent_id", flat=True))
        frontier -= found
        found |= frontier
    return found


def _persons(chosen, seen, request) -> list[dict]:
    links = _links(Person, chosen, seen, request)
    aliases = _names(PersonAlias, "person", chosen, seen)
    issued = defaultdict(list)
    of_chosen = chosen.order_by().values("id")
    identifiers = PersonIdentifier.objects.filter(known(PersonIdentifier, seen), person__in=of_chosen)
    for row in identifiers.order_by("person_id", "id").values("person_id", "scheme", "value"):
        issued[row["person_id"]].append({"identifier": row["value"], "scheme": row["scheme"]})
    rows = chosen.order_by("name", "id").values(
        "id", "slug", "name", "gender", "birth_date", "birth_date_earliest", "birth_date_latest"
    )
    return [
        {
            "id": f"persons/{r['slug']}",
            "name": r["name"],
            "other_names": aliases[r["id"]],
            "identifiers": issued[r["id"]],
            **_some(gender=r["gender"]),
            **_dates(r, "birth_date", "birth"),
            "sources": links[r["id"]],
        }
        for r in rows
    ]


def _posting_memberships(postings, seen, request) -> list[dict]:
    links = _links(Posting, postings, seen, request)
    rows = postings.order_by("id").values(
        "id",
        "person__slug",
        "organisation__slug",
        "organisation__kind",
        "place__slug",
        "role",
        "status",
        *(f"{f}{suffix}" for f in ("start", "end") for suffix in ("", "_earliest", "_latest")),
    )
    out = []
    for r in rows:
        organisation = f"organisations/{r['organisation__slug']}" if r["organisation__slug"] else None
        area = f"places/{r['place__slug']}" if r["place__slug"] else None
        post = _post_id(r["organisation__slug"], area, r["role"]) if _holds_post(r) else None
        out.append(
            {
                "id": f"postings/{r['id']}",
                "person_id": f"persons/{r['person__slug']}",
                **_some(organization_id=organisation, post_id=post, area_id=area),
                "role": r["role"],
                **_dates(r, "start", "start"),
                **_dates(r, "end", "end"),
                "status": r["status"],
                "sources": links[r["id"]],
            }
        )
    return out


SEAT = ("election__body__slug", "election__body__name", "contest__constituency__slug")


def _seat_memberships(seats, seen, request) -> list[dict]:
    links = _links(Candidacy, seats, seen, request)
    out = []
    for r in seats.order_by("id").values("id", "person__slug", "election__slug", "party__slug", "status", *SEAT):
        area = f"constituencies/{r['contest__constituency__slug']}"
        body = r["election__body__slug"]
        out.append(
            {
                "id": f"candidacies/{r['id']}",
                "person_id": f"persons/{r['person__slug']}",
                **_some(
                    organization_id=body and f"organisations/{body}",
                    on_behalf_of_id=r["party__slug"] and f"organisations/{r['party__slug']}",
                ),
                "post_id": _post_id(body, area, "member"),
                "area_id": area,
                "role": "member",
                "election_id": f"elections/{r['election__slug']}",
                "status": r["status"],
                "sources": links[r["id"]],
            }
        )
    return out


def _posts(postings, seats) -> list[dict]:
    out, seen_ids = [], set()
    rows = postings.order_by(F("organisation_id").asc(nulls_first=True), F("place_id").asc(nulls_first=True), "role")
    rows = rows.values(
        "role", "organisation__slug", "organisation__name", "organisation__kind", "place__slug", "place__name"
    ).distinct()
    for r in rows:
        area = f"places/{r['place__slug']}" if r["place__slug"] else None
        post = _post_id(r["organisation__slug"], area, r["role"])
        if not _holds_post(r) or post in seen_ids:
            continue
        seen_ids.add(post)
        label = r["role"] + (f", {r['organisation__name']}" if r["organisation__name"] else "")
        out.append(
            {
                "id": post,
                "label": label + (f" ({r['place__name']})" if r["place__name"] else ""),
                "role": r["role"],
                **_some(
                    organization_id=r["organisation__slug"] and f"organisations/{r['organisation__slug']}",
                    area_id=area,
                ),
            }
        )
    seat_rows = seats.order_by(F("election__body_id").asc(nulls_first=True), "contest__constituency_id")
    seat_rows = seat_rows.values(*SEAT, "contest__constituency__name", "contest__constituency__reservation").distinct()
    for r in seat_rows:
        area = f"constituencies/{r['contest__constituency__slug']}"
        where = r["contest__constituency__name"]
        if r["contest__constituency__reservation"] in RESERVED:
            where += f" ({r['contest__constituency__reservation']})"
        body = r["election__body__name"]
        out.append(
            {
                "id": _post_id(r["election__body__slug"], area, "member"),
                "label": f"Member of the {body} for {where}" if body else f"Member for {where}",
                "role": "member",
                **_some(organization_id=body and f"organisations/{r['election__body__slug']}"),
                "area_id": area,
            }
        )
    return out


def _organisations(records, seen, request) -> list[dict]:
    links = _links(Organisation, records, seen, request)
    aliases = _names(OrganisationAlias, "organisation", records, seen)
    out = []
    for r in records.order_by("id").values("id", "slug", "name", "kind", "abbreviation", "parent__slug", "place__slug"):
        out.append(
            {
                "id": f"organisations/{r['slug']}",
                "name": r["name"],
                "classification": r["kind"],
                "other_names": ([{"name": r["abbreviation"], "note": "abbreviation"}] if r["abbreviation"] else [])
                + aliases[r["id"]],
                **_some(
                    parent_id=r["parent__slug"] and f"organisations/{r['parent__slug']}",
                    area_id=r["place__slug"] and f"places/{r['place__slug']}",
                ),
                "sources": links[r["id"]],
            }
        )
    return out


def _areas(places, constituencies, seen, request) -> list[dict]:
    place_links = _links(Place, places, seen, request)
    out = [
        {
            "id": f"places/{r['slug']}",
            "name": r["name"],
            "classification": r["kind"],
            **_some(parent_id=r["parent__slug"] and f"places/{r['parent__slug']}"),
            "other_names": [{"name": name} for name in r["other_names"]],
            "sources": place_links[r["id"]],
        }
        for r in places.order_by("id").values("id", "slug", "name", "kind", "parent__slug", "other_names")
    ]
    links = _links(Constituency, constituencies, seen, request)
    aliases = _names(ConstituencyAlias, "constituency", constituencies, seen)
    columns = ("id", "slug", "name", "number", "reservation", "district__slug", "jurisdiction__slug")
    for r in constituencies.order_by("id").values(*columns):
        out.append(
            {
                "id": f"constituencies/{r['slug']}",
                "name": r["name"],
                "identifier": str(r["number"]),
                "classification": "constituency",
                "parent_id": f"places/{r['district__slug'] or r['jurisdiction__slug']}",
                **_some(reservation=r["reservation"]),
                "other_names": aliases[r["id"]],
                "sources": links[r["id"]],
            }
        )
    return out


def _events(elections, seen, request) -> list[dict]:
    links = _links(Election, elections, seen, request)
    columns = ("id", "slug", "name", "status", "body__slug", "jurisdiction__slug")
    dated = tuple(f"{f}{suffix}" for f in ("start", "end") for suffix in ("", "_earliest", "_latest"))
    return [
        {
            "id": f"elections/{r['slug']}",
            "name": r["name"],
            "classification": "election",
            **_dates(r, "start", "start"),
            **_dates(r, "end", "end"),
            **_some(organization_id=r["body__slug"] and f"organisations/{r['body__slug']}"),
            "area_id": f"places/{r['jurisdiction__slug']}",
            "status": r["status"],
            "sources": links[r["id"]],
        }
        for r in elections.order_by("id").values(*columns, *dated)
    ]


def _ids(queryset, column: str) -> set:
    return {pk for pk in queryset.values_list(column, flat=True) if pk is not None}


@viewpoint
def popolo(request, seen):
    choosing = any(value for name, value in request.GET.items() if name not in NOT_CHOOSING)
    chosen = people.filtered(request.GET, seen) if choosing else Person.objects.filter(known(Person, seen))
    postings = Posting.objects.filter(known(Posting, seen))
    seats = Candidacy.objects.filter(known(Candidacy, seen), won=True, contest__isnull=False)
    organisations, places = Organisation.objects.all(), Place.objects.all()
    constituencies, elections = Constituency.objects.all(), Election.objects.all()
    if choosing:
        postings = postings.filter(person__in=chosen.order_by().values("id"))
        seats = seats.filter(person__in=chosen.order_by().values("id"))
        election_ids = _ids(seats, "election_id")
        constituency_ids = _ids(seats, "contest__constituency_id")
        organisation_ids = _upwards(
            Organisation,
            _ids(postings, "organisation_id")
            | _ids(seats, "party_id")
            | _ids(Election.objects.filter(id__in=election_ids), "body_id"),
        )
        place_ids = (
            _ids(postings, "place_id")
            | _ids(Organisation.objects.filter(id__in=organisation_ids), "place_id")
            | _ids(Election.objects.filter(id__in=election_ids), "jurisdiction_id")
            | _ids(Constituency.objects.filter(id__in=constituency_ids), "district_id")
            | _ids(Constituency.objects.filter(id__in=constituency_ids), "jurisdiction_id")
        )
        organisations = organisations.filter(id__in=organisation_ids)
        places = places.filter(id__in=_upwards(Place, place_ids))
        constituencies = constituencies.filter(id__in=constituency_ids)
        elections = elections.filter(id__in=election_ids)
    return json_response(
        {
            "persons": _persons(chosen, seen, request),
            "organizations": _organisations(organisations, seen, request),
            "memberships": _posting_memberships(postings, seen, request) + _seat_memberships(seats, seen, request),
            "posts": _posts(postings, seats),
            "areas": _areas(places, constituencies, seen, request),
            "events": _events(elections, seen, request),
        }
    )
