"""Knowledge time: what the sources had said by a given day, or what one
source says.

Valid time (``active_on``) asks when something was true; knowledge time asks
when it was known. A record is known on day D when a source published on or
before D is cited for it; ``according_to`` keeps what one source is cited
for. A claim linked by a later one (records/models/links.py) reads as it
stood: superseded only from the day the superseding link was published.

Every point of view but ``WITH_PENDING`` leaves out pending records: those a
curator drafted on the workbench that no second curator has verified yet
(records/curation/review.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Exists, F, Min, OuterRef, Q

from records.compiled_queries import Ids, compiled
from records.curation.review import public
from records.models import Citation, ClaimLink
from records.models.base import CitedRecord
from records.models.sources import Source
from records.remembered import remembered


@dataclass(frozen=True)
class Knowledge:
    """A point of view: the sources published by ``as_of``, or ``according_to``
    one source (its id); pending records left out unless ``pending``."""

    as_of: date | None = None
    according_to: int | None = None
    pending: bool = False

    def __bool__(self) -> bool:
        """Whether this point of view leaves any record out."""
        return self.sources_limited or not self.pending

    @property
    def sources_limited(self) -> bool:
        return self.as_of is not None or self.according_to is not None

    def citations(self, path: str = "source__") -> Q:
        """The citations this point of view sees (``path``: from a citation to its source)."""
        condition = Q()
        if self.as_of is not None:
            condition &= Q(**{f"{path}published_on__lte": self.as_of})
        if self.according_to is not None:
            condition &= Q(**{f"{path}id": self.according_to})
        return condition


# What public reads see by default: every source, no pending record.
EVERYTHING = Knowledge()
# What curators' own tools see: every record, pending ones too.
WITH_PENDING = Knowledge(pending=True)


def is_cited(model) -> bool:
    return issubclass(model, CitedRecord)


def known(model, knowledge: Knowledge, path: str = "") -> Q:
    """Records of ``model`` (reached through ``path``, e.g. "person__") that a
    source this point of view sees is cited for, pending ones left out unless
    it sees them; every record when it sees all."""
    if model is Source:
        return knowledge.citations(path)
    condition = Q() if knowledge.pending or not is_cited(model) else public(path)
    if not knowledge.sources_limited:
        return condition
    content_type = ContentType.objects.get_for_model(model)
    cited = Citation.objects.filter(
        knowledge.citations(), content_type_id=content_type.pk, object_id=OuterRef(f"{path}pk")
    )
    return condition & Q(Exists(cited))


# A source cited for at most this many records of a kind is "sparse" (a report,
# an article); one cited for more (a dataset) is not (see ``cited_by_few``).
SPARSE_CITATIONS = 2000


def cited_by_few(model, knowledge: Knowledge, versions: dict | None = None) -> Q | None:
    """For a list read ``according_to`` one source: ``Q(pk__in=<the records of
    model it is cited for>)`` when there are at most SPARSE_CITATIONS of them,
    else None (one small query, on the citations' index of (source, type, record),
    to tell).

    ``known`` tests each record for a citation, in the list's order: a source
    cited for a few hundred of a million postings makes that walk read the whole
    table (over a second) before it fills a page. Read by these ids, the page
    costs a few lookups and a sort of the few. A dataset source cited for most
    records of a kind fills a page early on the walk, which then stays the
    faster plan. The condition narrows ``known``'s, it never replaces it. Only
    on SQLite, whose planner runs a correlated EXISTS row by row. With the
    request's data ``versions``, the answer is kept while the citations and
    sources are unchanged (records/remembered.py)."""
    if knowledge.according_to is None or model is Source or connection.vendor != "sqlite":
        return None  # PostgreSQL plans the EXISTS as a semi-join from the citations already
    content_type = ContentType.objects.get_for_model(model)
    cited = Citation.objects.filter(knowledge.citations(), content_type_id=content_type.pk)
    cited = cited.order_by().values("object_id")
    sparse = remembered(
        ("cited by few", cited.db, content_type.pk, knowledge, SPARSE_CITATIONS),
        versions,
        lambda: cited[: SPARSE_CITATIONS + 1].count() <= SPARSE_CITATIONS,
        reads=(Citation._meta.db_table, Source._meta.db_table),
    )
    if not sparse:
        return None
    return Q(pk__in=cited)


def known_side(knowledge: Knowledge, side: str) -> Q:
    """Claim links whose ``side`` ("claim" or "target"), of whatever type, is
    cited to a source this point of view sees; every link when it sees every
    source (a pending side goes with its pending link: see ``known``)."""
    if not knowledge.sources_limited:
        return Q()
    cited = Citation.objects.filter(
        knowledge.citations(), content_type_id=OuterRef(f"{side}_type_id"), object_id=OuterRef(f"{side}_id")
    )
    return Q(Exists(cited))


def by_content_type(records: dict) -> dict[int, tuple[type, object]]:
    """model -> ids, as content type id -> (model, ids), leaving out models with no ids."""
    return {ContentType.objects.get_for_model(model).pk: (model, ids) for model, ids in records.items() if ids}


def links_of(records: dict, knowledge: Knowledge = EVERYTHING) -> dict[tuple[type, int], list[dict]]:
    """The links of several kinds of claims, either side, in one query: (model,
    id) -> [{id, kind, claim, target, since}], ``since`` the day the link was
    first published; a link published after ``as_of`` (or not by the one
    source) is left out. The query is compiled once per kinds of claims and
    point of view (records/compiled_queries.py)."""
    wanted = by_content_type(records)
    out: dict[tuple[type, int], list[dict]] = defaultdict(list)
    if not wanted:
        return out
    types = tuple(wanted)
    shape = ("links_of", types, ContentType.objects.get_for_model(ClaimLink).pk, knowledge)
    query = compiled(shape, lambda: _links_query(types, knowledge))
    names = {}
    for row in query.values(**{f"ids{kind}": ids for kind, (_, ids) in wanted.items()}):
        for side in ("claim", "target"):
            type_id = row[f"{side}_type_id"]
            if type_id not in names:
                names[type_id] = ContentType.objects.get_for_id(type_id).model
        link = {
            "id": row["id"],
            "kind": row["kind"],
            "claim": {"type": names[row["claim_type_id"]], "id": row["claim_id"]},
            "target": {"type": names[row["target_type_id"]], "id": row["target_id"]},
            "since": row["since"].isoformat() if row["since"] else None,
        }
        for side in ("claim", "target"):
            found = wanted.get(row[f"{side}_type_id"])
            if found is not None:
                out[(found[0], row[f"{side}_id"])].append(link)
    return out


def _links_query(types: tuple[int, ...], knowledge: Knowledge):
    condition = Q()
    for kind in types:
        ids = Ids(f"ids{kind}")
        condition |= Q(claim_type_id=kind, claim_id__in_ids=ids) | Q(target_type_id=kind, target_id__in_ids=ids)
    rows = ClaimLink.objects.filter(condition)
    if knowledge:
        rows = rows.filter(known(ClaimLink, knowledge))
    # Undated links (no dated source cites them) last on every database.
    rows = rows.annotate(since=Min("citations__source__published_on")).order_by(F("since").asc(nulls_last=True), "id")
    return rows.values("id", "kind", "claim_type_id", "claim_id", "target_type_id", "target_id", "since")


def contradicted(model) -> Q:
    """Claims of ``model`` that a link marks as contradicted, either side: the
    ids the (few) links name, looked up by primary key. A correlated EXISTS
    per row read every row of a large list when few or none were linked (1 s
    for an empty page of a million postings); so did, on PostgreSQL, two IN
    joined by OR (1.9 s), which it tests row by row: one IN of the union
    is planned from the links."""
    content_type = ContentType.objects.get_for_model(model).pk
    links = ClaimLink.objects.filter(kind=ClaimLink.Kind.CONTRADICTS).order_by()
    as_claim = links.filter(claim_type_id=content_type).values("claim_id")
    as_target = links.filter(target_type_id=content_type).values("target_id")
    return Q(pk__in=as_claim.union(as_target))


def superseded_by(model_name: str, pk: int, links: list[dict]) -> dict | None:
    """The first link that ended this claim (supersedes, fulfils, retracts), as {kind, claim, since}."""
    for link in links:
        if link["kind"] in ClaimLink.ENDING and link["target"] == {"type": model_name, "id": pk}:
            return {"kind": link["kind"], "claim": link["claim"], "since": link["since"]}
    return None
