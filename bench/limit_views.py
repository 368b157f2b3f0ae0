"""THE LIMIT: for each benchmarked request, a minimal Django view that runs the
same SQL as the API with ``.values()`` and returns the same JSON with orjson.
No DRF: no routing through viewsets, no filterset, no permission or
pagination classes, no serializers. What the API costs beyond these views is
the price of DRF and of our code around it.

The rows become JSON through the API's read specs (records/api/resources/),
so the two can only differ in what they select, filter and page."""

from __future__ import annotations

import base64
import json
from datetime import date
from decimal import Decimal

import orjson
from django.db.models import Q, Subquery
from django.http import Http404, HttpResponse
from rest_framework.utils.urls import remove_query_param, replace_query_param

from records.api.filtering import fuzzy_active_on
from records.api.pagination import OrderKey, encode_cursor, keyset_filter, order_by_expressions
from records.api.resources.elections import ELECTION_DETAIL
from records.api.resources.persons import PERSON, PERSON_DETAIL
from records.api.resources.postings import POSTING
from records.models import Election, Organisation, Person, PersonAlias, Posting
from records.search import indexed_name_search


def _json(data) -> HttpResponse:
    body = orjson.dumps(data, default=lambda v: float(v) if isinstance(v, Decimal) else str(v))
    return HttpResponse(body, content_type="application/json")


def _page(request, queryset, keys: list[OrderKey], fields, signature: str, parse_cursor_values):
    """Keyset page: the rows after the cursor, one more to know if a next page exists.
    Returns (rows, next link, previous link)."""
    size = int(request.GET.get("page_size", 50))
    raw = request.GET.get("cursor")
    if raw:
        payload = json.loads(base64.urlsafe_b64decode(raw.encode() + b"==="))
        queryset = queryset.filter(keyset_filter(keys, parse_cursor_values(payload["v"]), reverse=False))
    rows = list(queryset.order_by(*order_by_expressions(keys)).values(*fields)[: size + 1])
    more, rows = len(rows) > size, rows[:size]

    def link(row, reverse: bool) -> str:
        token = encode_cursor(signature, [row[k.field] for k in keys], reverse=reverse)
        return replace_query_param(remove_query_param(request.build_absolute_uri(), "count"), "cursor", token)

    next_link = link(rows[-1], False) if more and rows else None
    previous = link(rows[0], True) if raw and rows else None
    return rows, next_link, previous


def persons(request):
    """/persons/?page_size=&cursor=&q=: by name, then id."""
    queryset = Person.objects.all()
    q = request.GET.get("q")
    if q:
        # The rule and the index the API's q uses (records/search.py): the same rows, the same plan.
        by_name = Person.objects.filter(indexed_name_search(Person, q)).order_by().values("id")
        by_alias = PersonAlias.objects.filter(indexed_name_search(PersonAlias, q)).order_by().values("person_id")
        queryset = queryset.filter(id__in=by_name.union(by_alias))
    keys = [OrderKey("name", False, nullable=False), OrderKey("id", False, nullable=False)]
    rows, next_link, previous = _page(
        request, queryset, keys, PERSON.columns(), "records.person:name,id", lambda v: [v[0], int(v[1])]
    )
    return _json({"next": next_link, "previous": previous, "count": None, "results": PERSON.build(rows)})


def postings(request):
    """/postings/?organisation=<slug>&active_on=<day>: by start, then id."""
    key = request.GET["organisation"]
    organisation = (
        Organisation.objects.filter(Q(slug=key) | Q(abbreviation__iexact=key)).order_by("pk").values("path").first()
    )
    units = Organisation.objects.filter(Q(path=organisation["path"]) | Q(path__startswith=f"{organisation['path']}/"))
    queryset = Posting.objects.filter(organisation__in=Subquery(units.values("pk")))
    queryset = queryset.filter(fuzzy_active_on(date.fromisoformat(request.GET["active_on"]), "certainly"))
    keys = [OrderKey("start_sort", False), OrderKey("id", False, nullable=False)]
    rows, next_link, previous = _page(
        request,
        queryset,
        keys,
        POSTING.columns(),
        "records.posting:start_sort,id",
        lambda v: [v[0] and date.fromisoformat(v[0]), int(v[1])],
    )
    return _json({"next": next_link, "previous": previous, "count": None, "results": POSTING.build(rows)})


def _lookup(key: str) -> Q:
    return Q(pk=int(key)) if key.isdigit() else Q(slug=key)


def person(request, key: str):
    data = PERSON_DETAIL.one(Person.objects.filter(_lookup(key)))
    if data is None:
        raise Http404
    return _json(data)


def election(request, key: str):
    data = ELECTION_DETAIL.one(Election.objects.filter(_lookup(key)))
    if data is None:
        raise Http404
    return _json(data)
