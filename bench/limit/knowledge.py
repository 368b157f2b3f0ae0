"""Knowledge time, as the API documents it, written again with the ORM alone.

``?as_of=YYYY-MM-DD`` keeps the records some source published on or before
that day is cited for; ``?according_to=<source id or slug>`` those that source
is cited for. Lists, details, nested lists, citations and the links between
claims all see the same sources. A link (``ClaimLink``) is itself a cited
record: it shows once a source that is seen cites it, and its ``since`` is the
first publication day of any source citing it. A claim is superseded by the
first link (by ``since``, then id) that ends it: supersedes, fulfils, retracts.

Records a curator drafted (``drafted_by`` set) and nobody verified yet (still
``review_status`` draft) are left out of every read unless
``?include_pending=true``."""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, F, Min, OuterRef, Q, Subquery

from bench.limit.http import json_response
from records.models import Citation, ClaimLink, Source

ENDING = ("supersedes", "fulfils", "retracts")
BIGGEST_ID = 2**63 - 1


@dataclass(frozen=True)
class View:
    """The sources seen: published by ``as_of``, or the one ``source_id``; every source when neither."""

    as_of: date | None = None
    source_id: int | None = None
    pending: bool = False

    def __bool__(self) -> bool:
        return self.as_of is not None or self.source_id is not None

    def sources(self, to_source: str = "source__") -> Q:
        """The citations (or, with ``to_source=""``, the sources) seen."""
        seen = Q()
        if self.as_of is not None:
            seen &= Q(**{f"{to_source}published_on__lte": self.as_of})
        if self.source_id is not None:
            seen &= Q(**{f"{to_source}id": self.source_id})
        return seen


EVERY_SOURCE = View()


class Refused(Exception):
    def __init__(self, errors: dict):
        super().__init__(errors)
        self.errors = errors


def _day(text: str) -> date:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        raise ValueError(text)
    return date.fromisoformat(text)


def _source_id(key: str) -> int | None:
    if key.isascii() and key.isdigit() and int(key) <= BIGGEST_ID:
        found = Source.objects.filter(pk=int(key)).values_list("pk", flat=True).first()
        if found is not None:
            return found
    return Source.objects.filter(slug=key).order_by("pk").values_list("pk", flat=True).first()


def view_of(params) -> View:
    """The sources a request sees; ``Refused`` for a bad day or an unknown source."""
    errors, as_of, source_id = {}, None, None
    if params.get("as_of"):
        try:
            as_of = _day(params["as_of"])
        except ValueError:
            errors["as_of"] = ["Enter a date as YYYY-MM-DD."]
    if params.get("according_to"):
        source_id = _source_id(params["according_to"])
        if source_id is None:
            errors["according_to"] = [f"No source with key {params['according_to']!r}."]
    pending = params.get("include_pending", "")
    if pending.lower() not in ("", "true", "false", "1", "0"):
        errors["include_pending"] = ["Must be true or false."]
    if errors:
        raise Refused(errors)
    return View(as_of, source_id, pending.lower() in ("true", "1"))


def viewpoint(view_function):
    """Calls ``view_function(request, *args, seen=View)``; a bad as_of or according_to is a 400."""

    @functools.wraps(view_function)
    def wrapped(request, *args, **kwargs):
        try:
            seen = view_of(request.GET)
        except Refused as refused:
            return json_response(refused.errors, status=400)
        return view_function(request, *args, seen=seen, **kwargs)

    return wrapped


def type_id(model) -> int:
    return ContentType.objects.get_for_model(model).pk


def linked_against(model) -> Q:
    """Rows of ``model`` on either side of a contradicts link."""
    links = ClaimLink.objects.filter(kind="contradicts")
    kind = type_id(model)
    return Q(id__in=links.filter(claim_type_id=kind).values("claim_id")) | Q(
        id__in=links.filter(target_type_id=kind).values("target_id")
    )


def told(model, seen: View, to_record: str = "") -> Exists:
    """Whether a seen source is cited for the row's record of ``model`` (reached
    through ``to_record``, e.g. "person__")."""
    citing = Citation.objects.filter(
        seen.sources(), content_type_id=type_id(model), object_id=OuterRef(f"{to_record}id")
    )
    return Exists(citing)


def drafted_unverified(model, to_record: str = "") -> Q:
    """Rows whose record of ``model`` a curator drafted and nobody verified yet."""
    if not any(f.name == "drafted_by" for f in model._meta.get_fields()):
        return Q(pk__in=[])
    return Q(**{f"{to_record}review_status": "draft", f"{to_record}drafted_by__isnull": False})


def known(model, seen: View, to_record: str = "") -> Q:
    """Rows whose record of ``model`` a seen source is cited for (``told``),
    without those drafted and not verified unless they are asked for."""
    if model is Source:
        return seen.sources(to_record)
    shown = Q() if seen.pending else ~drafted_unverified(model, to_record)
    if not seen:
        return shown
    return shown & Q(told(model, seen, to_record))


def first_published(model):
    """The first publication day of the sources citing each row of ``model`` (NULL without one)."""
    citing = Citation.objects.filter(content_type_id=type_id(model), object_id=OuterRef("id")).order_by()
    return Subquery(citing.values("object_id").annotate(day=Min("source__published_on")).values("day")[:1])


def claim(type_pk: int, pk: int) -> dict:
    return {"type": ContentType.objects.get_for_id(type_pk).model, "id": pk}


def links(records: dict, seen: View = EVERY_SOURCE) -> dict:
    """{(model, id): [link, ...]} of several kinds of claims, either side, in one query."""
    condition, models = Q(), {}
    for model, ids in records.items():
        ids = list(ids)
        if ids:
            kind = type_id(model)
            models[kind] = model
            condition |= Q(claim_type_id=kind, claim_id__in=ids) | Q(target_type_id=kind, target_id__in=ids)
    found = defaultdict(list)
    if not models:
        return found
    rows = (
        ClaimLink.objects.filter(condition, known(ClaimLink, seen))
        .annotate(since=first_published(ClaimLink))
        .order_by(F("since").asc(nulls_last=True), "id")
        .values("id", "kind", "claim_type_id", "claim_id", "target_type_id", "target_id", "since")
    )
    for row in rows:
        link = {
            "id": row["id"],
            "kind": row["kind"],
            "claim": claim(row["claim_type_id"], row["claim_id"]),
            "target": claim(row["target_type_id"], row["target_id"]),
            "since": row["since"].isoformat() if row["since"] else None,
        }
        for side in ("claim", "target"):
            model = models.get(row[f"{side}_type_id"])
            if model is not None:
                found[(model, row[f"{side}_id"])].append(link)
    return found


def linked(model, pk: int, found: dict) -> dict:
    """``links`` and ``superseded_by`` of one claim."""
    mine = found[(model, pk)]
    me = {"type": model._meta.model_name, "id": pk}
    ended = next((link for link in mine if link["kind"] in ENDING and link["target"] == me), None)
    superseded = None if ended is None else {"kind": ended["kind"], "claim": ended["claim"], "since": ended["since"]}
    return {"links": mine, "superseded_by": superseded}
