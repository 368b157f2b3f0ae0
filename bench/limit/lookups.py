"""Query parameters that name records (by id, slug, abbreviation...) and the
filters built from them: subtrees of places and organisations, fuzzy dates."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from records.models import Organisation, Place


def one(queryset, key: str, *lookups: str):
    """The first record (by id) whose any of ``lookups`` equals ``key``."""
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: key})
    return queryset.filter(condition).order_by("pk").first()


def by_id_or_key(params, name: str, queryset, *lookups: str):
    """The record ``<name>_id`` or ``<name>`` names, or None when neither is given."""
    if params.get(f"{name}_id"):
        return queryset.filter(pk=int(params[f"{name}_id"])).first()
    if params.get(name):
        return one(queryset, params[name], *lookups)
    return None


def subtree_ids(node):
    """The ids of a place or organisation and of everything under it."""
    model = type(node)._meta.concrete_model
    return model.objects.filter(Q(path=node.path) | Q(path__startswith=f"{node.path}/")).values("pk")


def organisation(params, name: str = "organisation"):
    return by_id_or_key(params, name, Organisation.objects.all(), "slug", "abbreviation__iexact")


def place(params, name: str = "place"):
    return by_id_or_key(params, name, Place.objects.all(), "slug")


def possibly(params) -> bool:
    return params.get("date_match") == "possibly"


def on_or_before(field: str, day: date, maybe: bool) -> Q:
    if maybe:
        return Q(**{f"{field}_earliest__lte": day}) | Q(**{f"{field}_earliest__isnull": True})
    return Q(**{f"{field}_latest__lte": day})


def on_or_after(field: str, day: date, maybe: bool) -> Q:
    if maybe:
        return Q(**{f"{field}_latest__gte": day}) | Q(**{f"{field}_latest__isnull": True})
    return Q(**{f"{field}_earliest__gte": day})


def held_on(day: date, maybe: bool, *, span_statistics: bool) -> Q:
    """Started by ``day`` and not ended before it. On PostgreSQL the certain
    span is tested too when asked: the database keeps statistics on it
    (migration 0006), without which it misjudges how many postings match."""
    if maybe:
        return on_or_before("start", day, True) & on_or_after("end", day, True)
    certainly = Q(start_latest__lte=day, end_earliest__gte=day)
    if span_statistics and connection.vendor == "postgresql":
        start, end = '"records_posting"."start_latest"', '"records_posting"."end_earliest"'
        span = f"(CASE WHEN {start} <= {end} THEN daterange({start}, {end}, '[]') END) @> %s::date"
        certainly &= Q(RawSQL(span, [day], output_field=BooleanField()))
    return certainly


def iso_day(params, name: str) -> date | None:
    return date.fromisoformat(params[name]) if params.get(name) else None
