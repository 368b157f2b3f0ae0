"""/sources/: the list, the detail (text and first claims) and every claim."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from bench.limit import lookups, paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, known, viewpoint
from bench.limit.people import record_q
from bench.limit.shapes import day, moment
from records.models import Candidacy, Citation, Event, Person, PersonAlias, PersonRelation, Posting, Source

ROW = (
    "id",
    "slug",
    "kind",
    "title",
    "publisher",
    "url",
    "not_stated",
    "published_on",
    "language",
    "license",
    "path",
    "sha256",
    "updated_at",
)
ORDERS = {"published": "published_on", "slug": "slug", "id": "id"}
CLAIMS_IN_DETAIL = 100
CLAIM = ("id", "content_type__model", "object_id", "field", "quote", "start", "end", "said", "locator")
# A person's own claims, by the field that names them.
PERSON_CLAIMS = {
    PersonAlias: "person",
    PersonRelation: "subject",
    Posting: "person",
    Event: "person",
    Candidacy: "person",
}


def source_json(row) -> dict:
    return {**row, "published_on": day(row["published_on"]), "updated_at": moment(row["updated_at"])}


def claim_json(row) -> dict:
    return {
        "id": row["id"],
        "record_type": row["content_type__model"],
        "record_id": row["object_id"],
        **{name: row[name] for name in ("field", "quote", "start", "end", "said", "locator")},
    }


def _citing(person) -> Q:
    kinds = ContentType.objects.get_for_models(Person, *PERSON_CLAIMS)
    condition = Q(content_type=kinds[Person], object_id=person.pk)
    for model, field in PERSON_CLAIMS.items():
        condition |= Q(content_type=kinds[model], object_id__in=model.objects.filter(**{field: person}).values("id"))
    condition |= Q(
        content_type=kinds[PersonRelation], object_id__in=PersonRelation.objects.filter(object=person).values("id")
    )
    return condition


def filtered(params, seen=EVERY_SOURCE):
    found = Source.objects.filter(known(Source, seen))
    person = lookups.by_id_or_key(params, "mentions", Person.objects.all(), "slug")
    if person:
        found = found.filter(id__in=Citation.objects.filter(_citing(person)).values("source_id"))
    if params.get("published_after"):
        found = found.filter(published_on__gte=lookups.iso_day(params, "published_after"))
    if params.get("published_before"):
        found = found.filter(published_on__lte=lookups.iso_day(params, "published_before"))
    if params.get("kind"):
        found = found.filter(kind=params["kind"])
    return found


def keys(params):
    return paging.keys_for(params, ORDERS, "published", frozenset({"published_on"}))


@viewpoint
def sources(request, seen):
    order = keys(request.GET)
    page = paging.page(request, filtered(request.GET, seen), order, ROW)
    return envelope(request, page, [source_json({name: r[name] for name in ROW}) for r in page.rows])


def claims_of(source_id: int):
    return Citation.objects.filter(source_id=source_id).values(*CLAIM)


CLAIM_ORDER = [paging.Key("start", nullable=True), paging.Key("id")]


@viewpoint
def source(request, key: str, seen):
    """The source, when it is one of those seen; its claims and their count are all of them."""
    counted = Citation.objects.filter(source=OuterRef("pk")).order_by().values("source").annotate(n=Count("id"))
    sources = Source.objects.filter(record_q(key), known(Source, seen)).annotate(
        claims_count=Coalesce(Subquery(counted.values("n")), 0)
    )
    found = list(sources.values(*ROW, "text", "claims_count")[:1])
    if not found:
        return not_found()
    row = found[0]
    first = claims_of(row["id"]).order_by("start", "id")[:CLAIMS_IN_DETAIL]
    body = source_json(row)
    body["claims"] = [claim_json(c) for c in first]
    body["claims_url"] = request.build_absolute_uri(reverse("limit-source-claims", args=[row["id"]]))
    return json_response(body)


def claims(request, key: str):
    found = Source.objects.filter(record_q(key)).values_list("id", flat=True).first()
    if found is None:
        return not_found()
    page = paging.page(request, Citation.objects.filter(source_id=found), CLAIM_ORDER, CLAIM)
    return envelope(request, page, [claim_json(c) for c in page.rows])
