"""/claim-links/: how a later claim stands to an earlier one (confirms,
supersedes, fulfils, contradicts, retracts); the list and one link."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from bench.limit import paging
from bench.limit.http import envelope, json_response, not_found
from bench.limit.knowledge import EVERY_SOURCE, claim, first_published, known, viewpoint
from bench.limit.shapes import REVIEW, citations, day, moment, review
from records.models import ClaimLink

ROW = ("id", "claim_type_id", "claim_id", "kind", "target_type_id", "target_id", "since", "updated_at", *REVIEW)
ORDERS = {"id": "id", "updated": "updated_at"}
CLAIMS = ("posting", "event", "candidacy", "partyresult", "personrelation")


def link_json(row, cited) -> dict:
    return {
        "id": row["id"],
        "claim": claim(row["claim_type_id"], row["claim_id"]),
        "kind": row["kind"],
        "target": claim(row["target_type_id"], row["target_id"]),
        "since": day(row["since"]),
        "citations": cited[(ClaimLink, row["id"])],
        "updated_at": moment(row["updated_at"]),
        **review(row),
    }


def _either_side(text: str) -> Q:
    """Links of the claim ``type:id``, as claim or as target (none for a malformed one)."""
    kind, _, pk = text.partition(":")
    if kind not in CLAIMS or not (pk.isascii() and pk.isdigit()) or len(pk) > 18:
        return Q(pk__in=[])
    type_pk = ContentType.objects.get_by_natural_key("records", kind).pk
    return Q(claim_type_id=type_pk, claim_id=int(pk)) | Q(target_type_id=type_pk, target_id=int(pk))


def linked_claims(seen=EVERY_SOURCE):
    return ClaimLink.objects.filter(known(ClaimLink, seen)).annotate(since=first_published(ClaimLink))


def filtered(params, seen=EVERY_SOURCE):
    found = linked_claims(seen)
    if params.getlist("kind"):
        found = found.filter(kind__in=params.getlist("kind"))
    if params.get("record"):
        found = found.filter(_either_side(params["record"]))
    if params.get("review_status"):
        found = found.filter(review_status=params["review_status"])
    return found


def keys(params):
    return paging.keys_for(params, ORDERS, "id")


@viewpoint
def claim_links(request, seen):
    page = paging.page(request, filtered(request.GET, seen), keys(request.GET), ROW)
    cited = citations({ClaimLink: [r["id"] for r in page.rows]}, seen)
    return envelope(request, page, [link_json(r, cited) for r in page.rows])


@viewpoint
def claim_link(request, key: str, seen):
    found = list(linked_claims(seen).filter(pk=int(key)).values(*ROW)[:1]) if key.isdigit() else []
    if not found:
        return not_found()
    return json_response(link_json(found[0], citations({ClaimLink: [found[0]["id"]]}, seen)))
